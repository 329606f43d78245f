"""Normalise one OpenAPI-3-shaped document (one half) into azgate's spec format.

Input is a published inference document, or an authoring document already turned into
OpenAPI 3 shape by `_swagger`. Output is the half's `paths` and `components.schemas`:

* structure only: prose (description, title, summary, example(s), externalDocs,
  $comment) and vendor noise (every `x-` key) are dropped from schemas, parameters,
  request bodies and responses; property *names* are never touched;
* schemas are JSON Schema 2020-12: `nullable`/`x-nullable` become `type: [T, "null"]`
  or an `anyOf` with `{"type": "null"}`, `$recursiveRef` becomes a plain `$ref`,
  `#/definitions/` refs point at `#/components/schemas/`, invalid `default`s and
  `required` lists that cannot hold are dropped, discriminators are kept only when they
  have a complete `mapping`;
* parameters are resolved, reduced to name/in/required/schema, and the client-level
  `api-version` and `endpoint` parameters and the `Accept` header are removed;
* operations without an operationId get a synthesised one (`_synth_operation_id`).
"""

from __future__ import annotations

import re
from typing import Any

JSON = Any
Schema = dict[str, Any]

SCHEMA_PREFIX = "#/components/schemas/"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_PROSE = frozenset({"description", "title", "summary", "example", "examples", "externalDocs", "$comment", "xml"})
# Keywords whose value is one schema / a list of schemas / a name -> schema map.
_ONE = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
)
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "dependentSchemas", "$defs")
# Annotations that stay beside an `anyOf` wrapper rather than inside it.
_OUTER = ("default", "readOnly", "writeOnly", "deprecated")
# Client-level settings, and `Accept`, which the runtime sets (JSON, or event streams).
_DROP_PARAMS = {("query", "api-version"), ("path", "endpoint"), ("header", "accept")}


class SpecImportError(Exception):
    """A published document that the import cannot turn into the spec format."""


def schema(node: JSON, anchor: str | None = None) -> JSON:
    """Normalise one schema; `anchor` names the component holding `$recursiveAnchor`."""
    if not isinstance(node, dict):
        return node
    out: Schema = {}
    for key, value in node.items():
        if key in _PROSE or key.startswith("x-") or key in ("nullable", "$recursiveAnchor"):
            continue
        if key in _ONE:
            out[key] = schema(value, anchor)
        elif key in _LIST and isinstance(value, list):
            out[key] = [schema(v, anchor) for v in value]
        elif key in _MAP and isinstance(value, dict):
            out[key] = {name: schema(v, anchor) for name, v in value.items()}
        elif key == "$ref":
            out[key] = _ref(value)
        elif key == "$recursiveRef":
            if value != "#" or anchor is None:
                raise SpecImportError(f"$recursiveRef {value!r} outside a $recursiveAnchor schema")
            out["$ref"] = SCHEMA_PREFIX + anchor
        elif key == "type" and value == "file":  # Swagger 2.0 upload / download
            out["type"], out["format"] = "string", "binary"
        else:
            out[key] = value
    if out.get("required") == [] or ("required" in out and _types(out) and "object" not in _types(out)):
        del out["required"]  # `required` on a string property says nothing valid
    if "default" in out and not _default_ok(out):
        del out["default"]
    if node.get("nullable") is True or node.get("x-nullable") is True:
        out = nullable(out)
    return out


def nullable(s: Schema) -> Schema:
    """Let `s` also accept null, in the 2020-12 spelling."""
    types = s.get("type")
    if types is not None and not any(k in s for k in ("$ref", "allOf", "anyOf", "oneOf")):
        listed = [types] if isinstance(types, str) else list(types)
        s = {**s, "type": listed if "null" in listed else [*listed, "null"]}
        if "enum" in s and None not in s["enum"]:
            s["enum"] = [*s["enum"], None]
        return s
    inner = {k: v for k, v in s.items() if k not in _OUTER}
    outer = {k: v for k, v in s.items() if k in _OUTER}
    return {"anyOf": [inner, {"type": "null"}], **outer}


