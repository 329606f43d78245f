"""`azgate batch run` and `azgate batch wait`: built on azgate.batch.

The waiting, the retries while polling and the result collection are `run_batch` /
`resume_batch`; this module only draws the progress (a rich bar on a terminal, a line
per change elsewhere) and writes the results as JSONL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ._exit import CliError, ExitCode
from ._output import emit_json, err_console, note, to_jsonable
from ._settings import ClientFlags, client_options, json_option

if TYPE_CHECKING:  # azgate.batch loads the models: imported when a batch command runs
    from ..batch import BatchResult, BatchResults
    from ..generated.models import Batch

__all__ = ["COMMANDS", "result_line"]


class _Started(Exception):
    """Raised from the progress callback once the batch exists: `--no-wait` stops there."""

    def __init__(self, batch: Batch) -> None:
        super().__init__(batch.id)
        self.batch = batch


def result_line(result: BatchResult) -> dict[str, Any]:
    """One line of the results file: the custom_id, ok, and the body or the error."""
    if result.ok is False:  # a tagged union: BatchFailure
        return {
            "custom_id": result.custom_id,
            "ok": False,
            "status_code": result.status_code,
            "error": {"code": result.code, "message": result.message},
            "request_id": result.request_id,
        }
    return {
        "custom_id": result.custom_id,
        "ok": True,
        "status_code": result.status_code,
        "response": to_jsonable(result.body),
        "request_id": result.request_id,
    }


def _write_results(results: BatchResults, out: Path | None) -> None:
    lines = (json.dumps(result_line(r), ensure_ascii=False) for r in results.values())
    if out is None:
        for line in lines:
            click.echo(line)
        return
    try:
        with out.open("w", encoding="utf-8") as handle:
            for line in lines:
                handle.write(line + "\n")
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from exc


def _summary(results: BatchResults, out: Path | None) -> str:
    where = f" -> {out}" if out is not None else ""
    return (
        f"batch {results.batch.id} {results.batch.status}: {len(results.succeeded)} succeeded, "
        f"{len(results.failed)} failed{where}"
    )


@contextmanager
def _progress_display(label: str) -> Iterator[Callable[[Batch], None]]:
    """A callback for each Batch seen: a live bar on a terminal, a line per change elsewhere."""
    console = err_console()
    if not console.is_terminal:
        last: list[tuple[Any, ...]] = []

        def line(batch: Batch) -> None:
            counts = batch.request_counts
            state = (batch.status, counts.completed if counts else None, counts.failed if counts else None)
            if not last or last[-1] != state:
                last.append(state)
                done = f" {(state[1] or 0) + (state[2] or 0)}/{counts.total}" if counts and counts.total else ""
                note(f"batch {batch.id}: {batch.status}{done}")

        yield line
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(label, total=None)

        def bar(batch: Batch) -> None:
            counts = batch.request_counts
            done = (counts.completed or 0) + (counts.failed or 0) if counts else 0
            total = counts.total if counts and counts.total else None
            progress.update(task, description=f"batch {batch.id} {batch.status}", completed=done, total=total)

        yield bar


def _wait_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--out",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the results (JSONL) here; default stdout.",
        ),
        click.option(
            "--poll-interval",
            type=click.FloatRange(min=0, min_open=True),
            default=5.0,
            show_default=True,
            help="Seconds between looks (growing to 60).",
        ),
        click.option("--timeout", "wait_timeout", type=click.FloatRange(min=0), help="Stop waiting after seconds."),
        click.option(
            "--allow-partial",
            is_flag=True,
            help="An expired or cancelled batch still writes its results and exits 0.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _finish(
    call: Callable[[Callable[[Batch], None]], BatchResults], label: str, out: Path | None, as_json: bool
) -> None:
    from ..batch import BatchFailedError

    seen: list[Batch] = []
    with _progress_display(label) as show:

        def progress(batch: Batch) -> None:
            seen.append(batch)
            show(batch)

        try:
            results = call(progress)
        except BatchFailedError as exc:
            if exc.results is not None:
                _write_results(exc.results, out)
            raise
        except KeyboardInterrupt:
            batch_id = seen[-1].id if seen else None
            resume = f"azgate batch wait {batch_id}" if batch_id else "azgate batch wait BATCH_ID"
            raise CliError(f"stopped waiting; the batch keeps running: {resume}", ExitCode.INTERRUPTED) from None
    _write_results(results, out)
    if as_json and out is not None:
        emit_json({"batch": results.batch, "succeeded": len(results.succeeded), "failed": len(results.failed)})
    else:
        note(_summary(results, out))


@click.group()
def batch() -> None:
    """Batch jobs: run a JSONL file of requests, wait for results."""


@batch.command("run")
@click.argument("requests_file", metavar="REQUESTS.jsonl", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--wait/--no-wait", default=False, help="Wait for the results (default: print the batch id and exit).")
@click.option(
    "--endpoint-path", "endpoint", default="/chat/completions", show_default=True, help="The batch's API path."
)
@click.option("--completion-window", default="24h", show_default=True)
@_wait_options
@json_option
@client_options
def batch_run(
    requests_file: Path,
    wait: bool,
    endpoint: str,
    completion_window: str,
    out: Path | None,
    poll_interval: float,
    wait_timeout: float | None,
    allow_partial: bool,
    as_json: bool,
    flags: ClientFlags,
) -> None:
    """Upload REQUESTS.jsonl and start a batch; with --wait, write its results as JSONL.

    Lines are {"custom_id", "method", "url", "body"} (the body's "model" is the
    deployment); the whole file is checked before anything is uploaded.
    """
    from ..batch import run_batch

    with flags.client() as client:

        def start(progress: Callable[[Batch], None]) -> BatchResults:
            return run_batch(
                client,
                str(requests_file),
                endpoint=endpoint,
                completion_window=completion_window,
                poll_interval=poll_interval,
                max_poll_interval=max(poll_interval, 60.0),
                timeout=wait_timeout,
                progress=progress,
                allow_partial=allow_partial,
            )

        if wait:
            _finish(start, "batch starting", out, as_json)
            return

        def stop_when_created(batch: Batch) -> None:
            raise _Started(batch)

        try:
            start(stop_when_created)
        except _Started as started:
            created = started.batch
        else:  # pragma: no cover - run_batch reports the batch before its first wait
            raise CliError("the batch finished before it was reported", ExitCode.API_ERROR)
    if as_json:
        emit_json(created)
    else:
        click.echo(created.id)
        note(f"batch {created.id} {created.status}; wait for it: azgate batch wait {created.id}")


@batch.command("wait")
@click.argument("batch_id")
@_wait_options
@json_option
@client_options
def batch_wait(
    batch_id: str,
    out: Path | None,
    poll_interval: float,
    wait_timeout: float | None,
    allow_partial: bool,
    as_json: bool,
    flags: ClientFlags,
) -> None:
    """Wait for BATCH_ID and write its results as JSONL (in its input's order)."""
    from ..batch import resume_batch

    with flags.client() as client:

        def resume(progress: Callable[[Batch], None]) -> BatchResults:
            return resume_batch(
                client,
                batch_id,
                poll_interval=poll_interval,
                max_poll_interval=max(poll_interval, 60.0),
                timeout=wait_timeout,
                progress=progress,
                allow_partial=allow_partial,
            )

        _finish(resume, f"batch {batch_id}", out, as_json)


COMMANDS = [batch]
