"""Tagged unions: a `oneOf`/`anyOf` whose object variants each carry a constant tag.

Azure's documents mostly say which variant a value is by a string property with one
value per variant (`type: "function"`, `event: "thread.run.created"`, `object: ...`) and
rarely declare a `discriminator`. This module finds those tags so that

- the tag properties stay closed `Literal`s when response enums are opened (an open tag
  matches every variant, and the first one wins), and
- a union whose variants' tag values are disjoint gets an OpenAPI `discriminator` with
  an explicit mapping, which the model generator turns into a pydantic discriminated
  union (`Field(discriminator="type")`): one dictionary lookup picks the variant.

Unions whose variants share a tag value (`message` is both an input and an output
message) keep their closed tags and stay plain unions; the runtime's lenient parser
resolves what pydantic cannot.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._spec import SCHEMA_REF, ref_name

__all__ = ["TAG_PROPERTIES", "TaggedUnions", "tag_unions"]

TAG_PROPERTIES = ("type", "event", "object")
"""Property names that tell variants apart, in the order they are tried."""

TaggedUnions = dict[str, set[str]]
"""Schema name -> its properties that are the tag of some union it is a variant of."""


def _tag_values(schema: Any) -> list[str] | None:
    """The constant string values of a tag property, or None when it is not one."""
    if not isinstance(schema, dict):
        return None
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if not values or not all(isinstance(v, str) for v in values):
        return None
    return list(values)


def _variant_tags(schemas: dict[str, Any], variants: list[str], prop: str) -> dict[str, list[str]] | None:
    """Each variant's values of `prop` (its own property, not an inherited one)."""
    tags = {}
    for name in variants:
        values = _tag_values(schemas.get(name, {}).get("properties", {}).get(prop))
        if values is None:
            return None
        tags[name] = values
    return tags


def _unions(node: Any) -> Iterator[dict[str, Any]]:
    """Every `oneOf`/`anyOf` node under `node` (through properties, items, etc.)."""
    if isinstance(node, dict):
        if ("oneOf" in node or "anyOf" in node) and "discriminator" not in node:
            yield node
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for prop in value.values():
                    yield from _unions(prop)
            else:
                yield from _unions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _unions(item)


def tag_unions(schemas: dict[str, Any]) -> TaggedUnions:
    """Add a `discriminator` to every union whose variants carry disjoint tags (in
    place), and return the tag properties of every tagged union's variants."""
    tagged: TaggedUnions = {}
    for schema in schemas.values():
        for union in _unions(schema):
            key = "oneOf" if "oneOf" in union else "anyOf"
            variants = union[key]
            refs = [ref_name(v) for v in variants]
            nulls = [v for v in variants if v == {"type": "null"}]
            names = [r for r in refs if r is not None]
            if len(names) < 2 or len(names) + len(nulls) != len(variants) or len(set(names)) != len(names):
                continue
            for prop in TAG_PROPERTIES:
                tags = _variant_tags(schemas, names, prop)
                if tags is None:
                    continue
                for name in names:
                    tagged.setdefault(name, set()).add(prop)
                values = [v for vs in tags.values() for v in vs]
                if len(values) == len(set(values)):
                    mapping = {value: SCHEMA_REF + name for name, vs in tags.items() for value in vs}
                    union["discriminator"] = {"propertyName": prop, "mapping": mapping}
                break
    return tagged
