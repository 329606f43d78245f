"""Response profiles over raw HTTP: what each one puts on the wire, and how to pick it."""

from __future__ import annotations

import httpx
from azgate.testing import Emulator
from emulator_support import chat_url, sse_events, user

CHAT = {"messages": user("hi")}


def test_current_is_the_default_and_the_handlers_shapes(http: httpx.Client) -> None:
    body = http.post(chat_url(), json=CHAT).json()
    assert body["choices"][0]["index"] == 0 and "logprobs" in body["choices"][0] and body["system_fingerprint"]


def test_legacy_leaves_out_newer_fields_and_nulls(emulator: Emulator, http: httpx.Client) -> None:
    emulator.profile = "legacy"
    body = http.post(chat_url(), json=CHAT).json()
    choice = body["choices"][0]
    assert "index" not in choice and "logprobs" not in choice and "system_fingerprint" not in body
    assert choice["message"] == {"role": "assistant", "content": "You said: hi"}
    r = http.post(chat_url(), json={**CHAT, "stream": True})
    chunks = [c for c in sse_events(r.text) if c != "[DONE]" and c["choices"]]
    assert chunks and all("index" not in c["choices"][0] and "logprobs" not in c["choices"][0] for c in chunks)
    assert [c["choices"][0].get("finish_reason") for c in chunks][-1] == "stop"


def test_gateway_adds_fields_unknown_values_and_an_sse_comment(emulator: Emulator, http: httpx.Client) -> None:
    emulator.profile = "gateway"
    r = http.post(chat_url(), json=CHAT)
    body = r.json()
    assert r.headers["x-gateway-trace-id"] and body["gateway"]["provider"] == "azure-openai"
    assert body["x_gateway"] == body["choices"][0]["x_gateway"] == body["choices"][0]["message"]["x_gateway"]
    assert body["choices"][0]["finish_reason"] == "end_turn" and body["service_tier"] == "gateway-priority"
    stream = http.post(chat_url(), json={**CHAT, "stream": True}).text
    assert stream.startswith(": gateway keep-alive\n\n") and stream.endswith("data: [DONE]\n\n")


def test_profile_by_admin_api_and_reset(emulator: Emulator) -> None:
    r = httpx.post(emulator.endpoint + "/_emulator/profile", json={"profile": "legacy"})
    assert r.json() == {"profile": "legacy", "profiles": ["current", "legacy", "gateway"]}
    assert emulator.profile == "legacy"
    assert httpx.get(emulator.endpoint + "/_emulator/profile").json()["profile"] == "legacy"
    emulator.reset()
    assert emulator.profile == "current"


def test_profile_by_constructor_is_checked() -> None:
    import pytest

    with pytest.raises(ValueError, match="profile must be one of current, legacy, gateway"):
        Emulator(profile="newest")  # type: ignore[arg-type]
    with Emulator(profile="gateway") as emulator:
        r = httpx.post(emulator.endpoint + chat_url(), json=CHAT, headers={"api-key": emulator.api_key})
        assert r.json()["choices"][0]["finish_reason"] == "end_turn"
        assert "profile='gateway'" in repr(emulator)
