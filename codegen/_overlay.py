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
        when_operation: POST /deployments/{deployment-id}/chat/completions
                             #   optional: only in versions that have this operation
        when_referenced: true #  optional: only where the document $refs it (dangling)
        schema: {...}
    operations:              # JSON merge patch into the operation at this method and path
      POST /deployments/{deployment-id}/chat/completions:
        x-azgate-name: chat.completions.create
        x-azgate-defaults: {requestBody: ...}   # optional: keys set only where absent
    media_types:             # relabel a body's media type, keeping its schema
      POST /deployments/{deployment-id}/audio/speech:
        request: {multipart/form-data: application/json}
        responses: {"200": {old: new}}

**Operations are keyed by method and path**, never by operationId: Azure renames ids
between documents. A key matches every document whose operation has the same
`_naming.operation_key`: the deployment prefix is ignored and parameters match by
position whatever their names, so `GET /files/{file-id}` also names the v1 API's
`GET /files/{file_id}`. An operation no key matches gets the SDK name
`_naming.derived_sdk_name` gives it; `apply` returns those names so the import can list them.

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

from codegen._naming import derived_sdk_name, operation_key
from codegen._normalise import SCHEMA_PREFIX, SpecImportError

JSON = Any
Overlay = dict[str, Any]

_SECTIONS = ("schema_renames", "schemas", "add_schemas", "operations", "media_types")
_KEYED_BY_OPERATION = ("operations", "media_types")
_METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH")
DEFAULTS = "x-azgate-defaults"


def load(path: Path) -> Overlay:
    """Read and sanity-check the overlay; a missing file is an empty overlay.

    The operation sections come back keyed by `operation_key`, so lookups need no
    knowledge of how a document spells its path parameters."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise SpecImportError(f"{path}: {where}{exc.problem}; fix the YAML syntax there") from None
    data = data or {}
    if not isinstance(data, dict):
        raise SpecImportError(f"{path}: the overlay must be a mapping of sections {list(_SECTIONS)}")
    unknown = set(data) - set(_SECTIONS)
    if unknown:
        raise SpecImportError(
            f"{path}: unknown overlay sections {sorted(unknown)}; the known ones are {list(_SECTIONS)}"
        )
    out = dict(data)
    spelled: dict[str, str] = {}
    for section in _KEYED_BY_OPERATION:
        keyed: dict[str, JSON] = {}
        for written, entry in (data.get(section) or {}).items():
            key = _key(path, section, written)
            if key in keyed:
                raise SpecImportError(
                    f"{path}: {section} has both {spelled[key]!r} and {written!r}, which are one operation; merge them"
                )
            keyed[key], spelled[key] = entry or {}, written
        out[section] = keyed
    names: dict[str, str] = {}
    for key, entry in out["operations"].items():
        name = entry.get("x-azgate-name")
        if name is not None and names.setdefault(name, key) != key:
            raise SpecImportError(
                f"{path}: x-azgate-name {name!r} given to both {spelled[names[name]]!r} and {spelled[key]!r}"
            )
    for name, entry in (data.get("add_schemas") or {}).items():
        if entry.get("when_operation") is not None:
            entry["when_operation"] = _key(path, f"add_schemas.{name}.when_operation", entry["when_operation"])
    return out


def _key(path: Path, section: str, written: object) -> str:
    method, _, route = str(written).partition(" ")
    if method not in _METHODS or not route.startswith("/"):
        raise SpecImportError(
            f"{path}: {section} key {written!r} is not 'METHOD /path' (e.g. 'POST /files/{{file-id}}/cancel')"
        )
    return operation_key(method, route)


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


def operations(doc: JSON) -> dict[str, tuple[str, str, JSON]]:
    """operation_key -> (METHOD, path, operation object) of a normalised document."""
    return {
        operation_key(method, path): (method.upper(), path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
    }


def apply(doc: JSON, overlay: Overlay) -> list[tuple[str, str, str]]:
    """Apply the overlay's patches, additions and relabels to a merged document, in
    place; name the operations it does not know. Returns the derived names as
    (METHOD, path, name)."""
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
    derived = []
    for key, (method, path, op) in ops.items():  # in place: these are the objects in doc["paths"]
        entry = (overlay.get("operations") or {}).get(key)
        if entry is not None:
            patch = {k: v for k, v in entry.items() if k != DEFAULTS}
            defaults = {k: v for k, v in (entry.get(DEFAULTS) or {}).items() if k not in op and k not in patch}
            patched = merge_patch(op, {**patch, **defaults})
            op.clear()
            op.update(patched)
        where = (overlay.get("media_types") or {}).get(key)
        if where is not None:
            _relabel(op, where)
        if "x-azgate-stream" in op:
            _split_stream(op, SCHEMA_PREFIX + op["x-azgate-stream"])
        if not op.get("x-azgate-name"):
            op["x-azgate-name"] = derived_sdk_name(method, path)
            derived.append((method, path, op["x-azgate-name"]))
    return derived


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
