"""openai-python's call shapes, over HTTP against the emulator, sync and async: path ids
positional or keyword, async lists awaitable and async-iterable, `with_raw_response` and
`with_streaming_response` on every resource, `_request_id` on results."""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import openai
import pytest
from azgate import APIResponse, AsyncClient, AsyncStreamedAPIResponse, BinaryResponse, Client, StreamedAPIResponse
from azgate.generated import models
from azgate.testing import Emulator
from helpers import API_VERSION, collect, make_client, resolve
from operations.media_checks import mp3_frames

MESSAGES = [{"role": "user", "content": "Hi there"}]
JSONL = b'{"a": 1}\n'
TRAINING = b'{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}\n'
PAGED = "2025-04-01-preview"  # files.list takes limit/after from 2025-03-01-preview on


async def upload(client: Any, purpose: str = "batch", data: bytes = JSONL) -> Any:
    return await resolve(client.files.create(file=("data.jsonl", data), purpose=purpose))


# -- path ids ---------------------------------------------------------------------


async def test_the_innermost_path_id_is_positional_or_keyword(client: Any, emulator: Emulator) -> None:
    file = await upload(client)
    assert (await resolve(client.files.retrieve(file.id))).id == file.id
    assert (await resolve(client.files.retrieve(file_id=file.id))).id == file.id
    assert (await resolve(client.files.content(file.id))).content == JSONL

    batch = await resolve(
        client.batches.create(input_file_id=file.id, endpoint="/chat/completions", completion_window="24h")
    )
    assert (await resolve(client.batches.retrieve(batch.id))).id == batch.id
    assert (await resolve(client.batches.cancel(batch.id))).status in ("cancelling", "cancelled")

    emulator.store.tick = 0
    training = await upload(client, "fine-tune", TRAINING)
    job = await resolve(client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=training.id))
    assert (await resolve(client.fine_tuning.jobs.retrieve(job.id))).id == job.id
    assert (await resolve(client.fine_tuning.jobs.retrieve(fine_tuning_job_id=job.id))).id == job.id
    assert (await collect(await resolve(client.fine_tuning.jobs.list_events(job.id))))[
        0
    ].object == "fine_tuning.job.event"

    assert (await resolve(client.files.delete(file.id))).deleted is True
    with pytest.raises(TypeError):
        client.files.retrieve(file.id, file.id)  # one positional id, no more


async def test_parent_ids_stay_keyword_only(flavour: str, emulator: Emulator) -> None:
    beta = make_client(flavour, emulator, api_version="2025-04-01-preview")
    assistant = await resolve(beta.beta.assistants.create(model="gpt-4"))
    thread = await resolve(beta.beta.threads.create(messages=MESSAGES))
    run = await resolve(beta.beta.threads.runs.create(thread.id, assistant_id=assistant.id))
    assert (await resolve(beta.beta.threads.runs.retrieve(run.id, thread_id=thread.id))).id == run.id
    with pytest.raises(TypeError):
        beta.beta.threads.runs.retrieve(thread.id, run.id)  # as in openai-python: thread_id= is keyword-only
    await resolve(beta.close())


# -- async lists --------------------------------------------------------------------


async def test_async_list_is_awaitable_and_iterates_every_page(emulator: Emulator) -> None:
    client = AsyncClient(api_key=emulator.api_key, azure_endpoint=emulator.endpoint, api_version=PAGED)
    ids = [(await upload(client)).id for _ in range(5)]
    before = emulator.stats.count()
    listing = client.files.list(limit=2)
    assert emulator.stats.count() == before  # nothing sent until awaited or iterated
    page = await listing
    assert [f.id for f in page.data] == ids[::-1][:2] and page.has_more and page.has_next_page()
    second = await page.get_next_page()
    assert [f.id for f in second.data] == ids[::-1][2:4]
    assert [f.id async for f in client.files.list(limit=2)] == ids[::-1]  # 3 pages
    assert [f.id async for f in listing] == ids[::-1]  # the paginator can be used again
    assert page._request_id == page.page._request_id and page._request_id
    await client.close()


