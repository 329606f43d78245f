"""Typed streams over server-sent events, sync and async.

A stream yields one model per `data:` event, ends on `data: [DONE]`, and raises
`IncompleteStreamError` when the connection ends before it: a truncated answer must
never look complete. Events that only describe the stream (the event model names them
with `x-azgate-stream-metadata`, such as Azure's first chat chunk: no `choices`, only
`prompt_filter_results`) are kept in `metadata_events` instead of being yielded, so a
loop over the output never meets an event without output.

Lifetime. A stream holds a connection until its response is closed: at the end of the
events, on `close()` / leaving `with`, or when the caller drops it. The last case must
happen at once, by reference counting, never later in the garbage collector: httpcore
closes a connection under its pool's (non-reentrant) lock, and a collection that starts
while this thread holds that lock, and finalizes an open stream, deadlocks the process
(encode/httpcore#990). So nothing here refers back to the stream object: the generator
that reads events holds only an `_EventReader`, and the stream and the loop hold the
generator; a sync stream starts it at once (see `_events`), so when the last of them lets
go, `for chunk in stream: break` or a stream never read, its `finally` closes the
response there.

Streams that send no `data: [DONE]` (the Responses API) are complete after the event
the operation names as their last (`OperationSpec.stream_end`, from spec/).
"""

from __future__ import annotations

import contextlib
import json
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    ClassVar,
    Generator,
    Generic,
    Iterator,
    TypeVar,
)

import httpx
import pydantic

from ..exceptions import APIError, APITimeoutError, IncompleteStreamError, bounded, error_body
from ._event_models import event_models
from ._sse import ServerSentEvent, SSEDecoder, whole_json_event

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["AsyncStream", "Stream"]

_T = TypeVar("_T", bound=pydantic.BaseModel)

_DONE = "[DONE]"
_ERROR = b'{"error"'


class _EventReader(Generic[_T]):
    """One stream's state: its response, decoder and progress. Deliberately holds no
    reference to the Stream that owns it (see the module docstring)."""

    __slots__ = ("decoder", "done", "end", "events", "first_metadata", "metadata_events", "metadata_when_empty",
                 "prepare", "response", "shortcut", "started", "strict", "validate")  # fmt: skip

    def __init__(
        self,
        response: httpx.Response,
        model: type[_T],
        strict: bool,
        prepare: Callable[[ServerSentEvent], ServerSentEvent] | None = None,
        end: tuple[str, frozenset[str]] | None = None,
        named: bool = False,
    ) -> None:
        self.response = response
        self.end = end
        self.strict = strict
        self.prepare = prepare
        self.decoder = SSEDecoder()
        self.done = False
        self.started = False
        self.events = event_models(model, named=named)
        self.validate = self.events.validate
        self.shortcut = self.validate if prepare is None else None
        """What a read that is one whole JSON event goes straight to (see `_events`); None
        when events need their name or reshaping first."""
        self.metadata_when_empty = _metadata_fields(model)
        self.first_metadata = self.metadata_when_empty[0] if self.metadata_when_empty else None
        self.metadata_events: list[_T] = []

    def parse(self, event: ServerSentEvent) -> _T | None:
        """The event's model; None at [DONE], for anything after it, and for metadata events."""
        if self.prepare is not None:
            event = self.prepare(event)
        data = event.data
        if self.done:
            return None
        if data == _DONE:
            self.done = True
            return None
        if event.event == "error" or data.startswith('{"error"'):
            raise APIError(
                f"The stream reported an error: {bounded(data)}",
                self.response.request,
                body=error_body(_json_or_text(data)),
            )
        item: pydantic.BaseModel | None = None
        if self.validate is not None:
            with contextlib.suppress(pydantic.ValidationError):
                item = self.validate(data)
        if item is None:  # a deviating event, or a union of events whose tag is the event's name
            item = self.events.lenient(data, event.event, strict=self.strict, response=self.response)
        return self.kept(item)

    def items(self, chunk: bytes) -> list[_T]:
        """The models of the events `chunk` completes, event by event (see `parse`): every
        read the stream loop does not parse as one whole event."""
        return [parsed for event in self.decoder.feed(chunk) if (parsed := self.parse(event)) is not None]

    def takes_whole_events(self) -> bool:
        """Whether the next read may go to `shortcut` as it is (nothing pending, not done)."""
        return self.shortcut is not None and not self.done and self.decoder.idle

    def kept(self, item: pydantic.BaseModel) -> _T | None:
        """`item`, unless it is a metadata event (kept aside); notes the stream's last event."""
        empty = self.metadata_when_empty
        # The first field alone settles it for every event with output (cheap per event).
        if empty and not getattr(item, empty[0], None) and not any(getattr(item, f, None) for f in empty[1:]):
            self.metadata_events.append(item)  # type: ignore[arg-type]
            return None
        if self.end is not None and _is_last(item, self.end):
            self.done = True
        return item  # type: ignore[return-value]

    def incomplete(self) -> IncompleteStreamError:
        return IncompleteStreamError(
            "The stream ended before data: [DONE]; the output is incomplete.", self.response.request
        )

    def broken(self, exc: httpx.HTTPError) -> APIError:
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(self.response.request, f"The stream timed out ({exc}).")
        return IncompleteStreamError(
            f"The connection broke mid-stream ({type(exc).__name__}); the output is incomplete.",
            self.response.request,
        )


