"""Import published Azure OpenAI documents into spec/<api-version>.json.

A spec file holds two halves: "inference" (the OpenAPI 3.0/3.1 document of that
api-version) and "authoring" (a Swagger 2.0 document: files, batches, fine-tuning, ...).
Importing one document replaces only its half:

* each operation carries `"x-azgate-source": "inference" | "authoring"`;
* the top-level `x-azgate-schema-sources` maps every schema name (sorted) to the sorted
  list of its sources: ["inference"], ["authoring"], ["authoring", "inference"] (a
  same-name, same-structure schema both halves publish, kept once), or ["overlay"]
  (added by spec/overlay.yaml, re-derived on every import);
* `info.x-azgate-sources` = {"inference": <version>, "authoring": <version>} records
  which published document each half came from (no "authoring" key when there is none).

Steps: load (JSON or YAML) -> detect the half (`"swagger": "2.0"` -> authoring) ->
`_swagger` (authoring only) -> `_normalise` -> overlay schema renames -> merge with the
file's other half -> overlay patches (last, so a re-import keeps them) -> `_consistency` ->
write (json, indent 2, published order, sorted where there is no order, newline at end).

The overlay is re-applied to the kept half too; its steps are idempotent. Removing a
correction from the overlay therefore needs a re-import of both halves (`import-all`).

Pairing (`import-all`, see `pair_authoring`): an inference api-version takes the
authoring document of the same api-version if there is one; otherwise, for a *preview*
inference version only, the preview authoring document whose date is nearest (ties go to
the earlier one); a stable inference version without its own authoring document gets
none (Azure's stable channel gained files/batches/fine-tuning with 2024-10-21).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

from codegen import _consistency, _normalise, _overlay, _swagger
from codegen._normalise import SpecImportError

JSON = Any
TITLE = "Azure OpenAI (azgate)"
BASE = "/openai"


# ---- reading -------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):  # type: ignore[misc,unused-ignore]
    """YAML as JSON would read it: dates stay strings, only true/false are booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def load_document(path: Path) -> JSON:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return _string_keys(yaml.load(text, Loader=_Loader))  # a SafeLoader subclass


def _string_keys(node: JSON) -> JSON:
    """YAML reads unquoted `200:` as an int; JSON keys are strings."""
    if isinstance(node, dict):
        return {str(k): _string_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_string_keys(v) for v in node]
    return node


def half_of(doc: JSON) -> str:
    return "authoring" if doc.get("swagger") == "2.0" else "inference"


# ---- one half ------------------------------------------------------------------------


def normalise_half(raw: JSON, overlay: _overlay.Overlay) -> tuple[JSON, dict[str, JSON]]:
    """(paths, schemas) of one published document, normalised and renamed."""
    half = half_of(raw)
    doc = _swagger.to_openapi3(raw) if half == "authoring" else raw
    urls = [s.get("url", "") for s in doc.get("servers", [])]
    if not urls or not all(u.rstrip("/").endswith(BASE) for u in urls):
        raise SpecImportError(f"expected every server URL to end with {BASE}, got {urls}")
    paths = _normalise.paths(doc)
    schemas = _normalise.components(doc.get("components", {}).get("schemas", {}))
    schemas, paths = _overlay.rename_schemas(schemas, paths, _overlay.renames(overlay, half))
    _normalise.fix_half(schemas, paths)
    return paths, schemas


# ---- merging into a spec file ----------------------------------------------------------


def merge(
    existing: JSON | None, version: str, half: str, source_version: str, paths: JSON, schemas: dict[str, JSON]
) -> JSON:
    """A spec document with `half` replaced by (paths, schemas), the other half kept."""
    old = existing or {}
    other = "authoring" if half == "inference" else "inference"
    old_sources: dict[str, list[str]] = old.get("x-azgate-schema-sources", {})
    kept_schemas = {
        name: s
        for name, s in old.get("components", {}).get("schemas", {}).items()
        if other in old_sources.get(name, [])
    }
    ops: dict[str, list[tuple[str, str, JSON]]] = {h: [] for h in _consistency.HALVES}
    for path, item in old.get("paths", {}).items():
        for method, op in item.items():
            if op.get("x-azgate-source") == other:
                ops[other].append((path, method, op))
    for path, item in paths.items():
        for method, op in item.items():
            ops[half].append((path, method, {**op, "x-azgate-source": half}))

    merged_paths: dict[str, JSON] = {}
    for h in _consistency.HALVES:  # inference first, each in published order
        for path, method, op in ops[h]:
            if method in merged_paths.setdefault(path, {}):
                raise SpecImportError(f"{method.upper()} {path} is published by both halves")
            merged_paths[path][method] = op

    sources = {n: [other] for n in kept_schemas}
    clashes = []
    for name, s in schemas.items():
        if name in kept_schemas and kept_schemas[name] != s:
            clashes.append(f"{name}: {half} and {other} of {version} differ")
        sources[name] = sorted({*sources.get(name, []), half})
    if clashes:
        raise SpecImportError(_collision_message(clashes))
    ordered: dict[str, dict[str, JSON]] = {h: {} for h in _consistency.HALVES}
    for name, s in {**kept_schemas, **schemas}.items():
        ordered["inference" if "inference" in sources[name] else "authoring"][name] = s
    provenance = {h: v for h, v in old.get("info", {}).get("x-azgate-sources", {}).items() if h == other}
    provenance[half] = source_version
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": version,
            "x-azgate-sources": {h: provenance[h] for h in _consistency.HALVES if h in provenance},
        },
        "paths": merged_paths,
        "components": {"schemas": {**ordered["inference"], **ordered["authoring"]}},
        "x-azgate-schema-sources": sources,
    }


