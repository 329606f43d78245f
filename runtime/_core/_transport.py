"""What the sync and async send loops share around httpx: the one seam where httpx's
errors become azgate's, redirects that never carry credentials to another origin, the
deadline of `total_timeout`, and the connection pool azgate makes when it is given none,
whose transport its calls reach directly. No I/O here but the byte-stream wrappers that
the loops put around a response.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import timedelta
from typing import Any, NamedTuple, TypeVar, cast

import httpx

from ..exceptions import (
    SENSITIVE_HEADERS,
    APIConnectionError,
    APIError,
    APITimeoutError,
    ConfigurationError,
    bounded,
)
from ._tls import default_verify

__all__ = [
    "POOL_LIMITS",
    "REDIRECT_STATUSES",
    "add_cookies",
    "adopt_http_client",
    "answered",
    "AsyncDeadlineStream",
    "AsyncTimedStream",
    "attempt_timeout",
    "call_deadline",
    "classify",
    "DeadlineStream",
    "Failure",
    "pool_settings",
    "proxy_in_environment",
    "redirect_request",
    "TimedStream",
]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}
POOL_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
_httpx_log = logging.getLogger("httpx")


_C = TypeVar("_C", httpx.Client, httpx.AsyncClient)


def adopt_http_client(http_client: object, expected: type[_C]) -> _C | None:
    """The httpx client to send with for a user's `http_client=`: theirs as it is, or an
    httpx2 client (as openai-python 3.x code passes) put behind an httpx transport
    (_httpx2.py, loaded only then). Anything else, the other flavour's client included,
    is refused before any call."""
    if http_client is None or isinstance(http_client, expected):
        return http_client
    wanted = expected.__name__
    package = type(http_client).__module__.split(".")[0]
    if package == "httpx2":
        import httpx2

        from . import _httpx2

        if expected is httpx.Client and isinstance(http_client, httpx2.Client):
            return cast(_C, _httpx2.Httpx2Client(http_client))
        if expected is httpx.AsyncClient and isinstance(http_client, httpx2.AsyncClient):
            return cast(_C, _httpx2.Httpx2AsyncClient(http_client))
    kind = f"{package}.{type(http_client).__qualname__}"
    raise ConfigurationError(
        f"http_client must be an httpx.{wanted} or an httpx2.{wanted} (got {kind}); build one with "
        f"httpx.{wanted}(...) or azgate.Default{wanted.replace('Client', 'Httpx')}Client(...)."
    )


def pool_settings(kwargs: dict[str, Any]) -> dict[str, Any]:
    """httpx client settings with azgate's defaults: no redirects followed (the send loop
    follows them, keeping credentials with their origin), a large pool, and TLS whose CA
    bundle is loaded by the first handshake (_tls.py)."""
    kwargs.setdefault("follow_redirects", False)
    kwargs.setdefault("limits", POOL_LIMITS)
    verify = default_verify(kwargs)
    if verify is not None:
        kwargs["verify"] = verify
    return kwargs


def proxy_in_environment() -> bool:
    """Whether an httpx client that trusts the environment would send through a proxy
    (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, or the system's settings, as httpx reads them)."""
    from urllib.request import getproxies  # loaded by httpx already

    proxies = getproxies()
    return any(proxies.get(scheme) for scheme in ("http", "https", "all"))


def answered(
    http: httpx.Client | httpx.AsyncClient, request: httpx.Request, response: httpx.Response
) -> httpx.Response:
    """What httpx's `send` does once its transport has answered, for a pool whose transport
    azgate calls itself: the response knows its request, the pool keeps the cookies the
    answer sets, and httpx's INFO line is logged as it would be."""
    response.request = request
    if "set-cookie" in response.headers:
        http.cookies.extract_cookies(response)
    if _httpx_log.isEnabledFor(logging.INFO):
        _httpx_log.info(
            'HTTP Request: %s %s "%s %d %s"',
            request.method,
            request.url,
            response.http_version,
            response.status_code,
            response.reason_phrase,
        )
    return response


def add_cookies(http: httpx.Client | httpx.AsyncClient, request: httpx.Request) -> None:
    """The http client's cookies that the request's URL matches (the user's, and those its
    earlier answers set), as httpx's `build_request` adds them; an explicit Cookie header
    wins. Sending a request built elsewhere skips that step. Redirects to another origin
    drop them (`redirect_request`)."""
    cookies = http.cookies
    if cookies:
        cookies.set_cookie_header(request)


class Failure(NamedTuple):
    """An httpx exception as azgate reports it: the error, whether another attempt may
    succeed, and the exception to chain (None where its text could quote a header value)."""

    error: APIError
    retryable: bool
    cause: BaseException | None


def _ssl_error(exc: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def classify(request: httpx.Request, exc: httpx.HTTPError) -> Failure:
    """The one place httpx's exceptions become ours, "to the most specific exception we can find"."""
    if isinstance(exc, httpx.TimeoutException):
        what = "waiting for a connection from the pool" if isinstance(exc, httpx.PoolTimeout) else type(exc).__name__
        return Failure(APITimeoutError(request, f"Request timed out ({what})."), True, exc)
    if isinstance(exc, httpx.LocalProtocolError):
        # h11 refused what we were about to send (a header value with a newline, say); its
        # message quotes the value, which may be a key. Sending again cannot help.
        return Failure(
            APIConnectionError(
                request, "The request could not be sent: it has an invalid header name or value (LocalProtocolError)."
            ),
            False,
            None,
        )
    tls = _ssl_error(exc) if isinstance(exc, httpx.ConnectError) else None
    if tls is not None and not isinstance(tls, (ssl.SSLEOFError, ssl.SSLZeroReturnError)):
        # The handshake failed (a certificate, a protocol version): another attempt meets the
        # same certificate. A connection cut mid-handshake (EOF) is retried like any other.
        reason = getattr(tls, "verify_message", None) or getattr(tls, "reason", None) or type(tls).__name__
        return Failure(
            APIConnectionError(
                request,
                f"TLS with {request.url.host} failed: {reason}. Check the endpoint's certificate (or the "
                "CA bundle your http_client trusts); this is not retried.",
            ),
            False,
            exc,
        )
    if isinstance(exc, httpx.DecodingError):
        return Failure(
            APIError(f"The response body could not be decoded ({bounded(str(exc), 200)}).", request), False, exc
        )
    if isinstance(exc, httpx.TooManyRedirects):
        return Failure(APIError(f"Too many redirects ({bounded(str(exc), 200)}).", request), False, exc)
    if isinstance(exc, httpx.TransportError):
        detail = f": {bounded(str(exc), 200)}" if str(exc) else ""
        return Failure(APIConnectionError(request, f"Connection error ({type(exc).__name__}){detail}."), True, exc)
    return Failure(APIError(f"The request failed ({type(exc).__name__}).", request), False, exc)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme)


def redirect_request(
    request: httpx.Request, response: httpx.Response, auth_headers: Mapping[str, str]
) -> httpx.Request:
    """The request that follows `response` (a 3xx with a Location), as httpx builds it, but
    without the credentials when it goes to another origin (scheme, host or port): httpx
    strips only Authorization, and the api-key would go to whoever the Location names."""
    location = response.headers.get("location", "")
    try:
        url = request.url.join(location)
    except httpx.InvalidURL:
        raise APIError("The service redirected to a URL that is not valid.", request) from None
    if url.scheme not in ("http", "https") or not url.host:
        raise APIError(f"The service redirected to a URL azgate does not follow ({url.scheme}:).", request)
    method = request.method
    if (response.status_code == 303 and method != "HEAD") or (response.status_code in (301, 302) and method == "POST"):
        method = "GET"
    headers = httpx.Headers(request.headers)
    headers["host"] = url.netloc.decode("ascii")  # httpx sets Host only for requests it encodes itself
    if _origin(url) != _origin(request.url):
        for name in {*SENSITIVE_HEADERS, *(k.lower() for k in auth_headers)}:
            headers.pop(name, None)
    stream = request.stream
    if method != request.method:
        for name in ("content-type", "content-length", "transfer-encoding"):
            headers.pop(name, None)
        stream = httpx.ByteStream(b"")
    return httpx.Request(method, url, headers=headers, stream=stream, extensions=request.extensions)


def attempt_timeout(timeout: httpx.Timeout, remaining: float | None) -> dict[str, float | None]:
    """The per-step timeouts of one attempt, none longer than what is left of the call."""
    steps = timeout.as_dict()
    if remaining is None:
        return steps
    return {k: remaining if v is None else min(v, remaining) for k, v in steps.items()}


def call_deadline(timeout: httpx.Timeout, client_total: float | None) -> float | None:
    """The `time.monotonic()` by which the call must end: the per-call Timeout's total, else
    the client's total_timeout; None for no bound."""
    total = getattr(timeout, "total", None)
    if total is None:
        total = client_total
    return None if total is None else time.monotonic() + total


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
