"""spec/'s JSON Schemas, as codegen ships them in `azgate.generated/schemas/<version>.json`.

The emulator checks requests against these, not against the generated pydantic models,
so a generator bug fails a test instead of passing through both sides. Each version's
file is read on first use; each operation's validator is built once per version.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = ["ResponseSchema", "SpecSchemas", "V1"]

V1 = "v1"
_PACKAGE = "azgate.generated"
_JSON = "application/json"


def _sort_key(version: str) -> tuple[str, int]:
    # Oldest first; on one date the preview sorts before the stable release.
    return (version[:10], 0 if version.endswith("-preview") else 1)


@dataclass(frozen=True, slots=True)
class ResponseSchema:
    status: int
    media_type: str
    schema: Mapping[str, Any] | None
    root: Mapping[str, Any]
    """The version's document: where the schema's `#/components/...` refs point."""


class SpecSchemas:
    """Lazy access to the schema files of one package (one per api-version)."""

    def __init__(self, package: str = _PACKAGE) -> None:
        self._package = package
        self._docs: dict[str, dict[str, Any] | None] = {}
        self._validators: dict[tuple[str, str], Any] = {}
        self._keys: dict[tuple[str, str], frozenset[str] | None] = {}
        self._lock = threading.Lock()
        self._available: list[str] | None = None

    # -- files -------------------------------------------------------------------

    def versions(self) -> list[str]:
        """The api-versions with a schema file, oldest first."""
        if self._available is None:
            try:
                folder = resources.files(self._package) / "schemas"
                names = [p.name for p in folder.iterdir() if p.name.endswith(".json")]
            except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
                names = []
            self._available = sorted((n[: -len(".json")] for n in names), key=_sort_key)
        return self._available

    def document(self, version: str) -> dict[str, Any] | None:
        if version in self._docs:
            return self._docs[version]
        with self._lock:
            if version not in self._docs:
                doc = None
                if version in self.versions():
                    path = resources.files(self._package) / "schemas" / f"{version}.json"
                    doc = json.loads(path.read_text(encoding="utf-8"))
                self._docs[version] = doc
        return self._docs[version]

    def _entry(self, op_id: str, version: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        doc = self.document(self.resolve_version(op_id, version))
        if doc is None:
            return None
        entry = doc["operations"].get(op_id)
        return None if entry is None else (doc, entry)

    def resolve_version(self, op_id: str, version: str) -> str:
        """The file to read for `version`: the v1 API reads its own file when codegen
        wrote one, else the newest version that has the operation."""
        if version != V1 or V1 in self.versions():
            return version
        having = [v for v in self.versions() if op_id in (self.document(v) or {}).get("operations", {})]
        return having[-1] if having else version

    # -- requests ----------------------------------------------------------------

    def request_schema(self, op_id: str, version: str, media_type: str = _JSON) -> Any:
        found = self._entry(op_id, version)
        return None if found is None else found[1].get("request", {}).get(media_type)

    def request_validator(self, op_id: str, version: str) -> Any:
        """A jsonschema Draft 2020-12 validator of the JSON body, or None."""
        key = (op_id, version)
        if key in self._validators:
            return self._validators[key]
        from jsonschema import Draft202012Validator

        found = self._entry(op_id, version)
        validator = None
        if found is not None and _JSON in found[1].get("request", {}):
            doc = found[0]
            schema = _for_validation(doc, found[1]["request"][_JSON], ())
            # The document stays the root, so a recursive "#/components/schemas/X" resolves.
            validator = Draft202012Validator({**schema, "components": doc["components"]})
        self._validators[key] = validator
        return validator

    def request_keys(self, op_id: str, version: str) -> frozenset[str] | None:
        """The top-level properties the JSON body declares (through $ref and allOf);
        None when the schema does not say (no file, or no properties)."""
        key = (op_id, version)
        if key in self._keys:
            return self._keys[key]
        keys: frozenset[str] | None = None
        found = self._entry(op_id, version)
        if found is not None:
            schema = found[1].get("request", {}).get(_JSON)
            if schema is not None:
                names = _properties(found[0], schema, set())
                keys = frozenset(names) if names else None
        self._keys[key] = keys
        return keys

    # -- responses ---------------------------------------------------------------

    def response(self, op_id: str, version: str) -> ResponseSchema | None:
        """The first success response: JSON when it has one, else its first media type."""
        found = self._entry(op_id, version)
        if found is None:
            return None
        doc, entry = found
        for status, by_media in sorted(entry.get("responses", {}).items()):
            if not by_media:
                return ResponseSchema(int(status), "", None, doc)
            # JSON unless it only wraps bytes (a file's content declared under both types).
            binary = by_media.get(_JSON, {}).get("format") == "binary" and len(by_media) > 1
            media = _JSON if _JSON in by_media and not binary else next(m for m in sorted(by_media) if m != _JSON)
            return ResponseSchema(int(status), media, by_media[media], doc)
        return None

    def stream(self, op_id: str, version: str) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
        """(schema of one stream event, its document), when the operation streams."""
        found = self._entry(op_id, version)
        if found is None or "stream" not in found[1]:
            return None
        return found[1]["stream"], found[0]


def resolve_ref(root: Mapping[str, Any], schema: Any) -> Any:
    """Follow local `$ref`s ("#/a/b") until a schema that is not one."""
    seen: set[str] = set()
    while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str) and schema["$ref"] not in seen:
        ref = schema["$ref"]
        seen.add(ref)
        if not ref.startswith("#"):
            return {}
        node: Any = root
        for part in ref[1:].split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            node = node.get(part) if isinstance(node, Mapping) else None
        schema = node if node is not None else {}
    return schema


def _for_validation(root: Mapping[str, Any], node: Any, stack: tuple[str, ...]) -> Any:
    """The schema with its `$ref`s inlined (but for recursive ones) and `oneOf` read as
    `anyOf`: a reference lookup per keyword and a check of every branch made validation
    cost milliseconds per request. anyOf is also what the service does: a body that fits
    two branches of a loosely written union is not refused."""
    if isinstance(node, list):
        return [_for_validation(root, item, stack) for item in node]
    if not isinstance(node, Mapping):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/") and ref not in stack:
        target = _for_validation(root, resolve_ref(root, {"$ref": ref}), (*stack, ref))
        rest = {k: _for_validation(root, v, stack) for k, v in node.items() if k != "$ref"}
        return {**target, **rest} if rest and isinstance(target, Mapping) else target
    return {("anyOf" if k == "oneOf" else k): _for_validation(root, v, stack) for k, v in node.items()}


def _properties(root: Mapping[str, Any], schema: Any, seen: set[int]) -> set[str]:
    schema = resolve_ref(root, schema)
    if not isinstance(schema, Mapping) or id(schema) in seen:
        return set()
    seen.add(id(schema))
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", ()):
        names |= _properties(root, part, seen)
    return names
