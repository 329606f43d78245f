"""Routing inside the client: a gateway config (the seed's and Portkey's) turns one client
into a router over targets.

    _load        a config from a dict, a JSON string, or a JSON/YAML file
    _config      the config checked whole into typed nodes (errors name the place)
    _conditions  conditional routing's query language, compiled once
    _failures    what a failed attempt means: retry, fall back, cool down
    _health      cooldowns and quota headroom per target
    _cache       cache keys and entries
    _state       where state lives: memory, SQLite, Redis (`_state_redis`)
    _flow        the decisions of one call, as a generator (written once for sync and async)
    _routed      target clients and the two drivers that carry the plan out
    _info        RouteInfo, the record a routed result carries

Arrows point down: this package uses `_core` and `_auth`; `_core` knows nothing of routes
beyond the hook in its clients' `_request`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._config import CLIENT_ONLY_SETTINGS, Node, RoutingConfig, parse_config
from ._info import RouteInfo, route_of
from ._load import load_config
from ._routed import Routing

__all__ = ["Node", "RouteInfo", "Routing", "RoutingConfig", "build_routing", "read_config", "route_of"]


def read_config(source: object, defaults: Mapping[str, Any]) -> RoutingConfig:
    """Load and check a config; `defaults` are the client's other settings (each target's defaults)."""
    inherited = {k: v for k, v in defaults.items() if k not in CLIENT_ONLY_SETTINGS and v is not None}
    data = source.source if isinstance(source, RoutingConfig) else load_config(source)
    return parse_config(data, inherited)


def build_routing(config: RoutingConfig, make_client: Callable[[Node], Any]) -> Routing:
    return Routing(config, make_client)
