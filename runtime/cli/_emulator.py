"""`azgate emulator`: the bundled Azure OpenAI emulator (azgate.testing) in the foreground."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click

from ._exit import CliError
from ._output import emit_json, note

__all__ = ["COMMANDS"]

EXAMPLE_API_VERSION = "2024-10-21"


def _deployment(value: str) -> tuple[str, str]:
    name, sep, model = value.partition("=")
    if not sep or not name.strip() or not model.strip():
        raise CliError(f"--deployment takes NAME=MODEL (e.g. gpt-4o=gpt-4o); got {value!r}")
    return name.strip(), model.strip()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="0 picks a free port.")
@click.option("--api-key", help="The key it accepts (default: the emulator's test key).")
@click.option(
    "--deployment",
    "deployments",
    multiple=True,
    metavar="NAME=MODEL",
    help="A deployment (repeatable); replaces the default set.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the endpoint, key and deployments as one JSON line.")
def emulator(host: str, port: int, api_key: str | None, deployments: tuple[str, ...], as_json: bool) -> None:
    """Serve the bundled Azure OpenAI emulator until Ctrl-C.

    It validates requests against the api-version's spec and answers like Azure: chat,
    embeddings, images, audio, files, batches, fine-tuning. Needs azgate[testing].
    """
    try:
        from ..testing import DEFAULT_API_KEY, Emulator
    except ImportError as exc:
        raise CliError(f'the emulator needs the "testing" extra: pip install "azgate[testing]" ({exc})') from None
    chosen = dict(_deployment(d) for d in deployments) or None
    try:
        server = Emulator(host=host, port=port, api_key=api_key or DEFAULT_API_KEY, deployments=chosen)
        server.start()
    except (ValueError, RuntimeError, OSError) as exc:
        raise CliError(f"the emulator could not start on {host}:{port}: {exc} (--port 0 picks a free port)") from exc
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        key_shown = server.api_key if api_key is None else None  # the well-known test key only
        if as_json:
            emit_json(
                {"endpoint": server.endpoint, "api_key": key_shown, "deployments": server.deployments}, lines=True
            )
        else:
            click.echo(server.endpoint)
            note(f"Azure OpenAI emulator on {server.endpoint}; Ctrl-C stops it. In another shell:")
            note(f"  export AZURE_OPENAI_ENDPOINT={server.endpoint}")
            note(f"  export AZURE_OPENAI_API_KEY={key_shown or '<the key you passed>'}")
            note(f"  export OPENAI_API_VERSION={EXAMPLE_API_VERSION}")
            note('  azgate chat "Hello" --deployment gpt-4')
            note(f"deployments: {', '.join(f'{k} ({v})' for k, v in sorted(server.deployments.items()))}")
        while not stop.wait(0.5):  # a timed wait keeps the main thread responsive to signals
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.stop()


COMMANDS = [emulator]
