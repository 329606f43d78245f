"""Models_List and Models_Get: base models, the deployments' models, fine-tuned models.

Shaped as Azure's authoring `Model`: `capabilities` (fine_tune, inference, completion,
chat_completion, embeddings), `lifecycle_status`, `deprecation` dates. A fine-tuned
model appears once its job succeeds, with `model` (its base) and `fine_tune` (the job).
"""

from __future__ import annotations

from typing import Any

from .._call import Call
from .._responses import JsonReply, Reply
from .._store import public
from ._objects import not_found

__all__ = ["BASE_MODELS", "catalogue", "fine_tunable", "get_model", "list_models"]

_CREATED = 1_700_000_000  # a fixed date: the catalogue is the same on every run
_DEPRECATED = 1_893_456_000  # 2030-01-01
_TEXT = {"chat_completion": True, "completion": False, "embeddings": False, "inference": True}

# id -> (capabilities except fine_tune, can fine-tune)
BASE_MODELS: dict[str, tuple[dict[str, bool], bool]] = {
    "gpt-4": (_TEXT, False),
    "gpt-4-turbo": (_TEXT, False),
    "gpt-4o": (_TEXT, False),
    "gpt-4o-2024-08-06": (_TEXT, True),
    "gpt-4o-mini-2024-07-18": (_TEXT, True),
    "gpt-35-turbo": ({**_TEXT, "completion": True}, False),
    "gpt-35-turbo-0613": ({**_TEXT, "completion": True}, True),
    "babbage-002": ({**_TEXT, "chat_completion": False, "completion": True}, True),
    "davinci-002": ({**_TEXT, "chat_completion": False, "completion": True}, True),
    "text-embedding-ada-002": ({**_TEXT, "chat_completion": False, "embeddings": True}, False),
    "dall-e-3": ({**_TEXT, "chat_completion": False}, False),
    "whisper": ({**_TEXT, "chat_completion": False}, False),
    "tts-1": ({**_TEXT, "chat_completion": False}, False),
}


def _model(model_id: str, capabilities: dict[str, bool], fine_tune: bool) -> dict[str, Any]:
    return {
        "object": "model",
        "id": model_id,
        "status": "succeeded",
        "created_at": _CREATED,
        "capabilities": {**capabilities, "fine_tune": fine_tune},
        "lifecycle_status": "generally-available",
        "deprecation": {"inference": _DEPRECATED, **({"fine_tune": _DEPRECATED} if fine_tune else {})},
    }


def fine_tunable(model_id: str) -> bool:
    found = BASE_MODELS.get(model_id)
    return found is not None and found[1]


def catalogue(call: Call) -> dict[str, dict[str, Any]]:
    """Every model the resource knows, by id: base, deployed, fine-tuned."""
    models = {mid: _model(mid, caps, ft) for mid, (caps, ft) in BASE_MODELS.items()}
    for deployed in sorted(set(call.store.deployments.values())):
        models.setdefault(deployed, _model(deployed, _TEXT, False))
    for job in call.store.kind("fine_tuning.job").values():
        name = job.get("fine_tuned_model")
        if job.get("status") == "succeeded" and name:
            tuned = _model(name, BASE_MODELS.get(job["model"], (_TEXT, True))[0], False)
            tuned.update({"model": job["model"], "fine_tune": job["id"], "created_at": job["finished_at"]})
            models[name] = tuned
    return models


def list_models(call: Call) -> Reply:
    return JsonReply({"object": "list", "data": [public(m) for m in catalogue(call).values()]})


def get_model(call: Call) -> Reply:
    model_id = call.path_params["model-id"]
    found = catalogue(call).get(model_id)
    if found is None:
        raise not_found("Model", model_id)
    return JsonReply(public(found))
