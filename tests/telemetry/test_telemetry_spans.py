"""Spans and metrics over real HTTP against the emulator, sync and async: the attributes
OpenTelemetry's GenAI conventions name, on the call, its attempts and its routing targets."""

from __future__ import annotations

import gc
import json
from typing import Any

import pytest
from azgate import APIResponse, AsyncClient, Client
from azgate.exceptions import InternalServerError, NotFoundError
from azgate.testing import Emulator
from helpers import collect, make_client, resolve
from opentelemetry.trace import SpanKind, StatusCode
from telemetry_support import MESSAGES, Recorder, azure_target, openai_target


async def test_a_chat_call_is_one_client_span_with_the_conventions_attributes(
    flavour: str, emulator: Emulator, recorder: Recorder
) -> None:
    client = make_client(flavour, emulator, telemetry=recorder.telemetry)
    reply = await resolve(
        client.chat.completions.create(
            model="gpt-4-deployment",
            messages=MESSAGES,
            temperature=0.25,
            top_p=0.5,
            max_tokens=40,
            stop=["\n\n"],
            frequency_penalty=0.1,
            presence_penalty=0.2,
            seed=7,
        )
    )
    await resolve(client.close())

    span = recorder.one("chat gpt-4-deployment")
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    attributes = dict(span.attributes or {})
    assert attributes == {
        "azgate.operation": "chat.completions.create",
        "azgate.deployment": "gpt-4-deployment",
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "azure.ai.openai",
        "gen_ai.request.model": "gpt-4-deployment",
        "gen_ai.request.temperature": 0.25,
        "gen_ai.request.top_p": 0.5,
        "gen_ai.request.max_tokens": 40,
        "gen_ai.request.stop_sequences": ("\n\n",),
        "gen_ai.request.frequency_penalty": 0.1,
        "gen_ai.request.presence_penalty": 0.2,
        "gen_ai.request.seed": 7,
        "server.address": "127.0.0.1",
        "server.port": emulator.port,
        "gen_ai.response.id": reply.id,
        "gen_ai.response.model": "gpt-4",  # the deployment's model, as the service reports it
        "gen_ai.response.finish_reasons": ("stop",),
        "gen_ai.usage.input_tokens": reply.usage.prompt_tokens,
        "gen_ai.usage.output_tokens": reply.usage.completion_tokens,
    }
    assert reply.usage.completion_tokens > 0
    assert not any(key.startswith(("gen_ai.input", "gen_ai.output")) for key in attributes)  # content is opt-in

    (attempt,) = recorder.children(span)
    assert attempt.name == "POST" and attempt.kind is SpanKind.CLIENT
    assert dict(attempt.attributes or {}) == {
        "http.request.method": "POST",
        "server.address": "127.0.0.1",
        "server.port": emulator.port,
        "url.full": f"{emulator.endpoint}/openai/deployments/gpt-4-deployment/chat/completions?api-version=2024-10-21",
        "http.response.status_code": 200,
    }
    assert span.parent is None and len(recorder.spans()) == 2

    common = {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "azure.ai.openai",
        "gen_ai.request.model": "gpt-4-deployment",
        "gen_ai.response.model": "gpt-4",
        "server.address": "127.0.0.1",
        "server.port": emulator.port,
    }
    (duration,) = recorder.points("gen_ai.client.operation.duration")
    assert dict(duration.attributes) == common and duration.count == 1 and duration.sum > 0
    tokens = {point.attributes["gen_ai.token.type"]: point for point in recorder.points("gen_ai.client.token.usage")}
    assert dict(tokens["input"].attributes) == {**common, "gen_ai.token.type": "input"}
    assert (tokens["input"].sum, tokens["output"].sum) == (reply.usage.prompt_tokens, reply.usage.completion_tokens)


