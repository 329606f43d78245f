"""Ctrl-C during a command never lands inside a context manager's `__enter__` or
`__exit__` (where it would leave a lock of httpcore's pool taken and the command hung);
anywhere else it lands at once. Real signals, in this process's main thread."""

from __future__ import annotations

import signal
import time
from types import TracebackType

import pytest
from azgate.cli._interrupts import safe_interrupts


class Guard:
    """Interrupted in its own `__enter__` or `__exit__`, like a lock taken or given back."""

    def __init__(self, interrupt_in: str) -> None:
        self.interrupt_in = interrupt_in
        self.entered = self.exited = False

    def __enter__(self) -> Guard:
        if self.interrupt_in == "__enter__":
            signal.raise_signal(signal.SIGINT)
        self.entered = True
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self.interrupt_in == "__exit__":
            signal.raise_signal(signal.SIGINT)
        self.exited = True


@pytest.mark.parametrize("where", ["__enter__", "__exit__"])
def test_an_interrupt_waits_until_the_context_manager_is_done(where: str) -> None:
    guard = Guard(where)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), safe_interrupts():
        with guard:
            pass
        time.sleep(5)  # the interrupt lands here, or soon after
    assert guard.entered and guard.exited
    assert time.monotonic() - started < 2


def test_without_it_the_interrupt_lands_inside() -> None:
    guard = Guard("__enter__")
    with pytest.raises(KeyboardInterrupt), guard:
        pass
    assert not guard.entered  # what leaves a lock taken


def test_anywhere_else_it_lands_at_once_and_the_handlers_come_back() -> None:
    with pytest.raises(KeyboardInterrupt), safe_interrupts():
        signal.raise_signal(signal.SIGINT)
        time.sleep(5)
        pytest.fail("not interrupted")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
