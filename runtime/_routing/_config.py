"""The routing config, parsed once and checked whole into a tree of typed nodes.

The keys are the seed's and Portkey's gateway's: `strategy` (`mode`, `on_status_codes`,
`conditions`, `default`, and azgate's `quota_aware`), `targets`, `weight`, `name`,
`override_params`, `retry`, `request_timeout` (milliseconds), `cache`, plus every client
setting (`provider`, `api_key`, `resource_name`, `deployment_id`, `api_version`, ...;
`custom_host` is Portkey's name for `base_url` / `azure_endpoint`). A node with `targets`
is a group; one without is a target. Settings, `override_params`, `retry` and
`request_timeout` given on a group are defaults for everything under it (the nearest one
wins); `cache` applies where it is written. `state` (root only) says where cooldown and
cache state live.

Every mistake is a ConfigurationError naming its place (`targets[1].weight`) and, for an
unknown key, the closest valid one. Secrets are wrapped in `Secret` here, so no repr of
the tree shows them.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._core._options import SECRET_SETTINGS
from .._core._secret import Secret
from .._core._settings import ClientSettings
from ..exceptions import ConfigurationError
from ._conditions import Predicate, compile_query
from ._failures import DEFAULT_RETRY_STATUSES, RetryPolicy

__all__ = ["CachePolicy", "Condition", "Node", "RoutingConfig", "Strategy", "parse_config", "config_error"]

MODES = ("single", "loadbalance", "fallback", "conditional")
ROUTING_KEYS = frozenset(
    {"strategy", "targets", "weight", "name", "override_params", "retry", "request_timeout", "cache", "custom_host"}
)
ROOT_KEYS = frozenset({"state"})
CLIENT_ONLY_SETTINGS = frozenset(
    {"config", "metadata", "cache_force_refresh", "http_client", "telemetry", "event_hooks", "secret_headers"}
)
"""Client keywords that describe the router itself, not a target (telemetry and event hooks
watch the routed client's calls and its targets' attempts: azgate.telemetry applies them)."""
STRATEGY_KEYS = ("mode", "on_status_codes", "conditions", "default", "quota_aware")
RETRY_KEYS = ("attempts", "on_status_codes", "use_retry_after_header")
CACHE_KEYS = ("mode", "max_age")
MAX_RETRY_ATTEMPTS = 10
DEFAULT_CACHE_MAX_AGE = 86_400.0
"""Seconds a cached answer lives when `cache` gives no `max_age` (one day)."""

_PORTKEY_ONLY = {
    "virtual_key": "virtual keys live in Portkey's hosted vault; give the target's api_key instead",
    "provider_slug": "give the target's provider and api_key instead",
}


def target_settings() -> frozenset[str]:
    """Client settings a target may carry: every Client keyword but the router's own."""
    return frozenset(ClientSettings.__optional_keys__ | ClientSettings.__required_keys__) - CLIENT_ONLY_SETTINGS


def config_error(where: str, what: str) -> ConfigurationError:
    return ConfigurationError(f"Invalid routing config at {where}: {what}")


@dataclass(frozen=True, slots=True)
class Condition:
    test: Predicate
    then: str


@dataclass(frozen=True, slots=True)
class Strategy:
    mode: str
    on_status_codes: frozenset[int] | None = None
    """fallback: the statuses that move on; None = failures another target may not have."""
    conditions: tuple[Condition, ...] = ()
    default: str | None = None
    quota_aware: bool = False


@dataclass(frozen=True, slots=True)
class CachePolicy:
    mode: str
    max_age: float


