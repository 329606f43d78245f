"""Where output goes: results on stdout (text for people, JSON for scripts), everything
else (progress, notes, errors) on stderr, so `azgate ... > file` keeps only the result."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from pydantic import BaseModel
from rich.console import Console

__all__ = ["emit_json", "err_console", "note", "out_console", "to_jsonable"]


def out_console() -> Console:
    # sys.stdout as it is now, not at import: click's CliRunner swaps it per invocation.
    return Console(file=sys.stdout, highlight=False, soft_wrap=True)


def err_console() -> Console:
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


def to_jsonable(value: Any) -> Any:
    """A response as plain JSON data: what the service sent, not the model's unset fields."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_unset=True, by_alias=True)
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def emit_json(value: Any, *, lines: bool = False) -> None:
    """One JSON document on stdout (`lines`: compact, one per line, for streams and JSONL)."""
    text = json.dumps(to_jsonable(value), ensure_ascii=False, indent=None if lines else 2)
    click.echo(text)  # flushes: a stream's lines reach a pipe as they come


def note(message: str) -> None:
    """A line for the person at the terminal (stderr), never part of the result."""
    err_console().print(message, markup=False, highlight=False)
