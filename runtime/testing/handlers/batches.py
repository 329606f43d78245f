"""Batch_*: batches that really run their lines through the emulator's handlers.

States, one per `store.tick` seconds (0: all at the next read):

    validating -> in_progress -> finalizing -> completed
    validating -> failed                      (the input is not valid batch JSONL)
    ... -> cancelling -> cancelled            (batches.cancel)
    ... -> expired                            (emulator.store.expire_batch(id), or
                                               POST /_emulator/batches/<id>/expire)

Each line is `{"custom_id", "method": "POST", "url": <the batch's endpoint>, "body"}`;
its body goes through the same validation and handler as a request to `url` on the
deployment named by `body.model`. Successes go to the output file, failures (a body that
fails validation, an unknown deployment) to the error file, one line each:
`{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from .._call import Call
from .._responses import JsonReply, Reply
from .._store import paginate, public
from ._objects import conflict, invalid_payload, not_found, require_file, version_in
from ._text import new_id, now
from .files import add_file

__all__ = ["cancel_batch", "create_batch", "get_batch", "list_batches"]

ENDPOINTS = frozenset(
    {"/chat/completions", "/completions", "/embeddings", "/v1/chat/completions", "/v1/completions", "/v1/embeddings"}
)
_TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
_WINDOW_SECONDS = 24 * 3600
_CREATED_201 = ("2025-03-01-preview", "2025-04-01-preview")


def create_batch(call: Call) -> Reply:
    body = call.body
    endpoint = str(body.get("endpoint", ""))
    if endpoint not in ENDPOINTS:
        raise invalid_payload(f"Invalid endpoint {endpoint!r}; expected one of {', '.join(sorted(ENDPOINTS))}.")
    if body.get("completion_window") != "24h":
        raise invalid_payload(f"Invalid completion_window {body.get('completion_window')!r}; only '24h' is supported.")
    input_file_id = body.get("input_file_id")
    if not isinstance(input_file_id, str):
        raise invalid_payload("input_file_id is required (the id of a file uploaded with purpose 'batch').")
    require_file(call, input_file_id, purpose="batch", field="input_file_id")
    created = now()
    batch: dict[str, Any] = {
        "id": "batch_" + str(uuid.uuid4()),
        "object": "batch",
        "endpoint": endpoint,
        "errors": None,
        "input_file_id": input_file_id,
        "completion_window": "24h",
        "status": "validating",
        "output_file_id": None,
        "error_file_id": None,
        "created_at": created,
        "in_progress_at": None,
        "expires_at": created + _WINDOW_SECONDS,
        "finalizing_at": None,
        "completed_at": None,
        "failed_at": None,
        "expired_at": None,
        "cancelling_at": None,
        "cancelled_at": None,
        "request_counts": {"total": 0, "completed": 0, "failed": 0},
        "metadata": body.get("metadata"),
        "_api_version": call.api_version,
        "_lines": [],
        "_results": [],
    }
    call.store.kind("batch")[batch["id"]] = batch
    call.store.start_clock(batch["id"])
    return JsonReply(public(batch), status=201 if version_in(call, *_CREATED_201) else 200)


def _batch(call: Call) -> dict[str, Any]:
    batch_id = call.path_params["batch-id"]
    batch = call.store.kind("batch").get(batch_id)
    if batch is None:
        raise not_found("Batch", batch_id)
    _advance(call, batch)
    return batch


def get_batch(call: Call) -> Reply:
    return JsonReply(public(_batch(call)))


def list_batches(call: Call) -> Reply:
    batches = list(call.store.kind("batch").values())
    for batch in batches:
        _advance(call, batch)
    return JsonReply(paginate(batches, call.query))


def cancel_batch(call: Call) -> Reply:
    batch = _batch(call)
    if batch["status"] in _TERMINAL:
        raise conflict(f"Batch {batch['id']} is {batch['status']} and can no longer be cancelled.")
    if batch["status"] != "cancelling":
        batch["status"], batch["cancelling_at"] = "cancelling", now()
        call.store.start_clock(batch["id"])
    return JsonReply(public(batch))


# -- the state machine ------------------------------------------------------------


def _advance(call: Call, batch: dict[str, Any]) -> None:
    if batch["status"] in _TERMINAL:
        return
    for _ in range(call.store.steps_due(batch["id"])):
        _step(call, batch)
        if batch["status"] in _TERMINAL:
            return


def _step(call: Call, batch: dict[str, Any]) -> None:
    status = batch["status"]
    if batch["id"] in call.store.expiring and status != "cancelling":
        call.store.expiring.discard(batch["id"])
        _finish(call, batch, "expired", "expired_at")
    elif status == "validating":
        _validate(call, batch)
    elif status == "in_progress":
        _run(call, batch)
        batch["status"], batch["finalizing_at"] = "finalizing", now()
    elif status == "finalizing":
        _finish(call, batch, "completed", "completed_at")
    elif status == "cancelling":
        _finish(call, batch, "cancelled", "cancelled_at")


def _line_error(line: int, code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "line": line, "param": None}


def _parse(text: str, endpoint: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(lines, errors) of a batch input file."""
    lines: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    want = endpoint.removeprefix("/v1")
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(_line_error(number, "invalid_json_line", f"This line is not parseable as valid JSON: {exc}."))
            continue
        if not isinstance(line, dict) or not isinstance(line.get("body"), dict):
            errors.append(_line_error(number, "invalid_request", "Each line must be an object with a 'body' object."))
            continue
        custom_id = line.get("custom_id")
        if not isinstance(custom_id, str) or custom_id in seen:
            errors.append(_line_error(number, "duplicate_custom_id", "Each line needs a unique string 'custom_id'."))
            continue
        seen.add(custom_id)
        if line.get("method") != "POST":
            errors.append(_line_error(number, "invalid_method", "The only supported method is 'POST'."))
            continue
        url = str(line.get("url", "")).removeprefix("/v1")
        if url != want:
            errors.append(
                _line_error(
                    number, "mismatched_url", f"The url {line.get('url')!r} is not the batch's endpoint {endpoint!r}."
                )
            )
            continue
        lines.append(line)
    if not lines and not errors:
        errors.append(_line_error(0, "empty_file", "The input file has no requests."))
    return lines, errors


