"""Sentinels and type aliases shared by the runtime and the generated code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal, Mapping, TypeVar, Union

if TYPE_CHECKING:
    import httpx

__all__ = [
    "NOT_GIVEN",
    "Body",
    "Headers",
    "NotGiven",
    "Query",
    "Timeout",
    "TimeoutTypes",
]

_T = TypeVar("_T")


class NotGiven:
    """The type of `NOT_GIVEN`: a parameter the caller left out.

    Distinct from `None`, which means "send null" or "disable": leaving out `timeout`
    keeps the client's timeout, `timeout=None` turns timeouts off.
    """

    __slots__ = ()
    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # One instance, so `is NOT_GIVEN` is the test everywhere.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

Body = Mapping[str, Any]
Query = Mapping[str, object]
Headers = Mapping[str, Union[str, NotGiven]]
TimeoutTypes = Union[float, "httpx.Timeout", None]
Timeout = Union[TimeoutTypes, NotGiven]