async def test_a_retried_call_shows_each_attempt(flavour: str, emulator: Emulator, recorder: Recorder) -> None:
    emulator.faults.add("rate_limit", times=1, retry_after_ms=10)
    client = make_client(flavour, emulator, telemetry=recorder.telemetry)
    await resolve(client.chat.completions.create(model="gpt-4o", messages=MESSAGES))
    await resolve(client.close())

    span = recorder.one("chat gpt-4o")
    assert span.status.status_code is StatusCode.UNSET and "error.type" not in (span.attributes or {})
    first, second = recorder.children(span)
    assert first.attributes["http.response.status_code"] == 429
    assert first.attributes["error.type"] == "429" and first.status.status_code is StatusCode.ERROR
    assert "http.request.resend_count" not in first.attributes
    assert second.attributes["http.response.status_code"] == 200
    assert second.attributes["http.request.resend_count"] == 1
    assert second.status.status_code is StatusCode.UNSET
    (duration,) = recorder.points("gen_ai.client.operation.duration")
    assert duration.count == 1 and "error.type" not in duration.attributes


async def test_a_failed_call_records_its_error_type(flavour: str, emulator: Emulator, recorder: Recorder) -> None:
    emulator.faults.add("server_error", times=None, status=500)
    client = make_client(flavour, emulator, telemetry=recorder.telemetry, max_retries=1)
    with pytest.raises(InternalServerError):
        await resolve(client.chat.completions.create(model="gpt-4o", messages=MESSAGES))
    await resolve(client.close())

    span = recorder.one("chat gpt-4o")
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "InternalServerError"
    assert "gen_ai.response.id" not in span.attributes
    attempts = recorder.children(span)
    assert [a.attributes["http.response.status_code"] for a in attempts] == [500, 500]
    assert [a.attributes.get("http.request.resend_count") for a in attempts] == [None, 1]
    (duration,) = recorder.points("gen_ai.client.operation.duration")
    assert duration.attributes["error.type"] == "InternalServerError"
    assert recorder.points("gen_ai.client.token.usage") == []  # no usage was reported


async def test_a_stream_span_ends_with_the_stream(flavour: str, emulator: Emulator, recorder: Recorder) -> None:
    client = make_client(flavour, emulator, telemetry=recorder.telemetry, api_version="2025-04-01-preview")
    stream = await resolve(
        client.chat.completions.create(
            model="gpt-4o", messages=MESSAGES, stream=True, stream_options={"include_usage": True}, n=2
        )
    )
    assert recorder.named("chat gpt-4o") == []  # the call goes on while the stream is read
    chunks = await collect(stream)
    await resolve(client.close())

    span = recorder.one("chat gpt-4o")
    usage = chunks[-1].usage
    assert usage is not None and usage.completion_tokens > 0
    attributes = span.attributes or {}
    assert attributes["gen_ai.request.stream"] is True
    assert attributes["gen_ai.request.choice.count"] == 2
    assert attributes["gen_ai.response.id"] == chunks[0].id
    assert attributes["gen_ai.response.model"] == chunks[0].model
    assert attributes["gen_ai.response.finish_reasons"] == ("stop", "stop")
    assert attributes["gen_ai.usage.input_tokens"] == usage.prompt_tokens
    assert attributes["gen_ai.usage.output_tokens"] == usage.completion_tokens
    assert attributes["gen_ai.response.time_to_first_chunk"] > 0
    assert span.status.status_code is StatusCode.UNSET
    tokens = {p.attributes["gen_ai.token.type"]: p.sum for p in recorder.points("gen_ai.client.token.usage")}
    assert tokens == {"input": usage.prompt_tokens, "output": usage.completion_tokens}


