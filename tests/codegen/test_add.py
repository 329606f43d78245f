"""`python -m codegen add`: every published document, and newer ones of each kind, in
one command; the changelog it writes; its refusals."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from variants import DATED, V1

from codegen.__main__ import DEFAULT_PUBLISHED, main

REPO = Path(__file__).parents[2]
PUBLISHED = DEFAULT_PUBLISHED

needs_published = pytest.mark.skipif(not PUBLISHED.is_dir(), reason=f"no published documents at {PUBLISHED}")


def published_documents() -> list[Path]:
    return sorted(p for p in PUBLISHED.rglob("*") if p.suffix in (".json", ".yaml"))


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(REPO / "spec", spec)
    return spec


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def import_package(folder: Path, name: str) -> Any:
    """Import a generated folder as a package of its own (relative imports work)."""
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# ---- every document, in one command --------------------------------------------------------


@needs_published
def test_every_published_document_reproduces_spec_and_its_changelogs(
    spec_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        ["add", *map(str, published_documents()), "--spec-dir", str(spec_copy), "--no-generate"], capsys
    )
    assert status == 0, err
    for path in sorted((REPO / "spec").rglob("*")):
        if path.is_file():
            copy = spec_copy / path.relative_to(REPO / "spec")
            assert copy.read_bytes() == path.read_bytes(), f"{path.relative_to(REPO)} is not what add writes"
    assert out.count("\n# ") + out.startswith("# ") == len(list((REPO / "spec").glob("*.json")))


@needs_published
def test_newer_documents_of_every_kind_go_through_add(
    spec_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """All published documents and a newer one of each kind in one command; then a newer
    v1 document (one v1 document per command: it is one api-version)."""
    docs = tmp_path / "newer"
    docs.mkdir()
    written = [variant.write(PUBLISHED, docs) for variant in DATED]
    out_dir = tmp_path / "generated"
    args = ["add", *map(str, published_documents()), *map(str, written), "--spec-dir", str(spec_copy)]
    status, out, err = run([*args, "--out", str(out_dir)], capsys)
    assert status == 0, err
    for variant in DATED:
        changelog = (spec_copy / "changelog" / f"{variant.version}.md").read_text(encoding="utf-8")
        assert changelog in out
        for mention in variant.changelog_mentions:
            assert mention in changelog, f"{variant.version}: {mention!r} missing from\n{changelog}"
        # A renamed operation id is the same operation: not added, not removed.
        assert "`chat.completions.create`:" not in changelog.split("## Parameters")[0]
        for name in variant.derived:
            assert re.search(rf"-> {re.escape(name)}$", err, re.M), err
    assert "`uploads.create`" not in (spec_copy / "changelog" / "2025-05-01-preview.md").read_text(encoding="utf-8")

    status, out, err = run(
        ["add", str(V1.write(PUBLISHED, docs)), "--spec-dir", str(spec_copy), "--out", str(out_dir)], capsys
    )
    assert status == 0, err
    for mention in V1.changelog_mentions:
        assert mention in out, f"{mention!r} missing from\n{out}"

    package = import_package(out_dir, "azgate_newer_generated")
    ops = {op.sdk_name: op for op in package.OPERATIONS.values()}
    assert ops["uploads.create"].id == "UploadFile_Start"  # the first id seen stays the row's
    assert {"2025-05-01-preview", "2025-05-15-preview"} <= ops["uploads.create"].versions
    cancel = ops["files.cancel"]
    assert cancel.versions == {"2025-05-01-preview", "2025-05-15-preview", "v1"}
    assert cancel.path == "/files/{file-id}/cancel" and cancel.v1_path == "/files/{file-id}/cancel"
    assert "purpose" in ops["files.list"].params and "v1" not in ops["files.list"].params["purpose"].versions
    assert ops["completions.cancel"].v1_path == "/completions/{completion-id}/cancel"
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--config", str(REPO / "pyproject.toml"), str(out_dir)],
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout


@needs_published
def test_an_authoring_document_alone_goes_into_its_own_version(
    spec_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (authoring,) = [v for v in DATED if v.name == "authoring"]
    path = authoring.write(PUBLISHED, tmp_path)
    status, _, err = run(["add", str(path), "--spec-dir", str(spec_copy), "--no-generate"], capsys)
    assert status == 0, err
    doc = json.loads((spec_copy / "2025-05-01-preview.json").read_text(encoding="utf-8"))
    assert doc["info"]["x-azgate-sources"] == {"authoring": "2025-05-01-preview"}
    assert {op["x-azgate-source"] for item in doc["paths"].values() for op in item.values()} == {"authoring"}
    assert doc["paths"]["/uploads"]["post"]["x-azgate-name"] == "uploads.create"
    assert "POST /files/{file-id}/cancel -> files.cancel" in err


@needs_published
def test_a_published_authoring_document_alone_refreshes_the_versions_it_is_paired_with(
    spec_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = PUBLISHED / "authoring" / "2024-03-01-preview" / "azureopenai.json"
    status, _, err = run(["add", str(path), "--spec-dir", str(spec_copy), "--no-generate"], capsys)
    assert status == 0, err
    assert not (spec_copy / "2024-03-01-preview.json").exists()
    assert "wrote" in err and "2023-12-01-preview.json" in err and "2024-02-15-preview.json" in err
    for name in ("2023-12-01-preview.json", "2024-02-15-preview.json"):
        assert (spec_copy / name).read_bytes() == (REPO / "spec" / name).read_bytes()


@needs_published
def test_an_inference_document_alone_borrows_the_authoring_half_by_the_pairing_rule(
    spec_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (preview,) = [v for v in DATED if v.version == "2025-05-01-preview" and v.name != "authoring"]
    status, _, err = run(
        ["add", str(preview.write(PUBLISHED, tmp_path)), "--spec-dir", str(spec_copy), "--no-generate"], capsys
    )
    assert status == 0, err
    doc = json.loads((spec_copy / "2025-05-01-preview.json").read_text(encoding="utf-8"))
    # The nearest preview authoring document in spec/ is 2025-04-01-preview's.
    assert doc["info"]["x-azgate-sources"] == {"inference": "2025-05-01-preview", "authoring": "2025-04-01-preview"}
    assert "/files" in doc["paths"] and "/deployments/{deployment-id}/chat/completions" in doc["paths"]


# ---- changelog ------------------------------------------------------------------------------


def test_changelog_of_two_committed_versions(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["changelog", "2025-03-01-preview", "2025-04-01-preview"], capsys)
    assert status == 0
    assert out.startswith("# 2025-04-01-preview\n\nChanges since 2025-03-01-preview.")
    assert "- `images.edit`: `POST /deployments/{deployment-id}/images/edits`" in out
    assert "- `images.generate`: added `output_format` (body, `imagesOutputFormat`)" in out
    assert "- `imageSize`: `auto`, `1024x1536`, `1536x1024`" in out  # enum values added
    assert "- `imageSize`: `256x256`, `512x512`" in out.split("## Enum values removed")[1]


def test_changelog_names_a_version_spec_lacks(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["changelog", "2024-10-21", "2031-01-01"], capsys)
    assert status == 1
    assert "2031-01-01.json: no such api-version" in err and "2024-10-21" in err and "Traceback" not in err


# ---- refusals -----------------------------------------------------------------------------------


def one_line_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    status, out, err = run(args, capsys)
    assert status == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("latest", "use YYYY-MM-DD, YYYY-MM-DD-preview"),
        ("2024-13-45", "names no real date"),
        ("", "use YYYY-MM-DD"),
        ("2024-10-21-beta", "use YYYY-MM-DD"),
    ],
)
def test_api_version_must_be_a_date_a_preview_or_v1(
    value: str, says: str, spec_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps({"openapi": "3.0.0", "info": {"version": "2024-10-21"}, "paths": {}}))
    before = sorted(p.name for p in spec_copy.iterdir())
    for command in (["add", str(doc), "--no-generate"], ["import", str(doc)]):
        line = one_line_error([*command, "--api-version", value, "--spec-dir", str(spec_copy)], capsys)
        assert "--api-version" in line and says in line
    assert sorted(p.name for p in spec_copy.iterdir()) == before


BROKEN = [
    ("missing.json", None, r"missing\.json: no such file; give the path"),
    ("empty.json", "", r"empty\.json: is empty; it should hold an OpenAPI 3 or Swagger 2\.0 document"),
    ("blank.yaml", "  \n", r"blank\.yaml: is empty"),
    ("syntax.json", '{\n  "openapi": "3.0.0",\n  "info": {"version": "2025-01-01"}\n  "paths": {}\n}', r"syntax\.json: line 4, column 3: Expecting ',' delimiter; fix the JSON syntax there"),
    ("syntax.yaml", "openapi: 3.0.0\ninfo:\n  version: [2025\npaths: {}\n", r"syntax\.yaml: line 4, column \d+: .*; fix the YAML syntax there"),
    ("list.json", "[1, 2]", r"list\.json at /: the document is a list, not an object"),
    ("neither.json", '{"info": {"version": "2025-01-01"}, "paths": {}}', r"neither\.json at /: neither `openapi` nor `swagger`"),
    ("version.json", '{"openapi": "3.0.0", "info": {"version": "latest"}, "paths": {}}', r"version\.json at /info/version: api-version 'latest' .*; pass --api-version"),
    ("no-version.json", '{"openapi": "3.0.0", "info": {}, "paths": {}}', r"no-version\.json at /info/version: missing; pass --api-version"),
    ("responses.json", '{"openapi": "3.0.0", "info": {"version": "2025-01-01"}, "paths": {"/files": {"get": {"operationId": "x"}}}}', r"responses\.json at /paths/~1files/get/responses: missing or empty; every operation needs its responses"),
    ("ref.json", '{"openapi": "3.0.0", "info": {"version": "2025-01-01"}, "paths": {"/files": {"get": {"parameters": [{"$ref": "#/components/parameters/nope"}], "responses": {"200": {"description": "OK"}}}}}}', r"ref\.json at /paths/~1files/get/parameters/0/\$ref: #/components/parameters/nope points nowhere"),
    ("server.json", '{"openapi": "3.0.0", "info": {"version": "2025-01-01"}, "servers": [{"url": "https://example.com/api"}], "paths": {}}', r"server\.json at /servers: expected every server URL to end with /openai or /openai/v1"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "says"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_document_is_one_line_naming_the_file_and_the_place(
    name: str, text: str | None, says: str, spec_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in spec_copy.glob("*.json")}
    line = one_line_error(["add", str(path), "--spec-dir", str(spec_copy), "--no-generate"], capsys)
    assert re.search(says, line), line
    assert str(path) in line
    assert {p.name: p.read_bytes() for p in spec_copy.glob("*.json")} == before


def test_a_document_whose_server_says_v1_must_be_imported_as_v1(
    spec_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {
        "openapi": "3.0.0",
        "info": {"version": "2025-01-01"},
        "servers": [{"url": "{endpoint}/openai/v1"}],
        "paths": {},
    }
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    line = one_line_error(["add", str(path), "--spec-dir", str(spec_copy), "--no-generate"], capsys)
    assert "imports as v1, not 2025-01-01" in line
