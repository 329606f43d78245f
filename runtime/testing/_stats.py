"""Request accounting: counts per operation (for "the retry really sent 3 requests"),
a bounded log of recent requests, and the one-minute window behind x-ratelimit-*."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from ._responses import RATE_LIMIT_REQUESTS, RATE_LIMIT_TOKENS

__all__ = ["RecordedRequest", "Stats"]


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    operation: str | None
    status: int


@dataclass(slots=True)
class Stats:
    log_size: int = 1000
    _by_operation: Counter[str] = field(default_factory=Counter)
    _by_status: Counter[int] = field(default_factory=Counter)
    _log: deque[RecordedRequest] = field(default_factory=deque)
    # Per-second buckets [second, requests, tokens] with running totals, so the
    # rate-limit headers cost O(1) per request even under a benchmark's load.
    _window: deque[list[int]] = field(default_factory=deque)
    _window_requests: int = 0
    _window_tokens: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    generation: int = 0
    """Bumped by `reset`: a request that began before a reset is not counted after it
    (a slow request of one test must not land in the next test's figures)."""

    def record(self, request: RecordedRequest, generation: int | None = None) -> None:
        with self._lock:
            if generation is not None and generation != self.generation:
                return
            self._by_operation[request.operation or "<unrouted>"] += 1
            self._by_status[request.status] += 1
            self._log.append(request)
            if len(self._log) > self.log_size:
                self._log.popleft()

    def count(self, operation: str | None = None) -> int:
        """Requests seen for one operation id (or all of them)."""
        with self._lock:
            if operation is None:
                return sum(self._by_operation.values())
            return self._by_operation[operation]

    @property
    def requests(self) -> list[RecordedRequest]:
        """The most recent requests, oldest first."""
        with self._lock:
            return list(self._log)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": sum(self._by_operation.values()),
                "operations": dict(self._by_operation),
                "statuses": {str(k): v for k, v in self._by_status.items()},
            }

    def reset(self) -> None:
        with self._lock:
            self.generation += 1
            self._by_operation.clear()
            self._by_status.clear()
            self._log.clear()
            self._window.clear()
            self._window_requests = self._window_tokens = 0

    def charge(self, tokens: int) -> tuple[int, int]:
        """Count a request against the one-minute window; return what remains of it."""
        second = int(time.monotonic())
        with self._lock:
            window = self._window
            while window and window[0][0] <= second - 60:
                _, requests, spent = window.popleft()
                self._window_requests -= requests
                self._window_tokens -= spent
            if window and window[-1][0] == second:
                window[-1][1] += 1
                window[-1][2] += tokens
            else:
                window.append([second, 1, tokens])
            self._window_requests += 1
            self._window_tokens += tokens
            return (
                max(0, RATE_LIMIT_REQUESTS - self._window_requests),
                max(0, RATE_LIMIT_TOKENS - self._window_tokens),
            )
