"""Reading spec/: one normalised OpenAPI document per api-version, and walking it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

__all__ = [
    "SCHEMA_REF",
    "V1",
    "Document",
    "channel",
    "check_api_version",
    "load_documents",
    "operations",
    "ref_name",
    "resolve",
    "version_key",
]

SCHEMA_REF = "#/components/schemas/"
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
V1 = "v1"
"""Azure's versionless API (server `{endpoint}/openai/v1`): one spec file, spec/v1.json."""

Document = dict[str, Any]

_VERSION = re.compile(r"(\d{4}-\d{2}-\d{2})(-preview)?")


def version_key(version: str) -> tuple[str, int]:
    """Oldest first; on one date the preview sorts before the stable release; v1 last
    (it follows the newest release)."""
    return (version[:10], 0 if version.endswith("-preview") else 1)


def channel(version: str) -> str:
    """ "stable", "preview" or "v1": a changelog compares a version with the one before
    it in its channel, and the operation table names ranges within one channel."""
    if version == V1:
        return V1
    return "preview" if version.endswith("-preview") else "stable"


def check_api_version(text: str) -> str:
    """`text` if it is an api-version azgate can hold: YYYY-MM-DD (a real date),
    YYYY-MM-DD-preview, or v1; otherwise ValueError saying so."""
    match = _VERSION.fullmatch(text)
    if text == V1:
        return text
    if match is None:
        raise ValueError(
            f"api-version {text!r} is not one azgate knows the form of: use YYYY-MM-DD, "
            "YYYY-MM-DD-preview (e.g. 2025-04-01-preview) or v1"
        )
    try:
        date.fromisoformat(match.group(1))
    except ValueError:
        raise ValueError(
            f"api-version {text!r} names no real date: use YYYY-MM-DD with a valid month and day"
        ) from None
    return text


def load_documents(spec_dir: Path) -> dict[str, Document]:
    """Every spec/<api-version>.json, oldest version first."""
    docs = {}
    for path in spec_dir.glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        docs[doc["info"]["version"]] = doc
    return dict(sorted(docs.items(), key=lambda item: version_key(item[0])))


def operations(doc: Document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, HTTP method, operation) for every operation of a document."""
    for path, item in doc.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method.upper(), item[method]


def ref_name(schema: object) -> str | None:
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            return ref[len(SCHEMA_REF) :]
    return None


def resolve(doc: Document, schema: dict[str, Any]) -> dict[str, Any]:
    """Follow $refs until a schema that is not one."""
    seen = set()
    while (name := ref_name(schema)) is not None and name not in seen:
        seen.add(name)
        schema = doc["components"]["schemas"][name]
    return schema


def properties(doc: Document, schema: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The properties an object schema accepts, through $ref and allOf, with the
    required ones."""
    schema = resolve(doc, schema)
    props: dict[str, Any] = {}
    required: set[str] = set()
    for part in schema.get("allOf", []):
        part_props, part_required = properties(doc, part)
        props.update(part_props)
        required |= part_required
    props.update(schema.get("properties", {}))
    required |= set(schema.get("required", []))
    return props, required
