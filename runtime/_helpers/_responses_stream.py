"""`client.responses.stream(...)`: a context manager over the Responses API's event
stream that yields its typed events (see _responses_events.py), sync and async.

```python
with client.responses.stream(model="gpt-4o", input="...", text_format=Answer) as stream:
    for event in stream:
        if event.type == "response.output_text.delta":
            print(event.delta, end="")
response = stream.get_final_response()          # response.output_parsed is an Answer
```
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import Any, Generic

import httpx
from typing_extensions import Self

from .._core._streaming import AsyncStream, Stream
from ..exceptions import APIError, IncompleteStreamError
from ._parsed import ContentT, ParsedResponse
from ._responses_events import ResponseStreamEvent
from ._responses_state import ResponseStreamState

__all__ = ["AsyncResponseStream", "AsyncResponseStreamManager", "ResponseStream", "ResponseStreamManager"]

_Events = Stream[Any]
_AsyncEvents = AsyncStream[Any]


# As in _chat_stream: the generators hold the raw stream and the state, never the
# object that holds them, so a dropped stream is freed (and its connection closed) at once.


def _sync_events(raw: _Events, state: ResponseStreamState[ContentT]) -> Iterator[ResponseStreamEvent[ContentT]]:
    for event in raw:
        yield from state.handle_event(event)


async def _async_events(
    raw: _AsyncEvents, state: ResponseStreamState[ContentT]
) -> AsyncIterator[ResponseStreamEvent[ContentT]]:
    async for event in raw:
        for out in state.handle_event(event):
            yield out


class _ResponseStreamBase(Generic[ContentT]):
    def __init__(self, raw: _Events | _AsyncEvents, state: ResponseStreamState[ContentT]) -> None:
        self._raw = raw
        self._state = state

    @property
    def response(self) -> httpx.Response:
        """The HTTP response the events arrive on (status, headers)."""
        return self._raw.response

    @property
    def request_id(self) -> str | None:
        return self._raw.request_id

    @property
    def current_snapshot(self) -> ParsedResponse[Any] | None:
        """The response so far (None before `response.created`)."""
        return self._state.current_snapshot

    def _final(self) -> ParsedResponse[ContentT]:
        final = self._state.final
        if final is not None:
            return final
        ended = self._state.ended
        request = self._raw.response.request
        if ended is not None and getattr(ended, "status", None) == "failed":
            error = getattr(ended, "error", None)
            raise APIError(f"The response failed: {error}", request, body=ended.model_dump(mode="json"))
        if ended is not None:
            details = getattr(ended, "incomplete_details", None)
            raise IncompleteStreamError(
                f"The response ended incomplete ({details}); there is no final response.", request
            )
        raise IncompleteStreamError("The stream ended without a response.completed event.", request)


class ResponseStream(_ResponseStreamBase[ContentT]):
    """Iterate it for events; `get_final_response()` reads it to the end."""

    def __init__(self, raw: _Events, state: ResponseStreamState[ContentT]) -> None:
        super().__init__(raw, state)
        self._sync_raw = raw
        self._iterator = _sync_events(raw, state)

    def __iter__(self) -> Iterator[ResponseStreamEvent[ContentT]]:
        return self._iterator

    def __next__(self) -> ResponseStreamEvent[ContentT]:
        return next(self._iterator)

    def until_done(self) -> Self:
        for _ in self._iterator:
            pass
        return self

    def get_final_response(self) -> ParsedResponse[ContentT]:
        """The completed response, parsed (`output_parsed`, `parsed_arguments`). A
        response that failed raises APIError; one that ended incomplete, IncompleteStreamError."""
        self.until_done()
        return self._final()

    def close(self) -> None:
        self._sync_raw.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncResponseStream(_ResponseStreamBase[ContentT]):
    def __init__(self, raw: _AsyncEvents, state: ResponseStreamState[ContentT]) -> None:
        super().__init__(raw, state)
        self._async_raw = raw
        self._iterator = _async_events(raw, state)

    def __aiter__(self) -> AsyncIterator[ResponseStreamEvent[ContentT]]:
        return self._iterator

    async def __anext__(self) -> ResponseStreamEvent[ContentT]:
        return await self._iterator.__anext__()

    async def until_done(self) -> Self:
        async for _ in self._iterator:
            pass
        return self

    async def get_final_response(self) -> ParsedResponse[ContentT]:
        await self.until_done()
        return self._final()

    async def close(self) -> None:
        await self._async_raw.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


class ResponseStreamManager(Generic[ContentT]):
    """What `responses.stream()` returns: `with` it to send the request and get the stream."""

    def __init__(self, send: Callable[[], _Events], state: ResponseStreamState[ContentT]) -> None:
        self._send = send
        self._state = state
        self._stream: ResponseStream[ContentT] | None = None

    def __enter__(self) -> ResponseStream[ContentT]:
        self._stream = ResponseStream(self._send(), self._state)
        return self._stream

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            self._stream.close()


class AsyncResponseStreamManager(Generic[ContentT]):
    def __init__(self, send: Callable[[], Awaitable[_AsyncEvents]], state: ResponseStreamState[ContentT]) -> None:
        self._send = send
        self._state = state
        self._stream: AsyncResponseStream[ContentT] | None = None

    async def __aenter__(self) -> AsyncResponseStream[ContentT]:
        self._stream = AsyncResponseStream(await self._send(), self._state)
        return self._stream

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
