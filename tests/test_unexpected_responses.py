"""A 2xx that is not what the operation returns is an APIResponseValidationError, never a
str, None or bytes the signature does not promise; and the response headers reach
`with_raw_response` and `_request_id` as sent. Against a small server of our own on
127.0.0.1 that answers whatever each test tells it to (the emulator answers correctly)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pydantic
import pytest
from answering_server import Answer, AnsweringServer, json_answer
from azgate import AsyncClient, BinaryResponse, Client
from azgate.exceptions import APIError, APIResponseValidationError
from azgate.generated import models
from helpers import collect, resolve

VERSION = "2025-04-01-preview"
MESSAGES = [{"role": "user", "content": "Hi"}]
COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "gpt-4",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop", "logprobs": None}
    ],
}
HTML = b"<html><body>Sign in to continue</body></html>"


@pytest.fixture
def server() -> Iterator[AnsweringServer]:
    s = AnsweringServer()
    yield s
    s.close()


@pytest.fixture
async def client(flavour: str, server: AnsweringServer) -> Any:
    settings = {"api_key": "k", "azure_endpoint": server.url, "api_version": VERSION, "max_retries": 0}
    c = Client(**settings) if flavour == "sync" else AsyncClient(**settings)
    yield c
    await resolve(c.close())


def chat(client: Any, **kwargs: Any) -> Any:
    return client.chat.completions.create(model="gpt-4", messages=MESSAGES, **kwargs)


# -- what the operation does not return is an error -----------------------------------


async def test_html_for_a_json_operation(client: Any, server: AnsweringServer) -> None:
    server.answer = Answer(body=HTML, content_type="text/html; charset=utf-8")
    with pytest.raises(APIResponseValidationError) as caught:
        await resolve(chat(client))
    error = caught.value
    assert str(error) == (
        "chat.completions.create expected JSON (CreateChatCompletionResponse), but the service answered 200 "
        "with content type 'text/html; charset=utf-8'."
    )
    assert error.status_code == 200 and error.body == HTML.decode()


async def test_json_without_a_content_type(client: Any, server: AnsweringServer) -> None:
    server.answer = Answer(body=json.dumps(COMPLETION).encode(), content_type=None)
    with pytest.raises(APIResponseValidationError, match="answered 200 with no content type") as caught:
        await resolve(chat(client))
    assert caught.value.body == COMPLETION


@pytest.mark.parametrize(
    "answer",
    [Answer(status=204, content_type=None), Answer(status=200), Answer(status=202, content_type="application/json")],
    ids=["204", "200-empty", "202-empty"],
)
async def test_no_content_where_a_model_is_expected(client: Any, server: AnsweringServer, answer: Answer) -> None:
    server.answer = answer
    with pytest.raises(APIResponseValidationError, match=rf"answered {answer.status} with .*an empty body") as caught:
        await resolve(chat(client))
    assert caught.value.body is None


async def test_html_for_a_transcription(client: Any, server: AnsweringServer) -> None:
    server.answer = Answer(body=HTML, content_type="text/html")
    with pytest.raises(
        APIResponseValidationError, match=r"expected JSON .AudioVerboseResponse. or text, .* 'text/html'"
    ):
        await resolve(client.audio.transcriptions.create(model="whisper", file=("a.wav", b"RIFF")))


async def test_no_content_for_speech(client: Any, server: AnsweringServer) -> None:
    server.answer = Answer(status=204, content_type=None)
    with pytest.raises(APIResponseValidationError, match=r"audio\.speech\.create expected a body, but .* 204"):
        await resolve(client.audio.speech.create(model="tts", input="Hi", voice="alloy"))


async def test_json_for_a_stream(client: Any, server: AnsweringServer) -> None:
    server.answer = json_answer(COMPLETION)
    with pytest.raises(
        APIResponseValidationError, match=r"expected server-sent events .* 'application/json'"
    ) as caught:
        await collect(await resolve(chat(client, stream=True)))
    assert caught.value.body == COMPLETION


async def test_html_through_with_raw_response_fails_at_parse(client: Any, server: AnsweringServer) -> None:
    server.answer = Answer(body=HTML, content_type="text/html", headers={"x-request-id": "req-html"})
    raw = await resolve(client.chat.completions.with_raw_response.create(model="gpt-4", messages=MESSAGES))
    assert raw.status_code == 200 and raw.request_id == "req-html" and raw.text == HTML.decode()
    with pytest.raises(APIResponseValidationError, match="content type 'text/html'"):
        raw.parse()


# -- what the operation returns -----------------------------------------------------------


async def test_legitimate_no_content_is_none(client: Any, server: AnsweringServer) -> None:
    server.answer = Answer(status=204, content_type=None)
    assert await resolve(client.files.delete("file-1")) is None
    assert await resolve(client.fine_tuning.jobs.delete("ftjob-1")) is None
    # An operation that answers with nothing returns None whatever a server sends.
    server.answer = json_answer({"id": "ftjob-1", "deleted": True})
    assert await resolve(client.fine_tuning.jobs.delete("ftjob-1")) is None
    assert await resolve(client.responses.delete("resp-1")) is None


async def test_each_declared_kind(client: Any, server: AnsweringServer) -> None:
    server.answer = json_answer({"id": "file-1", "object": "file", "deleted": True}, **{"x-request-id": "req-del"})
    deleted = await resolve(client.files.delete("file-1"))
    assert isinstance(deleted, models.FileDelete) and deleted.deleted and deleted._request_id == "req-del"
    server.answer = Answer(body=b"hello\n", content_type="text/plain; charset=utf-8")
    text = await resolve(client.audio.transcriptions.create(model="whisper", file=("a.wav", b"RIFF")))
    assert text == "hello\n"
    server.answer = Answer(body=b"WEBVTT\n", content_type="text/vtt")
    assert await resolve(client.audio.transcriptions.create(model="whisper", file=("a.wav", b"RIFF"))) == "WEBVTT\n"
    server.answer = Answer(body=b"\xff\xfb\x90\x00", content_type="audio/mpeg")
    audio = await resolve(client.audio.speech.create(model="tts", input="Hi", voice="alloy"))
    assert isinstance(audio, BinaryResponse) and audio.content == b"\xff\xfb\x90\x00"
    server.answer = Answer(body=b"", content_type="application/octet-stream")
    assert (await resolve(client.files.content("file-empty"))).content == b""  # an empty file is content


# -- headers ---------------------------------------------------------------------------------


async def test_request_id_prefers_x_request_id_then_apim(client: Any, server: AnsweringServer) -> None:
    server.answer = json_answer(COMPLETION, **{"x-request-id": "req-1", "apim-request-id": "apim-1"})
    assert (await resolve(chat(client)))._request_id == "req-1"
    server.answer = json_answer(COMPLETION, **{"apim-request-id": "apim-2"})
    assert (await resolve(chat(client)))._request_id == "apim-2"
    server.answer = json_answer(COMPLETION)
    assert (await resolve(chat(client)))._request_id is None


async def test_raw_response_headers_match_openai_python(flavour: str, client: Any, server: AnsweringServer) -> None:
    headers = {"x-request-id": "req-7", "apim-request-id": "apim-7", "x-ratelimit-remaining-requests": "41"}
    server.answer = json_answer(COMPLETION, **headers)
    settings = {"api_key": "k", "azure_endpoint": server.url, "api_version": VERSION, "max_retries": 0}
    theirs = openai.AzureOpenAI(**settings) if flavour == "sync" else openai.AsyncAzureOpenAI(**settings)
    their_raw = await resolve(theirs.chat.completions.with_raw_response.create(model="gpt-4", messages=MESSAGES))
    our_raw = await resolve(client.chat.completions.with_raw_response.create(model="gpt-4", messages=MESSAGES))
    assert our_raw.status_code == their_raw.status_code == 200
    assert dict(our_raw.headers) | {"date": ""} == dict(their_raw.headers) | {"date": ""}
    assert our_raw.headers["x-ratelimit-remaining-requests"] == "41"
    assert our_raw.request_id == their_raw.request_id == "req-7"
    ours, expected = our_raw.parse(), their_raw.parse()
    assert ours.to_dict() == expected.to_dict() and ours._request_id == expected._request_id == "req-7"
    await resolve(theirs.close())


# -- assistants runs stream their events ---------------------------------------------------

RUN = {
    "id": "run_1",
    "object": "thread.run",
    "created_at": 1,
    "thread_id": "thread_1",
    "assistant_id": "asst_1",
    "status": "queued",
    "required_action": None,
    "last_error": None,
    "expires_at": None,
    "started_at": None,
    "cancelled_at": None,
    "failed_at": None,
    "completed_at": None,
    "model": "gpt-4",
    "instructions": "",
    "tools": [],
    "metadata": {},
}
DELTA = {
    "id": "msg_1",
    "object": "thread.message.delta",
    "delta": {"content": [{"index": 0, "type": "text", "text": {"value": "Hel"}}]},
}


def run_events(*events: tuple[str, object]) -> Answer:
    body = "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)
    return Answer(body=(body + "event: done\ndata: [DONE]\n\n").encode(), content_type="text/event-stream")


def run_stream_calls(client: Any) -> list[Any]:
    return [
        lambda: client.beta.threads.runs.create("thread_1", assistant_id="asst_1", stream=True),
        lambda: client.beta.threads.create_and_run(assistant_id="asst_1", stream=True),
        lambda: client.beta.threads.runs.submit_tool_outputs(
            "run_1", thread_id="thread_1", tool_outputs=[], stream=True
        ),
    ]


async def stream_run(client: Any, server: AnsweringServer, call: Any) -> list[Any]:
    # What the Assistants API sends: the event's name on `event:`, only the object in `data:`.
    server.answer = run_events(
        ("thread.run.created", RUN),
        ("thread.message.delta", DELTA),
        ("thread.run.completed", {**RUN, "status": "completed", "completed_at": 2}),
    )
    events = await collect(await resolve(call()))
    assert json.loads(server.requests[-1][2])["stream"] is True
    return events


async def test_a_run_streams_its_events_named_on_the_event_line(client: Any, server: AnsweringServer) -> None:
    for call in run_stream_calls(client):
        events = await stream_run(client, server, call)
        assert [e.event for e in events] == ["thread.run.created", "thread.message.delta", "thread.run.completed"]
        assert [e.data.id for e in events] == ["run_1", "msg_1", "run_1"]


async def test_a_run_streams_the_event_classes(client: Any, server: AnsweringServer) -> None:
    created, delta, completed = await stream_run(client, server, run_stream_calls(client)[0])
    assert isinstance(created, models.RunStreamEventThreadRunCreated) and isinstance(created.data, models.RunObject)
    assert isinstance(delta, models.MessageStreamEventThreadMessageDelta)
    assert delta.data.delta.content[0].text.value == "Hel"
    assert isinstance(completed, models.RunStreamEventThreadRunCompleted) and completed.data.status == "completed"


async def test_a_run_stream_event_of_an_unknown_name_is_a_plain_model(client: Any, server: AnsweringServer) -> None:
    server.answer = run_events(("thread.run.created", RUN), ("thread.run.future_event", {"id": "x_1"}))
    created, unknown = await collect(await resolve(run_stream_calls(client)[0]()))
    assert isinstance(created, models.RunStreamEventThreadRunCreated)
    assert not isinstance(unknown, pydantic.RootModel)
    assert unknown.event == "thread.run.future_event" and unknown.data == {"id": "x_1"}


async def test_a_run_stream_that_reports_an_error_raises(client: Any, server: AnsweringServer) -> None:
    error = {"code": "server_error", "message": "Sorry, something went wrong."}
    server.answer = Answer(
        body=f"event: thread.run.created\ndata: {json.dumps(RUN)}\n\nevent: error\ndata: {json.dumps(error)}\n\n".encode(),
        content_type="text/event-stream",
    )
    stream = await resolve(client.beta.threads.runs.create("thread_1", assistant_id="asst_1", stream=True))
    with pytest.raises(APIError, match="Sorry, something went wrong"):
        await collect(stream)
