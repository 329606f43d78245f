"""The ASGI app: route by the operation table, validate, fault, handle, render.

Everything table-derived (router, per-version key sets, model classes) is built once
here or cached on first use; a request costs a regex match and dict lookups.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
from collections.abc import Mapping
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .._core._operation import OperationSpec
from . import _errors
from ._admin import admin_routes
from ._call import Call
from ._errors import AzureError
from ._faults import Fault, apply_delay, fault_error, iterate_frames, malformed, render_frames
from ._profiles import shape
from ._responses import (
    JsonReply,
    RawReply,
    Reply,
    azure_headers,
    error_response,
    json_response,
    stream_response,
)
from ._router import Match, Router
from ._schemas import SpecSchemas
from ._state import EmulatorState
from ._stats import RecordedRequest
from ._validate import BodyValidator, Validator, check_auth, make_body_validator, parse_json_object
from .handlers import HANDLERS, Handler
from .handlers.generic import GenericHandler

__all__ = ["create_app", "load_operations"]

logger = logging.getLogger("azgate.testing")

_PREFIX = "/openai"
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
# The published document declares a JSON body, but the service takes multipart (files).
_MULTIPART_ANYWAY = frozenset({"ImageGenerations_Edit"})
# What a JSON operation takes; anything else (text/plain, a form) is refused.
_JSON_MEDIA = frozenset({"application/json", "text/json"})


def _check_json_media(content_type: str | None, raw: bytes) -> None:
    if not raw.strip() or not content_type:  # nothing sent, or no claim made about it
        return
    media = content_type.split(";", 1)[0].strip().lower()
    if media not in _JSON_MEDIA and not media.endswith("+json"):
        raise _errors.unsupported_media_type(media, "application/json")


def load_operations() -> Mapping[str, OperationSpec]:
    """The generated operation table (imported only when an app is built without one)."""
    try:
        module = importlib.import_module("azgate.generated._operations")
    except ImportError as exc:
        raise RuntimeError(
            "azgate.generated._operations is not importable; generate it, or pass "
            "operations= (a mapping of operation id -> OperationSpec) to the emulator"
        ) from exc
    operations: Mapping[str, OperationSpec] = module.OPERATIONS
    return operations


def create_app(
    operations: Mapping[str, OperationSpec] | None = None,
    *,
    state: EmulatorState | None = None,
    body_validator: BodyValidator | Literal["schema", "off"] = "schema",
    handlers: Mapping[str, Handler] | None = None,
    generic: bool = True,
) -> Starlette:
    """Build the emulator's ASGI app.

    `body_validator`: "schema" checks JSON bodies against spec/'s JSON Schema for the
    request's api-version (shipped in azgate.generated/schemas/), "off" checks only keys
    against the operation table, or pass your own callable (after the table's key check).
    `handlers` replaces the built-in handler registry (operation id -> handler); an
    operation without one is answered from its response schema (`generic=False`: 501).
    """
    table = load_operations() if operations is None else operations
    dispatcher = _Dispatcher(
        table,
        state or EmulatorState(),
        make_body_validator(body_validator),
        HANDLERS if handlers is None else handlers,
        generic=generic,
    )
    app = Starlette(
        routes=[
            *admin_routes(dispatcher.state),
            # One catch-all: the operation table, not starlette, does the routing.
            Route("/{rest:path}", dispatcher.handle, methods=_METHODS),
        ]
    )
    app.state.emulator = dispatcher.state
    dispatcher.state.store.runner = dispatcher.run_line
    dispatcher.state.store.deployments = dispatcher.state.deployments
    return app


class _Dispatcher:
    def __init__(
        self,
        operations: Mapping[str, OperationSpec],
        state: EmulatorState,
        body_validator: BodyValidator | Literal["schema"] | None,
        handlers: Mapping[str, Handler],
        *,
        generic: bool,
    ) -> None:
        self.state = state
        self.router = Router(operations)
        schemas = SpecSchemas()
        self.validator = Validator(operations, body_validator, schemas)
        self.handlers = handlers
        self.generic: Handler | None = GenericHandler(schemas) if generic else None

    def _handler(self, op: OperationSpec) -> Handler:
        handler = self.handlers.get(op.id, self.generic)
        if handler is None:
            raise _errors.not_implemented(op.id, op.sdk_name)
        return handler

    async def handle(self, request: Request) -> Response:
        generation = self.state.stats.generation
        try:
            # A client that sends headers and then nothing must not hold a connection.
            raw = await asyncio.wait_for(request.body(), self.state.body_timeout)
        except asyncio.TimeoutError:
            error = AzureError(408, "Timeout", "The request body did not arrive in time; closing the connection.")
            return error_response(error, {"connection": "close"})
        path = request.url.path
        relative = path[len(_PREFIX) :] if path.startswith(_PREFIX + "/") else None
        match = self.router.match(request.method, relative) if relative is not None else None
        remaining = self.state.stats.charge(len(raw) // 4)
        headers = azure_headers(*remaining)
        try:
            check_auth(request.headers, self.state.api_key, self.state.token_validator)
            if match is None:
                raise _errors.resource_not_found(self._no_route(request.method, relative))
            response = await self._serve(request, match, raw, headers)
        except AzureError as error:
            response = error_response(error, headers)
        except RecursionError:  # JSON nested deeper than Python recurses: the request's fault
            response = error_response(_errors.bad_json("the JSON body is nested too deeply"), headers)
        except Exception as exc:  # an emulator bug: say so instead of a bare 500
            logger.exception("emulator handler failed")
            response = error_response(AzureError(500, "InternalServerError", f"emulator error: {exc!r}"), headers)
        self.state.stats.record(
            RecordedRequest(
                method=request.method,
                path=path,
                query=request.url.query,
                headers=dict(request.headers),
                body=raw,
                operation=match.op.id if match else None,
                status=response.status_code,
            ),
            generation,
        )
        return response

    def _no_route(self, method: str, relative: str | None) -> str:
        if relative is None:
            return "Azure OpenAI paths start with /openai/"
        allowed = self.router.allowed_methods(relative)
        if allowed:
            return f"{method} is not allowed on /openai{relative}; use {', '.join(allowed)}"
        return f"no operation in the table has the path /openai{relative}"

    async def _serve(self, request: Request, match: Match, raw: bytes, headers: dict[str, str]) -> Response:
        op = match.op
        version = self.validator.api_version(op, request.query_params, v1=match.v1)
        target: tuple[str | None, str] = (None, "")
        if not match.v1:  # the path names the deployment: check it before the body
            target = self.validator.deployment(op, match.path_params, {}, self.state.deployments, v1=False)
        content_type = op.request_content_type or ""
        if op.id in _MULTIPART_ANYWAY and request.headers.get("content-type", "").startswith("multipart/"):
            content_type = "multipart/form-data"
        if not (content_type.startswith("multipart/") or content_type.endswith("urlencoded")):
            _check_json_media(request.headers.get("content-type"), raw)
            body = parse_json_object(raw)
            return await self._run(request, match, version, target, body, headers, typed=True, raw=raw)
        form = await request.form()
        try:  # uploads are spooled files: close them once the handler has replied
            return await self._run(request, match, version, target, _fields(form), headers, typed=False)
        finally:
            await form.close()

    async def _run(
        self,
        request: Request,
        match: Match,
        version: str,
        target: tuple[str | None, str],
        body: dict[str, Any],
        headers: dict[str, str],
        *,
        typed: bool,
        raw: bytes = b"",
    ) -> Response:
        op = match.op
        if match.v1:  # the v1 API names the deployment in the body's "model"
            target = self.validator.deployment(op, match.path_params, body, self.state.deployments, v1=True)
        self.validator.body(op, version, body, typed=typed, raw=raw)
        handler = self._handler(op)
        call = Call(
            op=op,
            api_version=version,
            deployment=target[0],
            model=target[1],
            body=body,
            path_params=match.path_params,
            query=request.query_params,
            headers=request.headers,
            store=self.state.store,
        )
        fault = self.state.faults.take(op.id, op.sdk_name, stream=call.stream)
        if fault is not None:
            error = fault_error(fault, op.id, version)
            if error is not None:
                raise error
            await apply_delay(fault)
        result = handler(call)
        reply: Reply = await result if inspect.isawaitable(result) else result
        return _render(shape(self.state.profile, reply), fault, headers)

    def run_line(self, url: str, body: Mapping[str, Any], api_version: str) -> tuple[int, Mapping[str, Any]]:
        """One batch line through the same checks and handlers as a request: the
        deployment comes from the body's model, as on the v1 API."""
        path = url.split("?", 1)[0]
        path = path if path.startswith("/v1/") else "/v1" + path
        match = self.router.match("POST", path)
        try:
            if match is None:
                raise _errors.invalid_request(f"The url {url!r} is not supported in a batch.", param="url")
            op = match.op
            target = self.validator.deployment(op, match.path_params, body, self.state.deployments, v1=True)
            self.validator.body(op, api_version, body)
            if body.get("stream") is True:
                raise _errors.invalid_request("Streaming is not supported in a batch.", param="stream")
            handler = self._handler(op)
            call = Call(
                op=op,
                api_version=api_version,
                deployment=target[0],
                model=target[1],
                body=body,
                path_params=match.path_params,
                query={},
                headers={},
                store=self.state.store,
            )
            reply = handler(call)
            if inspect.isawaitable(reply) or not isinstance(reply, JsonReply):
                if inspect.iscoroutine(reply):
                    reply.close()
                raise _errors.invalid_request(f"{op.sdk_name} is not supported in a batch.", param="url")
            return reply.status, reply.body
        except AzureError as error:
            return error.status, error.body()


def _fields(form: FormData) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in form.multi_items():
        # A repeated field (timestamp_granularities[]) becomes a list.
        if key in fields:
            previous = fields[key]
            fields[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[key] = value
    return fields


def _render(reply: Reply, fault: Fault | None, headers: dict[str, str]) -> Response:
    if fault is not None and fault.kind == "malformed_json":
        reply = malformed(reply)
    if isinstance(reply, JsonReply):
        return json_response(reply.body, reply.status, {**headers, **reply.headers})
    if isinstance(reply, RawReply):
        # An empty media type (a 204) sends no content-type at all.
        media_type = reply.media_type or None
        return Response(reply.content, reply.status, headers={**headers, **reply.headers}, media_type=media_type)
    frames = render_frames(reply, fault)
    abort = fault is not None and fault.kind == "cut_stream" and fault.abort
    return stream_response(iterate_frames(frames, abort=abort), {**headers, **reply.headers})
