"""A routed client's machinery: one client per target, the state backend, and the two
drivers that carry out the router's plan (sync and async differ only in the I/O).

The client calls `Routing.run` / `Routing.arun` from its `_request`, between the
generated method and the send loop; each attempt is the target client's own `_request`
(capability check, URL, auth, send), asked for the raw response so the router sees its
headers (and a stream's first chunk) before the caller does, with the target's
`override_params` merged into the body. Target clients never retry by themselves: their
retries are the router's (and see attach_routing on their connection pools).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import anyio

from .._core._operation import OperationSpec
from .._core._response import APIResponse
from ..exceptions import APIError, ConfigurationError
from ._cache import decode_entry, encode_entry, normalised
from ._config import Node, RoutingConfig
from ._flow import Router
from ._health import HealthBook
from ._info import RouteInfo
from ._state import StateBackend, open_state
from ._steps import Attempt, CacheGet, CacheSet, Call, PublishCooldown, Reply, Sleep, SyncCooldowns

__all__ = ["PER_CALL_SETTINGS", "Derived", "Routing"]

PER_CALL_SETTINGS = frozenset({"metadata", "cache_force_refresh"})
"""Settings a copy may change while sharing its source's routing whole (targets included)."""

_DEPLOYMENT_PREFIX = "/deployments/{deployment-id}"
_NORMALISED = ("body", "query", "extra_body", "extra_query")
_NO_HEADERS: Mapping[str, str] = {}


@dataclass(frozen=True, slots=True)
class Derived:
    """A copy's config: its source's, checked again with the copy's settings as defaults."""

    source: Routing


