"""Bearer tokens: when to fetch one (pure decisions), and the caches that fetch one at a time.

    next_action(token, now, last_attempt)
      ACQUIRE  no token, or it has expired: fetch; a failure is the caller's error
      REFRESH  the token still works but is due (refresh_on, or 5 minutes before
               expires_on): fetch; a failure keeps the current token
      USE      the token is good

`TokenCache` (threads) and `AsyncTokenCache` (tasks) differ only in their lock and the
`await`: a double-checked lock lets 50 callers on a cold or stale cache cause one fetch.
Caches are shared per credential and scope (`shared_cache`); the key never holds a secret.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Awaitable, Callable, TypeVar

import anyio

from .._core._secret import Secret
from ..exceptions import TokenAcquisitionError

__all__ = [
    "REFRESH_WINDOW_SECONDS",
    "RETRY_DELAY_SECONDS",
    "Action",
    "AsyncTokenCache",
    "Token",
    "TokenCache",
    "next_action",
    "shared_cache",
    "should_refresh",
]

log = logging.getLogger("azgate")

REFRESH_WINDOW_SECONDS = 300.0
"""Refresh this long before `expires_on` when the token names no `refresh_on` (azure-core's rule)."""
RETRY_DELAY_SECONDS = 30.0
"""After a fetch (or a failed one), a still-valid token is used this long before trying again."""


@dataclass(frozen=True, slots=True)
class Token:
    value: Secret
    expires_on: float
    """Seconds since the epoch."""
    refresh_on: float | None = None

    def __repr__(self) -> str:
        return f"Token('[secure]', expires_on={self.expires_on}, refresh_on={self.refresh_on})"


def should_refresh(token: Token | None, now: float) -> bool:
    """True when `token` is missing, past its `refresh_on`, or within 5 minutes of expiry."""
    if token is None:
        return True
    if token.refresh_on is not None and now >= token.refresh_on:
        return True
    return token.expires_on - now <= REFRESH_WINDOW_SECONDS


class Action(enum.Enum):
    USE = "use"
    REFRESH = "refresh"
    ACQUIRE = "acquire"


def next_action(token: Token | None, now: float, last_attempt: float) -> Action:
    if token is None or now >= token.expires_on:
        return Action.ACQUIRE
    if not should_refresh(token, now) or now - last_attempt < RETRY_DELAY_SECONDS:
        return Action.USE  # a short-lived token is not re-fetched on every call
    return Action.REFRESH


Fetch = Callable[[str | None], Token]
"""claims (from a 401's challenge, or None) -> a new token; raises TokenAcquisitionError."""
AsyncFetch = Callable[[str | None], Awaitable[Token]]


class _CacheState:
    """What both caches hold; every decision is `next_action`'s."""

    __slots__ = ("_claims", "_clock", "_last_attempt", "_token")

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._token: Token | None = None
        self._last_attempt = float("-inf")
        self._claims: str | None = None

    def _start(self) -> tuple[Action, Token | None, str | None]:
        token = self._token
        now = self._clock()
        action = next_action(token, now, self._last_attempt)
        if action is not Action.USE:
            self._last_attempt = now
        return action, token, self._claims

    def _finish(
        self, action: Action, old: Token | None, new: Token | None, error: TokenAcquisitionError | None
    ) -> Token:
        if new is not None:
            self._token, self._claims = new, None
            return new
        assert error is not None
        if action is Action.REFRESH and old is not None:
            log.warning("Token refresh failed; the current token is still valid and is kept: %s", error)
            return old
        raise error

    def _drop(self, refused: str | None, claims: str | None) -> None:
        token = self._token
        if token is not None and (refused is None or token.value.reveal() == refused):
            self._token = None
            self._claims = claims
        # else another caller already replaced the refused token: keep the new one

    @property
    def token(self) -> Token | None:
        return self._token


class TokenCache(_CacheState):
    """Tokens for threads: one fetch at a time under a threading.Lock."""

    __slots__ = ("_fetch", "_lock")

    def __init__(self, fetch: Fetch, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(clock)
        self._fetch = fetch
        self._lock = threading.Lock()

    def get(self) -> Token:
        token = self._token
        if token is not None and next_action(token, self._clock(), self._last_attempt) is Action.USE:
            return token
        with self._lock:
            # Check again: another thread may have fetched a token while we waited.
            action, old, claims = self._start()
            if action is Action.USE:
                assert old is not None
                return old
            try:
                return self._finish(action, old, self._fetch(claims), None)
            except TokenAcquisitionError as error:
                return self._finish(action, old, None, error)

    def invalidate(self, refused: str | None = None, claims: str | None = None) -> None:
        """Forget the token the service refused (if it is still the cached one)."""
        with self._lock:
            self._drop(refused, claims)


class AsyncTokenCache(_CacheState):
    """Tokens for tasks: one fetch at a time under an anyio.Lock."""

    __slots__ = ("_fetch", "_lock")

    def __init__(self, fetch: AsyncFetch, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(clock)
        self._fetch = fetch
        self._lock = anyio.Lock()

    async def get(self) -> Token:
        token = self._token
        if token is not None and next_action(token, self._clock(), self._last_attempt) is Action.USE:
            return token
        async with self._lock:
            # Check again: another task may have fetched a token while we waited.
            action, old, claims = self._start()
            if action is Action.USE:
                assert old is not None
                return old
            try:
                return self._finish(action, old, await self._fetch(claims), None)
            except TokenAcquisitionError as error:
                return self._finish(action, old, None, error)

    def invalidate(self, refused: str | None = None, claims: str | None = None) -> None:
        """Forget the token the service refused; no await, so no task can interleave."""
        self._drop(refused, claims)


_C = TypeVar("_C", TokenCache, AsyncTokenCache)
_SHARED: weakref.WeakKeyDictionary[object, dict[tuple[str, type[object]], object]] = weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()


def shared_cache(credential: object, scope: str, kind: type[_C], make: Callable[[], _C]) -> _C:
    """The one cache of `kind` for this credential and scope, made on first use.

    Clients sharing a credential share its tokens; the key is the credential object and
    the scope, never a secret. Credentials that cannot be weakly referenced get their own.
    """
    with _SHARED_LOCK:
        try:
            caches = _SHARED.setdefault(credential, {})
        except TypeError:
            return make()
        cache = caches.get((scope, kind))
        if not isinstance(cache, kind):
            cache = caches[(scope, kind)] = make()
        return cache
