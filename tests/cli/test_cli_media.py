"""`azgate images generate`, `azgate audio speak` and `azgate audio transcribe`."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from azgate.testing import Emulator
from cli_support import assert_exit, azgate, error_line

pytestmark = pytest.mark.usefixtures("azure_env")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
AUDIO_VERSION = ("--api-version", "2025-04-01-preview")  # speech is not in 2024-10-21


def last_body(emulator: Emulator, operation: str) -> dict[str, object]:
    requests = [r for r in emulator.stats.requests if r.operation == operation]
    body: dict[str, object] = json.loads(requests[-1].body)
    return body


def test_images_generate_writes_the_png(tmp_path: Path, emulator: Emulator) -> None:
    out = tmp_path / "cat.png"
    result = azgate("images", "generate", "a cat on a mat", "--out", str(out), "-d", "dall-e-3")
    assert_exit(result, 0)
    assert out.read_bytes().startswith(PNG_MAGIC)
    assert result.stdout.strip() == str(out)
    assert last_body(emulator, "ImageGenerations_Create")["response_format"] == "b64_json"


def test_images_generate_without_out_prints_a_url_that_serves_the_image() -> None:
    result = azgate("images", "generate", "a cat", "-d", "dall-e-3")
    assert_exit(result, 0)
    url = result.stdout.strip()
    assert url.startswith("http://127.0.0.1:")
    assert httpx.get(url).content.startswith(PNG_MAGIC)


def test_images_generate_json_names_the_files_without_the_bytes(tmp_path: Path) -> None:
    out = tmp_path / "cat.png"
    result = azgate("images", "generate", "a cat", "--out", str(out), "-d", "dall-e-3", "--json")
    assert_exit(result, 0)
    document = json.loads(result.stdout)
    assert document["files"] == [str(out)]
    assert document["data"][0]["b64_json"] is None


def test_audio_speak_writes_the_format_of_the_suffix(tmp_path: Path, emulator: Emulator) -> None:
    out = tmp_path / "hello.wav"
    result = azgate("audio", "speak", "hello world", "--out", str(out), "--voice", "nova", "-d", "tts", *AUDIO_VERSION)
    assert_exit(result, 0)
    data = out.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    assert last_body(emulator, "Speech_Create") == {
        "input": "hello world",
        "voice": "nova",
        "response_format": "wav",
        "model": "tts",
    }
    assert result.stdout == ""  # the note goes to stderr


def test_audio_speak_needs_out() -> None:
    result = azgate("audio", "speak", "hello", "-d", "tts")
    assert_exit(result, 2)
    assert "--out" in result.stderr


@pytest.fixture
def speech(tmp_path: Path) -> Path:
    out = tmp_path / "speech.mp3"
    assert_exit(azgate("audio", "speak", "the quick brown fox", "--out", str(out), "-d", "tts", *AUDIO_VERSION), 0)
    return out


def test_audio_transcribe_prints_text_and_subtitles(speech: Path) -> None:
    text = azgate("audio", "transcribe", str(speech), "-d", "whisper")
    assert_exit(text, 0)
    assert text.stdout.strip()
    srt = azgate("audio", "transcribe", str(speech), "--format", "srt", "-d", "whisper")
    assert_exit(srt, 0)
    first = srt.stdout.splitlines()
    assert first[0] == "1" and "-->" in first[1]


def test_audio_transcribe_json_and_out(speech: Path, tmp_path: Path) -> None:
    result = azgate("audio", "transcribe", str(speech), "-d", "whisper", "--json")
    assert_exit(result, 0)
    assert isinstance(json.loads(result.stdout)["text"], str)
    out = tmp_path / "speech.vtt"
    result = azgate("audio", "transcribe", str(speech), "--format", "vtt", "--out", str(out), "-d", "whisper")
    assert_exit(result, 0)
    assert out.read_text(encoding="utf-8").startswith("WEBVTT")


def test_audio_transcribe_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = azgate("audio", "transcribe", str(tmp_path / "none.mp3"), "-d", "whisper")
    assert_exit(result, 2)
    assert "does not exist" in result.stderr


def test_an_unwritable_out_is_one_line(tmp_path: Path) -> None:
    result = azgate("images", "generate", "a cat", "--out", str(tmp_path / "no" / "dir.png"), "-d", "dall-e-3")
    assert_exit(result, 2)
    assert "cannot write" in error_line(result)
