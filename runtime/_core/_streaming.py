"""Typed streams over server-sent events, sync and async.

A stream yields one model per `data:` event, ends on `data: [DONE]`, and raises
`IncompleteStreamError` when the connection ends before it: a truncated answer must
never look complete. Events that only describe the stream (the event model names them
with `x-azgate-stream-metadata`, such as Azure's first chat chunk: no `choices`, only
`prompt_filter_results`) are kept in `metadata_events` instead of being yielded, so a
loop over the output never meets an event without output.
"""

from __future__ import annotations

import json
from types import TracebackType
from typing import TYPE_CHECKING, AsyncIterator, Generic, Iterator, TypeVar

import httpx
import pydantic

from ..exceptions import APIError, IncompleteStreamError
from ._response_parser import parse_response
from ._sse import ServerSentEvent, SSEDecoder

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["AsyncStream", "Stream"]

_T = TypeVar("_T", bound=pydantic.BaseModel)

_DONE = "[DONE]"


class _StreamBase(Generic[_T]):
    response: httpx.Response

    def __init__(self, response: httpx.Response, model: type[_T], *, strict: bool = False) -> None:
        self.response = response
        self._model = model
        self._strict = strict
        self._decoder = SSEDecoder()
        self._done = False
        self._metadata_when_empty = _metadata_fields(model)
        self.metadata_events: list[_T] = []
        """Events not yielded because they carry only metadata about the stream, in order
        (for Azure's chat: the chunk with `prompt_filter_results`)."""

    @property
    def request_id(self) -> str | None:
        headers = self.response.headers
        request_id: str | None = headers.get("x-request-id") or headers.get("apim-request-id")
        return request_id

    def _parse(self, event: ServerSentEvent) -> _T | None:
        """The event's model; None at [DONE] and for anything after it."""
        data = event.data
        if self._done:
            return None
        if data == _DONE:
            self._done = True
            return None
        if event.event == "error" or data.startswith('{"error"'):
            raise APIError(f"The stream reported an error: {data}", self.response.request, body=_json_or_text(data))
        item = parse_response(self._model, data, strict=self._strict, response=self.response)
        empty = self._metadata_when_empty
        # The first field alone settles it for every event with output (cheap per event).
        if empty and not getattr(item, empty[0], None) and not any(getattr(item, f, None) for f in empty[1:]):
            self.metadata_events.append(item)
            return None
        return item

    def _incomplete(self) -> IncompleteStreamError:
        return IncompleteStreamError(
            "The stream ended before data: [DONE]; the output is incomplete.", self.response.request
        )


class Stream(_StreamBase[_T]):
    """An iterator of typed events; use it in a `with` block or iterate it to the end
    so the connection goes back to the pool."""

    def __init__(self, response: httpx.Response, model: type[_T], *, strict: bool = False) -> None:
        super().__init__(response, model, strict=strict)
        self._iterator = self._events()

    def __iter__(self) -> Iterator[_T]:
        return self._iterator

    def __next__(self) -> _T:
        return next(self._iterator)

    def _events(self) -> Iterator[_T]:
        try:
            # Read to the end even after [DONE], so the connection goes back to the pool.
            for chunk in self.response.iter_bytes():
                for event in self._decoder.feed(chunk):
                    if (item := self._parse(event)) is not None:
                        yield item
            for event in self._decoder.flush():
                if (item := self._parse(event)) is not None:
                    yield item
            if not self._done:
                raise self._incomplete()
        except httpx.TransportError as exc:
            raise IncompleteStreamError(
                f"The connection broke mid-stream ({type(exc).__name__}); the output is incomplete.",
                self.response.request,
            ) from exc
        finally:
            self.response.close()

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncStream(_StreamBase[_T]):
    def __init__(self, response: httpx.Response, model: type[_T], *, strict: bool = False) -> None:
        super().__init__(response, model, strict=strict)
        self._iterator = self._events()

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iterator

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    async def _events(self) -> AsyncIterator[_T]:
        try:
            # Read to the end even after [DONE], so the connection goes back to the pool.
            async for chunk in self.response.aiter_bytes():
                for event in self._decoder.feed(chunk):
                    if (item := self._parse(event)) is not None:
                        yield item
            for event in self._decoder.flush():
                if (item := self._parse(event)) is not None:
                    yield item
            if not self._done:
                raise self._incomplete()
        except httpx.TransportError as exc:
            raise IncompleteStreamError(
                f"The connection broke mid-stream ({type(exc).__name__}); the output is incomplete.",
                self.response.request,
            ) from exc
        finally:
            await self.response.aclose()

    async def close(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


def _metadata_fields(model: type[pydantic.BaseModel]) -> tuple[str, ...]:
    """The fields whose emptiness marks an event as stream metadata (see the module doc)."""
    extra = model.model_config.get("json_schema_extra")
    fields = extra.get("x-azgate-stream-metadata") if isinstance(extra, dict) else None
    return tuple(f for f in fields if isinstance(f, str)) if isinstance(fields, list) else ()


def _json_or_text(data: str) -> object:
    try:
        return json.loads(data)
    except ValueError:
        return data
