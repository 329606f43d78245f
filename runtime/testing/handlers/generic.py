"""The generic handler: an answer from the operation's response schema.

Every operation in the table is served, including one a new api-version adds before
anyone writes a handler for it: the answer conforms to the version's response schema
(spec/, shipped in azgate.generated/schemas/), is the same for the same request, and
echoes the request's path ids into fields named `id`.
"""

from __future__ import annotations

import json
from typing import Any

from .._call import Call
from .._errors import not_implemented
from .._responses import JsonReply, RawReply, Reply, StreamReply
from .._schemas import SpecSchemas
from .._synth import Synth

__all__ = ["GenericHandler"]


class GenericHandler:
    def __init__(self, schemas: SpecSchemas) -> None:
        self._schemas = schemas

    def __call__(self, call: Call) -> Reply:
        op = call.op
        seed = json.dumps([op.id, call.api_version, dict(call.path_params), _plain(call.body)], sort_keys=True)
        if call.stream:
            found = self._schemas.stream(op.id, call.api_version)
            if found is not None:
                synth = Synth(found[1], seed)
                events = [synth.value(found[0], "event") for _ in range(2)]
                typed = all(isinstance(e, dict) and "." in str(e.get("type", "")) for e in events)
                return StreamReply([e for e in events if isinstance(e, dict)], typed=typed)
        response = self._schemas.response(op.id, call.api_version)
        if response is None:
            raise not_implemented(op.id, op.sdk_name)
        if response.schema is None or not response.media_type:
            return RawReply(b"", "", status=response.status)
        if response.media_type != "application/json":
            text = "" if response.schema.get("format") == "binary" else "generated text"
            return RawReply(text.encode(), response.media_type, status=response.status)
        body = Synth(response.root, seed).value(response.schema, "response")
        ids = [v for k, v in call.path_params.items() if k.replace("-", "_").endswith("id")]
        if ids and isinstance(body, dict) and isinstance(body.get("id"), str):
            body["id"] = ids[-1]
        return JsonReply(body if isinstance(body, dict) else {"value": body}, status=response.status)


def _plain(body: Any) -> Any:
    """The body as JSON can say it (form uploads become their file names)."""
    if isinstance(body, dict):
        return {k: _plain(v) for k, v in body.items()}
    if isinstance(body, list):
        return [_plain(v) for v in body]
    if isinstance(body, (str, int, float, bool)) or body is None:
        return body
    return str(getattr(body, "filename", type(body).__name__))
