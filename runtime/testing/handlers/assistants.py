"""Assistants (beta): assistants, assistant files, threads, messages, message files.

In memory, OpenAI-shaped; lists page with after/before/limit/order (newest first by
default). Unknown ids answer 404 as the Assistants API does (an invalid_request_error
"No <thing> found with id ..."). Runs and run steps live in .runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from .._call import Call
from .._errors import AzureError, invalid_request
from .._responses import JsonReply, Reply
from .._store import paginate, public
from ._text import now

__all__ = [
    "add_message",
    "assistant_of",
    "create_assistant",
    "create_assistant_file",
    "create_message",
    "create_thread",
    "delete_assistant",
    "delete_assistant_file",
    "delete_thread",
    "get_assistant",
    "get_assistant_file",
    "get_message",
    "get_message_file",
    "get_thread",
    "list_assistant_files",
    "list_assistants",
    "list_message_files",
    "list_messages",
    "lookup",
    "new_thread",
    "page",
    "update_assistant",
    "update_message",
    "update_thread",
]

_ASSISTANT_FIELDS = (
    "model",
    "name",
    "description",
    "instructions",
    "tools",
    "file_ids",
    "metadata",
    "tool_resources",
    "temperature",
    "top_p",
    "response_format",
)


def object_id(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:24]


def lookup(call: Call, kind: str, object_id: str, label: str) -> dict[str, Any]:
    found = call.store.kind(kind).get(object_id)
    if found is None:
        raise AzureError(
            404, "invalid_request_error", f"No {label} found with id '{object_id}'.", type="invalid_request_error"
        )
    return found


def page(call: Call, items: list[dict[str, Any]]) -> Reply:
    listed = paginate(items, call.query)
    # The Assistants documents declare first_id/last_id as strings, never null.
    listed["first_id"] = listed["first_id"] or ""
    listed["last_id"] = listed["last_id"] or ""
    return JsonReply(listed)


def _deleted(obj: Mapping[str, Any], kind: str) -> Reply:
    return JsonReply({"id": obj["id"], "object": f"{kind}.deleted", "deleted": True})


# -- assistants -------------------------------------------------------------------


def _check_model(call: Call, model: Any) -> None:
    if model not in call.store.deployments:
        raise invalid_request(
            f"The model '{model}' does not exist; pass the name of a deployment (emulator: one of "
            f"{', '.join(sorted(call.store.deployments))}).",
            param="model",
        )


def create_assistant(call: Call) -> Reply:
    _check_model(call, call.body.get("model"))
    assistant: dict[str, Any] = {
        "id": object_id("asst_"),
        "object": "assistant",
        "created_at": now(),
        "name": None,
        "description": None,
        "instructions": None,
        "tools": [],
        "metadata": {},
        **{k: call.body[k] for k in _ASSISTANT_FIELDS if k in call.body},
    }
    call.store.kind("assistant")[assistant["id"]] = assistant
    return JsonReply(public(assistant))


def assistant_of(call: Call, assistant_id: str) -> dict[str, Any]:
    return lookup(call, "assistant", assistant_id, "assistant")


def get_assistant(call: Call) -> Reply:
    return JsonReply(public(assistant_of(call, call.path_params["assistant_id"])))


def update_assistant(call: Call) -> Reply:
    assistant = assistant_of(call, call.path_params["assistant_id"])
    if "model" in call.body:
        _check_model(call, call.body["model"])
    assistant.update({k: call.body[k] for k in _ASSISTANT_FIELDS if k in call.body})
    return JsonReply(public(assistant))


def delete_assistant(call: Call) -> Reply:
    assistant = assistant_of(call, call.path_params["assistant_id"])
    del call.store.kind("assistant")[assistant["id"]]
    return _deleted(assistant, "assistant")


def list_assistants(call: Call) -> Reply:
    return page(call, list(call.store.kind("assistant").values()))


# -- assistant files (2024-02-15-preview) ---------------------------------------------


def _assistant_files(call: Call) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    assistant = assistant_of(call, call.path_params["assistant_id"])
    files: dict[str, dict[str, Any]] = assistant.setdefault("_files", {})
    return assistant, files


def create_assistant_file(call: Call) -> Reply:
    assistant, files = _assistant_files(call)
    file_id = str(call.body.get("file_id"))
    if file_id not in call.store.files:
        raise invalid_request(f"No file found with id '{file_id}'.", param="file_id")
    entry = {"id": file_id, "object": "assistant.file", "created_at": now(), "assistant_id": assistant["id"]}
    files[file_id] = entry
    assistant["file_ids"] = list(files)
    return JsonReply(entry)


def _assistant_file(call: Call) -> tuple[dict[str, Any], dict[str, Any]]:
    assistant, files = _assistant_files(call)
    file_id = call.path_params["file_id"]
    if file_id not in files:
        raise AzureError(
            404,
            "invalid_request_error",
            f"No file found with id '{file_id}' on assistant '{assistant['id']}'.",
            type="invalid_request_error",
        )
    return assistant, files[file_id]


def get_assistant_file(call: Call) -> Reply:
    return JsonReply(_assistant_file(call)[1])


def delete_assistant_file(call: Call) -> Reply:
    assistant, entry = _assistant_file(call)
    del assistant["_files"][entry["id"]]
    assistant["file_ids"] = list(assistant["_files"])
    return _deleted(entry, "assistant.file")


def list_assistant_files(call: Call) -> Reply:
    return page(call, list(_assistant_files(call)[1].values()))


# -- threads ----------------------------------------------------------------------


def new_thread(call: Call, spec: Mapping[str, Any]) -> dict[str, Any]:
    thread: dict[str, Any] = {
        "id": object_id("thread_"),
        "object": "thread",
        "created_at": now(),
        "metadata": spec.get("metadata") or {},
        "tool_resources": spec.get("tool_resources"),
    }
    call.store.kind("thread")[thread["id"]] = thread
    for message in spec.get("messages") or ():
        add_message(call, thread["id"], message)
    return thread


def create_thread(call: Call) -> Reply:
    return JsonReply(public(new_thread(call, call.body)))


def thread_of(call: Call) -> dict[str, Any]:
    return lookup(call, "thread", call.path_params["thread_id"], "thread")


def get_thread(call: Call) -> Reply:
    return JsonReply(public(thread_of(call)))


def update_thread(call: Call) -> Reply:
    thread = thread_of(call)
    thread.update({k: call.body[k] for k in ("metadata", "tool_resources") if k in call.body})
    return JsonReply(public(thread))


def delete_thread(call: Call) -> Reply:
    thread = thread_of(call)
    del call.store.kind("thread")[thread["id"]]
    return _deleted(thread, "thread")


# -- messages ---------------------------------------------------------------------


def _content(raw: Any) -> list[dict[str, Any]]:
    if isinstance(raw, str):
        return [{"type": "text", "text": {"value": raw, "annotations": []}}]
    parts = []
    for part in raw if isinstance(raw, list) else []:
        if isinstance(part, Mapping) and part.get("type") == "text":
            parts.append({"type": "text", "text": {"value": str(part.get("text", "")), "annotations": []}})
        elif isinstance(part, Mapping):
            parts.append(dict(part))
    return parts


def add_message(
    call: Call,
    thread_id: str,
    spec: Mapping[str, Any],
    *,
    assistant_id: str | None = None,
    run_id: str | None = None,
) -> dict[str, Any]:
    role = spec.get("role")
    if role not in ("user", "assistant"):
        raise invalid_request(f"Invalid value for 'role': {role!r}; expected 'user' or 'assistant'.", param="role")
    created = now()
    message: dict[str, Any] = {
        "id": object_id("msg_"),
        "object": "thread.message",
        "created_at": created,
        "thread_id": thread_id,
        "status": "completed",
        "completed_at": created,
        "role": role,
        "content": _content(spec.get("content")),
        "assistant_id": assistant_id,
        "run_id": run_id,
        "attachments": spec.get("attachments") or [],
        "metadata": spec.get("metadata") or {},
    }
    if spec.get("file_ids"):
        message["file_ids"] = list(spec["file_ids"])
    call.store.kind("thread.message")[message["id"]] = message
    return message


def create_message(call: Call) -> Reply:
    thread = thread_of(call)
    return JsonReply(public(add_message(call, thread["id"], call.body)))


def message_of(call: Call) -> dict[str, Any]:
    thread = thread_of(call)
    message = lookup(call, "thread.message", call.path_params["message_id"], "message")
    if message["thread_id"] != thread["id"]:
        lookup(call, "-", message["id"], "message")  # on another thread: not found here
    return message


def get_message(call: Call) -> Reply:
    return JsonReply(public(message_of(call)))


def update_message(call: Call) -> Reply:
    message = message_of(call)
    if "metadata" in call.body:
        message["metadata"] = call.body["metadata"]
    return JsonReply(public(message))


def list_messages(call: Call) -> Reply:
    thread = thread_of(call)
    run_id = call.query.get("run_id")
    messages = [
        m
        for m in call.store.kind("thread.message").values()
        if m["thread_id"] == thread["id"] and (run_id is None or m["run_id"] == run_id)
    ]
    return page(call, messages)


# -- message files (2024-02-15-preview) -------------------------------------------------


def _message_files(call: Call) -> list[dict[str, Any]]:
    message = message_of(call)
    return [
        {
            "id": file_id,
            "object": "thread.message.file",
            "created_at": message["created_at"],
            "message_id": message["id"],
        }
        for file_id in message.get("file_ids") or []
    ]


def list_message_files(call: Call) -> Reply:
    return page(call, _message_files(call))


def get_message_file(call: Call) -> Reply:
    file_id = call.path_params["file_id"]
    for entry in _message_files(call):
        if entry["id"] == file_id:
            return JsonReply(entry)
    raise AzureError(
        404,
        "invalid_request_error",
        f"No file found with id '{file_id}' on this message.",
        type="invalid_request_error",
    )
