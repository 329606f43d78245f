"""Function tools made from pydantic models, and reading a call's arguments back.

`pydantic_function_tool(Model)` is a strict chat function tool whose `parameters` are
the model's strict JSON schema. The dict it returns remembers the model, so `parse()`
and `stream()` give each call's `parsed_arguments` as an instance of it; a plain strict
tool (`"strict": true`, no model) gives the arguments as a dict. Both the chat shape
(`{"type": "function", "function": {...}}`) and the Responses shape
(`{"type": "function", "name": ...}`) are read; the Responses helpers convert the chat
shape, so one tool list serves both APIs, as in openai-python.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pydantic

from ..exceptions import ConfigurationError
from ._schema import to_strict_json_schema

__all__ = [
    "FunctionTool",
    "PydanticFunction",
    "function_tool_of",
    "function_tools",
    "parse_tool_arguments",
    "pydantic_function_tool",
    "require_strict_function_tools",
    "to_responses_tools",
]


class PydanticFunction(dict[str, Any]):
    """A tool's `function` object that also carries the pydantic model of its arguments.
    Sent as the plain dict it is."""

    def __init__(self, definition: Mapping[str, Any], model: type[pydantic.BaseModel]) -> None:
        super().__init__(definition)
        self.model = model


def pydantic_function_tool(
    model: type[pydantic.BaseModel], *, name: str | None = None, description: str | None = None
) -> dict[str, Any]:
    """A strict function tool for chat completions (and the Responses API) whose
    arguments are `model`: its name is the class name, its description the class
    docstring, unless given."""
    if description is None:
        description = model.__doc__  # the class's own docstring, not pydantic's
    definition: dict[str, Any] = {
        "name": name or model.__name__,
        "strict": True,
        "parameters": to_strict_json_schema(model),
    }
    if description is not None:
        definition["description"] = description
    return {"type": "function", "function": PydanticFunction(definition, model)}


class FunctionTool:
    """What the helpers need to know of one function tool the caller offered."""

    __slots__ = ("model", "name", "strict")

    def __init__(self, name: str, strict: bool, model: type[pydantic.BaseModel] | None) -> None:
        self.name = name
        self.strict = strict
        self.model = model

    @property
    def parseable(self) -> bool:
        return self.model is not None or self.strict


def function_tool_of(tool: object) -> FunctionTool | None:
    """The function tool `tool` describes (either API's shape, a dict or a typed model);
    None for other tools (file search, code interpreter, ...)."""
    if isinstance(tool, pydantic.BaseModel):
        tool = tool.model_dump(by_alias=True, exclude_unset=True)
    if not isinstance(tool, Mapping) or tool.get("type") != "function":
        return None
    function = tool.get("function")
    if isinstance(function, pydantic.BaseModel):
        function = function.model_dump(by_alias=True, exclude_unset=True)
    spec = function if isinstance(function, Mapping) else tool  # chat shape, else Responses shape
    model = spec.model if isinstance(spec, PydanticFunction) else None
    return FunctionTool(str(spec.get("name", "")), spec.get("strict") is True, model)


def function_tools(tools: Iterable[object]) -> dict[str, FunctionTool]:
    """The function tools among `tools`, by name."""
    found = {}
    for tool in tools:
        function = function_tool_of(tool)
        if function is not None:
            found[function.name] = function
    return found


def require_strict_function_tools(tools: Iterable[object]) -> None:
    """`parse()` reads every call's arguments back, so every tool must be a strict function."""
    for tool in tools:
        function = function_tool_of(tool)
        if function is None:
            kind = tool.get("type") if isinstance(tool, Mapping) else type(tool).__name__
            raise ConfigurationError(
                f"tools: parse() reads tool calls back, so it takes function tools only; got a {kind!r} tool."
            )
        if not function.parseable:
            raise ConfigurationError(
                f"tools: {function.name!r} is not strict; parse() takes strict function tools only. "
                'Set "strict": true on it, or build it with pydantic_function_tool(Model).'
            )


def parse_tool_arguments(tool: FunctionTool | None, arguments: str) -> object:
    """A call's arguments read back: an instance of the tool's model, a dict for a
    strict tool, None for a tool that is neither (its arguments are not guaranteed JSON)."""
    if tool is None:
        return None
    if tool.model is not None:
        return tool.model.model_validate_json(arguments)
    return json.loads(arguments) if tool.strict else None


def to_responses_tools(tools: Iterable[object]) -> list[object]:
    """Tools for the Responses API: a chat-shaped function tool (as pydantic_function_tool
    makes) becomes the Responses shape, keeping its model; others pass unchanged."""
    converted: list[object] = []
    for tool in tools:
        function = tool.get("function") if isinstance(tool, Mapping) and tool.get("type") == "function" else None
        if not isinstance(function, Mapping):
            converted.append(tool)
            continue
        flat = {
            "type": "function",
            "name": function.get("name"),
            "description": function.get("description"),  # null when absent, as openai-python sends it
            "parameters": function.get("parameters"),
            "strict": function.get("strict") is True,
        }
        flat.update((key, value) for key, value in function.items() if key not in flat)
        converted.append(PydanticFunction(flat, function.model) if isinstance(function, PydanticFunction) else flat)
    return converted
