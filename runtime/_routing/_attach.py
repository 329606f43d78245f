"""Turning a client built with `config=` into a router: the one entry point of `_core`'s hook."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exceptions import ConfigurationError
from ._config import CLIENT_ONLY_SETTINGS, Node, RoutingConfig, parse_config
from ._load import load_config
from ._routed import Derived, Routing

__all__ = ["attach_routing", "read_config"]


def read_config(source: object, defaults: Mapping[str, Any]) -> RoutingConfig:
    """Load and check a config; `defaults` are the client's other settings (each target's defaults)."""
    inherited = {k: v for k, v in defaults.items() if k not in CLIENT_ONLY_SETTINGS and v is not None}
    data = source.source if isinstance(source, RoutingConfig) else load_config(source)
    return parse_config(data, inherited)


def attach_routing(client: Any) -> None:
    """Make `client` (built with `config=`) a router: one client per target, built now so
    every mistake shows before the first call.

    Target clients are of the client's own class and do not retry by themselves (the
    router runs each target's retries). They share the `http_client` the user gave;
    otherwise each makes (and closes) its own pool, so a request looks only at its own
    target's connections: httpcore checks every idle connection of its pool per request."""
    settings: Mapping[str, Any] = client._options.settings
    source = settings["config"]
    metadata = settings.get("metadata") or {}
    if not isinstance(metadata, Mapping):
        raise ConfigurationError(f"metadata must be a mapping of names to values; got {type(metadata).__name__}.")
    client._route_metadata = metadata
    client._route_refresh = bool(settings.get("cache_force_refresh"))
    if isinstance(source, Routing):
        client._routing = source  # a copy that changed only per-call settings
        return

    def target_client(target: Node, own_retries: bool) -> Any:
        target_settings = dict(target.settings)
        if not own_retries:
            target_settings["max_retries"] = 0
        if target.request_timeout is not None:
            target_settings["timeout"] = target.request_timeout
        return type(client)(http_client=None if client._owns_http else client._http, **target_settings)

    if isinstance(source, Derived):
        routing = Routing(read_config(source.source.config, settings), target_client, source.source)
    else:
        routing = Routing(read_config(source, settings), target_client)
    routing.owner = client
    client._routing = routing
