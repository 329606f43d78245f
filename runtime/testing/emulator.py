"""Command line: `python -m azgate.testing.emulator --port 8080`.

Prints the endpoint on the first line (for scripts), then what a client needs (the api
key, the deployments and their models, the response profile), then serves until Ctrl-C
or SIGTERM.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from .._core._operation import OperationSpec
from ._config import DEFAULT_API_KEY, DEFAULT_DEPLOYMENTS, parse_deployment
from ._emulator import Emulator
from ._profiles import PROFILES

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m azgate.testing.emulator",
        description="Run a local Azure OpenAI emulator.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address (default %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="the accepted api-key header")
    parser.add_argument(
        "--deployment",
        action="append",
        default=[],
        metavar="NAME=MODEL",
        help="a deployment (repeatable); replaces the defaults "
        f"({', '.join(f'{k}={v}' for k, v in DEFAULT_DEPLOYMENTS.items())})",
    )
    parser.add_argument(
        "--operations",
        metavar="MODULE:NAME",
        help="serve another operation table: a mapping or a function returning one "
        "(default azgate.generated._operations:OPERATIONS)",
    )
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="current",
        help="shape of the replies: today's (current), older api-versions' (legacy), "
        "or a gateway's with extra fields and unknown values (default %(default)s)",
    )
    parser.add_argument(
        "--body-timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="close a connection whose request body has not arrived by then (default %(default)s)",
    )
    parser.add_argument("--allow-non-loopback", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--log-level", default="warning")
    return parser


def _load_table(spec: str) -> Mapping[str, OperationSpec]:
    module, _, name = spec.partition(":")
    table: Any = getattr(importlib.import_module(module), name or "OPERATIONS")
    if callable(table):  # a factory function is fine too
        table = table()
    return dict(table)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        deployments = dict(parse_deployment(d) for d in args.deployment) or None
        emulator = Emulator(
            host=args.host,
            port=args.port,
            api_key=args.api_key,
            deployments=deployments,
            operations=_load_table(args.operations) if args.operations else None,
            profile=args.profile,
            body_timeout=args.body_timeout,
            allow_non_loopback=args.allow_non_loopback,
            log_level=args.log_level,
        )
        emulator.start()
    except (ValueError, TypeError, RuntimeError, OSError, ImportError, AttributeError) as exc:
        print(f"emulator: {exc}", file=sys.stderr)
        return 2
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    print(_banner(emulator), flush=True)
    try:
        while not done.wait(0.5):  # a timed wait keeps the main thread responsive to signals
            pass
    finally:
        emulator.stop()
    return 0


def _banner(emulator: Emulator) -> str:
    width = max(map(len, emulator.deployments), default=0)
    lines = [
        emulator.endpoint,
        f"  api key:     {emulator.api_key}",
        f"  profile:     {emulator.profile}",
        "  deployments:",
        *(f"    {name:<{width}}  ({model})" for name, model in sorted(emulator.deployments.items())),
        f"  e.g. AzureOpenAI(azure_endpoint={emulator.endpoint!r}, api_key=..., api_version='2024-10-21')",
        "  Ctrl-C stops it.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
