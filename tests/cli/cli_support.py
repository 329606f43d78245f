"""Running `azgate` in-process and reading what it printed."""

from __future__ import annotations

import json
from typing import Any

from azgate.cli._app import cli
from click.testing import CliRunner, Result


def azgate(*args: str, input: str | None = None) -> Result:
    """`azgate ARGS` in this process; a bug (an exception the CLI does not explain) stays in
    result.exception, so `assert_exit` shows it."""
    return CliRunner().invoke(cli, list(args), input=input)


def assert_exit(result: Result, code: int) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"azgate crashed: {result.exception!r}\n{result.output}") from result.exception
    assert result.exit_code == code, f"exit {result.exit_code}, wanted {code}\n{result.output}"


def error_line(result: Result) -> str:
    """The one error line a failure prints on stderr, last (after any progress lines), and
    no traceback."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("azgate: error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], f"wanted one error line, last, got:\n{result.stderr}"
    assert "Traceback" not in result.output
    return errors[0]


def json_lines(text: str) -> list[Any]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