@dataclass(eq=False, slots=True)
class Node:
    """A target (no children) or a group of them (a strategy and children)."""

    path: str
    """Where it is in the config: "config", "targets[1]", "targets[0].targets[2]"."""
    name: str | None
    weight: float
    settings: Mapping[str, Any]
    """Client settings with the defaults of every group above applied (secrets wrapped)."""
    override_params: Mapping[str, Any]
    retry: RetryPolicy | None
    request_timeout: float | None
    """Seconds (the config says milliseconds)."""
    cache: CachePolicy | None
    strategy: Strategy | None = None
    children: tuple[Node, ...] = ()
    leaves: tuple[Node, ...] = ()
    """The targets at or under this node, in config order."""
    identity: str = ""
    """A digest of what the node is, without secrets: stable across processes, so replicas
    share cooldowns and cache entries for the same target."""
    index: int = -1
    """Targets only: position in RoutingConfig.targets."""
    by_name: Mapping[str, Node] = field(default_factory=dict)

    @property
    def is_target(self) -> bool:
        return not self.children

    @property
    def label(self) -> str:
        return self.name or self.path


@dataclass(frozen=True, slots=True)
class RoutingConfig:
    root: Node
    targets: tuple[Node, ...]
    state: str
    """"memory", "sqlite:///path/to/file.db" or "redis://host:port/db"."""
    source: Mapping[str, Any] = field(repr=False, default_factory=dict)
    """The config as given, to parse again when a copy of the client changes its defaults."""


def parse_config(data: Mapping[str, Any], defaults: Mapping[str, Any] | None = None) -> RoutingConfig:
    """Check `data` whole and build the tree; `defaults` are the client's own settings."""
    allowed = target_settings()
    state = data.get("state", "memory")
    _check_state(state)
    client = {k: _setting(k, v, k) for k, v in (defaults or {}).items()}
    inherited = _Inherited(client, {}, None, None)
    root = _node(data, "config", inherited, allowed, is_root=True)
    for i, target in enumerate(root.leaves):
        target.index = i
    return RoutingConfig(root, root.leaves, state, data)


@dataclass(frozen=True, slots=True)
class _Inherited:
    settings: dict[str, Any]
    override_params: dict[str, Any]
    retry: RetryPolicy | None
    request_timeout: float | None


def _node(data: object, path: str, up: _Inherited, allowed: frozenset[str], *, is_root: bool = False) -> Node:
    if not isinstance(data, Mapping):
        raise config_error(path, f"a target is an object of settings; got {type(data).__name__}.")
    here = "" if is_root else path + "."
    known = allowed | ROUTING_KEYS | (ROOT_KEYS if is_root else frozenset())
    for key in data:
        if key not in known:
            raise config_error(here + str(key), _unknown_key(str(key), known, is_root))
    settings = dict(up.settings)
    for key, value in data.items():
        if key in allowed:
            settings[key] = _setting(key, value, here + key)
    _custom_host(data, settings, here)
    override = dict(up.override_params)
    override.update(_mapping(data.get("override_params", {}), here + "override_params"))
    retry = _retry(data["retry"], here + "retry") if "retry" in data else up.retry
    timeout = _timeout(data["request_timeout"], here + "request_timeout") if "request_timeout" in data else None
    request_timeout = timeout if timeout is not None else up.request_timeout
    cache = _cache(data["cache"], here + "cache") if "cache" in data else None
    name = data.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise config_error(here + "name", f"name must be a non-empty string; got {type(name).__name__}.")
    weight = _weight(data.get("weight", 1), here + "weight")

    node = Node(path, name, weight, settings, override, retry, request_timeout, cache)
    targets = data.get("targets")
    strategy = data.get("strategy")
    if targets is None:
        if strategy is not None:
            raise config_error(here + "strategy", "a strategy needs targets to choose from; add targets: [...].")
        node.leaves = (node,)
        node.identity = _digest({"target": _public(settings), "override_params": override})
        return node
    if not isinstance(targets, Sequence) or isinstance(targets, str):
        raise config_error(here + "targets", f"targets must be a list of targets; got {type(targets).__name__}.")
    if not targets:
        raise config_error(here + "targets", "targets is empty; give at least one target.")
    down = _Inherited(settings, override, retry, request_timeout)
    prefix = "" if is_root else here
    node.children = tuple(_node(t, f"{prefix}targets[{i}]", down, allowed) for i, t in enumerate(targets))
    node.strategy = _strategy(strategy, here + "strategy", node.children)
    node.by_name = {c.name: c for c in node.children if c.name is not None}
    _check_group(node, here)
    node.leaves = tuple(leaf for child in node.children for leaf in child.leaves)
    node.identity = _digest({"mode": node.strategy.mode, "children": [c.identity for c in node.children]})
    return node