class Routing:
    """The routes of one config; shared by a client and its `with_options` copies.

    `source`: the Routing of the client this one's client was copied from; the copy keeps
    its cache, state backend and target health (the source keeps owning the backend)."""

    def __init__(
        self, config: RoutingConfig, make_client: Callable[[Node, bool], Any], source: Routing | None = None
    ) -> None:
        self.config = config
        self.state: StateBackend
        self.router: Router
        if source is not None:
            self.state = source.state
            self.router = Router(config, book=source.router.book)
        else:
            self.state = open_state(config.state)
            self.router = Router(config, book=HealthBook(shared=self.state.shared))
        self._owns_state = source is None
        self.owner: object = None
        """The client that built it and closes it; copies that share it do not."""
        self.clients: list[Any] = []
        for target in config.targets:
            try:
                self.clients.append(make_client(target, False))
            except ConfigurationError as exc:
                self._close_clients()  # credentials the targets built so far
                raise ConfigurationError(f"Invalid routing config at {target.path}: {exc}") from None
        self.primary: Any = make_client(config.targets[0], True)
        """The first target with retries of its own, for list pages: every page of a list
        comes from the resource that holds the objects."""
        self._caches = self.router.caches
        self._paths: dict[OperationSpec, str] = {}

    def describe(self) -> str:
        """The routed client's repr: the strategy and where each target calls (no secrets)."""
        mode = self.config.root.strategy.mode if self.config.root.strategy else "single"
        targets = ", ".join(f"{t.label}={c.base_url!r}" for t, c in zip(self.config.targets, self.clients, strict=True))
        return f"strategy={mode!r}, targets=[{targets}]"

    def for_copy(self, overrides: Mapping[str, Any]) -> object:
        """What a `with_options` copy gets as its config: this Routing itself when only the
        per-call settings change, else the config to check again with the new defaults."""
        if "config" in overrides:
            return overrides["config"]
        if overrides.keys() <= PER_CALL_SETTINGS:
            return self
        return Derived(self)

    def release(self, client: object) -> None:
        if client is self.owner:
            for target_client in (*self.clients, self.primary):
                target_client.close()
            if self._owns_state:
                self.state.close()

    def _close_clients(self) -> None:
        """Close the target clients built so far when a later target's settings are wrong
        (sync clients only: an async client's close must be awaited, and nothing is built
        that needs it before a first call)."""
        for target_client in self.clients:
            if not inspect.iscoroutinefunction(target_client.close):
                target_client.close()

    async def arelease(self, client: object) -> None:
        if client is self.owner:
            for target_client in (*self.clients, self.primary):
                await target_client.close()
            if self._owns_state:
                await self.state.aclose()

    # -- shared by both drivers ---------------------------------------------------

    def _call(self, op: OperationSpec, kwargs: dict[str, Any], metadata: Mapping[str, Any], refresh: bool) -> Call:
        """`kwargs` is the routed client's own dict for this call: attempts write into it."""
        pathname = self._paths.get(op)
        if pathname is None:
            pathname = self._paths[op] = op.path.removeprefix(_DEPLOYMENT_PREFIX)
        stateful = not op.deployment_scoped
        mode = kwargs["response_mode"]
        cacheable = (
            self._caches and not stateful and not kwargs["stream"] and kwargs["files"] is None and mode == "parsed"
        )
        material = None
        if cacheable:
            # The key and the request are built from one plain-JSON copy of the parameters.
            material = {k: normalised(kwargs.get(k)) for k in _NORMALISED}
            material["path_params"] = kwargs["path_params"]
            kwargs.update(material)
        return Call(op.id, pathname, kwargs, kwargs["body"], mode, metadata, stateful, cacheable, refresh, material)

    def _attempt_kwargs(self, target: Node, call: Call) -> dict[str, Any]:
        """The keywords of one attempt: the target's override_params merged into a fresh
        body (the send path may add "model" to it); the raw response when the router needs
        its headers (quota-aware balancing) or the caller asked for it."""
        kwargs = call.kwargs
        if call.body is not None:
            kwargs["body"] = {**call.body, **target.override_params}
        if call.mode == "parsed":
            kwargs["response_mode"] = "raw" if target.index in self.router.observed else "parsed"
        return kwargs

    @staticmethod
    def _opened(call: Call, response: Any) -> tuple[object, Any, Mapping[str, str]]:
        """(the caller's result, the parsed result, the headers) of a successful attempt."""
        mode = call.kwargs["response_mode"]
        if mode == "parsed":
            return response, response, _NO_HEADERS
        if mode == "streamed":  # with_streaming_response: the caller reads the body
            return response, None, response.headers
        parsed = response.parse()  # a 2xx that is not what the operation returns fails the attempt here
        return (parsed if call.mode == "parsed" else response), parsed, response.headers

    @staticmethod
    def _decode(raw: bytes | None, call: Call) -> tuple[object, str] | None:
        if raw is None:
            return None
        return decode_entry(raw, call.kwargs.get("cast_to"))

    # -- sync ---------------------------------------------------------------------

    def _attempt(self, target: Node, op: OperationSpec, call: Call) -> Reply:
        response = self.clients[target.index]._request(op, **self._attempt_kwargs(target, call))
        result, parsed, headers = self._opened(call, response)
        if parsed is not None and call.kwargs["stream"]:
            _prime(parsed)
        return Reply(result, headers)

    def run(self, client: Any, op: OperationSpec, kwargs: dict[str, Any]) -> Any:
        call = self._call(op, kwargs, client._route_metadata, client._route_refresh)
        router = self.router
        start = router.start(call)
        first_error: APIError | None = None
        if start is not None and start.strategy is None:
            try:
                reply = self._attempt(start, op, call)
            except APIError as exc:
                first_error = exc
            else:  # the common case: the first target answered, no plan needed
                return _attach(reply.result, router.succeeded(start, reply.headers))
        plan = router.plan(call, start, first_error)
        state = self.state
        try:
            step = next(plan)
            while True:
                answer: Any = None
                if type(step) is Attempt:
                    try:
                        answer = self._attempt(step.target, op, call)
                    except APIError as exc:
                        step = plan.throw(exc)
                        continue
                elif type(step) is Sleep:
                    time.sleep(step.seconds)
                elif type(step) is CacheGet:
                    answer = self._decode(state.get(step.key), call)
                elif type(step) is CacheSet:
                    entry = encode_entry(step.result, step.target)
                    if entry is not None:
                        state.set(step.key, entry, step.ttl)
                elif type(step) is SyncCooldowns:
                    answer = state.cooldowns(step.targets)
                elif type(step) is PublishCooldown:
                    state.publish_cooldown(step.target, step.until)
                step = plan.send(answer)
        except StopIteration as done:
            result, info = done.value
            return _attach(result, info)

    # -- async --------------------------------------------------------------------

    async def _aattempt(self, target: Node, op: OperationSpec, call: Call) -> Reply:
        response = await self.clients[target.index]._request(op, **self._attempt_kwargs(target, call))
        result, parsed, headers = self._opened(call, response)
        if parsed is not None and call.kwargs["stream"]:
            await _aprime(parsed)
        return Reply(result, headers)

    async def arun(self, client: Any, op: OperationSpec, kwargs: dict[str, Any]) -> Any:
        call = self._call(op, kwargs, client._route_metadata, client._route_refresh)
        router = self.router
        start = router.start(call)
        first_error: APIError | None = None
        if start is not None and start.strategy is None:
            try:
                reply = await self._aattempt(start, op, call)
            except APIError as exc:
                first_error = exc
            else:
                return _attach(reply.result, router.succeeded(start, reply.headers))
        plan = router.plan(call, start, first_error)
        state = self.state
        try:
            step = next(plan)
            while True:
                answer: Any = None
                if type(step) is Attempt:
                    try:
                        answer = await self._aattempt(step.target, op, call)
                    except APIError as exc:
                        step = plan.throw(exc)
                        continue
                elif type(step) is Sleep:
                    await anyio.sleep(step.seconds)
                elif type(step) is CacheGet:
                    answer = self._decode(await state.aget(step.key), call)
                elif type(step) is CacheSet:
                    entry = encode_entry(step.result, step.target)
                    if entry is not None:
                        await state.aset(step.key, entry, step.ttl)
                elif type(step) is SyncCooldowns:
                    answer = await state.acooldowns(step.targets)
                elif type(step) is PublishCooldown:
                    await state.apublish_cooldown(step.target, step.until)
                step = plan.send(answer)
        except StopIteration as done:
            result, info = done.value
            return _attach(result, info)


