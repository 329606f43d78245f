"""Preview families against the emulator: responses, stored completions, realtime
sessions, the On Your Data extension, evals and ingestion jobs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from azgate.exceptions import NotFoundError
from azgate.generated import models
from azgate.testing import Emulator
from helpers import collect, make_client, resolve

USER = [{"role": "user", "content": "Hello"}]


@pytest.fixture
async def preview(flavour: str, emulator: Emulator) -> Any:
    client = make_client(flavour, emulator, api_version="2025-04-01-preview")
    yield client
    await resolve(client.close())


async def test_responses(preview: Any) -> None:
    response = await resolve(preview.responses.create(model="gpt-4o", input="Hi there"))
    assert isinstance(response, models.Response) and response.status == "completed"
    assert response.output[0].content[0].text == "You said: Hi there"
    assert (await resolve(preview.responses.retrieve(response_id=response.id))).id == response.id
    items = await collect(await resolve(preview.responses.input_items.list(response_id=response.id)))
    assert items[0].role == "user" and items[0].content[0].text == "Hi there"
    # The spec (as openai-python) says delete answers with nothing: the body the service
    # may send is not a result.
    assert await resolve(preview.responses.delete(response.id)) is None
    with pytest.raises(NotFoundError):
        await resolve(preview.responses.retrieve(response_id=response.id))


async def test_stored_completions(preview: Any) -> None:
    made = await resolve(preview.chat.completions.create(model="gpt-4", messages=USER, store=True, metadata={"a": "1"}))
    await resolve(preview.chat.completions.create(model="gpt-4", messages=USER))  # not stored
    listed = await collect(await resolve(preview.chat.completions.stored.list()))
    assert [s.id for s in listed] == [made.id]
    got = await resolve(preview.chat.completions.stored.retrieve(stored_completion_id=made.id))
    assert got.metadata == {"a": "1"} and got.choices[0].message.content == "You said: Hello"
    updated = await resolve(preview.chat.completions.stored.update(stored_completion_id=made.id, metadata={"a": "2"}))
    assert updated.metadata == {"a": "2"}
    messages = await collect(await resolve(preview.chat.completions.stored.messages.list(stored_completion_id=made.id)))
    assert [m.content for m in messages] == ["Hello"]
    assert (await resolve(preview.chat.completions.stored.delete(stored_completion_id=made.id))).deleted is True
    with pytest.raises(NotFoundError):
        await resolve(preview.chat.completions.stored.retrieve(stored_completion_id=made.id))


async def test_realtime_sessions_mint_ephemeral_keys(preview: Any) -> None:
    session = await resolve(preview.beta.realtime.sessions.create(model="gpt-4o", voice="verse"))
    assert session.client_secret.value.startswith("ek_") and session.voice == "verse"
    transcription = await resolve(preview.beta.realtime.transcription_sessions.create(input_audio_format="pcm16"))
    assert transcription.client_secret.expires_at > 0


async def test_extensions_chat_has_citations(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_version="2023-12-01-preview")
    sources = [{"type": "AzureCognitiveSearch", "parameters": {"endpoint": "https://s", "indexName": "i"}}]
    reply = await resolve(client.extensions.chat.completions.create(model="gpt-4", messages=USER, dataSources=sources))
    assert reply.choices[0].message.content == "You said: Hello"
    [tool] = reply.choices[0].message.context.messages
    assert tool.role == "tool" and json.loads(tool.content)["citations"][0]["title"] == "doc-0"
    await resolve(client.close())


async def test_evals_and_runs(preview: Any) -> None:
    config = {"type": "custom", "item_schema": {"type": "object"}, "include_sample_schema": False}
    criteria = [{"type": "string_check", "name": "exact", "input": "{{item.a}}", "reference": "x", "operation": "eq"}]
    ev = await resolve(preview.evals.create(name="e", data_source_config=config, testing_criteria=criteria))
    assert isinstance(ev, models.Eval)
    assert (await resolve(preview.evals.retrieve(eval_id=ev.id))).name == "e"
    assert (await resolve(preview.evals.update(eval_id=ev.id))).id == ev.id
    assert [e.id for e in (await resolve(preview.evals.list())).data] == [ev.id]
    source = {
        "type": "jsonl",
        "source": {"type": "file_content", "content": [{"item": {"a": "x"}}, {"item": {"a": "y"}}]},
    }
    run = await resolve(preview.evals.runs.create(eval_id=ev.id, data_source=source, name="r"))
    assert run.status == "completed" and run.result_counts.total == 2
    assert (await resolve(preview.evals.runs.retrieve(eval_id=ev.id, run_id=run.id))).id == run.id
    assert [r.id for r in (await resolve(preview.evals.runs.list(eval_id=ev.id))).data] == [run.id]
    items = await collect(await resolve(preview.evals.runs.output_items.list(eval_id=ev.id, run_id=run.id)))
    assert len(items) == 2
    one = await resolve(
        preview.evals.runs.output_items.retrieve(eval_id=ev.id, run_id=run.id, output_item_id=items[0].id)
    )
    assert one.status == "pass"
    assert (await resolve(preview.evals.runs.cancel(eval_id=ev.id, run_id=run.id))).status == "completed"
    assert (await resolve(preview.evals.runs.delete(eval_id=ev.id, run_id=run.id))).deleted is True
    assert (await resolve(preview.evals.delete(eval_id=ev.id))).deleted is True
    with pytest.raises(NotFoundError):
        await resolve(preview.evals.retrieve(eval_id=ev.id))


async def test_ingestion_jobs(preview: Any) -> None:
    job = await resolve(preview.ingestion.jobs.create(job_id="job-1", kind="SystemCompute"))
    assert job.jobId == "job-1"
    assert (await resolve(preview.ingestion.jobs.retrieve(job_id="job-1"))).kind == "SystemCompute"
    assert [j.jobId for j in (await resolve(preview.ingestion.jobs.list())).value] == ["job-1"]
    runs = (await resolve(preview.ingestion.jobs.runs.list(job_id="job-1"))).value
    assert runs[0].status == "succeeded"
    run = await resolve(preview.ingestion.jobs.runs.retrieve(job_id="job-1", run_id=runs[0].runId))
    assert run.jobId == "job-1"
    with pytest.raises(NotFoundError):
        await resolve(preview.ingestion.jobs.retrieve(job_id="nope"))
