"""The synchronous client: settings, lifetime, and the send loop (attempts, retries, re-authentication)."""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Mapping, Sequence, TypeVar, cast, overload

from typing_extensions import Unpack

from ..exceptions import ClientClosedError
from ._base_client import BaseClient, CastTo, PreparedRequest, RequestParts
from ._operation import OperationSpec
from ._response import APIResponse, ResponseMode, StreamedAPIResponse
from ._retry import next_delay
from ._settings import INSTRUMENTATION_SETTINGS, ClientSettings, describe_settings, settings_signature
from ._transport import (
    REDIRECT_STATUSES,
    add_cookies,
    adopt_http_client,
    attempt_timeout,
    call_deadline,
    classify,
    pool_settings,
    proxy_in_environment,
    redirect_request,
)
from ._types import NOT_GIVEN, Timeout
from ._wire import WirePool, WireRequest, WireResponse, as_httpx_response

if TYPE_CHECKING:
    import httpx
    import httpx2
    import pydantic

    from .._routing._routed import Routing
    from ._pagination import SyncPage
    from ._streaming import Stream
    from ._wire import Answer

__all__ = ["DefaultHttpxClient", "SyncAPIClient"]

log = logging.getLogger("azgate")

_Self = TypeVar("_Self", bound="SyncAPIClient")
_T = TypeVar("_T")
_U = TypeVar("_U")
_M = TypeVar("_M", bound="pydantic.BaseModel")


def DefaultHttpxClient(**kwargs: Any) -> httpx.Client:
    """An httpx.Client with azgate's defaults (no redirects followed, a large pool), for
    `http_client=` when you need a proxy or your own CA: `DefaultHttpxClient(proxy=...)`."""
    import httpx

    return httpx.Client(**pool_settings(kwargs))


def own_pool() -> httpx.Client | WirePool:
    """The pool a client makes when it is given no `http_client`: azgate's own (_wire.py),
    or, with a proxy in the environment, an httpx client that sends through it."""
    return DefaultHttpxClient() if proxy_in_environment() else WirePool()


