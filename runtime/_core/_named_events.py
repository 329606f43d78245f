"""Streams whose events are named on the `event:` line (the Assistants API).

Chat and the Responses API put everything in `data:`. Assistants runs send
`event: thread.message.delta` and, in `data:`, only the object; their event schema is
`{"event": <name>, "data": <object>}`. These streams put the two back together before
parsing, and otherwise behave as `Stream` / `AsyncStream`: `event: error` raises,
`data: [DONE]` ends the stream.
"""

from __future__ import annotations

import json
from typing import TypeVar

import pydantic

from ._sse import ServerSentEvent
from ._streaming import AsyncStream, Stream

__all__ = ["AsyncNamedEventStream", "NamedEventStream"]

_T = TypeVar("_T", bound=pydantic.BaseModel)


def _enveloped(event: ServerSentEvent) -> ServerSentEvent:
    if event.event is None or event.event == "error" or event.data == "[DONE]":
        return event
    data = '{"event":' + json.dumps(event.event) + ',"data":' + event.data + "}"
    return ServerSentEvent(data=data, event=event.event, id=event.id, retry=event.retry)


class NamedEventStream(Stream[_T]):
    _named_events = True

    @staticmethod
    def _prepare_event(event: ServerSentEvent) -> ServerSentEvent:
        return _enveloped(event)


class AsyncNamedEventStream(AsyncStream[_T]):
    _named_events = True

    @staticmethod
    def _prepare_event(event: ServerSentEvent) -> ServerSentEvent:
        return _enveloped(event)