def _events(reader: _EventReader[_T]) -> Generator[_T, None, None]:
    """The events; primed by Stream (run to the first `yield`), so that dropping it, read
    or not, runs its `finally` at once and closes the response.

    The usual read, one whole JSON event, is parsed straight from its bytes, and the checks
    that it yields as it is are made here rather than in a method: a call per event is a few
    percent of a stream's CPU (bench/README.md). `_aevents` is this loop over async reads."""
    reader.started = True
    shortcut, items, first, end = reader.shortcut, reader.items, reader.first_metadata, reader.end
    try:
        yield None  # type: ignore[misc]  # the priming step, never seen by a caller
        usual = shortcut is not None
        # Read to the end even after [DONE], so the connection goes back to the pool.
        for chunk in _reads(reader.response):
            if usual and (data := whole_json_event(chunk)) is not None and not data.startswith(_ERROR):
                try:
                    item = shortcut(data)  # type: ignore[misc]  # usual: not None
                except pydantic.ValidationError:
                    pass  # a deviating event: `items` reads it leniently
                else:
                    if (first is None or getattr(item, first, None)) and end is None:
                        yield item  # type: ignore[misc]  # a model of the stream's type
                    elif (kept := reader.kept(item)) is not None:
                        yield kept
                    usual = not reader.done
                    continue
            yield from items(chunk)
            usual = reader.takes_whole_events()
        for event in reader.decoder.flush():
            if (last := reader.parse(event)) is not None:
                yield last
        if not reader.done:
            raise reader.incomplete()
    except httpx.HTTPError as exc:  # transport errors, and a body that does not decode (gzip)
        raise reader.broken(exc) from exc
    finally:
        reader.response.close()


async def _aevents(reader: _EventReader[_T]) -> AsyncGenerator[_T, None]:
    reader.started = True
    shortcut, items, first, end = reader.shortcut, reader.items, reader.first_metadata, reader.end
    try:
        usual = shortcut is not None
        async for chunk in _areads(reader.response):
            if usual and (data := whole_json_event(chunk)) is not None and not data.startswith(_ERROR):
                try:
                    item = shortcut(data)  # type: ignore[misc]  # usual: not None
                except pydantic.ValidationError:
                    pass
                else:
                    if (first is None or getattr(item, first, None)) and end is None:
                        yield item  # type: ignore[misc]
                    elif (kept := reader.kept(item)) is not None:
                        yield kept
                    usual = not reader.done
                    continue
            for each in items(chunk):
                yield each
            usual = reader.takes_whole_events()
        for event in reader.decoder.flush():
            if (last := reader.parse(event)) is not None:
                yield last
        if not reader.done:
            raise reader.incomplete()
    except httpx.HTTPError as exc:
        raise reader.broken(exc) from exc
    finally:
        await reader.response.aclose()


class _StreamBase(Generic[_T]):
    _named_events: ClassVar[bool] = False
    """True for streams that name each event on its `event:` line (see _named_events.py)."""

    @staticmethod
    def _prepare_event(event: ServerSentEvent) -> ServerSentEvent:
        """Overridden (as a staticmethod) by streams that reshape each event before it is
        parsed (named events): a plain function, so the reader needs no reference back."""
        return event

    def __init__(
        self,
        response: httpx.Response,
        model: type[_T],
        *,
        strict: bool = False,
        end: tuple[str, frozenset[str]] | None = None,
    ) -> None:
        prepare = type(self)._prepare_event
        own_prepare = None if prepare is _StreamBase._prepare_event else prepare
        self._reader = _EventReader(response, model, strict, own_prepare, end, self._named_events)

    @property
    def response(self) -> httpx.Response:
        return self._reader.response

    @property
    def metadata_events(self) -> list[_T]:
        """Events not yielded because they carry only metadata about the stream, in order
        (for Azure's chat: the chunk with `prompt_filter_results`)."""
        return self._reader.metadata_events

    @property
    def request_id(self) -> str | None:
        headers = self.response.headers
        request_id: str | None = headers.get("x-request-id") or headers.get("apim-request-id")
        return request_id


