"""The response cache's pure half: which calls it serves, their keys, their entries.

A call is cached when its config node has `cache`, it is not a stream, it uploads no
file, and its operation is deployment-scoped (chat, completions, embeddings, images ...;
never files, batches or jobs, whose answers change). The key is a SHA-256 of the target
group's identity, the operation, and the call's parameters as canonical JSON (sorted
keys), so the same question asked with its keys in another order is the same entry.
Headers are not part of it: they may carry secrets, and secrets never enter a key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import pydantic

from .._core._encoding import encode_json
from .._core._types import NotGiven

__all__ = ["ENTRY_VERSION", "cache_key", "decode_entry", "encode_entry", "normalised"]

ENTRY_VERSION = 1
_KEYED = ("path_params", "query", "body", "extra_query", "extra_body")


def normalised(value: Mapping[str, object] | None) -> dict[str, Any] | None:
    """Parameters as plain JSON data (models dumped, iterables listed, NOT_GIVEN dropped).

    The call then sends this copy: a generator of messages can be read only once."""
    if value is None:
        return None
    given = {k: v for k, v in value.items() if not isinstance(v, NotGiven)}
    data: dict[str, Any] = json.loads(encode_json(given))
    return data


def cache_key(group: str, operation: str, call: Mapping[str, Any]) -> str:
    material = {"group": group, "operation": operation, **{k: call.get(k) for k in _KEYED}}
    text = json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def encode_entry(result: object, target: str) -> bytes | None:
    """The bytes to store for a result, or None for what is not cached (bytes, None)."""
    data: Any
    model = None
    if isinstance(result, pydantic.BaseModel):
        kind, data, model = (
            "model",
            result.model_dump(mode="json", by_alias=True, exclude_unset=True),
            type(result).__name__,
        )
    elif isinstance(result, (dict, list)):
        kind, data = "json", result
    elif isinstance(result, str):
        kind, data = "text", result
    else:
        return None
    entry = {"v": ENTRY_VERSION, "kind": kind, "model": model, "target": target, "data": data}
    return json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode()


def decode_entry(raw: bytes, cast_to: object) -> tuple[object, str] | None:
    """(result, target that first served it), or None for an entry this build cannot read.

    `cast_to` is the call's: the model class is taken from it by the name stored with the
    entry, never imported from what the store says."""
    try:
        entry = json.loads(raw)
        if entry.get("v") != ENTRY_VERSION:
            return None
        kind, data, target = entry["kind"], entry["data"], str(entry["target"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if kind == "model":
        kinds = cast_to if isinstance(cast_to, tuple) else (cast_to,)
        model = next((k for k in kinds if isinstance(k, type) and k.__name__ == entry.get("model")), None)
        if model is None or not issubclass(model, pydantic.BaseModel):
            return None
        try:
            return model.model_validate(data), target
        except pydantic.ValidationError:
            return None  # stored by a build whose models differ: a miss, not an error
    if kind in ("json", "text"):
        return data, target
    return None