async def test_a_stream_left_early_ends_its_span(flavour: str, emulator: Emulator, recorder: Recorder) -> None:
    client = make_client(flavour, emulator, telemetry=recorder.telemetry)
    stream = await resolve(client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True))
    if flavour == "sync":
        first = next(iter(stream))
    else:
        first = await stream.__anext__()
    del stream  # dropped half-read, as `for chunk in stream: break` does
    gc.collect()
    span = recorder.one("chat gpt-4o")
    assert span.attributes["gen_ai.response.id"] == first.id
    assert "gen_ai.response.finish_reasons" not in span.attributes  # it never got that far

    closed = await resolve(client.chat.completions.create(model="gpt-4", messages=MESSAGES, stream=True))
    await resolve(closed.close())  # closed before reading anything
    assert recorder.one("chat gpt-4").status.status_code is StatusCode.UNSET
    await resolve(client.close())


async def test_a_stream_cut_mid_way_ends_its_span_with_the_error(
    flavour: str, emulator: Emulator, recorder: Recorder
) -> None:
    emulator.faults.add("cut_stream", after_chunks=2)
    client = make_client(flavour, emulator, telemetry=recorder.telemetry)
    stream = await resolve(client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True))
    with pytest.raises(Exception, match="incomplete"):
        await collect(stream)
    await resolve(client.close())
    span = recorder.one("chat gpt-4o")
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "IncompleteStreamError"
    (duration,) = recorder.points("gen_ai.client.operation.duration")
    assert duration.attributes["error.type"] == "IncompleteStreamError"


async def test_a_routed_fallback_shows_each_target_and_attempt(
    flavour: str, sites: dict[str, Emulator], recorder: Recorder
) -> None:
    east, west = sites["east"], sites["west"]
    east.faults.add("server_error", times=None, status=503)
    config = {
        "strategy": {"mode": "fallback"},
        "retry": {"attempts": 1, "on_status_codes": [503]},
        "targets": [azure_target(east, name="east"), azure_target(west, name="west")],
    }
    client = make_routed(flavour, config, telemetry=recorder.telemetry)
    reply = await resolve(client.chat.completions.create(model="gpt-4", messages=MESSAGES))
    await resolve(client.close())
    assert reply._route.target == "west"

    call = recorder.one("chat gpt-4")
    assert call.parent is None and call.status.status_code is StatusCode.UNSET
    assert call.attributes["server.port"] == west.port  # the target that answered
    assert call.attributes["gen_ai.provider.name"] == "azure.ai.openai"
    assert (call.attributes["azgate.route.target"], call.attributes["azgate.route.attempts"]) == ("west", 3)
    assert call.attributes["gen_ai.response.id"] == reply.id
    targets = recorder.children(call)
    assert [t.name for t in targets] == ["route east", "route east", "route west"]
    assert all(t.kind is SpanKind.INTERNAL for t in targets)
    assert [t.attributes.get("error.type") for t in targets] == ["InternalServerError", "InternalServerError", None]
    assert [t.attributes["server.port"] for t in targets] == [east.port, east.port, west.port]
    assert targets[0].attributes["azgate.route.path"] == "targets[0]"
    attempts = [recorder.children(t) for t in targets]
    assert [[a.attributes["http.response.status_code"] for a in group] for group in attempts] == [[503], [503], [200]]
    assert attempts[2][0].attributes["http.request.resend_count"] == 2  # the call's third attempt
    (duration,) = recorder.points("gen_ai.client.operation.duration")
    assert duration.attributes["server.port"] == west.port


async def test_a_routed_stream_to_openai_names_the_provider_that_served_it(
    flavour: str, sites: dict[str, Emulator], recorder: Recorder
) -> None:
    east, openai = sites["east"], sites["openai"]
    east.faults.add("rate_limit", times=None, retry_after_ms=10)
    config = {
        "strategy": {"mode": "fallback"},
        "targets": [azure_target(east), openai_target(openai, override_params={"model": "gpt-4o"})],
    }
    client = make_routed(flavour, config, telemetry=recorder.telemetry)
    stream = await resolve(client.chat.completions.create(model="gpt-4", messages=MESSAGES, stream=True))
    chunks = await collect(stream)
    await resolve(client.close())

    call = recorder.one("chat gpt-4")
    assert call.attributes["gen_ai.provider.name"] == "openai"
    assert call.attributes["server.port"] == openai.port
    assert call.attributes["gen_ai.response.model"] == chunks[0].model
    assert call.attributes["gen_ai.response.finish_reasons"] == ("stop",)
    east_span, openai_span = recorder.children(call)
    assert east_span.attributes["gen_ai.provider.name"] == "azure.ai.openai"
    assert east_span.attributes["gen_ai.request.model"] == "gpt-4"
    assert openai_span.attributes["gen_ai.provider.name"] == "openai"
    assert openai_span.attributes["gen_ai.request.model"] == "gpt-4o"  # after override_params