def _attach(result: object, info: RouteInfo) -> object:
    # object.__setattr__: on a pydantic model this is what its own __setattr__ does for a
    # private name, without the lookups; the attribute is not a field (not dumped, not compared).
    # try/except rather than contextlib.suppress: this runs on every routed call.
    try:  # noqa: SIM105
        object.__setattr__(result, "_route", info)
    except (AttributeError, TypeError):
        pass  # str, None: nowhere to put it
    if isinstance(result, APIResponse):  # with_raw_response: its .parse() result too
        try:  # noqa: SIM105
            object.__setattr__(result.parse(), "_route", info)
        except (AttributeError, TypeError):
            pass
    return result


def _prime(stream: Any) -> None:
    """Read a stream's first event before the caller sees it, so a stream that fails
    before its first chunk is a failed attempt (retried, or fallen back from)."""
    iterator = stream._iterator
    try:
        first = next(iterator)
    except StopIteration:
        return
    # A generator, not itertools.chain: Stream.close() closes its iterator (and through
    # `yield from`, the stream's own reader).
    stream._iterator = _sync_prepend(first, iterator)


async def _aprime(stream: Any) -> None:
    iterator = stream._iterator
    try:
        first = await iterator.__anext__()
    except StopAsyncIteration:
        return
    stream._iterator = _prepend(first, iterator)


def _sync_prepend(first: object, rest: Iterator[Any]) -> Generator[Any, None, None]:
    yield first
    yield from rest


async def _prepend(first: object, rest: AsyncIterator[Any]) -> AsyncIterator[Any]:
    yield first
    async for item in rest:
        yield item
