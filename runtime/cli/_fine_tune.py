"""`azgate fine-tune wait`: built on azgate.fine_tuning."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ._exit import CliError, ExitCode
from ._output import emit_json
from ._settings import ClientFlags, client_options, json_option

if TYPE_CHECKING:
    from ..generated.models import FineTuningJobEvent

__all__ = ["COMMANDS"]


@click.group("fine-tune")
def fine_tune() -> None:
    """Fine-tuning jobs."""


@fine_tune.command("wait")
@click.argument("job_id")
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds between looks (growing to 60).",
)
@click.option("--timeout", "wait_timeout", type=click.FloatRange(min=0), help="Stop waiting after seconds.")
@json_option
@client_options
def fine_tune_wait(
    job_id: str, poll_interval: float, wait_timeout: float | None, as_json: bool, flags: ClientFlags
) -> None:
    """Wait for JOB_ID, printing its events as they come (--json: one JSON event per line).

    Ends with the fine-tuned model's name; a failed or cancelled job exits 5.
    """

    from ..fine_tuning import format_event, wait_for_fine_tuning  # loads the models: only when it runs

    def show(event: FineTuningJobEvent) -> None:
        if as_json:
            emit_json(event, lines=True)
        else:
            click.echo(format_event(event))

    with flags.client() as client:
        try:
            job = wait_for_fine_tuning(
                client,
                job_id,
                poll_interval=poll_interval,
                max_poll_interval=max(poll_interval, 60.0),
                timeout=wait_timeout,
                on_event=show,
                progress=False,
            )
        except KeyboardInterrupt:
            raise CliError(
                f"stopped waiting; job {job_id} keeps running: azgate fine-tune wait {job_id}", ExitCode.INTERRUPTED
            ) from None
    if as_json:
        emit_json(job, lines=True)  # "object": "fine_tuning.job", after the events
    else:
        click.echo(f"{job.id} succeeded: {job.fine_tuned_model}")


COMMANDS = [fine_tune]
