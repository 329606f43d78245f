"""Stored completions: chat completions made with `store: true`, listed and edited.

Chat is registered through `chat_with_store`, which records a completion when the
request asks for it (the api-versions with stored completions accept `store`).
"""

from __future__ import annotations

from typing import Any

from .._call import Call
from .._responses import JsonReply, Reply
from .._store import paginate, public
from .assistants import lookup
from .chat import create_chat_completion

__all__ = ["chat_with_store", "delete_stored", "get_stored", "list_stored", "stored_messages", "update_stored"]

_KIND = "chat.completion.stored"


def chat_with_store(call: Call) -> Reply:
    reply = create_chat_completion(call)
    if call.body.get("store") is True and isinstance(reply, JsonReply):
        body = reply.body
        stored: dict[str, Any] = {
            **body,
            "object": "chat.completion",
            "request_id": call.headers.get("x-ms-client-request-id", ""),
            "metadata": call.body.get("metadata") or {},
            "tool_choice": call.body.get("tool_choice"),
            "tools": call.body.get("tools"),
            "_messages": [{"id": f"{body['id']}-{i}", **m} for i, m in enumerate(call.body.get("messages") or ())],
            "_deployment": call.deployment,
        }
        call.store.kind(_KIND)[str(body["id"])] = stored
    return reply


def _stored(call: Call) -> dict[str, Any]:
    return lookup(call, _KIND, call.path_params["stored-completion-id"], "stored completion")


def list_stored(call: Call) -> Reply:
    model = call.query.get("model")
    items = [s for s in call.store.kind(_KIND).values() if model is None or s["model"] == model]
    listed = paginate(items, call.query)
    listed["total"] = len(items)
    return JsonReply(listed)


def get_stored(call: Call) -> Reply:
    return JsonReply(public(_stored(call)))


def update_stored(call: Call) -> Reply:
    stored = _stored(call)
    stored["metadata"] = call.body.get("metadata") or {}
    return JsonReply(public(stored))


def delete_stored(call: Call) -> Reply:
    stored = _stored(call)
    del call.store.kind(_KIND)[stored["id"]]
    return JsonReply({"object": "chat.completion.deleted", "id": stored["id"], "deleted": True})


def stored_messages(call: Call) -> Reply:
    messages = _stored(call)["_messages"]
    listed = paginate(messages, call.query, default_order="asc")
    listed["total"] = len(messages)
    return JsonReply(listed)
