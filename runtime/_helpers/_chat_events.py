"""The events `client.chat.completions.stream(...)` yields, named and shaped as
openai-python's (`event.type` tells them apart), so a loop written for its
`ChatCompletionStreamManager` runs unchanged:

| `type` | fields |
|---|---|
| `chunk` | `chunk` (the raw chunk), `snapshot` (the completion so far) |
| `content.delta` / `content.done` | `delta`, `snapshot`, `parsed` (partial JSON) / `content`, `parsed` |
| `refusal.delta` / `refusal.done` | `delta`, `snapshot` / `refusal` |
| `tool_calls.function.arguments.delta` | `name`, `index`, `arguments`, `parsed_arguments`, `arguments_delta` |
| `tool_calls.function.arguments.done` | `name`, `index`, `arguments`, `parsed_arguments` |
| `logprobs.content.delta` / `.done`, `logprobs.refusal.delta` / `.done` | the token logprobs |
"""

from __future__ import annotations

from typing import Any, Generic, Literal, Union

from typing_extensions import TypeAliasType

from .._core._models import BaseModel
from ..generated.models import ChatCompletionTokenLogprob, CreateChatCompletionStreamResponse
from ._parsed import ContentT, ParsedChatCompletion

__all__ = [
    "ChatCompletionStreamEvent",
    "ChunkEvent",
    "ContentDeltaEvent",
    "ContentDoneEvent",
    "FunctionToolCallArgumentsDeltaEvent",
    "FunctionToolCallArgumentsDoneEvent",
    "LogprobsContentDeltaEvent",
    "LogprobsContentDoneEvent",
    "LogprobsRefusalDeltaEvent",
    "LogprobsRefusalDoneEvent",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
]


class ChunkEvent(BaseModel):
    """Every chunk, first, with the completion accumulated so far."""

    type: Literal["chunk"]
    chunk: CreateChatCompletionStreamResponse
    snapshot: ParsedChatCompletion[Any]


class ContentDeltaEvent(BaseModel):
    type: Literal["content.delta"]
    delta: str
    snapshot: str
    """The content so far."""
    parsed: object = None
    """The content so far read as partial JSON (with a `response_format` class)."""


class ContentDoneEvent(BaseModel, Generic[ContentT]):
    type: Literal["content.done"]
    content: str
    parsed: ContentT | None = None
    """The content as the `response_format` class."""


class RefusalDeltaEvent(BaseModel):
    type: Literal["refusal.delta"]
    delta: str
    snapshot: str


class RefusalDoneEvent(BaseModel):
    type: Literal["refusal.done"]
    refusal: str


class FunctionToolCallArgumentsDeltaEvent(BaseModel):
    type: Literal["tool_calls.function.arguments.delta"]
    name: str
    index: int
    """The call's place among the choice's tool calls."""
    arguments: str
    """The arguments so far (JSON text)."""
    parsed_arguments: object
    """The arguments so far read as partial JSON (for a strict tool), else None."""
    arguments_delta: str


class FunctionToolCallArgumentsDoneEvent(BaseModel):
    type: Literal["tool_calls.function.arguments.done"]
    name: str
    index: int
    arguments: str
    parsed_arguments: object
    """The tool's pydantic model (pydantic_function_tool), a dict (a strict tool), or None."""


class LogprobsContentDeltaEvent(BaseModel):
    type: Literal["logprobs.content.delta"]
    content: list[ChatCompletionTokenLogprob]
    snapshot: list[ChatCompletionTokenLogprob]


class LogprobsContentDoneEvent(BaseModel):
    type: Literal["logprobs.content.done"]
    content: list[ChatCompletionTokenLogprob]


class LogprobsRefusalDeltaEvent(BaseModel):
    type: Literal["logprobs.refusal.delta"]
    refusal: list[ChatCompletionTokenLogprob]
    snapshot: list[ChatCompletionTokenLogprob]


class LogprobsRefusalDoneEvent(BaseModel):
    type: Literal["logprobs.refusal.done"]
    refusal: list[ChatCompletionTokenLogprob]


# A TypeAliasType, so `ChatCompletionStreamEvent[Answer]` also works at run time.
ChatCompletionStreamEvent = TypeAliasType(
    "ChatCompletionStreamEvent",
    Union[
        ChunkEvent,
        ContentDeltaEvent,
        ContentDoneEvent[ContentT],
        RefusalDeltaEvent,
        RefusalDoneEvent,
        FunctionToolCallArgumentsDeltaEvent,
        FunctionToolCallArgumentsDoneEvent,
        LogprobsContentDeltaEvent,
        LogprobsContentDoneEvent,
        LogprobsRefusalDeltaEvent,
        LogprobsRefusalDoneEvent,
    ],
    type_params=(ContentT,),
)
