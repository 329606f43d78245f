"""The soak run, short: a few thousand calls with mixed faults from threads and tasks.
`nox -s soak` runs the long one (20,000 calls); SECURITY.md has its figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SOAK = Path(__file__).with_name("soak.py")


def test_every_call_is_accounted_for_and_resources_come_back() -> None:
    # A child process: the file-descriptor and memory books are then this run's alone.
    done = subprocess.run(
        [sys.executable, str(SOAK), "--calls", "2000", "--threads", "20", "--tasks", "50"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    figures = json.loads(done.stdout)
    assert figures["accounted"] == 2000 and not figures["foreign"]
    assert figures["outcomes"]["ok"] > 1600
    assert set(figures["outcomes"]) <= {"ok", "APITimeoutError", "IncompleteStreamError", "RateLimitError",
                                        "InternalServerError"}  # fmt: skip
