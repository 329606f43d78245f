"""What the router's plan and its drivers say to each other: the call, the steps the plan
yields (each answered by the driver), and a successful attempt's reply."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ._conditions import CallFacts
from ._info import RouteInfo

if TYPE_CHECKING:
    from ._config import Node

__all__ = [
    "Attempt",
    "CacheGet",
    "CacheSet",
    "Call",
    "Plan",
    "PublishCooldown",
    "Reply",
    "Sleep",
    "Step",
    "SyncCooldowns",
]


@dataclass(slots=True)
class Call:
    """One call as the router sees it."""

    operation: str
    pathname: str
    """The operation's path without the deployment, e.g. "/chat/completions"."""
    kwargs: dict[str, Any]
    """The request keywords (body, query, stream, ...), handed to each target; the driver
    sets each attempt's body (with the target's override_params) and response mode in it."""
    body: Mapping[str, Any] | None
    """The call's own body, before any override_params."""
    mode: str
    """The response mode the caller asked for: "parsed", "raw" or "streamed"."""
    metadata: Mapping[str, Any]
    stateful: bool
    cacheable: bool
    force_refresh: bool = False
    material: Mapping[str, Any] | None = None
    """What a cache key is made of (set when the call is cacheable)."""
    _facts: CallFacts | None = None

    def facts(self) -> CallFacts:
        if self._facts is None:
            params = {**(self.kwargs.get("query") or {}), **(self.body or {})}
            self._facts = CallFacts(self.metadata, params, self.pathname)
        return self._facts


class Reply(NamedTuple):
    """A successful attempt: the result and the response headers it came with."""

    result: object
    headers: Mapping[str, str]


@dataclass(slots=True)
class Attempt:
    target: Node


@dataclass(slots=True)
class Sleep:
    seconds: float


@dataclass(slots=True)
class CacheGet:
    """Answer: (result, label of the target that served it) or None."""

    key: str


@dataclass(slots=True)
class CacheSet:
    key: str
    result: object
    target: str
    ttl: float


@dataclass(slots=True)
class SyncCooldowns:
    """Answer: {target identity: cooldown end} from the shared state."""

    targets: tuple[str, ...]


@dataclass(slots=True)
class PublishCooldown:
    target: str
    until: float


Step = Attempt | Sleep | CacheGet | CacheSet | SyncCooldowns | PublishCooldown
Plan = Generator[Step, Any, tuple[object, RouteInfo]]
