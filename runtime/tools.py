"""Tool calls: assemble them from a stream, read their arguments, answer them.

```python
from azgate.tools import ToolCallAccumulator, parse_arguments, tool_result_message

acc = ToolCallAccumulator()
for chunk in client.chat.completions.create(model="gpt-4o", messages=messages, tools=tools, stream=True):
    acc.feed(chunk)
messages.append(acc.assistant_message())
for call in acc.tool_calls():
    args = parse_arguments(call)                 # dict; ToolArgumentsError names the tool
    messages.append(tool_result_message(call, run_tool(call.function.name, **args)))
```

A stream sends each call as fragments keyed by `index`: the first carries `id`, `type`
and `function.name`, the following ones pieces of `function.arguments`. The accumulator
joins them per choice and tolerates what real streams do: Azure's first chunk without
choices, chunks whose choice has no delta, a provider that repeats the call header
(same `id`) on every fragment, and one that reuses index 0 for calls with new ids.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pydantic

from .exceptions import AzgateError
from .generated.models import (
    ChatCompletionMessageToolCall,
    ChatCompletionMessageToolCallChunk,
    ChatCompletionMessageToolCallFunction,
    CreateChatCompletionStreamResponse,
)

__all__ = [
    "ToolArgumentsError",
    "ToolCallAccumulator",
    "parse_arguments",
    "tool_result_message",
]


class ToolArgumentsError(AzgateError, ValueError):
    """A tool call's arguments are not a JSON object. `tool_name`, `tool_call_id` and
    `arguments` (the raw string) say which call; models do sometimes emit broken JSON,
    so answer the call with an error message or retry the completion."""

    def __init__(self, message: str, *, tool_name: str, tool_call_id: str, arguments: str) -> None:
        super().__init__(message)
        self.tool_name = tool_name
        self.tool_call_id = tool_call_id
        self.arguments = arguments


@dataclass(slots=True)
class _PartialCall:
    index: int
    id: str = ""
    type: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Choice:
    content: list[str] = field(default_factory=list)
    refusal: list[str] = field(default_factory=list)
    calls: list[_PartialCall] = field(default_factory=list)
    latest: dict[int, _PartialCall] = field(default_factory=dict)  # stream index -> call being built
    finish_reason: str | None = None


class ToolCallAccumulator:
    """Feed it every chunk of a chat completion stream; read complete tool calls,
    content and finish reasons per choice (`choice_index`, 0 unless you asked for n > 1)."""

    def __init__(self) -> None:
        self._choices: dict[int, _Choice] = {}

    def feed(self, chunk: CreateChatCompletionStreamResponse | Mapping[str, Any]) -> None:
        """Take one chunk: the typed model a stream yields, or the same as a dict."""
        if not isinstance(chunk, CreateChatCompletionStreamResponse):
            chunk = CreateChatCompletionStreamResponse.model_validate(chunk)
        for position, choice in enumerate(chunk.choices):
            # Some servers leave `index` out (it then reads None): the position stands in.
            index = choice.index if isinstance(choice.index, int) else position
            state = self._choices.setdefault(index, _Choice())
            if choice.finish_reason is not None:
                state.finish_reason = str(choice.finish_reason)
            delta = choice.delta
            if delta is None:
                continue
            if delta.content:
                state.content.append(delta.content)
            if delta.refusal:
                state.refusal.append(delta.refusal)
            for fragment in delta.tool_calls or ():
                _add_fragment(state, fragment)

    @property
    def choice_indexes(self) -> list[int]:
        """The choices seen so far, in order."""
        return sorted(self._choices)

    @property
    def content(self) -> str:
        """The text of choice 0 so far ("" when the model only called tools)."""
        return self.content_of(0)

    def content_of(self, choice_index: int) -> str:
        state = self._choices.get(choice_index)
        return "".join(state.content) if state else ""

    def refusal_of(self, choice_index: int = 0) -> str | None:
        state = self._choices.get(choice_index)
        return "".join(state.refusal) if state and state.refusal else None

    def finish_reason(self, choice_index: int = 0) -> str | None:
        """ "tool_calls", "stop", "length", ...; None until the choice's last chunk."""
        state = self._choices.get(choice_index)
        return state.finish_reason if state else None

    def tool_calls(self, choice_index: int = 0) -> list[ChatCompletionMessageToolCall]:
        """The calls of one choice, in the order the model made them.

        Call it after the stream ended: mid-stream the last call's arguments are still
        partial. A call whose header (id, name) never arrived is a ValueError.
        """
        state = self._choices.get(choice_index)
        if state is None:
            return []
        calls = []
        for call in state.calls:
            if not call.id or not call.name:
                missing = "id" if not call.id else "function name"
                raise ValueError(
                    f"Tool call {call.index} of choice {choice_index} has no {missing}: the stream did not send "
                    "that call's first fragment. Feed every chunk, starting with the first."
                )
            calls.append(
                ChatCompletionMessageToolCall(
                    id=call.id,
                    type=call.type or "function",
                    function=ChatCompletionMessageToolCallFunction(name=call.name, arguments="".join(call.arguments)),
                )
            )
        return calls

    def assistant_message(self, choice_index: int = 0) -> dict[str, Any]:
        """The assistant turn to append to `messages` before the tool results."""
        calls = self.tool_calls(choice_index)
        message: dict[str, Any] = {"role": "assistant", "content": self.content_of(choice_index) or None}
        if calls:
            message["tool_calls"] = [call.to_dict() for call in calls]
        return message


