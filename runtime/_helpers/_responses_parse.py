"""A Responses API response read back as structured output (sans I/O): each output
text's `parsed`, each function call's `parsed_arguments`, `output_parsed` (and, as on every response,
`output_text`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pydantic

from ..generated import models as _models
from ._chat_parse import parse_content, rich_format
from ._parsed import (
    ParsedResponse,
    ParsedResponseFunctionToolCall,
    ParsedResponseOutputMessage,
    ParsedResponseOutputText,
    copy_as,
)
from ._schema import to_strict_json_schema
from ._tools import FunctionTool, function_tools, parse_tool_arguments

__all__ = ["parse_response", "parse_text", "text_format_param"]


def text_format_param(text_format: type[Any]) -> dict[str, Any]:
    """`text.format` for a class: a strict json_schema format (the Responses API puts
    name and schema at the top level, unlike chat's `json_schema` object)."""
    return {
        "type": "json_schema",
        "name": text_format.__name__,
        "schema": to_strict_json_schema(text_format),
        "strict": True,
    }


def parse_text(text: str, text_format: object, *, phase: object = None) -> Any:
    """`text` as the `text_format` class; None without one. Text a message marks as
    not its final answer (`phase`) is not a structured result and stays unparsed."""
    content_class = rich_format(text_format)
    if content_class is None or (phase is not None and phase != "final_answer"):
        return None
    return parse_content(content_class, text)


def parse_response(response: _models.Response, *, text_format: object, tools: Iterable[object]) -> ParsedResponse[Any]:
    by_name = function_tools(tools)
    output = [_parsed_item(item, text_format, by_name) for item in response.output or ()]
    return copy_as(ParsedResponse, response, output=output)


def _parsed_item(item: pydantic.BaseModel, text_format: object, tools: dict[str, FunctionTool]) -> pydantic.BaseModel:
    kind = getattr(item, "type", None)
    if kind == "message":
        phase = getattr(item, "phase", None)
        content = [
            copy_as(ParsedResponseOutputText, part, parsed=parse_text(part.text, text_format, phase=phase))
            if getattr(part, "type", None) == "output_text" and isinstance(getattr(part, "text", None), str)
            else part
            for part in getattr(item, "content", None) or ()
        ]
        return copy_as(ParsedResponseOutputMessage, item, content=content)
    if kind == "function_call":
        name, arguments = getattr(item, "name", ""), getattr(item, "arguments", "")
        parsed = parse_tool_arguments(tools.get(name), arguments) if isinstance(arguments, str) else None
        return copy_as(ParsedResponseFunctionToolCall, item, parsed_arguments=parsed)
    return item
