"""azgate.fine_tuning against the emulator, whose jobs advance one state per tick and
emit events as they go."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from azgate.fine_tuning import (
    FineTuningFailedError,
    FineTuningTimeoutError,
    await_for_fine_tuning,
    format_event,
    wait_for_fine_tuning,
)
from azgate.generated import models
from azgate.testing import Emulator
from helpers import make_client, resolve
from lib_support import one_state_per_look

FAST = {"poll_interval": 0.005, "max_poll_interval": 0.03, "timeout": 30.0}
TRAINING = b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n'


@pytest.fixture(autouse=True)
def quick_jobs(emulator: Emulator) -> None:
    emulator.store.tick = 0.02


def wait(flavour: str) -> Callable[..., Any]:
    return wait_for_fine_tuning if flavour == "sync" else await_for_fine_tuning


async def start_job(client: Any, training: bytes = TRAINING) -> models.FineTuningJob:
    uploaded = await resolve(client.files.create(file=("train.jsonl", training), purpose="fine-tune"))
    job: models.FineTuningJob = await resolve(
        client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=uploaded.id)
    )
    return job


async def all_events(client: Any, job_id: str) -> list[models.FineTuningJobEvent]:
    page = await resolve(client.fine_tuning.jobs.list_events(fine_tuning_job_id=job_id, limit=100))
    return list(page.data)


async def test_waits_to_success_showing_each_event_once_oldest_first(
    client: Any, flavour: str, emulator: Emulator
) -> None:
    job = await start_job(client)
    shown: list[models.FineTuningJobEvent] = []
    seen_jobs: list[models.FineTuningJob] = []
    progress = one_state_per_look(emulator, seen_jobs.append)
    final = await resolve(wait(flavour)(client, job.id, on_event=shown.append, progress=progress, **FAST))

    assert isinstance(final, models.FineTuningJob) and final.status == "succeeded"
    assert final.fine_tuned_model and final.fine_tuned_model.startswith("gpt-4o-mini-2024-07-18.ft-")
    newest_first = await all_events(client, job.id)
    assert [e.id for e in shown] == [e.id for e in reversed(newest_first)]
    assert len({e.id for e in shown}) == len(shown) == 8
    assert shown[0].message.startswith("Validating training file")
    assert [e.message.split(":")[0] for e in shown if e.type == "metrics"] == ["Step 1/3", "Step 2/3", "Step 3/3"]
    assert shown[-1].message == "The job has successfully completed."
    assert [j.status for j in seen_jobs] == ["pending", "pending", "running", *["running"] * 3, "succeeded"]


async def test_default_prints_events(client: Any, flavour: str, capsys: pytest.CaptureFixture[str]) -> None:
    job = await start_job(client)
    await resolve(wait(flavour)(client, job.id, **FAST))
    printed = capsys.readouterr().out.splitlines()
    events = list(reversed(await all_events(client, job.id)))
    assert printed == [format_event(e) for e in events]
    assert printed[-1].endswith(" info: The job has successfully completed.")


async def test_a_failed_job_raises_with_its_error(client: Any, flavour: str) -> None:
    job = await start_job(client, training=b"[1, 2]\n")
    with pytest.raises(FineTuningFailedError, match=r"Fine-tuning job ftjob-\S+ failed: invalidTrainingFile: ") as info:
        await resolve(wait(flavour)(client, job.id, on_event=None, **FAST))
    assert info.value.code == "invalidTrainingFile" and info.value.job.status == "failed"
    assert "(param training_file)" in str(info.value)


async def test_a_cancelled_job_raises(client: Any, flavour: str, emulator: Emulator) -> None:
    job = await start_job(client)
    canceller = make_client("sync", emulator)

    def cancel_once_running(event: models.FineTuningJobEvent) -> None:
        if event.message == "Training started.":
            canceller.fine_tuning.jobs.cancel(fine_tuning_job_id=job.id)

    with pytest.raises(FineTuningFailedError, match=r"Fine-tuning job ftjob-\S+ was cancelled\.$") as info:
        await resolve(
            wait(flavour)(client, job.id, on_event=cancel_once_running, progress=one_state_per_look(emulator), **FAST)
        )
    assert info.value.job.status == "cancelled" and info.value.code is None
    canceller.close()


async def test_timeout_then_waiting_again(client: Any, flavour: str, emulator: Emulator) -> None:
    emulator.store.tick = 3600.0
    job = await start_job(client)
    shown: list[models.FineTuningJobEvent] = []
    with pytest.raises(FineTuningTimeoutError) as info:
        await resolve(wait(flavour)(client, job.id, on_event=shown.append, **{**FAST, "timeout": 0.05}))
    name = "wait_for_fine_tuning" if flavour == "sync" else "await_for_fine_tuning"
    assert f"Wait again with {name}(client, {job.id!r})" in str(info.value)
    assert info.value.job is not None and info.value.job.status == "pending"
    assert [e.message.split(":")[0] for e in shown] == ["Validating training file"]

    emulator.store.tick = 0.02
    final = await resolve(wait(flavour)(client, job.id, on_event=None, **FAST))
    assert final.status == "succeeded"
    assert emulator.stats.count("FineTuning_Cancel") == 0


async def test_transient_errors_are_ridden_out_and_ctrl_c_leaves_the_job(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, max_retries=0)
    job = await start_job(client)
    emulator.faults.add("server_error", times=2, operation="FineTuning_GetEvents")
    final = await resolve(wait(flavour)(client, job.id, on_event=None, **FAST))
    assert final.status == "succeeded" and len(emulator.faults) == 0

    emulator.store.tick = 3600.0
    job = await start_job(client)
    if flavour == "sync":

        def ctrl_c(event: models.FineTuningJobEvent) -> None:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt, match=r"Fine-tuning job ftjob-\S+ keeps running on the service"):
            wait_for_fine_tuning(client, job.id, on_event=ctrl_c, **FAST)
    else:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(await_for_fine_tuning(client, job.id, on_event=None, **FAST), 0.1)
    assert emulator.stats.count("FineTuning_Cancel") == 0
    assert (await resolve(client.fine_tuning.jobs.retrieve(fine_tuning_job_id=job.id))).status == "pending"
    await resolve(client.close())