async def test_embeddings_record_their_input_tokens(flavour: str, emulator: Emulator, recorder: Recorder) -> None:
    client = make_client(flavour, emulator, telemetry=recorder.telemetry)
    result = await resolve(
        client.embeddings.create(model="text-embedding-ada-002", input=["a", "b"], encoding_format="float")
    )
    await resolve(client.close())
    span = recorder.one("embeddings text-embedding-ada-002")
    assert span.attributes["gen_ai.operation.name"] == "embeddings"
    assert span.attributes["gen_ai.request.encoding_formats"] == ("float",)
    assert span.attributes["gen_ai.usage.input_tokens"] == result.usage.prompt_tokens
    assert "gen_ai.usage.output_tokens" not in span.attributes
    tokens = {p.attributes["gen_ai.token.type"]: p.sum for p in recorder.points("gen_ai.client.token.usage")}
    assert tokens == {"input": result.usage.prompt_tokens}


async def test_completions_are_text_completion(flavour: str, emulator: Emulator, recorder: Recorder) -> None:
    client = make_client(flavour, emulator, telemetry=recorder.telemetry)
    result = await resolve(client.completions.create(model="gpt-35-turbo", prompt="Say hi", max_tokens=5))
    await resolve(client.close())
    span = recorder.one("text_completion gpt-35-turbo")
    assert span.attributes["gen_ai.request.max_tokens"] == 5
    assert span.attributes["gen_ai.response.finish_reasons"] == tuple(c.finish_reason for c in result.choices)


async def test_other_operations_get_a_plain_span_and_no_genai_metrics(
    flavour: str, emulator: Emulator, recorder: Recorder
) -> None:
    client = make_client(flavour, emulator, telemetry=recorder.telemetry)
    with pytest.raises(NotFoundError):
        await resolve(client.files.retrieve("file-missing"))
    await resolve(client.close())
    span = recorder.one("files.retrieve")
    assert span.kind is SpanKind.CLIENT
    assert span.attributes["azgate.operation"] == "files.retrieve"
    assert span.attributes["error.type"] == "NotFoundError"
    assert not any(key.startswith("gen_ai.") for key in span.attributes)
    assert recorder.points("gen_ai.client.operation.duration") == []


async def test_raw_responses_are_recorded_like_parsed_ones(
    flavour: str, emulator: Emulator, recorder: Recorder
) -> None:
    client = make_client(flavour, emulator, telemetry=recorder.telemetry)
    raw = await resolve(client.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES))
    await resolve(client.close())
    assert isinstance(raw, APIResponse)
    reply = raw.parse()
    span = recorder.one("chat gpt-4o")
    assert span.attributes["gen_ai.response.id"] == reply.id
    assert span.attributes["gen_ai.usage.output_tokens"] == reply.usage.completion_tokens


