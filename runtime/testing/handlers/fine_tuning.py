"""FineTuning_*: jobs that advance one state per `store.tick`, with events as they go.

    pending (validating files) -> pending (queued) -> running -> running (training
    metrics) -> succeeded: fine_tuned_model "<base>.ft-<hex>[-suffix]", a results file,
    three checkpoints; the fine-tuned model then shows in models.list.

A training file that is not JSONL of objects fails the job at validation. cancel moves a
live job to cancelled; pause (running) goes pausing -> paused, resume goes resuming ->
running. Events list newest first, as OpenAI's.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from .._call import Call
from .._responses import JsonReply, RawReply, Reply
from .._store import paginate, public
from ._objects import conflict, invalid_payload, not_found, require_file
from ._text import now
from .files import add_file
from .models import fine_tunable

__all__ = [
    "cancel_job",
    "create_job",
    "delete_job",
    "get_job",
    "list_checkpoints",
    "list_events",
    "list_jobs",
    "pause_job",
    "resume_job",
]

_KIND = "fine_tuning.job"
_LIVE = frozenset({"created", "pending", "running", "pausing", "paused", "resuming"})
_STEPS = 3  # training steps, one checkpoint each


def _event(job: dict[str, Any], message: str, *, kind: str = "message", data: Any = None) -> None:
    job["_events"].append(
        {
            "object": "fine_tuning.job.event",
            "id": "ftevent-" + uuid.uuid4().hex,
            "created_at": now(),
            "level": "info",
            "message": message,
            "type": kind,
            "data": data,
        }
    )


def create_job(call: Call) -> Reply:
    body = call.body
    model = str(body.get("model", ""))
    if not fine_tunable(model):
        raise invalid_payload(f"The base model '{model}' does not support fine-tuning.")
    training = require_file(call, str(body.get("training_file")), purpose="fine-tune", field="training_file")
    validation = body.get("validation_file")
    if validation is not None:
        require_file(call, str(validation), purpose="fine-tune", field="validation_file")
    hyper = {"n_epochs": 1, "batch_size": 1, "learning_rate_multiplier": 1.0, **(body.get("hyperparameters") or {})}
    job: dict[str, Any] = {
        "object": "fine_tuning.job",
        "id": "ftjob-" + uuid.uuid4().hex,
        "created_at": now(),
        "status": "pending",
        "model": model,
        "fine_tuned_model": None,
        "training_file": training.id,
        "validation_file": validation,
        "result_files": [],
        "finished_at": None,
        "trained_tokens": None,
        "hyperparameters": hyper,
        "suffix": body.get("suffix"),
        "seed": body.get("seed", 42),
        "error": None,
        "_events": [],
        "_checkpoints": [],
        "_stage": 0,
    }
    if body.get("method") is not None:
        job["method"] = body["method"]
    _event(job, f"Validating training file: {training.id}")
    call.store.kind(_KIND)[job["id"]] = job
    call.store.start_clock(job["id"])
    return JsonReply(public(job), status=201)


def _job(call: Call) -> dict[str, Any]:
    job_id = call.path_params["fine-tuning-job-id"]
    job = call.store.kind(_KIND).get(job_id)
    if job is None:
        raise not_found("Fine-tuning job", job_id)
    _advance(call, job)
    return job


def _advance(call: Call, job: dict[str, Any]) -> None:
    for _ in range(call.store.steps_due(job["id"])):
        if job["status"] not in _LIVE or job["status"] == "paused":
            return
        _step(call, job)


def _training_ok(call: Call, job: dict[str, Any]) -> bool:
    stored = call.store.files.get(job["training_file"])
    if stored is None:
        return False
    try:
        rows = [json.loads(x) for x in stored.content.decode().splitlines() if x.strip()]
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return bool(rows) and all(isinstance(r, dict) for r in rows)


def _step(call: Call, job: dict[str, Any]) -> None:
    status = job["status"]
    if status == "pausing":
        job["status"] = "paused"
        _event(job, "Job paused.")
        return
    if status == "resuming":
        job["status"] = "running"
        _event(job, "Job resumed.")
        return
    stage = job["_stage"]
    job["_stage"] = stage + 1
    if stage == 0:
        if not _training_ok(call, job):
            job["status"], job["finished_at"] = "failed", now()
            job["error"] = {
                "code": "invalidTrainingFile",
                "message": "The training file is not valid JSONL: each line must be a JSON object.",
                "param": "training_file",
            }
            _event(job, "Training file validation failed.")
            return
        _event(job, "Training file validated. Job queued.")
    elif stage == 1:
        job["status"] = "running"
        _event(job, "Training started.")
    elif stage <= 1 + _STEPS:
        step = stage - 1
        metrics = {"step": step, "train_loss": round(1.0 / (step + 1), 4), "train_mean_token_accuracy": 0.5 + step / 10}
        _event(job, f"Step {step}/{_STEPS}: training loss={metrics['train_loss']}", kind="metrics", data=metrics)
        name = f"{job['model']}.ft-{job['id'][6:]}:ckpt-step-{step}"
        job["_checkpoints"].append(
            {
                "object": "fine_tuning.job.checkpoint",
                "id": "ftckpt-" + uuid.uuid4().hex,
                "created_at": now(),
                "fine_tuned_model_checkpoint": name,
                "step_number": step,
                "metrics": {k: float(v) for k, v in metrics.items()},
                "fine_tuning_job_id": job["id"],
            }
        )
    else:
        _succeed(call, job)


def _succeed(call: Call, job: dict[str, Any]) -> None:
    suffix = f"-{job['suffix']}" if job.get("suffix") else ""
    job["fine_tuned_model"] = f"{job['model']}.ft-{job['id'][6:]}{suffix}"
    results = "step,train_loss\n" + "".join(
        f"{c['step_number']},{c['metrics']['train_loss']}\n" for c in job["_checkpoints"]
    )
    job["result_files"] = [add_file(call, "results.csv", "fine-tune-results", results.encode()).id]
    job["trained_tokens"] = 1000 * _STEPS
    job["status"], job["finished_at"] = "succeeded", now()
    _event(job, f"New fine-tuned model created: {job['fine_tuned_model']}")
    _event(job, "The job has successfully completed.")


def get_job(call: Call) -> Reply:
    return JsonReply(public(_job(call)))


def list_jobs(call: Call) -> Reply:
    jobs = list(call.store.kind(_KIND).values())
    for job in jobs:
        _advance(call, job)
    return JsonReply(paginate(jobs, call.query))


def list_events(call: Call) -> Reply:
    return JsonReply(paginate(_job(call)["_events"], call.query))


def list_checkpoints(call: Call) -> Reply:
    return JsonReply(paginate(_job(call)["_checkpoints"], call.query, default_limit=10))


def cancel_job(call: Call) -> Reply:
    job = _job(call)
    if job["status"] not in _LIVE:
        raise conflict(f"Fine-tuning job {job['id']} is {job['status']} and can no longer be cancelled.")
    job["status"], job["finished_at"] = "cancelled", now()
    _event(job, "Job cancelled.")
    return JsonReply(public(job))


def pause_job(call: Call) -> Reply:
    job = _job(call)
    if job["status"] != "running":
        raise conflict(f"Only a running job can be paused; {job['id']} is {job['status']}.")
    job["status"] = "pausing"
    call.store.start_clock(job["id"])
    return JsonReply(public(job))


def resume_job(call: Call) -> Reply:
    job = _job(call)
    if job["status"] != "paused":
        raise conflict(f"Only a paused job can be resumed; {job['id']} is {job['status']}.")
    job["status"] = "resuming"
    call.store.start_clock(job["id"])
    return JsonReply(public(job))


def delete_job(call: Call) -> Reply:
    job = _job(call)
    del call.store.kind(_KIND)[job["id"]]
    return RawReply(b"", "", status=204)
