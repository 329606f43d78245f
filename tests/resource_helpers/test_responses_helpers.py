"""client.responses.parse() and .stream(), and create(stream=True) ending without
[DONE], over real HTTP; compared with openai-python's helpers on the same calls."""

from __future__ import annotations

import json
from typing import Any

import openai
import pydantic
import pytest
from answering_server import AnsweringServer, json_answer
from azgate import pydantic_function_tool
from azgate.exceptions import APIError, ConfigurationError, IncompleteStreamError
from azgate.parsing import ParsedResponse, ParsedResponseFunctionToolCall
from azgate.streaming import ResponseCompletedEvent, ResponseTextDeltaEvent
from azgate.testing import Emulator
from helper_support import run_stream, sse
from helpers import collect, resolve
from openai.lib._parsing._responses import type_to_text_format_param
from pydantic import BaseModel


class Step(BaseModel):
    explanation: str
    output: str


class MathResponse(BaseModel):
    steps: list[Step]
    final_answer: str


class Lookup(BaseModel):
    table: str
    limit: int


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.model_dump(exclude={"response"}) if isinstance(value, pydantic.BaseModel) else value


def projection(event: Any) -> tuple[Any, ...]:
    """An event without what differs per request (ids, timestamps)."""
    fields = {k: _plain(v) for k, v in dict(event).items() if k not in ("type", "item_id", "response", "item", "part")}
    return (event.type, sorted(fields.items()))


async def test_parse_gives_output_parsed(ours: Any, emulator: Emulator) -> None:
    response = await resolve(ours.responses.parse(model="gpt-4o", input="solve 8x + 31 = 2", text_format=MathResponse))
    assert isinstance(response, ParsedResponse)
    assert isinstance(response.output_parsed, MathResponse)
    text = response.output[0].content[0]
    assert text.parsed == response.output_parsed == MathResponse.model_validate_json(text.text)
    assert response.output_text == text.text
    sent = json.loads(emulator.stats.requests[-1].body)
    assert sent["text"]["format"] == type_to_text_format_param(MathResponse)


async def test_parse_keeps_other_text_settings(ours: Any, emulator: Emulator) -> None:
    await resolve(
        ours.responses.parse(model="gpt-4o", input="hi", text_format=MathResponse, text={"verbosity_hint": "low"})
    )
    sent = json.loads(emulator.stats.requests[-1].body)
    assert sent["text"]["verbosity_hint"] == "low" and sent["text"]["format"]["name"] == "MathResponse"
    with pytest.raises(ConfigurationError, match="once"):
        await resolve(
            ours.responses.parse(
                model="gpt-4o", input="hi", text_format=MathResponse, text={"format": {"type": "text"}}
            )
        )


async def test_chat_shaped_pydantic_tools_work_on_responses(ours: Any, theirs: Any) -> None:
    response = await resolve(
        ours.responses.parse(model="gpt-4o", input="orders of last year", tools=[pydantic_function_tool(Lookup)])
    )
    call = response.output[0]
    assert isinstance(call, ParsedResponseFunctionToolCall) and call.type == "function_call"
    assert isinstance(call.parsed_arguments, Lookup)
    reference = await resolve(
        theirs.responses.parse(
            model="gpt-4o", input="orders of last year", tools=[openai.pydantic_function_tool(Lookup)]
        )
    )
    assert call.parsed_arguments == reference.output[0].parsed_arguments


async def test_a_strict_responses_tool_gives_a_dict(ours: Any) -> None:
    tool = {"type": "function", "name": "lookup", "strict": True, "parameters": Lookup.model_json_schema()}
    response = await resolve(ours.responses.parse(model="gpt-4o", input="x", tools=[tool]))
    assert response.output[0].parsed_arguments == json.loads(response.output[0].arguments)