def _ref(value: str) -> str:
    if value.startswith("#/definitions/"):
        return SCHEMA_PREFIX + value[len("#/definitions/") :]
    return value


def _types(s: Schema) -> list[str]:
    t = s.get("type")
    return [t] if isinstance(t, str) else list(t or [])


_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


def _default_ok(s: Schema) -> bool:
    """A default must be an instance of the schema's own type (and enum)."""
    value = s["default"]
    if "enum" in s and value not in s["enum"]:
        return False
    types = _types(s)
    if not types:
        return True
    for t in types:
        ok = isinstance(value, _PY_TYPES.get(t, (object,)))
        if t in ("integer", "number") and isinstance(value, bool):
            ok = False
        if ok:
            return True
    return False


def components(schemas: dict[str, JSON]) -> dict[str, JSON]:
    """Normalise every component schema, resolving `$recursiveRef` to its holder."""
    out = {}
    for name, node in schemas.items():
        anchor = name if isinstance(node, dict) and node.get("$recursiveAnchor") else None
        out[name] = schema(node, anchor)
    return out


# ---- operations ----------------------------------------------------------------------


def paths(doc: JSON) -> dict[str, JSON]:
    """Normalised paths of an OpenAPI-3-shaped document (published order kept)."""
    out: dict[str, JSON] = {}
    for path, item in doc.get("paths", {}).items():
        shared = item.get("parameters", [])
        ops = {}
        for method in _METHODS:
            if method in item:
                ops[method] = _operation(doc, path, method, item[method], shared)
        out[path] = ops
    return out


def _operation(doc: JSON, path: str, method: str, op: JSON, shared: list[JSON]) -> JSON:
    out: dict[str, JSON] = {"operationId": op.get("operationId") or _synth_operation_id(method, path)}
    if op.get("deprecated") is True:
        out["deprecated"] = True
    out["parameters"] = _parameters(doc, [*shared, *op.get("parameters", [])])
    if "requestBody" in op:
        body = _deref(doc, op["requestBody"])
        out["requestBody"] = {
            "required": bool(body.get("required", False)),
            "content": _content(doc, body.get("content", {})),
        }
    out["responses"] = {str(status): _response(doc, resp) for status, resp in op.get("responses", {}).items()}
    return out


def _parameters(doc: JSON, raw: list[JSON]) -> list[JSON]:
    merged: dict[tuple[str, str], JSON] = {}  # an operation's own entry overrides the path's
    for p in raw:
        p = _deref(doc, p)
        if (p["in"], p["name"].lower() if p["in"] == "header" else p["name"]) in _DROP_PARAMS:
            continue
        s = schema(p.get("schema", {}))
        if not any(k in s for k in ("type", "$ref", "allOf", "anyOf", "oneOf")):
            s = {"type": "string", **s}  # e.g. `order` with no type in authoring 2025-04
        merged[(p["in"], p["name"])] = {
            "name": p["name"],
            "in": p["in"],
            "required": p["in"] == "path" or bool(p.get("required", False)),
            "schema": s,
        }
    return list(merged.values())


def _content(doc: JSON, content: JSON) -> JSON:
    return {media: {"schema": schema(_deref(doc, m).get("schema", {}))} for media, m in content.items()}


def _response(doc: JSON, resp: JSON) -> JSON:
    resp = _deref(doc, resp)
    out: dict[str, JSON] = {}
    if resp.get("content"):
        out["content"] = _content(doc, resp["content"])
    if resp.get("headers"):
        out["headers"] = {
            name: {"schema": schema(_deref(doc, h).get("schema", {"type": "string"}))}
            for name, h in resp["headers"].items()
        }
    return out


