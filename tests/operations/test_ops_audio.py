"""audio.speech, audio.transcriptions and audio.translations against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from azgate import BinaryResponse
from azgate.exceptions import BadRequestError, UnsupportedByApiVersionError
from azgate.generated import models
from azgate.testing import Emulator
from helpers import make_client, resolve
from media_checks import mp3_frames, wav_frames

SPEECH_VERSION = "2025-04-01-preview"  # speech is not in 2024-10-21


@pytest.fixture
async def speech_client(flavour: str, emulator: Emulator) -> Any:
    client = make_client(flavour, emulator, api_version=SPEECH_VERSION)
    yield client
    await resolve(client.close())


async def test_speech_default_is_mp3(speech_client: Any) -> None:
    audio = await resolve(speech_client.audio.speech.create(model="tts", input="hello there world", voice="alloy"))
    assert isinstance(audio, BinaryResponse)
    assert audio.response.headers["content-type"] == "audio/mpeg"
    assert mp3_frames(audio.content) >= 1


async def test_speech_wav_is_a_wav_file(speech_client: Any) -> None:
    audio = await resolve(
        speech_client.audio.speech.create(model="tts", input="one two three", voice="nova", response_format="wav")
    )
    frames, rate = wav_frames(audio.content)
    assert rate == 24_000 and frames == 3 * 2_400  # a tenth of a second per word


async def test_speech_then_transcription_round_trips(speech_client: Any) -> None:
    audio = await resolve(
        speech_client.audio.speech.create(
            model="tts", input="the quick brown fox", voice="alloy", response_format="wav"
        )
    )
    text = await resolve(
        speech_client.audio.transcriptions.create(model="whisper", file=("speech.wav", audio.content, "audio/wav"))
    )
    assert isinstance(text, models.AudioVerboseResponse) and text.text == "the quick brown fox"


async def test_speech_on_a_version_without_it_fails_before_sending(client: Any) -> None:
    with pytest.raises(UnsupportedByApiVersionError):
        await resolve(client.audio.speech.create(model="tts", input="x", voice="alloy"))


async def test_transcription_formats(client: Any) -> None:
    upload = ("meeting.mp3", b"ID3not really audio", "audio/mpeg")
    as_json = await resolve(client.audio.transcriptions.create(model="whisper", file=upload))
    assert as_json.text == "Transcript of meeting.mp3." and as_json.segments is None
    text = await resolve(client.audio.transcriptions.create(model="whisper", file=upload, response_format="text"))
    assert text == "Transcript of meeting.mp3."
    srt = await resolve(client.audio.transcriptions.create(model="whisper", file=upload, response_format="srt"))
    assert srt.startswith("1\n00:00:00,000 --> 00:00:01,500\nTranscript of meeting.mp3.")
    vtt = await resolve(client.audio.transcriptions.create(model="whisper", file=upload, response_format="vtt"))
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n")


async def test_verbose_json_with_word_timestamps(speech_client: Any) -> None:
    # timestamp_granularities first appears in 2025-03-01-preview.
    client = speech_client
    verbose = await resolve(
        client.audio.transcriptions.create(
            model="whisper",
            file=("a.wav", b"RIFF....", "audio/wav"),
            response_format="verbose_json",
            language="en",
            timestamp_granularities=["word", "segment"],
        )
    )
    assert verbose.task == "transcribe" and verbose.language == "en"
    assert verbose.text == "Transcript of a.wav." and verbose.duration == 1.5
    assert [w.word for w in verbose.words] == ["Transcript", "of", "a.wav."]
    assert verbose.segments[0].end == 1.5
    plain = await resolve(
        client.audio.transcriptions.create(model="whisper", file=b"abc", response_format="verbose_json")
    )
    assert plain.words is None and plain.segments


async def test_translation(client: Any) -> None:
    reply = await resolve(
        client.audio.translations.create(
            model="whisper", file=("hola.mp3", b"x", "audio/mpeg"), response_format="verbose_json"
        )
    )
    assert reply.task == "translate" and reply.language == "english"
    assert reply.text == "In English: Transcript of hola.mp3."


async def test_empty_audio_is_a_bad_request(client: Any) -> None:
    with pytest.raises(BadRequestError) as caught:
        await resolve(client.audio.transcriptions.create(model="whisper", file=("empty.wav", b"", "audio/wav")))
    assert caught.value.param == "file"
