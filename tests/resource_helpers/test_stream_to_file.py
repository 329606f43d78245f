"""`with_streaming_response` bodies written to a file as they arrive (openai-python's
`response.stream_to_file(path)`, as its audio example uses it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import resolve


async def test_speech_streamed_to_a_file(ours: Any, tmp_path: Path) -> None:
    path = tmp_path / "speech.mp3"
    manager = ours.audio.speech.with_streaming_response.create(model="tts", voice="alloy", input="hello there")
    if hasattr(manager, "__aenter__"):
        async with manager as response:
            await response.stream_to_file(path)
    else:
        with manager as response:
            response.stream_to_file(path, chunk_size=1024)
    whole = await resolve(ours.audio.speech.create(model="tts", voice="alloy", input="hello there"))
    assert path.read_bytes() == whole.content and len(whole.content) > 1024
