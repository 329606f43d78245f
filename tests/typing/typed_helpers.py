"""What mypy must infer for the helper methods (parse, stream, upload_file_chunked)
that the generated resources inherit (checked by test_typing.py, never run)."""

from __future__ import annotations

from azgate import APIResponse, AsyncClient, Client, pydantic_function_tool
from azgate.generated import models
from azgate.parsing import ParsedChatCompletion, ParsedResponse
from azgate.streaming import (
    AsyncChatCompletionStream,
    AsyncResponseStream,
    ChatCompletionStream,
    ContentDeltaEvent,
    ResponseStream,
)
from pydantic import BaseModel
from typing_extensions import assert_type

MESSAGES = [{"role": "user", "content": "Hi"}]


class Answer(BaseModel):
    text: str


def sync_helpers(client: Client) -> None:
    completions = client.chat.completions
    parsed = completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Answer)
    assert_type(parsed, ParsedChatCompletion[Answer])
    assert_type(parsed.choices[0].message.parsed, Answer | None)
    assert_type(parsed.choices[0].message.refusal, str | None)
    tools = [pydantic_function_tool(Answer)]
    assert_type(completions.parse(model="gpt-4o", messages=MESSAGES, tools=tools), ParsedChatCompletion[None])
    with completions.stream(model="gpt-4o", messages=MESSAGES, response_format=Answer) as stream:
        assert_type(stream, ChatCompletionStream[Answer])
        for event in stream:
            if event.type == "content.delta":
                assert_type(event, ContentDeltaEvent)
                assert_type(event.snapshot, str)
            elif event.type == "content.done":
                assert_type(event.parsed, Answer | None)
            elif event.type == "tool_calls.function.arguments.done":
                assert_type(event.name, str)
    assert_type(stream.get_final_completion(), ParsedChatCompletion[Answer])

    response = client.responses.parse(model="gpt-4o", input="Hi", text_format=Answer)
    assert_type(response, ParsedResponse[Answer])
    assert_type(response.output_parsed, Answer | None)
    with client.responses.stream(model="gpt-4o", input="Hi", text_format=Answer) as events:
        assert_type(events, ResponseStream[Answer])
        for item in events:
            if item.type == "response.output_text.delta":
                assert_type(item.snapshot, str)
    assert_type(events.get_final_response(), ParsedResponse[Answer])

    upload = client.uploads.upload_file_chunked(file=b"x", filename="x.txt", mime_type="text/plain", purpose="batch")
    assert_type(upload, models.UploadResource)
    # The raw views keep the generated methods only, typed as before.
    raw = completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES)
    assert_type(raw, APIResponse[models.CreateChatCompletionResponse])
    completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Answer, stream=True)  # refused at run time
    completions.parse(messages=MESSAGES, response_format=Answer, model=1)  # type: ignore[call-overload]


async def async_helpers(client: AsyncClient) -> None:
    completions = client.chat.completions
    parsed = await completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Answer)
    assert_type(parsed, ParsedChatCompletion[Answer])
    async with completions.stream(model="gpt-4o", messages=MESSAGES, response_format=Answer) as stream:
        assert_type(stream, AsyncChatCompletionStream[Answer])
        async for event in stream:
            if event.type == "refusal.delta":
                assert_type(event.delta, str)
    assert_type(await stream.get_final_completion(), ParsedChatCompletion[Answer])

    response = await client.responses.parse(model="gpt-4o", input="Hi", text_format=Answer)
    assert_type(response.output_parsed, Answer | None)
    async with client.responses.stream(model="gpt-4o", input="Hi") as events:
        assert_type(events, AsyncResponseStream[None])
    assert_type(await events.get_final_response(), ParsedResponse[None])
    upload = await client.uploads.upload_file_chunked(file="big.jsonl", mime_type="text/plain", purpose="batch")
    assert_type(upload, models.UploadResource)
