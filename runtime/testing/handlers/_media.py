"""Small, valid, deterministic media: PNG images and speech audio.

Tiny on purpose (an 8x8 PNG whatever `size` says, a tenth of a second of audio per
word): a test wants bytes a decoder accepts, not pixels. Speech carries its input text
in a tag (a RIFF LIST/INFO chunk, an ID3v2 TXXX frame) that players ignore and the
transcription handler reads back, so speech -> transcription round-trips.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

__all__ = ["AUDIO_MEDIA_TYPES", "png", "speech_audio", "spoken_text"]

SAMPLE_RATE = 24_000  # OpenAI's TTS rate
_SECONDS_PER_WORD = 0.1
_TAG = b"azgate-text:"

AUDIO_MEDIA_TYPES = {
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "flac": "audio/flac",
    "pcm": "audio/pcm",
    "opus": "audio/ogg",
    "aac": "audio/aac",
}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(seed: str, size: int = 8) -> bytes:
    """A size x size RGB PNG in one colour derived from `seed`, with a diagonal line."""
    r, g, b = hashlib.sha256(seed.encode()).digest()[:3]
    rows = []
    for y in range(size):
        pixels = b"".join(bytes((255 - r, 255 - g, 255 - b)) if x == y else bytes((r, g, b)) for x in range(size))
        rows.append(b"\x00" + pixels)  # filter type 0 per scanline
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + _chunk(b"IEND", b"")
    )


def _pcm(text: str) -> bytes:
    """16-bit mono silence, long in proportion to the words."""
    words = max(1, len(text.split()))
    return b"\x00\x00" * int(SAMPLE_RATE * _SECONDS_PER_WORD * words)


def _wav(text: str) -> bytes:
    pcm = _pcm(text)
    fmt = struct.pack("<HHIIHH", 1, 1, SAMPLE_RATE, SAMPLE_RATE * 2, 2, 16)
    info = _TAG + text.encode()
    if len(info) % 2:
        info += b"\x00"  # RIFF chunks are word-aligned
    listing = b"INFO" + b"ICMT" + struct.pack("<I", len(info)) + info
    body = (
        b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"LIST"
        + struct.pack("<I", len(listing))
        + listing
        + b"data"
        + struct.pack("<I", len(pcm))
        + pcm
    )
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _syncsafe(n: int) -> bytes:
    return bytes(((n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F))


def _mp3(text: str) -> bytes:
    """ID3v2.4 tag with a TXXX frame, then silent MPEG-1 Layer III frames (128 kbit/s,
    44.1 kHz, mono): each frame is a header and zeroed side info, i.e. silence."""
    frame_body = b"\x03" + _TAG + b"\x00" + text.encode()  # encoding 3 = UTF-8
    frame = b"TXXX" + _syncsafe(len(frame_body)) + b"\x00\x00" + frame_body
    tag = b"ID3\x04\x00\x00" + _syncsafe(len(frame)) + frame
    header = b"\xff\xfb\x90\xc4"
    length = 144 * 128_000 // 44_100  # 417 bytes, no padding
    frames = max(1, round(len(text.split()) * _SECONDS_PER_WORD * 44_100 / 1152))
    return tag + (header + b"\x00" * (length - 4)) * frames


def _flac() -> bytes:
    """A FLAC stream with only its STREAMINFO block: valid, zero samples."""
    info = struct.pack(">HH", 4096, 4096) + b"\x00" * 6
    # 20 bits rate, 3 bits channels-1, 5 bits bits-per-sample-1, 36 bits total samples.
    packed = (SAMPLE_RATE << 44) | (0 << 41) | (15 << 36)
    info += packed.to_bytes(8, "big") + b"\x00" * 16
    return b"fLaC" + bytes((0x80,)) + len(info).to_bytes(3, "big") + info


def speech_audio(text: str, response_format: str) -> bytes:
    if response_format == "wav":
        return _wav(text)
    if response_format == "pcm":
        return _pcm(text)
    if response_format == "flac":
        return _flac()
    if response_format == "opus":
        # An Ogg capture pattern only: enough for a type sniffer, not for a decoder.
        return b"OggS" + b"\x00" * 23
    if response_format == "aac":
        return b"\xff\xf1\x50\x80\x01\x7f\xfc"  # one ADTS header, no payload
    return _mp3(text)


def _unsyncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def spoken_text(audio: bytes) -> str | None:
    """The text speech_audio() tagged into `audio`, if it was made here."""
    at = audio.find(_TAG)
    if at < 0:
        return None
    if audio.startswith(b"RIFF"):  # ICMT chunk: its size precedes the tag
        (size,) = struct.unpack("<I", audio[at - 4 : at])
        text = audio[at + len(_TAG) : at + size]
    elif audio.startswith(b"ID3"):  # TXXX: description, NUL, value up to the tag's end
        text = audio[at + len(_TAG) + 1 : 10 + _unsyncsafe(audio[6:10])]
    else:
        return None
    return text.rstrip(b"\x00").decode("utf-8", "replace")
