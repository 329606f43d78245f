"""The docs site: its examples run, and its reference pages cover every generated
resource (`nox -s docs` builds it, strict, in CI's default sessions)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from azgate import Client
from azgate.testing import Emulator

REPO = Path(__file__).parents[2]
DOCS = REPO / "docs"


def python_blocks(page: Path) -> list[str]:
    """The page's ```python blocks: the ones that run (```py blocks are for reading)."""
    return re.findall(r"^```python\n(.*?)^```", page.read_text(encoding="utf-8"), re.M | re.S)


def test_getting_started_runs_against_the_emulator(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = python_blocks(DOCS / "getting-started.md")
    assert len(blocks) >= 10
    monkeypatch.chdir(tmp_path)  # the audio example writes fox.mp3
    emulator.store.tick = 0  # batches and fine-tuning jobs finish at the next read
    client = Client(api_key=emulator.api_key, azure_endpoint=emulator.endpoint, api_version="2024-10-21")
    namespace: dict[str, Any] = {"client": client}
    try:
        for number, block in enumerate(blocks, 1):
            try:
                exec(compile(block, f"getting-started.md block {number}", "exec"), namespace)
            except Exception as exc:  # name the block, not just the line
                raise AssertionError(f"block {number} of getting-started.md failed:\n{block}") from exc
    finally:
        client.close()
    out = capsys.readouterr().out
    assert "2 vectors of" in out
    assert "404 DeploymentNotFound" in out  # the errors example reached its NotFoundError branch
    assert "q0" in out and "q1" in out  # the batch's results, by custom_id
    assert (tmp_path / "fox.mp3").stat().st_size > 0


def test_every_generated_resource_has_a_reference_page_in_the_nav() -> None:
    modules = {p.stem for p in (REPO / "generated" / "resources").glob("*.py") if p.stem != "__init__"}
    pages = {p.stem for p in (DOCS / "reference" / "resources").glob("*.md") if p.stem != "index"}
    assert pages == modules
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = str(config["nav"])
    missing = [m for m in sorted(modules) if f"reference/resources/{m}.md" not in nav]
    assert not missing
    index = (DOCS / "reference" / "resources" / "index.md").read_text(encoding="utf-8")
    assert not [m for m in sorted(modules) if f"({m}.md)" not in index]
    for module in modules:
        page = (DOCS / "reference" / "resources" / f"{module}.md").read_text(encoding="utf-8")
        assert f"::: azgate.generated.resources.{module}\n" in page


def test_every_page_is_in_the_nav() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = str(config["nav"])
    pages = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))
    assert [p for p in pages if p not in nav] == []


def test_the_emulator_pages_first_example_runs() -> None:
    (block, *_) = python_blocks(DOCS / "emulator.md")
    exec(compile(block, "emulator.md block 1", "exec"), {})
