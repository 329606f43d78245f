"""openai-python's AzureOpenAI against the emulator: it must accept what we send."""

from __future__ import annotations

import openai
import pytest
from azgate.testing import Emulator, embedding_vector
from emulator_support import USAGE_VERSION


@pytest.fixture
def azure(emulator: Emulator) -> openai.AzureOpenAI:
    return openai.AzureOpenAI(
        azure_endpoint=emulator.endpoint,
        api_key=emulator.api_key,
        api_version="2024-10-21",
        max_retries=2,
    )


def test_chat(azure: openai.AzureOpenAI) -> None:
    r = azure.chat.completions.create(model="gpt-35-turbo", messages=[{"role": "user", "content": "hello openai"}], n=2)
    assert r.choices[0].message.content == "You said: hello openai"
    assert len(r.choices) == 2
    assert r.usage is not None and r.usage.total_tokens == 2 + 2 * 4
    assert r.model == "gpt-35-turbo"


def test_chat_stream(azure: openai.AzureOpenAI) -> None:
    stream = azure.chat.completions.create(
        model="gpt-35-turbo", messages=[{"role": "user", "content": "stream please"}], stream=True
    )
    chunks = list(stream)
    assert chunks[0].choices == []  # Azure's preamble chunk parses
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "You said: stream please"
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_chat_stream_with_usage(emulator: Emulator) -> None:
    azure = openai.AzureOpenAI(azure_endpoint=emulator.endpoint, api_key=emulator.api_key, api_version=USAGE_VERSION)
    stream = azure.chat.completions.create(
        model="gpt-35-turbo",
        messages=[{"role": "user", "content": "stream please"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 4


def test_tool_calls(azure: openai.AzureOpenAI) -> None:
    r = azure.chat.completions.create(
        model="gpt-4",
        messages=[{"role": "user", "content": "find"}],
        tools=[{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}],
    )
    calls = r.choices[0].message.tool_calls
    assert calls is not None
    assert calls[0].type == "function" and calls[0].function.name == "lookup"
    assert r.choices[0].finish_reason == "tool_calls"


def test_embeddings(azure: openai.AzureOpenAI) -> None:
    # openai-python asks for base64 and decodes it: both encodings must agree.
    r = azure.embeddings.create(model="text-embedding-ada-002", input=["a", "b"])
    assert [d.index for d in r.data] == [0, 1]
    assert r.data[0].embedding == pytest.approx(embedding_vector("a"))
    r = azure.embeddings.create(model="text-embedding-ada-002", input="a", encoding_format="float", dimensions=4)
    assert r.data[0].embedding == embedding_vector("a", 4)


def test_retries_on_429_are_seen_by_the_emulator(emulator: Emulator, azure: openai.AzureOpenAI) -> None:
    emulator.faults.add("rate_limit", times=2, retry_after_ms=10)
    r = azure.chat.completions.create(model="gpt-35-turbo", messages=[{"role": "user", "content": "again"}])
    assert r.choices[0].message.content == "You said: again"
    assert emulator.stats.count("ChatCompletions_Create") == 3


def test_errors_map_to_openai_exceptions(emulator: Emulator, azure: openai.AzureOpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as info:
        azure.chat.completions.create(model="missing", messages=[{"role": "user", "content": "x"}])
    assert info.value.code == "DeploymentNotFound"
    bad = openai.AzureOpenAI(azure_endpoint=emulator.endpoint, api_key="wrong", api_version="2024-10-21", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        bad.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": "x"}])


def test_v1_base_url(emulator: Emulator) -> None:
    client = openai.OpenAI(
        base_url=emulator.endpoint + "/openai/v1", api_key="unused", default_headers={"api-key": emulator.api_key}
    )
    r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "v1"}])
    assert r.choices[0].message.content == "You said: v1"
