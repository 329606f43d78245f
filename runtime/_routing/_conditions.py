"""Conditional routing: Portkey's query language, compiled once into predicates.

A query is an object whose entries must all hold. An entry is either a logical operator
(`$and` / `$or` over a list of queries) or a field with an operator object
(`{"$gte": 0.7}`) or a bare value (equality). Fields name what a call carries:

    metadata.<key>        the client's routing metadata (`with_options(metadata={...})`)
    params.<key>[.<key>]  the call's parameters (`params.model`, `params.temperature`)
    url.pathname          the operation's path, e.g. "/chat/completions"

Operators: $eq $ne $in $nin $gt $gte $lt $lte (comparisons are numeric: both sides are
read as numbers, and a side that is not one makes the comparison false). A field the call
does not carry reads as None: `$ne` and `$nin` then hold, the others do not.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..exceptions import ConfigurationError

__all__ = ["CallFacts", "Predicate", "compile_query"]

_COMPARISONS = ("$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte")
_LOGICAL = ("$and", "$or")
_ROOTS = ("metadata", "params", "url")


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What a condition can look at in one call."""

    metadata: Mapping[str, Any]
    params: Mapping[str, Any]
    pathname: str


Predicate = Callable[[CallFacts], bool]
_Getter = Callable[[CallFacts], Any]


def compile_query(query: object, where: str) -> Predicate:
    """A predicate for one `query`; a mistake raises ConfigurationError naming `where`."""
    if not isinstance(query, Mapping) or not query:
        raise ConfigurationError(
            f"Invalid routing config at {where}: a query is a non-empty object such as "
            '{"metadata.user_plan": {"$eq": "paid"}}.'
        )
    checks = [_entry(key, value, f"{where}.{key}") for key, value in query.items()]
    if len(checks) == 1:
        return checks[0]
    return lambda facts: all(check(facts) for check in checks)


def _entry(key: object, value: object, where: str) -> Predicate:
    if not isinstance(key, str):
        raise ConfigurationError(f"Invalid routing config at {where}: query keys are strings.")
    if key in _LOGICAL:
        if not isinstance(value, Sequence) or isinstance(value, str) or not value:
            raise ConfigurationError(f"Invalid routing config at {where}: {key} takes a non-empty list of queries.")
        parts = [compile_query(q, f"{where}[{i}]") for i, q in enumerate(value)]
        if key == "$and":
            return lambda facts: all(part(facts) for part in parts)
        return lambda facts: any(part(facts) for part in parts)
    if key.startswith("$"):
        raise ConfigurationError(
            f"Invalid routing config at {where}: {key} is not a logical operator{_closest(key, _LOGICAL)}; "
            'comparisons go inside a field, e.g. {"params.temperature": {"$gt": 0.7}}.'
        )
    getter = _field(key, where)
    if isinstance(value, Mapping):
        if not value:
            raise ConfigurationError(f"Invalid routing config at {where}: the operator object is empty.")
        tests = [_comparison(op, operand, f"{where}.{op}") for op, operand in value.items()]
        return lambda facts: _all_hold(tests, getter(facts))
    return lambda facts: getter(facts) == value


def _all_hold(tests: list[Callable[[Any], bool]], value: Any) -> bool:
    return all(test(value) for test in tests)


def _field(key: str, where: str) -> _Getter:
    root, _, rest = key.partition(".")
    if root not in _ROOTS or not rest or (root == "url" and rest != "pathname"):
        raise ConfigurationError(
            f"Invalid routing config at {where}: fields are metadata.<key>, params.<key> or url.pathname; got {key!r}."
        )
    if root == "url":
        return lambda facts: facts.pathname
    path = tuple(rest.split("."))
    if root == "metadata":
        return lambda facts: _dig(facts.metadata, path)
    return lambda facts: _dig(facts.params, path)


def _dig(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _comparison(op: object, operand: object, where: str) -> Callable[[Any], bool]:
    if op == "$eq":
        return lambda value: value == operand
    if op == "$ne":
        return lambda value: value != operand
    if op in ("$in", "$nin"):
        if not isinstance(operand, Sequence) or isinstance(operand, str):
            raise ConfigurationError(f"Invalid routing config at {where}: {op} takes a list of values.")
        members = list(operand)
        if op == "$in":
            return lambda value: value in members
        return lambda value: value not in members
    if op in ("$gt", "$gte", "$lt", "$lte"):
        bound = _number(operand)
        if bound is None:
            raise ConfigurationError(f"Invalid routing config at {where}: {op} takes a number; got {operand!r}.")
        return _ORDER[str(op)](bound)
    raise ConfigurationError(
        f"Invalid routing config at {where}: unknown operator {op!r}{_closest(str(op), _COMPARISONS)}. "
        f"Operators: {' '.join(_COMPARISONS)} (and $and, $or between queries)."
    )


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _ordered(compare: Callable[[float, float], bool]) -> Callable[[float], Callable[[Any], bool]]:
    def bind(bound: float) -> Callable[[Any], bool]:
        def test(value: Any) -> bool:
            number = _number(value)
            return number is not None and compare(number, bound)

        return test

    return bind


_ORDER = {
    "$gt": _ordered(lambda a, b: a > b),
    "$gte": _ordered(lambda a, b: a >= b),
    "$lt": _ordered(lambda a, b: a < b),
    "$lte": _ordered(lambda a, b: a <= b),
}


def _closest(word: str, choices: Sequence[str]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f" (did you mean {match[0]}?)" if match else ""
