"""`event_hooks=`: the user's own functions, called with every attempt's request and
response, shaped as httpx's (`{"request": [f], "response": [g]}`).

A hook never sees a secret: it gets copies of the request and response in which every
credential header (api-key, Authorization, Proxy-Authorization, Ocp-Apim-Subscription-Key,
Cookie, Set-Cookie, the headers the client's auth adds, and the client's `secret_headers`)
reads "[secure]", and so do query parameters of those names. The copies carry the body
when it is in memory (JSON requests; responses the call has read), not a stream's: a
streamed response's `.content` raises httpx.ResponseNotRead, as in an httpx hook.
"""

from __future__ import annotations

import contextlib
import difflib
import inspect
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import Any

import httpx

from .._core._options import check_headers
from ..exceptions import SENSITIVE_HEADERS, ConfigurationError

__all__ = ["ALWAYS_SECRET", "EventHooks", "MASK", "masked_url", "resolve_hooks"]

MASK = "[secure]"
ALWAYS_SECRET = SENSITIVE_HEADERS | {"set-cookie", "subscription-key"}
"""Header (and query parameter) names whose values no hook sees; `subscription-key` is API
Management's query-string form of its key."""

_KINDS = ("request", "response")


class _UnreadBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The body of a response the caller reads itself (a stream): not the hook's to read."""

    def __iter__(self) -> Iterator[bytes]:
        raise httpx.StreamConsumed()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        raise httpx.StreamConsumed()
        yield b""  # pragma: no cover  (makes this an async generator)


def masked_url(url: httpx.URL, secret: frozenset[str]) -> httpx.URL:
    """`url` with the values of secret query parameters replaced (the key may be in the query
    behind a gateway)."""
    if not url.query:
        return url
    for name in {k for k in url.params if k.lower() in secret}:
        url = url.copy_set_param(name, MASK)
    return url


def _masked_headers(headers: httpx.Headers, secret: frozenset[str]) -> httpx.Headers:
    return httpx.Headers([(k, MASK if k.lower() in secret else v) for k, v in headers.multi_items()])


class EventHooks:
    """The checked `event_hooks=` and `secret_headers=` of one client."""

    __slots__ = ("asynchronous", "request", "response", "secret")

    def __init__(
        self,
        request: Sequence[Callable[..., Any]],
        response: Sequence[Callable[..., Any]],
        secret: frozenset[str],
        asynchronous: bool,
    ) -> None:
        self.request = tuple(request)
        self.response = tuple(response)
        self.secret = secret
        self.asynchronous = asynchronous

    def _secret_for(self, auth_headers: Mapping[str, str]) -> frozenset[str]:
        return self.secret | {k.lower() for k in auth_headers} if auth_headers else self.secret

    def masked_request(self, request: httpx.Request, auth_headers: Mapping[str, str]) -> httpx.Request:
        secret = self._secret_for(auth_headers)
        copy = httpx.Request(
            request.method,
            masked_url(request.url, secret),
            headers=_masked_headers(request.headers, secret),
            extensions={k: v for k, v in request.extensions.items() if k == "timeout"},
        )
        if hasattr(request, "_content"):  # a body in memory (JSON): the hook may log it
            copy._content = request._content
        return copy

    def masked_response(self, response: httpx.Response, request: httpx.Request) -> httpx.Response:
        read = hasattr(response, "_content")
        copy = httpx.Response(
            response.status_code,
            headers=_masked_headers(response.headers, self.secret),
            content=response.content if read else None,
            stream=None if read else _UnreadBody(),
            request=request,
            extensions={k: v for k, v in response.extensions.items() if k in ("http_version", "reason_phrase")},
        )
        with contextlib.suppress(RuntimeError):  # set once the response is closed, by httpx's client
            copy.elapsed = response.elapsed
        return copy

    def call_request(self, request: httpx.Request, auth_headers: Mapping[str, str]) -> httpx.Request:
        """Run the request hooks (sync clients); the masked copy, for the response hooks."""
        masked = self.masked_request(request, auth_headers)
        for hook in self.request:
            hook(masked)
        return masked

    def call_response(self, response: httpx.Response, masked_request: httpx.Request) -> None:
        if self.response:
            masked = self.masked_response(response, masked_request)
            for hook in self.response:
                hook(masked)

    async def acall_request(self, request: httpx.Request, auth_headers: Mapping[str, str]) -> httpx.Request:
        masked = self.masked_request(request, auth_headers)
        for hook in self.request:
            result = hook(masked)
            if inspect.isawaitable(result):
                await result
        return masked

    async def acall_response(self, response: httpx.Response, masked_request: httpx.Request) -> None:
        if self.response:
            masked = self.masked_response(response, masked_request)
            for hook in self.response:
                result = hook(masked)
                if inspect.isawaitable(result):
                    await result


def _hook_list(kind: str, value: object, asynchronous: bool) -> list[Callable[..., Any]]:
    hooks = [value] if callable(value) else value
    if not isinstance(hooks, (list, tuple)) or not all(callable(h) for h in hooks):
        raise ConfigurationError(f'event_hooks["{kind}"] must be a list of functions; got {type(value).__name__}.')
    if not asynchronous:
        for hook in hooks:
            if inspect.iscoroutinefunction(hook) or inspect.iscoroutinefunction(type(hook).__call__):
                raise ConfigurationError(
                    f'event_hooks["{kind}"] has an async function; a Client calls its hooks synchronously '
                    "(AsyncClient awaits async hooks)."
                )
    return list(hooks)


def resolve_hooks(hooks: object, secret_headers: object, *, asynchronous: bool) -> EventHooks | None:
    """Check `event_hooks=` and `secret_headers=` when the client is built; None without hooks."""
    secret = ALWAYS_SECRET
    if secret_headers is not None:
        if isinstance(secret_headers, (str, bytes)) or not isinstance(secret_headers, (list, tuple, set, frozenset)):
            raise ConfigurationError(
                f"secret_headers must be a list of header names; got {type(secret_headers).__name__}."
            )
        names = check_headers(dict.fromkeys(secret_headers, ""), "secret_headers")
        secret = secret | {name.lower() for name in names}
    if hooks is None:
        return None
    if not isinstance(hooks, Mapping):
        raise ConfigurationError(
            'event_hooks must be a mapping such as {"request": [log_request], "response": [log_response]}; '
            f"got {type(hooks).__name__}."
        )
    for key in hooks:
        if key not in _KINDS:
            close = difflib.get_close_matches(str(key), _KINDS, n=1)
            hint = f' Did you mean "{close[0]}"?' if close else ""
            raise ConfigurationError(f'event_hooks has an unknown key {key!r}: use "request" and "response".{hint}')
    request = _hook_list("request", hooks.get("request", []), asynchronous)
    response = _hook_list("response", hooks.get("response", []), asynchronous)
    if not request and not response:
        return None
    return EventHooks(request, response, frozenset(secret), asynchronous)
