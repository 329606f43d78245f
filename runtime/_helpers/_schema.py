"""A pydantic model as the strict JSON schema structured outputs ask for.

Strict mode (`"strict": true` on a json_schema response format or a function tool)
takes a subset of JSON Schema: every object closes its properties
(`additionalProperties: false`) and lists all of them as required (an optional field
is a nullable one), and a `$ref` stands alone. pydantic's schema is close; this makes
it conform, as openai-python does, so the same model gives the same request body:

- objects get `additionalProperties: false` unless they say otherwise;
- `required` lists every property;
- a `default` of None is dropped (the field stays nullable);
- an `allOf` of one schema is merged into its parent;
- a `$ref` with siblings (pydantic writes `{"$ref": ..., "description": ...}`) is
  replaced by what it points to, the siblings winning.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping
from typing import Any

import pydantic

from ..exceptions import ConfigurationError

__all__ = ["is_structured_type", "response_format_param", "to_strict_json_schema"]


def is_structured_type(value: object) -> bool:
    """A class whose instances a structured output can be parsed into: a pydantic model
    or a dataclass (pydantic's or the standard library's)."""
    return inspect.isclass(value) and (issubclass(value, pydantic.BaseModel) or dataclasses.is_dataclass(value))


def to_strict_json_schema(model: type[Any] | pydantic.TypeAdapter[Any]) -> dict[str, Any]:
    """The strict-mode JSON schema of a pydantic model, a dataclass or a TypeAdapter."""
    if isinstance(model, pydantic.TypeAdapter):
        schema = model.json_schema()
    elif inspect.isclass(model) and issubclass(model, pydantic.BaseModel):
        schema = model.model_json_schema()
    elif is_structured_type(model):
        schema = pydantic.TypeAdapter(model).json_schema()
    else:
        raise ConfigurationError(
            f"A structured output needs a pydantic model or a dataclass; got {model!r}. "
            "Pass a class such as `class Answer(pydantic.BaseModel): ...`."
        )
    return _strict(schema, root=schema)


def response_format_param(response_format: object) -> object:
    """What `create()` sends for `response_format`: a json_schema format for a class,
    anything else (a dict, a typed format, NOT_GIVEN) as given."""
    if not inspect.isclass(response_format):
        return response_format
    return {
        "type": "json_schema",
        "json_schema": {
            "name": response_format.__name__,
            "schema": to_strict_json_schema(response_format),
            "strict": True,
        },
    }


def _strict(schema: Any, *, root: dict[str, Any]) -> dict[str, Any]:
    """`schema` made strict in place (and returned); `root` resolves `$ref`s."""
    if not isinstance(schema, dict):
        raise TypeError(f"expected a JSON schema object, got {schema!r}")
    for key in ("$defs", "definitions"):
        for sub in (schema.get(key) or {}).values():
            _strict(sub, root=root)
    if schema.get("type") == "object" and "additionalProperties" not in schema:
        schema["additionalProperties"] = False
    properties = schema.get("properties")
    if isinstance(properties, dict):
        schema["required"] = list(properties)
        for prop in properties.values():
            _strict(prop, root=root)
    if isinstance(schema.get("items"), dict):
        _strict(schema["items"], root=root)
    for variant in schema.get("anyOf") or ():
        _strict(variant, root=root)
    all_of = schema.get("allOf")
    if isinstance(all_of, list):
        if len(all_of) == 1:
            schema.update(_strict(all_of[0], root=root))
            del schema["allOf"]
        else:
            for part in all_of:
                _strict(part, root=root)
    if "default" in schema and schema["default"] is None:
        del schema["default"]
    ref = schema.get("$ref")
    if isinstance(ref, str) and len(schema) > 1:
        resolved = _resolve(root, ref)
        inlined = {**resolved, **schema}
        del inlined["$ref"]
        schema.clear()
        schema.update(inlined)
        return _strict(schema, root=root)  # what the ref pointed to may not be strict yet
    return schema


def _resolve(root: Mapping[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs can be resolved; got {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    if not isinstance(node, dict):
        raise ValueError(f"$ref {ref!r} does not point to a schema object")
    return node
