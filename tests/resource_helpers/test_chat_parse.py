"""client.chat.completions.parse(): structured outputs and strict tools read back, over
real HTTP, checked against openai-python's own helpers on the same calls."""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from typing import Any, Literal

import openai
import openai.lib._parsing._completions as openai_parsing
import pytest
from answering_server import AnsweringServer, json_answer
from azgate import ContentFilterFinishReasonError, LengthFinishReasonError, pydantic_function_tool
from azgate.exceptions import AzgateError, ConfigurationError
from azgate.parsing import ParsedChatCompletion, ParsedFunctionToolCall, to_strict_json_schema
from azgate.testing import Emulator
from helper_support import completion
from helpers import resolve
from openai.lib._pydantic import to_strict_json_schema as openai_strict_schema
from pydantic import BaseModel, Field

MESSAGES = [{"role": "user", "content": "plan a party"}]


class Venue(str, Enum):
    garden = "garden"
    hall = "hall"


class Guest(BaseModel):
    """Someone invited."""

    name: str = Field(description="first name")
    plus_ones: int = Field(default=0, ge=0, le=3)


class Party(BaseModel):
    theme: str
    venue: Venue
    guests: list[Guest]
    host: Guest = Field(description="who invites")  # a $ref with a sibling: inlined in strict mode
    budget: float | None = None
    mood: Literal["calm", "wild"] | None = None


@dataclasses.dataclass
class Point:
    x: int
    y: int


class GetWeather(BaseModel):
    city: str
    unit: Literal["celsius", "fahrenheit"]


@pytest.mark.parametrize("model", [Party, Guest, GetWeather])
def test_the_strict_schema_is_openai_pythons(model: type[BaseModel]) -> None:
    assert to_strict_json_schema(model) == openai_strict_schema(model)


def test_pydantic_function_tool_is_openai_pythons() -> None:
    for kwargs in ({}, {"name": "get_weather", "description": "Today's weather."}):
        ours = pydantic_function_tool(GetWeather, **kwargs)
        theirs = openai.pydantic_function_tool(GetWeather, **kwargs)
        assert json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True)
    assert pydantic_function_tool(Guest)["function"]["description"] == "Someone invited."


async def test_response_format_class_gives_a_parsed_instance(ours: Any, emulator: Emulator) -> None:
    result = await resolve(ours.chat.completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Party))
    assert isinstance(result, ParsedChatCompletion)
    message = result.choices[0].message
    assert isinstance(message.parsed, Party)
    assert message.parsed == Party.model_validate_json(message.content)
    assert message.refusal is None
    assert result._request_id  # what create() returned, kept
    # What went over the wire is openai-python's strict json_schema format for the class.
    sent = json.loads(emulator.stats.requests[-1].body)
    assert sent["response_format"] == openai_parsing.type_to_response_format_param(Party)


async def test_a_dataclass_works_as_a_response_format(ours: Any) -> None:
    result = await resolve(ours.chat.completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Point))
    assert isinstance(result.choices[0].message.parsed, Point)


async def test_without_a_class_nothing_is_parsed(ours: Any) -> None:
    schema_format = openai_parsing.type_to_response_format_param(Guest)
    result = await resolve(
        ours.chat.completions.parse(model="gpt-4o", messages=MESSAGES, response_format=schema_format)
    )
    message = result.choices[0].message
    assert message.parsed is None
    assert Guest.model_validate_json(message.content)  # the JSON is there, as create() gives it


async def test_strict_tools_come_back_with_parsed_arguments(ours: Any) -> None:
    strict_dict_tool = {
        "type": "function",
        "function": {"name": "lookup", "strict": True, "parameters": to_strict_json_schema(Guest)},
    }
    tools = [pydantic_function_tool(GetWeather, name="get_weather"), strict_dict_tool]
    result = await resolve(
        ours.chat.completions.parse(model="gpt-4o", messages=MESSAGES, tools=tools, parallel_tool_calls=True)
    )
    calls = result.choices[0].message.tool_calls
    assert [c.function.name for c in calls] == ["get_weather", "lookup"]
    assert all(isinstance(c, ParsedFunctionToolCall) for c in calls)
    weather, lookup = (c.function.parsed_arguments for c in calls)
    assert isinstance(weather, GetWeather) and weather.unit in ("celsius", "fahrenheit")
    assert lookup == json.loads(calls[1].function.arguments) and isinstance(lookup, dict)


