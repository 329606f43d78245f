"""The `azgate` command group, and the one place failures become an exit code and a line."""

from __future__ import annotations

import traceback
from typing import Any, NoReturn

import click

from .. import __version__
from ..exceptions import ConfigurationError
from ._exit import ExitCode, classify
from ._output import err_console
from ._settings import ClientFlags, debug_option

__all__ = ["cli"]

_EPILOG = """\b
Exit codes: 0 ok; 1 the service answered with an error; 2 usage or configuration;
3 no connection (refused, DNS, TLS, timeout); 4 key or token refused; 5 a job failed;
6 stopped waiting (--timeout; the job keeps running); 130 interrupted.
"""


class AzgateGroup(click.Group):
    """A group whose commands fail with one line on stderr and a documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt as exc:
            _fail(ctx, ExitCode.INTERRUPTED, str(exc) or "interrupted", exc)
        except Exception as exc:
            found = classify(exc)
            if found is None:
                raise  # a bug: the traceback is what a report needs
            code, message = found
            flags = ctx.meta.get("azgate.flags")
            if isinstance(exc, ConfigurationError) and isinstance(flags, ClientFlags):
                message = flags.flag_names(message)
            _fail(ctx, code, message, exc)


def _fail(ctx: click.Context, code: ExitCode, message: str, exc: BaseException) -> NoReturn:
    console = err_console()
    if ctx.meta.get("azgate.debug"):
        console.print(traceback.format_exc(), markup=False, highlight=False, end="")
    console.print(f"azgate: error: {message}", markup=False, highlight=False, style="red")
    ctx.exit(int(code))


@click.group(cls=AzgateGroup, epilog=_EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="azgate")
@debug_option
def cli() -> None:
    """azgate: Azure OpenAI from the command line.

    Settings come from flags (the Client keywords with dashes: --api-key,
    --endpoint, --api-version, --deployment, ...) or the environment
    (AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT, OPENAI_API_VERSION,
    AZURE_OPENAI_DEPLOYMENT). `azgate doctor` checks them.
    """


def _register() -> None:
    from . import _batch, _chat, _doctor, _emulator, _fine_tune, _media, _versions

    for module in (_chat, _media, _batch, _fine_tune, _emulator, _versions, _doctor):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()
