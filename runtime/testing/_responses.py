"""What goes on the wire: handler results, Azure's headers, JSON and SSE framing.

Handlers return a `Reply` (plain data); this module alone turns replies and errors into
starlette responses, so faults can rewrite a reply before it is rendered and every
answer carries the same Azure headers.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response, StreamingResponse

from ._errors import AzureError

__all__ = [
    "CHOICE_FILTER_RESULTS",
    "DONE_FRAME",
    "JsonReply",
    "PROMPT_FILTER_RESULTS",
    "RawReply",
    "Reply",
    "StreamReply",
    "azure_headers",
    "dumps",
    "error_response",
    "json_response",
    "prompt_filter_results",
    "sse_frame",
    "stream_response",
]

_SAFE = {"filtered": False, "severity": "safe"}
# Shared, never mutated: json.dumps only reads them, so one copy serves every response.
CHOICE_FILTER_RESULTS: Mapping[str, Any] = {
    "hate": _SAFE,
    "protected_material_code": {"filtered": False, "detected": False},
    "protected_material_text": {"filtered": False, "detected": False},
    "self_harm": _SAFE,
    "sexual": _SAFE,
    "violence": _SAFE,
}
PROMPT_FILTER_RESULTS: Mapping[str, Any] = {
    "hate": _SAFE,
    "jailbreak": {"filtered": False, "detected": False},
    "self_harm": _SAFE,
    "sexual": _SAFE,
    "violence": _SAFE,
}

RATE_LIMIT_REQUESTS = 1000
RATE_LIMIT_TOKENS = 1_000_000

DONE_FRAME = b"data: [DONE]\n\n"
SSE_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}


@dataclass(slots=True)
class JsonReply:
    body: Mapping[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class StreamReply:
    """Server-sent events: each chunk becomes one `data: <json>` frame, then [DONE].

    `typed`: each frame also names its event (`event: <chunk's type>`) and no [DONE]
    follows, as the Responses API streams. `preamble`: bytes sent first (SSE comments).
    """

    chunks: Sequence[Mapping[str, Any]]
    headers: dict[str, str] = field(default_factory=dict)
    typed: bool = False
    preamble: bytes = b""


@dataclass(slots=True)
class RawReply:
    """Bytes with a media type: speech audio, file content, text transcriptions."""

    content: bytes
    media_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


Reply = JsonReply | StreamReply | RawReply


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def prompt_filter_results(count: int = 1) -> list[dict[str, Any]]:
    return [{"prompt_index": i, "content_filter_results": PROMPT_FILTER_RESULTS} for i in range(count)]


def azure_headers(remaining_requests: int, remaining_tokens: int) -> dict[str, str]:
    """Headers Azure puts on every answer, successes and errors alike."""
    request_id = str(uuid.uuid4())
    return {
        "apim-request-id": request_id,
        "x-request-id": request_id,
        "x-ms-region": "Emulator",
        "x-ratelimit-limit-requests": str(RATE_LIMIT_REQUESTS),
        "x-ratelimit-limit-tokens": str(RATE_LIMIT_TOKENS),
        "x-ratelimit-remaining-requests": str(remaining_requests),
        "x-ratelimit-remaining-tokens": str(remaining_tokens),
    }


def json_response(body: Mapping[str, Any] | bytes, status: int, headers: Mapping[str, str]) -> Response:
    content = body if isinstance(body, bytes) else dumps(body)
    return Response(content, status, headers=dict(headers), media_type="application/json")


def error_response(error: AzureError, headers: Mapping[str, str]) -> Response:
    return json_response(error.body(), error.status, {**headers, **error.headers})


def sse_frame(chunk: Mapping[str, Any], *, typed: bool = False) -> bytes:
    data = b"data: " + dumps(chunk) + b"\n\n"
    kind = chunk.get("type")
    if typed and isinstance(kind, str):
        return b"event: " + kind.encode() + b"\n" + data
    return data


def stream_response(frames: AsyncIterator[bytes], headers: Mapping[str, str]) -> Response:
    return StreamingResponse(
        frames,
        headers={**SSE_HEADERS, **headers},
        media_type="text/event-stream; charset=utf-8",
    )


def frames_of(reply: StreamReply) -> list[bytes]:
    """The SSE frames of a stream reply, [DONE] included where the API sends it."""
    frames = [sse_frame(c, typed=reply.typed) for c in reply.chunks]
    if reply.preamble:
        frames.insert(0, reply.preamble)
    return frames if reply.typed else [*frames, DONE_FRAME]