@pytest.mark.parametrize("case", ["text_format", "tools", "text"])
async def test_stream_events_are_openai_pythons(ours: Any, theirs: Any, case: str) -> None:
    mine_kwargs: dict[str, Any] = {"model": "gpt-4o", "input": "solve 8x + 31 = 2"}
    their_kwargs = dict(mine_kwargs)
    if case == "text_format":
        mine_kwargs["text_format"] = their_kwargs["text_format"] = MathResponse
    if case == "tools":
        mine_kwargs["tools"] = [pydantic_function_tool(Lookup)]
        their_kwargs["tools"] = [openai.pydantic_function_tool(Lookup)]
    mine, final = await run_stream(ours.responses.stream(**mine_kwargs), "get_final_response")
    reference, their_final = await run_stream(theirs.responses.stream(**their_kwargs), "get_final_response")
    assert [projection(e) for e in mine] == [projection(e) for e in reference]
    assert _plain(final.output_parsed) == _plain(their_final.output_parsed)
    assert final.output_text == their_final.output_text
    if case == "text_format":
        assert isinstance(final.output_parsed, MathResponse)
        deltas = [e for e in mine if isinstance(e, ResponseTextDeltaEvent)]
        assert deltas[-1].snapshot == final.output_text
        done = [e for e in mine if e.type == "response.output_text.done"]
        assert done[0].parsed == final.output_parsed
    if case == "tools":
        assert isinstance(final.output[0].parsed_arguments, Lookup)
        deltas = [e for e in mine if e.type == "response.function_call_arguments.delta"]
        assert deltas[-1].snapshot == final.output[0].arguments
    completed = [e for e in mine if isinstance(e, ResponseCompletedEvent)]
    assert len(completed) == 1 and completed[0].response is final


async def test_output_text_is_computed_on_every_response(ours: Any, served: Any, server: AnsweringServer) -> None:
    response = await resolve(ours.responses.create(model="gpt-4o", input="hello there"))
    assert response.output_text == "You said: hello there"
    tool = {"type": "function", "name": "lookup", "strict": True, "parameters": Lookup.model_json_schema()}
    called = await resolve(ours.responses.create(model="gpt-4o", input="x", tools=[tool]))
    assert called.output_text == ""  # only a function call
    # A server that does send it (a gateway computing it) is believed.
    body = lifecycle("response.completed", "completed", output_text="from the gateway")["response"]
    server.answer = json_answer(body)
    assert (await resolve(served.responses.create(model="gpt-4o", input="x"))).output_text == "from the gateway"


async def test_create_stream_ends_at_response_completed(ours: Any) -> None:
    # The Responses API sends no data: [DONE]; its last event ends the stream.
    stream = await resolve(ours.responses.create(model="gpt-4o", input="hello", stream=True))
    events = await collect(stream)
    assert events[-1].type == "response.completed"
    assert stream.response.is_closed


def lifecycle(kind: str, status: str, **response: Any) -> dict[str, Any]:
    body = {
        "id": "resp_1",
        "object": "response",
        "created_at": 1,
        "status": status,
        "model": "gpt-4o",
        "output": [],
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "metadata": {},
        "tools": [],
        "tool_choice": "auto",
        "parallel_tool_calls": True,
        **response,
    }
    return {"type": kind, "response": body}


async def test_a_stream_cut_before_its_last_event_is_incomplete(served: Any, server: AnsweringServer) -> None:
    server.answer = sse(lifecycle("response.created", "in_progress"), done=False)
    with pytest.raises(IncompleteStreamError):
        await run_stream(served.responses.stream(model="gpt-4o", input="hi"), "get_final_response")


async def test_a_failed_response_is_an_error(served: Any, server: AnsweringServer) -> None:
    error = {"code": "server_error", "message": "The model broke."}
    server.answer = sse(
        lifecycle("response.created", "in_progress"), lifecycle("response.failed", "failed", error=error), done=False
    )
    with pytest.raises(APIError, match="model broke"):
        await run_stream(served.responses.stream(model="gpt-4o", input="hi"), "get_final_response")


async def test_deltas_without_their_added_events_still_add_up(served: Any, server: AnsweringServer) -> None:
    # A thinner stream (a gateway's): no output_item.added, no content_part.added.
    message = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": '{"table": "t", "limit": 3}', "annotations": []}],
    }
    where = {"item_id": "msg_1", "output_index": 0, "content_index": 0}
    server.answer = sse(
        lifecycle("response.created", "in_progress"),
        {"type": "response.output_text.delta", **where, "delta": '{"table": "t", '},
        {"type": "response.output_text.delta", **where, "delta": '"limit": 3}'},
        {"type": "response.output_text.done", **where, "text": '{"table": "t", "limit": 3}'},
        {"type": "response.some_future_event", "detail": 1},
        lifecycle("response.completed", "completed", output=[message]),
        done=False,
    )
    events, final = await run_stream(
        served.responses.stream(model="gpt-4o", input="hi", text_format=Lookup), "get_final_response"
    )
    kinds = [e.type for e in events]
    assert "response.some_future_event" in kinds  # an event azgate has no class for is kept
    assert [e.snapshot for e in events if e.type == "response.output_text.delta"][-1] == '{"table": "t", "limit": 3}'
    assert final.output_parsed == Lookup(table="t", limit=3)
