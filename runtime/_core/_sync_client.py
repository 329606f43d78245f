"""The synchronous client: settings, lifetime, and the send loop (attempts, retries, re-authentication)."""

from __future__ import annotations

import logging
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, Mapping, Sequence, TypeVar

import httpx
from typing_extensions import Unpack

from ._base_client import BaseClient, PreparedRequest
from ._operation import OperationSpec
from ._pagination import SyncPage
from ._retry import next_delay
from ._settings import ClientSettings
from ._streaming import Stream
from ._types import NOT_GIVEN, Timeout

if TYPE_CHECKING:
    from .._routing._routed import Routing

__all__ = ["SyncAPIClient"]

log = logging.getLogger("azgate")

_Self = TypeVar("_Self", bound="SyncAPIClient")


def _default_http_client() -> httpx.Client:
    return httpx.Client(
        follow_redirects=False, limits=httpx.Limits(max_connections=1000, max_keepalive_connections=100)
    )


class SyncAPIClient(BaseClient):
    _asynchronous = False

    def __init__(self, *, http_client: httpx.Client | None = None, **settings: Unpack[ClientSettings]) -> None:
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

    def close(self) -> None:
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
        if self._routing is not None:
            call: dict[str, Any] = {"body": body, "path_params": path_params, "query": query, "files": files}
            call.update(stream=stream, extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body)
            call["timeout"] = timeout
            return self._routing.run(self, op, call)
        result, _ = self._direct(
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
        return result

    def _direct(
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
    ) -> tuple[Any, httpx.Response]:
        """One call to this client's own endpoint: the result and the response it came from."""
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
            return Stream(response, self._model(op.stream_model)), response
        return self._parse(prepared, response), response

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

    def _send(self, prepared: PreparedRequest) -> httpx.Response:
        auth = self._options.auth
        max_retries = self._options.max_retries
        retries_taken = 0
        reauthenticated = False
        while True:
            request = prepared.build(auth.headers())
            cause: BaseException | None = None
            try:
                response = self._http.send(request, stream=prepared.stream)
            except httpx.TransportError as exc:
                error: Exception = self._connection_error(request, exc)
                delay, cause = next_delay(retries_taken, max_retries, None, None), exc
            else:
                if response.is_success:
                    return response
                response.read()
                response.close()
                if response.status_code == 401 and not reauthenticated and auth.invalidate(response):
                    reauthenticated = True
                    continue
                error = self._status_error(response)
                delay = next_delay(retries_taken, max_retries, response.status_code, response.headers)
            if delay is None:
                raise error from cause
            log.info("Retrying %s %s in %.2fs after %s", prepared.method, prepared.url, delay, error)
            retries_taken += 1
            time.sleep(delay)
