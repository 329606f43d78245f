"""`parse()` and `stream()` on `client.responses`, as openai-python has them.

The generated `Responses` / `AsyncResponses` inherit these classes (codegen/_mixins.py);
both call the generated `create()` with its keywords. What they add:

- `text_format` (a pydantic model or a dataclass) is sent as a strict json_schema
  `text.format`, and the output text comes back parsed: `response.output_parsed`;
- function tools made with `pydantic_function_tool(Model)` (the chat shape is converted)
  or marked strict come back with `parsed_arguments`;
- `stream()` is a context manager whose stream yields typed events and ends in
  `get_final_response()`.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast, overload

import pydantic

from .._core._types import NOT_GIVEN, NotGiven
from ..exceptions import ConfigurationError

if TYPE_CHECKING:
    from ._parsed import ContentT, ParsedResponse
    from ._responses_stream import AsyncResponseStreamManager, ResponseStreamManager

__all__ = ["AsyncResponsesHelpers", "ResponsesHelpers"]

Input = str | Iterable[Mapping[str, Any] | pydantic.BaseModel]
Tools = Iterable[Mapping[str, Any] | pydantic.BaseModel]


class _Creates(Protocol):
    def create(self, **params: Any) -> Any: ...


def _request(
    helper: str, text_format: object, tools: Tools | NotGiven, params: dict[str, Any]
) -> tuple[dict[str, Any], list[Any]]:
    """create()'s keywords for a helper call, and the tools as sent."""
    from ._responses_parse import text_format_param
    from ._tools import to_responses_tools

    if "stream" in params:
        raise ConfigurationError(
            f"{helper}() takes no `stream`: parse() returns one response, stream() always streams."
        )
    text = params.pop("text", NOT_GIVEN)
    if inspect.isclass(text_format):
        if isinstance(text, pydantic.BaseModel):
            text = text.model_dump(by_alias=True, exclude_unset=True)
        text = dict(text) if isinstance(text, Mapping) else {}
        if "format" in text:
            raise ConfigurationError("Give the output format once: `text_format=` or `text={'format': ...}`, not both.")
        text["format"] = text_format_param(text_format)
    tool_list = to_responses_tools(tools) if not isinstance(tools, NotGiven) else []
    request = {**params, "text": text, "tools": tool_list if not isinstance(tools, NotGiven) else NOT_GIVEN}
    return request, tool_list


class ResponsesHelpers:
    """`client.responses.parse()` and `.stream()`."""

    @overload
    def parse(
        self,
        *,
        model: str,
        input: Input,
        text_format: type[ContentT],
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ParsedResponse[ContentT]: ...

    @overload
    def parse(
        self,
        *,
        model: str,
        input: Input,
        text_format: NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ParsedResponse[None]: ...

    def parse(
        self,
        *,
        model: str,
        input: Input,
        text_format: type[Any] | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ParsedResponse[Any]:
        """A response whose output texts carry `parsed` (an instance of `text_format`;
        the first is `output_parsed`) and whose function calls carry `parsed_arguments`.
        Other keywords go to `create()`."""
        from ._responses_parse import parse_response

        request, tool_list = _request("parse", text_format, tools, params)
        response = cast(_Creates, self).create(model=model, input=input, **request)
        return parse_response(response, text_format=text_format, tools=tool_list)

    @overload
    def stream(
        self,
        *,
        model: str,
        input: Input,
        text_format: type[ContentT],
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ResponseStreamManager[ContentT]: ...

    @overload
    def stream(
        self,
        *,
        model: str,
        input: Input,
        text_format: NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ResponseStreamManager[None]: ...

    def stream(
        self,
        *,
        model: str,
        input: Input,
        text_format: type[Any] | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ResponseStreamManager[Any]:
        """A context manager: entering it sends the request and gives a stream of typed
        events with `get_final_response()`; leaving it releases the connection."""
        from ._responses_state import ResponseStreamState
        from ._responses_stream import ResponseStreamManager

        request, tool_list = _request("stream", text_format, tools, params)
        creates = cast(_Creates, self)
        state: ResponseStreamState[Any] = ResponseStreamState(text_format=text_format, tools=tool_list)
        return ResponseStreamManager(lambda: creates.create(model=model, input=input, **request, stream=True), state)


class AsyncResponsesHelpers:
    """`await client.responses.parse()` and `async with client.responses.stream()`."""

    @overload
    async def parse(
        self,
        *,
        model: str,
        input: Input,
        text_format: type[ContentT],
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ParsedResponse[ContentT]: ...

    @overload
    async def parse(
        self,
        *,
        model: str,
        input: Input,
        text_format: NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ParsedResponse[None]: ...

    async def parse(
        self,
        *,
        model: str,
        input: Input,
        text_format: type[Any] | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> ParsedResponse[Any]:
        """As the sync `parse()`."""
        from ._responses_parse import parse_response

        request, tool_list = _request("parse", text_format, tools, params)
        response = await cast(_Creates, self).create(model=model, input=input, **request)
        return parse_response(response, text_format=text_format, tools=tool_list)

    @overload
    def stream(
        self,
        *,
        model: str,
        input: Input,
        text_format: type[ContentT],
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> AsyncResponseStreamManager[ContentT]: ...

    @overload
    def stream(
        self,
        *,
        model: str,
        input: Input,
        text_format: NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> AsyncResponseStreamManager[None]: ...

    def stream(
        self,
        *,
        model: str,
        input: Input,
        text_format: type[Any] | NotGiven = NOT_GIVEN,
        tools: Tools | NotGiven = NOT_GIVEN,
        **params: Any,
    ) -> AsyncResponseStreamManager[Any]:
        """As the sync `stream()`, with `async with` and `async for`."""
        from ._responses_state import ResponseStreamState
        from ._responses_stream import AsyncResponseStreamManager

        request, tool_list = _request("stream", text_format, tools, params)
        creates = cast(_Creates, self)
        state: ResponseStreamState[Any] = ResponseStreamState(text_format=text_format, tools=tool_list)
        return AsyncResponseStreamManager(
            lambda: creates.create(model=model, input=input, **request, stream=True), state
        )
