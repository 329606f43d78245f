"""Ingestion jobs (Azure On Your Data): PUT creates a job and its first run, which
succeeds at once; lists come back whole (`value`, `nextLink: null`)."""

from __future__ import annotations

import uuid
from typing import Any

from .._call import Call
from .._responses import JsonReply, Reply
from ._objects import not_found

__all__ = ["create_job", "get_job", "get_run", "list_jobs", "list_runs"]

_JOB, _RUN = "ingestion.job", "ingestion.run"


def create_job(call: Call) -> Reply:
    job_id = call.path_params["job-id"]
    job = {**dict(call.body), "jobId": job_id}
    call.store.kind(_JOB)[job_id] = job
    run_id = str(uuid.uuid4())
    call.store.kind(_RUN)[run_id] = {
        "id": run_id,
        "jobId": job_id,
        "runId": run_id,
        "status": "succeeded",
        "warnings": [],
        "progress": {"stageProgress": [{"name": "Ingestion", "totalItems": 1, "processedItems": 1}]},
    }
    return JsonReply(job)


def _job(call: Call) -> dict[str, Any]:
    job = call.store.kind(_JOB).get(call.path_params["job-id"])
    if job is None:
        raise not_found("Ingestion job", call.path_params["job-id"])
    return job


def get_job(call: Call) -> Reply:
    return JsonReply(_job(call))


def list_jobs(call: Call) -> Reply:
    return JsonReply({"value": list(call.store.kind(_JOB).values()), "nextLink": None})


def _runs(call: Call) -> list[dict[str, Any]]:
    job = _job(call)
    return [
        {k: v for k, v in r.items() if k != "id"} for r in call.store.kind(_RUN).values() if r["jobId"] == job["jobId"]
    ]


def list_runs(call: Call) -> Reply:
    return JsonReply({"value": _runs(call), "nextLink": None})


def get_run(call: Call) -> Reply:
    run_id = call.path_params["run-id"]
    for run in _runs(call):
        if run["runId"] == run_id:
            return JsonReply(run)
    raise not_found("Ingestion run", run_id)