def _unknown_key(key: str, known: frozenset[str], is_root: bool) -> str:
    if key in _PORTKEY_ONLY:
        return f"{key} is not supported: {_PORTKEY_ONLY[key]}."
    if key == "state" and not is_root:
        return "state belongs at the top of the config."
    match = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    hint = f"did you mean {match[0]!r}?" if match else "see the README's Routing section for the keys."
    return f"unknown key {key!r}; {hint}"


def _setting(key: str, value: Any, where: str) -> Any:
    if key in SECRET_SETTINGS and value is not None:
        if isinstance(value, Secret):
            return value
        if not isinstance(value, str) or not value.strip():
            raise config_error(where, f"{key} must be a non-empty string; got {type(value).__name__}.")
        return Secret(value.strip())
    return value


def _custom_host(data: Mapping[str, Any], settings: dict[str, Any], here: str) -> None:
    host = data.get("custom_host")
    if host is None:
        return
    if not isinstance(host, str) or not host.strip():
        raise config_error(here + "custom_host", "custom_host must be a URL string.")
    if "base_url" in data or "azure_endpoint" in data:
        raise config_error(here + "custom_host", "give custom_host or base_url / azure_endpoint, not both.")
    settings["base_url"] = host.strip()


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise config_error(where, f"must be an object; got {type(value).__name__}.")
    return value


