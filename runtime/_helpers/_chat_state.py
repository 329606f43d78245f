"""Chat chunks -> openai-python's stream events and the completion so far (sans I/O).

`ChatCompletionStreamState` is what `chat.completions.stream()` runs on, and is usable
alone over any chunks (`create(stream=True)`, a cached stream): `handle_chunk(chunk)`
returns the events that chunk causes, `current_completion_snapshot` is the completion
so far, `get_final_completion()` the parsed completion at the end.

Content, refusals and tool calls are joined by `azgate.tools.ToolCallAccumulator` (one
place for Azure's filter-only chunks, choices without a delta, providers that repeat
or reuse tool-call indexes); this module adds the snapshot and the events. The "done"
events follow openai-python's order: a choice's content (and refusal, and logprobs) is
done when its first tool call starts or the choice finishes; a tool call is done when
the next one starts or the choice finishes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic

from pydantic_core import from_json

from .._core._types import NotGiven
from ..exceptions import ContentFilterFinishReasonError, LengthFinishReasonError
from ..generated import models as _models
from ..tools import ToolCallAccumulator
from ._chat_events import (
    ChatCompletionStreamEvent,
    ChunkEvent,
    ContentDeltaEvent,
    ContentDoneEvent,
    FunctionToolCallArgumentsDeltaEvent,
    FunctionToolCallArgumentsDoneEvent,
    LogprobsContentDeltaEvent,
    LogprobsContentDoneEvent,
    LogprobsRefusalDeltaEvent,
    LogprobsRefusalDoneEvent,
    RefusalDeltaEvent,
    RefusalDoneEvent,
)
from ._chat_parse import parse_chat_completion, parse_content, rich_format
from ._parsed import (
    ContentT,
    ParsedChatCompletion,
    ParsedChatCompletionMessage,
    ParsedChoice,
    ParsedFunction,
    ParsedFunctionToolCall,
    copy_as,
)
from ._tools import function_tools, parse_tool_arguments

__all__ = ["ChatCompletionStreamState"]

_Event = ChatCompletionStreamEvent[Any]


class _ChoiceState:
    """One choice's snapshot and how far its events have got."""

    __slots__ = ("calls", "choice", "content_done", "current_call", "done_calls", "logprobs_done", "refusal_done")

    def __init__(self, choice: ParsedChoice[Any]) -> None:
        self.choice = choice
        self.calls: list[ParsedFunctionToolCall] = []
        self.current_call: int | None = None
        self.done_calls: set[int] = set()
        self.content_done = False
        self.refusal_done = False
        self.logprobs_done = {"content": False, "refusal": False}