def test_sync_list_iterates_every_page(emulator: Emulator) -> None:
    with Client(api_key=emulator.api_key, azure_endpoint=emulator.endpoint, api_version=PAGED) as client:
        ids = [client.files.create(file=("a.jsonl", JSONL), purpose="batch").id for _ in range(3)]
        page = client.files.list(limit=2)
        assert [f.id for f in page] == ids[::-1]
        last = page.get_next_page()
        assert [f.id for f in last.data] == ids[:1] and not last.has_next_page()


# -- request ids ----------------------------------------------------------------------


async def test_results_pages_and_streams_carry_the_request_id(client: Any) -> None:
    # Which header wins is tested with headers of our own in test_unexpected_responses.py.
    first = await resolve(client.chat.completions.create(model="gpt-4", messages=MESSAGES))
    second = await resolve(client.chat.completions.create(model="gpt-4", messages=MESSAGES))
    assert first._request_id and second._request_id and first._request_id != second._request_id
    assert first.choices[0]._request_id is None  # only the top object
    assert (await resolve(client.files.list()))._request_id
    stream = await resolve(client.chat.completions.create(model="gpt-4", messages=MESSAGES, stream=True))
    assert stream.request_id
    await collect(stream)


# -- with_raw_response ----------------------------------------------------------------


async def test_raw_response_gives_status_headers_and_the_typed_result(client: Any) -> None:
    raw = await resolve(client.chat.completions.with_raw_response.create(model="gpt-4", messages=MESSAGES))
    assert isinstance(raw, APIResponse) and raw.status_code == 200
    assert isinstance(raw.http_response, httpx.Response) and raw.http_response.is_closed
    assert (
        raw.headers["content-type"].startswith("application/json") and raw.request_id == raw.headers["apim-request-id"]
    )
    assert raw.method == "POST" and raw.url.path == "/openai/deployments/gpt-4/chat/completions"
    completion = raw.parse()
    assert isinstance(completion, models.CreateChatCompletionResponse)
    assert completion.choices[0].message.content == "You said: Hi there"
    assert completion._request_id == raw.request_id and raw.parse() is completion
    assert raw.json()["id"] == completion.id and completion.id.encode() in raw.content


async def test_raw_response_of_a_stream_parses_to_the_stream(client: Any) -> None:
    raw = await resolve(client.chat.completions.with_raw_response.create(model="gpt-4", messages=MESSAGES, stream=True))
    assert raw.headers["content-type"].startswith("text/event-stream") and not raw.http_response.is_stream_consumed
    chunks = await collect(raw.parse())
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "You said: Hi there"


async def test_raw_response_of_lists_binaries_and_nested_resources(client: Any) -> None:
    file = await upload(client)
    raw_page = await resolve(client.files.with_raw_response.list())
    assert raw_page.status_code == 200 and [f.id for f in raw_page.parse().data] == [file.id]
    raw_content = await resolve(client.files.with_raw_response.content(file.id))
    assert isinstance(raw_content.parse(), BinaryResponse) and raw_content.parse().content == JSONL
    # Reached from the parent's view, as openai-python allows.
    nested = await resolve(client.chat.with_raw_response.completions.create(model="gpt-4", messages=MESSAGES))
    assert nested.status_code == 200 and nested.parse().object == "chat.completion"