async def test_the_same_call_through_openai_python_gives_the_same_answer(ours: Any, theirs: Any) -> None:
    tools = [pydantic_function_tool(GetWeather)]
    kwargs: dict[str, Any] = {"model": "gpt-4o", "messages": MESSAGES}
    mine = await resolve(ours.chat.completions.parse(**kwargs, response_format=Party))
    reference = await resolve(theirs.chat.completions.parse(**kwargs, response_format=Party))
    assert mine.choices[0].message.parsed == reference.choices[0].message.parsed
    mine = await resolve(ours.chat.completions.parse(**kwargs, tools=tools))
    reference = await resolve(
        theirs.chat.completions.parse(**kwargs, tools=[openai.pydantic_function_tool(GetWeather)])
    )
    assert (
        mine.choices[0].message.tool_calls[0].function.parsed_arguments
        == reference.choices[0].message.tool_calls[0].function.parsed_arguments
    )


@pytest.mark.parametrize(
    "tool",
    [
        {"type": "function", "function": {"name": "loose", "parameters": {"type": "object"}}},
        {"type": "code_interpreter"},
    ],
    ids=["not-strict", "not-a-function"],
)
async def test_tools_it_cannot_read_back_are_refused_before_sending(ours: Any, emulator: Emulator, tool: Any) -> None:
    before = emulator.stats.count()
    with pytest.raises(ConfigurationError, match="tools"):
        await resolve(ours.chat.completions.parse(model="gpt-4o", messages=MESSAGES, tools=[tool]))
    assert emulator.stats.count() == before


async def test_stream_is_not_a_parse_keyword(ours: Any) -> None:
    with pytest.raises(ConfigurationError, match="stream"):
        await resolve(
            ours.chat.completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Party, stream=True)
        )


async def test_a_misspelt_keyword_is_refused(ours: Any) -> None:
    with pytest.raises(TypeError, match="temprature"):
        await resolve(ours.chat.completions.parse(model="gpt-4o", messages=MESSAGES, temprature=0.2))


async def test_an_answer_cut_at_the_token_limit_cannot_be_parsed(ours: Any) -> None:
    with pytest.raises(LengthFinishReasonError) as caught:
        await resolve(ours.chat.completions.parse(model="gpt-4o", messages=MESSAGES, max_tokens=2))
    assert caught.value.completion.choices[0].finish_reason == "length"
    assert "max_tokens" in str(caught.value)
    assert isinstance(caught.value, AzgateError)


async def test_the_content_filter_stopping_the_answer(served: Any, server: AnsweringServer) -> None:
    server.answer = json_answer(completion({"content": "Sure, here is"}, finish="content_filter"))
    with pytest.raises(ContentFilterFinishReasonError) as caught:
        await resolve(served.chat.completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Party))
    assert caught.value.completion.choices[0].finish_reason == "content_filter"


async def test_a_refusal_is_not_parsed(served: Any, server: AnsweringServer) -> None:
    server.answer = json_answer(completion({"content": None, "refusal": "I can't help with that."}))
    result = await resolve(served.chat.completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Party))
    message = result.choices[0].message
    assert message.parsed is None and message.refusal == "I can't help with that."


async def test_a_lenient_answer_stays_as_it_came(served: Any, server: AnsweringServer) -> None:
    # An older api-version's shape: no logprobs, no index, an extra field of a gateway.
    body = completion(
        {"content": Party(theme="t", venue=Venue.hall, guests=[], host=Guest(name="a")).model_dump_json()}
    )
    del body["choices"][0]["logprobs"], body["choices"][0]["index"]
    body["x_gateway"] = "edge-1"
    server.answer = json_answer(body)
    result = await resolve(served.chat.completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Party))
    assert result.x_gateway == "edge-1" and result.choices[0].index is None
    assert result.choices[0].message.parsed.venue is Venue.hall
    assert result.to_dict()["x_gateway"] == "edge-1"
