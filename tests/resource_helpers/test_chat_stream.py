"""client.chat.completions.stream(): openai-python's events, over real HTTP, compared
event for event with openai-python's own stream helper on the same calls; and streams
the emulator never sends (refusals, index reuse, logprobs, a cut answer)."""

from __future__ import annotations

from typing import Any, Literal

import openai
import pydantic
import pytest
from answering_server import AnsweringServer
from azgate import LengthFinishReasonError, pydantic_function_tool
from azgate.exceptions import ContentFilterFinishReasonError
from azgate.parsing import ParsedChatCompletion
from azgate.streaming import ChatCompletionStreamState, ChunkEvent, ContentDoneEvent
from helper_support import choice, chunk, run_stream, sse
from helpers import collect, resolve
from pydantic import BaseModel

MESSAGES = [{"role": "user", "content": "weather and a plan"}]


class Plan(BaseModel):
    steps: list[str]
    done: bool


class GetWeather(BaseModel):
    city: str
    unit: Literal["celsius", "fahrenheit"]


class GetTime(BaseModel):
    zone: str


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.model_dump() if isinstance(value, pydantic.BaseModel) else value


def projection(event: Any) -> tuple[Any, ...]:
    """An event without what differs per request (ids, timestamps): its type and fields."""
    if event.type == "chunk":
        return ("chunk",)
    fields = {k: _plain(v) for k, v in dict(event).items() if k != "type"}
    return (event.type, sorted(fields.items(), key=lambda kv: kv[0]))


CASES = {
    "structured": {"response_format": Plan},
    "tools": {"tools": "both", "parallel_tool_calls": True},
    "text": {},
}


@pytest.mark.parametrize("case", list(CASES))
async def test_events_are_openai_pythons(ours: Any, theirs: Any, case: str) -> None:
    kwargs: dict[str, Any] = {"model": "gpt-4o", "messages": MESSAGES, **CASES[case]}
    mine_kwargs, their_kwargs = dict(kwargs), dict(kwargs)
    if kwargs.get("tools") == "both":
        mine_kwargs["tools"] = [pydantic_function_tool(GetWeather), pydantic_function_tool(GetTime)]
        their_kwargs["tools"] = [openai.pydantic_function_tool(GetWeather), openai.pydantic_function_tool(GetTime)]
    mine, final = await run_stream(ours.chat.completions.stream(**mine_kwargs), "get_final_completion")
    reference, their_final = await run_stream(theirs.chat.completions.stream(**their_kwargs), "get_final_completion")

    # openai-python also yields Azure's first chunk (filter results only) as a chunk event.
    assert [projection(e) for e in mine if e.type != "chunk"] == [projection(e) for e in reference if e.type != "chunk"]
    assert len([e for e in mine if e.type == "chunk"]) == len([e for e in reference if e.type == "chunk"])
    assert isinstance(final, ParsedChatCompletion)
    mine_message, their_message = final.choices[0].message, their_final.choices[0].message
    assert _plain(mine_message.parsed) == _plain(their_message.parsed)
    assert mine_message.content == their_message.content
    assert [_plain(c.function.parsed_arguments) for c in mine_message.tool_calls or ()] == [
        _plain(c.function.parsed_arguments) for c in their_message.tool_calls or ()
    ]
    assert final.choices[0].finish_reason == their_final.choices[0].finish_reason
    if case == "structured":
        assert isinstance(mine_message.parsed, Plan)
        done = [e for e in mine if e.type == "content.done"]
        assert len(done) == 1 and isinstance(done[0], ContentDoneEvent) and done[0].parsed == mine_message.parsed
    if case == "tools":
        assert [type(c.function.parsed_arguments) for c in mine_message.tool_calls] == [GetWeather, GetTime]
    # Azure's prompt filter results, which the typed stream keeps aside, are on the completion.
    assert final.prompt_filter_results


async def test_chunk_events_carry_the_completion_so_far(ours: Any) -> None:
    manager = ours.chat.completions.stream(model="gpt-4o", messages=MESSAGES, response_format=Plan)
    events, final = await run_stream(manager, "get_final_completion")
    chunks = [e for e in events if isinstance(e, ChunkEvent)]
    assert chunks and all(e.chunk.choices for e in chunks)
    deltas = [e for e in events if e.type == "content.delta"]
    assert deltas[-1].snapshot == final.choices[0].message.content
    assert isinstance(deltas[-1].parsed, dict)  # partial JSON while streaming
    assert chunks[-1].snapshot.choices[0].message.content == final.choices[0].message.content


