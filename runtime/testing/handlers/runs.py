"""Assistants runs and run steps: a run advances one state per `store.tick`.

    queued -> in_progress -> completed          (adds "You said: <last user text>")
    queued -> in_progress -> requires_action    (the assistant or run has a function
                                                 tool: one call of the first function)
    requires_action --submit_tool_outputs--> in_progress -> completed
                                                (adds "The <name> tool returned: <output>")
    cancel: -> cancelling -> cancelled

Each run records its steps (tool_calls, message_creation) as the service does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._call import Call
from .._errors import AzureError, invalid_request
from .._responses import JsonReply, Reply
from .._store import public
from ._model import tool_arguments
from ._text import count_tokens, now
from .assistants import add_message, assistant_of, lookup, new_thread, object_id, page, thread_of

__all__ = [
    "cancel_run",
    "create_run",
    "create_thread_and_run",
    "get_run",
    "get_step",
    "list_runs",
    "list_steps",
    "submit_tool_outputs",
    "update_run",
]

_RUN = "thread.run"
_STEP = "thread.run.step"
_TERMINAL = frozenset({"completed", "cancelled", "failed", "expired", "incomplete"})
_LIFETIME = 600
_OVERRIDES = (
    "model",
    "instructions",
    "tools",
    "metadata",
    "temperature",
    "top_p",
    "response_format",
    "tool_choice",
    "parallel_tool_calls",
    "max_prompt_tokens",
    "max_completion_tokens",
    "truncation_strategy",
)


def _start(call: Call, thread_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    if body.get("stream") is True:
        raise invalid_request("The emulator does not stream runs; omit 'stream'.", param="stream")
    assistant = assistant_of(call, str(body.get("assistant_id")))
    for message in body.get("additional_messages") or ():
        add_message(call, thread_id, message)
    instructions = str(body.get("instructions") or assistant.get("instructions") or "")
    if body.get("additional_instructions"):
        instructions = f"{instructions} {body['additional_instructions']}".strip()
    created = now()
    run: dict[str, Any] = {
        "id": object_id("run_"),
        "object": "thread.run",
        "created_at": created,
        "thread_id": thread_id,
        "assistant_id": assistant["id"],
        "status": "queued",
        "required_action": None,
        "last_error": None,
        "expires_at": created + _LIFETIME,
        "started_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "usage": None,
        **{k: assistant.get(k) for k in _OVERRIDES},
        **{k: body[k] for k in _OVERRIDES if k in body},
        "instructions": instructions,
        "_outputs": None,
    }
    run["tools"] = run.get("tools") or []
    run["metadata"] = run.get("metadata") or {}
    call.store.kind(_RUN)[run["id"]] = run
    call.store.start_clock(run["id"])
    return run


def create_run(call: Call) -> Reply:
    return JsonReply(public(_start(call, thread_of(call)["id"], call.body)))


def create_thread_and_run(call: Call) -> Reply:
    assistant_of(call, str(call.body.get("assistant_id")))  # 404 before creating a thread
    thread = new_thread(call, call.body.get("thread") or {})
    return JsonReply(public(_start(call, thread["id"], call.body)))


def _run(call: Call) -> dict[str, Any]:
    thread = thread_of(call)
    run = lookup(call, _RUN, call.path_params["run_id"], "run")
    if run["thread_id"] != thread["id"]:
        lookup(call, "-", run["id"], "run")
    _advance(call, run)
    return run


# -- the state machine ------------------------------------------------------------


def _advance(call: Call, run: dict[str, Any]) -> None:
    for _ in range(call.store.steps_due(run["id"])):
        if run["status"] in _TERMINAL or run["status"] == "requires_action":
            return
        _step(call, run)


def _messages(call: Call, thread_id: str) -> list[dict[str, Any]]:
    return [m for m in call.store.kind("thread.message").values() if m["thread_id"] == thread_id]


def _text_of(message: Mapping[str, Any]) -> str:
    return " ".join(p["text"]["value"] for p in message.get("content") or () if p.get("type") == "text")


def _step(call: Call, run: dict[str, Any]) -> None:
    status = run["status"]
    if status == "cancelling":
        run["status"], run["cancelled_at"] = "cancelled", now()
    elif status == "queued":
        run["status"], run["started_at"] = "in_progress", now()
    elif status == "in_progress":
        functions = [t for t in run["tools"] if isinstance(t, Mapping) and t.get("type") == "function"]
        if run["_outputs"] is None and functions and run.get("tool_choice") != "none":
            _require_action(call, run, functions[0])
        else:
            _complete(call, run)


def _last_user_text(call: Call, thread_id: str) -> str:
    users = [m for m in _messages(call, thread_id) if m["role"] == "user"]
    return _text_of(users[-1]) if users else ""


def _new_step(call: Call, run: dict[str, Any], kind: str, details: dict[str, Any], status: str) -> dict[str, Any]:
    created = now()
    step: dict[str, Any] = {
        "id": object_id("step_"),
        "object": "thread.run.step",
        "created_at": created,
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "run_id": run["id"],
        "type": kind,
        "status": status,
        "step_details": details,
        "last_error": None,
        "expired_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": created if status == "completed" else None,
        "metadata": {},
    }
    call.store.kind(_STEP)[step["id"]] = step
    return step


def _require_action(call: Call, run: dict[str, Any], tool: Mapping[str, Any]) -> None:
    function = tool.get("function") or {}
    name = str(function.get("name", "tool"))
    text = _last_user_text(call, run["thread_id"])
    arguments = tool_arguments(function.get("parameters"), text, f"{run['id']}{name}")
    tool_call = {"id": object_id("call_"), "type": "function", "function": {"name": name, "arguments": arguments}}
    step = _new_step(call, run, "tool_calls", {"type": "tool_calls", "tool_calls": [tool_call]}, "in_progress")
    run["_tool_step"] = step["id"]
    run["status"] = "requires_action"
    run["required_action"] = {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": [tool_call]}}


def _complete(call: Call, run: dict[str, Any]) -> None:
    outputs: list[tuple[str, str]] | None = run["_outputs"]
    if outputs:
        text = " ".join(f"The {name} tool returned: {output}" for name, output in outputs)
    else:
        text = f"You said: {_last_user_text(call, run['thread_id'])}"
    message = add_message(
        call,
        run["thread_id"],
        {"role": "assistant", "content": text},
        assistant_id=run["assistant_id"],
        run_id=run["id"],
    )
    _new_step(
        call,
        run,
        "message_creation",
        {"type": "message_creation", "message_creation": {"message_id": message["id"]}},
        "completed",
    )
    prompt = sum(count_tokens(_text_of(m)) for m in _messages(call, run["thread_id"]) if m["id"] != message["id"])
    completion = count_tokens(text)
    run["usage"] = {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
    run["status"], run["completed_at"] = "completed", now()


# -- operations -------------------------------------------------------------------


def get_run(call: Call) -> Reply:
    return JsonReply(public(_run(call)))


def list_runs(call: Call) -> Reply:
    thread = thread_of(call)
    runs = [r for r in call.store.kind(_RUN).values() if r["thread_id"] == thread["id"]]
    for run in runs:
        _advance(call, run)
    return page(call, runs)


def update_run(call: Call) -> Reply:
    run = _run(call)
    if "metadata" in call.body:
        run["metadata"] = call.body["metadata"]
    return JsonReply(public(run))


def cancel_run(call: Call) -> Reply:
    run = _run(call)
    if run["status"] in _TERMINAL:
        raise invalid_request(f"Cannot cancel run with status '{run['status']}'.")
    run["status"], run["required_action"] = "cancelling", None
    call.store.start_clock(run["id"])
    return JsonReply(public(run))


def submit_tool_outputs(call: Call) -> Reply:
    if call.body.get("stream") is True:
        raise invalid_request("The emulator does not stream runs; omit 'stream'.", param="stream")
    run = _run(call)
    if run["status"] != "requires_action" or run["required_action"] is None:
        raise invalid_request(f"Runs in status '{run['status']}' do not accept tool outputs.")
    calls = {c["id"]: c for c in run["required_action"]["submit_tool_outputs"]["tool_calls"]}
    given = {str(o.get("tool_call_id")): str(o.get("output", "")) for o in call.body.get("tool_outputs") or ()}
    if set(given) != set(calls):
        raise invalid_request(
            f"Expected tool outputs for call_ids {sorted(calls)}, got {sorted(given)}.", param="tool_outputs"
        )
    run["_outputs"] = [(calls[i]["function"]["name"], output) for i, output in given.items()]
    step = call.store.kind(_STEP)[run["_tool_step"]]
    for tool_call in step["step_details"]["tool_calls"]:
        tool_call["function"]["output"] = given[tool_call["id"]]
    step["status"], step["completed_at"] = "completed", now()
    run["status"], run["required_action"] = "in_progress", None
    call.store.start_clock(run["id"])
    return JsonReply(public(run))


def _steps(call: Call) -> list[dict[str, Any]]:
    run = _run(call)
    return [s for s in call.store.kind(_STEP).values() if s["run_id"] == run["id"]]


def list_steps(call: Call) -> Reply:
    return page(call, _steps(call))


def get_step(call: Call) -> Reply:
    step_id = call.path_params["step_id"]
    for step in _steps(call):
        if step["id"] == step_id:
            return JsonReply(public(step))
    raise AzureError(
        404, "invalid_request_error", f"No run step found with id '{step_id}'.", type="invalid_request_error"
    )
