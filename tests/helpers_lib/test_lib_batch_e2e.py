"""azgate.batch against the emulator, whose batches really run each line through its chat
handler: results by custom_id, per-request failures, resuming, Ctrl-C, partial batches."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from azgate.batch import (
    BatchFailedError,
    BatchFailure,
    BatchSuccess,
    BatchTimeoutError,
    aresume_batch,
    arun_batch,
    resume_batch,
    run_batch,
)
from azgate.generated import models
from azgate.testing import Emulator
from helpers import make_client, resolve
from lib_support import one_state_per_look

FAST = {"poll_interval": 0.005, "max_poll_interval": 0.05, "timeout": 30.0}


@pytest.fixture(autouse=True)
def quick_batches(emulator: Emulator) -> None:
    emulator.store.tick = 0.02  # seconds per batch state (reset() restores the default)


def ask(text: str, **extra: Any) -> dict[str, Any]:
    return {"model": "gpt-4", "messages": [{"role": "user", "content": text}], **extra}


def run(flavour: str) -> Callable[..., Any]:
    return run_batch if flavour == "sync" else arun_batch


def resume(flavour: str) -> Callable[..., Any]:
    return resume_batch if flavour == "sync" else aresume_batch


async def test_results_in_input_order_with_failures_matched_to_custom_ids(
    client: Any, flavour: str, emulator: Emulator
) -> None:
    requests = [
        ask("first", custom_id="q-first"),
        ask("second"),  # becomes request-1
        ask("lost", model="no-such-deployment", custom_id="q-lost"),
        {"custom_id": "q-bad", "model": "gpt-4", "messages": "not a list"},
        ask("last"),
    ]
    seen: list[models.Batch] = []
    results = await resolve(run(flavour)(client, requests, progress=one_state_per_look(emulator, seen.append), **FAST))

    assert list(results) == ["q-first", "request-1", "q-lost", "q-bad", "request-4"]
    first = results["q-first"]
    assert isinstance(first, BatchSuccess) and first.status_code == 200 and first.request_id
    assert isinstance(first.body, models.CreateChatCompletionResponse)
    assert [results[k].completion.choices[0].message.content for k in ("q-first", "request-1", "request-4")] == [
        "You said: first",
        "You said: second",
        "You said: last",
    ]
    lost, bad = results["q-lost"], results["q-bad"]
    assert isinstance(lost, BatchFailure) and (lost.status_code, lost.code) == (404, "DeploymentNotFound")
    assert isinstance(bad, BatchFailure) and bad.status_code == 400 and "messages" in bad.message
    assert [r.custom_id for r in results.failed] == ["q-lost", "q-bad"]
    assert results.batch.status == "completed" and results.batch.request_counts.failed == 2

    assert [b.status for b in seen] == ["validating", "in_progress", "finalizing", "completed"]

    # What was uploaded: one line per request, in order, with the endpoint as url.
    (uploaded,) = [f for f in emulator.store.files.values() if f.purpose == "batch"]
    lines = [json.loads(line) for line in uploaded.content.splitlines()]
    assert [line["custom_id"] for line in lines] == list(results)
    assert lines[1] == {"custom_id": "request-1", "method": "POST", "url": "/chat/completions", "body": ask("second")}


async def test_a_jsonl_file_is_the_input_too(client: Any, flavour: str, tmp_path: Path) -> None:
    path = tmp_path / "input.jsonl"
    rows = [{"custom_id": f"t{i}", "method": "POST", "url": "/chat/completions", "body": ask(f"n{i}")} for i in (2, 1)]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    results = await resolve(run(flavour)(client, path, progress=False, **FAST))
    assert [(k, r.completion.choices[0].message.content) for k, r in results.items()] == [
        ("t2", "You said: n2"),
        ("t1", "You said: n1"),
    ]


async def test_invalid_input_fails_before_any_request(client: Any, flavour: str, emulator: Emulator) -> None:
    with pytest.raises(ValueError, match=r"requests\[1\]: custom_id 'a' is already used by requests\[0\]"):
        await resolve(run(flavour)(client, [ask("x", custom_id="a"), ask("y", custom_id="a")], **FAST))
    with pytest.raises(ValueError, match="poll_interval must be a positive number"):
        await resolve(run(flavour)(client, [ask("x")], poll_interval=0))
    assert emulator.stats.count() == 0


async def test_timeout_then_resume_returns_results_in_input_order(
    client: Any, flavour: str, emulator: Emulator
) -> None:
    emulator.store.tick = 3600.0  # the batch stays in validating
    requests = [ask(t, custom_id=t) for t in ("c", "a", "b")]
    with pytest.raises(BatchTimeoutError) as info:
        await resolve(run(flavour)(client, requests, **{**FAST, "timeout": 0.05}))
    batch = info.value.batch
    again = "resume_batch" if flavour == "sync" else "aresume_batch"
    assert f"Resume with {again}(client, {batch.id!r})" in str(info.value)

    emulator.store.tick = 0.02
    results = await resolve(resume(flavour)(client, batch.id, **FAST))
    assert list(results) == ["c", "a", "b"]  # read back from the batch's input file
    assert results["a"].completion.choices[0].message.content == "You said: a"
    assert emulator.stats.count("Batch_Cancel") == 0

    # Resuming a finished batch reads its results again at once.
    emulator.stats.reset()
    again_results = await resolve(resume(flavour)(client, batch.id, **FAST))
    assert list(again_results) == ["c", "a", "b"] and emulator.stats.count("Batch_Get") == 1


async def test_interrupting_the_wait_leaves_the_batch_running(
    client: Any, flavour: str, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.store.tick = 3600.0
    if flavour == "sync":

        def ctrl_c(batch: models.Batch) -> None:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt, match=r"Stopped waiting\. Batch batch_\S+ keeps running on the service"):
            run_batch(client, [ask("x")], progress=ctrl_c, **FAST)
    else:
        # The task is cancelled from outside once it is waiting (its first look at the batch),
        # not after a fixed time: on a busy machine the upload alone may take longer.
        task = asyncio.ensure_future(arun_batch(client, [ask("x")], **FAST))
        with anyio.fail_after(10):
            while emulator.stats.count("Batch_Get") == 0 and not task.done():
                await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert "keeps running on the service; resume waiting with" in caplog.text
    (batch,) = [b async for b in _batches(client)]
    assert batch.status == "validating" and emulator.stats.count("Batch_Cancel") == 0


async def _batches(client: Any) -> Any:
    page = await resolve(client.batches.list())
    if hasattr(page, "__aiter__"):
        async for item in page:
            yield item
    else:
        for item in page:
            yield item


async def test_expired_batch_raises_with_partial_results_or_returns_them(
    client: Any, flavour: str, emulator: Emulator
) -> None:
    def expire(batch: models.Batch) -> None:
        if batch.status == "in_progress":
            emulator.store.expire_batch(batch.id)

    expire_when_running = one_state_per_look(emulator, expire)

    for allow_partial in (False, True):
        options = {"progress": expire_when_running, "allow_partial": allow_partial, **FAST}
        if allow_partial:
            results = await resolve(run(flavour)(client, [ask("a"), ask("b")], **options))
        else:
            with pytest.raises(BatchFailedError, match=r"Batch \S+ expired \(completion window 24h\)") as info:
                await resolve(run(flavour)(client, [ask("a"), ask("b")], **options))
            assert info.value.batch.status == "expired"
            assert "error.results has the outcome of each request (0 succeeded, 2 failed; code" in str(info.value)
            results = info.value.results
        assert results is not None and list(results) == ["request-0", "request-1"]
        assert all(isinstance(r, BatchFailure) and r.code == "batch_expired" for r in results.values())


async def test_cancelled_batch_raises(client: Any, flavour: str, emulator: Emulator) -> None:
    canceller = make_client("sync", emulator)

    def cancel(batch: models.Batch) -> None:
        if batch.status == "in_progress":
            canceller.batches.cancel(batch_id=batch.id)

    cancel_it = one_state_per_look(emulator, cancel)
    with pytest.raises(BatchFailedError, match=r"Batch \S+ was cancelled") as info:
        await resolve(run(flavour)(client, [ask("a")], progress=cancel_it, **FAST))
    assert info.value.batch.status == "cancelled" and info.value.results is None
    canceller.close()


async def test_transient_errors_while_polling_are_ridden_out(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, max_retries=0)
    emulator.faults.add("server_error", times=2, operation="Batch_Get")
    results = await resolve(run(flavour)(client, [ask("x")], **FAST))
    assert results["request-0"].ok
    assert len(emulator.faults) == 0 and emulator.stats.count("Batch_Get") >= 3
    await resolve(client.close())


async def test_failed_batch_raises_with_its_errors(client: Any, flavour: str, emulator: Emulator) -> None:
    # Input the helper would refuse, uploaded by hand, then waited on by id.
    sync = make_client("sync", emulator)
    uploaded = sync.files.create(file=("bad.jsonl", b"{not json\n", "application/jsonl"), purpose="batch")
    batch = sync.batches.create(input_file_id=uploaded.id, endpoint="/chat/completions", completion_window="24h")
    sync.close()
    with pytest.raises(BatchFailedError, match="line 1: invalid_json_line") as info:
        await resolve(resume(flavour)(client, batch.id, **FAST))
    assert info.value.errors[0].code == "invalid_json_line" and info.value.results is None


async def test_progress_bar_on_request(client: Any, flavour: str, capsys: pytest.CaptureFixture[str]) -> None:
    await resolve(run(flavour)(client, [ask("a"), ask("b")], progress=True, **FAST))
    err = capsys.readouterr().err
    assert "batch completed" in err and "2/2" in err
