"""Request bodies: what the user passed, as the bytes the service expects."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import pydantic

from ._models import dump_as_is
from ._types import NotGiven

__all__ = ["encode_json", "without_not_given"]

_T = TypeVar("_T")


def _default(value: object) -> Any:
    # Models the user built (e.g. a typed message) go out with their wire names and only
    # the fields they set; iterables such as generators become lists.
    if isinstance(value, pydantic.BaseModel):
        return dump_as_is(value)
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping)):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=_default)


def encode_json(body: Mapping[str, object]) -> bytes:
    return _encoder.encode(body).encode()


def without_not_given(values: Mapping[str, _T | NotGiven]) -> dict[str, _T]:
    """The parameters a call really passed (generated methods hand over NOT_GIVEN too)."""
    return {k: v for k, v in values.items() if not isinstance(v, NotGiven)}
