"""The `azgate` command line (`pip install "azgate[cli]"`): chat, embeddings, images,
audio, batches, fine-tuning, the emulator, the api-version table, and a doctor.

Nothing here is imported by `import azgate`; `main` imports click and rich only when
the command runs, and says what to install when they are missing.

Exit codes: 0 ok; 1 the service answered with an error; 2 usage or configuration;
3 no connection (refused, DNS, TLS, timeout); 4 a key or token refused (401/403);
5 a job failed; 6 stopped waiting (--timeout; the job keeps running); 130 interrupted.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

USAGE_EXIT_CODE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    try:
        from ._app import cli
    except ImportError as exc:
        if exc.name not in ("click", "rich") and not (exc.name or "").startswith(("click.", "rich.")):
            raise
        print(
            f'azgate: error: the command line needs the "cli" extra ({exc.name} is not installed): '
            'pip install "azgate[cli]"',
            file=sys.stderr,
        )
        if (list(argv) if argv is not None else sys.argv[1:])[:1] == ["emulator"]:
            print("(the emulator alone runs without it: python -m azgate.testing --port 8080)", file=sys.stderr)
        return USAGE_EXIT_CODE
    from ._interrupts import safe_interrupts

    try:
        with safe_interrupts():  # Ctrl-C never leaves a lock of the connection pool taken
            cli.main(args=list(argv) if argv is not None else None, prog_name="azgate")
    except SystemExit as exc:  # click ends every run this way, with the exit code
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    return 0
