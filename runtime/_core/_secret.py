"""A string that never shows itself, and the check that it can travel in a header."""

from __future__ import annotations

import re

__all__ = ["Secret", "header_safe"]

_HEADER_TEXT = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")
"""Visible ASCII, spaces inside only: what an HTTP header value can carry as is."""


def header_safe(value: str) -> bool:
    """Whether `value` can be sent as a header value (h11 and httpx refuse the rest, with
    the value in their message: a key must be checked before it gets there)."""
    return _HEADER_TEXT.fullmatch(value) is not None


class Secret:
    """Wraps an api key or token so that repr, str, logs and tracebacks print `[secure]`."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('[secure]')"

    def __str__(self) -> str:
        return "[secure]"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> str:
        raise TypeError("a Secret cannot be pickled")
