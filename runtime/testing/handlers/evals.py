"""Evaluations (Evaluation_*): evals and their runs, which finish at once.

A run grades every item of its data source (inline `file_content`, or a JSONL file by
`file_id`) as passed, so result counts and output items are predictable. The document
declares no body for Evaluation_Update, so update returns the eval unchanged.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from .._call import Call
from .._responses import JsonReply, Reply
from .._store import public
from ._objects import not_found
from ._text import now
from .assistants import page

__all__ = [
    "cancel_run",
    "create_eval",
    "create_run",
    "delete_eval",
    "delete_run",
    "get_eval",
    "get_output_item",
    "get_run",
    "list_evals",
    "list_output_items",
    "list_runs",
    "update_eval",
]

_EVAL, _RUN, _ITEM = "eval", "eval.run", "eval.run.output_item"


def create_eval(call: Call) -> Reply:
    config = dict(call.body.get("data_source_config") or {})
    config.setdefault("schema", config.pop("item_schema", {}))
    ev: dict[str, Any] = {
        "object": "eval",
        "id": "eval_" + uuid.uuid4().hex,
        "created_at": now(),
        "name": call.body.get("name") or "eval",
        "metadata": call.body.get("metadata") or {},
        "data_source_config": config,
        "testing_criteria": call.body.get("testing_criteria") or [],
    }
    call.store.kind(_EVAL)[ev["id"]] = ev
    return JsonReply(ev, status=201)


def _eval(call: Call) -> dict[str, Any]:
    eval_id = call.path_params["eval_id"]
    found = call.store.kind(_EVAL).get(eval_id)
    if found is None:
        raise not_found("Eval", eval_id)
    return found


def get_eval(call: Call) -> Reply:
    return JsonReply(_eval(call))


def update_eval(call: Call) -> Reply:
    return JsonReply(_eval(call))


def delete_eval(call: Call) -> Reply:
    ev = _eval(call)
    del call.store.kind(_EVAL)[ev["id"]]
    return JsonReply({"object": "eval.deleted", "deleted": True, "eval_id": ev["id"]})


def list_evals(call: Call) -> Reply:
    return page(call, list(call.store.kind(_EVAL).values()))


def _items(call: Call, source: dict[str, Any]) -> list[dict[str, Any]]:
    inner = source.get("source") or {}
    if inner.get("type") == "file_id":
        stored = call.store.files.get(str(inner.get("id")))
        if stored is None:
            raise not_found("File", str(inner.get("id")))
        return [json.loads(x) for x in stored.content.decode().splitlines() if x.strip()]
    return [dict(x) for x in inner.get("content") or []]


def create_run(call: Call) -> Reply:
    ev = _eval(call)
    source = dict(call.body.get("data_source") or {})
    items = _items(call, source)
    run_id = "evalrun_" + uuid.uuid4().hex
    created = now()
    for i, item in enumerate(items):
        output = {
            "object": "eval.run.output_item",
            "id": f"outputitem_{uuid.uuid4().hex}",
            "created_at": created,
            "run_id": run_id,
            "eval_id": ev["id"],
            "status": "pass",
            "datasource_item_id": i,
            "datasource_item": item.get("item", item),
            "results": [
                {"name": c.get("name", "criterion"), "passed": True, "score": 1.0} for c in ev["testing_criteria"]
            ],
            "sample": {
                "input": [],
                "output": [],
                "finish_reason": "stop",
                "model": "",
                "usage": {"total_tokens": 0, "completion_tokens": 0, "prompt_tokens": 0, "cached_tokens": 0},
                "error": {"code": "", "message": ""},
                "temperature": 1.0,
                "max_completion_tokens": 0,
                "top_p": 1.0,
                "seed": 0,
            },
        }
        call.store.kind(_ITEM)[output["id"]] = output
    run: dict[str, Any] = {
        "object": "eval.run",
        "id": run_id,
        "eval_id": ev["id"],
        "created_at": created,
        "name": call.body.get("name") or "run",
        "metadata": call.body.get("metadata") or {},
        "model": str((source.get("sampling_params") or {}).get("model") or source.get("model") or ""),
        "status": "completed",
        "data_source": source,
        "error": {"code": "", "message": ""},
        "report_url": f"https://emulator.invalid/evals/{ev['id']}/runs/{run_id}",
        "result_counts": {"total": len(items), "passed": len(items), "failed": 0, "errored": 0},
        "per_model_usage": [],
        "per_testing_criteria_results": [
            {"testing_criteria": c.get("name", "criterion"), "passed": len(items), "failed": 0}
            for c in ev["testing_criteria"]
        ],
    }
    call.store.kind(_RUN)[run_id] = run
    return JsonReply(run, status=201)


def _run(call: Call) -> dict[str, Any]:
    ev = _eval(call)
    run = call.store.kind(_RUN).get(call.path_params["run_id"])
    if run is None or run["eval_id"] != ev["id"]:
        raise not_found("Eval run", call.path_params["run_id"])
    return run


def get_run(call: Call) -> Reply:
    return JsonReply(_run(call))


def cancel_run(call: Call) -> Reply:
    run = _run(call)
    if run["status"] in ("queued", "in_progress"):
        run["status"] = "canceled"
    return JsonReply(run)


def delete_run(call: Call) -> Reply:
    run = _run(call)
    del call.store.kind(_RUN)[run["id"]]
    return JsonReply({"object": "eval.run.deleted", "deleted": True, "run_id": run["id"]})


def list_runs(call: Call) -> Reply:
    ev = _eval(call)
    status = call.query.get("status")
    runs = [r for r in call.store.kind(_RUN).values() if r["eval_id"] == ev["id"] and status in (None, r["status"])]
    return page(call, runs)


def list_output_items(call: Call) -> Reply:
    run = _run(call)
    status = call.query.get("status")
    items = [i for i in call.store.kind(_ITEM).values() if i["run_id"] == run["id"] and status in (None, i["status"])]
    return page(call, items)


def get_output_item(call: Call) -> Reply:
    run = _run(call)
    item = call.store.kind(_ITEM).get(call.path_params["output_item_id"])
    if item is None or item["run_id"] != run["id"]:
        raise not_found("Output item", call.path_params["output_item_id"])
    return JsonReply(public(item))
