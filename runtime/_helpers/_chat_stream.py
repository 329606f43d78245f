"""`client.chat.completions.stream(...)`: a context manager over a typed chunk stream
that yields openai-python's stream events (see _chat_events.py), sync and async.

```python
with client.chat.completions.stream(model="gpt-4o", messages=messages, response_format=Answer) as stream:
    for event in stream:
        if event.type == "content.delta":
            print(event.delta, end="")
completion = stream.get_final_completion()      # choices[0].message.parsed is an Answer
```

The request is sent when the `with` block is entered and the connection is released
when it is left, read to the end or not.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import Any, Generic

import httpx
from typing_extensions import Self

from .._core._streaming import AsyncStream, Stream
from ..generated.models import CreateChatCompletionStreamResponse
from ._chat_events import ChatCompletionStreamEvent
from ._chat_state import ChatCompletionStreamState
from ._parsed import ContentT, ParsedChatCompletion

__all__ = [
    "AsyncChatCompletionStream",
    "AsyncChatCompletionStreamManager",
    "ChatCompletionStream",
    "ChatCompletionStreamManager",
]

_Chunks = Stream[CreateChatCompletionStreamResponse]
_AsyncChunks = AsyncStream[CreateChatCompletionStreamResponse]


def _events(
    chunks: _Chunks | _AsyncChunks, state: ChatCompletionStreamState[ContentT], seen: list[int]
) -> Callable[[CreateChatCompletionStreamResponse], list[ChatCompletionStreamEvent[ContentT]]]:
    """The events of one chunk, after the state has seen the stream's metadata chunks
    (Azure's filter-only first chunk, which the typed stream keeps aside)."""

    def events(chunk: CreateChatCompletionStreamResponse) -> list[ChatCompletionStreamEvent[ContentT]]:
        metadata = chunks.metadata_events
        while seen[0] < len(metadata):
            state.add_metadata(metadata[seen[0]])
            seen[0] += 1
        return state.handle_chunk(chunk)

    return events


# The generators below hold the chunk stream and the state, never the object that
# holds them: a stream dropped without close() is freed at once, by reference counting
# (see azgate._core._streaming on why a cycle holding a connection must not wait for gc).


def _sync_events(
    chunks: _Chunks, state: ChatCompletionStreamState[ContentT]
) -> Iterator[ChatCompletionStreamEvent[ContentT]]:
    events = _events(chunks, state, [0])
    for chunk in chunks:
        yield from events(chunk)


async def _async_events(
    chunks: _AsyncChunks, state: ChatCompletionStreamState[ContentT]
) -> AsyncIterator[ChatCompletionStreamEvent[ContentT]]:
    events = _events(chunks, state, [0])
    async for chunk in chunks:
        for event in events(chunk):
            yield event


class _StreamBase(Generic[ContentT]):
    def __init__(self, chunks: _Chunks | _AsyncChunks, state: ChatCompletionStreamState[ContentT]) -> None:
        self._chunks = chunks
        self._state = state

    @property
    def response(self) -> httpx.Response:
        """The HTTP response the chunks arrive on (status, headers)."""
        return self._chunks.response

    @property
    def request_id(self) -> str | None:
        return self._chunks.request_id

    @property
    def current_completion_snapshot(self) -> ParsedChatCompletion[Any]:
        """The completion so far."""
        return self._state.current_completion_snapshot


class ChatCompletionStream(_StreamBase[ContentT]):
    """Iterate it for events; `get_final_completion()` reads it to the end."""

    def __init__(self, chunks: _Chunks, state: ChatCompletionStreamState[ContentT]) -> None:
        super().__init__(chunks, state)
        self._sync_chunks = chunks
        self._iterator = _sync_events(chunks, state)

    def __iter__(self) -> Iterator[ChatCompletionStreamEvent[ContentT]]:
        return self._iterator

    def __next__(self) -> ChatCompletionStreamEvent[ContentT]:
        return next(self._iterator)

    def until_done(self) -> Self:
        """Read the rest of the stream."""
        for _ in self._iterator:
            pass
        return self

    def get_final_completion(self) -> ParsedChatCompletion[ContentT]:
        """The whole completion, parsed (`message.parsed`, `parsed_arguments`)."""
        self.until_done()
        return self._state.get_final_completion()

    def close(self) -> None:
        self._sync_chunks.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncChatCompletionStream(_StreamBase[ContentT]):
    def __init__(self, chunks: _AsyncChunks, state: ChatCompletionStreamState[ContentT]) -> None:
        super().__init__(chunks, state)
        self._async_chunks = chunks
        self._iterator = _async_events(chunks, state)

    def __aiter__(self) -> AsyncIterator[ChatCompletionStreamEvent[ContentT]]:
        return self._iterator

    async def __anext__(self) -> ChatCompletionStreamEvent[ContentT]:
        return await self._iterator.__anext__()

    async def until_done(self) -> Self:
        async for _ in self._iterator:
            pass
        return self

    async def get_final_completion(self) -> ParsedChatCompletion[ContentT]:
        await self.until_done()
        return self._state.get_final_completion()

    async def close(self) -> None:
        await self._async_chunks.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


class ChatCompletionStreamManager(Generic[ContentT]):
    """What `stream()` returns: `with` it to send the request and get the stream."""

    def __init__(self, send: Callable[[], _Chunks], state: ChatCompletionStreamState[ContentT]) -> None:
        self._send = send
        self._state = state
        self._stream: ChatCompletionStream[ContentT] | None = None

    def __enter__(self) -> ChatCompletionStream[ContentT]:
        self._stream = ChatCompletionStream(self._send(), self._state)
        return self._stream

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            self._stream.close()


class AsyncChatCompletionStreamManager(Generic[ContentT]):
    """What the async `stream()` returns: `async with` it."""

    def __init__(self, send: Callable[[], Awaitable[_AsyncChunks]], state: ChatCompletionStreamState[ContentT]) -> None:
        self._send = send
        self._state = state
        self._stream: AsyncChatCompletionStream[ContentT] | None = None

    async def __aenter__(self) -> AsyncChatCompletionStream[ContentT]:
        self._stream = AsyncChatCompletionStream(await self._send(), self._state)
        return self._stream

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
