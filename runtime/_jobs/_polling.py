"""Waiting on long-running jobs (batches, fine-tuning): the decisions, no I/O.

`Poller` says how long to sleep before the next look (growing from `poll_interval` to
`max_poll_interval`), when the caller's `timeout` has run out, and whether a failed look
is worth another try; `Progress` draws a tqdm bar when one is wanted and possible.
The sync and async helpers only loop, look and sleep.
"""

from __future__ import annotations

import importlib
import logging
import math
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ..exceptions import APIConnectionError, InternalServerError, RateLimitError

__all__ = ["POLL_GROWTH", "Poller", "Progress", "interrupted_hint", "is_transient"]

log = logging.getLogger("azgate")

_T = TypeVar("_T")

POLL_GROWTH = 1.5
"""Each wait is this much longer than the one before, up to `max_poll_interval`."""

MAX_CONSECUTIVE_ERRORS = 5
"""Looks in a row that may fail with a transient error (connection, 429, 5xx, each after
the client's own retries) before the error is raised: an hours-long wait should survive
a network blip, not a dead endpoint."""


def is_transient(error: BaseException) -> bool:
    return isinstance(error, (APIConnectionError, RateLimitError, InternalServerError))


@contextmanager
def interrupted_hint(hint: str) -> Iterator[None]:
    """Ctrl-C (or a cancelled task) stops the waiting, never the job: the
    KeyboardInterrupt says `hint` (how to resume); a cancellation keeps its own exception
    and gets the hint as a note (Python 3.11+) and in the log."""
    try:
        yield
    except KeyboardInterrupt:
        log.warning("Interrupted. %s", hint)
        raise KeyboardInterrupt(f"Stopped waiting. {hint}") from None
    except BaseException as exc:
        if not isinstance(exc, Exception):  # asyncio / anyio cancellation, SystemExit
            log.warning("Stopped waiting. %s", hint)
            adder = getattr(exc, "add_note", None)
            if callable(adder):
                adder(hint)
        raise


@dataclass
class Poller:
    """Sleep lengths and the deadline of one wait. Seconds throughout; `clock` is
    time.monotonic unless a test passes another."""

    poll_interval: float
    max_poll_interval: float
    timeout: float | None
    clock: Callable[[], float] = time.monotonic
    started: float = field(init=False)
    _next: float = field(init=False)
    _errors: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        for name in ("poll_interval", "max_poll_interval"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
                raise ValueError(f"{name} must be a positive number of seconds; got {value!r}.")
        if self.max_poll_interval < self.poll_interval:
            raise ValueError(
                f"max_poll_interval ({self.max_poll_interval}) must be at least poll_interval ({self.poll_interval})."
            )
        if self.timeout is not None and (not isinstance(self.timeout, (int, float)) or self.timeout < 0):
            raise ValueError(f"timeout must be None (wait as long as it takes) or seconds >= 0; got {self.timeout!r}.")
        self.started = self.clock()
        self._next = self.poll_interval

    @property
    def elapsed(self) -> float:
        return self.clock() - self.started

    def next_delay(self) -> float | None:
        """Seconds to sleep before the next look; None when the timeout has run out."""
        remaining = math.inf if self.timeout is None else self.timeout - self.elapsed
        if remaining <= 0:
            return None
        delay = min(self._next, remaining)
        self._next = min(self._next * POLL_GROWTH, self.max_poll_interval)
        return delay

    def looked(self) -> None:
        """A look succeeded."""
        self._errors = 0

    def should_retry_look(self, error: BaseException) -> bool:
        """Whether to keep waiting after a look failed with `error`."""
        if not is_transient(error):
            return False
        self._errors += 1
        if self._errors > MAX_CONSECUTIVE_ERRORS:
            return False
        log.warning("Polling failed (%s); trying again (%d of %d)", error, self._errors, MAX_CONSECUTIVE_ERRORS)
        return True


def _tqdm() -> Any | None:
    try:
        return importlib.import_module("tqdm").tqdm
    except ImportError:
        return None


class Progress(Generic[_T]):
    """What a waiting helper shows: a tqdm bar, a callback, or nothing.

    `option` None (the default) draws a bar when tqdm is installed and stderr is a
    terminal; True draws one whenever tqdm is installed (a warning in the log when it is
    not); False draws nothing; a callable gets every state seen instead of a bar.
    `describe` turns a state into (description, done, total).
    """

    def __init__(
        self,
        option: bool | Callable[[_T], None] | None,
        describe: Callable[[_T], tuple[str, int | None, int | None]],
        *,
        unit: str,
    ) -> None:
        self._describe = describe
        self._callback: Callable[[_T], None] | None = None
        self._bar: Any | None = None
        if callable(option):
            self._callback = option
            return
        if option is False or (option is None and not _is_terminal()):
            return
        tqdm = _tqdm()
        if tqdm is None:
            if option is True:
                log.warning("progress=True needs tqdm: pip install tqdm (or azgate[progress]); showing no progress.")
            return
        self._bar = tqdm(total=None, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=True)

    @property
    def bar(self) -> Any | None:
        return self._bar

    def update(self, state: _T) -> None:
        if self._callback is not None:
            self._callback(state)
        if self._bar is None:
            return
        description, done, total = self._describe(state)
        bar = self._bar
        if total is not None and bar.total != total:
            bar.total = total
        if done is not None:
            bar.n = done
        bar.set_description(description, refresh=False)
        bar.refresh()

    def write(self, line: str) -> None:
        """Print a line without breaking the bar."""
        if self._bar is not None:
            self._bar.write(line, file=sys.stderr)
        else:
            print(line, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _is_terminal() -> bool:
    stream = sys.stderr
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed streams
        return False
