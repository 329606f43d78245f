"""The v1 API (deployment in the body) and Azure's headers on every answer."""

from __future__ import annotations

import uuid

import httpx
import pytest
from azgate.testing import Emulator
from emulator_support import chat_url, user


def test_v1_chat_takes_the_deployment_from_model(http: httpx.Client) -> None:
    r = http.post("/openai/v1/chat/completions", json={"model": "gpt-4", "messages": user("v1")})
    assert r.status_code == 200, r.text
    assert r.json()["model"] == "gpt-4"
    assert r.json()["choices"][0]["message"]["content"] == "You said: v1"


def test_v1_embeddings_and_completions(http: httpx.Client) -> None:
    r = http.post("/openai/v1/embeddings", json={"model": "text-embedding-ada-002", "input": "a"})
    assert r.status_code == 200 and len(r.json()["data"][0]["embedding"]) == 1536
    r = http.post("/openai/v1/completions", json={"model": "gpt-35-turbo", "prompt": "p"})
    assert r.status_code == 200 and r.json()["choices"][0]["text"] == "You said: p"


def test_v1_accepts_fields_of_the_newest_version(http: httpx.Client) -> None:
    body = {"model": "gpt-4", "messages": user("x"), "stream_options": {"include_usage": True}}
    assert http.post("/openai/v1/chat/completions", json=body).status_code == 200


def test_v1_needs_a_known_model(http: httpx.Client) -> None:
    r = http.post("/openai/v1/chat/completions", json={"messages": user("x")})
    assert r.status_code == 400 and r.json()["error"]["param"] == "model"
    r = http.post("/openai/v1/chat/completions", json={"model": "nope", "messages": user("x")})
    assert r.status_code == 404 and r.json()["error"]["code"] == "DeploymentNotFound"


def test_v1_still_needs_auth(emulator: Emulator) -> None:
    r = httpx.post(emulator.endpoint + "/openai/v1/chat/completions", json={"model": "gpt-4"})
    assert r.status_code == 401


@pytest.mark.parametrize("ok", [True, False])
def test_azure_headers_on_successes_and_errors(http: httpx.Client, ok: bool) -> None:
    r = http.post(chat_url() if ok else chat_url("nope"), json={"messages": user("h")})
    assert r.status_code == (200 if ok else 404)
    uuid.UUID(r.headers["apim-request-id"])
    assert r.headers["x-request-id"]
    assert int(r.headers["x-ratelimit-limit-requests"]) > 0
    assert int(r.headers["x-ratelimit-limit-tokens"]) > 0
    assert int(r.headers["x-ratelimit-remaining-requests"]) < int(r.headers["x-ratelimit-limit-requests"])
    assert int(r.headers["x-ratelimit-remaining-tokens"]) <= int(r.headers["x-ratelimit-limit-tokens"])


def test_request_ids_are_unique_and_remaining_requests_fall(http: httpx.Client) -> None:
    a = http.post(chat_url(), json={"messages": user("h")})
    b = http.post(chat_url(), json={"messages": user("h")})
    assert a.headers["apim-request-id"] != b.headers["apim-request-id"]
    assert int(b.headers["x-ratelimit-remaining-requests"]) < int(a.headers["x-ratelimit-remaining-requests"])
