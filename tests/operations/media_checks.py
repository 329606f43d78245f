"""Decoders for the emulator's media, so tests check real bytes, not just lengths."""

from __future__ import annotations

import io
import struct
import wave
import zlib


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG, after checking its chunk CRCs and pixel data."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, width, height, idat = 8, 0, 0, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert len(zlib.decompress(idat)) == height * (1 + 3 * width)
    return width, height


def wav_frames(data: bytes) -> tuple[int, int]:
    """(frames, sample rate) of a WAV file."""
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes(), w.getframerate()


def mp3_frames(data: bytes) -> int:
    """The number of MPEG-1 Layer III frames after the ID3v2 tag."""
    assert data[:3] == b"ID3"
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    pos, frames = 10 + size, 0
    while pos < len(data):
        assert data[pos] == 0xFF and data[pos + 1] & 0xE0 == 0xE0, "frame sync"
        pos += 417
        frames += 1
    assert pos == len(data)
    return frames
