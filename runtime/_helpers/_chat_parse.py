"""A chat completion read back as structured output: `message.parsed` and each tool
call's `parsed_arguments` (sans I/O; `parse()` and the chat stream both use it)."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

import pydantic

from ..exceptions import ContentFilterFinishReasonError, LengthFinishReasonError
from ..generated import models as _models
from ._parsed import (
    ParsedChatCompletion,
    ParsedChatCompletionMessage,
    ParsedChoice,
    ParsedFunction,
    ParsedFunctionToolCall,
    copy_as,
)
from ._tools import FunctionTool, function_tools, parse_tool_arguments

__all__ = ["parse_chat_completion", "parse_content", "rich_format"]


def rich_format(response_format: object) -> type[Any] | None:
    """The class to parse content into: `response_format` when it is one (a pydantic
    model or a dataclass), else None (a dict format, or none given)."""
    return response_format if inspect.isclass(response_format) else None


def parse_content(response_format: type[Any], content: str) -> Any:
    if issubclass(response_format, pydantic.BaseModel):
        return response_format.model_validate_json(content)
    return pydantic.TypeAdapter(response_format).validate_json(content)


def parse_chat_completion(
    completion: _models.CreateChatCompletionResponse,
    *,
    response_format: object,
    tools: Iterable[object],
) -> ParsedChatCompletion[Any]:
    """`completion` with parsed content and tool arguments. A choice cut at the token
    limit, or stopped by the content filter, cannot be parsed: LengthFinishReasonError,
    ContentFilterFinishReasonError."""
    content_class = rich_format(response_format)
    by_name = function_tools(tools)
    choices = []
    for choice in completion.choices:
        if choice.finish_reason == "length":
            raise LengthFinishReasonError(completion=completion)
        if choice.finish_reason == "content_filter":
            raise ContentFilterFinishReasonError(completion=completion)
        message = choice.message
        parsed = None
        if content_class is not None and message is not None and message.content and not message.refusal:
            parsed = parse_content(content_class, message.content)
        changes: dict[str, Any] = {"parsed": parsed}
        calls = [_parsed_call(call, by_name) for call in (message.tool_calls if message is not None else None) or ()]
        if calls:
            changes["tool_calls"] = calls
        choices.append(copy_as(ParsedChoice, choice, message=copy_as(ParsedChatCompletionMessage, message, **changes)))
    return copy_as(ParsedChatCompletion, completion, choices=choices)


def _parsed_call(call: _models.ChatCompletionMessageToolCall, tools: dict[str, FunctionTool]) -> ParsedFunctionToolCall:
    function = call.function
    parsed = parse_tool_arguments(tools.get(function.name), function.arguments) if function is not None else None
    return copy_as(ParsedFunctionToolCall, call, function=copy_as(ParsedFunction, function, parsed_arguments=parsed))
