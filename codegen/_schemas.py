"""spec/ -> generated/schemas/<api-version>.json: the emulator's JSON Schemas.

The emulator validates requests against spec/'s JSON Schema and answers operations it
has no handler for from their response schemas, without spec/ on disk and without the
generated models (a generator bug must fail a test, not pass through both sides). So
each api-version gets one JSON document with, per operation, its request-body schema
(by media type), its success responses (by status and media type) and the schema of
one stream event; plus every component schema those reach, under the same
`#/components/schemas/` pointers, so `$ref`s resolve in the file as they do in spec/.

One entry per line, keys sorted: compact, deterministic, and a diff shows what changed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ._spec import SCHEMA_REF, Document, operations

__all__ = ["SCHEMAS_DIR", "write_schemas"]

SCHEMAS_DIR = "schemas"


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            found.add(ref[len(SCHEMA_REF) :])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def _closure(doc: Document, roots: Any) -> dict[str, Any]:
    """The component schemas reachable from `roots`, by name."""
    schemas: dict[str, Any] = doc.get("components", {}).get("schemas", {})
    todo: set[str] = set()
    _refs(roots, todo)
    reached: dict[str, Any] = {}
    while todo:
        name = todo.pop()
        if name in reached or name not in schemas:
            continue
        reached[name] = schemas[name]
        _refs(schemas[name], todo)
    return reached


def _schemas_of(content: dict[str, Any]) -> dict[str, Any]:
    return {media: entry["schema"] for media, entry in sorted(content.items()) if "schema" in entry}


def _operation(op: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    request = _schemas_of(op.get("requestBody", {}).get("content", {}))
    if request:
        entry["request"] = request
    responses = {
        status: _schemas_of(response.get("content", {}))
        for status, response in sorted(op.get("responses", {}).items())
        if status.startswith("2")
    }
    if responses:
        entry["responses"] = responses
    if op.get("x-azgate-stream"):
        entry["stream"] = {"$ref": SCHEMA_REF + op["x-azgate-stream"]}
    return entry


def document(doc: Document) -> dict[str, Any]:
    ops = {op["operationId"]: _operation(op) for _path, _method, op in operations(doc)}
    return {"operations": ops, "components": {"schemas": _closure(doc, ops)}}


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def render(doc: Document) -> str:
    """One operation or component per line."""
    data = document(doc)

    def block(entries: dict[str, Any]) -> str:
        return ",\n".join(f"{_dumps(name)}:{_dumps(value)}" for name, value in sorted(entries.items()))

    return (
        '{"components":{"schemas":{\n'
        + block(data["components"]["schemas"])
        + '\n}},\n"operations":{\n'
        + block(data["operations"])
        + "\n}}\n"
    )


def write_schemas(docs: dict[str, Document], out: Path) -> list[Path]:
    """Write <out>/schemas/<api-version>.json for every document."""
    folder = out / SCHEMAS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for version, doc in docs.items():
        path = folder / f"{version}.json"
        path.write_text(render(doc), encoding="utf-8")
        written.append(path)
    return written
