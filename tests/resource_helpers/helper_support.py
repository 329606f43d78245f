"""Support for the tests of the resource helpers: one body for both flavours, and
server-sent event bodies for the tests' own server."""

from __future__ import annotations

import json
from typing import Any

from answering_server import Answer

API_VERSION = "2025-04-01-preview"
"""Has structured outputs, the Responses API and uploads."""


async def run_stream(manager: Any, final: str) -> tuple[list[Any], Any]:
    """Enter a stream manager (either flavour), read every event, then call `final`
    ("get_final_completion" / "get_final_response"): (events, its result)."""
    if hasattr(manager, "__aenter__"):
        async with manager as stream:
            events = [event async for event in stream]
            return events, await getattr(stream, final)()
    with manager as stream:
        events = list(stream)
        return events, getattr(stream, final)()


def sse(*events: dict[str, Any], done: bool = True) -> Answer:
    """A text/event-stream answer of these JSON events (and `data: [DONE]`)."""
    lines = [f"data: {json.dumps(event)}\n\n" for event in events]
    if done:
        lines.append("data: [DONE]\n\n")
    return Answer(body="".join(lines).encode(), content_type="text/event-stream")


def chunk(*choices: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A chat completion chunk."""
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gpt-4o",
        "choices": list(choices),
        **fields,
    }


def choice(index: int = 0, finish: str | None = None, **delta: Any) -> dict[str, Any]:
    return {"index": index, "finish_reason": finish, "delta": delta}


def completion(message: dict[str, Any], finish: str = "stop") -> dict[str, Any]:
    """A chat completion with one choice."""
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o",
        "choices": [
            {"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish, "logprobs": None}
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
    }
