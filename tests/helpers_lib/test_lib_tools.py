"""azgate.tools: tool calls assembled from streams, their arguments, the tool message."""

from __future__ import annotations

import json
from typing import Any

import pytest
from azgate.generated import models
from azgate.tools import ToolArgumentsError, ToolCallAccumulator, parse_arguments, tool_result_message
from helpers import collect, resolve

USER = [{"role": "user", "content": "weather in Paris"}]
TOOLS = [
    {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}},
    {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}},
]


def chunk(*choices: dict[str, Any]) -> dict[str, Any]:
    return {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m", "choices": list(choices)}


def choice(index: int = 0, finish: str | None = None, **delta: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"index": index, "finish_reason": finish}
    if delta:
        out["delta"] = delta
    return out


async def test_stream_from_the_emulator_gives_complete_calls(client: Any) -> None:
    stream = await resolve(
        client.chat.completions.create(model="gpt-4", messages=USER, tools=TOOLS, parallel_tool_calls=True, stream=True)
    )
    chunks = await collect(stream)
    fragments = [c for c in chunks if c.choices and c.choices[0].delta and c.choices[0].delta.tool_calls]
    assert len(fragments) > 4  # the emulator really splits the arguments
    acc = ToolCallAccumulator()
    for c in chunks:  # includes Azure's first chunk without choices
        acc.feed(c)
    calls = acc.tool_calls()
    assert [c.function.name for c in calls] == ["get_weather", "get_time"]
    assert all(isinstance(c, models.ChatCompletionMessageToolCall) and c.id.startswith("call_") for c in calls)
    assert [parse_arguments(c) for c in calls] == [{"query": "weather in Paris"}] * 2
    assert acc.finish_reason() == "tool_calls" and acc.content == ""

    # The same calls as the non-streamed answer, and the conversation continues with them.
    whole = await resolve(
        client.chat.completions.create(model="gpt-4", messages=USER, tools=TOOLS, parallel_tool_calls=True)
    )
    assert [c.to_dict() for c in calls] == [c.to_dict() for c in whole.choices[0].message.tool_calls]
    messages = [*USER, acc.assistant_message(), tool_result_message(calls[0], {"celsius": 21})]
    messages.append(tool_result_message(calls[1], "noon"))
    reply = await resolve(client.chat.completions.create(model="gpt-4", messages=messages, tools=TOOLS))
    assert reply.choices[0].message.content == "The get_time tool returned: noon"


async def test_each_choice_is_assembled_on_its_own(client: Any) -> None:
    stream = await resolve(client.chat.completions.create(model="gpt-4", messages=USER, tools=TOOLS, n=2, stream=True))
    acc = ToolCallAccumulator()
    for c in await collect(stream):
        acc.feed(c)
    assert acc.choice_indexes == [0, 1]
    assert [len(acc.tool_calls(i)) for i in (0, 1)] == [1, 1]
    assert acc.tool_calls(1)[0].function.arguments == json.dumps({"query": "weather in Paris"})
    assert acc.tool_calls(7) == []


async def test_content_streams_are_assembled_too(client: Any) -> None:
    stream = await resolve(client.chat.completions.create(model="gpt-4", messages=USER, stream=True))
    acc = ToolCallAccumulator()
    for c in await collect(stream):
        acc.feed(c)
    assert acc.content == "You said: weather in Paris"
    assert acc.tool_calls() == [] and acc.finish_reason() == "stop"
    assert acc.assistant_message() == {"role": "assistant", "content": "You said: weather in Paris"}


def test_tolerates_chunks_without_choices_or_delta_and_dict_chunks() -> None:
    acc = ToolCallAccumulator()
    acc.feed({**chunk(), "prompt_filter_results": []})
    acc.feed(chunk(choice()))  # no delta at all
    acc.feed(chunk(choice(role="assistant", tool_calls=[{"index": 0, "id": "call_1", "type": "function"}])))
    acc.feed(chunk(choice(tool_calls=[{"index": 0, "function": {"name": "look"}}])))
    acc.feed(chunk(choice(tool_calls=[{"index": 0, "function": {"name": "up", "arguments": '{"a"'}}])))
    acc.feed(chunk(choice(tool_calls=[{"index": 0, "function": {"arguments": ": 1}"}}])))
    acc.feed(chunk(choice(finish="tool_calls")))
    (call,) = acc.tool_calls()
    assert (call.id, call.function.name, parse_arguments(call)) == ("call_1", "lookup", {"a": 1})


def test_repeated_headers_and_reused_indexes() -> None:
    acc = ToolCallAccumulator()
    header = {"index": 0, "id": "call_a", "type": "function", "function": {"name": "f", "arguments": "{"}}
    acc.feed(chunk(choice(tool_calls=[header])))
    # Some providers repeat id and name on every fragment: the name must not double.
    acc.feed(chunk(choice(tool_calls=[{**header, "function": {"name": "f", "arguments": "}"}}])))
    # ... and some reuse index 0 for the next call, with a new id.
    acc.feed(chunk(choice(tool_calls=[{"index": 0, "id": "call_b", "function": {"name": "g", "arguments": "{}"}}])))
    calls = acc.tool_calls()
    assert [(c.id, c.function.name, c.function.arguments) for c in calls] == [
        ("call_a", "f", "{}"),
        ("call_b", "g", "{}"),
    ]


def test_a_call_whose_header_was_missed_is_an_error() -> None:
    acc = ToolCallAccumulator()
    acc.feed(chunk(choice(tool_calls=[{"index": 0, "function": {"arguments": "{}"}}])))
    with pytest.raises(ValueError, match="Tool call 0 of choice 0 has no id"):
        acc.tool_calls()


def test_parse_arguments_names_the_tool_when_json_is_broken() -> None:
    call = {"id": "call_9", "type": "function", "function": {"name": "search", "arguments": '{"q": "x"'}}
    with pytest.raises(ToolArgumentsError, match=r"tool 'search' \(call call_9\) are not valid JSON") as info:
        parse_arguments(call)
    assert isinstance(info.value, ValueError)
    assert (info.value.tool_name, info.value.tool_call_id, info.value.arguments) == ("search", "call_9", '{"q": "x"')
    with pytest.raises(ToolArgumentsError, match="a JSON list, not an object"):
        parse_arguments({"id": "c", "function": {"name": "search", "arguments": "[1]"}})
    assert parse_arguments({"id": "c", "function": {"name": "noargs", "arguments": ""}}) == {}


def test_tool_result_message_shapes() -> None:
    call = models.ChatCompletionMessageToolCall(
        id="call_1", type="function", function=models.ChatCompletionMessageToolCallFunction(name="f", arguments="{}")
    )
    assert tool_result_message(call, "ok") == {"role": "tool", "tool_call_id": "call_1", "content": "ok"}
    assert tool_result_message("call_2", {"t": 1})["content"] == '{"t": 1}'
    assert tool_result_message({"id": "call_3"}, [1, "é"])["content"] == '[1, "é"]'
    typed = models.CompletionUsage(prompt_tokens=1, completion_tokens=2, total_tokens=3)
    assert json.loads(tool_result_message(call, typed)["content"]) == {
        "prompt_tokens": 1,
        "completion_tokens": 2,
        "total_tokens": 3,
    }
    with pytest.raises(ValueError, match="has no id"):
        tool_result_message({"function": {}}, "x")
