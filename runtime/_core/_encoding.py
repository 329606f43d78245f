"""Request bodies: what the user passed, as the bytes the service expects."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from ..exceptions import ConfigurationError
from ._types import NOT_GIVEN, NotGiven

__all__ = ["encode_json", "without_not_given"]

_T = TypeVar("_T")


def _default(value: object) -> Any:
    # Models the user built (e.g. a typed message) go out with their wire names and only
    # the fields they set; iterables such as generators become lists. (pydantic is loaded
    # here, not with azgate: plain dicts and lists never come this way.)
    import pydantic

    from ._models import dump_as_is

    if isinstance(value, pydantic.BaseModel):
        return dump_as_is(value)
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping)):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# allow_nan=False: NaN and Infinity are not JSON; the service would refuse the whole body.
_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_default)


def encode_json(body: Mapping[str, object]) -> bytes:
    try:
        return _encoder.encode(body).encode()
    except (TypeError, ValueError, UnicodeEncodeError, RecursionError) as exc:
        # Said before anything is sent, naming what is wrong but never quoting the values.
        reason = {
            TypeError: str(exc),
            ValueError: "a number that is not JSON (NaN or Infinity)",
            UnicodeEncodeError: "text with a lone surrogate (not valid Unicode)",
            RecursionError: "nesting deeper than Python can encode",
        }.get(type(exc), type(exc).__name__)
        raise ConfigurationError(f"The request body cannot be sent as JSON: {reason}.") from None


def without_not_given(values: Mapping[str, _T | NotGiven]) -> dict[str, _T]:
    """The parameters a call really passed (generated methods hand over NOT_GIVEN too)."""
    given = {k: v for k, v in values.items() if v is not NOT_GIVEN}  # one instance (see NotGiven)
    return given  # type: ignore[return-value]  # mypy does not narrow by identity