async def test_raw_response_is_the_same_through_openai_python(flavour: str, emulator: Emulator) -> None:
    settings = {"api_key": emulator.api_key, "azure_endpoint": emulator.endpoint, "api_version": API_VERSION}
    theirs = (openai.AzureOpenAI if flavour == "sync" else openai.AsyncAzureOpenAI)(**settings)
    ours = make_client(flavour, emulator)
    calls = [
        lambda c: c.chat.completions.with_raw_response.create(model="gpt-4", messages=MESSAGES, n=2),
        lambda c: c.embeddings.with_raw_response.create(model="text-embedding-ada-002", input="Hi there"),
        lambda c: c.models.with_raw_response.list(),
    ]
    for call in calls:
        their_raw, our_raw = await resolve(call(theirs)), await resolve(call(ours))
        assert our_raw.status_code == their_raw.status_code == 200
        assert our_raw.headers.keys() == their_raw.headers.keys()
        assert our_raw.request_id and our_raw.request_id == our_raw.headers["apim-request-id"]
        their_result, our_result = their_raw.parse(), our_raw.parse()
        if hasattr(our_result, "to_dict"):
            expected = their_result.to_dict()
            mine = our_result.to_dict()
            for volatile in ("id", "created", "system_fingerprint"):
                expected.pop(volatile, None), mine.pop(volatile, None)
            assert mine == expected
        else:  # a page
            assert [m.id for m in our_result.data] == [m.id for m in their_result.data]
    await resolve(theirs.close())
    await resolve(ours.close())


# -- with_streaming_response ------------------------------------------------------------


async def test_streaming_response_reads_the_body_only_when_asked(client: Any) -> None:
    manager = client.chat.completions.with_streaming_response.create(model="gpt-4", messages=MESSAGES)
    if isinstance(client, Client):
        with manager as response:
            assert isinstance(response, StreamedAPIResponse) and response.status_code == 200
            assert not response.http_response.is_stream_consumed
            text = "".join(response.iter_lines())
            assert response.http_response.is_stream_consumed
        assert response.is_closed and '"You said: Hi there"' in text
        with client.chat.completions.with_streaming_response.create(model="gpt-4", messages=MESSAGES) as response:
            completion = response.parse()
    else:
        async with manager as response:
            assert isinstance(response, AsyncStreamedAPIResponse) and response.status_code == 200
            assert not response.http_response.is_stream_consumed
            text = "".join([line async for line in response.iter_lines()])
        assert response.is_closed and '"You said: Hi there"' in text
        async with client.chat.completions.with_streaming_response.create(model="gpt-4", messages=MESSAGES) as response:
            completion = await response.parse()
    assert completion.choices[0].message.content == "You said: Hi there"
    assert completion._request_id == response.request_id


async def test_streaming_response_of_a_stream_and_of_speech(client: Any, emulator: Emulator) -> None:
    async def body_of(manager: Any, lines: bool) -> Any:
        if isinstance(client, Client):
            with manager as response:
                return list(response.iter_lines() if lines else response.iter_bytes()), response
        async with manager as response:
            reader = response.iter_lines() if lines else response.iter_bytes()
            return [part async for part in reader], response

    events, _ = await body_of(
        client.chat.completions.with_streaming_response.create(model="gpt-4", messages=MESSAGES, stream=True), True
    )
    assert events[0].startswith("data: {") and "data: [DONE]" in events
    speech = make_client("sync" if isinstance(client, Client) else "async", emulator, api_version=PAGED)
    audio, response = await body_of(
        speech.audio.speech.with_streaming_response.create(model="tts", input="Hi", voice="alloy"), False
    )
    await resolve(speech.close())
    assert response.headers["content-type"] == "audio/mpeg" and mp3_frames(b"".join(audio)) >= 1


def test_nothing_is_sent_until_the_streaming_block_is_entered(emulator: Emulator) -> None:
    with Client(api_key=emulator.api_key, azure_endpoint=emulator.endpoint, api_version=API_VERSION) as client:
        before = emulator.stats.count()
        manager = client.models.with_streaming_response.list()
        assert emulator.stats.count() == before
        with manager as response:
            assert emulator.stats.count() == before + 1
            assert [m.id for m in response.parse().data]


# -- every resource ---------------------------------------------------------------------


