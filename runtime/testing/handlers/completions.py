"""Completions_Create: text "You said: <prompt>" per prompt and per n."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._call import Call
from .._errors import invalid_request
from .._responses import (
    CHOICE_FILTER_RESULTS,
    JsonReply,
    Reply,
    StreamReply,
    prompt_filter_results,
)
from ._text import choice_count, count_tokens, new_id, now, pieces, truncate

__all__ = ["create_completion", "prompts_of"]


def prompts_of(value: Any, field: str) -> list[tuple[str, int]]:
    """(text, token count) per prompt/input: a string, strings, tokens, or token lists."""
    if value is None:
        return [("", 0)]
    if isinstance(value, str):
        return [(value, count_tokens(value))]
    if isinstance(value, list) and value and all(isinstance(t, int) for t in value):
        return [(" ".join(map(str, value)), len(value))]
    if isinstance(value, list) and value:
        out: list[tuple[str, int]] = []
        for item in value:
            if isinstance(item, str):
                out.append((item, count_tokens(item)))
            elif isinstance(item, list) and all(isinstance(t, int) for t in item):
                out.append((" ".join(map(str, item)), len(item)))
            else:
                raise invalid_request(
                    f"Invalid value for '{field}': each item must be a string or a list "
                    f"of token ids, got {type(item).__name__}.",
                    param=field,
                )
        return out
    raise invalid_request(
        f"Invalid value for '{field}': expected a string, a list of strings or token ids, "
        f"got {type(value).__name__}{' (empty)' if value == [] else ''}.",
        param=field,
    )


def create_completion(call: Call) -> Reply:
    body = call.body
    prompts = prompts_of(body.get("prompt"), "prompt")
    n = choice_count(body)
    echo = body.get("echo") is True
    texts: list[tuple[str, str]] = []  # (text, finish_reason) per choice
    for prompt, _ in prompts:
        answer, cut = truncate(f"You said: {prompt}", body.get("max_tokens"))
        for _ in range(n):
            texts.append(((prompt if echo else "") + answer, "length" if cut else "stop"))
    prompt_tokens = sum(tokens for _, tokens in prompts)
    completion_tokens = sum(count_tokens(text) for text, _ in texts)
    usage = {
        "completion_tokens": completion_tokens,
        "prompt_tokens": prompt_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
    head = {"created": now(), "id": new_id("cmpl-"), "model": call.model}
    if call.stream:
        return StreamReply(_stream(head, texts, len(prompts), usage, body.get("stream_options")))
    choices = [
        {
            "content_filter_results": CHOICE_FILTER_RESULTS,
            "finish_reason": finish,
            "index": i,
            "logprobs": None,
            "text": text,
        }
        for i, (text, finish) in enumerate(texts)
    ]
    return JsonReply(
        {
            **head,
            "object": "text_completion",
            "choices": choices,
            "prompt_filter_results": prompt_filter_results(len(prompts)),
            "usage": usage,
        }
    )


def _stream(
    head: Mapping[str, Any],
    texts: list[tuple[str, str]],
    prompt_count: int,
    usage: Mapping[str, int],
    stream_options: Any,
) -> list[dict[str, Any]]:
    include_usage = isinstance(stream_options, Mapping) and stream_options.get("include_usage")
    base: dict[str, Any] = {**head, "object": "text_completion"}
    if include_usage:
        base["usage"] = None
    chunks: list[dict[str, Any]] = [
        {
            "choices": [],
            "created": 0,
            "id": "",
            "model": "",
            "object": "",
            "prompt_filter_results": prompt_filter_results(prompt_count),
        }
    ]
    for i, (text, finish) in enumerate(texts):
        for piece in pieces(text):
            choice = {
                "content_filter_results": CHOICE_FILTER_RESULTS,
                "finish_reason": None,
                "index": i,
                "logprobs": None,
                "text": piece,
            }
            chunks.append({**base, "choices": [choice]})
        last = {
            "content_filter_results": {},
            "finish_reason": finish,
            "index": i,
            "logprobs": None,
            "text": "",
        }
        chunks.append({**base, "choices": [last]})
    if include_usage:
        chunks.append({**base, "choices": [], "usage": dict(usage)})
    return chunks