def _deref(doc: JSON, node: JSON) -> JSON:
    """Follow a local `$ref` to components/parameters, responses, requestBodies, headers."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/") or seen > 20:
            raise SpecImportError(f"cannot resolve {ref!r}")
        target: JSON = doc
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node, seen = target, seen + 1
    return node


def _pascal(segment: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[_\-\s]+", segment) if w)


def _synth_operation_id(method: str, path: str) -> str:
    """A stable id for an operation published without one, e.g. POST /responses ->
    Responses_Create, GET /responses/{id}/input_items -> Responses_ListInputItems."""
    parts = [p for p in path.strip("/").split("/") if p]
    static = [p for p in parts if not p.startswith("{")]
    on_item = bool(parts) and parts[-1].startswith("{")
    verb = {
        ("get", True): "Get",
        ("get", False): "List",
        ("post", False): "Create",
        ("post", True): "Update",
        ("delete", True): "Delete",
        ("delete", False): "Delete",
        ("put", True): "CreateOrReplace",
        ("put", False): "Replace",
        ("patch", True): "Update",
        ("patch", False): "Update",
    }.get((method, on_item), _pascal(method))
    resource = _pascal(static[0]) if static else "Root"
    if len(static) > 1 and not on_item:
        verb = (verb if method != "post" else "") + _pascal(static[-1])
    return f"{resource}_{verb}"


# ---- whole-half fixes (need every component in view) -------------------------------


def children(node: Schema) -> list[tuple[str, JSON]]:
    """(keyword, subschema) pairs directly below a schema node."""
    out: list[tuple[str, JSON]] = [(k, node[k]) for k in _ONE if isinstance(node.get(k), dict)]
    out += [(k, c) for k in _LIST for c in node.get(k) or []]
    out += [(k, c) for k in _MAP for c in (node.get(k) or {}).values()]
    return out


def walk(node: JSON, visit: Any) -> None:
    """Call `visit(schema)` on every schema node at or below `node`, depth first."""
    if isinstance(node, dict):
        visit(node)
        for _, child in children(node):
            walk(child, visit)


def operation_schemas(paths_: JSON) -> list[Schema]:
    """Every top-level schema used by the operations (parameters, bodies, responses)."""
    found: list[Schema] = []
    for item in paths_.values():
        for op in item.values():
            found += [p["schema"] for p in op.get("parameters", [])]
            found += [m["schema"] for m in op.get("requestBody", {}).get("content", {}).values()]
            for resp in op.get("responses", {}).values():
                found += [m["schema"] for m in resp.get("content", {}).values()]
                found += [h["schema"] for h in resp.get("headers", {}).values()]
    return found


def fix_half(schemas: dict[str, JSON], paths_: JSON) -> None:
    """Drop `required` names nothing declares and discriminators generators cannot use."""

    def declared(s: JSON, seen: frozenset[str] = frozenset()) -> set[str]:
        if not isinstance(s, dict):
            return set()
        names = set(s.get("properties") or {})
        ref = s.get("$ref", "")
        if ref.startswith(SCHEMA_PREFIX) and ref not in seen:
            names |= declared(schemas.get(ref[len(SCHEMA_PREFIX) :]), seen | {ref})
        for member in s.get("allOf") or []:
            names |= declared(member, seen)
        return names

    def fix(s: JSON, siblings: frozenset[str]) -> None:
        if not isinstance(s, dict):
            return
        if "discriminator" in s and not _discriminator_ok(s["discriminator"], schemas):
            del s["discriminator"]
        known = declared(s) | siblings
        if "required" in s and "properties" in s and not isinstance(s.get("additionalProperties"), dict):
            s["required"] = [r for r in s["required"] if r in known]
            if not s["required"]:
                del s["required"]
        for key, child in children(s):  # allOf members see their siblings' properties
            fix(child, frozenset(known) if key == "allOf" else frozenset())

    for root in [*schemas.values(), *operation_schemas(paths_)]:
        fix(root, frozenset())


def _discriminator_ok(d: JSON, schemas: dict[str, JSON]) -> bool:
    if not isinstance(d, dict) or "propertyName" not in d or not d.get("mapping"):
        return False
    return all(t.startswith(SCHEMA_PREFIX) and t[len(SCHEMA_PREFIX) :] in schemas for t in d["mapping"].values())