def _resources(node: Any, path: str) -> list[tuple[str, Any]]:
    found = [(path, node)]
    for name, value in inspect.getmembers(type(node)):
        if name.startswith("_") or name in ("with_raw_response", "with_streaming_response"):
            continue
        if isinstance(value, property) or hasattr(value, "func"):  # cached_property: a child resource
            found += _resources(getattr(node, name), f"{path}.{name}")
    return found


@pytest.mark.parametrize("client_cls", [Client, AsyncClient])
def test_every_resource_has_both_views_with_every_method(client_cls: Any) -> None:
    client = client_cls(api_key="k", azure_endpoint="http://127.0.0.1:9", api_version=API_VERSION)
    views = {"with_raw_response", "with_streaming_response"}  # the client's own views (tested below)
    roots = [
        name
        for name, value in inspect.getmembers(client_cls)
        if hasattr(value, "func") and not name.startswith("_") and name not in views
    ]
    resources = [r for root in roots for r in _resources(getattr(client, root), root)]
    assert len(resources) > 40
    for path, resource in resources:
        # The generated operations (the hand-written helpers a resource inherits, such as
        # parse() and stream(), are not operations and have no views: codegen/_mixins.py).
        methods = {n for n, v in vars(type(resource)).items() if inspect.isfunction(v) and not n.startswith("_")}
        for view in (resource.with_raw_response, resource.with_streaming_response):
            assert {n for n in methods if callable(getattr(view, n, None))} == methods, path


# -- the client's own attributes ----------------------------------------------------------


async def test_client_level_views_reach_every_resources_view(client: Any) -> None:
    raw = await resolve(client.with_raw_response.chat.completions.create(model="gpt-4", messages=MESSAGES))
    assert isinstance(raw, APIResponse) and raw.status_code == 200 and raw.parse().object == "chat.completion"
    assert (await resolve(client.with_raw_response.models.list())).parse().data
    manager = client.with_streaming_response.chat.completions.create(model="gpt-4", messages=MESSAGES)
    if isinstance(client, Client):
        with manager as streamed:
            assert streamed.parse().object == "chat.completion"
    else:
        async with manager as streamed:
            assert (await streamed.parse()).object == "chat.completion"


async def test_client_attributes_read_as_in_openai_python(flavour: str, emulator: Emulator) -> None:
    settings = {
        "api_key": emulator.api_key,
        "azure_endpoint": emulator.endpoint,
        "api_version": API_VERSION,
        "max_retries": 4,
        "timeout": 30.0,
        "default_headers": {"x-team": "search"},
        "default_query": {"trace": "1"},
    }
    theirs = (openai.AzureOpenAI if flavour == "sync" else openai.AsyncAzureOpenAI)(**settings)
    ours = make_client(flavour, emulator, **{k: v for k, v in settings.items() if k != "api_version"})
    assert ours.max_retries == theirs.max_retries == 4
    assert ours.timeout.read == 30.0 and theirs.timeout == 30.0
    assert ours.default_headers["x-team"] == theirs.default_headers["x-team"] == "search"
    assert emulator.api_key not in str(ours.default_headers)  # credentials are not default headers
    gateway = make_client(flavour, emulator, default_headers={"Ocp-Apim-Subscription-Key": "sub-secret"})
    assert "sub-secret" not in str(gateway.default_headers)  # sent, but not shown
    await resolve(gateway.close())
    assert ours.default_query["trace"] == theirs.default_query["trace"] == "1"
    assert ours.user_agent.startswith("azgate/")
    copied = ours.copy(max_retries=1)  # openai-python's name for with_options
    assert type(copied) is type(ours) and copied.max_retries == 1 and ours.max_retries == 4
    assert not ours.is_closed() and not theirs.is_closed()
    await resolve(ours.close())
    await resolve(theirs.close())
    assert ours.is_closed() and theirs.is_closed()
