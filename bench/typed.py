"""The pydantic reference: raw httpx plus a typed pydantic model of each answer, and no SDK.

What any client that hands its user pydantic models pays on top of the floor: the goal rows
are ratios to raw httpx + `json.loads`, and this client shows how much of a gap is the model
library's and how much the SDK's own. The models are written by hand for the bench's bodies
(Azure's filter fields included, unknown fields kept, as azgate's are) and are as small as
that allows; the fresh-process program in coldstart.py declares the chat answer the same way.

Imported by the worker only when this client is measured: importing it imports pydantic.
"""

from __future__ import annotations

import json
from typing import Any

import pydantic

from bench.clients import RawHttpx, Tally, _failed

__all__ = ["ChatCompletionChunk", "RawHttpxPydantic"]


class _Model(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")


class FilterResult(_Model):
    filtered: bool
    severity: str | None = None
    detected: bool | None = None


class FilterResults(_Model):
    hate: FilterResult | None = None
    self_harm: FilterResult | None = None
    sexual: FilterResult | None = None
    violence: FilterResult | None = None
    jailbreak: FilterResult | None = None
    profanity: FilterResult | None = None


class PromptFilterResult(_Model):
    prompt_index: int
    content_filter_results: FilterResults | None = None


class Delta(_Model):
    role: str | None = None
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[dict[str, Any]] | None = None


class ChunkChoice(_Model):
    index: int
    delta: Delta
    finish_reason: str | None = None
    logprobs: dict[str, Any] | None = None
    content_filter_results: FilterResults | None = None


class ChatCompletionChunk(_Model):
    id: str
    object: str
    created: int
    model: str
    system_fingerprint: str | None = None
    choices: list[ChunkChoice]
    prompt_filter_results: list[PromptFilterResult] | None = None
    usage: dict[str, Any] | None = None


class RawHttpxPydantic(RawHttpx):
    """Raw httpx's stream (`iter_lines()`), each event validated into ChatCompletionChunk."""

    def stream(self) -> tuple[int, int]:
        tally = Tally()
        validate = ChatCompletionChunk.model_validate_json
        with self.http.stream("POST", self.chat_url, content=json.dumps(self.stream_body).encode()) as r:
            if r.status_code != 200:
                raise _failed(r.status_code, r.read())
            for line in r.iter_lines():
                if line.startswith("data:"):
                    data = line[5:].strip()
                    if data != "[DONE]":
                        tally.add_model(validate(data))
        return tally.result
