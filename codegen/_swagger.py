"""Turn a Swagger 2.0 (authoring) document into OpenAPI 3 shape.

Only the shape changes; `_normalise` then strips prose and fixes schemas for both
halves alike. Mapping:

* `x-ms-parameterized-host.hostTemplate` (+ `basePath`) -> `servers[0].url`;
* `#/parameters/X` references are resolved; `in: body` -> `requestBody` with one entry
  per `consumes` media type (default application/json); `in: formData` parameters ->
  one `multipart/form-data` object schema (`type: file` becomes binary in `_normalise`);
  other parameters get their type keywords moved into `schema`;
* responses: `schema` -> `content` per `produces` media type (default
  application/json), headers -> `{name: {schema}}`;
* `definitions` -> `components.schemas` (refs are rewritten by `_normalise`);
* a union spelled as `allOf` (`_unions`) becomes `anyOf`.
"""

from __future__ import annotations

from typing import Any

JSON = Any

_DEFAULT_MEDIA = ["application/json"]
_FORM_MEDIA = ("multipart/form-data", "application/x-www-form-urlencoded")
# Parameter / header keys that describe the value, i.e. belong in its schema.
_VALUE_KEYS = (
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
)


def to_openapi3(doc: JSON) -> JSON:
    host = doc.get("x-ms-parameterized-host", {}).get("hostTemplate")
    base = (host or "{endpoint}") + doc.get("basePath", "").rstrip("/")
    consumes = doc.get("consumes", _DEFAULT_MEDIA)
    produces = doc.get("produces", _DEFAULT_MEDIA)
    paths: dict[str, JSON] = {}
    for path, item in doc.get("paths", {}).items():
        shared = [_resolve(doc, p) for p in item.get("parameters", [])]
        out_item: dict[str, JSON] = {}
        for method, op in item.items():
            if method == "parameters" or not isinstance(op, dict):
                continue
            params = _merge(shared, [_resolve(doc, p) for p in op.get("parameters", [])])
            out_item[method] = _operation(op, params, op.get("consumes", consumes), op.get("produces", produces))
        paths[path] = out_item
    return {
        "openapi": "3.0.0",
        "servers": [{"url": base}],
        "paths": paths,
        "components": {"schemas": _unions(doc.get("definitions", {}))},
    }


def _unions(node: JSON) -> JSON:
    """Authoring 2025-04 spells "one of these types" as `allOf: [A, B]` with
    `x-ms-discriminator-value` set to the discriminating property's own name (it is
    listed in `required`), which no value can satisfy as an intersection. Such an
    `allOf` is turned into the `anyOf` it means; true subtypes (`allOf: [Base]` with a
    discriminator *value*) are left alone."""
    if isinstance(node, list):
        return [_unions(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _unions(v) for k, v in node.items()}
    tag = out.get("x-ms-discriminator-value")
    if "allOf" in out and isinstance(tag, str) and tag in out.get("required", []):
        out["anyOf"] = out.pop("allOf")
    return out


def _resolve(doc: JSON, p: JSON) -> JSON:
    ref = p.get("$ref", "")
    if ref.startswith("#/parameters/"):
        return doc["parameters"][ref[len("#/parameters/") :]]
    return p


def _merge(shared: list[JSON], own: list[JSON]) -> list[JSON]:
    by_key = {(p["in"], p["name"]): p for p in shared}
    by_key.update({(p["in"], p["name"]): p for p in own})
    return list(by_key.values())


def _operation(op: JSON, params: list[JSON], consumes: list[str], produces: list[str]) -> JSON:
    out: dict[str, JSON] = {k: op[k] for k in ("operationId", "deprecated") if k in op}
    out["parameters"] = [
        {"name": p["name"], "in": p["in"], "required": p.get("required", False), "schema": value_schema(p)}
        for p in params
        if p["in"] not in ("body", "formData")
    ]
    body = [p for p in params if p["in"] == "body"]
    form = [p for p in params if p["in"] == "formData"]
    if body:
        out["requestBody"] = {
            "required": body[0].get("required", False),
            "content": {m: {"schema": body[0].get("schema", {})} for m in consumes},
        }
    elif form:
        obj: dict[str, JSON] = {"type": "object", "properties": {p["name"]: value_schema(p) for p in form}}
        required = [p["name"] for p in form if p.get("required")]
        if required:
            obj["required"] = required
        media = [m for m in consumes if m in _FORM_MEDIA] or ["multipart/form-data"]
        out["requestBody"] = {"required": bool(required), "content": {m: {"schema": obj} for m in media}}
    out["responses"] = {status: _response(r, produces) for status, r in op["responses"].items()}
    return out


def _response(resp: JSON, produces: list[str]) -> JSON:
    out: dict[str, JSON] = {}
    if "schema" in resp:
        out["content"] = {m: {"schema": resp["schema"]} for m in produces}
    if resp.get("headers"):
        out["headers"] = {n: {"schema": value_schema(h)} for n, h in resp["headers"].items()}
    return out


def value_schema(p: JSON) -> JSON:
    """The schema of a non-body parameter or header (its type keywords)."""
    return {k: p[k] for k in _VALUE_KEYS if k in p}