class Stream(_StreamBase[_T]):
    """An iterator of typed events. Use it in a `with` block or iterate it to the end;
    a stream dropped half-read (`break` out of a `for` loop) closes its connection at once."""

    def __init__(
        self,
        response: httpx.Response,
        model: type[_T],
        *,
        strict: bool = False,
        end: tuple[str, frozenset[str]] | None = None,
    ) -> None:
        super().__init__(response, model, strict=strict, end=end)
        iterator = _events(self._reader)
        next(iterator)  # started: from here on, freeing it closes the response
        self._iterator = iterator

    def __iter__(self) -> Iterator[_T]:
        # The generator itself, so a loop costs no call of ours per event. Whoever holds it
        # last (the loop, or this stream) frees it, which closes the response at once,
        # however the loop is left.
        return self._iterator

    def __next__(self) -> _T:
        return next(self._iterator)

    def close(self) -> None:
        self._iterator.close()  # runs the generator's `finally`
        self._reader.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncStream(_StreamBase[_T]):
    """An async iterator of typed events; `async with` it, or iterate it to the end."""

    def __init__(
        self,
        response: httpx.Response,
        model: type[_T],
        *,
        strict: bool = False,
        end: tuple[str, frozenset[str]] | None = None,
    ) -> None:
        super().__init__(response, model, strict=strict, end=end)
        self._iterator = _aevents(self._reader)

    def __aiter__(self) -> AsyncIterator[_T]:
        return self  # see Stream.__iter__

    def __anext__(self) -> Awaitable[_T]:
        # The generator's own awaitable: no coroutine of ours per event.
        return self._iterator.__anext__()

    async def close(self) -> None:
        await self._iterator.aclose()
        await self._reader.response.aclose()

    def __del__(self) -> None:
        # A started async generator is closed by the event loop's finalizer hook as it is freed
        # next; one never iterated has no such hook, so its response is closed here.
        reader = self._reader
        if reader.started or reader.response.is_closed:
            return
        import asyncio  # loaded already wherever an AsyncStream exists; not at `import azgate`

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop in this thread: nothing can await the close
        # Nothing can hold the task from here; the loop's queue holds it until it has run.
        with contextlib.suppress(Exception):  # a finalizer must not raise (a closing loop)
            loop.create_task(reader.response.aclose())  # noqa: RUF006

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


def _reads(response: httpx.Response) -> Iterator[bytes]:
    """The body's reads. One that arrives as it is (no gzip or other content coding, as
    event streams usually come) is read straight from its byte stream: its reads are its
    bytes, and httpx's `iter_raw` would add a generator and a chunker per read. The
    caller closes the response."""
    stream = response.stream
    if _unencoded(response) and isinstance(stream, httpx.SyncByteStream):
        response.is_stream_consumed = True
        return iter(stream)
    return response.iter_bytes()


def _areads(response: httpx.Response) -> AsyncIterator[bytes]:
    stream = response.stream
    if _unencoded(response) and isinstance(stream, httpx.AsyncByteStream):
        response.is_stream_consumed = True
        return stream.__aiter__()
    return response.aiter_bytes()


def _unencoded(response: httpx.Response) -> bool:
    """Whether the body arrives as it is and is unread."""
    coding = response.headers.get("content-encoding")
    return (coding is None or coding.strip().lower() in ("", "identity")) and not response.is_stream_consumed


def _is_last(item: pydantic.BaseModel, end: tuple[str, frozenset[str]]) -> bool:
    """Whether `item` (or the event a union root model holds) is a stream's last event."""
    field, values = end
    value = getattr(getattr(item, "root", item), field, None)
    return isinstance(value, str) and value in values


def _metadata_fields(model: type[pydantic.BaseModel]) -> tuple[str, ...]:
    """The fields whose emptiness marks an event as stream metadata (see the module doc)."""
    extra = model.model_config.get("json_schema_extra")
    fields = extra.get("x-azgate-stream-metadata") if isinstance(extra, dict) else None
    return tuple(f for f in fields if isinstance(f, str)) if isinstance(fields, list) else ()


def _json_or_text(data: str) -> object:
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return data
