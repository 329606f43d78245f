"""One set of schemas for every api-version: the input of the model generator.

- Inline request and response bodies get the name other versions give the same body
  (2023-05-15 declares everything inline), else `<OperationId>Request` / `Response`.
- Schemas of the same name merge across versions: properties are the union (a field
  only some versions have, or require, is optional); enum values are the union.
- Schema keys become the class names, so the model generator never has to invent one.
- Enums reachable from a response are open (`Literal[...] | str`): Azure adds values
  before the documents do, and a client must not reject a response for that. The tags
  of unions stay closed (`Literal["function"]`), so a union still tells its variants
  apart (_tags.py).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from ._naming import class_name, pascal
from ._shapes import reshape
from ._spec import SCHEMA_REF, V1, Document, operations, ref_name
from ._tags import tag_unions

__all__ = ["BodyNames", "body_names", "union_schemas"]

JSON_TYPES = ("application/json", "multipart/form-data")

BodyNames = dict[str, dict[str, str]]
"""SDK name (x-azgate-name) -> {"request" | "response": schema key}"""


def request_schema(op: dict[str, Any]) -> dict[str, Any] | None:
    content = op.get("requestBody", {}).get("content", {})
    for media_type in JSON_TYPES:
        if media_type in content:
            schema: dict[str, Any] | None = content[media_type].get("schema")
            return schema
    return None


def response_schema(op: dict[str, Any]) -> dict[str, Any] | None:
    for status, response in sorted(op.get("responses", {}).items()):
        if status.startswith("2"):
            media = response.get("content", {}).get("application/json")
            if media and "schema" in media:
                schema: dict[str, Any] = media["schema"]
                return schema
    return None


def body_names(docs: dict[str, Document]) -> BodyNames:
    """The schema key of each operation's request and response body, across versions:
    the newest $ref wins; an operation never given one gets a name from its first
    operationId. The v1 document only names what no dated document does: the dated
    documents' names are the ones the SDK's types grew up with."""
    names: BodyNames = {}
    dated = [doc for version, doc in docs.items() if version != V1]
    for doc in [*dated, *([docs[V1]] if V1 in docs else [])]:
        fill_only = doc["info"]["version"] == V1
        for _, _, op in operations(doc):
            slot = names.setdefault(op["x-azgate-name"], {})
            for kind, schema in (("request", request_schema(op)), ("response", response_schema(op))):
                if schema is None:
                    continue
                ref = ref_name(schema)
                if ref is not None and not (fill_only and kind in slot):
                    slot[kind] = ref
                elif ref is None and _is_object(schema):
                    slot.setdefault(kind, pascal(op["operationId"]) + kind.title())
    return names


def _is_object(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or "properties" in schema or "allOf" in schema


def hoist_bodies(doc: Document, names: BodyNames) -> Document:
    """A copy of `doc` whose inline bodies are named schemas."""
    doc = copy.deepcopy(doc)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for _, _, op in operations(doc):
        slot = names.get(op["x-azgate-name"], {})
        for kind, schema in (("request", request_schema(op)), ("response", response_schema(op))):
            if schema is None or ref_name(schema) is not None or not _is_object(schema) or kind not in slot:
                continue
            name = slot[kind]
            schemas[name] = copy.deepcopy(schema)
            schema.clear()
            schema["$ref"] = SCHEMA_REF + name
    return doc


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_REF):
                out[key] = SCHEMA_REF + renames[value[len(SCHEMA_REF) :]]
            elif key == "properties" and isinstance(value, dict):
                out[key] = {prop: _rename_refs(v, renames) for prop, v in value.items()}
            else:
                out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(item, renames) for item in node]
    return node


def merge(old: Any, new: Any) -> Any:
    """`new` (from a newer version) merged over `old`."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return new
    if "properties" in old and "properties" in new:
        props = dict(old["properties"])
        for prop, schema in new["properties"].items():
            props[prop] = merge(props[prop], schema) if prop in props else schema
        merged = {**old, **new, "properties": props}
        required = [r for r in new.get("required", []) if r in set(old.get("required", []))]
        if required:
            merged["required"] = required
        else:
            merged.pop("required", None)
        return merged
    if "enum" in old and "enum" in new:
        values = list(new["enum"]) + [v for v in old["enum"] if v not in new["enum"]]
        return {**old, **new, "enum": values}
    if "allOf" in old and "allOf" in new and len(old["allOf"]) == len(new["allOf"]):
        return {**old, **new, "allOf": [merge(a, b) for a, b in zip(old["allOf"], new["allOf"], strict=True)]}
    if "items" in old and "items" in new:
        return {**old, **new, "items": merge(old["items"], new["items"])}
    return new


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        name = ref_name(node)
        if name is not None:
            yield name
        for key, value in node.items():
            if key != "$ref":
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def reachable(schemas: dict[str, Any], roots: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = [r for r in roots if r in schemas]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(r for r in _refs(schemas[name]) if r not in seen)
    return seen


def open_enums(node: Any, closed: set[str] | frozenset[str] = frozenset()) -> Any:
    """String enums in `node` become `enum | any string` (not through $refs), except in
    its properties named in `closed`."""
    if isinstance(node, dict):
        if "enum" in node and all(isinstance(v, str) or v is None for v in node["enum"]):
            values = [v for v in node["enum"] if v is not None]
            variants: list[dict[str, Any]] = [{"type": "string", "enum": values}, {"type": "string"}]
            if None in node["enum"] or (isinstance(node.get("type"), list) and "null" in node["type"]):
                variants.append({"type": "null"})
            rest = {k: v for k, v in node.items() if k not in ("enum", "type")}
            return {**rest, "anyOf": variants}
        out = {}
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                out[key] = {prop: v if prop in closed else open_enums(v) for prop, v in value.items()}
            else:
                out[key] = open_enums(value)
        return out
    if isinstance(node, list):
        return [open_enums(item) for item in node]
    return node


def union_schemas(docs: dict[str, Document], names: BodyNames, response_roots: set[str]) -> dict[str, Any]:
    """Every version's schemas merged under their class names, oldest to newest."""
    union: dict[str, Any] = {}
    for version, doc in docs.items():
        schemas = hoist_bodies(doc, names)["components"]["schemas"]
        renames: dict[str, str] = {}
        for key in schemas:
            name = class_name(key)
            # Across versions one class may carry several spellings (userSecurityContext
            # became user_security_context); within one document two schemas may not.
            clash = next((k for k, n in renames.items() if n == name), None)
            if clash is not None:
                raise ValueError(
                    f"{version}: schemas {clash!r} and {key!r} would both be class {name}; rename one in spec/overlay.yaml"
                )
            renames[key] = name
        for key, schema in schemas.items():
            name = renames[key]
            schema = _rename_refs(schema, renames)
            union[name] = merge(union[name], schema) if name in union else schema
    union = reshape(union)
    tags = tag_unions(union)
    roots = {class_name(n) for n in response_roots}
    for name in sorted(reachable(union, roots)):
        union[name] = open_enums(union[name], tags.get(name, set()))
    return dict(sorted(union.items()))
