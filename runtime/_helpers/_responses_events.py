"""The events `client.responses.stream(...)` yields: the Responses API's own events
(`event.type` is the wire name, "response.created", ...), with four of them carrying
more, as in openai-python:

| `type` | added |
|---|---|
| `response.output_text.delta` | `snapshot`: the text so far |
| `response.output_text.done` | `parsed`: the text as the `text_format` class |
| `response.function_call_arguments.delta` | `snapshot`: the arguments so far |
| `response.completed` | `response` is a `ParsedResponse` (`output_parsed`, `parsed_arguments`) |

An event type azgate has no class for yet comes as a plain model with its fields (the
union below does not list that case, so that `event.type` narrows it).
"""

from __future__ import annotations

from typing import Generic, Union

from typing_extensions import TypeAliasType

from ..generated import models as _models
from ._parsed import ContentT, ParsedResponse

__all__ = [
    "ResponseCompletedEvent",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseStreamEvent",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
]


class ResponseTextDeltaEvent(_models.ResponseTextDeltaEvent):
    snapshot: str
    """The text of this content part so far."""


class ResponseTextDoneEvent(_models.ResponseTextDoneEvent, Generic[ContentT]):
    parsed: ContentT | None = None
    """The text as the `text_format` class; None without one."""


class ResponseFunctionCallArgumentsDeltaEvent(_models.ResponseFunctionCallArgumentsDeltaEvent):
    snapshot: str
    """The call's arguments so far."""


class ResponseCompletedEvent(_models.ResponseCompletedEvent, Generic[ContentT]):
    response: ParsedResponse[ContentT]


# A TypeAliasType, so `ResponseStreamEvent[Answer]` also works at run time.
ResponseStreamEvent = TypeAliasType(
    "ResponseStreamEvent",
    Union[
        ResponseTextDeltaEvent,
        ResponseTextDoneEvent[ContentT],
        ResponseFunctionCallArgumentsDeltaEvent,
        ResponseCompletedEvent[ContentT],
        _models.ResponseAudioDeltaEvent,
        _models.ResponseAudioDoneEvent,
        _models.ResponseAudioTranscriptDeltaEvent,
        _models.ResponseAudioTranscriptDoneEvent,
        _models.ResponseCodeInterpreterCallCodeDeltaEvent,
        _models.ResponseCodeInterpreterCallCodeDoneEvent,
        _models.ResponseCodeInterpreterCallCompletedEvent,
        _models.ResponseCodeInterpreterCallInProgressEvent,
        _models.ResponseCodeInterpreterCallInterpretingEvent,
        _models.ResponseContentPartAddedEvent,
        _models.ResponseContentPartDoneEvent,
        _models.ResponseCreatedEvent,
        _models.ResponseErrorEvent,
        _models.ResponseFileSearchCallCompletedEvent,
        _models.ResponseFileSearchCallInProgressEvent,
        _models.ResponseFileSearchCallSearchingEvent,
        _models.ResponseFunctionCallArgumentsDoneEvent,
        _models.ResponseInProgressEvent,
        _models.ResponseFailedEvent,
        _models.ResponseIncompleteEvent,
        _models.ResponseOutputItemAddedEvent,
        _models.ResponseOutputItemDoneEvent,
        _models.ResponseRefusalDeltaEvent,
        _models.ResponseRefusalDoneEvent,
        _models.ResponseTextAnnotationDeltaEvent,
    ],
    type_params=(ContentT,),
)
