"""`event_hooks=`: the user's functions see every attempt's request and response, over real
HTTP, sync and async, and never a secret (the emulator sees the real values)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from azgate import AsyncClient, Client
from azgate.testing import Emulator
from helpers import collect, make_client, resolve
from telemetry_support import MESSAGES, OPENAI_KEY, Recorder, azure_target, openai_target

GATEWAY_SECRET = "gw-secret-0451"
QUERY_SECRET = "sub-secret-7734"


class Seen:
    """What the hooks were given, kept whole, and everything they could print."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.responses: list[httpx.Response] = []

    def on_request(self, request: httpx.Request) -> None:
        self.requests.append(request)

    def on_response(self, response: httpx.Response) -> None:
        self.responses.append(response)

    async def aon_response(self, response: httpx.Response) -> None:
        self.responses.append(response)

    def hooks(self, flavour: str) -> dict[str, list[Any]]:
        response_hook = self.on_response if flavour == "sync" else self.aon_response
        return {"request": [self.on_request], "response": [response_hook]}

    def everything(self) -> str:
        """Every header, URL and body a hook could log, as text."""
        texts = []
        for request in [*self.requests, *(r.request for r in self.responses)]:
            texts += [str(request.url), repr(request.headers.multi_items()), request.content.decode("latin-1")]
        for response in self.responses:
            texts.append(repr(response.headers.multi_items()))
            if hasattr(response, "_content"):
                texts.append(response.content.decode("latin-1"))
        return "\n".join(texts)


async def test_hooks_see_each_attempt_and_no_secret(flavour: str, emulator: Emulator) -> None:
    emulator.faults.add("rate_limit", times=1, retry_after_ms=10)
    seen = Seen()
    client = make_client(
        flavour,
        emulator,
        default_headers={"X-Gateway-Token": GATEWAY_SECRET},
        default_query={"subscription-key": QUERY_SECRET},
        secret_headers=["x-gateway-token"],
        event_hooks=seen.hooks(flavour),
    )
    reply = await resolve(client.chat.completions.create(model="gpt-4o", messages=MESSAGES))
    await resolve(client.close())

    assert [r.status_code for r in seen.responses] == [429, 200]
    assert len(seen.requests) == 2
    request = seen.requests[0]
    assert request.method == "POST"
    assert request.url.path == "/openai/deployments/gpt-4o/chat/completions"
    assert request.url.params["api-version"] == "2024-10-21"
    assert request.headers["api-key"] == "[secure]"
    assert request.headers["x-gateway-token"] == "[secure]"
    assert request.url.params["subscription-key"] == "[secure]"
    assert json.loads(request.content)["messages"] == MESSAGES  # the body, for the hook to log
    ok = seen.responses[1]
    assert json.loads(ok.content)["id"] == reply.id
    assert ok.request.headers["api-key"] == "[secure]"
    assert ok.headers["content-type"].startswith("application/json")

    everything = seen.everything()
    for secret in (emulator.api_key, GATEWAY_SECRET, QUERY_SECRET):
        assert secret not in everything
    # ... while the service got the real ones.
    sent = emulator.stats.requests[-1]
    assert sent.headers["x-gateway-token"] == GATEWAY_SECRET and QUERY_SECRET in sent.query


async def test_a_streamed_response_is_not_the_hooks_to_read(flavour: str, emulator: Emulator) -> None:
    seen = Seen()
    client = make_client(flavour, emulator, event_hooks=seen.hooks(flavour))
    stream = await resolve(client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True))
    (response,) = seen.responses
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    with pytest.raises(httpx.ResponseNotRead):
        _ = response.content  # as in an httpx hook on a streaming request
    assert len(await collect(stream)) > 1  # the caller still reads every event
    await resolve(client.close())


async def test_bearer_tokens_and_routed_targets_are_masked_too(flavour: str, sites: dict[str, Emulator]) -> None:
    east, openai = sites["east"], sites["openai"]
    east.faults.add("server_error", times=None, status=503)
    seen = Seen()
    recorder = Recorder()
    config = {"strategy": {"mode": "fallback"}, "targets": [azure_target(east), openai_target(openai)]}
    cls = Client if flavour == "sync" else AsyncClient
    client = cls(config=config, event_hooks=seen.hooks(flavour), telemetry=recorder.telemetry)
    reply = await resolve(client.chat.completions.create(model="gpt-4o", messages=MESSAGES))
    await resolve(client.close())

    assert reply._route.provider == "openai"
    assert [r.url.port for r in seen.requests] == [east.port, openai.port]
    assert seen.requests[0].headers["api-key"] == "[secure]"
    assert seen.requests[1].headers["authorization"] == "[secure]"
    assert [r.status_code for r in seen.responses] == [503, 200]
    everything = seen.everything()
    assert east.api_key not in everything and OPENAI_KEY not in everything
    assert len(recorder.named("POST")) == 2  # hooks and spans side by side
    recorder.shutdown()


async def test_a_hook_that_raises_stops_the_call_with_its_error(flavour: str, emulator: Emulator) -> None:
    class Refused(Exception):
        pass

    def refuse(response: httpx.Response) -> None:
        if response.status_code == 200:
            raise Refused("policy")

    client = make_client(flavour, emulator, event_hooks={"response": [refuse]})
    with pytest.raises(Refused):
        await resolve(client.chat.completions.create(model="gpt-4o", messages=MESSAGES))
    assert emulator.stats.count("ChatCompletions_Create") == 1  # raised after the answer: not retried
    quiet = client.with_options(event_hooks=None)  # shares the pool, which still serves
    assert (await resolve(quiet.chat.completions.create(model="gpt-4o", messages=MESSAGES))).id
    assert "_attempt" not in vars(quiet)
    await resolve(client.close())


def test_async_hooks_are_refused_by_a_sync_client(emulator: Emulator) -> None:
    from azgate.exceptions import ConfigurationError

    async def hook(request: httpx.Request) -> None:
        pass

    with pytest.raises(ConfigurationError, match="async function"):
        make_client("sync", emulator, event_hooks={"request": [hook]})
