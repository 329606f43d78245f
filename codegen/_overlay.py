"""azgate's own corrections to the published documents (spec/overlay.yaml).

Format (every section optional; names are the final, renamed schema names):

    schema_renames:          # per half: published schema key -> our key; applied to the
      authoring: {Error: ManagementError}   #   keys and every $ref / mapping target
      inference: {}
    schemas:                 # JSON merge patch (RFC 7396: null deletes) into
      Name:                  #   components/schemas/Name of every version that has it
        requires: [Other]    #   optional: only where these schemas exist too
        patch: {...}
    add_schemas:             # added where absent (never replaces a published schema)
      Name:
        when_operation: OpId #   optional: only in versions that have this operation
        when_referenced: true #  optional: only where the document $refs it (dangling)
        schema: {...}
    operations:              # JSON merge patch into the operation with this operationId
      OpId: {x-azgate-name: chat.completions.create, ...}
    media_types:             # relabel a body's media type, keeping its schema
      OpId: {request: {multipart/form-data: application/json},
             responses: {"200": {old: new}}}

An operation with `x-azgate-stream: Schema` names only its non-stream response: a
`oneOf` that lists the stream schema loses it, and a media type (text/event-stream)
whose schema is the stream schema is dropped. `x-azgate-stream-event-names: true` says
the stream names each event on its `event:` line and sends only the object in `data:`
(the Assistants API), so the runtime puts `{event, data}` together before parsing.

Patches are written in the normalised (2020-12) form. Every step is idempotent, so the
overlay can be re-applied to a half that already carries it (`_import` keeps the other
half of a spec file as it was). Added schemas are recorded with source "overlay".
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

from codegen._normalise import SCHEMA_PREFIX, SpecImportError

JSON = Any
Overlay = dict[str, Any]

_SECTIONS = ("schema_renames", "schemas", "add_schemas", "operations", "media_types")


def load(path: Path) -> Overlay:
    """Read and sanity-check the overlay; a missing file is an empty overlay."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    data = data or {}
    unknown = set(data) - set(_SECTIONS)
    if unknown:
        raise SpecImportError(f"{path}: unknown overlay sections {sorted(unknown)}")
    names: dict[str, str] = {}
    for op_id, patch in (data.get("operations") or {}).items():
        name = (patch or {}).get("x-azgate-name")
        if name is not None and names.setdefault(name, op_id) != op_id:
            raise SpecImportError(f"{path}: x-azgate-name {name!r} given to both {names[name]} and {op_id}")
    return data


def renames(overlay: Overlay, half: str) -> dict[str, str]:
    return dict((overlay.get("schema_renames") or {}).get(half) or {})


def rename_schemas(schemas: dict[str, JSON], paths: JSON, table: dict[str, str]) -> tuple[dict[str, JSON], JSON]:
    """Rename schema keys and every reference to them (refs and discriminator mappings)."""
    if not table:
        return schemas, paths
    refs = {SCHEMA_PREFIX + old: SCHEMA_PREFIX + new for old, new in table.items()}

    def sub(node: JSON) -> JSON:
        if isinstance(node, dict):
            return {k: sub(v) for k, v in node.items()}
        if isinstance(node, list):
            return [sub(v) for v in node]
        return refs.get(node, node) if isinstance(node, str) else node

    return {table.get(k, k): sub(v) for k, v in schemas.items()}, sub(paths)


def merge_patch(target: JSON, patch: JSON) -> JSON:
    """RFC 7396 JSON merge patch (returns a new value)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def operations(doc: JSON) -> dict[str, JSON]:
    """operationId -> operation object of a normalised document."""
    return {op["operationId"]: op for item in doc["paths"].values() for op in item.values()}


def apply(doc: JSON, overlay: Overlay) -> None:
    """Apply the overlay's patches, additions and relabels to a merged document, in place."""
    schemas = doc["components"]["schemas"]
    sources = doc.setdefault("x-azgate-schema-sources", {})
    for name, entry in (overlay.get("schemas") or {}).items():
        if name in schemas and all(r in schemas for r in entry.get("requires", [])):
            schemas[name] = merge_patch(schemas[name], entry["patch"])
    ops = operations(doc)
    for name, entry in (overlay.get("add_schemas") or {}).items():
        wanted = entry.get("when_operation")
        if entry.get("when_referenced") and not _referenced(doc, SCHEMA_PREFIX + name):
            continue
        if name not in schemas and (wanted is None or wanted in ops):
            schemas[name] = copy.deepcopy(entry["schema"])
            sources[name] = ["overlay"]
    for op_id, patch in (overlay.get("operations") or {}).items():
        if op_id in ops:  # in place: `ops` holds the objects inside doc["paths"]
            patched = merge_patch(ops[op_id], patch)
            ops[op_id].clear()
            ops[op_id].update(patched)
    for op_id, where in (overlay.get("media_types") or {}).items():
        if op_id in ops:
            _relabel(ops[op_id], where)
    for op in ops.values():
        if "x-azgate-stream" in op:
            _split_stream(op, SCHEMA_PREFIX + op["x-azgate-stream"])


def _referenced(node: JSON, ref: str) -> bool:
    if isinstance(node, dict):
        return node.get("$ref") == ref or any(_referenced(v, ref) for v in node.values())
    if isinstance(node, list):
        return any(_referenced(v, ref) for v in node)
    return False


def _split_stream(op: JSON, stream_ref: str) -> None:
    """The stream form is reached through `x-azgate-stream`, so response bodies name only
    the non-stream form: `oneOf [response, chunk]` -> response, and an event-stream
    media type whose schema is the chunk is dropped."""
    for resp in op.get("responses", {}).values():
        content = resp.get("content", {})
        for media in list(content):
            body = content[media].get("schema", {})
            if body == {"$ref": stream_ref}:
                del content[media]
                continue
            rest = [s for s in body.get("oneOf", []) if s != {"$ref": stream_ref}]
            if len(rest) < len(body.get("oneOf", [])):
                others = {k: v for k, v in body.items() if k != "oneOf"}
                content[media]["schema"] = {**rest[0], **others} if len(rest) == 1 else {**others, "oneOf": rest}


def _relabel(op: JSON, where: JSON) -> None:
    for old, new in (where.get("request") or {}).items():
        content = op.get("requestBody", {}).get("content", {})
        if old in content:
            op["requestBody"]["content"] = {(new if k == old else k): v for k, v in content.items()}
    for status, table in (where.get("responses") or {}).items():
        content = op.get("responses", {}).get(str(status), {}).get("content", {})
        for old, new in table.items():
            if old in content:
                op["responses"][str(status)]["content"] = {(new if k == old else k): v for k, v in content.items()}
                content = op["responses"][str(status)]["content"]
