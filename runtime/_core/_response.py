"""The HTTP response behind a result: what `with_raw_response` and
`with_streaming_response` return.

- `APIResponse` (`with_raw_response`, sync and async clients): the body has been read
  (except a server-sent-event stream's); `.parse()` gives what the plain call returns.
- `StreamedAPIResponse` / `AsyncStreamedAPIResponse` (`with_streaming_response`): only
  the headers have arrived; read the body with `.iter_bytes()`, `.iter_lines()`,
  `.read()` or `.parse()` inside the `with` block, which closes it.

Each holds the parse step of its call, so `.parse()` runs exactly what the plain call
would have run (content-type checks included) and returns the same typed result.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIResponse",
    "AsyncResponseContextManager",
    "AsyncStreamedAPIResponse",
    "ResponseContextManager",
    "ResponseMode",
    "StreamedAPIResponse",
    "request_id_of",
]

_R = TypeVar("_R")
_Resp = TypeVar("_Resp", bound="StreamedAPIResponse[Any]")
_AResp = TypeVar("_AResp", bound="AsyncStreamedAPIResponse[Any]")

ResponseMode = Literal["parsed", "raw", "streamed"]
"""What a resource's methods return: the typed result, an `APIResponse`, or a
`StreamedAPIResponse` whose body has not been read."""


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """The id to quote to support: OpenAI's `x-request-id`, else Azure API Management's."""
    request_id: str | None = headers.get("x-request-id") or headers.get("apim-request-id")
    return request_id


_UNPARSED: Any = object()


class _ResponseBase(Generic[_R]):
    http_response: httpx.Response
    """The httpx response."""

    def __init__(self, response: httpx.Response, parse: Callable[[httpx.Response], _R], *, stream: bool) -> None:
        self.http_response = response
        self._parse = parse
        self._stream = stream  # a server-sent-event stream: parse() must not read the body
        self._parsed: _R = _UNPARSED

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_response.request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def elapsed(self) -> timedelta:
        """Time from sending the request to the end of the response (once it is read)."""
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    @property
    def request_id(self) -> str | None:
        return request_id_of(self.http_response.headers)

    def _parse_once(self) -> _R:
        if self._parsed is _UNPARSED:
            self._parsed = self._parse(self.http_response)
        return self._parsed

    def __repr__(self) -> str:
        r = self.http_response
        return f"<{type(self).__name__} [{r.status_code} {r.reason_phrase}] {r.request.method} {r.request.url.path}>"


class APIResponse(_ResponseBase[_R]):
    """A response whose body has been read (`with_raw_response`)."""

    def parse(self) -> _R:
        """The typed result, as the call without `with_raw_response` returns it (computed once)."""
        return self._parse_once()

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def json(self) -> object:
        return json.loads(self.http_response.content)


class StreamedAPIResponse(_ResponseBase[_R]):
    """A response whose body has not been read yet (`with_streaming_response`)."""

    def parse(self) -> _R:
        """The typed result: reads the body first, except for an event stream, whose
        `Stream` reads it as you iterate."""
        if not self._stream:
            self.http_response.read()
        return self._parse_once()

    def read(self) -> bytes:
        return self.http_response.read()

    def text(self) -> str:
        self.http_response.read()
        return self.http_response.text

    def json(self) -> object:
        return json.loads(self.http_response.read())

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def stream_to_file(self, file: str | os.PathLike[str], *, chunk_size: int | None = None) -> None:
        """Write the body to `file` as it arrives (speech audio, file content), never
        holding all of it in memory."""
        with open(file, "wb") as out:
            for data in self.http_response.iter_bytes(chunk_size):
                out.write(data)

    def close(self) -> None:
        self.http_response.close()


class AsyncStreamedAPIResponse(_ResponseBase[_R]):
    """A response whose body has not been read yet (`with_streaming_response` of `AsyncClient`)."""

    async def parse(self) -> _R:
        """The typed result: reads the body first, except for an event stream, whose
        `AsyncStream` reads it as you iterate."""
        if not self._stream:
            await self.http_response.aread()
        return self._parse_once()

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.http_response.aread()
        return self.http_response.text

    async def json(self) -> object:
        return json.loads(await self.http_response.aread())

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def stream_to_file(self, file: str | os.PathLike[str], *, chunk_size: int | None = None) -> None:
        """Write the body to `file` as it arrives (the file is written from a worker
        thread, so a slow disk does not stall the event loop)."""
        import anyio

        async with await anyio.open_file(file, "wb") as out:
            async for data in self.http_response.aiter_bytes(chunk_size):
                await out.write(data)

    async def close(self) -> None:
        await self.http_response.aclose()


class ResponseContextManager(Generic[_Resp]):
    """Sends the request on entering and closes the response on leaving."""

    def __init__(self, send: Callable[[], _Resp]) -> None:
        self._send = send
        self._response: _Resp | None = None

    def __enter__(self) -> _Resp:
        self._response = self._send()
        return self._response

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._response is not None:
            self._response.close()


class AsyncResponseContextManager(Generic[_AResp]):
    """Sends the request on entering and closes the response on leaving."""

    def __init__(self, send: Callable[[], Awaitable[_AResp]]) -> None:
        self._send = send
        self._response: _AResp | None = None

    async def __aenter__(self) -> _AResp:
        self._response = await self._send()
        return self._response

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._response is not None:
            await self._response.close()
