"""azgate's own connection pool: httpcore's, with httpx loaded only when a call needs it.

A client that makes its pool itself (no `http_client=`, no proxy in the environment) sends
through a `WirePool`: the httpcore pool httpx's transport would hold, given the request
azgate built (or, for a client with event hooks or telemetry, which are handed httpx's
objects, that request as httpx's). A successful answer read in full, which is what
most calls get, comes back as a `WireResponse` and never becomes an httpx object, so a process
whose calls succeed never imports httpx (about 60 ms and 4 MiB of a fresh process; see
bench/TRANSPORT.md). Everything else becomes httpx's, as httpx's own transport would have made
it: a stream (and `with_streaming_response`), an error status, a redirect, a body with a
content encoding, a failure (httpcore's exceptions as httpx's of the same name), a call with
`total_timeout`, and a request only httpx can encode (multipart, a URL to normalise).
"""

from __future__ import annotations

import codecs
import logging
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NoReturn, TypedDict, Union, cast
from urllib.parse import urlencode, urlsplit

import httpcore

from ._tls import DeferredCAContext, default_verify

if TYPE_CHECKING:
    import httpx
    from typing_extensions import TypeAlias

__all__ = [
    "AsyncWirePool",
    "KEEPALIVE_EXPIRY",
    "POOL_LIMITS",
    "PoolBase",
    "WireHeaders",
    "WirePool",
    "WireRequest",
    "WireResponse",
    "as_httpx_request",
    "as_httpx_response",
    "is_httpx",
    "raise_mapped",
    "wire_target",
]


class _Limits(TypedDict):
    max_connections: int
    max_keepalive_connections: int


POOL_LIMITS: _Limits = {"max_connections": 1000, "max_keepalive_connections": 100}
"""azgate's pool size: httpcore's for its own pool, httpx's Limits for the pools it builds with httpx."""
KEEPALIVE_EXPIRY = 5.0  # seconds, httpx's default

_httpx_log = logging.getLogger("httpx")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters httpx leaves as they are in a path and in a query urlencode() made: a URL of
# only these is sent byte for byte as httpx would send it (tests/hardening/test_wire.py).
_PATH_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$'()*,;=:@/")
_HOST_SAFE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-.")


def is_httpx(value: object, kind: str) -> bool:
    """Whether `value` is an instance of httpx's class `kind`, without importing httpx: an
    httpx object exists only once something has imported it."""
    module = sys.modules.get("httpx")
    return module is not None and isinstance(value, getattr(module, kind))


def wire_target(url: str, params: Mapping[str, str]) -> tuple[bytes, bytes, int | None, bytes, bytes] | None:
    """(scheme, host, port, target, Host header) of `url` with `params` as its query, when
    httpx would send that URL unchanged; else None (httpx builds the request)."""
    if not _PATH_SAFE.issuperset(url.replace("%", "")):
        return None  # urlsplit would drop a tab or newline that httpx refuses
    parts = urlsplit(url)
    scheme, host, port = parts.scheme, parts.hostname or "", parts.port
    if (
        scheme not in _DEFAULT_PORTS
        or parts.netloc != (host if port is None else f"{host}:{port}")  # user info, an IPv6 literal
        or not host
        or not _HOST_SAFE.issuperset(host)
        or parts.query
        or parts.fragment
        or not _escapes_are_whole(parts.path)
    ):
        return None
    if port == _DEFAULT_PORTS[scheme]:
        port = None  # httpx drops a default port (from the Host header too)
    target = (parts.path or "/") + ("?" + urlencode(params) if params else "")
    netloc = host if port is None else f"{host}:{port}"
    return scheme.encode(), host.encode(), port, target.encode("ascii"), netloc.encode("ascii")


def _escapes_are_whole(path: str) -> bool:
    """Every % starts an escape (httpx would encode a lone one)."""
    return all(len(piece) >= 2 and _is_hex(piece[:2]) for piece in path.split("%")[1:])


def _is_hex(pair: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in pair)