def _finish(doc: JSON, overlay: _overlay.Overlay) -> JSON:
    _overlay.apply(doc, overlay)
    doc["x-azgate-schema-sources"] = dict(sorted(doc["x-azgate-schema-sources"].items()))
    _consistency.check_document(doc)
    return doc


def _collision_message(problems: list[str]) -> str:
    return "schema name collisions; add each to schema_renames in spec/overlay.yaml:\n  " + "\n  ".join(problems)


def dumps(doc: JSON) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# ---- commands ------------------------------------------------------------------------


def build(path: Path, version: str, existing: JSON | None, overlay: _overlay.Overlay) -> JSON:
    """The spec document for `version` after importing the document at `path`."""
    raw = load_document(path)
    paths, schemas = normalise_half(raw, overlay)
    source_version = str(raw.get("info", {}).get("version") or version)
    return _finish(merge(existing, version, half_of(raw), source_version, paths, schemas), overlay)


def write_all(docs: dict[str, JSON], spec_dir: Path) -> list[Path]:
    """Check schema names over `docs` plus the other spec files, then write `docs`."""
    on_disk = {p.stem: p for p in sorted(spec_dir.glob("*.json"))}
    others = {v: json.loads(p.read_text("utf-8")) for v, p in on_disk.items() if v not in docs}
    problems = _consistency.collisions({**others, **docs})
    if problems:
        raise SpecImportError(_collision_message(problems))
    spec_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for version, doc in docs.items():
        target = spec_dir / f"{version}.json"
        target.write_text(dumps(doc), encoding="utf-8")
        written.append(target)
    return written


def import_document(path: Path, version: str, spec_dir: Path) -> Path:
    """Import one published document into spec_dir/<version>.json; returns that path."""
    overlay = _overlay.load(spec_dir / "overlay.yaml")
    target = spec_dir / f"{version}.json"
    existing = json.loads(target.read_text("utf-8")) if target.exists() else None
    return write_all({version: build(path, version, existing, overlay)}, spec_dir)[0]


def find_documents(root: Path, half: str) -> dict[str, Path]:
    """{api-version: document} under root/<half>/<api-version>/ (one .json/.yaml each)."""
    found = {}
    for folder in sorted((root / half).iterdir()):
        docs = sorted(p for p in folder.iterdir() if p.suffix in (".json", ".yaml", ".yml"))
        if len(docs) != 1:
            raise SpecImportError(f"{folder}: expected one published document, found {len(docs)}")
        found[folder.name] = docs[0]
    return found


def _day(version: str) -> date:
    return date.fromisoformat(version[:10])


def pair_authoring(inference_version: str, authoring_versions: list[str]) -> str | None:
    """The authoring api-version to pair with an inference one (module docstring)."""
    if inference_version in authoring_versions:
        return inference_version
    if not inference_version.endswith("-preview"):
        return None
    previews = sorted(v for v in authoring_versions if v.endswith("-preview"))
    if not previews:
        return None
    day = _day(inference_version)
    return min(previews, key=lambda v: (abs((_day(v) - day).days), _day(v)))


def import_all(root: Path, spec_dir: Path) -> list[Path]:
    """Import every inference document under root, each with its paired authoring one.

    Each version is rebuilt from its published documents alone (no stale half survives)
    and nothing is written unless every version imports."""
    overlay = _overlay.load(spec_dir / "overlay.yaml")
    inference = find_documents(root, "inference")
    authoring = find_documents(root, "authoring")
    docs: dict[str, JSON] = {}
    for version, path in inference.items():
        docs[version] = build(path, version, None, overlay)
        paired = pair_authoring(version, sorted(authoring))
        if paired is not None:
            docs[version] = build(authoring[paired], version, docs[version], overlay)
    return write_all(docs, spec_dir)