async def test_message_content_only_when_asked(flavour: str, emulator: Emulator) -> None:
    recorder = Recorder(capture_content=True)
    client = make_client(flavour, emulator, telemetry=recorder.telemetry)
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    reply = await resolve(client.chat.completions.create(model="gpt-4o", messages=messages))
    stream = await resolve(client.chat.completions.create(model="gpt-4", messages=messages, stream=True))
    chunks = await collect(stream)
    await resolve(client.close())

    span = recorder.one("chat gpt-4o")
    assert json.loads(span.attributes["gen_ai.input.messages"]) == [
        {"role": "system", "parts": [{"type": "text", "content": "Be brief."}]},
        {"role": "user", "parts": [{"type": "text", "content": "Hi"}]},
    ]
    assert json.loads(span.attributes["gen_ai.output.messages"]) == [
        {
            "role": "assistant",
            "parts": [{"type": "text", "content": reply.choices[0].message.content}],
            "finish_reason": "stop",
        }
    ]
    streamed = json.loads(recorder.one("chat gpt-4").attributes["gen_ai.output.messages"])
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert streamed == [{"role": "assistant", "parts": [{"type": "text", "content": text}], "finish_reason": "stop"}]
    recorder.shutdown()


async def test_with_options_keeps_or_drops_telemetry(flavour: str, emulator: Emulator, recorder: Recorder) -> None:
    client = make_client(flavour, emulator, telemetry=recorder.telemetry)
    copy = client.with_options(max_retries=0)
    quiet = client.with_options(telemetry=False)
    await resolve(copy.chat.completions.create(model="gpt-4o", messages=MESSAGES))
    await resolve(quiet.chat.completions.create(model="gpt-4", messages=MESSAGES))
    await resolve(client.close())
    assert len(recorder.named("chat gpt-4o")) == 1
    assert recorder.named("chat gpt-4") == []
    assert "_request" not in vars(quiet)  # nothing wraps its calls


def client_class(flavour: str) -> Any:
    return Client if flavour == "sync" else AsyncClient


def make_routed(flavour: str, config: dict[str, Any], **settings: Any) -> Any:
    return client_class(flavour)(config=config, **settings)


async def test_concurrent_calls_each_get_their_own_attempts(emulator: Emulator, recorder: Recorder) -> None:
    import asyncio
    import threading

    emulator.faults.add("rate_limit", times=1, retry_after_ms=10, operation="embeddings.create")
    client = make_client("async", emulator, telemetry=recorder.telemetry)
    await asyncio.gather(
        *(client.chat.completions.create(model="gpt-4o", messages=MESSAGES) for _ in range(4)),
        client.embeddings.create(model="text-embedding-ada-002", input="x"),
    )
    await client.close()
    sync_client = make_client("sync", emulator, telemetry=recorder.telemetry)
    threads = [
        threading.Thread(target=sync_client.chat.completions.create, kwargs={"model": "gpt-4", "messages": MESSAGES})
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sync_client.close()

    for call in [*recorder.named("chat gpt-4o"), *recorder.named("chat gpt-4")]:
        (attempt,) = recorder.children(call)
        assert attempt.attributes["http.response.status_code"] == 200
        assert "http.request.resend_count" not in attempt.attributes
    assert len(recorder.named("chat gpt-4o")) == len(recorder.named("chat gpt-4")) == 4
    embeddings = recorder.one("embeddings text-embedding-ada-002")
    assert [a.attributes["http.response.status_code"] for a in recorder.children(embeddings)] == [429, 200]


async def test_a_per_call_copy_of_a_routed_client_shares_its_targets_spans(
    flavour: str, sites: dict[str, Emulator], recorder: Recorder
) -> None:
    config = {"targets": [azure_target(sites["east"], name="east")]}
    client = client_class(flavour)(telemetry=recorder.telemetry).with_options(config=config)
    copy = client.with_options(metadata={"user": "a"})  # shares the routes and their targets
    await resolve(copy.chat.completions.create(model="gpt-4", messages=MESSAGES))
    await resolve(client.close())
    call = recorder.one("chat gpt-4")
    (target,) = recorder.children(call)
    assert target.name == "route east"
    (attempt,) = recorder.children(target)  # wrapped once, not once per copy
    assert attempt.attributes["http.response.status_code"] == 200
