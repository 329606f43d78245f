"""Python annotations for request parameters, from their JSON schemas.

Objects accept the generated model or a plain dict (what most callers write); enums are
Literals, so a type checker catches a misspelt value before the service does.
"""

from __future__ import annotations

from typing import Any

from ._spec import ref_name

__all__ = ["annotation", "is_model"]

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_MAX_DEPTH = 6


def annotation(schema: Any, schemas: dict[str, Any], depth: int = 0) -> str:
    parts = _parts(schema, schemas, depth)
    return _join(parts)


def _join(parts: list[str]) -> str:
    seen: list[str] = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    if "Any" in seen:
        return "Any"
    # Plain dicts last, None last of all: reads as "the model, or a dict, or None".
    seen.sort(key=lambda p: (p == "None", p.startswith("dict[")))
    return " | ".join(seen)


def _parts(schema: Any, schemas: dict[str, Any], depth: int) -> list[str]:
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return ["Any"]
    name = ref_name(schema)
    if name is not None:
        target = schemas.get(name, {})
        if is_model(target):
            return [f"_models.{name}", "dict[str, Any]"]
        return _parts(target, schemas, depth + 1)
    if "const" in schema:
        return [f"Literal[{schema['const']!r}]"]
    if "enum" in schema:
        values = [v for v in schema["enum"] if v is not None]
        parts = [f"Literal[{', '.join(repr(v) for v in values)}]"] if values else []
        if None in schema["enum"] or _nullable(schema):
            parts.append("None")
        return parts or ["Any"]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return [p for variant in schema[key] for p in _parts(variant, schemas, depth + 1)]
    if "allOf" in schema:
        if len(schema["allOf"]) == 1 and "properties" not in schema:
            return _parts(schema["allOf"][0], schemas, depth + 1)
        return ["dict[str, Any]"]
    types = schema.get("type")
    if isinstance(types, list):
        return [p for t in types for p in _parts({**schema, "type": t}, schemas, depth + 1)]
    if types == "string" and schema.get("format") == "binary":
        return ["FileInput"]
    if types in _SCALARS:
        return [_SCALARS[types]]
    if types == "array":
        return [f"Iterable[{annotation(schema.get('items', {}), schemas, depth + 1)}]"]
    if types == "object" or "properties" in schema or "additionalProperties" in schema:
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra and "properties" not in schema:
            return [f"Mapping[str, {annotation(extra, schemas, depth + 1)}]"]
        return ["dict[str, Any]"]
    return ["Any"]


def _nullable(schema: dict[str, Any]) -> bool:
    types = schema.get("type")
    return isinstance(types, list) and "null" in types


def is_model(schema: dict[str, Any]) -> bool:
    """Schemas the model generator turns into a BaseModel (not a RootModel)."""
    if "properties" in schema or len(schema.get("allOf", [])) > 1:
        return True
    is_union = "oneOf" in schema or "anyOf" in schema
    return schema.get("type") == "object" and not is_union and not schema.get("additionalProperties")
