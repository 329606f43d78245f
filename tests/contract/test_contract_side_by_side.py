"""azgate and openai-python's AzureOpenAI side by side: the same calls against the
emulator in each response profile must give the same content (and the same ids where
the emulator makes them deterministic).

azgate must also be liberal in what it accepts (DESIGN.md, "Responses"): in the legacy
profile a field older api-versions lacked reads None, in the gateway profile an extra
field is kept and an unknown enum value or union variant comes back as it was sent.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from azgate.testing import Emulator
from helpers import collect, resolve

MESSAGES = [{"role": "user", "content": "side by side"}]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
            "required": ["city", "unit"],
        },
    },
}


def finish(profile: str, reason: str = "stop") -> str:
    return "end_turn" if profile == "gateway" and reason == "stop" else reason


def extra(obj: Any, name: str = "x_gateway") -> Any:
    """An extra field as the lenient model keeps it (attribute or pydantic's model_extra)."""
    found = getattr(obj, name, None)
    return found if found is not None else (getattr(obj, "model_extra", None) or {}).get(name)


def assert_lenient_chat(profile: str, reply: Any) -> None:
    choice = reply.choices[0]
    if profile == "legacy":
        assert choice.index is None and choice.logprobs is None and reply.system_fingerprint is None
    elif profile == "gateway":
        assert extra(reply) == "emulated" and extra(choice) == "emulated" and extra(choice.message) == "emulated"
        assert reply.service_tier == "gateway-priority"
    else:
        assert choice.index == 0 and reply.system_fingerprint


async def test_chat(ours: Any, theirs: Any, profile: str) -> None:
    a = await resolve(ours.chat.completions.create(model="gpt-4o", messages=MESSAGES))
    b = await resolve(theirs.chat.completions.create(model="gpt-4o", messages=MESSAGES))
    assert a.choices[0].message.content == b.choices[0].message.content == "You said: side by side"
    assert a.choices[0].finish_reason == b.choices[0].finish_reason == finish(profile)
    assert a.model == b.model == "gpt-4o"
    assert a.usage.total_tokens == b.usage.total_tokens
    assert_lenient_chat(profile, a)


async def test_chat_tool_calls(ours: Any, theirs: Any, profile: str) -> None:
    a = await resolve(ours.chat.completions.create(model="gpt-4o", messages=MESSAGES, tools=[WEATHER_TOOL]))
    b = await resolve(theirs.chat.completions.create(model="gpt-4o", messages=MESSAGES, tools=[WEATHER_TOOL]))
    [ca], [cb] = a.choices[0].message.tool_calls, b.choices[0].message.tool_calls
    assert (ca.id, ca.function.name, ca.function.arguments) == (cb.id, cb.function.name, cb.function.arguments)
    assert json.loads(ca.function.arguments)["city"] == "side by side"
    assert a.choices[0].finish_reason == b.choices[0].finish_reason == "tool_calls"


async def test_chat_stream(ours: Any, theirs: Any, profile: str) -> None:
    kw: dict[str, Any] = {"model": "gpt-4o", "messages": MESSAGES, "stream": True}
    stream = await resolve(ours.chat.completions.create(**kw))
    a = await collect(stream)
    b = await collect(await resolve(theirs.chat.completions.create(**kw)))

    def text(chunks: list[Any]) -> str:
        return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)

    def reasons(chunks: list[Any]) -> list[str]:
        return [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]

    assert text(a) == text(b) == "You said: side by side"
    assert reasons(a) == reasons(b) == [finish(profile)]
    # Azure's first chunk (prompt filter results, no choices): openai-python yields it; we
    # keep it, typed, on the stream, so `chunk.choices[0]` never fails.
    assert b[0].choices == [] and all(c.choices for c in a)
    (filters,) = stream.metadata_events
    assert filters.choices == [] and filters.prompt_filter_results
    first = next(c for c in a if c.choices)
    if profile == "legacy":
        assert first.choices[0].index is None and first.system_fingerprint is None
    elif profile == "gateway":
        assert extra(first) == "emulated" and extra(first.choices[0].delta) == "emulated"
    else:
        assert first.choices[0].index == 0


@pytest.mark.parametrize(
    "version", ["2023-05-15", "2024-02-01", "2024-02-15-preview", "2024-10-21", "2025-04-01-preview"]
)
async def test_embeddings_with_defaults_on_every_version(
    flavour: str, emulator: Emulator, profile: str, version: str
) -> None:
    # openai-python sends encoding_format="base64" by default and decodes it; Azure takes
    # that on every api-version, so the emulator must too.
    import openai
    from helpers import make_client

    ours = make_client(flavour, emulator, api_version=version)
    theirs: Any = (openai.AzureOpenAI if flavour == "sync" else openai.AsyncAzureOpenAI)(
        azure_endpoint=emulator.endpoint, api_key=emulator.api_key, api_version=version, max_retries=0
    )
    try:
        a = await resolve(ours.embeddings.create(model="text-embedding-ada-002", input="hello"))
        b = await resolve(theirs.embeddings.create(model="text-embedding-ada-002", input="hello"))
    finally:
        await resolve(ours.close())
        await resolve(theirs.close())
    assert a.data[0].embedding == pytest.approx(b.data[0].embedding, rel=1e-6)
    assert len(a.data[0].embedding) == 1536 and a.usage.prompt_tokens == b.usage.prompt_tokens
    if profile == "gateway":
        assert extra(a.data[0]) == "emulated"


