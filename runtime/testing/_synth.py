"""Values that conform to a JSON Schema, made up deterministically from a seed.

What a model would write when asked for JSON of a given schema, and what a server of
the spec would answer: the generic handler answers an operation from its response
schema, chat answers `response_format: json_schema` with conforming content and tool
calls with arguments that fit the tool's `parameters`. The same seed gives the same
value; the tests check every value with jsonschema.

Covers what spec/ and structured-output schemas use: $ref (local pointers), allOf,
oneOf/anyOf (a branch that fits exactly), enum/const, type lists, nullable types,
required and optional properties, additionalProperties, min/max bounds and lengths,
items/prefixItems, uniqueItems, and the common string formats.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Mapping
from typing import Any

from ._schemas import resolve_ref

__all__ = ["Synth", "synthesize"]

_MAX_DEPTH = 10
_TIMESTAMP = 1_735_689_600  # 2025-01-01T00:00:00Z
_FORMATS: Mapping[str, str] = {
    "date-time": "2025-01-01T00:00:00Z",
    "date": "2025-01-01",
    "time": "00:00:00Z",
    "email": "user@example.com",
    "uri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "uri-reference": "https://example.com/resource",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "binary": "",
    "byte": "",
    "duration": "P1D",
}
_NUMERIC = ("integer", "number")


class Synth:
    """One generation: `root` is where `$ref`s point (a spec document, or the schema a
    caller sent), `seed` makes the choices."""

    def __init__(self, root: Mapping[str, Any], seed: str, *, words: str = "") -> None:
        self._root = root
        self._rng = random.Random(seed)
        self._counter = 0
        self._words = words
        self._validator: Any = None

    def value(self, schema: Any, name: str = "value", depth: int = 0) -> Any:
        if depth > 3 * _MAX_DEPTH:  # a schema that requires itself: stop somewhere
            return None
        schema = resolve_ref(self._root, schema)
        if not isinstance(schema, Mapping) or schema is True:
            return self._string({}, name)
        if "allOf" in schema:
            return self.value(self._merged(schema), name, depth)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None] or list(schema["enum"])
            return self._rng.choice(values) if values else None
        for combinator in ("oneOf", "anyOf"):
            if combinator in schema:
                return self._branch(schema, combinator, name, depth)
        kind = self._type(schema)
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, name, depth)
        if kind == "string":
            return self._string(schema, name)
        if kind in _NUMERIC:
            return self._number(schema, name, integer=kind == "integer")
        if kind == "boolean":
            return self._rng.random() < 0.5
        if kind == "null":
            return None
        return self._string(schema, name)

    # -- combinators ---------------------------------------------------------------

    def _merged(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        """allOf as one schema: properties and required united, other keywords kept."""
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            part = resolve_ref(self._root, part)
            if not isinstance(part, Mapping):
                continue
            if "allOf" in part:
                part = self._merged(part)
            for key, value in part.items():
                if key == "properties":
                    # The schema's own properties are the narrower ones (a variant's
                    # `type: [string_check]` over its base's enum of every type).
                    merged["properties"] = {**value, **merged.get("properties", {})}
                elif key == "required":
                    merged["required"] = sorted({*merged.get("required", ()), *value})
                else:
                    merged.setdefault(key, value)
        return merged

    def _branch(self, schema: Mapping[str, Any], combinator: str, name: str, depth: int) -> Any:
        branches = list(schema[combinator])
        # Prefer a non-null branch; keep the others as fallbacks, in order.
        branches.sort(key=lambda b: self._type(resolve_ref(self._root, b)) == "null")
        rest = {k: v for k, v in schema.items() if k != combinator}
        first: Any = None
        for i, branch in enumerate(branches):
            candidate = self.value({**rest, "allOf": [branch]} if rest else branch, name, depth + 1)
            if i == 0:
                first = candidate
            if self._fits(schema, candidate):
                return candidate
        return first

    def _fits(self, schema: Mapping[str, Any], value: Any) -> bool:
        if self._validator is None:
            from jsonschema import Draft202012Validator

            self._validator = Draft202012Validator(dict(self._root))
        return next(iter(self._validator.descend(value, schema)), None) is None

    @staticmethod
    def _type(schema: Any) -> str | None:
        if not isinstance(schema, Mapping):
            return None
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            return kinds[0] if kinds else "null"
        if isinstance(kind, str):
            return kind
        if "properties" in schema or "additionalProperties" in schema or "required" in schema:
            return "object"
        if "items" in schema or "prefixItems" in schema:
            return "array"
        return None

    # -- containers ----------------------------------------------------------------

    def _object(self, schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
        properties: Mapping[str, Any] = schema.get("properties", {})
        required = [p for p in schema.get("required", ()) if isinstance(p, str)]
        out: dict[str, Any] = {}
        for prop in required:
            out[prop] = self.value(properties.get(prop, {}), prop, depth + 1)
        for prop, sub in properties.items():
            # Optional scalars too, near the top: a fuller answer at little cost.
            if prop not in out and depth < 2 and self._scalar(sub):
                out[prop] = self.value(sub, prop, depth + 1)
        minimum = schema.get("minProperties", 0)
        extra = schema.get("additionalProperties", True)
        i = 0
        while len(out) < minimum and extra is not False:
            out[f"key_{i}"] = self.value(extra if isinstance(extra, Mapping) else {}, f"key_{i}", depth + 1)
            i += 1
        return out

    def _scalar(self, schema: Any) -> bool:
        schema = resolve_ref(self._root, schema)
        return isinstance(schema, Mapping) and (
            "enum" in schema or "const" in schema or self._type(schema) in ("string", "integer", "number", "boolean")
        )

    def _array(self, schema: Mapping[str, Any], name: str, depth: int) -> list[Any]:
        prefix = list(schema.get("prefixItems", ()))
        low = max(int(schema.get("minItems", 0)), len(prefix), 0 if depth >= _MAX_DEPTH else 1)
        high = schema.get("maxItems")
        count = min(low, int(high)) if high is not None else low
        items = schema.get("items", {})
        out: list[Any] = []
        for i in range(count):
            sub = prefix[i] if i < len(prefix) else items
            value = self.value(sub, name, depth + 1)
            if schema.get("uniqueItems") and value in out:
                for _ in range(8):  # another draw of the same schema
                    value = self.value(sub, name, depth + 1)
                    if value not in out:
                        break
            out.append(value)
        return out

    # -- scalars -------------------------------------------------------------------

    def _string(self, schema: Mapping[str, Any], name: str) -> str:
        fmt = schema.get("format")
        if fmt == "uuid":
            text = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        elif isinstance(fmt, str) and fmt in _FORMATS:
            text = _FORMATS[fmt]
        else:
            self._counter += 1
            text = f"{self._words} {name} {self._counter}".strip() if self._words else f"{name} {self._counter}"
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and not _matches(pattern, text):
            text = next((c for c in _candidates(name) if _matches(pattern, c)), text)
        low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
        if len(text) < low:
            text += "x" * (low - len(text))
        if high is not None and len(text) > int(high):
            text = text[: int(high)]
        return text

    def _number(self, schema: Mapping[str, Any], name: str, *, integer: bool) -> int | float:
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        if "exclusiveMinimum" in schema and "minimum" not in schema:
            low = low + (1 if integer else 0.5)
        if "exclusiveMaximum" in schema and "maximum" not in schema:
            high = high - (1 if integer else 0.5)
        if integer and (name.endswith("_at") or name == "created" or schema.get("format") == "unixtime"):
            guess: float = _TIMESTAMP
        else:
            guess = self._rng.randint(1, 10) if integer else round(self._rng.uniform(0, 1), 3)
        if low is not None and guess < low:
            guess = low
        if high is not None and guess > high:
            guess = high
        step = schema.get("multipleOf")
        if step:
            guess = (guess // step) * step if high is not None and guess + step > high else -(-guess // step) * step
        return int(guess) if integer else float(guess)


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True  # a pattern Python cannot read is not ours to enforce


def _candidates(name: str) -> list[str]:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "value"
    return [slug, slug.replace("_", "-"), "a", "abc", "A", "0", "123", "2025-01-01", "user@example.com"]


def synthesize(schema: Any, root: Mapping[str, Any] | None = None, *, seed: str, words: str = "") -> Any:
    """A value of `schema` (whose `$ref`s point into `root`, by default the schema itself)."""
    return Synth(schema if root is None else root, seed, words=words).value(schema)
