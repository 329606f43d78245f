"""Routing state in Redis: one cache and one set of cooldowns for every process and host.

Keys: `azgate:cache:<sha256>` (the entry, expiring with max_age) and
`azgate:cooldown:<target identity>` (the end time, expiring with the cooldown). Redis
answers within REDIS_TIMEOUT_SECONDS or the call goes on without it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..exceptions import ConfigurationError
from ._state import _Warner

if TYPE_CHECKING:
    import redis
    import redis.asyncio

__all__ = ["RedisState"]

REDIS_TIMEOUT_SECONDS = 1.0
CACHE_PREFIX = "azgate:cache:"
COOLDOWN_PREFIX = "azgate:cooldown:"


def _redis() -> Any:
    try:
        import redis
    except ImportError:
        raise ConfigurationError(
            "Invalid routing config at state: a redis:// state needs the redis package: pip install 'azgate[redis]'."
        ) from None
    return redis


class RedisState:
    shared = True

    def __init__(self, url: str) -> None:
        self._redis = _redis()  # fail at config time, not at the first call
        self.url = url
        self._sync: redis.Redis | None = None
        self._async: redis.asyncio.Redis | None = None
        self._async_loop: asyncio.AbstractEventLoop | None = None
        self._warn = _Warner("redis")

    def _options(self) -> dict[str, Any]:
        return {"socket_timeout": REDIS_TIMEOUT_SECONDS, "socket_connect_timeout": REDIS_TIMEOUT_SECONDS}

    def _client(self) -> redis.Redis:
        if self._sync is None:
            self._sync = self._redis.Redis.from_url(self.url, **self._options())
        return self._sync

    def _aclient(self) -> redis.asyncio.Redis:
        # A redis.asyncio connection belongs to the loop that opened it.
        loop = asyncio.get_running_loop()
        if self._async is None or self._async_loop is not loop:
            self._async = self._redis.asyncio.Redis.from_url(self.url, **self._options())
            self._async_loop = loop
        return self._async

    # -- sync ---------------------------------------------------------------------

    def get(self, key: str) -> bytes | None:
        try:
            value = self._client().get(CACHE_PREFIX + key)
        except self._redis.RedisError as exc:
            self._warn("read the cache", exc)
            return None
        return _as_bytes(value)

    def set(self, key: str, value: bytes, ttl: float) -> None:
        try:
            self._client().set(CACHE_PREFIX + key, value, px=max(int(ttl * 1000), 1))
        except self._redis.RedisError as exc:
            self._warn("write the cache", exc)

    def cooldowns(self, targets: Sequence[str]) -> dict[str, float]:
        if not targets:
            return {}
        try:
            values = self._client().mget([COOLDOWN_PREFIX + t for t in targets])
        except self._redis.RedisError as exc:
            self._warn("read cooldowns", exc)
            return {}
        return _parse_cooldowns(targets, values)

    def publish_cooldown(self, target: str, until: float) -> None:
        ttl_ms = int((until - time.time()) * 1000)
        if ttl_ms <= 0:
            return
        try:
            self._client().set(COOLDOWN_PREFIX + target, repr(until), px=ttl_ms)
        except self._redis.RedisError as exc:
            self._warn("write a cooldown", exc)

    def close(self) -> None:
        if self._sync is not None:
            self._sync.close()
            self._sync = None

    # -- async --------------------------------------------------------------------

    async def aget(self, key: str) -> bytes | None:
        try:
            value = await self._aclient().get(CACHE_PREFIX + key)
        except self._redis.RedisError as exc:
            self._warn("read the cache", exc)
            return None
        return _as_bytes(value)

    async def aset(self, key: str, value: bytes, ttl: float) -> None:
        try:
            await self._aclient().set(CACHE_PREFIX + key, value, px=max(int(ttl * 1000), 1))
        except self._redis.RedisError as exc:
            self._warn("write the cache", exc)

    async def acooldowns(self, targets: Sequence[str]) -> dict[str, float]:
        if not targets:
            return {}
        try:
            values = await self._aclient().mget([COOLDOWN_PREFIX + t for t in targets])
        except self._redis.RedisError as exc:
            self._warn("read cooldowns", exc)
            return {}
        return _parse_cooldowns(targets, values)

    async def apublish_cooldown(self, target: str, until: float) -> None:
        ttl_ms = int((until - time.time()) * 1000)
        if ttl_ms <= 0:
            return
        try:
            await self._aclient().set(COOLDOWN_PREFIX + target, repr(until), px=ttl_ms)
        except self._redis.RedisError as exc:
            self._warn("write a cooldown", exc)

    async def aclose(self) -> None:
        if self._async is not None:
            await self._async.aclose()
            self._async = None
        self.close()


def _parse_cooldowns(targets: Sequence[str], values: Sequence[Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for target, value in zip(targets, values, strict=False):
        if value is None:
            continue
        try:
            out[target] = float(value)
        except (TypeError, ValueError):
            continue
    return out


def _as_bytes(value: object) -> bytes | None:
    if value is None:
        return None
    return value if isinstance(value, bytes) else str(value).encode()
