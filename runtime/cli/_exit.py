"""Exit codes, and the one line a failure prints.

0    success
1    the service answered with an error (4xx/5xx other than below), or an answer that
     is not what the operation returns (a cut stream, a malformed body)
2    usage or configuration: a bad flag, a missing setting, an unreadable file, an
     operation or parameter the api-version lacks, invalid batch input
3    no answer: connection refused, unknown host, TLS failure, timeout
4    authentication or permission: a key or token the service refused (401, 403), or
     a credential that could not get a token
5    a job ended without success: a batch failed, expired or was cancelled; a
     fine-tuning job failed or was cancelled
6    stopped waiting (--timeout): the job keeps running on the service
130  interrupted (Ctrl-C); a job keeps running on the service
"""

from __future__ import annotations

import enum
import json
import sys

from ..exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    AuthenticationError,
    AzgateError,
    ConfigurationError,
    PermissionDeniedError,
    UnsupportedByApiVersionError,
)
from ._diagnose import describe_connection_error, describe_status_error

__all__ = ["CliError", "ExitCode", "classify"]

_PACKAGE = __name__.rsplit(".", 2)[0]  # "azgate"


class ExitCode(enum.IntEnum):
    OK = 0
    API_ERROR = 1
    USAGE = 2
    CONNECTION = 3
    AUTH = 4
    JOB_FAILED = 5
    STILL_RUNNING = 6
    INTERRUPTED = 130


class CliError(Exception):
    """A failure the command itself found (a file it cannot read, a flag it cannot use)."""

    def __init__(self, message: str, code: ExitCode = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.code = code


def _one_line(text: str) -> str:
    """A message's lines joined: "problems:\n  a\n  b" reads "problems: a; b"."""
    line = ""
    for part in (p.strip() for p in text.splitlines()):
        if part:
            line += part if not line else (" " if line.endswith(":") else "; ") + part
    return line


def classify(error: BaseException) -> tuple[ExitCode, str] | None:
    """(exit code, one-line message) for an error the command line explains; None for a bug."""
    if isinstance(error, CliError):
        return error.code, _one_line(str(error))
    if isinstance(error, (AuthenticationError, PermissionDeniedError)):
        return ExitCode.AUTH, describe_status_error(error)
    if isinstance(error, APIStatusError):
        return ExitCode.API_ERROR, describe_status_error(error)
    if isinstance(error, APIConnectionError):
        return ExitCode.CONNECTION, describe_connection_error(error)
    if isinstance(error, APIError):
        return ExitCode.API_ERROR, _one_line(str(error))
    if isinstance(error, (ConfigurationError, UnsupportedByApiVersionError)):
        return ExitCode.USAGE, _one_line(str(error))
    found = _job_error(error)
    if found is not None:
        return found
    if isinstance(error, AzgateError):
        return ExitCode.API_ERROR, _one_line(str(error))
    if isinstance(error, (OSError, json.JSONDecodeError)):
        return ExitCode.USAGE, _one_line(str(error))
    return None


def _job_error(error: BaseException) -> tuple[ExitCode, str] | None:
    """The errors of azgate.batch and azgate.fine_tuning. Those modules load the models
    (~0.5 s), so only a command that used them has imported them, and only then can the
    error be one of theirs: `azgate --help` stays quick."""
    batch = sys.modules.get(f"{_PACKAGE}.batch")
    if batch is not None:
        if isinstance(error, batch.BatchInputError):
            return ExitCode.USAGE, _one_line(str(error))
        if isinstance(error, batch.BatchTimeoutError):
            b = error.batch
            return ExitCode.STILL_RUNNING, (
                f"stopped waiting for batch {b.id} (status {b.status}); it keeps running: azgate batch wait {b.id}"
            )
        if isinstance(error, batch.BatchFailedError):
            return ExitCode.JOB_FAILED, _one_line(str(error).split(" error.results has")[0])
    fine_tuning = sys.modules.get(f"{_PACKAGE}.fine_tuning")
    if fine_tuning is not None:
        if isinstance(error, fine_tuning.FineTuningTimeoutError):
            status = error.job.status if error.job is not None else "not read yet"
            return ExitCode.STILL_RUNNING, (
                f"stopped waiting for fine-tuning job {error.job_id} (status {status}); it keeps running: "
                f"azgate fine-tune wait {error.job_id}"
            )
        if isinstance(error, fine_tuning.FineTuningFailedError):
            return ExitCode.JOB_FAILED, _one_line(str(error))
    return None
