"""What the sync and async send loops share around the transport: the one seam where
httpx's errors become azgate's, redirects that never carry credentials to another origin,
the deadline of `total_timeout`, and the settings of the pools azgate makes. No I/O, and no
httpx until a call needs it (the byte-stream wrappers around httpx's responses are in
_streams.py).
"""

from __future__ import annotations

import os
import ssl
import sys
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ..exceptions import (
    SENSITIVE_HEADERS,
    APIConnectionError,
    APIError,
    APITimeoutError,
    ConfigurationError,
    bounded,
)
from ._timeouts import Steps
from ._tls import default_verify
from ._wire import POOL_LIMITS, PoolBase, WireRequest, as_httpx_request, is_httpx

if TYPE_CHECKING:
    import httpx

__all__ = [
    "REDIRECT_STATUSES",
    "add_cookies",
    "adopt_http_client",
    "attempt_timeout",
    "call_deadline",
    "classify",
    "Failure",
    "pool_settings",
    "proxy_in_environment",
    "redirect_request",
]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def adopt_http_client(http_client: object, asynchronous: bool) -> Any:
    """The httpx client to send with for a user's `http_client=`: theirs as it is, or an
    httpx2 client (as openai-python 3.x code passes) put behind an httpx transport
    (_httpx2.py, loaded only then). Anything else, the other flavour's client included,
    is refused before any call."""
    if http_client is None:
        return None
    import httpx

    expected = httpx.AsyncClient if asynchronous else httpx.Client
    if isinstance(http_client, expected):
        return http_client
    wanted = expected.__name__
    package = type(http_client).__module__.split(".")[0]
    if package == "httpx2":
        import httpx2

        from . import _httpx2

        if not asynchronous and isinstance(http_client, httpx2.Client):
            return _httpx2.Httpx2Client(http_client)
        if asynchronous and isinstance(http_client, httpx2.AsyncClient):
            return _httpx2.Httpx2AsyncClient(http_client)
    kind = f"{package}.{type(http_client).__qualname__}"
    raise ConfigurationError(
        f"http_client must be an httpx.{wanted} or an httpx2.{wanted} (got {kind}); build one with "
        f"httpx.{wanted}(...) or azgate.Default{wanted.replace('Client', 'Httpx')}Client(...)."
    )


def pool_settings(kwargs: dict[str, Any]) -> dict[str, Any]:
    """httpx client settings with azgate's defaults: no redirects followed (the send loop
    follows them, keeping credentials with their origin), a large pool, and TLS whose CA
    bundle is loaded by the first handshake (_tls.py)."""
    import httpx

    kwargs.setdefault("follow_redirects", False)
    kwargs.setdefault("limits", httpx.Limits(**POOL_LIMITS))
    verify = default_verify(kwargs)
    if verify is not None:
        kwargs["verify"] = verify
    return kwargs


def proxy_in_environment() -> bool:
    """Whether an httpx client that trusts the environment would send through a proxy
    (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, or the system's settings, as httpx reads them).
    On Linux those are the environment's variables alone, read here without urllib.request
    (a fresh process would pay several MiB for it)."""
    if sys.platform.startswith("linux"):
        wanted = ("http_proxy", "https_proxy", "all_proxy")
        return any(value and name.lower() in wanted for name, value in os.environ.items())
    from urllib.request import getproxies

    proxies = getproxies()
    return any(proxies.get(scheme) for scheme in ("http", "https", "all"))


def add_cookies(http: httpx.Client | httpx.AsyncClient | PoolBase, request: httpx.Request | WireRequest) -> None:
    """The http client's cookies that the request's URL matches (the user's, and those its
    earlier answers set), as httpx's `build_request` adds them; an explicit Cookie header
    wins. Sending a request built elsewhere skips that step. Redirects to another origin
    drop them (`redirect_request`)."""
    if isinstance(http, PoolBase):
        http.add_cookies(request)
        return
    assert not isinstance(request, WireRequest)  # only azgate's own pool is given those
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


def classify(request: httpx.Request | WireRequest, exc: Exception) -> Failure:
    """The one place httpx's exceptions become ours, "to the most specific exception we can
    find". Anything else is raised again: it is not a failure of the transport."""
    if not is_httpx(exc, "HTTPError"):
        raise exc
    import httpx  # loaded: exc is one of its errors

    request = as_httpx_request(request)
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
    import httpx

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


def attempt_timeout(timeout: Steps, remaining: float | None) -> dict[str, float | None]:
    """The per-step timeouts of one attempt, none longer than what is left of the call."""
    steps = timeout.as_dict()
    if remaining is None:
        return steps
    return {k: remaining if v is None else min(v, remaining) for k, v in steps.items()}


def call_deadline(timeout: Steps, client_total: float | None) -> float | None:
    """The `time.monotonic()` by which the call must end: the per-call Timeout's total, else
    the client's total_timeout; None for no bound."""
    total = timeout.total
    if total is None:
        total = client_total
    return None if total is None else time.monotonic() + total
