"""The Responses API: create (non-streaming), retrieve, delete, list input items.

The answer is chat's: "You said: <last user text>" as one output message. `model` is
the deployment name. Responses are kept unless `store` is false.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from .._call import Call
from .._errors import AzureError, invalid_request
from .._responses import JsonReply, Reply
from .._store import public
from ._text import count_tokens, now
from .assistants import page

__all__ = ["create_response", "delete_response", "get_response", "list_input_items"]

_KIND = "response"


def _items(raw: Any) -> list[dict[str, Any]]:
    if isinstance(raw, str):
        raw = [{"role": "user", "content": raw}]
    items = []
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(item, Mapping):
            continue
        content = item.get("content")
        if isinstance(content, str):
            content = [{"type": "input_text", "text": content}]
        items.append(
            {
                "id": f"msg_{uuid.uuid4().hex[:24]}{i}",
                "type": "message",
                "status": "completed",
                **item,
                "content": content,
            }
        )
    return items


def _text(item: Mapping[str, Any]) -> str:
    return " ".join(str(p.get("text", "")) for p in item.get("content") or () if isinstance(p, Mapping))


def create_response(call: Call) -> Reply:
    body = call.body
    if body.get("stream") is True:
        raise invalid_request("The emulator does not stream responses; omit 'stream'.", param="stream")
    model = body.get("model")
    if model not in call.store.deployments:
        raise AzureError(404, "DeploymentNotFound", f"The API deployment '{model}' for this resource does not exist.")
    items = _items(body.get("input"))
    users = [i for i in items if i.get("role") == "user"]
    text = f"You said: {_text(users[-1]) if users else ''}"
    prompt = sum(count_tokens(_text(i)) for i in items)
    response: dict[str, Any] = {
        "id": "resp_" + uuid.uuid4().hex,
        "object": "response",
        "created_at": now(),
        "status": "completed",
        "model": call.store.deployments[str(model)],
        "instructions": body.get("instructions"),
        "tools": body.get("tools") or [],
        "tool_choice": body.get("tool_choice", "auto"),
        "metadata": body.get("metadata") or {},
        "temperature": body.get("temperature", 1.0),
        "top_p": body.get("top_p", 1.0),
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": body.get("previous_response_id"),
        "error": None,
        "incomplete_details": None,
        "output": [
            {
                "id": "msg_" + uuid.uuid4().hex,
                "type": "message",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": text, "annotations": []}],
            }
        ],
        "usage": {
            "input_tokens": prompt,
            "output_tokens": count_tokens(text),
            "total_tokens": prompt + count_tokens(text),
            "output_tokens_details": {"reasoning_tokens": 0},
        },
        "_input": items,
    }
    if body.get("store", True) is not False:
        call.store.kind(_KIND)[response["id"]] = response
    return JsonReply(public(response))


def _response(call: Call) -> dict[str, Any]:
    response_id = call.path_params["response_id"]
    found = call.store.kind(_KIND).get(response_id)
    if found is None:
        raise AzureError(
            404, "invalid_request_error", f"Response with id '{response_id}' not found.", type="invalid_request_error"
        )
    return found


def get_response(call: Call) -> Reply:
    return JsonReply(public(_response(call)))


def delete_response(call: Call) -> Reply:
    response = _response(call)
    del call.store.kind(_KIND)[response["id"]]
    return JsonReply({"id": response["id"], "object": "response.deleted", "deleted": True})


def list_input_items(call: Call) -> Reply:
    return page(call, _response(call)["_input"])
