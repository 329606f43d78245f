"""Ctrl-C that never lands inside a context manager's `__enter__` or `__exit__`.

A KeyboardInterrupt raised between a lock's `acquire()` and the end of the `__enter__`
that called it leaves the lock taken, with no `__exit__` to come and release it. httpcore's
pool takes its lock that way, and its clean-up on the way out takes it again: the command
then hangs, printing nothing. So while a command runs, SIGINT is delivered at once unless
the main thread is in one of those two methods; then it comes again 10 ms later, until it
is not (a few bytecodes away).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["safe_interrupts"]

_RETRY_SECONDS = 0.01
_NOT_HERE = frozenset({"__enter__", "__exit__"})


def _deliver(signum: int, frame: FrameType | None) -> None:
    if frame is not None and frame.f_code.co_name in _NOT_HERE:
        signal.setitimer(signal.ITIMER_REAL, _RETRY_SECONDS)  # SIGALRM brings it back here
        return
    raise KeyboardInterrupt


@contextmanager
def safe_interrupts() -> Iterator[None]:
    """Ctrl-C as `_deliver` times it, for the body of the `with`; the handlers as they were
    after. Left alone where it cannot apply: off the main thread, without SIGALRM (Windows),
    or when the program already handles SIGINT or SIGALRM itself."""
    if (
        threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
        or signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL
    ):
        yield
        return
    signal.signal(signal.SIGALRM, _deliver)
    signal.signal(signal.SIGINT, _deliver)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
