"""httpx2 clients, the transport of openai-python 3.x, as `http_client=`.

azgate sends with httpx. A user's httpx2 client is put behind an httpx transport, so
everything that client is configured with (proxies, mounts, certificates, limits, its own
event hooks and auth; its headers and query parameters, carried by the wrapping httpx client
like an httpx client's own) applies to every request, while azgate's send loop, its
error mapping, redirects and streams stay the ones the tests prove on httpx. A request and its
response cross once, headers as raw bytes; bodies are passed through read by read, never
gathered. httpx2's errors become the httpx errors of the same name, so they are reported
as an httpx client's would be.

This module imports httpx2, and is imported only when a client is given one of its
clients (`adopt_http_client` in _transport.py decides that by the client's module).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import NoReturn

import httpx
import httpx2

__all__ = ["Httpx2AsyncClient", "Httpx2Client"]


class Httpx2Client(httpx.Client):
    """The httpx client azgate sends with, sending through the user's `httpx2.Client`.
    Redirects are followed as that client says, by azgate's send loop, never by the httpx2
    client itself: httpx2 would carry the api-key to whatever origin a Location names.
    Closing it leaves the user's client open (it stays theirs to close); it counts as
    closed once theirs is."""

    def __init__(self, client: httpx2.Client) -> None:
        super().__init__(
            transport=_Transport(client),
            headers=client.headers.raw,  # taken into each request by the SDK client, as an httpx client's
            params=tuple(client.params.multi_items()),
            follow_redirects=client.follow_redirects,
            max_redirects=client.max_redirects,
            trust_env=False,  # the user's client has applied the environment already
        )
        self.httpx2_client = client

    @property
    def is_closed(self) -> bool:
        return self.httpx2_client.is_closed or super().is_closed


class Httpx2AsyncClient(httpx.AsyncClient):
    """Httpx2Client for `AsyncClient`: sends through the user's `httpx2.AsyncClient`."""

    def __init__(self, client: httpx2.AsyncClient) -> None:
        super().__init__(
            transport=_AsyncTransport(client),
            headers=client.headers.raw,  # taken into each request by the SDK client, as an httpx client's
            params=tuple(client.params.multi_items()),
            follow_redirects=client.follow_redirects,
            max_redirects=client.max_redirects,
            trust_env=False,
        )
        self.httpx2_client = client

    @property
    def is_closed(self) -> bool:
        return self.httpx2_client.is_closed or super().is_closed


def _raise_as_httpx(exc: httpx2.HTTPError, request: httpx.Request) -> NoReturn:
    """Raise the httpx error of `exc`'s name (ConnectError, ReadTimeout, ...), chained to it
    so the cause (an ssl.SSLError, say) stays readable; a name httpx lacks is a TransportError."""
    kind = getattr(httpx, type(exc).__name__, None)
    if not (isinstance(kind, type) and issubclass(kind, httpx.RequestError)):
        kind = httpx.TransportError
    raise kind(str(exc), request=request) from exc


def _outgoing(request: httpx.Request, content: bytes | Iterator[bytes] | AsyncIterator[bytes]) -> httpx2.Request:
    # The headers as httpx encoded them (Host, Content-Length): httpx2 adds none of its own.
    return httpx2.Request(
        request.method, str(request.url), headers=request.headers.raw, content=content, extensions=request.extensions
    )


def _incoming(
    response: httpx2.Response, request: httpx.Request, stream: httpx.SyncByteStream | httpx.AsyncByteStream
) -> httpx.Response:
    # Raw reads: httpx decodes the content coding (gzip) as it would for its own transport.
    return httpx.Response(
        response.status_code,
        headers=response.headers.raw,
        stream=stream,
        request=request,
        extensions=dict(response.extensions),
    )


class _Transport(httpx.BaseTransport):
    def __init__(self, client: httpx2.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.stream
        content = request.read() if isinstance(body, httpx.ByteStream) else iter(body)  # type: ignore[arg-type]
        try:
            response = self._client.send(_outgoing(request, content), stream=True, follow_redirects=False)
        except httpx2.HTTPError as exc:
            _raise_as_httpx(exc, request)
        return _incoming(response, request, _Body(response, request))

    def close(self) -> None:
        """The user's client stays open: it is theirs to close."""


class _AsyncTransport(httpx.AsyncBaseTransport):
    def __init__(self, client: httpx2.AsyncClient) -> None:
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = request.stream
        content = await request.aread() if isinstance(body, httpx.ByteStream) else _async_parts(body)  # type: ignore[arg-type]
        try:
            response = await self._client.send(_outgoing(request, content), stream=True, follow_redirects=False)
        except httpx2.HTTPError as exc:
            _raise_as_httpx(exc, request)
        return _incoming(response, request, _AsyncBody(response, request))

    async def aclose(self) -> None:
        """The user's client stays open: it is theirs to close."""


async def _async_parts(body: httpx.AsyncByteStream) -> AsyncIterator[bytes]:
    async for part in body:
        yield part


class _Body(httpx.SyncByteStream):
    def __init__(self, response: httpx2.Response, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._response.iter_raw()
        except httpx2.HTTPError as exc:
            _raise_as_httpx(exc, self._request)

    def close(self) -> None:
        self._response.close()


class _AsyncBody(httpx.AsyncByteStream):
    def __init__(self, response: httpx2.Response, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._response.aiter_raw():
                yield part
        except httpx2.HTTPError as exc:
            _raise_as_httpx(exc, self._request)

    async def aclose(self) -> None:
        await self._response.aclose()
