"""The byte streams the send loops and azgate's own pool put around httpx's responses:
a deadline on the whole body, `elapsed` set as httpx's `send` sets it, and httpcore's
errors raised as httpx's. Imported with the first response that is httpx's."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import timedelta
from typing import Any

import httpx

from ._wire import raise_mapped

__all__ = [
    "AsyncDeadlineStream",
    "AsyncMappedStream",
    "AsyncTimedStream",
    "DeadlineStream",
    "MappedStream",
    "TimedStream",
]


class DeadlineStream(httpx.SyncByteStream):
    """A response body that stops with ReadTimeout once the call's deadline has passed:
    a read timeout bounds each read, so a trickling server needs this to be stopped."""

    def __init__(self, stream: httpx.SyncByteStream, deadline: float, request: httpx.Request) -> None:
        self._stream = stream
        self._deadline = deadline
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            if time.monotonic() > self._deadline:
                raise httpx.ReadTimeout("total_timeout ran out while reading the body", request=self._request)
            yield chunk

    def close(self) -> None:
        self._stream.close()


class AsyncDeadlineStream(httpx.AsyncByteStream):
    """DeadlineStream for async responses: every read is cancelled at the deadline."""

    def __init__(self, stream: httpx.AsyncByteStream, deadline: float, request: httpx.Request) -> None:
        self._stream = stream
        self._deadline = deadline
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        import anyio  # async clients only: a sync process never loads it

        chunks = self._stream.__aiter__()
        while True:
            with anyio.move_on_after(self._deadline - time.monotonic()) as scope:
                try:
                    chunk = await chunks.__anext__()
                except StopAsyncIteration:
                    return
            if scope.cancelled_caught:
                raise httpx.ReadTimeout("total_timeout ran out while reading the body", request=self._request)
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()


class TimedStream(httpx.SyncByteStream):
    """A response body that sets `response.elapsed` when it is closed, as httpx's `send`
    binds every body it returns."""

    def __init__(self, stream: httpx.SyncByteStream, response: httpx.Response, start: float) -> None:
        self._stream = stream
        self._response = response
        self._start = start

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._stream)  # no frame of ours per chunk

    def close(self) -> None:
        self._response.elapsed = timedelta(seconds=time.perf_counter() - self._start)
        self._stream.close()


class AsyncTimedStream(httpx.AsyncByteStream):
    """TimedStream for async responses."""

    def __init__(self, stream: httpx.AsyncByteStream, response: httpx.Response, start: float) -> None:
        self._stream = stream
        self._response = response
        self._start = start

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._stream.__aiter__()

    async def aclose(self) -> None:
        self._response.elapsed = timedelta(seconds=time.perf_counter() - self._start)
        await self._stream.aclose()


class MappedStream(httpx.SyncByteStream):
    """httpcore's body as httpx's transport hands it on: its errors raised as httpx's."""

    def __init__(self, stream: Iterable[bytes], request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except Exception as exc:
            raise_mapped(exc, self._request)

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class AsyncMappedStream(httpx.AsyncByteStream):
    """MappedStream for async responses."""

    def __init__(self, stream: Any, request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._stream:
                yield chunk
        except Exception as exc:
            raise_mapped(exc, self._request)

    async def aclose(self) -> None:
        aclose = getattr(self._stream, "aclose", None)
        if aclose is not None:
            await aclose()
