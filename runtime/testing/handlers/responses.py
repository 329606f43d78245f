"""The Responses API: create (streaming or not), retrieve, delete, list input items.

The answer is chat's: "You said: <last user text>" as one output message; JSON of the
schema for `text.format` json_schema; a `function_call` item per call when function
tools are offered (arguments that fit the tool's `parameters`); "The <name> tool
returned: <output>" after a `function_call_output`. `model` is the deployment name.
Responses are kept unless `store` is false.

With `stream: true` the same response arrives as typed events in the documented order:
response.created, response.in_progress, then per output item output_item.added,
(content_part.added, output_text.delta..., output_text.done, content_part.done) or
(function_call_arguments.delta..., function_call_arguments.done), output_item.done,
and last response.completed; each has a `sequence_number`, and no [DONE] follows.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from .._call import Call
from .._errors import AzureError
from .._responses import JsonReply, Reply, StreamReply
from .._store import public
from ._model import structured_text, tool_arguments
from ._text import count_tokens, now, pieces, stable_id
from .assistants import page

__all__ = ["create_response", "delete_response", "get_response", "list_input_items"]

_KIND = "response"
_ARGUMENT_FRAGMENT = 8


def _items(raw: Any) -> list[dict[str, Any]]:
    if isinstance(raw, str):
        raw = [{"role": "user", "content": raw}]
    items = []
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(item, Mapping):
            continue
        if "role" not in item:  # function_call_output, function_call, ...: kept as sent
            items.append({"id": f"item_{uuid.uuid4().hex[:24]}{i}", **item})
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


def _function_tools(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    tools = [t for t in body.get("tools") or () if isinstance(t, Mapping) and t.get("type") == "function"]
    choice = body.get("tool_choice", "auto")
    if choice == "none" or not tools:
        return []
    if isinstance(choice, Mapping) and choice.get("name"):
        return [t for t in tools if t.get("name") == choice["name"]][:1]
    return tools if body.get("parallel_tool_calls") is True else tools[:1]


def _tool_name(items: Sequence[Mapping[str, Any]], call_id: Any) -> str:
    for item in items:
        if item.get("type") == "function_call" and item.get("call_id") == call_id:
            return str(item.get("name", "tool"))
    return "tool"


def _output(body: Mapping[str, Any], items: Sequence[Mapping[str, Any]], seed: str) -> list[dict[str, Any]]:
    users = [i for i in items if i.get("role") == "user"]
    user_text = _text(users[-1]) if users else ""
    last = items[-1] if items else {}
    if last.get("type") == "function_call_output":
        text = f"The {_tool_name(items, last.get('call_id'))} tool returned: {last.get('output', '')}"
    else:
        tools = _function_tools(body)
        if tools:
            return [
                {
                    "id": stable_id("fc_", seed, i),
                    "type": "function_call",
                    "status": "completed",
                    "call_id": stable_id("call_", seed, i),
                    "name": str(tool.get("name", "")),
                    "arguments": tool_arguments(tool.get("parameters"), user_text, f"{seed}{i}"),
                }
                for i, tool in enumerate(tools)
            ]
        text = f"You said: {user_text}"
    text_format = (body.get("text") or {}).get("format") if isinstance(body.get("text"), Mapping) else None
    text = structured_text(text_format, text, seed) or text
    return [
        {
            "id": stable_id("msg_", seed),
            "type": "message",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": text, "annotations": []}],
        }
    ]


def create_response(call: Call) -> Reply:
    body = call.body
    model = body.get("model")
    if model not in call.store.deployments:
        raise AzureError(404, "DeploymentNotFound", f"The API deployment '{model}' for this resource does not exist.")
    items = _items(body.get("input"))
    seed = json.dumps([body.get("input"), body.get("tools"), body.get("text")], sort_keys=True, default=str)
    output = _output(body, items, seed)
    written = " ".join(
        item["arguments"] if item["type"] == "function_call" else " ".join(c["text"] for c in item["content"])
        for item in output
    )
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
        "output": output,
        "usage": {
            "input_tokens": prompt,
            "output_tokens": count_tokens(written),
            "total_tokens": prompt + count_tokens(written),
            "output_tokens_details": {"reasoning_tokens": 0},
        },
        "_input": items,
    }
    if body.get("store", True) is not False:
        call.store.kind(_KIND)[response["id"]] = response
    if call.stream:
        return StreamReply(_events(public(response)), typed=True)
    return JsonReply(public(response))


def _events(response: dict[str, Any]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []

    def emit(kind: str, **fields: Any) -> None:
        events.append({"type": kind, "sequence_number": len(events), **fields})

    started = {**copy.deepcopy(response), "status": "in_progress", "output": [], "usage": None}
    emit("response.created", response=started)
    emit("response.in_progress", response=started)
    for index, item in enumerate(response["output"]):
        if item["type"] == "function_call":
            emit(
                "response.output_item.added",
                output_index=index,
                item={**item, "arguments": "", "status": "in_progress"},
            )
            arguments = item["arguments"]
            for at in range(0, len(arguments), _ARGUMENT_FRAGMENT):
                fragment = arguments[at : at + _ARGUMENT_FRAGMENT]
                emit("response.function_call_arguments.delta", item_id=item["id"], output_index=index, delta=fragment)
            emit("response.function_call_arguments.done", item_id=item["id"], output_index=index, arguments=arguments)
        else:
            emit(
                "response.output_item.added", output_index=index, item={**item, "content": [], "status": "in_progress"}
            )
            for c, part in enumerate(item["content"]):
                where = {"item_id": item["id"], "output_index": index, "content_index": c}
                emit("response.content_part.added", **where, part={**part, "text": ""})
                for piece in pieces(part["text"]):
                    emit("response.output_text.delta", **where, delta=piece, logprobs=[])
                emit("response.output_text.done", **where, text=part["text"], logprobs=[])
                emit("response.content_part.done", **where, part=part)
        emit("response.output_item.done", output_index=index, item=item)
    emit("response.completed", response=response)
    return events


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