class WireRequest:
    """One attempt's request on a `WirePool`: what httpx.Request would hold, unparsed.
    `as_httpx_request` makes the httpx one (the same bytes on the wire) where an error, a
    redirect or a hook needs it."""

    __slots__ = ("_httpx", "content", "extensions", "headers", "host", "method", "port", "scheme", "target")

    def __init__(
        self,
        method: str,
        where: tuple[bytes, bytes, int | None, bytes, bytes],
        headers: Mapping[str, str],
        content: bytes | None,
        timeout: dict[str, float | None],
    ) -> None:
        self.method = method
        self.scheme, self.host, self.port, self.target, netloc = where
        # As httpx orders them: Host first, the request's own, then the body's length.
        raw = [(b"Host", netloc)]
        raw += [(name.encode("ascii"), value.encode("ascii")) for name, value in headers.items()]
        if content is not None:
            raw.append((b"Content-Length", str(len(content)).encode("ascii")))
        elif method in ("POST", "PUT", "PATCH"):
            raw.append((b"Content-Length", b"0"))
        self.headers = raw
        self.content = content
        self.extensions: dict[str, Any] = {"timeout": timeout}
        self._httpx: httpx.Request | None = None

    @property
    def url(self) -> str:
        scheme, host = self.scheme.decode(), self.host.decode()
        port = f":{self.port}" if self.port is not None else ""
        return f"{scheme}://{host}{port}{self.target.decode()}"

    def as_core(self) -> httpcore.Request:
        return httpcore.Request(
            self.method,
            httpcore.URL(scheme=self.scheme, host=self.host, port=self.port, target=self.target),
            headers=self.headers,
            content=self.content if self.content is not None else b"",
            extensions=self.extensions,
        )


if TYPE_CHECKING:
    Answer: TypeAlias = Union[httpx.Response, "WireResponse"]
    """What an attempt returns: httpx's response, or azgate's own pool's read success."""


def as_httpx_request(request: WireRequest | httpx.Request) -> httpx.Request:
    """The httpx request for `request` (itself if it is one; made once for a WireRequest)."""
    if not isinstance(request, WireRequest):
        return request
    if request._httpx is None:
        import httpx

        # Host and Content-Length given, httpx adds neither: the same headers in the same order.
        request._httpx = httpx.Request(
            request.method, request.url, headers=request.headers, content=request.content, extensions=request.extensions
        )
    return request._httpx


