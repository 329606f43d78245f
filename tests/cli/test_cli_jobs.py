"""`azgate batch run|wait` and `azgate fine-tune wait` against the emulator's batches and
jobs (which move one state per `store.tick` seconds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from azgate import Client
from azgate.testing import Emulator
from cli_support import assert_exit, azgate, error_line, json_lines

pytestmark = pytest.mark.usefixtures("azure_env")

FAST = ("--poll-interval", "0.01")
TRAINING = b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n'


@pytest.fixture(autouse=True)
def quick_jobs(emulator: Emulator) -> None:
    emulator.store.tick = 0.02


@pytest.fixture
def requests_file(tmp_path: Path) -> Path:
    lines = [
        {"custom_id": "first", "method": "POST", "url": "/chat/completions",
         "body": {"model": "gpt-4", "messages": [{"role": "user", "content": "one"}]}},
        {"custom_id": "second", "method": "POST", "url": "/chat/completions",
         "body": {"model": "no-such-deployment", "messages": [{"role": "user", "content": "two"}]}},
    ]  # fmt: skip
    path = tmp_path / "requests.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def client_of(emulator: Emulator) -> Client:
    return Client(api_key=emulator.api_key, azure_endpoint=emulator.endpoint, api_version="2024-10-21")


def check_results(lines: list[dict[str, object]]) -> None:
    assert [line["custom_id"] for line in lines] == ["first", "second"]  # input order
    first, second = lines
    assert first["ok"] is True and first["status_code"] == 200
    assert first["response"]["choices"][0]["message"]["content"] == "You said: one"  # type: ignore[index]
    assert second["ok"] is False and second["error"]["code"] == "DeploymentNotFound"  # type: ignore[index]


def test_batch_run_wait_writes_results_as_jsonl(requests_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    result = azgate("batch", "run", str(requests_file), "--wait", "--out", str(out), *FAST)
    assert_exit(result, 0)
    check_results(json_lines(out.read_text(encoding="utf-8")))
    assert result.stdout == ""
    assert "1 succeeded, 1 failed" in result.stderr and "completed" in result.stderr  # progress lines


def test_batch_run_wait_without_out_prints_the_results(requests_file: Path) -> None:
    result = azgate("batch", "run", str(requests_file), "--wait", *FAST)
    assert_exit(result, 0)
    check_results(json_lines(result.stdout))


def test_batch_run_starts_it_and_batch_wait_collects_it(requests_file: Path, emulator: Emulator) -> None:
    emulator.store.tick = 3600.0  # the batch stays in its first state until we wait
    started = azgate("batch", "run", str(requests_file))
    assert_exit(started, 0)
    batch_id = started.stdout.strip()
    assert batch_id.startswith("batch_")
    assert f"azgate batch wait {batch_id}" in started.stderr
    with client_of(emulator) as client:
        assert client.batches.retrieve(batch_id=batch_id).status == "validating"  # it did not wait
    emulator.store.tick = 0.02
    waited = azgate("batch", "wait", batch_id, *FAST)
    assert_exit(waited, 0)
    check_results(json_lines(waited.stdout))


def test_batch_run_json_is_the_batch(requests_file: Path) -> None:
    result = azgate("batch", "run", str(requests_file), "--json")
    assert_exit(result, 0)
    batch = json.loads(result.stdout)
    assert batch["object"] == "batch" and batch["endpoint"] == "/chat/completions"


def test_bad_batch_input_is_a_usage_error_and_nothing_is_uploaded(tmp_path: Path, emulator: Emulator) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"custom_id": "a"}\nnot json\n', encoding="utf-8")
    result = azgate("batch", "run", str(path), "--wait")
    assert_exit(result, 2)
    line = error_line(result)
    assert "nothing was uploaded" in line and "line 2" in line
    assert emulator.stats.count() == 0


def test_an_expired_batch_exits_5_and_still_writes_what_finished(
    requests_file: Path, tmp_path: Path, emulator: Emulator
) -> None:
    emulator.store.tick = 3600.0  # each step by hand: validating -> in_progress -> expired
    batch_id = azgate("batch", "run", str(requests_file)).stdout.strip()
    emulator.store.fast_forward(batch_id)
    with client_of(emulator) as client:
        assert client.batches.retrieve(batch_id=batch_id).status == "in_progress"
    emulator.store.expire_batch(batch_id)
    emulator.store.fast_forward(batch_id)
    out = tmp_path / "partial.jsonl"
    result = azgate("batch", "wait", batch_id, "--out", str(out), *FAST)
    assert_exit(result, 5)
    assert "expired" in error_line(result)
    lines = json_lines(out.read_text(encoding="utf-8"))
    assert [line["custom_id"] for line in lines] == ["first", "second"]  # every request has its outcome
    allowed = azgate("batch", "wait", batch_id, "--out", str(out), "--allow-partial", *FAST)
    assert_exit(allowed, 0)


def test_batch_wait_timeout_exits_6_and_says_how_to_resume(requests_file: Path, emulator: Emulator) -> None:
    emulator.store.tick = 3600.0
    batch_id = azgate("batch", "run", str(requests_file)).stdout.strip()
    result = azgate("batch", "wait", batch_id, "--timeout", "0.05", *FAST)
    assert_exit(result, 6)
    assert f"azgate batch wait {batch_id}" in error_line(result)


def test_batch_wait_for_an_unknown_batch_exits_1() -> None:
    result = azgate("batch", "wait", "batch_nope")
    assert_exit(result, 1)
    assert "404" in error_line(result)


def start_job(emulator: Emulator, training: bytes = TRAINING) -> str:
    with client_of(emulator) as client:
        uploaded = client.files.create(file=("train.jsonl", training), purpose="fine-tune")
        return client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=uploaded.id).id


def test_fine_tune_wait_prints_each_event_once_and_the_model(emulator: Emulator) -> None:
    job_id = start_job(emulator)
    result = azgate("fine-tune", "wait", job_id, *FAST)
    assert_exit(result, 0)
    lines = result.stdout.splitlines()
    assert lines[-1].startswith(f"{job_id} succeeded: gpt-4o-mini-2024-07-18.ft-")
    events = lines[:-1]
    assert len(events) == len(set(events)) >= 3
    assert "Training started." in result.stdout and "Step 1/" in result.stdout


def test_fine_tune_wait_json_is_events_then_the_job(emulator: Emulator) -> None:
    job_id = start_job(emulator)
    result = azgate("fine-tune", "wait", job_id, "--json", *FAST)
    assert_exit(result, 0)
    lines = json_lines(result.stdout)
    assert all(line["object"] == "fine_tuning.job.event" for line in lines[:-1])
    assert lines[-1]["object"] == "fine_tuning.job" and lines[-1]["status"] == "succeeded"


def test_a_failed_fine_tuning_job_exits_5(emulator: Emulator) -> None:
    job_id = start_job(emulator, training=b"not jsonl at all\n")
    result = azgate("fine-tune", "wait", job_id, *FAST)
    assert_exit(result, 5)
    assert f"Fine-tuning job {job_id} failed" in error_line(result)


def test_fine_tune_wait_timeout_exits_6(emulator: Emulator) -> None:
    emulator.store.tick = 3600.0
    job_id = start_job(emulator)
    result = azgate("fine-tune", "wait", job_id, "--timeout", "0.05", *FAST)
    assert_exit(result, 6)
    assert f"azgate fine-tune wait {job_id}" in error_line(result)
