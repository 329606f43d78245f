"""Speech_Create, Transcriptions_Create, Translations_Create.

Speech returns real (silent) audio in the asked format, mp3 by default as OpenAI does,
tagged with its input text. Transcription reads that tag back, so speech -> text
round-trips; any other upload transcribes to "Transcript of <filename>." Translation
says the same in English. Text formats (text, srt, vtt) are text/plain, as Azure sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._call import Call
from .._errors import invalid_request
from .._responses import JsonReply, RawReply, Reply
from ._media import AUDIO_MEDIA_TYPES, speech_audio, spoken_text

__all__ = ["create_speech", "create_transcription", "create_translation"]

_SECONDS_PER_WORD = 0.5  # spoken pace of the transcript's timestamps
_WORDS_PER_SEGMENT = 8


def create_speech(call: Call) -> Reply:
    text = str(call.body.get("input", ""))
    if not text:
        raise invalid_request("'input' must be a non-empty string", param="input")
    response_format = str(call.body.get("response_format") or "mp3")
    if response_format not in AUDIO_MEDIA_TYPES:
        raise invalid_request(
            f"Invalid value for 'response_format': {response_format!r}; expected one of {', '.join(AUDIO_MEDIA_TYPES)}.",
            param="response_format",
        )
    return RawReply(speech_audio(text, response_format), AUDIO_MEDIA_TYPES[response_format])


async def _heard(call: Call) -> str:
    upload = call.body.get("file")
    if upload is None or isinstance(upload, str):
        raise invalid_request("'file' must be an uploaded audio file", param="file")
    content: bytes = await upload.read()
    if not content:
        raise invalid_request("The audio file is empty.", param="file")
    said = spoken_text(content)
    return said if said else f"Transcript of {getattr(upload, 'filename', None) or 'audio'}."


def _timestamp(seconds: float, comma: bool) -> str:
    millis = round(seconds * 1000)
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{',' if comma else '.'}{ms:03d}"


def _segments(text: str) -> list[dict[str, Any]]:
    words = text.split()
    out = []
    for index, start in enumerate(range(0, len(words), _WORDS_PER_SEGMENT)):
        chunk = words[start : start + _WORDS_PER_SEGMENT]
        begin = start * _SECONDS_PER_WORD
        out.append(
            {
                "id": index,
                "seek": 0,
                "start": begin,
                "end": begin + len(chunk) * _SECONDS_PER_WORD,
                "text": " " + " ".join(chunk),
                "tokens": [float(50364 + i) for i in range(len(chunk))],
                "temperature": 0.0,
                "avg_logprob": -0.2,
                "compression_ratio": 1.0,
                "no_speech_prob": 0.01,
            }
        )
    return out


def _granularities(body: Mapping[str, Any]) -> list[str]:
    raw = body.get("timestamp_granularities[]", body.get("timestamp_granularities", []))
    return [str(v) for v in (raw if isinstance(raw, list) else [raw])]


def _render(text: str, body: Mapping[str, Any], task: str) -> Reply:
    response_format = str(body.get("response_format") or "json")
    segments = _segments(text)
    if response_format == "json":
        return JsonReply({"text": text})
    if response_format == "text":
        return RawReply(text.encode(), "text/plain; charset=utf-8")
    if response_format in ("srt", "vtt"):
        srt = response_format == "srt"
        cues = [
            (f"{s['id'] + 1}\n" if srt else "")
            + f"{_timestamp(s['start'], srt)} --> {_timestamp(s['end'], srt)}\n{s['text'].strip()}\n"
            for s in segments
        ]
        document = "\n".join(cues) if srt else "WEBVTT\n\n" + "\n".join(cues)
        return RawReply(document.encode(), "text/plain; charset=utf-8")
    if response_format != "verbose_json":
        raise invalid_request(
            f"Invalid value for 'response_format': {response_format!r}; expected json, text, srt, verbose_json or vtt.",
            param="response_format",
        )
    language = "english" if task == "translate" else str(body.get("language") or "english")
    verbose: dict[str, Any] = {
        "task": task,
        "language": language,
        "duration": len(text.split()) * _SECONDS_PER_WORD,
        "text": text,
    }
    granularities = _granularities(body)
    if not granularities or "segment" in granularities:
        verbose["segments"] = segments
    if "word" in granularities:
        verbose["words"] = [
            {"word": w, "start": i * _SECONDS_PER_WORD, "end": (i + 1) * _SECONDS_PER_WORD}
            for i, w in enumerate(text.split())
        ]
    return JsonReply(verbose)


async def create_transcription(call: Call) -> Reply:
    return _render(await _heard(call), call.body, "transcribe")


async def create_translation(call: Call) -> Reply:
    heard = await _heard(call)
    return _render(f"In English: {heard}", call.body, "translate")