async def test_leaving_the_block_early_releases_the_connection(ours: Any) -> None:
    manager = ours.chat.completions.stream(model="gpt-4o", messages=MESSAGES)
    if hasattr(manager, "__aenter__"):
        async with manager as stream:
            async for _ in stream:
                break
    else:
        with manager as stream:
            for _ in stream:
                break
    assert stream.response.is_closed


async def test_stream_is_not_a_keyword_of_stream(ours: Any) -> None:
    from azgate.exceptions import ConfigurationError

    with pytest.raises(ConfigurationError, match="stream"):
        ours.chat.completions.stream(model="gpt-4o", messages=MESSAGES, stream=True)


# -- streams of the tests' own server ---------------------------------------------


def filter_chunk() -> dict[str, Any]:
    """Azure's first chunk: no choices, only the prompt's filter results."""
    return {
        "id": "",
        "object": "",
        "created": 0,
        "model": "",
        "choices": [],
        "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": {"hate": {"filtered": False}}}],
    }


def call(index: int, name: str | None, arguments: str, call_id: str | None = None) -> dict[str, Any]:
    fragment: dict[str, Any] = {"index": index, "function": {"arguments": arguments}}
    if name is not None:
        fragment.update(id=call_id or f"call_{name}", type="function")
        fragment["function"]["name"] = name
    return fragment


async def stream_of(served: Any, **kwargs: Any) -> tuple[list[Any], Any]:
    manager = served.chat.completions.stream(model="gpt-4o", messages=MESSAGES, **kwargs)
    return await run_stream(manager, "get_final_completion")


async def same_as_openai_python(events: list[Any], their_served: Any, **kwargs: Any) -> None:
    """openai-python's stream helper, on the same answer, yields the same events."""
    if "tools" in kwargs:
        kwargs["tools"] = [openai.pydantic_function_tool(t["function"].model) for t in kwargs["tools"]]
    reference, _ = await stream_of(their_served, **kwargs)
    assert [projection(e) for e in events] == [projection(e) for e in reference]


async def test_a_refusal_streams_as_refusal_events(served: Any, their_served: Any, server: AnsweringServer) -> None:
    server.answer = sse(
        filter_chunk(),
        chunk(choice(role="assistant", refusal="")),
        chunk(choice(refusal="I can't ")),
        chunk(choice(refusal="do that.")),
        chunk(choice(finish="stop")),
    )
    events, final = await stream_of(served, response_format=Plan)
    kinds = [e.type for e in events if e.type != "chunk"]
    assert kinds == ["refusal.delta"] * 3 + ["refusal.done"]
    await same_as_openai_python([e for e in events], their_served, response_format=Plan)
    assert events[-1].refusal == "I can't do that."
    message = final.choices[0].message
    assert message.refusal == "I can't do that." and message.parsed is None and message.content is None
    assert final.prompt_filter_results[0].prompt_index == 0


async def test_calls_whose_provider_reuses_index_0(served: Any, server: AnsweringServer) -> None:
    tools = [pydantic_function_tool(GetWeather), pydantic_function_tool(GetTime)]
    server.answer = sse(
        chunk(choice(role="assistant", tool_calls=[call(0, "GetWeather", '{"city": "Oslo", ')])),
        chunk(choice(tool_calls=[call(0, None, '"unit": "celsius"}')])),
        chunk(choice(tool_calls=[call(0, "GetTime", '{"zone": "CET"}', call_id="call_2")])),
        chunk(choice(finish="tool_calls")),
    )
    events, final = await stream_of(served, tools=tools)
    done = [e for e in events if e.type == "tool_calls.function.arguments.done"]
    assert [(e.index, e.name) for e in done] == [(0, "GetWeather"), (1, "GetTime")]
    assert done[0].parsed_arguments == GetWeather(city="Oslo", unit="celsius")
    deltas = [e for e in events if e.type == "tool_calls.function.arguments.delta"]
    assert [e.index for e in deltas] == [0, 0, 1]
    assert deltas[0].parsed_arguments == {"city": "Oslo"}  # partial JSON, for a strict tool
    assert [c.function.parsed_arguments for c in final.choices[0].message.tool_calls] == [
        GetWeather(city="Oslo", unit="celsius"),
        GetTime(zone="CET"),
    ]


async def test_content_is_done_when_the_first_call_starts(
    served: Any, their_served: Any, server: AnsweringServer
) -> None:
    server.answer = sse(
        chunk(choice(role="assistant", content="Let me check.")),
        chunk(choice(tool_calls=[call(0, "GetTime", '{"zone": "UTC"}')])),
        chunk(choice(finish="tool_calls")),
    )
    events, _ = await stream_of(served, tools=[pydantic_function_tool(GetTime)])
    kinds = [e.type for e in events if e.type != "chunk"]
    # The call's first delta, then the content is done (openai-python's order).
    assert kinds == [
        "content.delta",
        "tool_calls.function.arguments.delta",
        "content.done",
        "tool_calls.function.arguments.done",
    ]
    await same_as_openai_python(events, their_served, tools=[pydantic_function_tool(GetTime)])


