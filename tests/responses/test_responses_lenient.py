"""Responses from servers the documents do not describe (older api-versions, gateways,
Azure's stream shapes) come back typed; strict_response_validation=True reports them.
Over real HTTP against the tests' own hostile server, sync and async."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from azgate import AsyncClient, Client
from azgate._core._models import BaseModel
from azgate.exceptions import APIResponseValidationError, ConfigurationError
from azgate.generated import models
from azgate.tools import ToolCallAccumulator
from helpers import collect, resolve
from hostile_bodies import FILTER_RESULTS, LONG_NAME, settings
from hostile_server import HostileServer

USER = [{"role": "user", "content": "Hi"}]


@pytest.fixture
async def make(flavour: str, hostile: HostileServer) -> AsyncIterator[Callable[..., Any]]:
    """Clients of the hostile server in the test's flavour, closed after the test."""
    made: list[Client | AsyncClient] = []

    def new(**more: Any) -> Client | AsyncClient:
        made.append((Client if flavour == "sync" else AsyncClient)(**settings(hostile, **more)))
        return made[-1]

    yield new
    for client in made:
        await resolve(client.close())


async def chat(client: Any, deployment: str, **kw: Any) -> Any:
    return await resolve(client.chat.completions.create(model=deployment, messages=USER, **kw))


async def test_an_older_api_versions_chat_reads_missing_fields_as_none(make: Any) -> None:
    reply = await chat(make(), "old-azure")
    assert isinstance(reply, models.CreateChatCompletionResponse)
    choice = reply.choices[0]
    assert isinstance(choice, models.CreateChatCompletionResponseChoicesItem)
    assert isinstance(choice.message, models.ChatCompletionResponseMessage)
    assert choice.message.content == "Hello from 2023" and choice.finish_reason == "stop"
    assert choice.logprobs is None and choice.index is None
    assert reply.system_fingerprint is None and reply.usage is None and reply.prompt_filter_results is None


async def test_a_gateways_chat_keeps_extra_fields_and_unknown_values(make: Any) -> None:
    reply = await chat(make(), "gateway")
    assert reply.x_gateway == {"region": "eu-west", "cache": "miss"}  # type: ignore[attr-defined]
    choice = reply.choices[0]
    assert choice.finish_reason == "weird" and choice.message.role == "narrator"
    assert choice.message.reasoning_content == "thinking..."
    call = choice.message.tool_calls[0]
    assert isinstance(call, models.ChatCompletionMessageToolCall) and call.function.name == LONG_NAME
    assert reply.usage.total_tokens == 7 and reply.usage.cost_usd == 0.0001  # type: ignore[attr-defined]
    assert reply.prompt_filter_results[0].content_filter_results.hate.severity == "safe"
    assert reply.to_dict()["x_gateway"]["region"] == "eu-west"  # extras survive a round trip


async def test_assistant_tools_are_told_apart_by_their_type(make: Any) -> None:
    assistant = await resolve(make(api_version="2025-04-01-preview").beta.assistants.retrieve(assistant_id="asst_1"))
    assert isinstance(assistant, models.AssistantObject)
    code, search, function, future = assistant.tools
    assert type(code) is models.AssistantToolsCode
    assert type(search) is models.AssistantToolsFileSearch and search.file_search.max_num_results == 5
    assert type(function) is models.AssistantToolsFunction
    assert function.function.name == LONG_NAME and function.function.description is None
    # A tool type this SDK does not know yet: kept, with its fields, as a plain model.
    assert type(future) is BaseModel
    assert future.type == "browser" and future.browser == {"allowed_domains": ["example.com"]}


async def test_an_unknown_responses_output_item_does_not_fail_the_call(make: Any) -> None:
    client = make(api_version="2025-04-01-preview")
    response = await resolve(client.responses.retrieve(response_id="resp_1"))
    assert isinstance(response, models.Response)
    message, call, unknown = response.output
    assert isinstance(message, models.OutputMessage) and message.content[0].text == "Hi"
    assert isinstance(message.content[0], models.OutputText)
    assert isinstance(call, models.FunctionToolCall) and call.status is None
    assert type(unknown) is BaseModel and unknown.type == "mcp_call" and unknown.output == "42"