class WireHeaders(Mapping[str, str]):
    """Response headers, looked up without regard to case; repeated ones joined with ", ",
    as httpx.Headers reads them."""

    __slots__ = ("_values", "raw")

    def __init__(self, raw: list[tuple[bytes, bytes]]) -> None:
        self.raw = raw
        try:
            self._values = _joined(raw, "ascii")
        except UnicodeDecodeError:  # httpx's rule: UTF-8 if every header is, else Latin-1
            self._values = _joined(raw, "utf-8" if _all_decode(raw, "utf-8") else "iso-8859-1")

    def __getitem__(self, key: str) -> str:
        return self._values[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._values

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key.lower(), default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _joined(raw: list[tuple[bytes, bytes]], encoding: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in raw:
        key = name.decode(encoding).lower()
        text = value.decode(encoding)
        values[key] = f"{values[key]}, {text}" if key in values else text
    return values


def _all_decode(raw: list[tuple[bytes, bytes]], encoding: str) -> bool:
    try:
        for name, value in raw:
            name.decode(encoding)
            value.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


class WireResponse:
    """A 2xx answer read in full: the part of httpx.Response that azgate reads of a success
    (status, headers, body, text). Where a user could be handed the response, it becomes
    httpx's first (`as_httpx_response`)."""

    __slots__ = ("_httpx", "content", "elapsed", "extensions", "headers", "request", "status_code")

    is_success = True

    def __init__(
        self,
        status_code: int,
        headers: WireHeaders,
        content: bytes,
        request: WireRequest,
        extensions: Mapping[str, Any],
        elapsed: float,
    ) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.request = request
        self.extensions = extensions
        self.elapsed = elapsed
        self._httpx: httpx.Response | None = None

    @property
    def text(self) -> str:
        """The body decoded as httpx decodes it: the content type's charset, else UTF-8,
        undecodable bytes replaced."""
        return self.content.decode(_charset(self.headers.get("content-type", "")), errors="replace")

    def read(self) -> bytes:
        return self.content

    async def aread(self) -> bytes:
        return self.content

    def close(self) -> None:
        pass  # the connection went back to the pool once the body was read

    async def aclose(self) -> None:
        pass


def _charset(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("'\"")
            try:
                return codecs.lookup(charset).name
            except LookupError:
                break
    return "utf-8"


def as_httpx_response(response: Any) -> Any:
    """The httpx response for `response` (itself unless it is a WireResponse; made once)."""
    if not isinstance(response, WireResponse):
        return response
    if response._httpx is None:
        import httpx

        converted = httpx.Response(
            response.status_code,
            headers=response.headers.raw,
            content=response.content,
            request=as_httpx_request(response.request),
            extensions=response.extensions,
        )
        converted.elapsed = timedelta(seconds=response.elapsed)
        response._httpx = converted
    return response._httpx


def _is_plain_success(status: int, headers: list[tuple[bytes, bytes]]) -> bool:
    """A 2xx whose body needs no decoding: read here, handed on as a WireResponse."""
    if not 200 <= status < 300:
        return False
    for name, value in headers:
        if name.lower() == b"content-encoding" and value.strip().lower() not in (b"", b"identity"):
            return False
    return True


def _transport_error(exc: Exception, request: WireRequest | httpx.Request) -> Exception | None:
    """httpx's exception for one of httpcore's: the class of the same name, the most
    specific one, as httpx's transport maps them, with the request set as httpx's send
    sets it; None for anything else."""
    if not type(exc).__module__.startswith("httpcore"):
        return None
    import httpx

    for kind in type(exc).__mro__:
        mapped = getattr(httpx, kind.__name__, None)
        if isinstance(mapped, type) and issubclass(mapped, httpx.TransportError):
            return mapped(str(exc), request=as_httpx_request(request))
    return None


def raise_mapped(exc: Exception, request: WireRequest | httpx.Request) -> NoReturn:
    mapped = _transport_error(exc, request)
    if mapped is None:
        raise exc
    raise mapped from exc


def _log_answer(request: WireRequest | httpx.Request, status: int, extensions: Mapping[str, Any]) -> None:
    """httpx's INFO line for an answer, as its client logs every one."""
    if _httpx_log.isEnabledFor(logging.INFO):
        url = request.url if isinstance(request, WireRequest) else str(request.url)
        version = extensions.get("http_version", b"HTTP/1.1").decode("ascii", errors="ignore")
        reason = extensions.get("reason_phrase", b"").decode("ascii", errors="ignore")
        if not reason:
            from http import HTTPStatus

            try:
                reason = HTTPStatus(status).phrase
            except ValueError:
                reason = ""
        _httpx_log.info('HTTP Request: %s %s "%s %d %s"', request.method, url, version, status, reason)


class PoolBase:
    """What the sync and async pools share: settings, lifetime, cookies."""

    follow_redirects = False  # the send loop follows none for a pool azgate made
    max_redirects = 20
    _closed: bool
    _jar: httpx.Cookies | None

    @property
    def is_closed(self) -> bool:
        return self._closed

    @property
    def cookies(self) -> httpx.Cookies:
        """The cookies answers have set (httpx's jar, made with the first one)."""
        if self._jar is None:
            import httpx

            self._jar = httpx.Cookies()
        return self._jar

    def _check_open(self) -> None:
        if self._closed:  # as httpx's send refuses (the send loop makes it ClientClosedError)
            raise RuntimeError("Cannot send a request, as the client has been closed.")

    def add_cookies(self, request: WireRequest | httpx.Request) -> None:
        """The jar's cookies for this URL, as httpx's `build_request` adds them; an explicit
        Cookie header wins."""
        if not self._jar:
            return
        converted = as_httpx_request(request)
        self._jar.set_cookie_header(converted)
        if isinstance(request, WireRequest):
            cookie = converted.headers.get("cookie")
            if cookie is not None and not any(name.lower() == b"cookie" for name, _ in request.headers):
                request.headers.append((b"Cookie", cookie.encode("latin-1")))

    def _keep_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            self.cookies.extract_cookies(response)

    @staticmethod
    def _reads_now(request: WireRequest | httpx.Request, answer: httpcore.Response, lazy: bool) -> bool:
        """Whether the answer is read here and handed on as a WireResponse: a success with
        a plain body, for a request azgate built, whose caller reads the body now."""
        return not lazy and isinstance(request, WireRequest) and _is_plain_success(answer.status, answer.headers)

    def _read_success(
        self, request: WireRequest, answer: httpcore.Response, content: bytes, start: float
    ) -> WireResponse:
        _log_answer(request, answer.status, answer.extensions)
        response = WireResponse(
            answer.status, WireHeaders(answer.headers), content, request, answer.extensions, time.perf_counter() - start
        )
        if "set-cookie" in response.headers:
            self._keep_cookies(as_httpx_response(response))
        return response

    def _as_httpx(
        self, request: WireRequest | httpx.Request, answer: httpcore.Response, start: float, *, asynchronous: bool
    ) -> httpx.Response:
        """httpx's response for an answer whose body is still to come, as httpx's transport
        and `send` make it: httpcore's errors raised as httpx's, `elapsed` set at close."""
        import httpx

        from ._streams import AsyncMappedStream, AsyncTimedStream, MappedStream, TimedStream

        converted = as_httpx_request(request)
        body: httpx.SyncByteStream | httpx.AsyncByteStream
        if asynchronous:
            body = AsyncMappedStream(answer.stream, converted)
        else:
            body = MappedStream(cast("Iterable[bytes]", answer.stream), converted)
        response = httpx.Response(
            answer.status, headers=answer.headers, stream=body, request=converted, extensions=answer.extensions
        )
        if isinstance(body, AsyncMappedStream):
            response.stream = AsyncTimedStream(body, response, start)
        else:
            response.stream = TimedStream(body, response, start)
        _log_answer(converted, answer.status, answer.extensions)
        self._keep_cookies(response)
        return response

    @staticmethod
    def _core_request(request: WireRequest | httpx.Request) -> httpcore.Request:
        if isinstance(request, WireRequest):
            return request.as_core()
        url = request.url
        return httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )


def _ssl_context() -> DeferredCAContext:
    context = default_verify({})
    assert context is not None
    return context


class WirePool(PoolBase):
    """httpcore's connection pool with httpx's defaults (the limits azgate sets, TLS with
    the CA bundle loaded by the first handshake)."""

    def __init__(self) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(), keepalive_expiry=KEEPALIVE_EXPIRY, **POOL_LIMITS
        )
        self._closed = False
        self._jar = None

    def close(self) -> None:
        self._closed = True
        self._pool.close()

    def send(self, request: WireRequest | httpx.Request, *, lazy: bool) -> WireResponse | httpx.Response:
        """Send one attempt: a success read in full as a WireResponse (see `_reads_now`),
        else httpx's response, its body unread."""
        self._check_open()
        start = time.perf_counter()
        try:
            answer = self._pool.handle_request(self._core_request(request))
        except Exception as exc:
            raise_mapped(exc, request)
        if not self._reads_now(request, answer, lazy):
            return self._as_httpx(request, answer, start, asynchronous=False)
        assert isinstance(request, WireRequest)
        try:
            content = b"".join(answer.stream)  # type: ignore[arg-type]
        except Exception as exc:
            raise_mapped(exc, request)
        finally:
            answer.close()
        return self._read_success(request, answer, content, start)


class AsyncWirePool(PoolBase):
    """`WirePool` for async clients."""

    def __init__(self) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=_ssl_context(), keepalive_expiry=KEEPALIVE_EXPIRY, **POOL_LIMITS
        )
        self._closed = False
        self._jar = None

    async def aclose(self) -> None:
        self._closed = True
        await self._pool.aclose()

    async def send(self, request: WireRequest | httpx.Request, *, lazy: bool) -> WireResponse | httpx.Response:
        """`WirePool.send` for async clients."""
        self._check_open()
        start = time.perf_counter()
        try:
            answer = await self._pool.handle_async_request(self._core_request(request))
        except Exception as exc:
            raise_mapped(exc, request)
        if not self._reads_now(request, answer, lazy):
            return self._as_httpx(request, answer, start, asynchronous=True)
        assert isinstance(request, WireRequest)
        try:
            content = b"".join([chunk async for chunk in answer.stream])  # type: ignore[union-attr]
        except Exception as exc:
            raise_mapped(exc, request)
        finally:
            await answer.aclose()
        return self._read_success(request, answer, content, start)
