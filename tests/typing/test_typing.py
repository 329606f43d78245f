"""mypy --strict over typed_calls.py: the typed response path stays typed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import azgate
import azgate.generated
import pytest

HERE = Path(__file__).parent
PYPROJECT = HERE.parents[1] / "pyproject.toml"


def _package_tree(root: Path) -> Path:
    """The azgate that is imported, laid out as one package for mypy: a wheel already is
    one, an editable install maps runtime/ and generated/ (which mypy cannot follow)."""
    package = root / "azgate"
    package.mkdir(parents=True)
    for entry in Path(azgate.__file__).parent.iterdir():
        if entry.name not in ("generated", "__pycache__"):
            (package / entry.name).symlink_to(entry)
    (package / "generated").symlink_to(Path(azgate.generated.__file__).parent)
    return root


def test_calls_have_the_types_users_expect(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is in the test dependencies (noxfile TEST_DEPS)")
    command = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(PYPROJECT)]
    command += ["--cache-dir", str(tmp_path / "cache"), "--no-error-summary", str(HERE / "typed_calls.py")]
    env = {**os.environ, "MYPYPATH": str(_package_tree(tmp_path / "packages"))}
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
