"""Programs written for openai-python run on azgate with only the import line changed.

Each program in programs/ is a small example in the spirit of openai-python's examples/
folder (Azure, chat, streaming, audio, images, structured outputs, uploads, the
Responses API), sync and async, checking what it gets with `assert`. Each runs twice,
as its own process, against the emulator: as written (`from openai import ...`), and
with that one line reading `from azgate import ...`. Both libraries must pass every
program. The environment is what such a program finds on a developer's machine:
AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY, OPENAI_API_VERSION, and azure-identity's
AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET (the emulator's identity
provider stands in for Entra ID).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from azgate.testing import Emulator, IdentityEmulator

PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.py"))
API_VERSION = "2025-04-01-preview"
IMPORT_LINE = re.compile(r"^from openai import (.+)$", re.MULTILINE)


def as_azgate(source: str) -> str:
    """The program with its one `from openai import ...` line importing from azgate."""
    lines = IMPORT_LINE.findall(source)
    assert len(lines) == 1, "a program imports from openai on exactly one line"
    assert "openai." not in IMPORT_LINE.sub("", source), "a program names openai only on its import line"
    return IMPORT_LINE.sub(r"from azgate import \1", source)


@pytest.fixture(scope="module")
def environment() -> Iterator[dict[str, str]]:
    with IdentityEmulator() as idp, Emulator(token_validator=idp.validate) as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "OPENAI_"))}
        env.update(
            AZURE_OPENAI_ENDPOINT=api.endpoint,
            AZURE_OPENAI_API_KEY=api.api_key,
            OPENAI_API_VERSION=API_VERSION,
            AZURE_TENANT_ID=idp.tenant_id,
            AZURE_CLIENT_ID=idp.client_id,
            AZURE_CLIENT_SECRET=idp.client_secret,
            AZURE_AUTHORITY_HOST=idp.authority_host,
            REQUESTS_CA_BUNDLE=idp.ca_bundle,
            PYTHONDONTWRITEBYTECODE="1",
        )
        yield env


@pytest.mark.parametrize("library", ["openai", "azgate"])
@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_program_runs(program: Path, library: str, environment: dict[str, str], tmp_path: Path) -> None:
    source = program.read_text()
    script = tmp_path / program.name
    script.write_text(source if library == "openai" else as_azgate(source))
    result = subprocess.run(
        [sys.executable, str(script)], env=environment, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{program.stem} on {library}:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"


def test_the_rewrite_changes_the_import_line_only() -> None:
    for program in PROGRAMS:
        before, after = program.read_text().splitlines(), as_azgate(program.read_text()).splitlines()
        changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
        assert len(changed) == 1 and changed[0][1].startswith("from azgate import "), program.name