def _weight(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise config_error(where, f"weight must be a number >= 0; got {value!r}.")
    return float(value)


def _timeout(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise config_error(where, f"request_timeout is milliseconds, a number > 0; got {value!r}.")
    return float(value) / 1000.0


def _status_codes(value: object, where: str) -> frozenset[int]:
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        raise config_error(where, "on_status_codes must be a non-empty list of HTTP status codes, e.g. [429, 503].")
    for i, code in enumerate(value):
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
            raise config_error(f"{where}[{i}]", f"must be an HTTP status code (100-599); got {code!r}.")
    return frozenset(value)


def _keys(data: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
    for key in data:
        if key not in allowed:
            match = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean {match[0]!r}?" if match else f"its keys: {', '.join(allowed)}."
            raise config_error(f"{where}.{key}", f"unknown key {key!r}; {hint}")


def _retry(value: object, where: str) -> RetryPolicy:
    data = _mapping(value, where)
    _keys(data, RETRY_KEYS, where)
    attempts = data.get("attempts", 0)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or not 0 <= attempts <= MAX_RETRY_ATTEMPTS:
        raise config_error(
            f"{where}.attempts", f"attempts must be an integer from 0 to {MAX_RETRY_ATTEMPTS}; got {attempts!r}."
        )
    codes = (
        _status_codes(data["on_status_codes"], f"{where}.on_status_codes")
        if "on_status_codes" in data
        else DEFAULT_RETRY_STATUSES
    )
    use_header = data.get("use_retry_after_header", True)
    if not isinstance(use_header, bool):
        raise config_error(f"{where}.use_retry_after_header", f"must be true or false; got {use_header!r}.")
    return RetryPolicy(attempts, codes, use_header)


def _cache(value: object, where: str) -> CachePolicy:
    data = _mapping(value, where)
    _keys(data, CACHE_KEYS, where)
    mode = data.get("mode", "simple")
    if mode != "simple":
        raise config_error(
            f"{where}.mode", f'mode {mode!r} is not supported; azgate caches identical requests: use "simple".'
        )
    max_age = data.get("max_age", DEFAULT_CACHE_MAX_AGE)
    if isinstance(max_age, bool) or not isinstance(max_age, (int, float)) or not math.isfinite(max_age) or max_age <= 0:
        raise config_error(f"{where}.max_age", f"max_age is seconds, a number > 0; got {max_age!r}.")
    return CachePolicy("simple", float(max_age))


def _strategy(value: object, where: str, children: tuple[Node, ...]) -> Strategy:
    if value is None:
        if len(children) == 1:
            return Strategy("single")
        raise config_error(
            where, f"{len(children)} targets need a strategy: add \"strategy\": {{\"mode\": \"fallback\"}} "
            f"(or {', '.join(repr(m) for m in MODES if m != 'fallback')})."
        )  # fmt: skip
    data = _mapping(value, where)
    _keys(data, STRATEGY_KEYS, where)
    mode = data.get("mode")
    if mode not in MODES:
        match = difflib.get_close_matches(str(mode), MODES, n=1, cutoff=0.5)
        hint = f" Did you mean {match[0]!r}?" if match else ""
        raise config_error(f"{where}.mode", f"mode must be one of {', '.join(MODES)}; got {mode!r}.{hint}")
    codes = None
    if "on_status_codes" in data:
        if mode != "fallback":
            raise config_error(f"{where}.on_status_codes", "on_status_codes belongs to mode fallback.")
        codes = _status_codes(data["on_status_codes"], f"{where}.on_status_codes")
    quota_aware = data.get("quota_aware", False)
    if not isinstance(quota_aware, bool) or (quota_aware and mode != "loadbalance"):
        raise config_error(f"{where}.quota_aware", "quota_aware is true or false, for mode loadbalance.")
    if mode != "conditional":
        for key in ("conditions", "default"):
            if key in data:
                raise config_error(f"{where}.{key}", f"{key} belongs to mode conditional.")
        return Strategy(mode, codes, quota_aware=quota_aware)
    conditions = data.get("conditions")
    if not isinstance(conditions, Sequence) or isinstance(conditions, str) or not conditions:
        raise config_error(
            f"{where}.conditions",
            'mode conditional needs conditions: [{"query": {...}, "then": "<target name>"}, ...].',
        )
    parsed = tuple(_condition(c, f"{where}.conditions[{i}]") for i, c in enumerate(conditions))
    default = data.get("default")
    if default is not None and not isinstance(default, str):
        raise config_error(f"{where}.default", "default names a target (its name).")
    return Strategy(mode, None, parsed, default)


def _condition(value: object, where: str) -> Condition:
    data = _mapping(value, where)
    _keys(data, ("query", "then"), where)
    then = data.get("then")
    if not isinstance(then, str) or not then:
        raise config_error(f"{where}.then", "then names the target (its name) to use when the query holds.")
    return Condition(compile_query(data.get("query"), f"{where}.query"), then)


def _check_group(node: Node, here: str) -> None:
    assert node.strategy is not None
    seen: dict[str, int] = {}
    for i, child in enumerate(node.children):
        if child.name is not None:
            if child.name in seen:
                raise config_error(
                    f"{here}targets[{i}].name", f"{child.name!r} is also the name of targets[{seen[child.name]}]."
                )
            seen[child.name] = i
    strategy = node.strategy
    if strategy.mode == "loadbalance" and not any(c.weight > 0 for c in node.children):
        raise config_error(f"{here}targets", "every weight is 0; give at least one target a weight above 0.")
    if strategy.mode == "conditional":
        names = sorted(seen)
        refs = [(f"{here}strategy.conditions[{i}].then", c.then) for i, c in enumerate(strategy.conditions)]
        if strategy.default is not None:
            refs.append((f"{here}strategy.default", strategy.default))
        for where, ref in refs:
            if ref not in seen:
                known = f"the named targets: {', '.join(names)}" if names else "no target has a name"
                raise config_error(where, f"no target is named {ref!r} ({known}).")


def _public(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings that say which service a target is, without secrets or live objects."""
    return {
        k: v
        for k, v in sorted(settings.items())
        if k not in SECRET_SETTINGS and isinstance(v, (str, int, float, bool)) and k != "max_retries"
    }


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_state(state: object) -> None:
    if not isinstance(state, str) or not (
        state == "memory" or state.startswith(("sqlite:", "redis://", "rediss://", "unix://"))
    ):
        raise config_error(
            "state",
            f'state is "memory", "sqlite:///path/to/file.db" or "redis://host:6379/0"; got {state!r}.',
        )
