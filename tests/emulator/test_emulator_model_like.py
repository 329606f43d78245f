"""The emulator answers like a model (issue #13): JSON of the requested schema, tool
arguments that fit the tool, Responses streams in the documented order, function calls.
openai-python's own helpers (`parse`, `stream`) must accept every answer."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, Literal

import openai
import pytest
from azgate._core._operation import OperationSpec
from azgate.testing import Emulator
from jsonschema import Draft202012Validator
from pydantic import BaseModel, Field

API_VERSION = "2025-04-01-preview"
MESSAGES = [{"role": "user", "content": "plan a party"}]


class Guest(BaseModel):
    name: str
    plus_ones: int = Field(ge=0, le=3)


class Party(BaseModel):
    theme: str
    venue: Literal["garden", "hall", "beach"]
    guests: list[Guest]
    budget: float | None


WEATHER = {
    "type": "object",
    "properties": {
        "city": {"type": "string"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        "days": {"type": "integer", "minimum": 1, "maximum": 7},
    },
    "required": ["city", "unit", "days"],
    "additionalProperties": False,
}
CHAT_TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": WEATHER}}]
RESPONSE_TOOLS = [{"type": "function", "name": "get_weather", "parameters": WEATHER, "strict": True}]


@pytest.fixture
def responses_served(azure_openai_emulator_operations: Mapping[str, OperationSpec] | None) -> None:
    if azure_openai_emulator_operations is not None and "Responses_Create" not in azure_openai_emulator_operations:
        pytest.skip("the operation table under test has no Responses API")


@pytest.fixture
def sync_client(emulator: Emulator) -> Iterator[openai.AzureOpenAI]:
    with openai.AzureOpenAI(
        azure_endpoint=emulator.endpoint, api_key=emulator.api_key, api_version=API_VERSION, max_retries=0
    ) as client:
        yield client


@pytest.fixture
async def async_client(emulator: Emulator) -> AsyncIterator[openai.AsyncAzureOpenAI]:
    async with openai.AsyncAzureOpenAI(
        azure_endpoint=emulator.endpoint, api_key=emulator.api_key, api_version=API_VERSION, max_retries=0
    ) as client:
        yield client


def _schema_format(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema, "strict": True}}


@pytest.mark.parametrize(
    "schema",
    [
        Party.model_json_schema(),
        WEATHER,
        {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}, "minItems": 3}}},
        {"anyOf": [{"type": "object", "properties": {"ok": {"const": True}}, "required": ["ok"]}, {"type": "null"}]},
    ],
    ids=["pydantic-defs", "enum-and-range", "min-items", "any-of"],
)
def test_json_schema_content_conforms_and_is_deterministic(
    sync_client: openai.AzureOpenAI, schema: dict[str, Any]
) -> None:
    replies = [
        sync_client.chat.completions.create(model="gpt-4o", messages=MESSAGES, response_format=_schema_format(schema))
        .choices[0]
        .message.content
        for _ in range(2)
    ]
    assert replies[0] == replies[1]
    assert replies[0] is not None
    errors = list(Draft202012Validator(schema).iter_errors(json.loads(replies[0])))
    assert errors == [], errors[0].message


def test_json_object_content_is_json(sync_client: openai.AzureOpenAI) -> None:
    reply = sync_client.chat.completions.create(
        model="gpt-4o", messages=MESSAGES, response_format={"type": "json_object"}
    )
    assert json.loads(reply.choices[0].message.content or "") == {"reply": "You said: plan a party"}


def test_parse_with_a_pydantic_model(sync_client: openai.AzureOpenAI) -> None:
    completion = sync_client.chat.completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Party)
    parsed = completion.choices[0].message.parsed
    assert isinstance(parsed, Party) and parsed.venue in ("garden", "hall", "beach")
    assert all(0 <= g.plus_ones <= 3 for g in parsed.guests)


async def test_parse_with_a_pydantic_model_async(async_client: openai.AsyncAzureOpenAI) -> None:
    completion = await async_client.chat.completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Party)
    assert isinstance(completion.choices[0].message.parsed, Party)


def test_tool_arguments_fit_the_tools_parameters(sync_client: openai.AzureOpenAI) -> None:
    reply = sync_client.chat.completions.create(model="gpt-4o", messages=MESSAGES, tools=CHAT_TOOLS)
    [call] = reply.choices[0].message.tool_calls or []
    arguments = json.loads(call.function.arguments)
    assert list(Draft202012Validator(WEATHER).iter_errors(arguments)) == []
    assert arguments["city"] == "plan a party"  # the user's words go where a model puts them


def test_tool_without_properties_gets_the_query(sync_client: openai.AzureOpenAI) -> None:
    tools = [{"type": "function", "function": {"name": "search", "parameters": {"type": "object"}}}]
    reply = sync_client.chat.completions.create(model="gpt-4o", messages=MESSAGES, tools=tools)
    assert json.loads(reply.choices[0].message.tool_calls[0].function.arguments) == {"query": "plan a party"}  # type: ignore[index]


def test_chat_stream_helper_parses_content_and_strict_tools(sync_client: openai.AzureOpenAI) -> None:
    with sync_client.chat.completions.stream(model="gpt-4o", messages=MESSAGES, response_format=Party) as stream:
        kinds = {event.type for event in stream}
        final = stream.get_final_completion()
    assert {"content.delta", "content.done"} <= kinds
    assert isinstance(final.choices[0].message.parsed, Party)
    tool = openai.pydantic_function_tool(Guest)
    with sync_client.chat.completions.stream(model="gpt-4o", messages=MESSAGES, tools=[tool]) as stream:
        kinds = {event.type for event in stream}
        final = stream.get_final_completion()
    assert "tool_calls.function.arguments.delta" in kinds
    assert isinstance(final.choices[0].message.tool_calls[0].function.parsed_arguments, Guest)  # type: ignore[index]


DOCUMENTED_TEXT_ORDER = [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
]


def _collapsed(kinds: list[str]) -> list[str]:
    return [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]


@pytest.mark.usefixtures("responses_served")
def test_responses_stream_events_in_the_documented_order(sync_client: openai.AzureOpenAI) -> None:
    events = list(sync_client.responses.create(model="gpt-4o", input="hello there", stream=True))
    assert _collapsed([e.type for e in events]) == DOCUMENTED_TEXT_ORDER
    assert [e.sequence_number for e in events] == list(range(len(events)))
    deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert deltas == "You said: hello there" == events[-1].response.output_text


@pytest.mark.usefixtures("responses_served")
async def test_responses_stream_helper_with_function_calls_async(async_client: openai.AsyncAzureOpenAI) -> None:
    async with async_client.responses.stream(model="gpt-4o", input="weather in Oslo", tools=RESPONSE_TOOLS) as stream:
        kinds = _collapsed([event.type async for event in stream])
        final = await stream.get_final_response()
    assert kinds == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.completed",
    ]
    [call] = final.output
    assert call.type == "function_call" and call.name == "get_weather"
    assert list(Draft202012Validator(WEATHER).iter_errors(json.loads(call.arguments))) == []


@pytest.mark.usefixtures("responses_served")
def test_responses_function_call_round_trip(sync_client: openai.AzureOpenAI) -> None:
    first = sync_client.responses.create(model="gpt-4o", input="weather in Oslo", tools=RESPONSE_TOOLS)
    call = first.output[0]
    assert call.type == "function_call"
    second = sync_client.responses.create(
        model="gpt-4o",
        input=[
            {"role": "user", "content": "weather in Oslo"},
            {"type": "function_call", "call_id": call.call_id, "name": call.name, "arguments": call.arguments},
            {"type": "function_call_output", "call_id": call.call_id, "output": "sunny"},
        ],
        tools=RESPONSE_TOOLS,
    )
    assert second.output_text == "The get_weather tool returned: sunny"


@pytest.mark.usefixtures("responses_served")
def test_responses_parse_with_a_pydantic_model(sync_client: openai.AzureOpenAI) -> None:
    parsed = sync_client.responses.parse(model="gpt-4o", input="plan a party", text_format=Party).output_parsed
    assert isinstance(parsed, Party)
