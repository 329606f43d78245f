"""`azgate images generate`, `azgate audio speak`, `azgate audio transcribe`."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Any

import click

from .. import NOT_GIVEN
from ._exit import CliError, ExitCode
from ._output import emit_json, note
from ._settings import ClientFlags, client_options, json_option

__all__ = ["COMMANDS"]

_SPEECH_FORMATS = ("mp3", "opus", "aac", "flac", "wav", "pcm")
_VOICES = ("alloy", "echo", "fable", "onyx", "nova", "shimmer")
_TRANSCRIPT_FORMATS = ("text", "json", "verbose_json", "srt", "vtt")


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _numbered(path: Path, index: int, count: int) -> Path:
    """out.png for one image; out-1.png, out-2.png, ... for several."""
    return path if count == 1 else path.with_name(f"{path.stem}-{index + 1}{path.suffix}")


# -- images ----------------------------------------------------------------------------


@click.group()
def images() -> None:
    """Image generation."""


@images.command("generate")
@click.argument("prompt")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the image here.")
@click.option("--size", help="e.g. 1024x1024, 1792x1024, 1024x1792.")
@click.option("--quality", help="e.g. standard, hd (dall-e-3); low, medium, high (gpt-image-1).")
@click.option("-n", "count", type=click.IntRange(min=1, max=10), default=1, show_default=True, help="Images.")
@json_option
@client_options
def images_generate(
    prompt: str, out: Path | None, size: str | None, quality: str | None, count: int, as_json: bool, flags: ClientFlags
) -> None:
    """Generate an image from PROMPT; write it to --out, or print its URL."""
    deployment = flags.model("images generate")
    options: dict[str, Any] = {
        "size": size or NOT_GIVEN,
        "quality": quality or NOT_GIVEN,
        "n": count if count != 1 else NOT_GIVEN,
        # With --out, ask for the bytes: no second download from another origin.
        "response_format": "b64_json" if out is not None else NOT_GIVEN,
    }
    with flags.client() as client:
        result = client.images.generate(model=deployment, prompt=prompt, **options)
    items = result.data or []
    if not items:
        raise CliError("the service returned no image", ExitCode.API_ERROR)
    written: list[str] = []
    if out is not None:
        for index, item in enumerate(items):
            if not item.b64_json:
                raise CliError("the service returned a URL, not the image bytes; run without --out", ExitCode.API_ERROR)
            try:
                data = base64.b64decode(item.b64_json, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise CliError(f"the service returned an image that is not base64: {exc}", ExitCode.API_ERROR) from exc
            target = _numbered(out, index, len(items))
            _write(target, data)
            written.append(str(target))
    if as_json:
        document = result.model_dump(mode="json", exclude_unset=True)
        for item in document.get("data") or []:
            if isinstance(item, dict) and item.get("b64_json") and out is not None:
                item["b64_json"] = None  # written to a file; not echoed
        emit_json({**document, "files": written} if written else document)
        return
    paths: list[str | None] = list(written) or [None] * len(items)
    for item, path in zip(items, paths, strict=True):
        if path is not None:
            click.echo(path)
        elif item.url:
            click.echo(item.url)
        else:
            note("the image came back as base64; pass --out FILE to save it")
        if item.revised_prompt:
            note(f"revised prompt: {item.revised_prompt}")


# -- audio -----------------------------------------------------------------------------


@click.group()
def audio() -> None:
    """Speech and transcription."""


@audio.command("speak")
@click.argument("text")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Audio file.")
@click.option("--voice", type=click.Choice(_VOICES), default="alloy", show_default=True)
@click.option(
    "--format",
    "audio_format",
    type=click.Choice(_SPEECH_FORMATS),
    help="Audio format (default: from --out's suffix, else mp3).",
)
@click.option("--speed", type=click.FloatRange(0.25, 4.0), help="0.25 to 4.0.")
@client_options
def audio_speak(
    text: str, out: Path, voice: str, audio_format: str | None, speed: float | None, flags: ClientFlags
) -> None:
    """Say TEXT with a text-to-speech deployment; write the audio to --out."""
    deployment = flags.model("audio speak")
    suffix = out.suffix.lower().lstrip(".")
    chosen = audio_format or (suffix if suffix in _SPEECH_FORMATS else "mp3")
    with flags.client() as client:
        speech = client.audio.speech.create(
            model=deployment,
            input=text,
            voice=voice,  # type: ignore[arg-type]  # checked by click.Choice
            response_format=chosen,  # type: ignore[arg-type]
            speed=speed if speed is not None else NOT_GIVEN,
        )
        data = speech.content
    _write(out, data)
    note(f"wrote {out} ({len(data)} bytes, {chosen})")


@audio.command("transcribe")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "transcript_format",
    type=click.Choice(_TRANSCRIPT_FORMATS),
    default="text",
    show_default=True,
    help="srt and vtt are subtitles.",
)
@click.option("--language", help="The spoken language (ISO-639-1, e.g. en), if known.")
@click.option("--prompt", help="Text to guide the style or spelling.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the transcript here.")
@json_option
@client_options
def audio_transcribe(
    file: Path,
    transcript_format: str,
    language: str | None,
    prompt: str | None,
    out: Path | None,
    as_json: bool,
    flags: ClientFlags,
) -> None:
    """Transcribe the audio FILE with a speech-to-text (whisper) deployment."""
    deployment = flags.model("audio transcribe")
    wire_format = "verbose_json" if as_json and transcript_format == "text" else transcript_format
    with flags.client() as client:
        result = client.audio.transcriptions.create(
            model=deployment,
            file=file,
            response_format=wire_format,  # type: ignore[arg-type]  # checked by click.Choice
            language=language or NOT_GIVEN,
            prompt=prompt or NOT_GIVEN,
        )
    if as_json and not isinstance(result, str):
        emit_json(result)
        return
    text = result if isinstance(result, str) else result.text
    if out is not None:
        _write(out, text.encode("utf-8"))
        note(f"wrote {out}")
    elif as_json:
        emit_json({"text": text, "format": transcript_format})
    else:
        click.echo(text.rstrip("\n"))


COMMANDS = [images, audio]