async def test_logprobs_stream_as_their_own_events(served: Any, their_served: Any, server: AnsweringServer) -> None:
    def token(text: str) -> dict[str, Any]:
        return {"token": text, "logprob": -0.1, "bytes": list(text.encode()), "top_logprobs": []}

    first = {**choice(content="Hel"), "logprobs": {"content": [token("Hel")], "refusal": None}}
    second = {**choice(content="lo"), "logprobs": {"content": [token("lo")], "refusal": None}}
    server.answer = sse(chunk(first), chunk(second), chunk(choice(finish="stop")))
    events, final = await stream_of(served, logprobs=True)
    deltas = [e for e in events if e.type == "logprobs.content.delta"]
    assert [len(e.snapshot) for e in deltas] == [1, 2]
    done = [e for e in events if e.type == "logprobs.content.done"]
    assert [t.token for t in done[0].content] == ["Hel", "lo"]
    assert [t.token for t in final.choices[0].logprobs.content] == ["Hel", "lo"]
    await same_as_openai_python(events, their_served, logprobs=True)


async def test_each_choice_has_its_own_events(served: Any, their_served: Any, server: AnsweringServer) -> None:
    server.answer = sse(
        chunk(choice(0, role="assistant", content=""), choice(1, role="assistant", content="")),
        chunk(choice(0, content='{"steps": [], '), choice(1, content='{"steps": ["a"], ')),
        chunk(choice(0, content='"done": true}'), choice(1, content='"done": false}')),
        chunk(choice(0, finish="stop"), choice(1, finish="stop")),
    )
    events, final = await stream_of(served, response_format=Plan, n=2)
    done = [e for e in events if e.type == "content.done"]
    assert [e.parsed for e in done] == [Plan(steps=[], done=True), Plan(steps=["a"], done=False)]
    assert [c.message.parsed for c in final.choices] == [Plan(steps=[], done=True), Plan(steps=["a"], done=False)]
    await same_as_openai_python(events, their_served, response_format=Plan, n=2)


async def test_an_answer_cut_at_the_limit_stops_the_stream(served: Any, server: AnsweringServer) -> None:
    server.answer = sse(chunk(choice(content='{"steps": [')), chunk(choice(finish="length")))
    manager = served.chat.completions.stream(model="gpt-4o", messages=MESSAGES, response_format=Plan)
    with pytest.raises(LengthFinishReasonError) as caught:
        await run_stream(manager, "get_final_completion")
    assert caught.value.completion.choices[0].message.content == '{"steps": ['


async def test_the_content_filter_stops_a_structured_stream(served: Any, server: AnsweringServer) -> None:
    server.answer = sse(chunk(choice(content='{"steps": [')), chunk(choice(finish="content_filter")))
    manager = served.chat.completions.stream(model="gpt-4o", messages=MESSAGES, response_format=Plan)
    with pytest.raises(ContentFilterFinishReasonError):
        await run_stream(manager, "get_final_completion")


async def test_a_text_stream_cut_at_the_limit_streams_to_the_end(served: Any, server: AnsweringServer) -> None:
    # Nothing is being parsed, so the events flow (as in openai-python); only the final
    # completion, which parse() would give, refuses a cut answer.
    server.answer = sse(chunk(choice(content="Once upon")), chunk(choice(finish="length")))
    manager = served.chat.completions.stream(model="gpt-4o", messages=MESSAGES)
    if hasattr(manager, "__aenter__"):
        async with manager as stream:
            kinds = [e.type async for e in stream]
            with pytest.raises(LengthFinishReasonError):
                await stream.get_final_completion()
    else:
        with manager as stream:
            kinds = [e.type for e in stream]
            with pytest.raises(LengthFinishReasonError):
                stream.get_final_completion()
    assert kinds == ["chunk", "content.delta", "chunk", "content.done"]


async def test_the_state_alone_reads_chunks_of_create(ours: Any) -> None:
    stream = await resolve(ours.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True))
    state: ChatCompletionStreamState[None] = ChatCompletionStreamState()
    kinds = [event.type for c in await collect(stream) for event in state.handle_chunk(c)]
    assert "content.done" in kinds
    assert state.get_final_completion().choices[0].message.content.startswith("You said:")
