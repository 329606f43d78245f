"""Fault injection through the Python API and the admin endpoint, and request stats."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from azgate.testing import Emulator
from emulator_support import chat_url, sse_events, url, user

CHAT = {"messages": user("hi")}
STREAM = {"messages": user("one two three"), "stream": True}


def test_rate_limit_is_azures_429_then_recovers(emulator: Emulator, http: httpx.Client) -> None:
    emulator.faults.add("rate_limit", times=2, retry_after_ms=20)
    for _ in range(2):
        r = http.post(chat_url(), json=CHAT)
        assert r.status_code == 429
        assert r.headers["retry-after-ms"] == "20"
        assert r.headers["retry-after"] == "1"
        assert "apim-request-id" in r.headers
        error = r.json()["error"]
        assert error["code"] == "429"
        assert "ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21" in (error["message"])
    assert http.post(chat_url(), json=CHAT).status_code == 200
    assert emulator.stats.count("ChatCompletions_Create") == 3
    assert len(emulator.faults) == 0


def test_rate_limit_retry_after_seconds(emulator: Emulator, http: httpx.Client) -> None:
    emulator.faults.add("rate_limit", retry_after_ms=None, retry_after=3)
    r = http.post(chat_url(), json=CHAT)
    assert r.headers["retry-after"] == "3" and "retry-after-ms" not in r.headers


@pytest.mark.parametrize(("status", "code"), [(500, "InternalServerError"), (503, "ServiceUnavailable")])
def test_server_error(emulator: Emulator, http: httpx.Client, status: int, code: str) -> None:
    emulator.faults.add("server_error", status=status)
    r = http.post(chat_url(), json=CHAT)
    assert r.status_code == status
    assert r.json()["error"]["code"] == code


@pytest.mark.parametrize("status", [400, 401, 403, 404, 408, 409, 422, 502, 504])
def test_status_fault_uses_azures_body(emulator: Emulator, http: httpx.Client, status: int) -> None:
    emulator.faults.add("status", status=status)
    r = http.post(chat_url(), json=CHAT)
    assert r.status_code == status
    error = r.json()["error"]
    assert isinstance(error["code"], str) and error["message"]


def test_status_fault_with_custom_code_and_message(emulator: Emulator, http: httpx.Client) -> None:
    emulator.faults.add("status", status=400, code="content_filter", message="filtered")
    r = http.post(chat_url(), json=CHAT)
    assert r.json() == {"error": {"code": "content_filter", "message": "filtered"}}


def test_slow_first_byte(emulator: Emulator, http: httpx.Client) -> None:
    emulator.faults.add("slow_first_byte", delay=0.3)
    start = time.monotonic()
    assert http.post(chat_url(), json=CHAT).status_code == 200
    assert time.monotonic() - start >= 0.3
    with pytest.raises(httpx.ReadTimeout):
        emulator.faults.add("slow_first_byte", delay=1.0)
        http.post(chat_url(), json=CHAT, timeout=0.2)


def test_cut_stream_ends_cleanly_without_done(emulator: Emulator, http: httpx.Client) -> None:
    emulator.faults.add("cut_stream", after_chunks=3)
    r = http.post(chat_url(), json=STREAM)
    assert r.status_code == 200
    events = sse_events(r.text)
    assert len(events) == 3 and "[DONE]" not in events
    assert events[0]["choices"] == []


def test_cut_stream_abort_drops_the_connection(emulator: Emulator, http: httpx.Client) -> None:
    emulator.faults.add("cut_stream", after_chunks=2, abort=True)
    with pytest.raises(httpx.RemoteProtocolError):
        http.post(chat_url(), json=STREAM)


def test_cut_stream_only_hits_streams(emulator: Emulator, http: httpx.Client) -> None:
    emulator.faults.add("cut_stream")
    assert http.post(chat_url(), json=CHAT).status_code == 200
    assert len(emulator.faults) == 1
    assert "[DONE]" not in http.post(chat_url(), json=STREAM).text


def test_malformed_json(emulator: Emulator, http: httpx.Client) -> None:
    emulator.faults.add("malformed_json")
    r = http.post(chat_url(), json=CHAT)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(r.text)
    emulator.faults.add("malformed_json")
    r = http.post(chat_url(), json=STREAM)
    frames = r.text.split("\n\n")
    with pytest.raises(json.JSONDecodeError):
        json.loads(frames[2][len("data: ") :])
    assert r.text.endswith("data: [DONE]\n\n")


def test_fault_targets_an_operation(emulator: Emulator, http: httpx.Client) -> None:
    emulator.faults.add("status", status=418, operation="embeddings.create")
    assert http.post(chat_url(), json=CHAT).status_code == 200
    r = http.post(url("embeddings", "text-embedding-ada-002"), json={"input": "x"})
    assert r.status_code == 418
    emulator.faults.add("status", status=409, operation="ChatCompletions_Create")
    assert http.post(chat_url(), json=CHAT).status_code == 409


def test_invalid_requests_do_not_consume_faults(emulator: Emulator, http: httpx.Client) -> None:
    emulator.faults.add("rate_limit")
    assert http.post(chat_url("nope"), json=CHAT).status_code == 404
    assert http.post(chat_url(), json=CHAT).status_code == 429


def test_unlimited_fault_until_cleared(emulator: Emulator, http: httpx.Client) -> None:
    emulator.faults.add("server_error", times=None)
    assert [http.post(chat_url(), json=CHAT).status_code for _ in range(3)] == [500] * 3
    emulator.faults.clear()
    assert http.post(chat_url(), json=CHAT).status_code == 200


def test_bad_fault_arguments_are_refused(emulator: Emulator) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        emulator.faults.add("explode")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="retry_after_msec"):
        emulator.faults.add("rate_limit", retry_after_msec=5)
    with pytest.raises(ValueError, match="status"):
        emulator.faults.add("status")
    with pytest.raises(ValueError, match="times"):
        emulator.faults.add("rate_limit", times=0)


# -- admin endpoint --------------------------------------------------------------------


def test_admin_endpoint_adds_lists_and_clears(emulator: Emulator, http: httpx.Client) -> None:
    r = http.post("/_emulator/faults", json={"kind": "rate_limit", "times": 2, "retry_after_ms": 5})
    assert r.status_code == 201
    assert r.json()["fault"]["kind"] == "rate_limit"
    assert len(http.get("/_emulator/faults").json()["faults"]) == 1
    assert http.post(chat_url(), json=CHAT).status_code == 429
    assert http.delete("/_emulator/faults").json() == {"cleared": 1}
    assert http.post(chat_url(), json=CHAT).status_code == 200


def test_admin_endpoint_refuses_bad_faults(http: httpx.Client) -> None:
    r = http.post("/_emulator/faults", json={"kind": "nope"})
    assert r.status_code == 400 and "unknown fault kind" in r.json()["error"]["message"]
    assert http.post("/_emulator/faults", json={"times": 1}).status_code == 400
    assert http.post("/_emulator/faults", content=b"{").status_code == 400


def test_admin_stats_count_requests_per_operation(emulator: Emulator, http: httpx.Client) -> None:
    http.post("/_emulator/faults", json={"kind": "server_error", "times": 2})
    statuses = [http.post(chat_url(), json=CHAT).status_code for _ in range(3)]
    http.post(url("embeddings", "text-embedding-ada-002"), json={"input": "x"})
    assert statuses == [500, 500, 200]
    stats = http.get("/_emulator/stats").json()
    assert stats["operations"] == {"ChatCompletions_Create": 3, "embeddings_create": 1}
    assert stats["total"] == 4
    assert stats["statuses"] == {"500": 2, "200": 2}
    [*_, last] = emulator.stats.requests
    assert last.operation == "embeddings_create" and last.status == 200
    assert json.loads(last.body) == {"input": "x"}
    assert http.delete("/_emulator/stats").json()["total"] == 0


def test_admin_deployments(emulator: Emulator, http: httpx.Client) -> None:
    r = http.post("/_emulator/deployments", json={"name": "my-gpt", "model": "gpt-4o"})
    assert r.json()["deployments"]["my-gpt"] == "gpt-4o"
    assert http.post(chat_url("my-gpt"), json=CHAT).json()["model"] == "gpt-4o"
    assert http.get("/_emulator/health").json() == {"status": "ok"}
