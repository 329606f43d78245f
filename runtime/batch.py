"""Batch jobs end to end: upload, create, wait (for hours if need be), collect results.

```python
from azgate.batch import run_batch

results = run_batch(client, [
    {"custom_id": "q1", "model": "gpt-4o-batch", "messages": [{"role": "user", "content": "Hi"}]},
    {"model": "gpt-4o-batch", "messages": [{"role": "user", "content": "Bye"}]},  # custom_id "request-1"
])
for custom_id, result in results.items():          # input order
    print(custom_id, result.completion.choices[0].message.content if result.ok else result.message)
```

- Input: request bodies (custom_id optional; missing ones become "request-<n>") or the
  path of a JSONL file. It is checked whole before anything is uploaded: duplicate
  custom_ids, missing `model`, bad lines (by line number) are one BatchInputError.
- Waiting: polls batches.retrieve every `poll_interval` seconds, growing to
  `max_poll_interval`; draws a tqdm bar (done = completed + failed) when tqdm is
  installed and stderr is a terminal (`progress=False` turns it off, a callable gets each
  Batch instead). Transient errors while polling (connection, 429, 5xx) are retried.
- Ending: completed -> BatchResults (custom_id -> BatchSuccess | BatchFailure, every
  input custom_id present). failed -> BatchFailedError with the batch's errors. expired /
  cancelled -> BatchFailedError whose `.results` has what finished (requests that never
  ran are BatchFailure with code "not_processed"); `allow_partial=True` returns those
  results instead of raising. A partial batch never looks like a complete one.
- Never cancels the batch on the service: Ctrl-C and `timeout` stop the waiting only, and
  the message says how to resume: `resume_batch(client, batch_id)` (it reads the input
  order back from the batch's input file).

`arun_batch` and `aresume_batch` are the same for AsyncClient.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import anyio

from ._core._types import NOT_GIVEN, NotGiven
from ._jobs._batch_input import (
    BatchInputError,
    BatchRequests,
    PreparedInput,
    content_bytes,
    custom_ids_of_input,
    prepare_input,
)
from ._jobs._batch_results import (
    NOT_PROCESSED,
    BatchFailedError,
    BatchFailure,
    BatchResult,
    BatchResults,
    BatchSuccess,
    BatchTimeoutError,
    finish,
    is_terminal,
)
from ._jobs._polling import Poller, Progress, interrupted_hint
from .exceptions import AzgateError
from .generated.models import Batch, File

if TYPE_CHECKING:
    from .generated import AsyncClient, Client

__all__ = [
    "NOT_PROCESSED",
    "BatchFailedError",
    "BatchFailure",
    "BatchInputError",
    "BatchRequests",
    "BatchResult",
    "BatchResults",
    "BatchSuccess",
    "BatchTimeoutError",
    "aresume_batch",
    "arun_batch",
    "resume_batch",
    "run_batch",
]

for _name in (
    "BatchFailedError",
    "BatchFailure",
    "BatchInputError",
    "BatchResults",
    "BatchSuccess",
    "BatchTimeoutError",
):
    globals()[_name].__module__ = __name__  # reprs and docs show azgate.batch

log = logging.getLogger("azgate")

DEFAULT_POLL_INTERVAL = 5.0
DEFAULT_MAX_POLL_INTERVAL = 60.0


def _describe(batch: Batch) -> tuple[str, int | None, int | None]:
    counts = batch.request_counts
    total = counts.total if counts is not None else None
    done = (counts.completed or 0) + (counts.failed or 0) if counts is not None else None
    return f"batch {batch.status}", done, total or None


def _hint(batch_id: str, resume: str) -> str:
    return f"Batch {batch_id} keeps running on the service; resume waiting with {resume}(client, {batch_id!r})."


def _metadata(metadata: Mapping[str, str] | None) -> Mapping[str, str] | NotGiven:
    return dict(metadata) if metadata is not None else NOT_GIVEN


def _file_id(uploaded: File) -> str:
    if not uploaded.id:
        raise AzgateError("The service accepted the batch input file but returned no file id.")
    return uploaded.id


def _created(batch: Batch, prepared: PreparedInput) -> None:
    log.info("Created batch %s with %d requests; status %s", batch.id, len(prepared.custom_ids), batch.status)


# -- sync ------------------------------------------------------------------------------


def run_batch(
    client: Client,
    requests: BatchRequests,
    *,
    endpoint: str = "/chat/completions",
    completion_window: str = "24h",
    metadata: Mapping[str, str] | None = None,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    timeout: float | None = None,
    progress: bool | Callable[[Batch], None] | None = None,
    allow_partial: bool = False,
) -> BatchResults:
    """Run `requests` as one batch and return their results in input order.

    `timeout` (seconds, from this call; None = as long as it takes) ends the wait with
    BatchTimeoutError; the batch itself goes on. See the module docstring for the rest.
    """
    poller = Poller(poll_interval, max_poll_interval, timeout)
    prepared = prepare_input(requests, endpoint)
    uploaded = client.files.create(file=prepared.upload(), purpose="batch")
    batch = client.batches.create(
        input_file_id=_file_id(uploaded),
        endpoint=endpoint,
        completion_window=completion_window,
        metadata=_metadata(metadata),
    )
    _created(batch, prepared)
    return _collect(client, batch, prepared.custom_ids, poller, progress, allow_partial)


def resume_batch(
    client: Client,
    batch_id: str,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    timeout: float | None = None,
    progress: bool | Callable[[Batch], None] | None = None,
    allow_partial: bool = False,
) -> BatchResults:
    """Wait again for a batch run_batch started (after a crash, Ctrl-C or timeout), or
    any batch by id; the same results, ordered as its input file."""
    poller = Poller(poll_interval, max_poll_interval, timeout)
    with interrupted_hint(_hint(batch_id, "resume_batch")):
        batch = client.batches.retrieve(batch_id=batch_id)
        custom_ids = custom_ids_of_input(content_bytes(client.files.content(file_id=batch.input_file_id)))
    return _collect(client, batch, custom_ids, poller, progress, allow_partial)


def _collect(
    client: Client,
    batch: Batch,
    custom_ids: list[str],
    poller: Poller,
    progress: bool | Callable[[Batch], None] | None,
    allow_partial: bool,
) -> BatchResults:
    with interrupted_hint(_hint(batch.id, "resume_batch")):
        batch = _wait(client, batch, poller, progress)
        output = _download(client, batch.output_file_id)
        errors = _download(client, batch.error_file_id)
    return finish(batch, custom_ids, output, errors, allow_partial=allow_partial)


def _wait(client: Client, batch: Batch, poller: Poller, option: bool | Callable[[Batch], None] | None) -> Batch:
    progress = Progress(option, _describe, unit="req")
    try:
        progress.update(batch)
        while not is_terminal(batch.status):
            delay = poller.next_delay()
            if delay is None:
                raise BatchTimeoutError(batch, poller.elapsed, "resume_batch")
            time.sleep(delay)
            try:
                batch = client.batches.retrieve(batch_id=batch.id)
            except AzgateError as exc:
                if poller.should_retry_look(exc):
                    continue
                raise
            poller.looked()
            progress.update(batch)
        return batch
    finally:
        progress.close()


def _download(client: Client, file_id: str | None) -> bytes | None:
    return content_bytes(client.files.content(file_id=file_id)) if file_id else None


# -- async -----------------------------------------------------------------------------


async def arun_batch(
    client: AsyncClient,
    requests: BatchRequests,
    *,
    endpoint: str = "/chat/completions",
    completion_window: str = "24h",
    metadata: Mapping[str, str] | None = None,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    timeout: float | None = None,
    progress: bool | Callable[[Batch], None] | None = None,
    allow_partial: bool = False,
) -> BatchResults:
    """run_batch for AsyncClient."""
    poller = Poller(poll_interval, max_poll_interval, timeout)
    prepared = prepare_input(requests, endpoint)
    uploaded = await client.files.create(file=prepared.upload(), purpose="batch")
    batch = await client.batches.create(
        input_file_id=_file_id(uploaded),
        endpoint=endpoint,
        completion_window=completion_window,
        metadata=_metadata(metadata),
    )
    _created(batch, prepared)
    return await _acollect(client, batch, prepared.custom_ids, poller, progress, allow_partial)


async def aresume_batch(
    client: AsyncClient,
    batch_id: str,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    timeout: float | None = None,
    progress: bool | Callable[[Batch], None] | None = None,
    allow_partial: bool = False,
) -> BatchResults:
    """resume_batch for AsyncClient."""
    poller = Poller(poll_interval, max_poll_interval, timeout)
    with interrupted_hint(_hint(batch_id, "aresume_batch")):
        batch = await client.batches.retrieve(batch_id=batch_id)
        custom_ids = custom_ids_of_input(content_bytes(await client.files.content(file_id=batch.input_file_id)))
    return await _acollect(client, batch, custom_ids, poller, progress, allow_partial)


async def _acollect(
    client: AsyncClient,
    batch: Batch,
    custom_ids: list[str],
    poller: Poller,
    progress: bool | Callable[[Batch], None] | None,
    allow_partial: bool,
) -> BatchResults:
    with interrupted_hint(_hint(batch.id, "aresume_batch")):
        batch = await _await(client, batch, poller, progress)
        output = await _adownload(client, batch.output_file_id)
        errors = await _adownload(client, batch.error_file_id)
    return finish(batch, custom_ids, output, errors, allow_partial=allow_partial)


async def _await(
    client: AsyncClient, batch: Batch, poller: Poller, option: bool | Callable[[Batch], None] | None
) -> Batch:
    progress = Progress(option, _describe, unit="req")
    try:
        progress.update(batch)
        while not is_terminal(batch.status):
            delay = poller.next_delay()
            if delay is None:
                raise BatchTimeoutError(batch, poller.elapsed, "aresume_batch")
            await anyio.sleep(delay)
            try:
                batch = await client.batches.retrieve(batch_id=batch.id)
            except AzgateError as exc:
                if poller.should_retry_look(exc):
                    continue
                raise
            poller.looked()
            progress.update(batch)
        return batch
    finally:
        progress.close()


async def _adownload(client: AsyncClient, file_id: str | None) -> bytes | None:
    return content_bytes(await client.files.content(file_id=file_id)) if file_id else None
