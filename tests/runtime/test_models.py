"""The generated models' `model_extra` against openai-python's on the same Azure answers:
code written for openai-python reads Azure's own fields (content filtering, On Your Data)
from `model_extra`, as JSON, and must find there what it finds with openai-python."""

from __future__ import annotations

import json
from typing import Any

import pytest
from azgate.generated import models
from openai.types import Completion
from openai.types.chat import ChatCompletion, ChatCompletionChunk

_SEVERITIES = {
    "hate": {"filtered": False, "severity": "safe"},
    "self_harm": {"filtered": False, "severity": "safe"},
    "sexual": {"filtered": False, "severity": "low"},
    "violence": {"filtered": True, "severity": "medium"},
}
_PROMPT_FILTERS = [
    {"prompt_index": 0, "content_filter_results": {**_SEVERITIES, "jailbreak": {"filtered": False, "detected": False}}}
]

CHAT = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1733000000,
    "model": "gpt-4o-2024-08-06",
    "prompt_filter_results": _PROMPT_FILTERS,
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "logprobs": None,
            "message": {
                "role": "assistant",
                "content": "Hi",
                "context": {"citations": [{"content": "doc", "title": "t"}], "intent": "[\"hi\"]"},
                "end_turn": True,
            },
            "content_filter_results": {**_SEVERITIES, "custom_blocklists": {"filtered": False, "details": []}},
            "a_field_azure_adds_next_year": {"x": 1},
        }
    ],
    "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
}
CHUNK = {
    "id": "chatcmpl-1",
    "object": "chat.completion.chunk",
    "created": 1733000000,
    "model": "gpt-4o",
    "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": None, "content_filter_results": None}],
}
COMPLETION = {
    "id": "cmpl-1",
    "object": "text_completion",
    "created": 1733000000,
    "model": "gpt-35-turbo-instruct",
    "prompt_filter_results": _PROMPT_FILTERS,
    "choices": [
        {"index": 0, "text": "Hi", "finish_reason": "stop", "logprobs": None, "content_filter_results": _SEVERITIES}
    ],
}


def _objects(body: dict[str, Any], ours: Any, theirs: Any) -> list[tuple[Any, Any]]:
    """Pairs of (azgate object, openai-python object) through the answer's tree."""
    mine, other = ours.model_validate_json(json.dumps(body)), theirs.model_validate(body)
    pairs = [(mine, other)]
    for a, b in zip(mine.choices, other.choices, strict=True):
        pairs.append((a, b))
        for name in ("message", "delta"):
            if hasattr(b, name):
                pairs.append((getattr(a, name), getattr(b, name)))
    return pairs


@pytest.mark.parametrize(
    ("body", "ours", "theirs"),
    [
        (CHAT, models.CreateChatCompletionResponse, ChatCompletion),
        (CHUNK, models.CreateChatCompletionStreamResponse, ChatCompletionChunk),
        (COMPLETION, models.CreateCompletionResponse, Completion),
    ],
    ids=["chat", "chunk", "completion"],
)
def test_model_extra_holds_what_openai_python_keeps_there(body: dict[str, Any], ours: Any, theirs: Any) -> None:
    for mine, other in _objects(body, ours, theirs):
        assert mine.model_extra == other.model_extra, type(mine).__name__


def test_azure_fields_stay_typed_and_are_dumped_once() -> None:
    reply = models.CreateChatCompletionResponse.model_validate_json(json.dumps(CHAT))
    assert reply.prompt_filter_results[0].content_filter_results.violence.severity == "medium"
    assert reply.model_extra["prompt_filter_results"] == _PROMPT_FILTERS
    assert reply.to_dict() == CHAT  # model_extra is a view: nothing is written twice
    # an object with no Azure field and nothing unknown: pydantic's own (empty) extra
    usage = reply.usage
    assert usage is not None and usage.model_extra == {}