class SyncAPIClient(BaseClient):
    _asynchronous = False

    def __init__(
        self, *, http_client: httpx.Client | httpx2.Client | None = None, **settings: Unpack[ClientSettings]
    ) -> None:
        """A client of one Azure OpenAI resource (or of OpenAI with provider="openai").

        The settings are described on `ClientSettings`; `http_client` is an httpx client to
        send with, or an httpx2 client as openai-python 3.x takes (its connection pool is then
        yours to close).
        """
        shared = http_client if isinstance(http_client, WirePool) else None  # a with_options copy's
        adopted = adopt_http_client(http_client, asynchronous=False) if shared is None else None
        super().__init__(**settings)
        self._owns_http = adopted is None and shared is None
        if adopted is not None:
            self._take_defaults_of(adopted)
        self._http: httpx.Client | WirePool = adopted or shared or own_pool()
        self._wire = self._http if isinstance(self._http, WirePool) else None
        self._closed = False
        self._routing: Routing | None = None
        if settings.get("config") is not None:
            from .._routing._attach import attach_routing  # only routed clients load the router

            attach_routing(self)
        if INSTRUMENTATION_SETTINGS & self._options.settings.keys():
            from ..telemetry._attach import instrument  # telemetry=, event_hooks=: loaded only when given

            instrument(self)  # wraps _request and _attempt on this instance: nothing is checked per call

    def with_options(
        self: _Self, *, http_client: httpx.Client | httpx2.Client | None = None, **overrides: Unpack[ClientSettings]
    ) -> _Self:
        """A copy with some settings changed, sharing this client's connection pool (or
        sending with `http_client`, which stays yours to close)."""
        settings = self._copy_settings(overrides)
        if self._routing is not None:
            settings["config"] = self._routing.for_copy(overrides)
        # A client with nothing to call (`Client().with_options(config=...)`) is usually
        # dropped at once: its copy gets a pool of its own, closed with the copy.
        fresh = http_client is None and self._options.unconfigured is not None and self._owns_http
        pool = own_pool() if fresh else http_client or self._http
        # azgate's own pool is shared as it is (__init__ takes it back); typed as the users' kind.
        copy = type(self)(http_client=cast("httpx.Client", pool), **settings)
        copy._owns_http = fresh
        copy._share_auth(self, overrides)
        return copy

    copy = with_options  # openai-python's name for it

    def is_closed(self) -> bool:
        return self._closed or self._http.is_closed

    def close(self) -> None:
        """Close the connection pool (if this client made it) and any credential it made.
        Later calls raise ClientClosedError."""
        self._closed = True
        if self._routing is not None:
            self._routing.release(self)
        if self._owns_http:
            self._http.close()
        close = getattr(self._options.auth, "close", None)
        if self._owns_auth and close is not None:
            close()  # a credential this client created

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @overload
    def _request(
        self, op: OperationSpec, *, cast_to: type[_T], stream: Literal[False] = False, **call: Unpack[RequestParts]
    ) -> _T: ...

    @overload
    def _request(
        self,
        op: OperationSpec,
        *,
        cast_to: tuple[type[_T], type[_U]],
        stream: Literal[False] = False,
        **call: Unpack[RequestParts],
    ) -> _T | _U: ...

    # A union of event classes (a RootModel) streams its members themselves: the generated
    # method names that union in its annotation (see _event_models.py).
    @overload
    def _request(
        self,
        op: OperationSpec,
        *,
        cast_to: type[_T],
        stream_model: type[pydantic.RootModel[Any]],
        stream: Literal[True],
        **call: Unpack[RequestParts],
    ) -> Stream[Any]: ...

    @overload
    def _request(
        self,
        op: OperationSpec,
        *,
        cast_to: type[_T],
        stream_model: type[_M],
        stream: Literal[True],
        **call: Unpack[RequestParts],
    ) -> Stream[_M]: ...

    @overload
    def _request(
        self,
        op: OperationSpec,
        *,
        cast_to: type[_T],
        stream_model: type[pydantic.RootModel[Any]] | None,
        stream: bool,
        **call: Unpack[RequestParts],
    ) -> _T | Stream[Any]: ...

    @overload
    def _request(
        self,
        op: OperationSpec,
        *,
        cast_to: type[_T],
        stream_model: type[_M] | None,
        stream: bool,
        **call: Unpack[RequestParts],
    ) -> _T | Stream[_M]: ...

    def _request(
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
            return self._routing.run(self, op, call)
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
            return self._respond(prepared, lambda response: self._open_stream(op, model, response), response_mode)
        return self._respond(prepared, lambda response: self._parse(op, response, cast_to), response_mode)

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
    ) -> SyncPage[_T]:
        """The first page (`cast_to`) of a list operation of `item`s; iterating it fetches the rest."""
        from ._pagination import SyncPage  # loaded by the first list call, as the stream classes are

        if self._routing is not None:  # pages come from the first target, which holds the objects
            routed: SyncPage[_T] = self._routing.primary._request_page(
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

        def fetch(after: str) -> Any:
            return self._parse(op, self._send(prepare(after)), cast_to)

        def parse(response: Answer) -> SyncPage[_T]:
            return SyncPage(self._parse(op, response, cast_to), fetch, can_follow=self._accepts(op, "after"))

        page: SyncPage[_T] = self._respond(prepare(None), parse, response_mode)
        return page

    def _respond(self, prepared: PreparedRequest, parse: Callable[[Answer], Any], mode: ResponseMode) -> Any:
        """Send, then return what the mode asks for: the parsed result, or the response
        with its parse step (a streamed one before its body is read)."""
        events = prepared.stream
        if mode == "streamed":
            prepared = prepared._replace(read_body=False)
        response = self._send(prepared)
        if mode == "parsed":
            if events and not self._is_event_stream(response):
                response.read()  # for the error parse() raises
                response.close()
            return parse(response)
        if mode == "raw":
            return APIResponse(as_httpx_response(response), parse, stream=events)
        return StreamedAPIResponse(as_httpx_response(response), parse, stream=events)

    def _open_stream(self, op: OperationSpec, model: type[_M], response: Answer) -> Stream[_M]:
        if not self._is_event_stream(response):
            raise self._not_an_event_stream(op, response)
        # Imported here: a process that never streams never loads them (nor pydantic for them).
        from ._named_events import NamedEventStream
        from ._streaming import Stream

        stream_cls = NamedEventStream if op.stream_event_names else Stream
        http_response = as_httpx_response(response)  # a stream's response is httpx's (read lazily)
        return stream_cls(http_response, model, strict=self._options.strict_response_validation, end=op.stream_end)

    def _check_open(self) -> None:
        if self._closed:
            raise ClientClosedError("This client was closed; build a new one for more calls.")
        if self._http.is_closed:
            raise ClientClosedError("The http_client this client sends with was closed; build a new client.")

    def _send(self, prepared: PreparedRequest) -> Answer:
        """Attempts until one succeeds, retries run out, or the call's deadline passes."""
        self._check_open()
        auth = self._options.auth
        max_retries = self._options.max_retries
        deadline = call_deadline(prepared.timeout, self._options.total_timeout)
        retries_taken = 0
        reauthenticated = False
        while True:
            auth_headers = auth.headers()
            request = prepared.build(auth_headers, wire=self._wire is not None and deadline is None)
            add_cookies(self._http, request)
            if deadline is not None:
                request.extensions["timeout"] = attempt_timeout(prepared.timeout, deadline - time.monotonic())
            cause: BaseException | None = None
            try:
                response = self._attempt(
                    request, auth_headers, deadline, lazy=prepared.stream or not prepared.read_body
                )
            except Exception as exc:
                failure = classify(request, exc)  # raises anything but httpx's errors again
                error: Exception = failure.error
                cause = failure.cause
                delay = next_delay(retries_taken, max_retries, None, None) if failure.retryable else None
            else:
                if isinstance(response, WireResponse) or response.is_success:
                    return response
                if response.status_code == 401 and not reauthenticated and auth.invalidate(response):
                    reauthenticated = True
                    continue
                error = self._status_error(response)
                delay = next_delay(retries_taken, max_retries, response.status_code, response.headers)
            if delay is not None and deadline is not None and time.monotonic() + delay >= deadline:
                delay = None  # the next attempt could not finish in time: report this one
            if delay is None:
                raise error from cause
            log.info("Retrying %s %s in %.2fs after %s", prepared.method, prepared.url, delay, error)
            retries_taken += 1
            time.sleep(delay)

    def _attempt(
        self,
        request: httpx.Request | WireRequest,
        auth_headers: Mapping[str, str],
        deadline: float | None,
        *,
        lazy: bool,
    ) -> httpx.Response | WireResponse:
        """One attempt: send, follow the redirects the http_client asks for (credentials stay with
        their origin), and read the body, unless the call reads a 2xx itself (`lazy`: a stream,
        or a streaming response). azgate.telemetry wraps it, and `_request`, per instrumented client:
        every attempt goes through here."""
        redirects = 0
        while True:
            try:
                answer = self._send_one(request, lazy)
            except RuntimeError:
                self._check_open()  # closed while we were getting here
                raise
            if isinstance(answer, WireResponse):
                return answer  # azgate's own pool: a success, read in full
            response = self._bounded(answer, deadline)
            if response.status_code not in REDIRECT_STATUSES or not self._http.follow_redirects:
                break
            import httpx  # loaded: the client is httpx's (azgate's own pool follows no redirects)

            response.read()
            redirects += 1
            if redirects > self._http.max_redirects:
                raise httpx.TooManyRedirects(f"more than {self._http.max_redirects}", request=response.request)
            request = redirect_request(response.request, response, auth_headers)
        try:
            if not (lazy and response.is_success):
                response.read()
        except BaseException:
            response.close()
            raise
        return response

    def _send_one(self, request: httpx.Request | WireRequest, lazy: bool) -> httpx.Response | WireResponse:
        if self._wire is not None:
            return self._wire.send(request, lazy=lazy)
        http = self._http
        assert not isinstance(request, WireRequest) and not isinstance(http, WirePool)  # see build()
        return http.send(request, stream=True, follow_redirects=False)

    @staticmethod
    def _bounded(response: httpx.Response, deadline: float | None) -> httpx.Response:
        """The response, its body cut off at the call's deadline if it has one."""
        if deadline is not None:
            from ._streams import DeadlineStream

            response.stream = DeadlineStream(cast("httpx.SyncByteStream", response.stream), deadline, response.request)
        return response


SyncAPIClient.__init__.__signature__ = settings_signature(  # type: ignore[attr-defined]
    http_client=inspect.Parameter(
        "http_client", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="httpx.Client | httpx2.Client | None"
    )
)
SyncAPIClient.__init__.__doc__ = f"""A client of one Azure OpenAI resource (or of OpenAI with provider="openai").

`http_client` is an httpx.Client to send with, or an httpx2.Client as openai-python 3.x takes
(its pool is then yours to close). Settings:

{describe_settings()}
"""
