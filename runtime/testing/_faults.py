"""Fault injection: queued misbehaviours that the next matching requests consume.

Faults are added from the test's thread (Python API) or over HTTP (admin endpoint) and
consumed on the server's thread, hence the lock. A request consumes at most one fault:
the oldest one that matches it. Only requests that pass validation consume faults, so a
malformed request never eats a fault meant for the retry under test.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, get_args

from ._errors import AzureError, status_error
from ._responses import JsonReply, RawReply, Reply, StreamReply, dumps, frames_of

__all__ = ["Fault", "FaultError", "FaultKind", "FaultSet", "fault_error", "render_frames"]

FaultKind = Literal["rate_limit", "server_error", "slow_first_byte", "cut_stream", "malformed_json", "status"]
FAULT_KINDS: frozenset[str] = frozenset(get_args(FaultKind))

# Parameters each kind accepts besides kind/times/operation; anything else is a typo.
_PARAMS: Mapping[str, frozenset[str]] = {
    "rate_limit": frozenset({"retry_after_ms", "retry_after", "message"}),
    "server_error": frozenset({"status", "code", "message", "retry_after_ms", "retry_after"}),
    "slow_first_byte": frozenset({"delay"}),
    "cut_stream": frozenset({"after_chunks", "abort"}),
    "malformed_json": frozenset(),
    "status": frozenset({"status", "code", "message", "retry_after_ms", "retry_after"}),
}


@dataclass(frozen=True, slots=True)
class Fault:
    kind: FaultKind
    times: int | None = 1
    """How many matching requests it hits; None = every one until cleared."""
    operation: str | None = None
    """Operation id or SDK name it targets; None = any operation."""
    status: int | None = None
    code: str | None = None
    message: str | None = None
    retry_after_ms: float | None = None
    retry_after: int | None = None
    delay: float = 1.0
    after_chunks: int = 2
    abort: bool = False
    """cut_stream: drop the connection without ending the chunked body, instead of
    ending the body cleanly without [DONE]."""
    id: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class FaultError(ValueError):
    """A fault that cannot be built; `param` names the offending argument."""

    def __init__(self, message: str, param: str) -> None:
        super().__init__(message)
        self.param = param


# (lowest, highest, integers only) of each numeric parameter: a test tool that accepts
# retry_after_ms=1e400 or delay="abc" only fails later, somewhere less clear.
_RANGES: Mapping[str, tuple[float, float, bool]] = {
    "status": (100, 599, True),
    "retry_after_ms": (0, 3_600_000, False),
    "retry_after": (0, 3_600, True),
    "delay": (0, 600, False),
    "after_chunks": (0, 100_000, True),
}
_TEXT = frozenset({"code", "message"})


def _check(name: str, value: Any) -> None:
    if name in _RANGES:
        low, high, integral = _RANGES[name]
        kind = "an integer" if integral else "a number"
        number = isinstance(value, int) or (not integral and isinstance(value, float))
        if isinstance(value, bool) or not number or not (low <= value <= high):  # NaN fails the range too
            raise FaultError(f"{name} must be {kind} from {low:g} to {high:g}, got {value!r}", name)
    elif name in _TEXT and not isinstance(value, str):
        raise FaultError(f"{name} must be a string, got {value!r}", name)
    elif name == "abort" and not isinstance(value, bool):
        raise FaultError(f"abort must be true or false, got {value!r}", name)


def make_fault(kind: str, times: int | None, operation: str | None, **params: Any) -> Fault:
    """Check and build a fault; raises FaultError (a ValueError) naming the bad argument."""
    if kind not in FAULT_KINDS:
        raise FaultError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}", "kind")
    unknown = set(params) - _PARAMS[kind]
    if unknown:
        allowed = sorted(_PARAMS[kind]) or "none"
        raise FaultError(f"fault {kind!r} takes no {sorted(unknown)}; its parameters: {allowed}", sorted(unknown)[0])
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or not 1 <= times <= 1_000_000):
        raise FaultError(f"times must be a positive integer or None, got {times!r}", "times")
    if operation is not None and not isinstance(operation, str):
        raise FaultError(f"operation must be an operation id or SDK name, got {operation!r}", "operation")
    for name, value in params.items():
        if value is not None:
            _check(name, value)
    if kind == "status" and not isinstance(params.get("status"), int):
        raise FaultError("fault 'status' needs status=<int>, e.g. status=404", "status")
    if kind == "server_error":
        params.setdefault("status", 500)
    if kind == "rate_limit":
        params.setdefault("retry_after_ms", 10)
    ms = params.get("retry_after_ms")
    if ms is not None and params.get("retry_after") is None and kind == "rate_limit":
        params["retry_after"] = math.ceil(ms / 1000)
    return Fault(kind=kind, times=times, operation=operation, **params)  # type: ignore[arg-type]


@dataclass(slots=True)
class FaultSet:
    """The pending faults of one emulator."""

    _pending: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add(self, kind: FaultKind, *, times: int | None = 1, operation: str | None = None, **params: Any) -> Fault:
        """Queue a fault, e.g. `add("rate_limit", times=2, retry_after_ms=20)`."""
        fault = replace(make_fault(kind, times, operation, **params), id=next(self._ids))
        with self._lock:
            self._pending.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    @property
    def pending(self) -> list[Fault]:
        with self._lock:
            return list(self._pending)

    def __len__(self) -> int:
        return len(self._pending)

    def take(self, op_id: str, sdk_name: str, *, stream: bool) -> Fault | None:
        """Consume one use of the oldest fault matching this request."""
        if not self._pending:  # lock-free fast path for the common no-fault case
            return None
        with self._lock:
            for i, fault in enumerate(self._pending):
                if fault.operation not in (None, op_id, sdk_name):
                    continue
                if fault.kind == "cut_stream" and not stream:
                    continue
                if fault.times is not None:
                    if fault.times <= 1:
                        del self._pending[i]
                    else:
                        self._pending[i] = replace(fault, times=fault.times - 1)
                return fault
        return None


def fault_error(fault: Fault, op_id: str, api_version: str) -> AzureError | None:
    """The error answer of an erroring fault; None for faults that shape the reply."""
    if fault.kind == "rate_limit":
        seconds = fault.retry_after if fault.retry_after is not None else 1
        message = fault.message or (
            f"Requests to the {op_id} Operation under Azure OpenAI API version {api_version} "
            "have exceeded call rate limit of your current OpenAI S0 pricing tier. Please "
            f"retry after {seconds} second{'s' if seconds != 1 else ''}. Please go here: "
            "https://aka.ms/oai/quotaincrease if you would like to further increase the "
            "default rate limit."
        )
        error = AzureError(429, "429", message)
    elif fault.kind in ("server_error", "status"):
        assert fault.status is not None
        error = status_error(fault.status, fault.code, fault.message)
    else:
        return None
    if fault.retry_after_ms is not None:
        ms = fault.retry_after_ms
        error.headers["retry-after-ms"] = str(int(ms)) if float(ms).is_integer() else str(ms)
    if fault.retry_after is not None:
        error.headers["retry-after"] = str(fault.retry_after)
    return error


async def apply_delay(fault: Fault | None) -> None:
    if fault is not None and fault.kind == "slow_first_byte":
        await asyncio.sleep(fault.delay)


def malformed(reply: Reply) -> Reply:
    """A 200 whose JSON is cut off mid-object: what a truncating proxy produces."""
    if isinstance(reply, JsonReply):
        text = dumps(reply.body)
        return RawReply(text[: max(1, len(text) // 2)], "application/json", headers=reply.headers)
    return reply


def render_frames(reply: StreamReply, fault: Fault | None) -> list[bytes]:
    """SSE frames of a stream reply, after a cut_stream / malformed_json fault."""
    frames = frames_of(reply)
    if fault is None:
        return frames
    done = frames[-1:] if not reply.typed else []
    events = frames[: len(frames) - len(done)]
    if fault.kind == "cut_stream":
        return events[: fault.after_chunks]
    if fault.kind == "malformed_json" and events:
        # Break the frame after Azure's filter-results preamble (the first content).
        i = min(2, len(events) - 1)
        events[i] = events[i][: len(events[i]) // 2] + b"\n\n"
    return [*events, *done]


class StreamAborted(Exception):
    """Raised inside the body iterator so the server drops the connection mid-body."""


async def iterate_frames(frames: Sequence[bytes], *, abort: bool) -> AsyncIterator[bytes]:
    for frame in frames:
        yield frame
        # Yield to the loop so each frame leaves as its own write, as a real stream does.
        await asyncio.sleep(0)
    if abort:
        raise StreamAborted("emulator fault: cut_stream with abort=True")
