"""What a model would write: JSON of a requested schema, tool arguments that fit.

Deterministic per request (the seed is the request's own content), and checked here
against the schema the caller sent, so a client's parser (openai-python's `parse()`,
pydantic models of the arguments) accepts what the emulator answers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .._synth import synthesize

__all__ = ["json_schema_of", "structured_text", "tool_arguments"]

# Where a model would put the user's words, in this order of preference.
_FREE_TEXT = ("query", "q", "text", "input", "prompt", "question", "search", "location", "city", "topic")


def _valid(schema: Mapping[str, Any], value: Any) -> bool:
    from jsonschema import Draft202012Validator

    try:
        return bool(Draft202012Validator(dict(schema)).is_valid(value))
    except Exception:  # a schema jsonschema cannot read: no promise to keep
        return True


def _free_text_key(schema: Mapping[str, Any]) -> str | None:
    properties: Mapping[str, Any] = schema.get("properties") or {}

    def free(name: str) -> bool:
        sub = properties.get(name)
        kinds = sub.get("type") if isinstance(sub, Mapping) else None
        plain = isinstance(sub, Mapping) and not ({"enum", "const", "format", "pattern", "$ref"} & set(sub))
        return plain and (kinds == "string" or (isinstance(kinds, list) and "string" in kinds))

    for name in _FREE_TEXT:
        if name in properties and free(name):
            return name
    return next((name for name in schema.get("required") or () if free(name)), None)


def tool_arguments(parameters: Any, text: str, seed: str) -> str:
    """The JSON arguments of a call of a tool with these `parameters`.

    A schema without properties gets `{"query": <the user's text>}`; otherwise a value
    made from the schema, with the user's text in the field a model would put it.
    """
    schema = parameters if isinstance(parameters, Mapping) else {}
    if not schema.get("properties"):
        return json.dumps({"query": text})
    value = synthesize(schema, seed=seed)
    key = _free_text_key(schema)
    if key is not None and isinstance(value, dict):
        candidate = {**value, key: text}
        if _valid(schema, candidate):
            value = candidate
    return json.dumps(value)


def json_schema_of(response_format: Any) -> Mapping[str, Any] | None:
    """The schema of chat's `response_format` or Responses' `text.format`, if any."""
    if not isinstance(response_format, Mapping) or response_format.get("type") != "json_schema":
        return None
    # chat: {"type": "json_schema", "json_schema": {"name", "schema", "strict"}}
    # responses: {"type": "json_schema", "name", "schema", "strict"}
    holder = response_format.get("json_schema", response_format)
    schema = holder.get("schema") if isinstance(holder, Mapping) else None
    return schema if isinstance(schema, Mapping) else {}


def structured_text(response_format: Any, text: str, seed: str) -> str | None:
    """Content for a JSON response format: a value of the requested schema for
    `json_schema`, a small object for `json_object`; None for plain text."""
    schema = json_schema_of(response_format)
    if schema is not None:
        return json.dumps(synthesize(schema, seed=seed))
    if isinstance(response_format, Mapping) and response_format.get("type") == "json_object":
        return json.dumps({"reply": text})
    return None
