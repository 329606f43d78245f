"""Which targets are worth a call right now: cooldowns and quota headroom.

**Cooldown** (thresholds after LiteLLM's router). A target is skipped until its cooldown
ends when

- it answers 429 with a retry-after (any of retry-after-ms, x-ms-retry-after-ms,
  retry-after): for that long, at most MAX_COOLDOWN_SECONDS;
- it keeps failing: more than ALLOWED_FAILS failures within the current minute, or more
  than half of at least MIN_CALLS_FOR_RATE calls: for COOLDOWN_SECONDS.

Only failures another target may not have count (see `_failures`). The last healthy
target of a group is never cooled down, and a group whose every target is cooling still
serves (from all of them) rather than fail without trying.

Failure counts are per process. Cooldowns are shared when the config's `state` is SQLite
or Redis: a cooldown is written there at once, and each process reads the others' at most
every SYNC_INTERVAL_SECONDS, so every replica skips a throttling region.

**Headroom** (`quota_aware` loadbalance). Azure reports what is left of a deployment's
per-minute quota on every answer (`x-ratelimit-remaining-requests` / `-tokens`, with
`x-ratelimit-limit-*`). A target's weight is multiplied by the smaller of its two
remaining fractions, from its latest answer of the last minute; a target not heard from
counts as full, and when every target is out of quota the plain weights apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._failures import Failure

__all__ = [
    "ALLOWED_FAILS",
    "COOLDOWN_SECONDS",
    "FAILURE_RATE",
    "HealthBook",
    "MIN_CALLS_FOR_RATE",
]

ALLOWED_FAILS = 3
COOLDOWN_SECONDS = 5.0
FAILURE_RATE = 0.5
MIN_CALLS_FOR_RATE = 5
MAX_COOLDOWN_SECONDS = 300.0
WINDOW_SECONDS = 60
SYNC_INTERVAL_SECONDS = 0.5
HEADROOM_TTL_SECONDS = 60.0


@dataclass(slots=True)
class _Window:
    minute: int
    calls: int = 0
    fails: int = 0


@dataclass(frozen=True, slots=True)
class _Headroom:
    fraction: float
    seen_at: float


class HealthBook:
    """Per-target counters and cooldowns of one router, keyed by target identity.

    Shared by every thread (or task) of a client and its copies: updates are single dict
    operations, and a lost count under a race is harmless.
    """

    def __init__(self, *, shared: bool = False) -> None:
        self.cooled_until: dict[str, float] = {}
        self.shared = shared
        """True when a state backend holds cooldowns for other processes too."""
        self._windows: dict[str, _Window] = {}
        self._headroom: dict[str, _Headroom] = {}
        self._synced_at = 0.0

    # -- cooldown -----------------------------------------------------------------

    def healthy(self, target: str, now: float) -> bool:
        until = self.cooled_until.get(target)
        return until is None or until <= now

    def any_cooling(self, now: float) -> bool:
        """Cheap test for the common case: nothing is cooling, no filtering needed."""
        cooled = self.cooled_until
        if not cooled:
            return False
        for target, until in list(cooled.items()):
            if until <= now:
                cooled.pop(target, None)
        return bool(cooled)

    def record_success(self, target: str, now: float) -> None:
        self._window(target, now).calls += 1

    def record_failure(self, target: str, failure: Failure, now: float, *, last_healthy: bool) -> float | None:
        """Count a failed attempt; returns the seconds of cooldown it starts, if any."""
        window = self._window(target, now)
        window.calls += 1
        if not failure.target_fault:
            return None
        window.fails += 1
        seconds: float | None = None
        if failure.status == 429 and failure.retry_after is not None:
            seconds = min(failure.retry_after, MAX_COOLDOWN_SECONDS)
        elif window.fails > ALLOWED_FAILS or (
            window.calls >= MIN_CALLS_FOR_RATE and window.fails / window.calls > FAILURE_RATE
        ):
            seconds = COOLDOWN_SECONDS
        if seconds is None or seconds <= 0 or last_healthy:
            return None
        self.cool(target, now + seconds)
        # A target back from cooldown starts with a clean slate.
        self._windows.pop(target, None)
        return seconds

    def cool(self, target: str, until: float) -> None:
        if until > self.cooled_until.get(target, 0.0):
            self.cooled_until[target] = until

    def needs_sync(self, now: float) -> bool:
        return self.shared and now - self._synced_at >= SYNC_INTERVAL_SECONDS

    def merge(self, cooldowns: Mapping[str, float], now: float) -> None:
        """Take in the cooldowns other processes wrote to the shared state."""
        self._synced_at = now
        for target, until in cooldowns.items():
            if until > now:
                self.cool(target, until)

    def _window(self, target: str, now: float) -> _Window:
        minute = int(now // WINDOW_SECONDS)
        window = self._windows.get(target)
        if window is None or window.minute != minute:
            window = self._windows[target] = _Window(minute)
        return window

    # -- headroom -----------------------------------------------------------------

    def observe(self, target: str, headers: Mapping[str, str], now: float) -> None:
        fraction = _remaining_fraction(headers)
        if fraction is not None:
            self._headroom[target] = _Headroom(fraction, now)

    def headroom(self, target: str, now: float) -> float:
        seen = self._headroom.get(target)
        if seen is None or now - seen.seen_at > HEADROOM_TTL_SECONDS:
            return 1.0
        return seen.fraction


def _remaining_fraction(headers: Mapping[str, str]) -> float | None:
    fractions = []
    for kind in ("requests", "tokens"):
        remaining = _number(headers.get(f"x-ratelimit-remaining-{kind}"))
        if remaining is None:
            continue
        limit = _number(headers.get(f"x-ratelimit-limit-{kind}"))
        if limit is None or limit <= 0:
            # Without the limit, "0 left" is still news; any other count is not a fraction.
            fractions.append(0.0 if remaining <= 0 else 1.0)
        else:
            fractions.append(min(max(remaining / limit, 0.0), 1.0))
    return min(fractions) if fractions else None


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None
