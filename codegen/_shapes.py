"""Reshaping the union schemas so every generated class has a name from where it stands.

datamodel-code-generator numbers what it cannot name (Type1 ... Type128). Three shapes
cause that in Azure's documents, and each is rewritten here, before it sees them:

- `allOf: [$ref Base, {inline object}]`: the inline part's properties move onto the
  schema itself, so the class is `X(Base)` with its own fields, not a nameless mixin.
  A `$ref` in `allOf` to a pure union (`oneOf` with no properties: the discriminator
  base of a child that points back at it) is dropped; it adds no fields.
- `oneOf`/`anyOf` whose variants only say `required: [...]`: a validation rule, not
  a type; dropped.
- inline objects: hoisted into named schemas. A property's object is named after its
  place (`CreateChatCompletionRequest.stream_options` -> `CreateChatCompletionRequestStreamOptions`);
  a `oneOf`/`anyOf` variant after the value of the property that tells the variants apart
  (`event: thread.message.created` -> `MessageStreamEventThreadMessageCreated`), else after its
  required fields (`CreateEvalItemWithRoleAndContent`).

Limits (`maxLength`, `minimum`, `maxItems`, ...), `additionalProperties: false` and the
`uri`/`uuid` formats are dropped on the way: the models type what the service answers,
and the service checks what it is sent.
"""

from __future__ import annotations

from typing import Any

from ._naming import pascal
from ._spec import ref_name

__all__ = ["reshape"]

_LIMITS = (
    "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
)  # fmt: skip
_STRICT_FORMATS = ("uri", "url", "uuid")
"""Formats the model generator turns into AnyUrl / UUID: plain strings, as openai-python has them."""


def _is_union(schema: Any) -> bool:
    return isinstance(schema, dict) and ("oneOf" in schema or "anyOf" in schema) and "properties" not in schema


def _constraint_only(variants: list[Any]) -> bool:
    return all(isinstance(v, dict) and set(v) <= {"required", "not"} for v in variants)


def _inline_object(schema: Any) -> bool:
    return isinstance(schema, dict) and "properties" in schema and ref_name(schema) is None


def _variant_label(variant: dict[str, Any], index: int) -> str:
    for prop, schema in variant.get("properties", {}).items():
        if isinstance(schema, dict):
            values = schema.get("enum") or ([schema["const"]] if "const" in schema else [])
            if (
                len(values) == 1
                and isinstance(values[0], str)
                and prop in ("type", "event", "role", "object", "status")
            ):
                return pascal(values[0])
    required = variant.get("required", [])
    if 0 < len(required) <= 3:
        return "With" + "And".join(pascal(r) for r in required)
    return f"Variant{index + 1}"


class _Reshaper:
    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self.added: dict[str, Any] = {}

    def _name_free(self, name: str) -> str:
        candidate = name
        while candidate in self.schemas or candidate in self.added:
            candidate += "Variant"
        return candidate

    def schema(self, node: Any, name: str) -> Any:
        if isinstance(node, list):
            return [self.schema(item, name) for item in node]
        if not isinstance(node, dict):
            return node
        node = dict(node)
        # The service checks what it is sent, and a response must never fail for a limit
        # meant for requests (a 300-character function name, 129 tools): the models
        # carry types, not limits. `additionalProperties: false` would forbid the fields
        # Azure adds before its documents do.
        for key in _LIMITS:
            node.pop(key, None)
        if node.get("format") in _STRICT_FORMATS:
            del node["format"]
        if node.get("additionalProperties") is False:
            del node["additionalProperties"]
        # Validation-only details that generate as types mypy rejects (constr keys,
        # None or list defaults on non-null lists); the service applies its own defaults.
        node.pop("propertyNames", None)
        if "default" in node and (node["default"] is None or isinstance(node["default"], list)):
            del node["default"]
        if "allOf" in node:
            node = self._flatten_all_of(node)
        for key in ("oneOf", "anyOf"):
            if key in node:
                if _constraint_only(node[key]):
                    del node[key]
                else:
                    node[key] = [self._variant(v, name, i) for i, v in enumerate(node[key])]
        for key, value in list(node.items()):
            if key == "properties":
                node[key] = {p: self._nested(s, name + pascal(p)) for p, s in value.items()}
            elif key == "items":
                node[key] = self._nested(value, name + "Item")
            elif key == "additionalProperties" and isinstance(value, dict):
                node[key] = self.schema(value, name + "Value")
            elif key == "allOf":
                node[key] = [self.schema(v, name) for v in value]
        return node

    def _flatten_all_of(self, node: dict[str, Any]) -> dict[str, Any]:
        parts = []
        props = dict(node.get("properties", {}))
        required = list(node.get("required", []))
        for part in node["allOf"]:
            target = ref_name(part)
            if target is not None and _is_union(self.schemas.get(target)):
                continue
            if _inline_object(part):
                inherited = self._inherited(node["allOf"])
                # A property restated exactly as the base has it would generate a clashing
                # override (two equal types under two names); the base's is enough.
                props.update({k: v for k, v in part["properties"].items() if inherited.get(k) != v})
                required += [r for r in part.get("required", []) if r not in required]
                continue
            parts.append(part)
        node = {k: v for k, v in node.items() if k not in ("allOf", "properties", "required")}
        if parts:
            node["allOf"] = parts
        if props:
            node["properties"] = props
            node.setdefault("type", "object")
        if required:
            node["required"] = required
        return node

    def _nested(self, schema: Any, name: str) -> Any:
        """A property's or an item's schema; an inline object becomes a named one."""
        if not _inline_object(schema):
            return self.schema(schema, name)
        types = schema.get("type")
        nullable = isinstance(types, list) and "null" in types
        if nullable:
            schema = {**schema, "type": "object"}
        ref = self._hoist(schema, name)
        return {"anyOf": [ref, {"type": "null"}]} if nullable else ref

    def _hoist(self, schema: dict[str, Any], name: str) -> dict[str, Any]:
        name = self._name_free(name)
        self.added[name] = {}  # reserve the name before recursing
        self.added[name] = self.schema(schema, name)
        return {"$ref": f"#/components/schemas/{name}"}

    def _inherited(self, parts: list[Any]) -> dict[str, Any]:
        """Properties that the $ref parts of an allOf bring, through their own allOf."""
        found: dict[str, Any] = {}
        for part in parts:
            target = self.schemas.get(ref_name(part) or "")
            if isinstance(target, dict):
                found.update(self._inherited(target.get("allOf", [])))
                found.update(target.get("properties", {}))
        return found

    def _variant(self, variant: Any, parent: str, index: int) -> Any:
        if not _inline_object(variant):
            return self.schema(variant, parent)
        return self._hoist(variant, parent + _variant_label(variant, index))


def reshape(schemas: dict[str, Any]) -> dict[str, Any]:
    reshaper = _Reshaper(schemas)
    out = {name: reshaper.schema(schema, name) for name, schema in schemas.items()}
    out.update(reshaper.added)
    return dict(sorted(out.items()))
