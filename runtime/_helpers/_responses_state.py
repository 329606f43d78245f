"""Responses stream events -> openai-python's stream events and the response so far
(sans I/O; `responses.stream()` runs on it).

The raw stream's events come as the generated union's root model; each is unwrapped
into its own class. Text and call arguments are accumulated per output item and content
part; `response.completed` carries the final response, parsed against `text_format` and
the tools. A server that leaves out an `added` event still gets its deltas accumulated
(the snapshot then starts empty), so a gateway's thinner stream does not break it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic

import pydantic

from ._parsed import (
    ContentT,
    ParsedResponse,
    ParsedResponseFunctionToolCall,
    ParsedResponseOutputMessage,
    ParsedResponseOutputText,
    copy_as,
)
from ._responses_events import (
    ResponseCompletedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
)
from ._responses_parse import parse_response, parse_text

__all__ = ["ResponseStreamState"]

_ENDED = ("response.failed", "response.incomplete")


class ResponseStreamState(Generic[ContentT]):
    def __init__(self, *, text_format: object = None, tools: Iterable[object] = ()) -> None:
        self._text_format = text_format
        self._tools = list(tools)
        self._snapshot: ParsedResponse[Any] | None = None
        self._items: dict[int, pydantic.BaseModel] = {}
        self._texts: dict[tuple[int, int], str] = {}
        self._arguments: dict[int, str] = {}
        self.final: ParsedResponse[ContentT] | None = None
        """The parsed response of `response.completed`, once it has arrived."""
        self.ended: pydantic.BaseModel | None = None
        """The response of `response.failed` / `response.incomplete`, if the stream ended so."""

    @property
    def current_snapshot(self) -> ParsedResponse[Any] | None:
        """The response so far (None before `response.created`)."""
        return self._snapshot

    def handle_event(self, raw: pydantic.BaseModel) -> list[ResponseStreamEvent[ContentT]]:
        event: Any = raw.root if isinstance(raw, pydantic.RootModel) else raw
        kind = getattr(event, "type", None)
        if kind == "response.created":
            self._snapshot = copy_as(ParsedResponse, event.response, output=[])
        elif kind == "response.output_item.added":
            self._add_item(event.output_index, event.item)
        elif kind == "response.content_part.added":
            self._add_part(event.output_index, event.part)
        elif kind == "response.output_text.delta":
            text = self._append_text(event.output_index, event.content_index, event.delta)
            return [copy_as(ResponseTextDeltaEvent, event, snapshot=text)]
        elif kind == "response.output_text.done":
            phase = getattr(self._items.get(event.output_index), "phase", None)
            parsed = parse_text(event.text, self._text_format, phase=phase)
            return [copy_as(ResponseTextDoneEvent, event, parsed=parsed)]
        elif kind == "response.function_call_arguments.delta":
            arguments = self._append_arguments(event.output_index, event.delta)
            return [copy_as(ResponseFunctionCallArgumentsDeltaEvent, event, snapshot=arguments)]
        elif kind == "response.output_item.done":
            self._add_item(event.output_index, event.item)
        elif kind == "response.completed":
            response = event.response
            if not response.output and self._items:  # some servers leave the output to the events
                response = copy_as(type(response), response, output=[self._items[i] for i in sorted(self._items)])
            self.final = parse_response(response, text_format=self._text_format, tools=self._tools)
            return [copy_as(ResponseCompletedEvent, event, response=self.final)]
        elif kind in _ENDED:
            self.ended = event.response
        return [event]

    def _add_item(self, index: int, item: Any) -> None:
        if getattr(item, "type", None) == "message":
            content = [
                copy_as(ParsedResponseOutputText, part) if getattr(part, "type", None) == "output_text" else part
                for part in getattr(item, "content", None) or ()
            ]
            item = copy_as(ParsedResponseOutputMessage, item, content=content)
        elif getattr(item, "type", None) == "function_call":
            item = copy_as(ParsedResponseFunctionToolCall, item)
        self._items[index] = item
        if self._snapshot is not None:
            self._snapshot.output = [self._items[i] for i in sorted(self._items)]

    def _add_part(self, index: int, part: Any) -> None:
        item = self._items.get(index)
        if isinstance(item, ParsedResponseOutputMessage):
            if getattr(part, "type", None) == "output_text":
                part = copy_as(ParsedResponseOutputText, part)
            item.content.append(part)

    def _append_text(self, index: int, content_index: int, delta: str) -> str:
        key = (index, content_index)
        text = self._texts[key] = self._texts.get(key, "") + delta
        item = self._items.get(index)
        if isinstance(item, ParsedResponseOutputMessage) and content_index < len(item.content):
            part = item.content[content_index]
            if isinstance(part, ParsedResponseOutputText):
                part.text = text
        return text

    def _append_arguments(self, index: int, delta: str) -> str:
        arguments = self._arguments[index] = self._arguments.get(index, "") + delta
        item = self._items.get(index)
        if isinstance(item, ParsedResponseFunctionToolCall):
            item.arguments = arguments
        return arguments
