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

Steps: load (`_load`: JSON or YAML, checked) -> detect the half (`"swagger": "2.0"` ->
authoring) -> `_swagger` (authoring only) -> check the server (`/openai`, or `/openai/v1`
for Azure's v1 document, which imports as api-version "v1", one whole inference half) ->
`_normalise` -> overlay schema renames -> merge with the file's other half -> overlay
patches and SDK names (last, so a re-import keeps them; names the overlay lacks are
derived from the path and reported) -> `_consistency` -> write (json, indent 2, published
order, sorted where there is no order, newline at end).

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
from datetime import date
from pathlib import Path
from typing import Any

from codegen import _consistency, _normalise, _overlay, _swagger
from codegen._load import document_kind, load_document
from codegen._normalise import SpecImportError
from codegen._spec import V1

__all__ = ["Derived", "build", "import_all", "import_document", "load_document", "pair_authoring"]

JSON = Any
TITLE = "Azure OpenAI (azgate)"
BASES = ("/openai", "/openai/v1")
V1_BASE = "/openai/v1"

Derived = list[tuple[str, str, str, str]]
"""SDK names the import derived from paths: (api-version, METHOD, path, name)."""


# ---- reading -------------------------------------------------------------------------


def base_of(doc: JSON, path: Path | str = "document") -> str:
    """The server path the operations sit under: /openai (dated api-versions) or
    /openai/v1 (Azure's v1 API). `doc` is in OpenAPI 3 shape."""
    urls = [s.get("url", "") if isinstance(s, dict) else "" for s in doc.get("servers") or []]
    bases = {b for b in BASES if urls and all(u.rstrip("/").endswith(b) for u in urls)}
    if not bases:
        raise SpecImportError(
            f"{path} at /servers: expected every server URL to end with {' or '.join(BASES)}, got {urls}; "
            "is this an Azure OpenAI data-plane document?"
        )
    return max(bases, key=len)


def half_of(doc: JSON) -> str:
    """Swagger 2.0 documents are the authoring half; OpenAPI 3 ones the inference half
    (the v1 document, which covers both, is one inference half)."""
    return "authoring" if document_kind(doc) == "swagger" else "inference"


# ---- one half ------------------------------------------------------------------------


def normalise_half(
    raw: JSON, overlay: _overlay.Overlay, version: str | None = None, path: Path | str = "document"
) -> tuple[JSON, dict[str, JSON]]:
    """(paths, schemas) of one published document, normalised and renamed. With
    `version`, the document's server must suit it: /openai/v1 for v1, /openai otherwise."""
    half = half_of(raw)
    doc = _swagger.to_openapi3(raw) if half == "authoring" else raw
    base = base_of(doc, path)
    if version is not None and (base == V1_BASE) != (version == V1):
        want = "v1" if base == V1_BASE else "a dated api-version (YYYY-MM-DD[-preview])"
        raise SpecImportError(f"{path}: its server is {{endpoint}}{base}, so it imports as {want}, not {version}")
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


def _finish(doc: JSON, overlay: _overlay.Overlay, derived: Derived) -> JSON:
    version = doc["info"]["version"]
    derived += [(version, *named) for named in _overlay.apply(doc, overlay)]
    doc["x-azgate-schema-sources"] = dict(sorted(doc["x-azgate-schema-sources"].items()))
    _consistency.check_document(doc)
    return doc


def _collision_message(problems: list[str]) -> str:
    return "schema name collisions; add each to schema_renames in spec/overlay.yaml:\n  " + "\n  ".join(problems)


def dumps(doc: JSON) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# ---- commands ------------------------------------------------------------------------


def build(
    path: Path,
    version: str,
    existing: JSON | None,
    overlay: _overlay.Overlay,
    derived: Derived | None = None,
    raw: JSON | None = None,
) -> JSON:
    """The spec document for `version` after importing the document at `path` (already
    read: `raw`). SDK names derived for operations the overlay does not know are added
    to `derived`."""
    raw = load_document(path) if raw is None else raw
    paths, schemas = normalise_half(raw, overlay, version, path)
    source_version = str(raw.get("info", {}).get("version") or version)
    doc = merge(existing, version, half_of(raw), source_version, paths, schemas)
    return _finish(doc, overlay, [] if derived is None else derived)


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


def import_document(path: Path, version: str, spec_dir: Path, derived: Derived | None = None) -> Path:
    """Import one published document into spec_dir/<version>.json; returns that path."""
    overlay = _overlay.load(spec_dir / "overlay.yaml")
    target = spec_dir / f"{version}.json"
    existing = json.loads(target.read_text("utf-8")) if target.exists() else None
    return write_all({version: build(path, version, existing, overlay, derived)}, spec_dir)[0]


def find_documents(root: Path, half: str) -> dict[str, Path]:
    """{api-version: document} under root/<half>/<api-version>/ (one .json/.yaml each);
    for half "v1", {"v1": the one document in root/v1/}."""
    if half == V1:
        docs = sorted(p for p in (root / V1).glob("*") if p.suffix in (".json", ".yaml", ".yml"))
        if len(docs) > 1:
            raise SpecImportError(f"{root / V1}: expected one published document, found {len(docs)}")
        return {V1: docs[0]} if docs else {}
    if not (root / half).is_dir():
        return {}
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


def build_all(root: Path, overlay: _overlay.Overlay, derived: Derived | None = None) -> dict[str, JSON]:
    """The spec document of every inference version under root (each with its paired
    authoring half) and of the v1 document: each from its published documents alone."""
    if not root.is_dir():
        raise SpecImportError(f"{root}: no such folder of published documents (inference/<V>/, authoring/<V>/, v1/)")
    inference = find_documents(root, "inference")
    authoring = find_documents(root, "authoring")
    docs: dict[str, JSON] = {}
    for version, path in inference.items():
        docs[version] = build(path, version, None, overlay, derived)
        paired = pair_authoring(version, sorted(authoring))
        if paired is not None:
            docs[version] = build(authoring[paired], version, docs[version], overlay, derived)
    for version, path in find_documents(root, V1).items():
        docs[version] = build(path, version, None, overlay, derived)
    return docs


def import_all(root: Path, spec_dir: Path, derived: Derived | None = None) -> list[Path]:
    """Import every published document under root (`build_all`); nothing is written
    unless every version imports."""
    return write_all(build_all(root, _overlay.load(spec_dir / "overlay.yaml"), derived), spec_dir)
