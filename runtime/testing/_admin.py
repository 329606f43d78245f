"""The /_emulator/* control endpoints: faults, stats, deployments, store, blobs, health.

They let a test in another process (the CLI emulator, a test written in another
language) do what the Python API does. No auth: the server listens on loopback only.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ._faults import FaultError
from ._profiles import PROFILES, check_profile
from ._state import EmulatorState

__all__ = ["admin_routes"]


def _problem(message: str, status: int = 400, param: str | None = None) -> Response:
    return JSONResponse({"error": {"code": "invalid_emulator_request", "message": message, "param": param}}, status)


async def _json(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.body() or b"{}")
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, a 5,000-digit number, ...
        raise ValueError(f"body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("body must be a JSON object")
    return data


def admin_routes(state: EmulatorState) -> list[BaseRoute]:
    async def faults(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"faults": [f.to_dict() for f in state.faults.pending]})
        if request.method == "DELETE":
            cleared = len(state.faults)
            state.faults.clear()
            return JSONResponse({"cleared": cleared})
        try:
            spec = await _json(request)
            kind = spec.pop("kind", None)
            if not isinstance(kind, str):
                raise FaultError('\'kind\' is required, e.g. {"kind": "rate_limit", "times": 2}', "kind")
            times = spec.pop("times", 1)
            operation = spec.pop("operation", None)
            fault = state.faults.add(kind, times=times, operation=operation, **spec)  # type: ignore[arg-type]
        except FaultError as exc:
            return _problem(str(exc), param=exc.param)
        except (ValueError, TypeError) as exc:
            return _problem(str(exc))
        return JSONResponse({"fault": fault.to_dict()}, 201)

    async def stats(request: Request) -> Response:
        if request.method == "DELETE":
            state.stats.reset()
        return JSONResponse(state.stats.snapshot())

    async def deployments(request: Request) -> Response:
        if request.method == "POST":
            try:
                spec = await _json(request)
            except ValueError as exc:
                return _problem(str(exc))
            name, model = spec.get("name"), spec.get("model", spec.get("name"))
            if not isinstance(name, str) or not name or "/" in name:
                return _problem('expected {"name": "<deployment>", "model": "<model>"}', param="name")
            if not isinstance(model, str) or not model:
                return _problem('expected {"name": "<deployment>", "model": "<model>"}', param="model")
            state.deployments[name] = model
        return JSONResponse({"deployments": dict(state.deployments)})

    async def store(request: Request) -> Response:
        # {"tick": 0} runs batches and jobs at once; DELETE forgets every object.
        if request.method == "DELETE":
            state.store.clear()
        elif request.method == "POST":
            try:
                spec = await _json(request)
            except ValueError as exc:
                return _problem(str(exc))
            tick = spec.get("tick")
            if not isinstance(tick, (int, float)) or isinstance(tick, bool) or not 0 <= tick <= 3600:
                return _problem('expected {"tick": <seconds per state, 0 to 3600>}', param="tick")
            state.store.tick = float(tick)
        return JSONResponse({"tick": state.store.tick, "files": len(state.store.files)})

    async def expire(request: Request) -> Response:
        batch_id = request.path_params["batch_id"]
        if batch_id not in state.store.kind("batch"):
            return _problem(f"no batch {batch_id!r}", 404)
        state.store.expire_batch(batch_id)
        return JSONResponse({"expiring": batch_id})

    async def blob(request: Request) -> Response:
        # Image URLs point here; like Azure's SAS blob URLs they need no api-key.
        found = state.store.blobs.get(request.path_params["name"])
        if found is None:
            return _problem("no such blob (blobs live until the emulator is reset)", 404)
        return Response(found[0], media_type=found[1])

    async def profile(request: Request) -> Response:
        # {"profile": "legacy"}: answer like older api-versions; "gateway": like a proxy.
        if request.method == "POST":
            try:
                spec = await _json(request)
                state.profile = check_profile(spec.get("profile"))
            except ValueError as exc:
                return _problem(str(exc), param="profile")
        return JSONResponse({"profile": state.profile, "profiles": list(PROFILES)})

    async def health(request: Request) -> Response:
        del request
        return JSONResponse({"status": "ok"})

    return [
        Route("/_emulator/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/_emulator/stats", stats, methods=["GET", "DELETE"]),
        Route("/_emulator/deployments", deployments, methods=["GET", "POST"]),
        Route("/_emulator/health", health, methods=["GET"]),
        Route("/_emulator/profile", profile, methods=["GET", "POST"]),
        Route("/_emulator/store", store, methods=["GET", "POST", "DELETE"]),
        Route("/_emulator/batches/{batch_id}/expire", expire, methods=["POST"]),
        Route("/_emulator/blobs/{name}", blob, methods=["GET"]),
    ]