def _add_fragment(state: _Choice, fragment: ChatCompletionMessageToolCallChunk) -> None:
    call = state.latest.get(fragment.index)
    fid = fragment.id or ""
    repeated_header = call is not None and bool(fid) and fid == call.id
    if call is None or (fid and call.id and fid != call.id):
        call = _PartialCall(index=fragment.index)
        state.latest[fragment.index] = call
        state.calls.append(call)
    if fid and not call.id:
        call.id = fid
    if fragment.type:
        call.type = str(fragment.type)
    function = fragment.function
    if function is None:
        return
    if function.name and not repeated_header:
        call.name += function.name
    if function.arguments:
        call.arguments.append(function.arguments)


def _call_parts(call: ChatCompletionMessageToolCall | Mapping[str, Any]) -> tuple[str, str, str]:
    """(id, function name, arguments) of a typed call or its dict form."""
    if isinstance(call, Mapping):
        function = call.get("function") or {}
        return str(call.get("id", "")), str(function.get("name", "")), function.get("arguments") or ""
    return call.id, call.function.name, call.function.arguments


def parse_arguments(call: ChatCompletionMessageToolCall | Mapping[str, Any]) -> dict[str, Any]:
    """The call's arguments as a dict. Empty arguments are {} (some models send "" for a
    tool without parameters); anything but a JSON object is a ToolArgumentsError."""
    call_id, name, arguments = _call_parts(call)
    if not isinstance(arguments, str):
        raise TypeError(f"The arguments of tool {name!r} must be a string of JSON; got {type(arguments).__name__}.")
    if not arguments.strip():
        return {}
    try:
        value = json.loads(arguments)
    except ValueError as exc:
        raise ToolArgumentsError(
            f"The model's arguments for tool {name!r} (call {call_id}) are not valid JSON ({exc}): "
            f"{_preview(arguments)}. Send the tool an error result so the model can retry.",
            tool_name=name,
            tool_call_id=call_id,
            arguments=arguments,
        ) from exc
    if not isinstance(value, dict):
        raise ToolArgumentsError(
            f"The model's arguments for tool {name!r} (call {call_id}) are a JSON {type(value).__name__}, "
            f"not an object: {_preview(arguments)}.",
            tool_name=name,
            tool_call_id=call_id,
            arguments=arguments,
        )
    return value


def tool_result_message(
    call: ChatCompletionMessageToolCall | Mapping[str, Any] | str, content: object
) -> dict[str, Any]:
    """The `role: "tool"` message answering `call` (a call or its id). A string content is
    sent as is; anything else as JSON (a dict, a list, a number, a pydantic model; values
    JSON has no type for, such as datetimes, as their str())."""
    call_id = call if isinstance(call, str) else _call_parts(call)[0]
    if not call_id:
        raise ValueError("tool_result_message: the call has no id; pass the call the model made, or its id.")
    if not isinstance(content, str):
        if isinstance(content, pydantic.BaseModel):
            content = content.model_dump(mode="json", by_alias=True, exclude_unset=True)
        content = json.dumps(content, ensure_ascii=False, default=str)
    return {"role": "tool", "tool_call_id": call_id, "content": content}


def _preview(text: str, limit: int = 200) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")
