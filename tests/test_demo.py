"""The README's demo runs and shows every seed feature (it is the main job's promise)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).parents[1] / "examples" / "demo.py"


def test_demo_prints_every_seed_feature() -> None:
    out = subprocess.run([sys.executable, str(DEMO)], capture_output=True, text=True, timeout=120, check=True).stdout
    for marker in (
        "== chat", "== stream", "== tools", "== vision", "== completions", "== embeddings", "== images",
        "edited image:", "speech:", "transcription: The quick brown fox.", "translation:", "== batch",
        "bad failed: DeploymentNotFound", "fine-tuned model:", "NotFoundError: code=DeploymentNotFound",
        "UnsupportedByApiVersionError", "RateLimitError after retries",
    ):  # fmt: skip
        assert marker in out, marker