def _validate(call: Call, batch: dict[str, Any]) -> None:
    stored = call.store.files.get(batch["input_file_id"])
    text = stored.content.decode("utf-8", "replace") if stored is not None else ""
    lines, errors = (
        _parse(text, batch["endpoint"])
        if stored is not None
        else ([], [_line_error(0, "file_not_found", "The input file was deleted.")])
    )
    if errors:
        batch["errors"] = {"object": "list", "data": errors}
        batch["status"], batch["failed_at"] = "failed", now()
        return
    batch["_lines"] = lines
    batch["request_counts"] = {"total": len(lines), "completed": 0, "failed": 0}
    batch["status"], batch["in_progress_at"] = "in_progress", now()


def _run(call: Call, batch: dict[str, Any]) -> None:
    runner = call.store.runner
    results: list[dict[str, Any]] = []
    for line in batch["_lines"]:
        status: int
        body: Mapping[str, Any]
        if runner is None:  # a store without an app: nothing can answer
            status, body = 500, {"error": {"code": "internal_error", "message": "no emulator app"}}
        else:
            status, body = runner(str(line["url"]), line["body"], batch["_api_version"])
        results.append(_result(line, status, body))
    batch["_results"] = results
    failed = sum(1 for r in results if r["error"] is not None)
    batch["request_counts"] = {"total": len(results), "completed": len(results) - failed, "failed": failed}


def _result(line: Mapping[str, Any], status: int, body: Mapping[str, Any]) -> dict[str, Any]:
    error = None
    if status >= 400:
        raw = body.get("error")
        detail: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        error = {"code": str(detail.get("code") or status), "message": str(detail.get("message") or "")}
    return {
        "id": new_id("batch_req_"),
        "custom_id": line["custom_id"],
        "response": {"status_code": status, "request_id": str(uuid.uuid4()), "body": body},
        "error": error,
    }


def _finish(call: Call, batch: dict[str, Any], status: str, stamp: str) -> None:
    results: list[dict[str, Any]] = batch["_results"]
    if status == "expired":
        done = {r["custom_id"] for r in results}
        for line in batch["_lines"]:
            if line["custom_id"] not in done:
                results.append(
                    {
                        "id": new_id("batch_req_"),
                        "custom_id": line["custom_id"],
                        "response": None,
                        "error": {
                            "code": "batch_expired",
                            "message": "This request could not be executed before the completion window expired.",
                        },
                    }
                )
    ok = [r for r in results if r["error"] is None]
    bad = [r for r in results if r["error"] is not None]
    if status == "expired":
        batch["request_counts"] = {"total": len(batch["_lines"]), "completed": len(ok), "failed": len(bad)}
    if ok:
        batch["output_file_id"] = add_file(call, f"{batch['id']}_output.jsonl", "batch_output", _jsonl(ok)).id
    if bad:
        batch["error_file_id"] = add_file(call, f"{batch['id']}_error.jsonl", "batch_output", _jsonl(bad)).id
    batch["status"], batch[stamp] = status, now()


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in rows).encode()