async def test_embeddings_base64(ours: Any, theirs: Any, profile: str) -> None:
    a = await resolve(
        ours.embeddings.create(model="text-embedding-ada-002", input=["a", "b"], encoding_format="base64")
    )
    b = await resolve(theirs.embeddings.create(model="text-embedding-ada-002", input=["a", "b"]))
    assert isinstance(a.data[1].embedding, str)
    decoded = memoryview(base64.b64decode(a.data[1].embedding)).cast("f").tolist()
    assert decoded == pytest.approx(b.data[1].embedding, rel=1e-6)


async def test_images(ours: Any, theirs: Any, profile: str) -> None:
    kw = {"model": "dall-e-3", "prompt": "a red fox", "response_format": "b64_json"}
    a = await resolve(ours.images.generate(**kw))
    b = await resolve(theirs.images.generate(**kw))
    assert a.data[0].b64_json == b.data[0].b64_json and a.data[0].revised_prompt == b.data[0].revised_prompt
    if profile == "gateway":
        assert extra(a.data[0]) == "emulated"


async def test_speech_and_transcription(ours: Any, theirs: Any, profile: str) -> None:
    kw = {"model": "tts", "voice": "alloy", "input": "say this"}
    a = await resolve(ours.audio.speech.create(**kw))
    b = await resolve(theirs.audio.speech.create(**kw))
    audio = a if isinstance(a, bytes) else getattr(a, "content", a)
    assert audio == b.content and len(audio) > 0
    upload = ("hello.wav", audio, "audio/wav")
    ta = await resolve(ours.audio.transcriptions.create(model="whisper", file=upload))
    tb = await resolve(theirs.audio.transcriptions.create(model="whisper", file=upload))
    assert ta.text == tb.text == "say this"  # the emulator's speech carries its words


async def test_files(ours: Any, theirs: Any, profile: str) -> None:
    content = b'{"prompt": "p", "completion": "c"}\n'
    made = await resolve(theirs.files.create(file=("data.jsonl", content), purpose="fine-tune"))
    a = await resolve(ours.files.retrieve(file_id=made.id))
    b = await resolve(theirs.files.retrieve(file_id=made.id))
    assert (
        (a.id, a.filename, a.purpose, a.bytes)
        == (b.id, b.filename, b.purpose, b.bytes)
        == (
            made.id,
            "data.jsonl",
            "fine-tune",
            len(content),
        )
    )
    ours_made = await resolve(ours.files.create(file=("ours.jsonl", content), purpose="fine-tune"))
    listed = await resolve(theirs.files.list())
    ids = [f.id async for f in listed] if hasattr(listed, "__aiter__") else [f.id for f in listed]
    assert {made.id, ours_made.id} <= set(ids)
    if profile == "gateway":
        assert extra(a) == "emulated"


async def test_batches(ours: Any, theirs: Any, profile: str, emulator: Emulator) -> None:
    emulator.store.tick = 0
    line = {
        "custom_id": "one",
        "method": "POST",
        "url": "/chat/completions",
        "body": {"model": "gpt-4o", "messages": MESSAGES},
    }
    uploaded = await resolve(ours.files.create(file=("in.jsonl", json.dumps(line).encode() + b"\n"), purpose="batch"))
    made = await resolve(
        theirs.batches.create(input_file_id=uploaded.id, endpoint="/chat/completions", completion_window="24h")
    )
    a = await resolve(ours.batches.retrieve(batch_id=made.id))
    b = await resolve(theirs.batches.retrieve(batch_id=made.id))
    assert (a.id, a.status, a.endpoint) == (b.id, b.status, b.endpoint)
    assert a.request_counts.total == b.request_counts.total == 1


async def test_responses_with_an_unknown_output_item(ours: Any, theirs: Any, profile: str) -> None:
    a = await resolve(ours.responses.create(model="gpt-4o", input="side by side"))
    b = await resolve(theirs.responses.create(model="gpt-4o", input="side by side"))
    assert [o.type for o in a.output] == [o.type for o in b.output]
    assert a.output[0].content[0].text == b.output[0].content[0].text == "You said: side by side"
    if profile == "gateway":  # the union variant no document knows is kept, with its fields
        unknown = a.output[-1]
        assert unknown.type == "gateway_notice" and extra(unknown, "text") == "routed by a gateway"
