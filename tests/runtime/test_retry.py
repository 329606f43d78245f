"""Retry decisions, as pure functions."""

from __future__ import annotations

import email.utils
import time

import pytest
from azgate._core._retry import (
    MAX_RETRY_AFTER_SECONDS,
    is_retryable_status,
    next_delay,
    retry_delay,
    server_retry_after,
)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses(status: int) -> None:
    assert is_retryable_status(status, {})


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_client_errors_are_final(status: int) -> None:
    assert not is_retryable_status(status, {})


def test_x_should_retry_overrides() -> None:
    assert is_retryable_status(400, {"x-should-retry": "true"})
    assert not is_retryable_status(503, {"x-should-retry": "false"})


def test_retry_after_ms_wins_over_retry_after() -> None:
    assert server_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25


def test_retry_after_seconds_and_http_date() -> None:
    assert server_retry_after({"retry-after": "3"}) == 3.0
    date = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (server_retry_after({"retry-after": date}) or 0) <= 31
    assert server_retry_after({"retry-after": "soon"}) is None


def test_server_wait_above_the_cap_means_no_retry() -> None:
    assert retry_delay(0, {"retry-after": str(MAX_RETRY_AFTER_SECONDS + 1)}) is None


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    delays = [retry_delay(n, {}) or 0 for n in range(8)]
    assert 0.375 <= delays[0] <= 0.5 and 0.75 <= delays[1] <= 1.0
    assert all(d <= 8.0 for d in delays)


def test_next_delay_respects_max_retries_and_status() -> None:
    assert next_delay(2, 2, 503, {}) is None
    assert next_delay(0, 2, 400, {}) is None
    assert next_delay(0, 2, None, None) is not None
    assert next_delay(0, 2, 429, {"retry-after-ms": "10"}) == 0.01
