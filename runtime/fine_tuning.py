"""Waiting for a fine-tuning job, showing its events as they come.

```python
from azgate.fine_tuning import wait_for_fine_tuning

job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=file_id)
job = wait_for_fine_tuning(client, job.id)          # prints each new event, oldest first
print(job.fine_tuned_model)
```

Each poll reads jobs.retrieve, then the job's events newest first, page by page, until
one already shown; the new ones go to `on_event` oldest first, each once (the default
prints them; None shows nothing). A tqdm bar follows the training step when tqdm is
installed and stderr is a terminal (`progress=False` turns it off; a callable gets each
FineTuningJob instead).

succeeded -> the final FineTuningJob. failed / cancelled -> FineTuningFailedError with
the job and its error. `timeout` -> FineTuningTimeoutError. Neither it nor Ctrl-C
cancels the job: call wait_for_fine_tuning again to keep waiting. A paused job is waited
on like a running one. `await_for_fine_tuning` is the same for AsyncClient.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio

from ._core._types import NOT_GIVEN, NotGiven
from ._jobs._polling import Poller, Progress, interrupted_hint
from .exceptions import AzgateError
from .generated.models import FineTuningJob, FineTuningJobEvent

if TYPE_CHECKING:
    from .generated import AsyncClient, Client

__all__ = [
    "EventHandler",
    "FineTuningFailedError",
    "FineTuningTimeoutError",
    "await_for_fine_tuning",
    "format_event",
    "wait_for_fine_tuning",
]

EventHandler = Callable[[FineTuningJobEvent], None]

DEFAULT_POLL_INTERVAL = 10.0
DEFAULT_MAX_POLL_INTERVAL = 60.0
TERMINAL_STATUSES = frozenset({"succeeded", "failed", "cancelled"})

_STEP = re.compile(r"\bstep\s+(\d+)\s*/\s*(\d+)", re.I)


class FineTuningFailedError(AzgateError):
    """The job ended failed or cancelled. `job` is its final state; `code` and `message`
    are its error (None for a cancelled job)."""

    def __init__(self, job: FineTuningJob) -> None:
        self.job = job
        error = job.error
        self.code = error.code if error is not None else None
        self.message = error.message if error is not None else None
        text = f"Fine-tuning job {job.id} {'was cancelled' if job.status == 'cancelled' else job.status}"
        if error is not None and (error.code or error.message):
            param = f" (param {error.param})" if error.param else ""
            text += f": {error.code or 'error'}: {error.message or '(no message)'}{param}"
        super().__init__(text + ".")


class FineTuningTimeoutError(AzgateError, TimeoutError):
    """`timeout` ran out; the job goes on. `job` is the last state seen (None if the
    service could not be read at all)."""

    def __init__(self, job_id: str, job: FineTuningJob | None, waited: float, again: str) -> None:
        self.job_id = job_id
        self.job = job
        status = job.status if job is not None else "not read yet"
        super().__init__(
            f"Stopped waiting for fine-tuning job {job_id} after {waited:.1f} s (status {status}); "
            f"it keeps running on the service. Wait again with {again}(client, {job_id!r})."
        )


def format_event(event: FineTuningJobEvent) -> str:
    """'2025-01-31 12:00:00 info: Step 10/100: training loss=0.52' (UTC)."""
    when = datetime.datetime.fromtimestamp(event.created_at, datetime.timezone.utc)
    return f"{when:%Y-%m-%d %H:%M:%S} {event.level}: {event.message}"


@dataclass
class _Watch:
    """Which events were shown, and the last known training step. Pure."""

    job: FineTuningJob | None = None
    step: int | None = None
    total_steps: int | None = None
    seen: set[str] = field(default_factory=set)

    @staticmethod
    def key(event: FineTuningJobEvent) -> str:
        return event.id or f"{event.created_at}\x1f{event.level}\x1f{event.type}\x1f{event.message}"

    def unseen(self, page: Iterable[FineTuningJobEvent]) -> tuple[list[FineTuningJobEvent], bool]:
        """The page's events not shown yet, and whether it reached one that was (then
        older pages need not be read)."""
        events = list(page)
        fresh = [e for e in events if self.key(e) not in self.seen]
        return fresh, len(fresh) < len(events)

    def accept(self, fresh_newest_first: list[FineTuningJobEvent]) -> list[FineTuningJobEvent]:
        """Mark events shown; return them oldest first (each once)."""
        ordered = sorted(enumerate(reversed(fresh_newest_first)), key=lambda pair: (pair[1].created_at, pair[0]))
        out = []
        for _, event in ordered:
            key = self.key(event)
            if key not in self.seen:
                self.seen.add(key)
                out.append(event)
                self._step_from(event)
        return out

    def _step_from(self, event: FineTuningJobEvent) -> None:
        data: Any = event.data
        if isinstance(data, dict) and isinstance(data.get("step"), int):
            self.step = data["step"]
            total = data.get("total_steps")
            self.total_steps = total if isinstance(total, int) else self.total_steps
        elif match := _STEP.search(event.message):
            self.step, self.total_steps = int(match[1]), int(match[2])


def _describe(watch: _Watch) -> tuple[str, int | None, int | None]:
    status = watch.job.status if watch.job is not None else "unknown"
    return f"fine-tuning {status}", watch.step, watch.total_steps


def _progress(option: bool | Callable[[FineTuningJob], None] | None) -> Progress[_Watch]:
    if callable(option):
        user = option
        return Progress(lambda watch: user(watch.job) if watch.job is not None else None, _describe, unit="step")
    return Progress(option, _describe, unit="step")


def _handler(on_event: EventHandler | None | NotGiven, progress: Progress[_Watch]) -> EventHandler | None:
    if isinstance(on_event, NotGiven):
        return lambda event: progress.write(format_event(event))
    return on_event


def _observe(
    watch: _Watch,
    job: FineTuningJob,
    fresh: list[FineTuningJobEvent],
    handler: EventHandler | None,
    display: Progress[_Watch],
) -> FineTuningJob | None:
    """Show what one look found; the final job when it has ended (or its error)."""
    watch.job = job
    for event in watch.accept(fresh):
        if handler is not None:
            handler(event)
    display.update(watch)
    if job.status not in TERMINAL_STATUSES:
        return None
    if job.status == "succeeded":
        return job
    raise FineTuningFailedError(job)


def _hint(job_id: str, again: str) -> str:
    return f"Fine-tuning job {job_id} keeps running on the service; wait again with {again}(client, {job_id!r})."


def wait_for_fine_tuning(
    client: Client,
    job_id: str,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    timeout: float | None = None,
    on_event: EventHandler | None | NotGiven = NOT_GIVEN,
    progress: bool | Callable[[FineTuningJob], None] | None = None,
) -> FineTuningJob:
    """Wait until the job succeeds (its final state) or fails (FineTuningFailedError)."""
    poller = Poller(poll_interval, max_poll_interval, timeout)
    watch = _Watch()
    display = _progress(progress)
    handler = _handler(on_event, display)
    try:
        with interrupted_hint(_hint(job_id, "wait_for_fine_tuning")):
            while True:
                try:
                    job = client.fine_tuning.jobs.retrieve(fine_tuning_job_id=job_id)
                    fresh: list[FineTuningJobEvent] = []
                    for page in client.fine_tuning.jobs.list_events(fine_tuning_job_id=job_id).iter_pages():
                        unseen, reached_seen = watch.unseen(page.data or [])
                        fresh += unseen
                        if reached_seen:
                            break
                except AzgateError as exc:
                    if not poller.should_retry_look(exc):
                        raise
                else:
                    poller.looked()
                    if (final := _observe(watch, job, fresh, handler, display)) is not None:
                        return final
                delay = poller.next_delay()
                if delay is None:
                    raise FineTuningTimeoutError(job_id, watch.job, poller.elapsed, "wait_for_fine_tuning")
                time.sleep(delay)
    finally:
        display.close()


async def await_for_fine_tuning(
    client: AsyncClient,
    job_id: str,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    timeout: float | None = None,
    on_event: EventHandler | None | NotGiven = NOT_GIVEN,
    progress: bool | Callable[[FineTuningJob], None] | None = None,
) -> FineTuningJob:
    """wait_for_fine_tuning for AsyncClient."""
    poller = Poller(poll_interval, max_poll_interval, timeout)
    watch = _Watch()
    display = _progress(progress)
    handler = _handler(on_event, display)
    try:
        with interrupted_hint(_hint(job_id, "await_for_fine_tuning")):
            while True:
                try:
                    job = await client.fine_tuning.jobs.retrieve(fine_tuning_job_id=job_id)
                    fresh: list[FineTuningJobEvent] = []
                    events = await client.fine_tuning.jobs.list_events(fine_tuning_job_id=job_id)
                    async for page in events.iter_pages():
                        unseen, reached_seen = watch.unseen(page.data or [])
                        fresh += unseen
                        if reached_seen:
                            break
                except AzgateError as exc:
                    if not poller.should_retry_look(exc):
                        raise
                else:
                    poller.looked()
                    if (final := _observe(watch, job, fresh, handler, display)) is not None:
                        return final
                delay = poller.next_delay()
                if delay is None:
                    raise FineTuningTimeoutError(job_id, watch.job, poller.elapsed, "await_for_fine_tuning")
                await anyio.sleep(delay)
    finally:
        display.close()
