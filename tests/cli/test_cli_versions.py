"""`azgate versions` against the spec documents themselves (spec/*.json), read here with
plain JSON, not through the generated table the command prints."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cli_support import assert_exit, azgate, error_line

SPEC = Path(__file__).resolve().parents[2] / "spec"


@cache
def documents() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(SPEC.glob("*.json"))}


def versions_with(path: str, method: str = "post") -> set[str]:
    return {v for v, doc in documents().items() if method in doc.get("paths", {}).get(path, {})}


def body_properties(doc: dict[str, Any], path: str) -> set[str]:
    schema = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return _properties(doc, schema)


def _properties(doc: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _properties(doc, doc["components"]["schemas"][name])
    found = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found |= _properties(doc, part)
    return found


def run_json(*args: str) -> Any:
    result = azgate("versions", "--json", *args)
    assert_exit(result, 0)
    return json.loads(result.stdout)


def test_every_spec_document_is_an_api_version_in_date_order() -> None:
    table = run_json()
    assert set(table["api_versions"]) == set(documents())
    dates = [v[:10] for v in table["api_versions"]]
    assert dates == sorted(dates)


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("audio.speech.create", "/deployments/{deployment-id}/audio/speech"),
        ("chat.completions.create", "/deployments/{deployment-id}/chat/completions"),
        ("batches.create", "/batches"),
    ],
)
def test_an_operations_versions_are_the_documents_that_have_its_path(name: str, path: str) -> None:
    table = run_json("--operation", name)
    assert set(table[name]["versions"]) == versions_with(path)


def test_a_parameters_versions_are_the_documents_whose_body_has_it() -> None:
    path = "/deployments/{deployment-id}/chat/completions"
    table = run_json("-o", "chat.completions.create")
    parameters = table["chat.completions.create"]["parameters"]
    having = {v: doc for v, doc in documents().items() if path in doc["paths"]}
    assert "v1" not in having  # Azure's v1 document has no chat (yet)
    for parameter in ("max_completion_tokens", "parallel_tool_calls", "tools", "messages"):
        expected = {v for v, doc in having.items() if parameter in body_properties(doc, path)}
        assert set(parameters[parameter]["versions"]) == expected, parameter
    assert set(parameters["messages"]["required_in"]) == set(having)


@pytest.mark.parametrize("version", ["2024-06-01", "v1"])
def test_one_version_lists_exactly_its_operations(version: str) -> None:
    listed = run_json(version)["operations"]
    key = "v1_path" if version == "v1" else "path"
    assert {_shape(op[key]) for op in listed.values()} == {_shape(p) for p in documents()[version]["paths"]}


def _shape(path: str) -> str:
    """A path with its parameters' names blanked: v1 names them as OpenAI does."""
    return "/".join("{}" if part.startswith("{") else part for part in path.split("/"))


def test_human_views(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps table cells to the terminal's width
    overview = azgate("versions")
    assert_exit(overview, 0)
    assert all(version in overview.stdout for version in documents())
    one = azgate("versions", "-o", "chat.completions.create")
    assert_exit(one, 0)
    assert "max_completion_tokens" in one.stdout
    assert "2024-10-21 and later; 2025-03-01-preview and later" in one.stdout  # stable; preview
    files = azgate("versions", "-o", "files.list")
    assert_exit(files, 0)
    assert "files.list: GET /openai/files\nv1: GET /openai/v1/files\n" in files.stdout


def test_unknown_names_are_usage_errors() -> None:
    result = azgate("versions", "2099-01-01")
    assert_exit(result, 2)
    assert "2024-10-21" in error_line(result)
    result = azgate("versions", "-o", "chat.completion.create")
    assert_exit(result, 2)
    assert "did you mean chat.completions.create or " in error_line(result)  # the closest first
