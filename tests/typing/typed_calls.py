"""What mypy must infer for the calls users write (checked by test_typing.py, never run).

Each `assert_type` fails the check if a method's return type drifts (to Any, to a name,
to the wrong page or stream); each `type: ignore[...]` fails it if the error it silences
goes away (mypy's warn_unused_ignores), so a wrong call stays an error.
"""

from __future__ import annotations

from azgate import (
    APIResponse,
    AsyncClient,
    AsyncPage,
    AsyncPaginator,
    AsyncStream,
    AsyncStreamedAPIResponse,
    BinaryResponse,
    Client,
    Stream,
    StreamedAPIResponse,
    SyncPage,
)
from azgate.generated import models
from azgate.generated.models import CreateChatCompletionResponse as Completion
from azgate.generated.models import CreateChatCompletionStreamResponse as Chunk
from typing_extensions import assert_type

MESSAGES = [{"role": "user", "content": "Hi"}]


def sync_calls(client: Client, flag: bool) -> None:
    completion = client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert_type(completion, Completion)
    assert_type(completion._request_id, str | None)
    assert_type(client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=False), Completion)
    stream = client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True)
    assert_type(stream, Stream[Chunk])
    for chunk in stream:
        assert_type(chunk, Chunk)
    assert_type(
        client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=flag), Completion | Stream[Chunk]
    )

    assert_type(client.embeddings.create(model="ada", input="Hi"), models.EmbeddingsCreateResponse)
    assert_type(client.images.generate(model="dall-e-3", prompt="a cat"), models.GenerateImagesResponse)
    assert_type(client.audio.speech.create(model="tts", input="Hi", voice="alloy"), BinaryResponse)
    assert_type(client.audio.transcriptions.create(model="whisper", file=b"..."), models.AudioVerboseResponse | str)

    page = client.files.list()
    assert_type(page, SyncPage[models.File])
    assert_type(page.data, list[models.File])
    for file in page:
        assert_type(file, models.File)
    assert_type(client.files.retrieve("file-abc"), models.File)
    assert_type(client.files.retrieve(file_id="file-abc"), models.File)
    assert_type(client.files.delete("file-abc"), models.FileDelete | None)
    assert_type(client.batches.cancel("batch-abc"), models.Batch)
    assert_type(client.fine_tuning.jobs.retrieve("ftjob-abc"), models.FineTuningJob)
    assert_type(client.fine_tuning.jobs.delete("ftjob-abc"), None)
    assert_type(client.beta.threads.runs.retrieve("run-abc", thread_id="thread-abc"), models.RunObject)
    run_events = client.beta.threads.runs.create("thread-abc", assistant_id="asst-abc", stream=True)
    for run_event in run_events:  # the member classes, not the union's RootModel
        if isinstance(run_event, models.MessageStreamEventThreadMessageDelta):
            assert_type(run_event.data, models.MessageDeltaObject)
    events = client.responses.create(model="gpt-4o", input="Hi", stream=True)
    for event in events:
        if event.type == "response.output_text.delta":  # narrowed by its Literal tag, as in openai-python
            assert_type(event, models.ResponseTextDeltaEvent)
            assert_type(event.delta, str)

    raw = client.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES)
    assert_type(raw, APIResponse[Completion])
    assert_type(raw.parse(), Completion)
    assert_type(raw.status_code, int)
    assert_type(raw.request_id, str | None)
    raw_stream = client.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES, stream=True)
    assert_type(raw_stream.parse(), Stream[Chunk])
    assert_type(client.files.with_raw_response.list().parse(), SyncPage[models.File])
    assert_type(client.chat.with_raw_response.completions.create(model="m", messages=MESSAGES).parse(), Completion)
    with client.chat.completions.with_streaming_response.create(model="gpt-4o", messages=MESSAGES) as response:
        assert_type(response, StreamedAPIResponse[Completion])
        assert_type(response.parse(), Completion)
    with client.audio.speech.with_streaming_response.create(model="tts", input="Hi", voice="alloy") as audio:
        assert_type(audio.parse(), BinaryResponse)

    client.files.retrieve(123)  # type: ignore[arg-type]
    client.batches.cancel()  # type: ignore[call-arg]
    client.files.list(purpose="batch", extra="x")  # type: ignore[call-arg]


async def async_calls(client: AsyncClient, flag: bool) -> None:
    completion = await client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert_type(completion, Completion)
    stream = await client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True)
    assert_type(stream, AsyncStream[Chunk])
    async for chunk in stream:
        assert_type(chunk, Chunk)
    async for event in await client.responses.create(model="gpt-4o", input="Hi", stream=True):
        if event.type == "response.completed":
            assert_type(event, models.ResponseCompletedEvent)
    either = await client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=flag)
    assert_type(either, Completion | AsyncStream[Chunk])

    assert_type(await client.embeddings.create(model="ada", input="Hi"), models.EmbeddingsCreateResponse)
    assert_type(await client.images.generate(model="dall-e-3", prompt="a cat"), models.GenerateImagesResponse)
    assert_type(await client.audio.speech.create(model="tts", input="Hi", voice="alloy"), BinaryResponse)

    assert_type(client.files.list(), AsyncPaginator[models.File])
    page = await client.files.list()
    assert_type(page, AsyncPage[models.File])
    async for file in client.files.list():
        assert_type(file, models.File)
    assert_type(await client.files.retrieve("file-abc"), models.File)
    assert_type(await client.batches.cancel("batch-abc"), models.Batch)

    raw = await client.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES)
    assert_type(raw, APIResponse[Completion])
    assert_type(raw.parse(), Completion)
    assert_type((await client.files.with_raw_response.list()).parse(), AsyncPage[models.File])
    async with client.chat.completions.with_streaming_response.create(
        model="gpt-4o", messages=MESSAGES, stream=True
    ) as response:
        assert_type(response, AsyncStreamedAPIResponse[AsyncStream[Chunk]])
        assert_type(await response.parse(), AsyncStream[Chunk])
    async with client.files.with_streaming_response.list() as listing:
        assert_type(await listing.parse(), AsyncPage[models.File])

    await client.files.retrieve(123)  # type: ignore[arg-type]


def client_level_views(client: Client) -> None:
    raw = client.with_raw_response.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert_type(raw, APIResponse[Completion])
    with client.with_streaming_response.chat.completions.create(model="gpt-4o", messages=MESSAGES) as response:
        assert_type(response, StreamedAPIResponse[Completion])
    assert_type(client.copy(max_retries=1), Client)
    assert_type(client.max_retries, int)


def clients_built_with_an_http_client() -> None:
    """httpx clients, and httpx2's (as openai-python 3.x code passes), of the same flavour."""
    import httpx
    import httpx2

    Client(http_client=httpx.Client(), api_key="k", resource_name="r", api_version="2024-10-21")
    Client(http_client=httpx2.Client(), api_key="k", resource_name="r", api_version="2024-10-21")
    AsyncClient(http_client=httpx2.AsyncClient(), api_key="k", resource_name="r", api_version="2024-10-21")
    Client(http_client=httpx2.AsyncClient())  # type: ignore[arg-type]


def errors_and_azure_fields(client: Client) -> None:
    from typing import Any

    from azgate import APIError, BadRequestError

    try:
        completion = client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
        assert_type(completion.model_extra, dict[str, Any] | None)
    except BadRequestError as error:
        assert_type(error.code, str | None)
        assert_type(error.param, str | None)
        assert_type(error.type, str | None)
        assert_type(error.body, object | None)
        assert_type(error.status_code, int)
    except APIError as error:
        assert_type(error.type, str | None)
