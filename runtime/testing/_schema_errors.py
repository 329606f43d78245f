"""A jsonschema validation error, as the 400 Azure OpenAI answers for the same mistake.

Azure passes OpenAI's request errors through: `param` names the field the way the
request spells it (`messages[0].role`), `code` says what is wrong
(`missing_required_parameter`, `invalid_type`, `invalid_value`, `unknown_parameter`,
`integer_above_max_value`, `string_above_max_length`, ...), and the message repeats both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema.exceptions import best_match as _best_match

from . import _errors

__all__ = ["best_match", "param_path", "schema_error"]


def best_match(errors: Iterable[ValidationError]) -> ValidationError | None:
    """jsonschema's pick, then down through oneOf/anyOf to the branch that got furthest
    into the request (a message with a bad role, not "matches none of 5 schemas")."""
    best = _best_match(errors)
    while best is not None and best.context:
        deepest = max(len(e.absolute_path) for e in best.context)
        best = _best_match(e for e in best.context if len(e.absolute_path) == deepest)
    return best


_JSON_TYPES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


def param_path(path: Iterable[Any]) -> str:
    """deque(["messages", 0, "role"]) -> "messages[0].role"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _listed(values: Sequence[Any]) -> str:
    quoted = [f"'{v}'" for v in values]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


def _enum_values(error: ValidationError) -> list[Any]:
    """The values every branch of a oneOf/anyOf would take at this place (a message's
    role), not just the one branch best_match happened to pick."""
    values: list[Any] = []
    siblings = error.parent.context if error.parent is not None and error.parent.context else [error]
    for e in siblings:
        if e.absolute_path == error.absolute_path and e.validator in ("enum", "const"):
            for v in e.validator_value if e.validator == "enum" else [e.validator_value]:
                if v not in values:
                    values.append(v)
    return values


def schema_error(error: ValidationError) -> _errors.AzureError:
    kind = error.validator
    where = list(error.absolute_path)
    param = param_path(where) or None
    value = error.instance
    if kind == "required":
        missing = next((name for name in error.validator_value if name not in value), "")
        name = param_path([*where, missing])
        return _errors.invalid_request(
            f"Missing required parameter: '{name}'.", param=name, code="missing_required_parameter"
        )
    if kind in ("additionalProperties", "unevaluatedProperties"):
        allowed = set(error.schema.get("properties", {}))
        extra = next((k for k in value if k not in allowed), "")
        name = param_path([*where, extra])
        return _errors.invalid_request(f"Unknown parameter: '{name}'.", param=name, code="unknown_parameter")
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        expected = " or ".join(_JSON_TYPES.get(str(t), str(t)) for t in wanted)
        return _errors.invalid_request(
            f"Invalid type for '{param}': expected {expected}, but got {_json_type(value)} instead.",
            param=param,
            code="invalid_type",
        )
    if kind in ("enum", "const"):
        return _errors.invalid_request(
            f"Invalid value: '{value}'. Supported values are: {_listed(_enum_values(error))}.",
            param=param,
            code="invalid_value",
        )
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        declared = error.schema.get("type")
        integral = declared == "integer" or (isinstance(declared, list) and "integer" in declared)
        number = "integer" if integral else "decimal"
        low = kind.lower().endswith("minimum")
        sign = (">" if low else "<") + ("" if kind.startswith("exclusive") else "=")
        return _errors.invalid_request(
            f"Invalid '{param}': {number} {'below minimum' if low else 'above maximum'} value. "
            f"Expected a value {sign} {error.validator_value}, but got {value} instead.",
            param=param,
            code=f"{number}_{'below_min' if low else 'above_max'}_value",
        )
    if kind in ("minLength", "maxLength", "minItems", "maxItems"):
        noun = "string" if kind.endswith("Length") else "array"
        low = kind.startswith("min")
        article = "a" if noun == "string" else "an"
        return _errors.invalid_request(
            f"Invalid '{param}': {noun} too {'short' if low else 'long'}. Expected {article} {noun} with "
            f"{'minimum' if low else 'maximum'} length {error.validator_value}, but got {article} {noun} "
            f"with length {len(value)} instead.",
            param=param,
            code=f"{noun}_{'below_min' if low else 'above_max'}_length",
        )
    return _errors.invalid_request(f"Invalid '{param or 'body'}': {error.message}.", param=param, code="invalid_value")
