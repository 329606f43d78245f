"""The generic handler: every operation of every api-version answered from its schema.

An emulator with no hand-written handlers serves each operation in spec/ with a body
made up from the version's response schema; each answer is checked with jsonschema
against spec/ itself (read here from the repository, not from the package data the
emulator uses). Requests are made up from the request schemas the same way, so this
also proves that a schema-conforming request passes the emulator's validation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from azgate.generated._operations import OPERATIONS
from azgate.testing import Emulator
from azgate.testing._config import operation_family
from azgate.testing._synth import synthesize
from jsonschema import Draft202012Validator

SPEC = Path(__file__).resolve().parents[2] / "spec"
DOCS = {doc["info"]["version"]: doc for doc in (json.loads(p.read_text()) for p in sorted(SPEC.glob("*.json")))}
DEPLOYMENT_OF_FAMILY = {
    "text": "gpt-4",
    "embeddings": "text-embedding-ada-002",
    "images": "dall-e-3",
    "speech": "tts",
    "audio": "whisper",
}
CASES = [
    (version, op_id)
    for version, doc in DOCS.items()
    for item in doc["paths"].values()
    for op in item.values()
    if isinstance(op, dict) and (op_id := op.get("operationId")) in OPERATIONS
]


@pytest.fixture(scope="module")
def generic() -> Iterator[Emulator]:
    with Emulator(handlers={}) as emulator:
        yield emulator


def _operation(doc: dict[str, Any], op_id: str) -> dict[str, Any]:
    for item in doc["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == op_id:
                return op
    raise KeyError(op_id)


def _request(version: str, op_id: str) -> dict[str, Any]:
    doc, spec = DOCS[version], OPERATIONS[op_id]
    op = _operation(doc, op_id)
    family = operation_family(spec.sdk_name)
    deployment = DEPLOYMENT_OF_FAMILY.get(family[0] if family else "", "gpt-4")
    path = spec.path.replace("{deployment-id}", deployment)
    for name, param in spec.params.items():
        if param.location == "path":
            path = path.replace("{" + name + "}", "x1")
    query = {"api-version": version}
    for param in op.get("parameters", []):
        if param["in"] == "query" and param.get("required") and param["name"] != "api-version":
            query[param["name"]] = str(synthesize(param.get("schema", {}), doc, seed=op_id))
    request: dict[str, Any] = {"method": spec.method, "url": "/openai" + path, "params": query}
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content and spec.request_content_type == "application/json":
        request["json"] = synthesize(content["application/json"]["schema"], doc, seed=op_id)
    elif content:
        entry = next(iter(content.values()))
        fields = synthesize(entry["schema"], doc, seed=op_id)
        schema = entry["schema"].get("properties", {})
        files = {k: ("f.bin", b"x") for k, s in schema.items() if s.get("format") == "binary"}
        request["data"] = {
            k: json.dumps(v) if isinstance(v, (dict, list)) else str(v) for k, v in fields.items() if k not in files
        }
        request["files"] = files
    return request


@pytest.mark.parametrize(("version", "op_id"), CASES, ids=[f"{v}-{o}" for v, o in CASES])
def test_every_operation_is_answered_by_its_schema(generic: Emulator, version: str, op_id: str) -> None:
    with httpx.Client(base_url=generic.endpoint, headers={"api-key": generic.api_key}, timeout=10) as http:
        r = http.request(**_request(version, op_id))
    assert r.is_success, r.text
    op = _operation(DOCS[version], op_id)
    declared = op["responses"].get(str(r.status_code), {}).get("content", {})
    if r.headers.get("content-type", "").startswith("application/json"):
        schema = declared["application/json"]["schema"]
        validator = Draft202012Validator({**DOCS[version], "$ref": "#/x-answer", "x-answer": schema})
        errors = sorted(validator.iter_errors(r.json()), key=lambda e: list(e.absolute_path))
        assert errors == [], f"{op_id} {version}: {errors[0].message} at {list(errors[0].absolute_path)}"


def test_the_same_request_gets_the_same_answer(generic: Emulator) -> None:
    with httpx.Client(base_url=generic.endpoint, headers={"api-key": generic.api_key}) as http:
        one = http.request(**_request("2024-10-21", "Batch_Get"))
        two = http.request(**_request("2024-10-21", "Batch_Get"))
    assert one.json() == two.json() and one.json()["id"] == "x1"
