"""`responses.create(..., stream=True)` yields the event classes themselves (never the
union's RootModel), chosen by each event's `type`, so openai-python's loop works as
written; over real HTTP to the emulator, and to a server of the tests' own for events
the emulator never sends."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest
from answering_server import AnsweringServer
from azgate import AsyncClient, Client
from azgate.exceptions import APIResponseValidationError
from azgate.generated import models
from helper_support import API_VERSION, sse
from helpers import collect, resolve


async def test_the_events_are_their_own_classes(ours: Any) -> None:
    stream = await resolve(ours.responses.create(model="gpt-4o", input="hello there", stream=True))
    events = await collect(stream)
    assert not any(isinstance(event, pydantic.RootModel) for event in events)
    assert isinstance(events[0], models.ResponseCreatedEvent) and events[0].type == "response.created"
    deltas = [event for event in events if isinstance(event, models.ResponseTextDeltaEvent)]
    assert [event.type for event in deltas] == ["response.output_text.delta"] * len(deltas) and deltas
    completed = events[-1]
    assert isinstance(completed, models.ResponseCompletedEvent) and isinstance(completed.response, models.Response)
    assert "".join(event.delta for event in deltas) == completed.response.output_text == "You said: hello there"


def test_openai_python_loop_sync(emulator: Any) -> None:
    client = Client(api_key=emulator.api_key, azure_endpoint=emulator.endpoint, api_version=API_VERSION)
    printed = []
    stream = client.responses.create(model="gpt-4o", input="hello there", stream=True)
    for event in stream:
        if event.type == "response.output_text.delta":
            printed.append(event.delta)
    assert "".join(printed) == "You said: hello there"
    client.close()


async def test_openai_python_loop_async(emulator: Any) -> None:
    client = AsyncClient(api_key=emulator.api_key, azure_endpoint=emulator.endpoint, api_version=API_VERSION)
    printed = []
    stream = await client.responses.create(model="gpt-4o", input="hello there", stream=True)
    async for event in stream:
        if event.type == "response.output_text.delta":
            printed.append(event.delta)
    assert "".join(printed) == "You said: hello there"
    await client.close()


DELTA = {"type": "response.output_text.delta", "item_id": "msg_1", "output_index": 0, "content_index": 0}
DONE = {"type": "response.completed", "response": {"id": "resp_1", "object": "response", "status": "completed"}}


async def test_unknown_and_deviating_events_are_read_leniently(served: Any, server: AnsweringServer) -> None:
    server.answer = sse(
        {**DELTA, "delta": "Hi", "obfuscation": "x1"},  # a field the documents do not have yet
        {**DELTA, "delta": 7},  # a value that does not fit: kept as it came, in its class
        {"type": "response.reasoning_summary.delta", "delta": "thinking"},  # a tag newer than the SDK
        DONE,
        done=False,
    )
    events = await collect(await resolve(served.responses.create(model="gpt-4o", input="x", stream=True)))
    first, deviating, unknown, completed = events
    assert type(first) is models.ResponseTextDeltaEvent and first.delta == "Hi" and first.obfuscation == "x1"
    assert type(deviating) is models.ResponseTextDeltaEvent and deviating.delta == 7
    assert not isinstance(unknown, pydantic.RootModel) and unknown.type == "response.reasoning_summary.delta"
    assert unknown.delta == "thinking"
    assert isinstance(completed, models.ResponseCompletedEvent)


@pytest.mark.parametrize(
    "event",
    [{"type": "response.reasoning_summary.delta", "delta": "x"}, {**DELTA, "delta": 7}],
    ids=["unknown-tag", "deviating"],
)
async def test_strict_validation_refuses_what_does_not_conform(
    flavour: str, server: AnsweringServer, event: dict[str, Any]
) -> None:
    settings = {"api_key": "k", "azure_endpoint": server.url, "api_version": API_VERSION, "max_retries": 0}
    client: Any = (Client if flavour == "sync" else AsyncClient)(strict_response_validation=True, **settings)
    server.answer = sse(event, DONE, done=False)
    with pytest.raises(APIResponseValidationError):
        await collect(await resolve(client.responses.create(model="gpt-4o", input="x", stream=True)))
    await resolve(client.close())
