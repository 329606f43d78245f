"""The asynchronous client: settings, lifetime, and the send loop (attempts, retries, re-authentication)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Mapping, Sequence, TypeVar, overload

import anyio
import httpx
import pydantic
from typing_extensions import Unpack

from ._base_client import BaseClient, CastTo, PreparedRequest, RequestParts
from ._named_events import AsyncNamedEventStream
from ._operation import OperationSpec
from ._pagination import AsyncPage, AsyncPaginator
from ._response import APIResponse, AsyncStreamedAPIResponse, ResponseMode
from ._retry import next_delay
from ._settings import ClientSettings
from ._streaming import AsyncStream
from ._types import NOT_GIVEN, Timeout

if TYPE_CHECKING:
    from .._routing._routed import Routing

__all__ = ["AsyncAPIClient"]

log = logging.getLogger("azgate")

_Self = TypeVar("_Self", bound="AsyncAPIClient")
_T = TypeVar("_T")
_U = TypeVar("_U")
_M = TypeVar("_M", bound=pydantic.BaseModel)


def _default_http_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(
        follow_redirects=False, limits=httpx.Limits(max_connections=1000, max_keepalive_connections=100)
    )


class AsyncAPIClient(BaseClient):
    _asynchronous = True

    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **settings: Unpack[ClientSettings]) -> None:
        """A client of one Azure OpenAI resource (or of OpenAI with provider="openai").

        The settings are described on `ClientSettings`; `http_client` is an httpx client to
        send with (its connection pool is then yours to close).
        """
        super().__init__(**settings)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else _default_http_client()
        self._routing: Routing | None = None
        if settings.get("config") is not None:
            from .._routing._attach import attach_routing  # only routed clients load the router

            attach_routing(self)

    def with_options(self: _Self, **overrides: Unpack[ClientSettings]) -> _Self:
        """A copy with some settings changed, sharing this client's connection pool."""
        settings = self._copy_settings(overrides)
        if self._routing is not None:
            settings["config"] = self._routing.for_copy(overrides)
        # A client with nothing to call (`Client().with_options(config=...)`) is usually
        # dropped at once: its copy gets a pool of its own, closed with the copy.
        fresh = self._options.unconfigured is not None and self._owns_http
        copy = type(self)(http_client=_default_http_client() if fresh else self._http, **settings)
        copy._owns_http = fresh
        copy._share_auth(self, overrides)
        return copy

    async def close(self) -> None:
        if self._routing is not None:
            await self._routing.arelease(self)
        if self._owns_http:
            await self._http.aclose()
        aclose = getattr(self._options.auth, "aclose", None)
        if self._owns_auth and aclose is not None:
            await aclose()  # a credential this client created

    async def __aenter__(self: _Self) -> _Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @overload
    async def _request(
        self, op: OperationSpec, *, cast_to: type[_T], stream: Literal[False] = False, **call: Unpack[RequestParts]
    ) -> _T: ...

    @overload
    async def _request(
        self,
        op: OperationSpec,
        *,
        cast_to: tuple[type[_T], type[_U]],
        stream: Literal[False] = False,
        **call: Unpack[RequestParts],
    ) -> _T | _U: ...

    @overload
    async def _request(
        self,
        op: OperationSpec,
        *,
        cast_to: type[_T],
        stream_model: type[_M],
        stream: Literal[True],
        **call: Unpack[RequestParts],
    ) -> AsyncStream[_M]: ...

    @overload
    async def _request(
        self,
        op: OperationSpec,
        *,
        cast_to: type[_T],
        stream_model: type[_M],
        stream: bool,
        **call: Unpack[RequestParts],
    ) -> _T | AsyncStream[_M]: ...

    async def _request(
        self,
        op: OperationSpec,
        *,
        cast_to: CastTo,
        stream_model: type[pydantic.BaseModel] | None = None,
        stream: bool = False,
        body: dict[str, object] | None = None,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, object] | None = None,
        files: Sequence[tuple[str, Any]] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Timeout = NOT_GIVEN,
        response_mode: ResponseMode = "parsed",
    ) -> Any:
        """Send one call and return its result as `cast_to` says (a stream of
        `stream_model` events when `stream`), or the response object the mode asks for."""
        if self._routing is not None:  # a routed client: the router calls its targets' _request
            call: dict[str, Any] = {"cast_to": cast_to, "stream_model": stream_model, "stream": stream, "body": body}
            call.update(path_params=path_params, query=query, files=files, extra_headers=extra_headers)
            call.update(extra_query=extra_query, extra_body=extra_body, timeout=timeout, response_mode=response_mode)
            return await self._routing.arun(self, op, call)
        prepared = self._prepare(
            op,
            body=body,
            path_params=path_params,
            query=query,
            files=files,
            stream=stream,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )
        if stream:
            assert stream_model is not None
            model = stream_model
            return await self._respond(prepared, lambda response: self._open_stream(op, model, response), response_mode)
        return await self._respond(prepared, lambda response: self._parse(op, response, cast_to), response_mode)

    def _request_page(
        self,
        op: OperationSpec,
        *,
        cast_to: type[pydantic.BaseModel],
        item: type[_T],
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Timeout = NOT_GIVEN,
        response_mode: ResponseMode = "parsed",
    ) -> AsyncPaginator[_T]:
        """A list operation of `item`s, pages of `cast_to`: awaiting the result gives
        the first page, `async for` every item. Nothing is sent until then."""
        if self._routing is not None:  # pages come from the first target, which holds the objects
            routed: AsyncPaginator[_T] = self._routing.primary._request_page(
                op,
                cast_to=cast_to,
                item=item,
                path_params=path_params,
                query=query,
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                response_mode=response_mode,
            )
            return routed

        def prepare(after: str | None) -> PreparedRequest:
            return self._prepare(
                op,
                body=None,
                path_params=path_params,
                query={**(query or {}), "after": after} if after is not None else query,
                files=None,
                stream=False,
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
            )

        async def fetch(after: str) -> Any:
            return self._parse(op, await self._send(prepare(after)), cast_to)

        def parse(response: httpx.Response) -> AsyncPage[_T]:
            return AsyncPage(self._parse(op, response, cast_to), fetch, can_follow=self._accepts(op, "after"))

        first = prepare(None)  # checks the call now, as the sync client does
        return AsyncPaginator(lambda: self._respond(first, parse, response_mode))

    async def _respond(
        self, prepared: PreparedRequest, parse: Callable[[httpx.Response], Any], mode: ResponseMode
    ) -> Any:
        """Send, then return what the mode asks for: the parsed result, or the response
        with its parse step (a streamed one before its body is read)."""
        events = prepared.stream
        if mode == "streamed":
            prepared = replace(prepared, read_body=False)
        response = await self._send(prepared)
        if mode == "parsed":
            if events and not self._is_event_stream(response):
                await response.aread()  # for the error parse() raises
                await response.aclose()
            return parse(response)
        if mode == "raw":
            return APIResponse(response, parse, stream=events)
        return AsyncStreamedAPIResponse(response, parse, stream=events)

    def _open_stream(self, op: OperationSpec, model: type[_M], response: httpx.Response) -> AsyncStream[_M]:
        if not self._is_event_stream(response):
            raise self._not_an_event_stream(op, response)
        stream_cls = AsyncNamedEventStream if op.stream_event_names else AsyncStream
        return stream_cls(response, model, strict=self._options.strict_response_validation)

    async def _send(self, prepared: PreparedRequest) -> httpx.Response:
        auth = self._options.auth
        max_retries = self._options.max_retries
        retries_taken = 0
        reauthenticated = False
        while True:
            request = prepared.build(await auth.async_headers())
            cause: BaseException | None = None
            try:
                response = await self._http.send(request, stream=prepared.stream or not prepared.read_body)
            except httpx.TransportError as exc:
                error: Exception = self._connection_error(request, exc)
                delay, cause = next_delay(retries_taken, max_retries, None, None), exc
            else:
                if response.is_success:
                    return response
                await response.aread()
                await response.aclose()
                if response.status_code == 401 and not reauthenticated and auth.invalidate(response):
                    reauthenticated = True
                    continue
                error = self._status_error(response)
                delay = next_delay(retries_taken, max_retries, response.status_code, response.headers)
            if delay is None:
                raise error from cause
            log.info("Retrying %s %s in %.2fs after %s", prepared.method, prepared.url, delay, error)
            retries_taken += 1
            await anyio.sleep(delay)
