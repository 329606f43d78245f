"""Response profiles: the same answers, shaped like other servers shape them.

A profile is a transformation of a reply, applied after the handler and before the
wire, so every operation (and every handler yet to be written) gets it for free:

- `current`: today's shapes, as the handlers write them (the identity; no cost).
- `legacy`: older api-versions' shapes. Fields that newer documents added are left out
  (a choice's `index` and `logprobs`, `system_fingerprint`, `refusal`, token details,
  `service_tier`), and a null field is omitted rather than sent, as older servers did.
- `gateway`: what a proxy or gateway in front of Azure sends. Every object carries an
  extra field, a `finish_reason` of "stop" reads "end_turn" and `service_tier` a value
  no document lists, Responses output and stream events include a variant no document
  knows, streams begin with an SSE comment, and replies carry an extra header.

A client that is liberal in what it accepts parses all three into the same typed
results: missing fields read None, extra fields are kept, unknown values are kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal, get_args

from ._responses import JsonReply, Reply, StreamReply

__all__ = ["PROFILES", "ProfileName", "check_profile", "shape"]

ProfileName = Literal["current", "legacy", "gateway"]
PROFILES: tuple[str, ...] = get_args(ProfileName)

# -- legacy ------------------------------------------------------------------------

_ANY = "*"
# Paths (from the body's root; "*" is any list index) of fields older versions lacked.
_LEGACY_DROPS: tuple[tuple[str, ...], ...] = (
    ("system_fingerprint",),
    ("service_tier",),
    ("choices", _ANY, "index"),
    ("choices", _ANY, "logprobs"),
    ("choices", _ANY, "message", "refusal"),
    ("choices", _ANY, "message", "annotations"),
    ("choices", _ANY, "delta", "refusal"),
    ("usage", "completion_tokens_details"),
    ("usage", "prompt_tokens_details"),
)


def _drop(value: Any, path: Sequence[str]) -> None:
    if not path:
        return
    head, rest = path[0], path[1:]
    if head == _ANY:
        for item in value if isinstance(value, list) else ():
            _drop(item, rest)
    elif isinstance(value, dict):
        if not rest:
            value.pop(head, None)
        elif head in value:
            _drop(value[head], rest)


def _without_nulls(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _legacy(body: Mapping[str, Any]) -> dict[str, Any]:
    shaped: dict[str, Any] = _without_nulls(body)  # a deep copy: handlers share constants
    for path in _LEGACY_DROPS:
        _drop(shaped, path)
    return shaped


# -- gateway -----------------------------------------------------------------------

GATEWAY_FIELD = "x_gateway"
GATEWAY_HEADER = "x-gateway-trace-id"
UNKNOWN_FINISH_REASON = "end_turn"
UNKNOWN_SERVICE_TIER = "gateway-priority"
UNKNOWN_OUTPUT_ITEM = "gateway_notice"
UNKNOWN_STREAM_EVENT = "response.gateway.heartbeat"
SSE_COMMENT = b": gateway keep-alive\n\n"

# Objects whose keys are the caller's data, not a schema's fields: left as they are.
_USER_MAPS = frozenset(
    {"metadata", "attributes", "logit_bias", "parameters", "schema", "json_schema", "arguments", "input_schema"}
)


def _with_extras(value: Any, key: str | None = None) -> Any:
    if isinstance(value, Mapping):
        if key in _USER_MAPS:
            return dict(value)
        shaped = {k: _with_extras(v, k) for k, v in value.items()}
        shaped[GATEWAY_FIELD] = "emulated"
        if shaped.get("finish_reason") == "stop":
            shaped["finish_reason"] = UNKNOWN_FINISH_REASON
        return shaped
    if isinstance(value, list):
        return [_with_extras(v) for v in value]
    return value


def _gateway(body: Mapping[str, Any]) -> dict[str, Any]:
    shaped: dict[str, Any] = _with_extras(body)
    shaped["gateway"] = {"provider": "azure-openai", "cache": "miss", "attempts": 1}
    if shaped.get("object") in ("chat.completion", "chat.completion.chunk"):
        shaped["service_tier"] = UNKNOWN_SERVICE_TIER
    if shaped.get("object") == "response" and isinstance(shaped.get("output"), list):
        shaped["output"].append(_unknown_output_item())
    return shaped


def _unknown_output_item() -> dict[str, Any]:
    return {"type": UNKNOWN_OUTPUT_ITEM, "id": "gw_notice_0", "status": "completed", "text": "routed by a gateway"}


def _gateway_stream(chunks: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    shaped = [_gateway(chunk) if "object" in chunk else _with_extras(chunk) for chunk in chunks]
    # A Responses stream (typed events): one event of a type no document lists.
    if shaped and str(shaped[0].get("type", "")).startswith("response."):
        shaped.insert(1, {"type": UNKNOWN_STREAM_EVENT, GATEWAY_FIELD: "emulated"})
    return shaped


# -- applying ----------------------------------------------------------------------


def check_profile(name: object) -> ProfileName:
    if name not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}; got {name!r}")
    return name  # type: ignore[return-value]


def shape(profile: str, reply: Reply) -> Reply:
    """The reply as `profile` sends it (bytes replies are never touched)."""
    if profile == "current":
        return reply
    if isinstance(reply, JsonReply):
        if profile == "legacy":
            return replace(reply, body=_legacy(reply.body))
        return replace(reply, body=_gateway(reply.body), headers={**reply.headers, GATEWAY_HEADER: "gw-emulated"})
    if isinstance(reply, StreamReply):
        if profile == "legacy":
            return replace(reply, chunks=[_legacy(c) for c in reply.chunks])
        return replace(
            reply,
            chunks=_gateway_stream(reply.chunks),
            headers={**reply.headers, GATEWAY_HEADER: "gw-emulated"},
            preamble=SSE_COMMENT,
        )
    return reply
