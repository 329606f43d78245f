"""Waiting decisions shared by azgate.batch and azgate.fine_tuning: delays, deadline,
transient errors, the progress display, Ctrl-C; and the fine-tuning event bookkeeping."""

from __future__ import annotations

import io
import logging
import sys
from typing import Any

import httpx
import pytest
from azgate._jobs._polling import MAX_CONSECUTIVE_ERRORS, Poller, Progress, interrupted_hint
from azgate.exceptions import APIConnectionError, BadRequestError, InternalServerError
from azgate.fine_tuning import FineTuningFailedError, FineTuningTimeoutError, _Watch, format_event
from azgate.generated.models import FineTuningJob, FineTuningJobEvent

REQUEST = httpx.Request("GET", "https://example.test/x")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_delays_grow_to_the_maximum_and_stop_at_the_deadline() -> None:
    clock = Clock()
    poller = Poller(2.0, 5.0, timeout=20.0, clock=clock)
    delays = []
    while (delay := poller.next_delay()) is not None:
        delays.append(delay)
        clock.now += delay
    assert delays == [2.0, 3.0, 4.5, 5.0, 5.0, 0.5]  # the last one is cut to the deadline
    assert poller.elapsed == 20.0
    forever = Poller(1.0, 1.0, timeout=None, clock=clock)
    clock.now += 10**9
    assert forever.next_delay() == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"poll_interval": 0, "max_poll_interval": 1, "timeout": None}, "poll_interval must be a positive number"),
        ({"poll_interval": 5, "max_poll_interval": 1, "timeout": None}, r"max_poll_interval \(1\) must be at least"),
        ({"poll_interval": 1, "max_poll_interval": 1, "timeout": -1}, "timeout must be None"),
    ],
)
def test_bad_settings_fail_at_once(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Poller(**kwargs)


def test_transient_errors_are_retried_a_few_times_in_a_row(caplog: pytest.LogCaptureFixture) -> None:
    poller = Poller(1, 1, None)
    server_error = InternalServerError("boom", response=httpx.Response(503, request=REQUEST), body=None)
    assert all(poller.should_retry_look(APIConnectionError(REQUEST)) for _ in range(MAX_CONSECUTIVE_ERRORS - 1))
    poller.looked()  # a good look resets the count
    assert all(poller.should_retry_look(server_error) for _ in range(MAX_CONSECUTIVE_ERRORS))
    assert not poller.should_retry_look(server_error)
    assert not Poller(1, 1, None).should_retry_look(
        BadRequestError("no", response=httpx.Response(400, request=REQUEST), body=None)
    )
    assert "Polling failed" in caplog.text


def test_ctrl_c_says_how_to_resume_and_cancellation_keeps_its_exception() -> None:
    hint = "Job j keeps running; resume with r(client, 'j')."
    with pytest.raises(KeyboardInterrupt, match=r"Stopped waiting\. Job j .* r\(client, 'j'\)"), interrupted_hint(hint):
        raise KeyboardInterrupt
    cancelled = SystemExit(3)
    with pytest.raises(SystemExit) as info, interrupted_hint("the hint"):
        raise cancelled
    assert info.value is cancelled
    if sys.version_info >= (3, 11):
        assert info.value.__notes__ == ["the hint"]
    with pytest.raises(ValueError, match="plain"), interrupted_hint("unused"):
        raise ValueError("plain")


def describe(state: tuple[str, int, int]) -> tuple[str, int | None, int | None]:
    return state


def test_progress_bar_draws_counts_and_status(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    progress: Progress[tuple[str, int, int]] = Progress(True, describe, unit="req")
    assert progress.bar is not None
    progress.update(("batch in_progress", 3, 10))
    assert (progress.bar.n, progress.bar.total) == (3, 10)
    progress.write("a line")
    progress.close()
    text = err.getvalue()
    assert "batch in_progress" in text and "3/10" in text and "a line" in text


def test_progress_is_off_without_a_terminal_or_tqdm(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    assert Progress(None, describe, unit="req").bar is None  # pytest's stderr is not a terminal
    assert Progress(False, describe, unit="req").bar is None
    seen: list[Any] = []
    callback: Progress[tuple[str, int, int]] = Progress(seen.append, describe, unit="req")
    callback.update(("s", 1, 2))
    assert seen == [("s", 1, 2)] and callback.bar is None
    callback.write("printed")
    assert capsys.readouterr().out == "printed\n"
    monkeypatch.setitem(sys.modules, "tqdm", None)  # as if not installed
    with caplog.at_level(logging.WARNING):
        assert Progress(True, describe, unit="req").bar is None
    assert "progress=True needs tqdm" in caplog.text


def event(i: int, created: int | None = None, **extra: Any) -> FineTuningJobEvent:
    return FineTuningJobEvent.model_validate(
        {
            "id": f"ev{i}",
            "created_at": 1000 + i if created is None else created,
            "level": "info",
            "message": f"m{i}",
            "type": "message",
        }
        | extra
    )


def test_events_are_shown_once_oldest_first() -> None:
    watch = _Watch()
    newest_first = [event(3), event(2), event(1)]
    fresh, reached = watch.unseen(newest_first)
    assert (len(fresh), reached) == (3, False)
    assert [e.id for e in watch.accept(fresh)] == ["ev1", "ev2", "ev3"]
    fresh, reached = watch.unseen([event(5), event(4), event(3), event(2)])
    assert [e.id for e in fresh] == ["ev5", "ev4"] and reached
    assert [e.id for e in watch.accept(fresh)] == ["ev4", "ev5"]
    # same second: the service's order (newest first) decides
    same = [event(7, created=2000), event(6, created=2000)]
    assert [e.id for e in watch.accept(watch.unseen(same)[0])] == ["ev6", "ev7"]
    assert watch.accept([event(7)]) == []


def test_training_steps_come_from_metrics_events() -> None:
    watch = _Watch()
    watch.accept([event(1, type="metrics", data={"step": 10, "total_steps": 100, "train_loss": 0.5})])
    assert (watch.step, watch.total_steps) == (10, 100)
    watch.accept([event(2, message="Step 20/100: training loss=0.4")])
    assert (watch.step, watch.total_steps) == (20, 100)


def job(status: str, **extra: Any) -> FineTuningJob:
    return FineTuningJob.model_validate(
        {"id": "ftjob-1", "model": "gpt-4o-mini", "training_file": "file-t", "status": status, **extra}
    )


def test_fine_tuning_errors_say_what_happened() -> None:
    failed = FineTuningFailedError(job("failed", error={"code": "invalid_training_file", "message": "Bad line 3"}))
    assert str(failed) == "Fine-tuning job ftjob-1 failed: invalid_training_file: Bad line 3."
    assert (failed.code, failed.message) == ("invalid_training_file", "Bad line 3")
    assert str(FineTuningFailedError(job("cancelled"))) == "Fine-tuning job ftjob-1 was cancelled."
    timeout = FineTuningTimeoutError("ftjob-1", job("running"), 30.0, "wait_for_fine_tuning")
    assert isinstance(timeout, TimeoutError) and "status running" in str(timeout)
    assert "Wait again with wait_for_fine_tuning(client, 'ftjob-1')" in str(timeout)
    assert format_event(event(1, created=0)) == "1970-01-01 00:00:00 info: m1"
