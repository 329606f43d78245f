"""`RouteInfo`: what routing did for one call, attached to its result (or its error)."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["RouteInfo", "route_of"]


class RouteInfo(NamedTuple):
    """Which target served a call and what it took.

    A routed call's result carries it as `result._route` (models, streams, binary
    responses; a plain text or None result cannot), and so does the error it raises.
    (A NamedTuple: immutable, and built on every routed call, so it must be cheap.)
    """

    target: str
    """The target's `name`, else its place in the config ("targets[1]", "targets[0].targets[2]")."""
    path: str
    """Its place in the config, even when it has a name."""
    provider: str
    attempts: int
    """HTTP attempts this call made over every target (0 when the cache answered)."""
    tried: tuple[str, ...] = ()
    """The failed attempts before the answer, e.g. ("eastus: 429", "westus: 408")."""
    cache: str | None = None
    """"HIT", "MISS" or "REFRESH" when a cache applies to the call, else None."""


def route_of(result: object) -> RouteInfo | None:
    """The RouteInfo of a result or error, or None when the call was not routed."""
    info = getattr(result, "_route", None)
    return info if isinstance(info, RouteInfo) else None
