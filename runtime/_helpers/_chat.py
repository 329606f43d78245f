"""`parse()` and `stream()` on `client.chat.completions`, as openai-python has them.

The generated `ChatCompletions` / `AsyncChatCompletions` inherit these classes
(codegen/_mixins.py). Both methods take `create()`'s keywords and call it, so the
api-version checks, routing, retries and errors are `create()`'s own; what they add:

- `response_format` may be a class (a pydantic model or a dataclass): it is sent as a
  strict `json_schema` format, and the answer comes back parsed into it;
- tools made with `pydantic_function_tool(Model)` (or any strict function tool) come
  back with `parsed_arguments`;
- `parse()` returns a `ParsedChatCompletion`; `stream()` a context manager whose stream
  yields typed events and ends in `get_final_completion()`.

Any other keyword goes to `create()` unchanged (a misspelt one is refused there).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast, overload

import pydantic

from .._core._types import NOT_GIVEN, NotGiven
from ..exceptions import ConfigurationError
from ._schema import response_format_param

if TYPE_CHECKING:
    from ._chat_stream import AsyncChatCompletionStreamManager, ChatCompletionStreamManager
    from ._parsed import ContentT, ParsedChatCompletion

__all__ = ["AsyncChatCompletionsHelpers", "ChatCompletionsHelpers"]

Messages = Iterable[Mapping[str, Any] | pydantic.BaseModel]
Tools = Iterable[Mapping[str, Any] | pydantic.BaseModel]
ResponseFormat = Mapping[str, Any] | pydantic.BaseModel | NotGiven
"""A response format as `create()` takes it (no parsing): a dict or a typed format."""


class _Creates(Protocol):
    def create(self, **params: Any) -> Any: ...


def _request(
    helper: str,
    messages: Messages,
    model: str | NotGiven,
    response_format: object,
    tools: Tools | NotGiven,
    params: dict[str, Any],
) -> tuple[dict[str, Any], list[Any]]:
    """create()'s keywords for a helper call, and the tools as a list (read twice)."""
    if "stream" in params:
        raise ConfigurationError(
            f"{helper}() takes no `stream`: parse() returns one completion, stream() always streams."
        )
    tool_list = list(tools) if not isinstance(tools, NotGiven) else []
    request = {
        "messages": messages,
        "model": model,
        "response_format": response_format_param(response_format),
        "tools": tool_list if not isinstance(tools, NotGiven) else NOT_GIVEN,
        **params,
    }
    return request, tool_list


class ChatCompletionsHelpers:
    """`client.chat.completions.parse()` and `.stream()`."""

    @overload
    def parse(
        self,
        *,
        messages: Messages,
        response_format: type[ContentT],
        model: str | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ParsedChatCompletion[ContentT]: ...

    @overload
    def parse(
        self,
        *,
        messages: Messages,
        response_format: ResponseFormat = NOT_GIVEN,
        model: str | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ParsedChatCompletion[None]: ...

    def parse(
        self,
        *,
        messages: Messages,
        response_format: type[Any] | ResponseFormat = NOT_GIVEN,
        model: str | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ParsedChatCompletion[Any]:
        """A chat completion whose `message.parsed` is an instance of `response_format`
        (when it is a class) and whose tool calls carry `parsed_arguments`. Every tool
        must be a strict function tool. A choice cut at the token limit raises
        LengthFinishReasonError; one the content filter stopped, ContentFilterFinishReasonError."""
        from ._chat_parse import parse_chat_completion
        from ._tools import require_strict_function_tools

        request, tool_list = _request("parse", messages, model, response_format, tools, params)
        require_strict_function_tools(tool_list)
        completion = cast(_Creates, self).create(**request)
        return parse_chat_completion(completion, response_format=response_format, tools=tool_list)

    @overload
    def stream(
        self,
        *,
        messages: Messages,
        response_format: type[ContentT],
        model: str | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ChatCompletionStreamManager[ContentT]: ...

    @overload
    def stream(
        self,
        *,
        messages: Messages,
        response_format: ResponseFormat = NOT_GIVEN,
        model: str | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ChatCompletionStreamManager[None]: ...

    def stream(
        self,
        *,
        messages: Messages,
        response_format: type[Any] | ResponseFormat = NOT_GIVEN,
        model: str | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ChatCompletionStreamManager[Any]:
        """A context manager: entering it sends the request and gives a stream of typed
        events (`content.delta`, `tool_calls.function.arguments.done`, ...) with
        `get_final_completion()`; leaving it releases the connection."""
        from ._chat_state import ChatCompletionStreamState
        from ._chat_stream import ChatCompletionStreamManager

        request, tool_list = _request("stream", messages, model, response_format, tools, params)
        creates = cast(_Creates, self)
        state: ChatCompletionStreamState[Any] = ChatCompletionStreamState(
            response_format=response_format, tools=tool_list
        )
        return ChatCompletionStreamManager(lambda: creates.create(**request, stream=True), state)


class AsyncChatCompletionsHelpers:
    """`await client.chat.completions.parse()` and `async with ....stream()`."""

    @overload
    async def parse(
        self,
        *,
        messages: Messages,
        response_format: type[ContentT],
        model: str | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ParsedChatCompletion[ContentT]: ...

    @overload
    async def parse(
        self,
        *,
        messages: Messages,
        response_format: ResponseFormat = NOT_GIVEN,
        model: str | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ParsedChatCompletion[None]: ...

    async def parse(
        self,
        *,
        messages: Messages,
        response_format: type[Any] | ResponseFormat = NOT_GIVEN,
        model: str | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ParsedChatCompletion[Any]:
        """As the sync `parse()`."""
        from ._chat_parse import parse_chat_completion
        from ._tools import require_strict_function_tools

        request, tool_list = _request("parse", messages, model, response_format, tools, params)
        require_strict_function_tools(tool_list)
        completion = await cast(_Creates, self).create(**request)
        return parse_chat_completion(completion, response_format=response_format, tools=tool_list)

    @overload
    def stream(
        self,
        *,
        messages: Messages,
        response_format: type[ContentT],
        model: str | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> AsyncChatCompletionStreamManager[ContentT]: ...

    @overload
    def stream(
        self,
        *,
        messages: Messages,
        response_format: ResponseFormat = NOT_GIVEN,
        model: str | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> AsyncChatCompletionStreamManager[None]: ...

    def stream(
        self,
        *,
        messages: Messages,
        response_format: type[Any] | ResponseFormat = NOT_GIVEN,
        model: str | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> AsyncChatCompletionStreamManager[Any]:
        """As the sync `stream()`, with `async with` and `async for`."""
        from ._chat_state import ChatCompletionStreamState
        from ._chat_stream import AsyncChatCompletionStreamManager

        request, tool_list = _request("stream", messages, model, response_format, tools, params)
        creates = cast(_Creates, self)
        state: ChatCompletionStreamState[Any] = ChatCompletionStreamState(
            response_format=response_format, tools=tool_list
        )
        return AsyncChatCompletionStreamManager(lambda: creates.create(**request, stream=True), state)
