"""The router's decisions, written once for sync and async: a generator per call.

`Router.plan(call)` yields steps (`Attempt`, `Sleep`, cache and state look-ups) and gets
their answers back; the sync and async drivers only carry them out. An attempt that
failed is thrown into the generator as the azgate exception it raised.

How a call goes (the driver makes a call's first attempt itself when `start()` gives a
target, and asks for the plan only when that attempt fails):

1. With a shared state, take in other processes' cooldowns (at most every 0.5 s).
2. With a root `cache`: answer from it (unless forced to refresh). A `cache` further
   down applies to the calls that reach it (looked up before the target's attempts).
3. Walk the tree from the root: `single` takes its first target, `loadbalance` one target
   by weighted random (cooling targets left out; `quota_aware` scales weights by quota
   headroom), `conditional` the target its first matching condition names (else its
   `default`), `fallback` each target in order until one succeeds or a failure is not one
   to fall back on. Calls on stored objects (files, batches, jobs, ...; operations that
   are not deployment-scoped) go to the config's first target only: the object lives in
   one resource.
4. At a target: attempts under its retry policy; each failure is counted for cooldown.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import random
import time
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any

from .._core._retry import DEFAULT_MAX_RETRIES
from ..exceptions import APIError, ConfigurationError
from ._cache import cache_key
from ._config import Node, RoutingConfig
from ._failures import DEFAULT_RETRY_STATUSES, Failure, RetryPolicy, classify
from ._health import HealthBook
from ._info import RouteInfo
from ._steps import Attempt, CacheGet, CacheSet, Call, Plan, PublishCooldown, Reply, Sleep, Step, SyncCooldowns

__all__ = ["Router"]

log = logging.getLogger("azgate.routing")

wall_clock = time.time
"""Cooldowns are wall-clock times: other processes and hosts compare them too."""


class _Failed(Exception):
    """A target gave up: carried up the tree to the group that may fall back."""

    def __init__(self, failure: Failure, target: Node) -> None:
        self.failure = failure
        self.target = target


class _Trail:
    """What one call went through: its attempts and the failures on the way."""

    __slots__ = ("attempts", "cache", "tried")

    def __init__(self) -> None:
        self.attempts = 0
        self.tried: list[str] = []
        self.cache: str | None = None


@dataclass(frozen=True, slots=True)
class _Weighted:
    children: tuple[Node, ...]
    cumulative: tuple[float, ...]
    total: float


class Router:
    """The decisions of one config; shared by a client and its `with_options` copies."""

    def __init__(self, config: RoutingConfig, *, book: HealthBook) -> None:
        self.config = config
        self.book = book
        self._labels = {t.label: t for t in config.targets}
        self._providers = [str(t.settings.get("provider") or "azure-openai") for t in config.targets]
        self._attempts = [Attempt(t) for t in config.targets]
        self._identities = tuple(dict.fromkeys(t.identity for t in config.targets))
        self._policies: dict[int, tuple[RetryPolicy, RetryPolicy]] = {}
        self._peers: dict[int, tuple[str, ...]] = {}
        self._weighted: dict[Node, _Weighted] = {}
        self.observed: set[int] = set()
        """Targets whose response headers the router reads (quota-aware balancing)."""
        self._inner_caches: dict[int, Node] = {}
        """Per target: the top-most node under the root with a `cache` on its way down."""
        self._prepare(config.root, ())
        self.caches = config.root.cache is not None or bool(self._inner_caches)
        """Whether any node caches: only then are calls normalised for keys."""

    def _prepare(self, node: Node, peers: tuple[str, ...], cached: Node | None = None) -> None:
        if cached is None and node.cache is not None and node is not self.config.root:
            cached = node
        if node.is_target:
            if cached is not None:
                self._inner_caches[node.index] = cached
            max_retries = node.settings.get("max_retries", DEFAULT_MAX_RETRIES)
            alone = node.retry or RetryPolicy(max_retries, DEFAULT_RETRY_STATUSES, True)
            # A fallback target with another after it moves on at once: the next target is its retry.
            pending = node.retry or RetryPolicy(0)
            self._policies[node.index] = (alone, pending)
            self._peers[node.index] = tuple(p for p in peers if p != node.identity)
            return
        strategy = node.strategy
        assert strategy is not None
        if strategy.mode == "loadbalance":
            eligible = tuple(c for c in node.children if c.weight > 0)
            cumulative = tuple(itertools.accumulate(c.weight for c in eligible))
            self._weighted[node] = _Weighted(eligible, cumulative, cumulative[-1])
            if strategy.quota_aware:
                self.observed.update(leaf.index for leaf in node.leaves)
        group = tuple(leaf.identity for leaf in node.leaves)
        for child in node.children:
            self._prepare(child, group, cached)

    # -- one call -----------------------------------------------------------------

    def start(self, call: Call) -> Node | None:
        """Where a call that needs no look-up first begins: the target or fallback group the
        walk from the root ends at (None when a cache applies or shared cooldowns are due
        for a read: then the plan starts from the root). When it is a target, the driver
        makes the first attempt itself and needs the plan only if that fails; every
        decision after it is still the plan's."""
        if call.cacheable or (self.book.shared and self.book.needs_sync(wall_clock())):
            return None
        return self.config.targets[0] if call.stateful else self._descend(self.config.root, call)

    def succeeded(self, target: Node, headers: Mapping[str, str]) -> RouteInfo:
        """Record the success of a call's first attempt; its RouteInfo."""
        self._record(target, headers)
        return RouteInfo(target.label, target.path, self._providers[target.index], 1, (), None)

    def _record(self, target: Node, headers: Mapping[str, str]) -> None:
        now = wall_clock()
        self.book.record_success(target.identity, now)
        if target.index in self.observed:
            self.book.observe(target.identity, headers, now)

    def plan(self, call: Call, start: Node | None = None, first_error: APIError | None = None) -> Plan:
        """The decisions of one call. `start` is what `start()` returned; `first_error`
        what the driver's own first attempt at that target failed with."""
        if start is not None:
            trail = _Trail()
            try:
                if start.strategy is None:
                    result, target = yield from self._target(start, call, trail, False, first_error)
                else:
                    result, target = yield from self._fallback(start, call, trail, False)
            except _Failed as failed:
                raise self._failed(failed, trail) from failed.failure.error.__cause__
            return result, self._info(target, trail)
        book = self.book
        if book.shared and book.needs_sync(wall_clock()):
            cooldowns = yield SyncCooldowns(self._identities)
            book.merge(cooldowns, wall_clock())
        trail = _Trail()
        root = self.config.root
        key: str | None = None
        if root.cache is not None and call.cacheable:
            key = cache_key(root.identity, call.operation, call.material or {})
            trail.cache = "REFRESH" if call.force_refresh else "MISS"
            if not call.force_refresh:
                hit = yield CacheGet(key)
                if hit is not None:
                    return self._hit(hit, call)
        node = self.config.targets[0] if call.stateful else self._descend(root, call)
        try:
            if node.strategy is None:
                result, target = yield from self._target(node, call, trail, False)
            else:
                result, target = yield from self._fallback(node, call, trail, False)
        except _Failed as failed:
            raise self._failed(failed, trail) from failed.failure.error.__cause__
        if key is not None and trail.cache != "HIT":
            assert root.cache is not None
            yield CacheSet(key, result, target.label, root.cache.max_age)
        return result, self._info(target, trail)

    def _failed(self, failed: _Failed, trail: _Trail) -> APIError:
        """The error a call raises when its route is exhausted: the last one, with its route."""
        error = failed.failure.error
        error._route = self._info(failed.target, trail)  # type: ignore[attr-defined]
        return error

    def _info(self, target: Node, trail: _Trail) -> RouteInfo:
        tried = tuple(trail.tried) if trail.tried else ()
        return RouteInfo(target.label, target.path, self._providers[target.index], trail.attempts, tried, trail.cache)

    def _hit(self, hit: tuple[object, str], call: Call) -> tuple[object, RouteInfo]:
        result, served_by = hit
        log.debug("route: cache hit for %s, first served by %s", call.operation, served_by)
        first = self._labels.get(served_by)
        path = first.path if first is not None else served_by
        provider = self._providers[first.index] if first is not None else ""
        return result, RouteInfo(served_by, path, provider, 0, (), "HIT")

    def _node(self, node: Node, call: Call, trail: _Trail, pending: bool) -> Generator[Step, Any, tuple[object, Node]]:
        node = self._descend(node, call)
        if node.strategy is not None:
            return (yield from self._fallback(node, call, trail, pending))
        return (yield from self._target(node, call, trail, pending))

    def _descend(self, node: Node, call: Call) -> Node:
        """single, loadbalance and conditional each choose one child: follow those choices
        down to a target or a fallback group."""
        while node.strategy is not None and node.strategy.mode != "fallback":
            mode = node.strategy.mode
            if mode == "loadbalance":
                child = self._pick(node)
            elif mode == "conditional":
                child = self._condition(node, call)
            else:
                child = node.children[0]
            if log.isEnabledFor(logging.DEBUG):
                log.debug("route: %s picked %s (%s)", node.label, child.label, mode)
            node = child
        return node

    def _fallback(
        self, node: Node, call: Call, trail: _Trail, pending: bool
    ) -> Generator[Step, Any, tuple[object, Node]]:
        now = wall_clock()
        book = self.book
        order = node.children
        if book.any_cooling(now):
            healthy = tuple(c for c in order if any(book.healthy(t.identity, now) for t in c.leaves))
            if healthy and len(healthy) < len(order):
                skipped = ", ".join(c.label for c in order if c not in healthy)
                log.debug("route: %s skips %s (cooling down)", node.label, skipped)
                order = healthy
        codes = node.strategy.on_status_codes if node.strategy is not None else None
        last = len(order) - 1
        for i, child in enumerate(order):
            try:
                return (yield from self._node(child, call, trail, pending or i < last))
            except _Failed as failed:
                failure = failed.failure
                moves_on = failure.status in codes if codes is not None else failure.target_fault
                if i == last or not moves_on:
                    raise
                log.debug(
                    "route: %s falls back from %s (%s) to %s",
                    node.label,
                    child.label,
                    failure.status,
                    order[i + 1].label,
                )
        raise AssertionError("unreachable: a fallback group has targets")

    def _pick(self, node: Node) -> Node:
        weighted = self._weighted[node]
        strategy = node.strategy
        quota_aware = strategy is not None and strategy.quota_aware
        if not quota_aware and not self.book.cooled_until:
            # The common case: nothing cooling, plain weights.
            return weighted.children[bisect.bisect_right(weighted.cumulative, random.random() * weighted.total)]
        now = wall_clock()
        if not quota_aware and not self.book.any_cooling(now):
            return weighted.children[bisect.bisect_right(weighted.cumulative, random.random() * weighted.total)]
        book = self.book
        candidates = [c for c in weighted.children if any(book.healthy(t.identity, now) for t in c.leaves)]
        candidates = candidates or list(weighted.children)
        weights = [c.weight for c in candidates]
        if quota_aware:
            scaled = [
                w * min(book.headroom(t.identity, now) for t in c.leaves)
                for w, c in zip(weights, candidates, strict=True)
            ]
            if any(s > 0 for s in scaled):
                weights = scaled
        return random.choices(candidates, weights)[0]

    def _condition(self, node: Node, call: Call) -> Node:
        strategy = node.strategy
        assert strategy is not None
        facts = call.facts()
        for condition in strategy.conditions:
            if condition.test(facts):
                return node.by_name[condition.then]
        if strategy.default is not None:
            return node.by_name[strategy.default]
        raise ConfigurationError(
            f"No condition of the routing config at {node.path} matched this call, and it has no default: "
            'add "default": "<target name>" to its strategy.'
        )

    def _target(
        self, node: Node, call: Call, trail: _Trail, pending: bool, first_error: APIError | None = None
    ) -> Generator[Step, Any, tuple[object, Node]]:
        alone, fallback_pending = self._policies[node.index]
        policy = fallback_pending if pending else alone
        book = self.book
        cached = self._inner_caches.get(node.index) if call.cacheable else None
        key: str | None = None
        if cached is not None:  # a `cache` on a group or target under the root
            key = cache_key(cached.identity, call.operation, call.material or {})
            trail.cache = "REFRESH" if call.force_refresh else "MISS"
            if not call.force_refresh:
                hit = yield CacheGet(key)
                if hit is not None:
                    trail.cache = "HIT"
                    return hit[0], self._labels.get(hit[1], node)
        retries = 0
        error = first_error
        while True:
            trail.attempts += 1
            if error is None:
                try:
                    reply: Reply = yield self._attempts[node.index]
                except APIError as exc:
                    error = exc
                else:
                    self._record(node, reply.headers)
                    if key is not None and cached is not None and cached.cache is not None:
                        yield CacheSet(key, reply.result, node.label, cached.cache.max_age)
                    return reply.result, node
            failure = classify(error)
            error = None
            now = wall_clock()
            peers = self._peers[node.index]
            last_healthy = not any(book.healthy(p, now) for p in peers)
            cooled = book.record_failure(node.identity, failure, now, last_healthy=last_healthy)
            trail.tried.append(f"{node.label}: {failure.status}")
            if cooled is not None:
                log.debug("route: %s cools down for %.2fs after %s", node.label, cooled, failure.status)
                if book.shared:
                    yield PublishCooldown(node.identity, book.cooled_until[node.identity])
            delay = policy.delay(retries, failure)
            if delay is None:
                raise _Failed(failure, node)
            log.debug("route: %s retries in %.2fs after %s", node.label, delay, failure.status)
            yield Sleep(delay)
            retries += 1
