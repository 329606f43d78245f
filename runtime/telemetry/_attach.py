"""Watching a client: the one entry point of `_core`'s hook (`instrument`, called when a client
built with `telemetry=`, `event_hooks=` or `secret_headers=` is made, never per call).

It wraps two of the client's methods, on the instance, so a client without them runs no
extra code at all:

- `_request(op, **call)`: one call, from the generated method to its result. Wrapped with
  the call's span (the routed client's, for a routed client), and, on each routing target's
  client, with that target's span.
- `_attempt(request, auth_headers, ...)`: one HTTP attempt of the send loop (retries are
  further attempts). Wrapped with the attempt's span and the event hooks.

A routed client's targets are instrumented here too (their settings never carry
`telemetry=` or `event_hooks=`: those are the routed client's), once, by the client that
owns the routes; `with_options` copies that share the routes share their instrumentation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._core._wire import as_httpx_request
from ._config import resolve_telemetry
from ._genai import PROVIDER_NAMES
from ._hooks import EventHooks, resolve_hooks

if TYPE_CHECKING:
    from .._routing._config import Node

__all__ = ["instrument"]


def instrument(client: Any) -> None:
    settings = client._options.settings
    hooks = resolve_hooks(
        settings.get("event_hooks"), settings.get("secret_headers"), asynchronous=client._asynchronous
    )
    telemetry = resolve_telemetry(settings.get("telemetry"))
    instruments = telemetry.instruments() if telemetry is not None else None
    if instruments is None and hooks is None:
        return
    routing = client._routing
    if instruments is not None:
        _wrap_call(client, instruments)
    if routing is None:
        _wrap_attempt(client, instruments, hooks)
    elif routing.owner is client:  # a copy that shares its source's routes shares their instrumentation
        for node, target in zip(routing.config.targets, routing.clients, strict=True):
            if instruments is not None:
                _wrap_target(target, instruments, node)
            _wrap_attempt(target, instruments, hooks)
        _wrap_attempt(routing.primary, instruments, hooks)  # list pages


def _provider(client: Any) -> str:
    provider: str = client._options.provider
    return PROVIDER_NAMES.get(provider, provider)


def _wrap_call(client: Any, instruments: Any) -> None:
    from ._otel import CallSpan, server_of

    request = client._request
    options = client._options
    provider = _provider(client)
    server = server_of(options.base_url)
    deployment = options.deployment_id

    if client._asynchronous:

        async def _arequest(op: Any, **call: Any) -> Any:
            span = CallSpan(instruments, op, call.get("body"), bool(call.get("stream")), provider, deployment, server)
            token = span.enter()
            try:
                result = await request(op, **call)
            except BaseException as exc:
                span.failed(exc)
                raise
            finally:
                span.leave(token)
            return span.succeeded(result)

        client._request = _arequest
        return

    def _request(op: Any, **call: Any) -> Any:
        span = CallSpan(instruments, op, call.get("body"), bool(call.get("stream")), provider, deployment, server)
        token = span.enter()
        try:
            result = request(op, **call)
        except BaseException as exc:
            span.failed(exc)
            raise
        finally:
            span.leave(token)
        return span.succeeded(result)

    client._request = _request


def _wrap_target(client: Any, instruments: Any, node: Node) -> None:
    from ._otel import end_target, server_of, start_target

    request = client._request
    options = client._options
    provider = _provider(client)
    server = server_of(options.base_url)
    label, path = node.label, node.path

    def _model(call: dict[str, Any]) -> object:
        body = call.get("body")
        return (body.get("model") if body else None) or options.deployment_id  # after override_params

    if client._asynchronous:

        async def _arequest(op: Any, **call: Any) -> Any:
            span, token = start_target(instruments, label, path, provider, server, _model(call))
            error: BaseException | None = None
            try:
                return await request(op, **call)
            except BaseException as exc:
                error = exc
                raise
            finally:
                end_target(span, token, error)

        client._request = _arequest
        return

    def _request(op: Any, **call: Any) -> Any:
        span, token = start_target(instruments, label, path, provider, server, _model(call))
        error: BaseException | None = None
        try:
            return request(op, **call)
        except BaseException as exc:
            error = exc
            raise
        finally:
            end_target(span, token, error)

    client._request = _request


def _wrap_attempt(client: Any, instruments: Any, hooks: EventHooks | None) -> None:
    attempt = client._attempt
    traced = instruments is not None
    if traced:
        from ._otel import end_attempt, start_attempt  # event hooks alone never load OpenTelemetry

    if client._asynchronous:

        async def _aattempt(request: Any, auth_headers: Any, *args: Any, **kwargs: Any) -> Any:
            request = as_httpx_request(request)  # hooks and spans are handed httpx's objects
            masked = await hooks.acall_request(request, auth_headers) if hooks is not None else None
            span, token = start_attempt(instruments, request) if traced else (None, None)
            try:
                response = await attempt(request, auth_headers, *args, **kwargs)
            except BaseException as exc:
                if traced:
                    end_attempt(span, token, request, None, exc)  # type: ignore[arg-type]
                raise
            if traced:
                end_attempt(span, token, request, response, None)  # type: ignore[arg-type]
            if hooks is not None:
                try:
                    await hooks.acall_response(response, masked)  # type: ignore[arg-type]
                except BaseException:
                    await response.aclose()
                    raise
            return response

        client._attempt = _aattempt
        return

    def _attempt(request: Any, auth_headers: Any, *args: Any, **kwargs: Any) -> Any:
        request = as_httpx_request(request)  # hooks and spans are handed httpx's objects
        masked = hooks.call_request(request, auth_headers) if hooks is not None else None
        span, token = start_attempt(instruments, request) if traced else (None, None)
        try:
            response = attempt(request, auth_headers, *args, **kwargs)
        except BaseException as exc:
            if traced:
                end_attempt(span, token, request, None, exc)  # type: ignore[arg-type]
            raise
        if traced:
            end_attempt(span, token, request, response, None)  # type: ignore[arg-type]
        if hooks is not None:
            try:
                hooks.call_response(response, masked)  # type: ignore[arg-type]
            except BaseException:
                response.close()
                raise
        return response

    client._attempt = _attempt
