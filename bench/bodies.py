"""Response bodies shaped like Azure OpenAI's, rendered once.

What matters for a client benchmark is what the client must parse: Azure's content
filter fields on every choice, `prompt_filter_results`, token-usage details, and a
stream whose first chunk has empty `choices` (Azure sends the prompt filter results
there) and whose last data line is `[DONE]`.
"""

from __future__ import annotations

import json

__all__ = ["CHAT_CONTENT", "EMBEDDING_DIM", "chat_completion", "embeddings", "error", "stream_events"]

CHAT_CONTENT = "Hello! How can I assist you today?"
EMBEDDING_DIM = 1536

_CREATED = 1733000000
_MODEL = "gpt-4o-2024-08-06"
_FINGERPRINT = "fp_04751d0b65"
_COMPLETION_ID = "chatcmpl-B7xYzQ2mN4pR8sT1uV3wX5yZ7aB9c"

_SAFE = {"filtered": False, "severity": "safe"}
_CHOICE_FILTERS = {"hate": _SAFE, "self_harm": _SAFE, "sexual": _SAFE, "violence": _SAFE}
_PROMPT_FILTERS = [
    {
        "prompt_index": 0,
        "content_filter_results": {
            **_CHOICE_FILTERS,
            "jailbreak": {"filtered": False, "detected": False},
        },
    }
]


def _json(obj: object) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def chat_completion() -> bytes:
    return _json(
        {
            "id": _COMPLETION_ID,
            "object": "chat.completion",
            "created": _CREATED,
            "model": _MODEL,
            "system_fingerprint": _FINGERPRINT,
            "prompt_filter_results": _PROMPT_FILTERS,
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "logprobs": None,
                    "message": {"role": "assistant", "content": CHAT_CONTENT, "refusal": None},
                    "content_filter_results": _CHOICE_FILTERS,
                }
            ],
            "usage": {
                "prompt_tokens": 19,
                "completion_tokens": 10,
                "total_tokens": 29,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {
                    "reasoning_tokens": 0,
                    "audio_tokens": 0,
                    "accepted_prediction_tokens": 0,
                    "rejected_prediction_tokens": 0,
                },
            },
        }
    )


def _chunk(choice: dict[str, object]) -> bytes:
    return _json(
        {
            "id": _COMPLETION_ID,
            "object": "chat.completion.chunk",
            "created": _CREATED,
            "model": _MODEL,
            "system_fingerprint": _FINGERPRINT,
            "choices": [choice],
        }
    )


def stream_events(content_chunks: int) -> list[bytes]:
    """The data lines of a chat stream: Azure's prompt-filter chunk, `content_chunks` chunks
    with content (the first also carries the role), the finish chunk, and `[DONE]`.
    A client that parses it sees `content_chunks + 2` chunks."""
    first = _json(
        {"id": "", "object": "", "created": 0, "model": "", "choices": [], "prompt_filter_results": _PROMPT_FILTERS}
    )
    events = [first]
    for i in range(content_chunks):
        if i == 0:
            delta: dict[str, object] = {"role": "assistant", "content": "", "refusal": None}
            filters: dict[str, object] = {}
        else:
            delta = {"content": f" word{i % 997}"}
            filters = dict(_CHOICE_FILTERS)
        events.append(
            _chunk(
                {"index": 0, "delta": delta, "finish_reason": None, "logprobs": None, "content_filter_results": filters}
            )
        )
    events.append(
        _chunk({"index": 0, "delta": {}, "finish_reason": "stop", "logprobs": None, "content_filter_results": {}})
    )
    return [b"data: " + event + b"\n\n" for event in events] + [b"data: [DONE]\n\n"]


def embeddings(inputs: int) -> bytes:
    vector = [round(((i * 7919) % 2003 - 1001) / 1001, 6) for i in range(EMBEDDING_DIM)]
    return _json(
        {
            "object": "list",
            "model": "text-embedding-3-small",
            "data": [{"object": "embedding", "index": i, "embedding": vector} for i in range(inputs)],
            "usage": {"prompt_tokens": 4 * inputs, "total_tokens": 4 * inputs},
        }
    )


def error(code: str, message: str) -> bytes:
    return _json({"error": {"code": code, "message": message}})
