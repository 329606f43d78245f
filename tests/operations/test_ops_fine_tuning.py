"""fine_tuning.jobs.* and models.* against the emulator."""

from __future__ import annotations

import json
from typing import Any

import pytest
from azgate.exceptions import BadRequestError, ConflictError, NotFoundError
from azgate.generated import models
from azgate.testing import Emulator
from helpers import collect, make_client, resolve

TRAINING = b"".join(
    json.dumps({"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": "a"}]}).encode()
    + b"\n"
    for i in range(3)
)
BASE = "gpt-4o-mini-2024-07-18"


async def training_file(client: Any, data: bytes = TRAINING) -> str:
    return str((await resolve(client.files.create(file=("train.jsonl", data), purpose="fine-tune"))).id)


async def test_job_runs_to_success_with_events_checkpoints_and_model(client: Any, emulator: Emulator) -> None:
    emulator.store.tick = 0
    job = await resolve(
        client.fine_tuning.jobs.create(model=BASE, training_file=await training_file(client), suffix="mine")
    )
    assert isinstance(job, models.FineTuningJob) and job.status == "pending" and job.fine_tuned_model is None
    done = await resolve(client.fine_tuning.jobs.retrieve(fine_tuning_job_id=job.id))
    assert done.status == "succeeded" and done.finished_at and done.trained_tokens
    assert done.fine_tuned_model == f"{BASE}.ft-{job.id[6:]}-mine"
    events = await collect(await resolve(client.fine_tuning.jobs.list_events(fine_tuning_job_id=job.id, limit=2)))
    messages = [e.message for e in reversed(events)]  # newest first on the wire
    assert messages[0].startswith("Validating training file") and messages[-1] == "The job has successfully completed."
    assert any(e.type == "metrics" and e.data["step"] == 1 for e in events)
    checkpoints = await collect(await resolve(client.fine_tuning.jobs.checkpoints.list(fine_tuning_job_id=job.id)))
    assert sorted(c.step_number for c in checkpoints) == [1, 2, 3]
    results = await resolve(client.files.content(file_id=done.result_files[0]))
    assert results.content.startswith(b"step,train_loss\n")
    tuned = await resolve(client.models.retrieve(model_id=done.fine_tuned_model))
    assert tuned.fine_tune == job.id and tuned.model == BASE


async def test_states_advance_with_the_tick(client: Any, emulator: Emulator) -> None:
    emulator.store.tick = 60
    job = await resolve(client.fine_tuning.jobs.create(model=BASE, training_file=await training_file(client)))
    seen = []
    for _ in range(6):
        emulator.store.fast_forward(job.id)
        current = await resolve(client.fine_tuning.jobs.retrieve(fine_tuning_job_id=job.id))
        seen.append(current.status)
    assert seen == ["pending", "running", "running", "running", "running", "succeeded"]


async def test_invalid_training_file_fails_the_job(client: Any, emulator: Emulator) -> None:
    emulator.store.tick = 0
    job = await resolve(
        client.fine_tuning.jobs.create(model=BASE, training_file=await training_file(client, b"nope\n"))
    )
    failed = await resolve(client.fine_tuning.jobs.retrieve(fine_tuning_job_id=job.id))
    assert failed.status == "failed" and failed.error.param == "training_file"


async def test_cancel_list_and_delete(client: Any, emulator: Emulator, flavour: str) -> None:
    emulator.store.tick = 60
    file_id = await training_file(client)
    ids = [(await resolve(client.fine_tuning.jobs.create(model=BASE, training_file=file_id))).id for _ in range(3)]
    cancelled = await resolve(client.fine_tuning.jobs.cancel(fine_tuning_job_id=ids[0]))
    assert cancelled.status == "cancelled"
    with pytest.raises(ConflictError):
        await resolve(client.fine_tuning.jobs.cancel(fine_tuning_job_id=ids[0]))
    page = await resolve(client.fine_tuning.jobs.list(limit=2))
    assert len(page.data) == 2 and page.has_more
    assert [j.id for j in await collect(page)] == ids[::-1]
    assert await resolve(client.fine_tuning.jobs.delete(fine_tuning_job_id=ids[0])) is None
    with pytest.raises(NotFoundError) as caught:
        await resolve(client.fine_tuning.jobs.retrieve(fine_tuning_job_id=ids[0]))
    assert caught.value.code == "notFound"


async def test_pause_and_resume(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_version="2025-04-01-preview")
    emulator.store.tick = 60
    job = await resolve(client.fine_tuning.jobs.create(model=BASE, training_file=await training_file(client)))
    emulator.store.fast_forward(job.id, 2)
    assert (await resolve(client.fine_tuning.jobs.retrieve(fine_tuning_job_id=job.id))).status == "running"
    assert (await resolve(client.fine_tuning.jobs.pause(fine_tuning_job_id=job.id))).status == "pausing"
    emulator.store.fast_forward(job.id, 5)
    assert (await resolve(client.fine_tuning.jobs.retrieve(fine_tuning_job_id=job.id))).status == "paused"
    assert (await resolve(client.fine_tuning.jobs.resume(fine_tuning_job_id=job.id))).status == "resuming"
    emulator.store.tick = 0
    assert (await resolve(client.fine_tuning.jobs.retrieve(fine_tuning_job_id=job.id))).status == "succeeded"
    with pytest.raises(ConflictError):
        await resolve(client.fine_tuning.jobs.pause(fine_tuning_job_id=job.id))
    await resolve(client.close())


async def test_create_errors(client: Any) -> None:
    with pytest.raises(NotFoundError):
        await resolve(client.fine_tuning.jobs.create(model=BASE, training_file="file-missing"))
    batch_file = (await resolve(client.files.create(file=("b.jsonl", TRAINING), purpose="batch"))).id
    with pytest.raises(BadRequestError) as wrong:
        await resolve(client.fine_tuning.jobs.create(model=BASE, training_file=batch_file))
    assert wrong.value.code == "invalidPayload"
    with pytest.raises(BadRequestError):
        await resolve(client.fine_tuning.jobs.create(model="gpt-4", training_file=await training_file(client)))


async def test_models_list_and_retrieve(client: Any) -> None:
    listed = await collect(await resolve(client.models.list()))
    by_id = {m.id: m for m in listed}
    assert by_id[BASE].capabilities.fine_tune is True and by_id[BASE].lifecycle_status == "generally-available"
    assert by_id["text-embedding-ada-002"].capabilities.embeddings is True
    assert "tts-1" in by_id  # the default deployments' models
    one = await resolve(client.models.retrieve(model_id="gpt-4"))
    assert isinstance(one, models.Model) and one.deprecation.inference > 0
    with pytest.raises(NotFoundError):
        await resolve(client.models.retrieve(model_id="no-such-model"))
