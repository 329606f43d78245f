"""The types `parse()` and `stream()` return: the generated response models with the
parsed content beside the raw text, named as openai-python names them.

`ParsedChatCompletion[T].choices[i].message.parsed` is a `T` (the `response_format`
class), `.tool_calls[j].function.parsed_arguments` the call's arguments read back;
`ParsedResponse[T].output_parsed` is the first parsed output text. Each is a subclass
of the generated model, so everything else reads as on `create()`'s result.

They are built from an already-parsed response without validating again (`copy_as`):
a response read leniently (a field missing, an unknown value) stays as it came.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import pydantic

from ..generated import models as _models

__all__ = [
    "ContentT",
    "ParsedChatCompletion",
    "ParsedChatCompletionMessage",
    "ParsedChoice",
    "ParsedFunction",
    "ParsedFunctionToolCall",
    "ParsedResponse",
    "ParsedResponseFunctionToolCall",
    "ParsedResponseOutputMessage",
    "ParsedResponseOutputText",
    "copy_as",
]

ContentT = TypeVar("ContentT")
_M = TypeVar("_M", bound=pydantic.BaseModel)

# The overrides below narrow a field to the subclass that carries the parsed value;
# pydantic reads them as the new field types, mypy sees an invariant `list` change.


class ParsedFunction(_models.ChatCompletionMessageToolCallFunction):
    parsed_arguments: object = None
    """The arguments as the tool's pydantic model (pydantic_function_tool), as a dict
    (a strict tool), else None."""


class ParsedFunctionToolCall(_models.ChatCompletionMessageToolCall):
    function: ParsedFunction


class ParsedChatCompletionMessage(_models.ChatCompletionResponseMessage, Generic[ContentT]):
    parsed: ContentT | None = None
    """The content as the `response_format` class; None without one, and on a refusal."""
    tool_calls: list[ParsedFunctionToolCall] | None = None  # type: ignore[assignment]


class ParsedChoice(_models.CreateChatCompletionResponseChoicesItem, Generic[ContentT]):
    message: ParsedChatCompletionMessage[ContentT]


class ParsedChatCompletion(_models.CreateChatCompletionResponse, Generic[ContentT]):
    choices: list[ParsedChoice[ContentT]]  # type: ignore[assignment]


class ParsedResponseOutputText(_models.OutputText, Generic[ContentT]):
    parsed: ContentT | None = None
    """The text as the `text_format` class; None without one."""


class ParsedResponseOutputMessage(_models.OutputMessage, Generic[ContentT]):
    content: list[ParsedResponseOutputText[ContentT] | _models.Refusal]  # type: ignore[assignment]


class ParsedResponseFunctionToolCall(_models.FunctionToolCall):
    parsed_arguments: object = None
    """As `ParsedFunction.parsed_arguments`."""


class ParsedResponse(_models.Response, Generic[ContentT]):
    output: list[  # type: ignore[assignment]
        ParsedResponseOutputMessage[ContentT]
        | ParsedResponseFunctionToolCall
        | _models.FileSearchToolCall
        | _models.ComputerToolCall
        | _models.ReasoningItem
        | pydantic.BaseModel
    ]

    @property
    def output_parsed(self) -> ContentT | None:
        """The first output text parsed as the `text_format` class."""
        for item in self.output:
            if isinstance(item, ParsedResponseOutputMessage):
                for part in item.content:
                    if isinstance(part, ParsedResponseOutputText) and part.parsed is not None:
                        return part.parsed
        return None


def copy_as(cls: type[_M], source: pydantic.BaseModel | None, **changes: Any) -> _M:
    """An instance of `cls` with the fields (and extra fields) of `source`, then
    `changes`, without validating: what came from the server is kept as it came."""
    values = dict(source) if source is not None else {}
    values.update(changes)
    fields_set = (source.model_fields_set if source is not None else set()) | changes.keys()
    copy = cls.model_construct(_fields_set=set(fields_set), **values)
    request_id = getattr(source, "_request_id", None)
    if request_id is not None:
        object.__setattr__(copy, "_request_id", request_id)
    return copy
