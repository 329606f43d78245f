"""Base classes of the generated resources (`client.chat.completions`, ...), and the
typed views `with_raw_response` / `with_streaming_response` build from them.

A resource answers in one `ResponseMode`. The views hold a copy of the resource in the
"raw" or "streamed" mode and expose its methods under types that say so: the same
parameters (overloads included), returning `APIResponse[R]` or a context manager of a
`StreamedAPIResponse[R]` where the method returns `R`.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from typing_extensions import Self

from ._response import (
    APIResponse,
    AsyncResponseContextManager,
    AsyncStreamedAPIResponse,
    ResponseContextManager,
    ResponseMode,
    StreamedAPIResponse,
)

if TYPE_CHECKING:
    from ._async_client import AsyncAPIClient
    from ._sync_client import SyncAPIClient

__all__ = [
    "AsyncAPIResource",
    "SyncAPIResource",
    "async_raw_response_method",
    "async_streamed_response_method",
    "raw_response_method",
    "streamed_response_method",
]

_P = ParamSpec("_P")
_R = TypeVar("_R")


class SyncAPIResource:
    def __init__(self, client: SyncAPIClient, response_mode: ResponseMode = "parsed") -> None:
        self._client = client
        self._response_mode: ResponseMode = response_mode

    def _in_mode(self, mode: ResponseMode) -> Self:
        return type(self)(self._client, mode)


class AsyncAPIResource:
    def __init__(self, client: AsyncAPIClient, response_mode: ResponseMode = "parsed") -> None:
        self._client = client
        self._response_mode: ResponseMode = response_mode

    def _in_mode(self, mode: ResponseMode) -> Self:
        return type(self)(self._client, mode)


# The methods below receive a method of a resource already in the matching mode, which
# returns the response object at run time; they only give it its true type (and delay
# the request of a streamed response until its `with` block is entered).


def raw_response_method(method: Callable[_P, _R]) -> Callable[_P, APIResponse[_R]]:
    return cast("Callable[_P, APIResponse[_R]]", method)


def async_raw_response_method(method: Callable[_P, Awaitable[_R]]) -> Callable[_P, Awaitable[APIResponse[_R]]]:
    return cast("Callable[_P, Awaitable[APIResponse[_R]]]", method)


def streamed_response_method(
    method: Callable[_P, _R],
) -> Callable[_P, ResponseContextManager[StreamedAPIResponse[_R]]]:
    @functools.wraps(method)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> ResponseContextManager[StreamedAPIResponse[_R]]:
        send = cast("Callable[[], StreamedAPIResponse[_R]]", functools.partial(method, *args, **kwargs))
        return ResponseContextManager(send)

    return wrapped


def async_streamed_response_method(
    method: Callable[_P, Awaitable[_R]],
) -> Callable[_P, AsyncResponseContextManager[AsyncStreamedAPIResponse[_R]]]:
    @functools.wraps(method)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncResponseContextManager[AsyncStreamedAPIResponse[_R]]:
        send: Callable[[], Awaitable[Any]] = functools.partial(method, *args, **kwargs)
        return AsyncResponseContextManager(cast("Callable[[], Awaitable[AsyncStreamedAPIResponse[_R]]]", send))

    return wrapped