class ChatCompletionStreamState(Generic[ContentT]):
    """Accumulates chat completion chunks into events and a completion."""

    def __init__(self, *, response_format: object = None, tools: Iterable[object] | NotGiven | None = None) -> None:
        self._format = rich_format(response_format)
        self._tool_list = list(tools) if tools and not isinstance(tools, NotGiven) else []
        self._tools = function_tools(self._tool_list)
        self._parseable = self._format is not None or any(t.parseable for t in self._tools.values())
        self._joined = ToolCallAccumulator()
        self._snapshot: ParsedChatCompletion[Any] | None = None
        self._choices: dict[int, _ChoiceState] = {}
        self._prompt_filter_results: Any = None

    @property
    def current_completion_snapshot(self) -> ParsedChatCompletion[Any]:
        """The completion so far: content as it has arrived, `parsed` as partial JSON
        until the content is done."""
        if self._snapshot is None:
            raise RuntimeError("No chunk has arrived yet, so there is no completion to show.")
        return self._snapshot

    def get_final_completion(self) -> ParsedChatCompletion[ContentT]:
        """The completion with `message.parsed` and each call's `parsed_arguments`; call
        it once every chunk has been handled."""
        completion: ParsedChatCompletion[ContentT] = parse_chat_completion(
            self.current_completion_snapshot, response_format=self._format, tools=self._tool_list
        )
        return completion

    def add_metadata(self, chunk: _models.CreateChatCompletionStreamResponse) -> None:
        """A chunk that carries no choices (Azure's first: `prompt_filter_results`);
        the stream keeps those aside, the completion shows their filter results."""
        if chunk.prompt_filter_results:
            self._prompt_filter_results = chunk.prompt_filter_results
            if self._snapshot is not None:
                self._snapshot.prompt_filter_results = chunk.prompt_filter_results

    def handle_chunk(self, chunk: _models.CreateChatCompletionStreamResponse) -> list[_Event]:
        """Take one chunk; the events it causes, in order."""
        self._joined.feed(chunk)
        snapshot = self._update_completion(chunk)
        events: list[_Event] = [ChunkEvent.model_construct(type="chunk", chunk=chunk, snapshot=snapshot)]
        for position, choice in enumerate(chunk.choices):
            index = choice.index if isinstance(choice.index, int) else position
            state = self._choice(index)
            if choice.finish_reason is not None:
                state.choice.finish_reason = choice.finish_reason
                self._refuse_unparseable(str(choice.finish_reason), snapshot)
            if choice.content_filter_results is not None:
                state.choice.content_filter_results = choice.content_filter_results
            delta = choice.delta
            fragments = (delta.tool_calls if delta is not None else None) or []
            if delta is not None:
                events.extend(self._delta_events(index, state, delta))
            if choice.logprobs is not None:
                events.extend(self._logprobs_events(state, choice.logprobs))
            events.extend(self._done_events(index, state, fragments))
        return events

    # -- the snapshot

    def _update_completion(self, chunk: _models.CreateChatCompletionStreamResponse) -> ParsedChatCompletion[Any]:
        snapshot = self._snapshot
        if snapshot is None:
            snapshot = self._snapshot = copy_as(ParsedChatCompletion, chunk, object="chat.completion", choices=[])
            if self._prompt_filter_results is not None:
                snapshot.prompt_filter_results = self._prompt_filter_results
        elif chunk.id and not snapshot.id:  # Azure's filter chunks carry no id, model or created
            snapshot.id, snapshot.created, snapshot.model = chunk.id, chunk.created, chunk.model  # type: ignore[assignment]
        if chunk.usage is not None:
            snapshot.usage = chunk.usage
        if chunk.system_fingerprint is not None:
            snapshot.system_fingerprint = chunk.system_fingerprint
        return snapshot

    def _choice(self, index: int) -> _ChoiceState:
        state = self._choices.get(index)
        if state is None:
            message: ParsedChatCompletionMessage[Any] = ParsedChatCompletionMessage.model_construct(
                role="assistant", content=None, refusal=None
            )
            unfinished: dict[str, Any] = {"finish_reason": None, "logprobs": None}  # set as chunks arrive
            choice: ParsedChoice[Any] = ParsedChoice.model_construct(index=index, message=message, **unfinished)
            state = self._choices[index] = _ChoiceState(choice)
            self.current_completion_snapshot.choices.append(choice)
        return state

    def _refuse_unparseable(self, finish_reason: str, snapshot: ParsedChatCompletion[Any]) -> None:
        if not self._parseable:
            return
        if finish_reason == "length":
            raise LengthFinishReasonError(completion=snapshot)
        if finish_reason == "content_filter":
            raise ContentFilterFinishReasonError(completion=snapshot)

    # -- events

    def _delta_events(
        self, index: int, state: _ChoiceState, delta: _models.ChatCompletionStreamResponseDelta
    ) -> list[_Event]:
        message = state.choice.message
        events: list[_Event] = []
        if delta.role:
            message.role = delta.role
        if delta.content is not None:
            message.content = self._joined.content_of(index)
            if self._format is not None and not message.refusal and message.content.strip():
                message.parsed = _partial_json(message.content)
            events.append(
                ContentDeltaEvent.model_construct(
                    type="content.delta", delta=delta.content, snapshot=message.content, parsed=message.parsed
                )
            )
        if delta.refusal is not None:
            message.refusal = self._joined.refusal_of(index) or ""
            events.append(
                RefusalDeltaEvent.model_construct(type="refusal.delta", delta=delta.refusal, snapshot=message.refusal)
            )
        if delta.tool_calls:
            touched = self._update_calls(index, state, delta.tool_calls)
            for fragment, position in touched:
                call = state.calls[position]
                events.append(
                    FunctionToolCallArgumentsDeltaEvent.model_construct(
                        type="tool_calls.function.arguments.delta",
                        name=call.function.name,
                        index=position,
                        arguments=call.function.arguments,
                        parsed_arguments=call.function.parsed_arguments,
                        arguments_delta=(fragment.function.arguments if fragment.function else None) or "",
                    )
                )
        return events

    def _update_calls(
        self, index: int, state: _ChoiceState, fragments: list[_models.ChatCompletionMessageToolCallChunk]
    ) -> list[tuple[_models.ChatCompletionMessageToolCallChunk, int]]:
        """Refresh the calls the fragments touched; (fragment, call position) for each."""
        touched = []
        for fragment in fragments:
            position = self._joined.position_of(fragment.index, index)
            if position is not None:
                touched.append((fragment, position))
        positions = {position for _, position in touched}
        for position, call in enumerate(self._joined.calls_so_far(index)):
            if position < len(state.calls) and position not in positions:
                continue
            tool = self._tools.get(call.function.name)
            arguments = call.function.arguments
            parsed = _partial_json(arguments) if tool is not None and tool.parseable and arguments.strip() else None
            function = ParsedFunction.model_construct(
                name=call.function.name, arguments=arguments, parsed_arguments=parsed
            )
            snapshot = ParsedFunctionToolCall.model_construct(id=call.id, type=call.type, function=function)
            if position < len(state.calls):
                state.calls[position] = snapshot
            else:
                state.calls.append(snapshot)
        state.choice.message.tool_calls = state.calls
        return touched

    def _logprobs_events(self, state: _ChoiceState, logprobs: Any) -> list[_Event]:
        kept = state.choice.logprobs
        if kept is None:
            kept = state.choice.logprobs = _models.CreateChatCompletionResponseChoicesItemLogprobs.model_construct(
                content=None, refusal=None
            )
        events: list[_Event] = []
        if logprobs.content:
            kept.content = [*(kept.content or ()), *logprobs.content]
            events.append(
                LogprobsContentDeltaEvent.model_construct(
                    type="logprobs.content.delta", content=logprobs.content, snapshot=kept.content
                )
            )
        if logprobs.refusal:
            kept.refusal = [*(kept.refusal or ()), *logprobs.refusal]
            events.append(
                LogprobsRefusalDeltaEvent.model_construct(
                    type="logprobs.refusal.delta", refusal=logprobs.refusal, snapshot=kept.refusal
                )
            )
        return events

    def _done_events(
        self, index: int, state: _ChoiceState, fragments: list[_models.ChatCompletionMessageToolCallChunk]
    ) -> list[_Event]:
        events: list[_Event] = []
        if state.choice.finish_reason:
            events.extend(self._content_done(state))
            if state.current_call is not None:
                events.extend(self._call_done(state, state.current_call))
        for fragment in fragments:
            position = self._joined.position_of(fragment.index, index)
            if position is None:
                continue
            if state.current_call != position:
                events.extend(self._content_done(state))
                if state.current_call is not None:
                    events.extend(self._call_done(state, state.current_call))
            state.current_call = position
        return events

    def _content_done(self, state: _ChoiceState) -> list[_Event]:
        message = state.choice.message
        events: list[_Event] = []
        if message.content and not state.content_done:
            state.content_done = True
            message.parsed = None
            if self._format is not None and not message.refusal:
                message.parsed = parse_content(self._format, message.content)
            events.append(
                ContentDoneEvent.model_construct(type="content.done", content=message.content, parsed=message.parsed)
            )
        if message.refusal is not None and not state.refusal_done:
            state.refusal_done = True
            events.append(RefusalDoneEvent.model_construct(type="refusal.done", refusal=message.refusal))
        logprobs = state.choice.logprobs
        if logprobs is not None and logprobs.content is not None and not state.logprobs_done["content"]:
            state.logprobs_done["content"] = True
            events.append(
                LogprobsContentDoneEvent.model_construct(type="logprobs.content.done", content=logprobs.content)
            )
        if logprobs is not None and logprobs.refusal is not None and not state.logprobs_done["refusal"]:
            state.logprobs_done["refusal"] = True
            events.append(
                LogprobsRefusalDoneEvent.model_construct(type="logprobs.refusal.done", refusal=logprobs.refusal)
            )
        return events

    def _call_done(self, state: _ChoiceState, position: int) -> list[_Event]:
        if position in state.done_calls or position >= len(state.calls):
            return []
        state.done_calls.add(position)
        function = state.calls[position].function
        function.parsed_arguments = parse_tool_arguments(self._tools.get(function.name), function.arguments)
        return [
            FunctionToolCallArgumentsDoneEvent.model_construct(
                type="tool_calls.function.arguments.done",
                name=function.name,
                index=position,
                arguments=function.arguments,
                parsed_arguments=function.parsed_arguments,
            )
        ]


def _partial_json(text: str) -> object:
    """As much of `text` as is complete JSON so far (a string still open is left out,
    as openai-python does); None if none is."""
    try:
        return from_json(text, allow_partial=True)
    except ValueError:
        return None
