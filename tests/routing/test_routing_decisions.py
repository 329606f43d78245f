"""The pure decisions: conditions, cooldown thresholds, headroom, retry waits."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from azgate._routing._conditions import CallFacts, compile_query
from azgate._routing._failures import Failure, RetryPolicy, classify
from azgate._routing._health import ALLOWED_FAILS, COOLDOWN_SECONDS, HealthBook
from azgate.exceptions import APIConnectionError, APITimeoutError, make_status_error

REQUEST = httpx.Request("POST", "https://eastus.openai.azure.com/openai/deployments/d/chat/completions")


def status_error(status: int, headers: dict[str, str] | None = None, code: str | None = None) -> Any:
    body = {"error": {"code": code or str(status), "message": "m"}}
    return make_status_error(httpx.Response(status, headers=headers, json=body, request=REQUEST), body)


def facts(metadata: dict[str, Any] | None = None, **params: Any) -> CallFacts:
    return CallFacts(metadata or {}, params, "/chat/completions")


@pytest.mark.parametrize(
    ("query", "yes", "no"),
    [
        ({"metadata.plan": {"$eq": "paid"}}, facts({"plan": "paid"}), facts({"plan": "free"})),
        ({"metadata.plan": "paid"}, facts({"plan": "paid"}), facts()),
        ({"metadata.plan": {"$ne": "paid"}}, facts(), facts({"plan": "paid"})),
        ({"params.model": {"$in": ["a", "b"]}}, facts(model="b"), facts(model="c")),
        ({"params.model": {"$nin": ["a", "b"]}}, facts(), facts(model="a")),
        ({"params.temperature": {"$gt": 0.7}}, facts(temperature=0.9), facts(temperature=0.7)),
        ({"params.temperature": {"$gte": 0.7}}, facts(temperature=0.7), facts(temperature=0.6)),
        ({"params.max_tokens": {"$lt": "100"}}, facts(max_tokens=99), facts(max_tokens="lots")),
        ({"params.max_tokens": {"$lte": 100, "$gt": 10}}, facts(max_tokens=100), facts(max_tokens=5)),
        (
            {"$or": [{"metadata.plan": "paid"}, {"params.temperature": {"$gt": 1}}]},
            facts(temperature=1.5),
            facts({"plan": "free"}, temperature=0.2),
        ),
        (
            {"$and": [{"metadata.region": "eu"}, {"params.response_format.type": "json_object"}]},
            facts({"region": "eu"}, response_format={"type": "json_object"}),
            facts({"region": "eu"}, response_format={"type": "text"}),
        ),
        ({"url.pathname": {"$eq": "/chat/completions"}}, facts(), CallFacts({}, {}, "/embeddings")),
    ],
)
def test_conditions(query: dict[str, Any], yes: CallFacts, no: CallFacts) -> None:
    test = compile_query(query, "q")
    assert test(yes) and not test(no)


def fault(status: int, retry_after: float | None = None) -> Failure:
    headers = {"retry-after-ms": str(int(retry_after * 1000))} if retry_after is not None else {}
    return classify(status_error(status, headers))


def test_allowed_fails_then_cooldown() -> None:
    book = HealthBook()
    now = 1_000_000.0
    for _ in range(ALLOWED_FAILS):
        assert book.record_failure("east", fault(503), now, last_healthy=False) is None
    assert book.record_failure("east", fault(503), now, last_healthy=False) == COOLDOWN_SECONDS
    assert not book.healthy("east", now + COOLDOWN_SECONDS - 0.1) and book.healthy("east", now + COOLDOWN_SECONDS)


def test_failure_rate_cooldown() -> None:
    book = HealthBook()
    now = 1_000_020.0
    book.record_success("east", now)
    book.record_success("east", now)
    assert book.record_failure("east", fault(500), now, last_healthy=False) is None
    assert book.record_failure("east", fault(500), now, last_healthy=False) is None
    # 3 of 5 calls failed within the minute: more than half.
    assert book.record_failure("east", fault(500), now, last_healthy=False) == COOLDOWN_SECONDS


def test_rate_limit_cools_for_its_retry_after_but_never_the_last_healthy() -> None:
    book = HealthBook()
    assert book.record_failure("east", fault(429, 7.5), 0.0, last_healthy=False) == 7.5
    assert book.record_failure("west", fault(429, 7.5), 0.0, last_healthy=True) is None
    assert book.healthy("west", 1.0)


def test_caller_mistakes_never_cool_down() -> None:
    book = HealthBook()
    for _ in range(10):
        assert book.record_failure("east", classify(status_error(400)), 0.0, last_healthy=False) is None
    assert book.healthy("east", 0.0)


@pytest.mark.parametrize(
    ("error", "status", "target_fault"),
    [
        (status_error(429), 429, True),
        (status_error(503), 503, True),
        (status_error(401), 401, True),
        (status_error(404, code="DeploymentNotFound"), 404, True),
        (status_error(404), 404, False),
        (status_error(400, code="content_filter"), 400, False),
        (status_error(422), 422, False),
        (APITimeoutError(REQUEST), 408, True),
        (APIConnectionError(REQUEST), 503, True),
    ],
)
def test_classify(error: Any, status: int, target_fault: bool) -> None:
    failure = classify(error)
    assert (failure.status, failure.target_fault) == (status, target_fault)


def test_headroom_from_azure_headers() -> None:
    book = HealthBook()
    book.observe(
        "east",
        {
            "x-ratelimit-limit-requests": "100",
            "x-ratelimit-remaining-requests": "80",
            "x-ratelimit-limit-tokens": "1000",
            "x-ratelimit-remaining-tokens": "100",
        },
        0.0,
    )
    assert book.headroom("east", 1.0) == pytest.approx(0.1)
    assert book.headroom("east", 61.0) == 1.0  # a minute later the quota window has moved on
    assert book.headroom("west", 1.0) == 1.0


def test_retry_waits() -> None:
    policy = RetryPolicy(2)
    assert policy.delay(0, fault(429, 0.25)) == 0.25
    assert policy.delay(0, fault(429, 120)) is None  # above the cap: give the target up
    assert policy.delay(2, fault(503)) is None
    assert policy.delay(0, fault(400)) is None
    backoff = policy.delay(1, fault(503))
    assert backoff is not None and 0.75 <= backoff <= 1.0
    ignoring = RetryPolicy(1, frozenset({429}), use_retry_after_header=False)
    wait = ignoring.delay(0, fault(429, 30))
    assert wait is not None and wait < 1


def test_every_retry_after_header_azure_sends() -> None:
    assert classify(status_error(429, {"x-ms-retry-after-ms": "1500"})).retry_after == 1.5
    assert classify(status_error(429, {"retry-after": "3"})).retry_after == 3.0
    dated = classify(status_error(429, {"retry-after": "Wed, 21 Oct 2099 07:28:00 GMT"})).retry_after
    assert dated is not None and dated > 60  # an HTTP date far ahead: above the cap, so no retry
    assert (
        RetryPolicy(3).delay(0, classify(status_error(429, {"retry-after": "Wed, 21 Oct 2099 07:28:00 GMT"}))) is None
    )
