"""The synchronous client: settings, lifetime, and the send loop (attempts, retries, re-authentication)."""

from __future__ import annotations

import inspect
import logging
import time
from types import TracebackType
from typing import Any, Mapping, Sequence, TypeVar

import httpx
from typing_extensions import Unpack

from ..exceptions import ClientClosedError
from ._base_client import BaseClient, PreparedRequest
from ._operation import OperationSpec
from ._pagination import SyncPage
from ._retry import next_delay
from ._settings import ClientSettings, describe_settings, settings_signature
from ._streaming import Stream
from ._transport import (
    REDIRECT_STATUSES,
    DeadlineStream,
    attempt_timeout,
    call_deadline,
    classify,
    is_event_stream,
    not_a_stream,
    redirect_request,
)
from ._types import NOT_GIVEN, Timeout

__all__ = ["DefaultHttpxClient", "SyncAPIClient"]

log = logging.getLogger("azgate")

_Self = TypeVar("_Self", bound="SyncAPIClient")


def DefaultHttpxClient(**kwargs: Any) -> httpx.Client:
    """An httpx.Client with azgate's defaults (no redirects followed, a large pool), for
    `http_client=` when you need a proxy or your own CA: `DefaultHttpxClient(proxy=...)`."""
    kwargs.setdefault("follow_redirects", False)
    kwargs.setdefault("limits", httpx.Limits(max_connections=1000, max_keepalive_connections=100))
    return httpx.Client(**kwargs)


class SyncAPIClient(BaseClient):
    _asynchronous = False

    def __init__(self, *, http_client: httpx.Client | None = None, **settings: Unpack[ClientSettings]) -> None:
        """A client of one Azure OpenAI resource (or of OpenAI with provider="openai").

        The settings are described on `ClientSettings`; `http_client` is an httpx client to
        send with (its connection pool is then yours to close).
        """
        super().__init__(**settings)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else DefaultHttpxClient()
        self._closed = False

    def with_options(
        self: _Self, *, http_client: httpx.Client | None = None, **overrides: Unpack[ClientSettings]
    ) -> _Self:
        """A copy with some settings changed, sharing this client's connection pool (or
        sending with `http_client`, which stays yours to close)."""
        copy = type(self)(http_client=http_client or self._http, **self._copy_settings(overrides))
        copy._owns_http = False
        copy._share_auth(self, overrides)
        return copy

    def close(self) -> None:
        """Close the connection pool (if this client made it) and any credential it made.
        Later calls raise ClientClosedError."""
        self._closed = True
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

    def _request(
        self,
        op: OperationSpec,
        *,
        body: dict[str, object] | None = None,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, object] | None = None,
        files: Sequence[tuple[str, Any]] | None = None,
        stream: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Any:
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
        response = self._send(prepared)
        if stream:
            assert op.stream_model is not None
            return Stream(response, self._model(op.stream_model))
        return self._parse(prepared, response)

    def _request_page(
        self,
        op: OperationSpec,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, object] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> SyncPage[Any]:
        """The first page of a list operation; iterating it fetches the rest."""

        def fetch(after: str | None = None) -> Any:
            page_query = {**(query or {}), "after": after} if after is not None else query
            return self._request(
                op,
                path_params=path_params,
                query=page_query,
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
            )

        return SyncPage(fetch(), fetch, can_follow=self._accepts(op, "after"))

    def _check_open(self) -> None:
        if self._closed:
            raise ClientClosedError("This client was closed; build a new one for more calls.")
        if self._http.is_closed:
            raise ClientClosedError("The http_client this client sends with was closed; build a new client.")

    def _send(self, prepared: PreparedRequest) -> httpx.Response:
        """Attempts until one succeeds, retries run out, or the call's deadline passes."""
        self._check_open()
        auth = self._options.auth
        max_retries = self._options.max_retries
        deadline = call_deadline(prepared.timeout, self._options.total_timeout)
        retries_taken = 0
        reauthenticated = False
        while True:
            auth_headers = auth.headers()
            request = prepared.build(auth_headers)
            if deadline is not None:
                request.extensions["timeout"] = attempt_timeout(prepared.timeout, deadline - time.monotonic())
            cause: BaseException | None = None
            try:
                response = self._attempt(request, auth_headers, deadline, prepared.stream)
            except httpx.HTTPError as exc:
                failure = classify(request, exc)
                error: Exception = failure.error
                cause = failure.cause
                delay = next_delay(retries_taken, max_retries, None, None) if failure.retryable else None
            else:
                if response.is_success:
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
        self, request: httpx.Request, auth_headers: Mapping[str, str], deadline: float | None, stream: bool
    ) -> httpx.Response:
        """One attempt: send, follow the redirects the http_client asks for (credentials stay with
        their origin), and read the body, unless it is the event stream that was asked for."""
        redirects = 0
        while True:
            try:
                response = self._http.send(request, stream=True, follow_redirects=False)
            except RuntimeError:
                self._check_open()  # closed while we were getting here
                raise
            if deadline is not None:
                response.stream = DeadlineStream(response.stream, deadline, request)  # type: ignore[arg-type]
            if response.status_code not in REDIRECT_STATUSES or not self._http.follow_redirects:
                break
            response.read()
            redirects += 1
            if redirects > self._http.max_redirects:
                raise httpx.TooManyRedirects(f"more than {self._http.max_redirects}", request=request)
            request = redirect_request(request, response, auth_headers)
        try:
            if stream and response.is_success and is_event_stream(response):
                return response
            response.read()
        except BaseException:
            response.close()
            raise
        if stream and response.is_success:
            raise not_a_stream(response)
        return response


SyncAPIClient.__init__.__signature__ = settings_signature(  # type: ignore[attr-defined]
    http_client=inspect.Parameter(
        "http_client", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="httpx.Client | None"
    )
)
SyncAPIClient.__init__.__doc__ = f"""A client of one Azure OpenAI resource (or of OpenAI with provider="openai").

`http_client` is an httpx.Client to send with (its pool is then yours to close). Settings:

{describe_settings()}
"""
