"""Chat, completions and embeddings through the generated client, over real HTTP."""

from __future__ import annotations

import base64
import struct
from typing import Any

import pytest
from azgate import AsyncStream, Stream
from azgate.generated import models
from azgate.testing import Emulator
from helpers import collect, make_client, resolve

USER = [{"role": "user", "content": "Hello there"}]


async def test_chat_returns_typed_completion_with_azure_fields(client: Any) -> None:
    reply = await resolve(client.chat.completions.create(model="gpt-4", messages=USER, n=2))
    assert isinstance(reply, models.CreateChatCompletionResponse)
    assert [c.index for c in reply.choices] == [0, 1]
    assert reply.choices[0].message.content == "You said: Hello there"
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens
    assert reply.prompt_filter_results[0].content_filter_results.hate.severity == "safe"
    assert reply.choices[0].content_filter_results.violence.filtered is False


async def test_chat_stream_keeps_azure_filter_chunk_aside_and_yields_content(client: Any, flavour: str) -> None:
    stream = await resolve(client.chat.completions.create(model="gpt-4", messages=USER, stream=True))
    assert isinstance(stream, Stream if flavour == "sync" else AsyncStream)
    chunks = await collect(stream)
    assert all(isinstance(c, models.CreateChatCompletionStreamResponse) for c in chunks)
    assert all(c.choices for c in chunks)  # the seed's `chunk.choices[0]` never fails
    (filters,) = stream.metadata_events  # Azure's first chunk: prompt filter results only
    assert filters.choices == [] and filters.prompt_filter_results[0].content_filter_results.hate.severity == "safe"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == "You said: Hello there"
    assert chunks[-1].choices[0].finish_reason == "stop"


async def test_stream_usage_chunk_with_include_usage(flavour: str, emulator: Emulator) -> None:
    # stream_options first appears in the 2025-03-01-preview document.
    client = make_client(flavour, emulator, api_version="2025-03-01-preview")
    stream = await resolve(
        client.chat.completions.create(
            model="gpt-4", messages=USER, stream=True, stream_options={"include_usage": True}
        )
    )
    chunks = await collect(stream)
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens > 0
    await resolve(client.close())


async def test_tool_call_and_tool_message_round_trip(client: Any) -> None:
    tools = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]
    first = await resolve(client.chat.completions.create(model="gpt-4", messages=USER, tools=tools))
    call = first.choices[0].message.tool_calls[0]
    assert first.choices[0].finish_reason == "tool_calls" and call.function.name == "lookup"
    messages = [
        *USER,
        {"role": "assistant", "content": None, "tool_calls": [call.to_dict()]},
        {"role": "tool", "tool_call_id": call.id, "content": "42"},
    ]
    second = await resolve(client.chat.completions.create(model="gpt-4", messages=messages, tools=tools))
    assert "42" in second.choices[0].message.content


async def test_typed_models_are_accepted_as_input(client: Any) -> None:
    message = models.ChatCompletionRequestUserMessage(role="user", content="typed")
    reply = await resolve(client.chat.completions.create(model="gpt-4", messages=[message]))
    assert reply.choices[0].message.content == "You said: typed"


async def test_completions(client: Any) -> None:
    reply = await resolve(client.completions.create(model="gpt-35-turbo", prompt="Say hi"))
    assert reply.choices[0].text == "You said: Say hi"
    chunks = await collect(await resolve(client.completions.create(model="gpt-35-turbo", prompt="Say hi", stream=True)))
    assert "".join(c.choices[0].text for c in chunks if c.choices) == "You said: Say hi"


async def test_embeddings_float_and_base64(client: Any) -> None:
    floats = await resolve(client.embeddings.create(model="text-embedding-ada-002", input=["a", "b"]))
    assert [d.index for d in floats.data] == [0, 1] and len(floats.data[0].embedding) == 1536
    encoded = await resolve(
        client.embeddings.create(model="text-embedding-ada-002", input="a", encoding_format="base64")
    )
    raw = base64.b64decode(encoded.data[0].embedding)
    decoded = struct.unpack(f"<{len(raw) // 4}f", raw)
    assert decoded == pytest.approx(floats.data[0].embedding, rel=1e-6)


async def test_deployment_id_on_the_client_is_used_without_model(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, deployment_id="gpt-35-turbo")
    reply = await resolve(client.chat.completions.create(messages=USER))
    assert reply.model == emulator.deployments["gpt-35-turbo"]
    await resolve(client.close())


async def test_v1_api_names_the_deployment_in_the_body(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_version="v1")
    reply = await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
    assert reply.choices[0].message.content == "You said: Hello there"
    (request,) = emulator.stats.requests
    assert request.path == "/openai/v1/chat/completions" and "api-version" not in request.query
    await resolve(client.close())


async def test_unknown_fields_from_the_service_are_kept(client: Any) -> None:
    reply = await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
    # system_fingerprint is declared; anything Azure adds later must survive too
    assert reply.model_extra is not None
    assert reply.to_dict()["id"] == reply.id
