"""A finished batch: its per-request results, and the decision to return or raise. No I/O."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Union

import pydantic

from ..exceptions import AzgateError
from ..generated.models import Batch, BatchErrorData, CreateChatCompletionResponse

__all__ = [
    "NOT_PROCESSED",
    "BatchFailedError",
    "BatchFailure",
    "BatchResult",
    "BatchResults",
    "BatchSuccess",
    "BatchTimeoutError",
    "batch_errors",
    "build_results",
    "describe_counts",
    "finish",
    "is_terminal",
]

log = logging.getLogger("azgate")

TERMINAL_STATUSES = frozenset({"completed", "failed", "expired", "cancelled"})
NOT_PROCESSED = "not_processed"
"""The `code` of a request the batch ended (expired, cancelled, failed) without running."""


def is_terminal(status: str | None) -> bool:
    return status in TERMINAL_STATUSES


@dataclass(frozen=True)
class BatchSuccess:
    """A request that got a 2xx answer. `body` is the typed chat completion for
    /chat/completions batches, the response body as a dict for other endpoints (and for a
    chat body that does not validate)."""

    custom_id: str
    status_code: int
    body: CreateChatCompletionResponse | dict[str, Any]
    request_id: str | None = None
    ok: Literal[True] = field(default=True, repr=False)

    @property
    def completion(self) -> CreateChatCompletionResponse:
        """`body` as a chat completion; TypeError for other endpoints."""
        if not isinstance(self.body, CreateChatCompletionResponse):
            raise TypeError(f"The result of {self.custom_id!r} is not a chat completion; read .body (a dict).")
        return self.body


@dataclass(frozen=True)
class BatchFailure:
    """A request that failed (an error line, or a non-2xx status in the output), or that
    never ran (`code` "not_processed")."""

    custom_id: str
    code: str | None
    message: str
    status_code: int | None = None
    request_id: str | None = None
    body: object = field(default=None, repr=False)
    """The error as the service sent it."""
    ok: Literal[False] = field(default=False, repr=False)


BatchResult = Union[BatchSuccess, BatchFailure]


class BatchResults(Mapping[str, BatchResult]):
    """custom_id -> BatchSuccess | BatchFailure, in input order (results the input did not
    ask for, which should not happen, come last). Every input custom_id has an entry."""

    def __init__(self, batch: Batch, results: Mapping[str, BatchResult]) -> None:
        self.batch = batch
        self._results = dict(results)

    def __getitem__(self, custom_id: str) -> BatchResult:
        return self._results[custom_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._results)

    def __len__(self) -> int:
        return len(self._results)

    @property
    def succeeded(self) -> list[BatchSuccess]:
        return [r for r in self._results.values() if isinstance(r, BatchSuccess)]

    @property
    def failed(self) -> list[BatchFailure]:
        return [r for r in self._results.values() if isinstance(r, BatchFailure)]

    def __repr__(self) -> str:
        return (
            f"BatchResults(batch_id={self.batch.id!r}, status={self.batch.status!r}, "
            f"succeeded={len(self.succeeded)}, failed={len(self.failed)})"
        )


def batch_errors(batch: Batch) -> list[BatchErrorData]:
    """The batch-level errors (e.g. input lines the service rejected)."""
    data: Any = batch.errors.data if batch.errors is not None else None
    items = data if isinstance(data, list) else [data] if data is not None else []
    return [item if isinstance(item, BatchErrorData) else _error_data(item) for item in items]


def _error_data(item: Any) -> BatchErrorData:
    try:
        return BatchErrorData.model_validate(item)
    except pydantic.ValidationError:  # e.g. an int `line` where the published spec says string
        return BatchErrorData.model_construct(**item) if isinstance(item, dict) else BatchErrorData(message=str(item))


def describe_counts(batch: Batch) -> str:
    counts = batch.request_counts
    if counts is None or not counts.total:
        return "no request ran" if is_terminal(batch.status) else "request counts not known yet"
    done = (counts.completed or 0) + (counts.failed or 0)
    return f"{done} of {counts.total} requests done, {counts.failed or 0} failed"


class BatchFailedError(AzgateError):
    """The batch ended failed, expired or cancelled. `batch` is its final state, `errors`
    its batch-level errors, `results` what it finished (None when it ran nothing)."""

    def __init__(self, batch: Batch, results: BatchResults | None) -> None:
        self.batch = batch
        self.errors = batch_errors(batch)
        self.results = results
        status = batch.status
        message = f"Batch {batch.id} {'was ' if status == 'cancelled' else ''}{status}"
        if status == "expired":
            message += f" (completion window {batch.completion_window})"
        message += f": {describe_counts(batch)}."
        if self.errors:
            shown = "; ".join(_describe_error(e) for e in self.errors[:5])
            more = f" (and {len(self.errors) - 5} more)" if len(self.errors) > 5 else ""
            message += f" Errors: {shown}{more}."
        if results is not None:
            message += (
                f" error.results has the outcome of each request ({len(results.succeeded)} succeeded, "
                f"{len(results.failed)} failed; code {NOT_PROCESSED!r} for those it never ran)."
            )
            if status != "failed":
                message += " Pass allow_partial=True to have them returned instead."
        elif status == "failed":
            message += " Fix the input and submit a new batch."
        super().__init__(message)


def _describe_error(error: BatchErrorData) -> str:
    where = f"line {error.line}: " if error.line else ""
    return f"{where}{error.code or 'error'}: {(error.message or '(no message)').rstrip('.')}"


class BatchTimeoutError(AzgateError, TimeoutError):
    """`timeout` ran out; the batch keeps running on the service. `batch` is the last
    state seen; resume_batch(client, error.batch.id) waits for it again."""

    def __init__(self, batch: Batch, waited: float, resume: str = "resume_batch") -> None:
        self.batch = batch
        super().__init__(
            f"Stopped waiting for batch {batch.id} after {waited:.1f} s (status {batch.status}, "
            f"{describe_counts(batch)}); it keeps running on the service. "
            f"Resume with {resume}(client, {batch.id!r})."
        )


def _lines(data: bytes | None, source: str) -> Iterator[dict[str, Any]]:
    for number, raw in enumerate((data or b"").decode("utf-8-sig").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except ValueError:
            item = None
        if isinstance(item, dict) and isinstance(item.get("custom_id"), str):
            yield item
        else:
            log.warning("Skipping line %d of the batch %s file: not a result with a custom_id", number, source)


def _typed_body(custom_id: str, endpoint: str, body: Any) -> CreateChatCompletionResponse | dict[str, Any]:
    if endpoint.endswith("/chat/completions") and isinstance(body, dict):
        try:
            return CreateChatCompletionResponse.model_validate(body)
        except pydantic.ValidationError as exc:
            log.warning("The result of %r is not a chat completion; keeping it as a dict: %s", custom_id, exc)
    return body if isinstance(body, dict) else {"value": body}


def _result(item: Mapping[str, Any], endpoint: str) -> BatchResult:
    custom_id = str(item["custom_id"])
    raw_response = item.get("response")
    response: dict[str, Any] = raw_response if isinstance(raw_response, dict) else {}
    status = response.get("status_code")
    request_id = response.get("request_id")
    request_id = str(request_id) if request_id is not None else None
    error = item.get("error")
    body = response.get("body")
    if not error and isinstance(status, int) and 200 <= status < 300:
        return BatchSuccess(custom_id, status, _typed_body(custom_id, endpoint, body), request_id)
    if not isinstance(error, dict):
        inner = body.get("error") if isinstance(body, dict) else None
        error = inner if isinstance(inner, dict) else {}
    code = error.get("code")
    message = error.get("message") or (f"HTTP {status}" if status is not None else "the request failed")
    return BatchFailure(
        custom_id,
        str(code) if code is not None else None,
        str(message),
        status if isinstance(status, int) else None,
        request_id,
        item.get("error") or body,
    )


def build_results(
    batch: Batch, custom_ids: list[str], output: bytes | None, errors: bytes | None, endpoint: str
) -> BatchResults:
    found: dict[str, BatchResult] = {}
    for source, data in (("output", output), ("error", errors)):
        for item in _lines(data, source):
            result = _result(item, endpoint)
            if not isinstance(found.get(result.custom_id), BatchSuccess):
                found[result.custom_id] = result
    reason = f"The batch ended {batch.status} before this request ran; submit it again."
    ordered: dict[str, BatchResult] = {}
    for cid in custom_ids:
        ordered[cid] = found.pop(cid) if cid in found else BatchFailure(cid, NOT_PROCESSED, reason)
    ordered.update(found)
    return BatchResults(batch, ordered)


def finish(
    batch: Batch,
    custom_ids: list[str],
    output: bytes | None,
    errors: bytes | None,
    *,
    allow_partial: bool,
) -> BatchResults:
    """The results of a batch in a terminal state, or BatchFailedError.

    completed: the results. expired / cancelled: BatchFailedError carrying the partial
    results, or the partial results themselves with allow_partial=True. failed (the
    service rejected the input): BatchFailedError with the batch's errors.
    """
    results = build_results(batch, custom_ids, output, errors, batch.endpoint or "")
    status = batch.status
    if status == "completed" or (allow_partial and status in ("expired", "cancelled")):
        return results
    ran = output is not None or errors is not None
    raise BatchFailedError(batch, results if ran else None)