async def seed_loop(stream: Any) -> str:
    """The seed's streaming loop, as written for Portkey and openai-python."""
    text = ""
    if hasattr(stream, "__aiter__"):
        async for chunk in stream:
            if chunk.choices[0].delta.content:
                text += chunk.choices[0].delta.content
    else:
        for chunk in stream:
            if chunk.choices[0].delta.content:
                text += chunk.choices[0].delta.content
    return text


async def test_stream_chunks_without_index_or_delta(make: Any) -> None:
    assert await seed_loop(await chat(make(), "old-azure", stream=True)) == "Hello"
    chunks = await collect(await chat(make(), "old-azure", stream=True))
    last = chunks[-1].choices[0]
    assert last.finish_reason == "stop" and last.index is None
    assert isinstance(last.delta, models.ChatCompletionStreamResponseDelta) and last.delta.content is None


async def test_azures_filter_only_chunk_is_kept_on_the_stream(make: Any) -> None:
    stream = await chat(make(), "gateway", stream=True)
    assert await seed_loop(stream) == "Hi"
    (first,) = stream.metadata_events
    assert first.choices == [] and first.prompt_filter_results[0].content_filter_results.hate.severity == "safe"
    assert first.prompt_filter_results[0].content_filter_results.to_dict() == FILTER_RESULTS

    chunks = await collect(await chat(make(), "gateway", stream=True))
    assert [c.choices[0].delta.content for c in chunks] == ["", "Hi", None]
    assert chunks[1].choices[0].x_trace == "t1" and chunks[-1].choices[0].finish_reason == "weird"


async def test_a_usage_chunk_still_comes_last(make: Any) -> None:
    chunks = await collect(await chat(make(), "with-usage", stream=True))
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens == 4


# -- strict_response_validation=True --------------------------------------------------------


async def test_strict_validation_names_the_field_that_deviates(make: Any) -> None:
    client = make(strict_response_validation=True)
    with pytest.raises(APIResponseValidationError, match=r"CreateChatCompletionResponse: choices\.0\.index: Field"):
        await chat(client, "old-azure")
    preview = client.with_options(api_version="2025-04-01-preview")
    with pytest.raises(APIResponseValidationError, match=r"AssistantObject: .*tools\.3: Input tag 'browser'") as caught:
        await resolve(preview.beta.assistants.retrieve(assistant_id="asst_1"))
    assert caught.value.status_code == 200 and caught.value.body["id"] == "asst_1"
    with pytest.raises(APIResponseValidationError, match=r"CreateChatCompletionStreamResponse: choices\.0\.index"):
        await collect(await chat(client, "old-azure", stream=True))


async def test_strict_validation_accepts_what_the_models_type(make: Any) -> None:
    # Extra fields, open enum values and a name beyond a request limit are not deviations.
    client = make().with_options(strict_response_validation=True)
    reply = await chat(client, "gateway")
    assert reply.choices[0].finish_reason == "weird" and reply.x_gateway["cache"] == "miss"  # type: ignore[attr-defined]
    assert await seed_loop(await chat(client, "gateway", stream=True)) == "Hi"
    # ... and with_options can turn it off again.
    relaxed = client.with_options(strict_response_validation=False)
    assert (await chat(relaxed, "old-azure")).choices[0].index is None


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("deployment", ["not-json", "deep-json"])
async def test_a_body_that_is_not_json_is_an_error_in_both_modes(make: Any, strict: bool, deployment: str) -> None:
    client = make(strict_response_validation=strict)
    with pytest.raises(APIResponseValidationError, match="not valid JSON"):
        await chat(client, deployment)


def test_strict_response_validation_must_be_a_bool(hostile: HostileServer) -> None:
    with pytest.raises(ConfigurationError, match="strict_response_validation must be True or False"):
        Client(**settings(hostile, strict_response_validation="yes"))


async def test_tool_call_accumulator_reads_chunks_without_index(make: Any) -> None:
    calls = ToolCallAccumulator()
    stream = await chat(make(), "old-azure", stream=True)
    for chunk in await collect(stream):
        calls.feed(chunk)
    assert calls.content == "Hello" and calls.finish_reason() == "stop" and calls.choice_indexes == [0]
