"""`python -m codegen drift`: spec/ against the published documents, from a folder or a URL."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from codegen.__main__ import DEFAULT_PUBLISHED, main

REPO = Path(__file__).parents[2]

pytestmark = pytest.mark.skipif(not DEFAULT_PUBLISHED.is_dir(), reason=f"no published documents at {DEFAULT_PUBLISHED}")


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A writable copy of the published documents."""
    copy = tmp_path / "azure-specs"
    shutil.copytree(DEFAULT_PUBLISHED, copy)
    for path in copy.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return copy


def edit(path: Path, change: object) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)  # type: ignore[operator]
    path.write_text(json.dumps(doc), encoding="utf-8")


def raise_temperature_limit(doc: dict[str, object]) -> None:
    schemas = doc["components"]["schemas"]  # type: ignore[index]
    schemas["chatCompletionsRequestCommon"]["properties"]["temperature"]["maximum"] = 3  # type: ignore[index]


def drift(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["drift", "--skip-generated", *args])
    out, err = capsys.readouterr()
    return status, out + err


def test_spec_matches_the_published_documents(published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = drift(["--published", str(published)], capsys)
    assert status == 0, out
    assert "spec/ matches the published documents" in out


def test_a_one_property_change_fails_naming_version_operation_and_field(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(published / "inference" / "2024-10-21" / "inference.json", raise_temperature_limit)
    status, out = drift(["--published", str(published)], capsys)
    assert status == 1
    (line,) = [line for line in out.splitlines() if "2024-10-21" in line and "temperature" in line]
    assert "field chatCompletionsRequestCommon.temperature (maximum): 2 in spec/, 3 published" in line
    assert "chat.completions.create (POST /deployments/{deployment-id}/chat/completions)" in line
    assert "python -m codegen add" in out


def test_a_removed_parameter_names_the_operation(published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def drop_after(doc: dict[str, object]) -> None:
        op = doc["paths"]["/batches"]["get"]  # type: ignore[index]
        op["parameters"] = [p for p in op["parameters"] if p.get("name") != "after"]

    edit(published / "authoring" / "2024-10-21" / "azureopenai.json", drop_after)
    status, out = drift(["--published", str(published)], capsys)
    assert status == 1
    assert "2024-10-21 batches.list (GET /batches): parameter" in out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(published: Path) -> Iterator[str]:
    """The copy, served over HTTP on 127.0.0.1 (a random free port)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(published)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_published_documents_at_a_url(published: Path, served: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = drift(["--published", served], capsys)
    assert status == 0, out
    edit(published / "inference" / "2024-10-21" / "inference.json", raise_temperature_limit)
    status, out = drift(["--published", served + "/"], capsys)
    assert status == 1 and "2024-10-21 field chatCompletionsRequestCommon.temperature (maximum)" in out


def test_a_version_the_folder_lacks_is_a_note_and_a_new_published_one_is_named(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(published / "inference" / "2023-05-15")
    shutil.copytree(published / "inference" / "2024-10-21", published / "inference" / "2031-01-01")
    status, out = drift(["--published", str(published)], capsys)
    assert status == 0, out
    assert "note: 2023-05-15: not compared" in out
    assert "note: inference/2031-01-01 is published but not in spec/: python -m codegen add" in out


def test_unusable_sources_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = drift(["--published", str(tmp_path / "nowhere")], capsys)
    assert status == 1 and out.strip().count("\n") == 0 and "no such folder of published documents" in out
    status, out = drift(["--published", "http://127.0.0.1:9/specs"], capsys)
    assert status == 1 and out.strip().count("\n") == 0 and "cannot fetch" in out


def test_drift_also_checks_generated(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drift", "--published", str(DEFAULT_PUBLISHED)]) == 0
    out = capsys.readouterr().out
    assert "generated/ matches spec/" in out and "spec/ matches the published documents" in out
