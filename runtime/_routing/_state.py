"""Where cache entries and cooldowns live: memory (default), a SQLite file, or Redis.

The config's root `state` chooses: `"memory"` (this process; the cache is bounded to
MEMORY_MAX_ENTRIES, least recently used first out), `"sqlite:///path/to/file.db"` (one
host, survives restarts; SQLAlchemy's URL form, so `sqlite:////abs/path.db` is absolute),
or `"redis://host:6379/0"` (`rediss://` for TLS; many processes and hosts; needs
`pip install 'azgate[redis]'`).

State is an aid, never a point of failure: when SQLite or Redis cannot be reached, the
call goes on as a cache miss with no shared cooldowns, and a warning is logged (at most
once every WARN_INTERVAL_SECONDS per backend).
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

import anyio

from ..exceptions import ConfigurationError

__all__ = ["MEMORY_MAX_ENTRIES", "MemoryState", "SQLiteState", "StateBackend", "open_state"]

log = logging.getLogger("azgate.routing")

MEMORY_MAX_ENTRIES = 1024
WARN_INTERVAL_SECONDS = 60.0
_T = TypeVar("_T")


class StateBackend(Protocol):
    shared: bool
    """True when other processes see what this one writes (cooldowns are then published)."""

    def get(self, key: str) -> bytes | None: ...
    def set(self, key: str, value: bytes, ttl: float) -> None: ...
    def cooldowns(self, targets: Sequence[str]) -> dict[str, float]: ...
    def publish_cooldown(self, target: str, until: float) -> None: ...
    def close(self) -> None: ...
    async def aget(self, key: str) -> bytes | None: ...
    async def aset(self, key: str, value: bytes, ttl: float) -> None: ...
    async def acooldowns(self, targets: Sequence[str]) -> dict[str, float]: ...
    async def apublish_cooldown(self, target: str, until: float) -> None: ...
    async def aclose(self) -> None: ...


def open_state(url: str) -> StateBackend:
    if url == "memory":
        return MemoryState()
    if url.startswith("sqlite:///"):
        return SQLiteState(url[len("sqlite:///") :])
    if url.startswith(("redis://", "rediss://", "unix://")):
        from ._state_redis import RedisState

        return RedisState(url)
    raise ConfigurationError(f"Invalid routing config at state: unknown state backend {url.split(':')[0]!r}.")


class _Warner:
    """Logs a backend failure, then stays quiet for a while: a dead Redis must not flood logs."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._last = -WARN_INTERVAL_SECONDS

    def __call__(self, action: str, exc: BaseException) -> None:
        now = time.monotonic()
        if now - self._last >= WARN_INTERVAL_SECONDS:
            self._last = now
            log.warning(
                "Routing state (%s) failed to %s: %s; going on without it.", self._name, action, type(exc).__name__
            )


class MemoryState:
    """This process only. Cooldowns need no backend here: the HealthBook holds them."""

    shared = False

    def __init__(self, max_entries: int = MEMORY_MAX_ENTRIES) -> None:
        self._entries: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[1] <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def set(self, key: str, value: bytes, ttl: float) -> None:
        with self._lock:
            self._entries[key] = (value, time.monotonic() + ttl)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def cooldowns(self, targets: Sequence[str]) -> dict[str, float]:
        return {}

    def publish_cooldown(self, target: str, until: float) -> None:
        pass

    def close(self) -> None:
        pass

    async def aget(self, key: str) -> bytes | None:
        return self.get(key)

    async def aset(self, key: str, value: bytes, ttl: float) -> None:
        self.set(key, value, ttl)

    async def acooldowns(self, targets: Sequence[str]) -> dict[str, float]:
        return {}

    async def apublish_cooldown(self, target: str, until: float) -> None:
        pass

    async def aclose(self) -> None:
        pass

    def __len__(self) -> int:
        return len(self._entries)


class SQLiteState:
    """A SQLite file: shared by the processes of one host, kept across restarts.

    One connection per backend, used under a lock; async calls run it in a worker thread."""

    shared = True
    _PURGE_EVERY = 200

    def __init__(self, path: str) -> None:
        if not path:
            raise ConfigurationError("Invalid routing config at state: sqlite:/// needs a file path after it.")
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._writes = 0
        self._warn = _Warner("sqlite")

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS azgate_cache (key TEXT PRIMARY KEY, value BLOB, expires REAL)")
            conn.execute("CREATE TABLE IF NOT EXISTS azgate_cooldown (target TEXT PRIMARY KEY, until REAL)")
            self._conn = conn
        return self._conn

    def _run(self, action: str, fn: Callable[[sqlite3.Connection], _T], fallback: _T) -> _T:
        try:
            with self._lock:
                return fn(self._connect())
        except sqlite3.Error as exc:
            self._warn(action, exc)
            return fallback

    def get(self, key: str) -> bytes | None:
        def read(conn: sqlite3.Connection) -> bytes | None:
            row = conn.execute("SELECT value, expires FROM azgate_cache WHERE key = ?", (key,)).fetchone()
            return bytes(row[0]) if row is not None and row[1] > time.time() else None

        return self._run("read the cache", read, None)

    def set(self, key: str, value: bytes, ttl: float) -> None:
        def write(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.execute("INSERT OR REPLACE INTO azgate_cache VALUES (?, ?, ?)", (key, value, now + ttl))
            self._writes += 1
            if self._writes % self._PURGE_EVERY == 0:
                conn.execute("DELETE FROM azgate_cache WHERE expires <= ?", (now,))
                conn.execute("DELETE FROM azgate_cooldown WHERE until <= ?", (now,))

        self._run("write the cache", write, None)

    def cooldowns(self, targets: Sequence[str]) -> dict[str, float]:
        def read(conn: sqlite3.Connection) -> dict[str, float]:
            rows = conn.execute("SELECT target, until FROM azgate_cooldown WHERE until > ?", (time.time(),))
            wanted = set(targets)
            return {target: until for target, until in rows if target in wanted}

        return self._run("read cooldowns", read, {})

    def publish_cooldown(self, target: str, until: float) -> None:
        def write(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO azgate_cooldown VALUES (?, ?) "
                "ON CONFLICT(target) DO UPDATE SET until = max(until, excluded.until)",
                (target, until),
            )

        self._run("write a cooldown", write, None)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    async def aget(self, key: str) -> bytes | None:
        return await anyio.to_thread.run_sync(self.get, key)

    async def aset(self, key: str, value: bytes, ttl: float) -> None:
        await anyio.to_thread.run_sync(functools.partial(self.set, key, value, ttl))

    async def acooldowns(self, targets: Sequence[str]) -> dict[str, float]:
        return await anyio.to_thread.run_sync(self.cooldowns, targets)

    async def apublish_cooldown(self, target: str, until: float) -> None:
        await anyio.to_thread.run_sync(self.publish_cooldown, target, until)

    async def aclose(self) -> None:
        self.close()
