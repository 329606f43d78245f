"""ChatCompletions_Create: deterministic answers derived from the messages.

- last message from the user, no tools: content "You said: <text>";
- tools offered (tool_choice not "none"): a call of the first tool (or the one
  tool_choice names; every tool with parallel_tool_calls=true) with arguments that
  fit the tool's `parameters` ({"query": "<text>"} for a schema without properties),
  finish_reason "tool_calls";
- last message a tool result: content "The <name> tool returned: <result>";
- `response_format` json_schema: content is JSON of that schema (json_object: a small
  JSON object), deterministic per request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._call import Call
from .._errors import FILTER_TRIGGER, content_filtered
from .._responses import (
    CHOICE_FILTER_RESULTS,
    JsonReply,
    Reply,
    StreamReply,
    prompt_filter_results,
)
from ._model import structured_text, tool_arguments
from ._text import (
    choice_count,
    content_text,
    count_tokens,
    fingerprint,
    new_id,
    now,
    pieces,
    stable_id,
    truncate,
)

__all__ = ["create_chat_completion"]

_ARGUMENT_FRAGMENT = 8  # characters per streamed tool-argument fragment


@dataclass(slots=True)
class _Answer:
    content: str | None
    finish_reason: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    function_call: dict[str, str] | None = None

    def tokens(self) -> int:
        if self.tool_calls:
            return sum(count_tokens(t["function"]["arguments"]) for t in self.tool_calls)
        if self.function_call is not None:
            return count_tokens(self.function_call["arguments"])
        return count_tokens(self.content or "")


def _last_user_text(messages: Sequence[Mapping[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return content_text(message.get("content"))
    return ""


def _tool_name_for(messages: Sequence[Mapping[str, Any]], tool_call_id: Any) -> str:
    for message in reversed(messages):
        for call in message.get("tool_calls") or ():
            if isinstance(call, Mapping) and call.get("id") == tool_call_id:
                return str((call.get("function") or {}).get("name", "tool"))
    return "tool"


def _tool_names(body: Mapping[str, Any]) -> list[str]:
    tools = [t for t in body.get("tools") or () if isinstance(t, Mapping)]
    names = [str((t.get("function") or {}).get("name", "")) for t in tools]
    choice = body.get("tool_choice", "auto")
    if choice == "none" or not names:
        return []
    if isinstance(choice, Mapping):
        named = (choice.get("function") or {}).get("name")
        return [str(named)] if named else names[:1]
    if body.get("parallel_tool_calls") is True and len(names) >= 2:
        return names
    return names[:1]


def _parameters(declared: Any, name: str) -> Any:
    """The `parameters` schema of the tool or function called `name`."""
    for entry in declared or ():
        if isinstance(entry, Mapping):
            function = entry.get("function", entry)  # tools nest it; functions do not
            if isinstance(function, Mapping) and function.get("name") == name:
                return function.get("parameters")
    return None


def _answer(body: Mapping[str, Any], messages: Sequence[Mapping[str, Any]]) -> _Answer:
    last = messages[-1] if messages else {}
    role = last.get("role")
    text = _last_user_text(messages)
    seed = json.dumps([messages, body.get("tools"), body.get("response_format")], sort_keys=True, default=str)
    if role == "user":
        names = _tool_names(body)
        if names:
            calls = [
                {
                    "id": stable_id("call_", text, name, i),
                    "type": "function",
                    "function": {
                        "name": name,
                        "arguments": tool_arguments(_parameters(body.get("tools"), name), text, f"{seed}{i}"),
                    },
                }
                for i, name in enumerate(names)
            ]
            return _Answer(None, "tool_calls", tool_calls=calls)
        functions = [f for f in body.get("functions") or () if isinstance(f, Mapping)]
        function_call = body.get("function_call", "auto")
        if functions and function_call != "none":
            name = function_call.get("name") if isinstance(function_call, Mapping) else functions[0].get("name")
            arguments = tool_arguments(_parameters(functions, str(name)), text, seed)
            return _Answer(None, "function_call", function_call={"name": str(name), "arguments": arguments})
    if role == "tool":
        name = _tool_name_for(messages, last.get("tool_call_id"))
        content = f"The {name} tool returned: {content_text(last.get('content'))}"
    elif role == "function":
        content = f"The {last.get('name', 'function')} function returned: " + content_text(last.get("content"))
    else:
        content = f"You said: {text}"
    structured = structured_text(body.get("response_format"), content, seed)
    if structured is not None:  # JSON is never cut short: a model asked for JSON finishes it
        return _Answer(structured, "stop")
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    content, cut = truncate(content, limit)
    return _Answer(content, "length" if cut else "stop")


def create_chat_completion(call: Call) -> Reply:
    body = call.body
    messages = [m for m in body.get("messages") or () if isinstance(m, Mapping)]
    if FILTER_TRIGGER in _last_user_text(messages):
        raise content_filtered("prompt")
    n = choice_count(body)
    answer = _answer(body, messages)
    prompt_tokens = sum(count_tokens(content_text(m.get("content"))) for m in messages)
    completion_tokens = answer.tokens() * n
    usage = {
        "completion_tokens": completion_tokens,
        "prompt_tokens": prompt_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
    head = {
        "created": now(),
        "id": new_id("chatcmpl-"),
        "model": call.model,
        "system_fingerprint": fingerprint(call.model),
    }
    if call.stream:
        return StreamReply(_stream(head, answer, n, usage, body.get("stream_options")))
    message: dict[str, Any] = {"role": "assistant", "content": answer.content}
    if answer.tool_calls:
        message["tool_calls"] = answer.tool_calls
    if answer.function_call is not None:
        message["function_call"] = answer.function_call
    choices = [
        {
            "content_filter_results": CHOICE_FILTER_RESULTS,
            "finish_reason": answer.finish_reason,
            "index": i,
            "logprobs": None,
            "message": message,
        }
        for i in range(n)
    ]
    return JsonReply(
        {
            **head,
            "object": "chat.completion",
            "choices": choices,
            "prompt_filter_results": prompt_filter_results(),
            "usage": usage,
        }
    )


def _stream(
    head: Mapping[str, Any],
    answer: _Answer,
    n: int,
    usage: Mapping[str, int],
    stream_options: Any,
) -> list[dict[str, Any]]:
    include_usage = isinstance(stream_options, Mapping) and stream_options.get("include_usage")
    base: dict[str, Any] = {**head, "object": "chat.completion.chunk"}
    if include_usage:
        base["usage"] = None  # as OpenAI does on every chunk but the usage one

    def chunk(index: int, delta: dict[str, Any], filters: Any, finish: str | None = None) -> dict[str, Any]:
        choice = {
            "content_filter_results": filters,
            "delta": delta,
            "finish_reason": finish,
            "index": index,
            "logprobs": None,
        }
        return {**base, "choices": [choice]}

    # Azure's first chunk: no choices, empty id/model, the prompt's filter results.
    chunks: list[dict[str, Any]] = [
        {
            "choices": [],
            "created": 0,
            "id": "",
            "model": "",
            "object": "",
            "prompt_filter_results": prompt_filter_results(),
        }
    ]
    for i in range(n):
        if answer.tool_calls:
            chunks.extend(_tool_call_chunks(i, answer.tool_calls, chunk))
        elif answer.function_call is not None:
            fc = answer.function_call
            chunks.append(
                chunk(
                    i,
                    {"role": "assistant", "content": None, "function_call": {"name": fc["name"], "arguments": ""}},
                    {},
                )
            )
            for fragment in _fragments(fc["arguments"]):
                chunks.append(chunk(i, {"function_call": {"arguments": fragment}}, {}))
        else:
            chunks.append(chunk(i, {"role": "assistant", "content": ""}, {}))
            for piece in pieces(answer.content or ""):
                chunks.append(chunk(i, {"content": piece}, CHOICE_FILTER_RESULTS))
        chunks.append(chunk(i, {}, {}, answer.finish_reason))
    if include_usage:
        chunks.append({**base, "choices": [], "usage": dict(usage)})
    return chunks


def _fragments(arguments: str) -> list[str]:
    step = _ARGUMENT_FRAGMENT
    return [arguments[i : i + step] for i in range(0, len(arguments), step)] or [""]


def _tool_call_chunks(index: int, calls: Sequence[Mapping[str, Any]], chunk: Any) -> list[dict[str, Any]]:
    """Each call: a header delta (id, type, name, empty arguments), then fragments."""
    out: list[dict[str, Any]] = []
    for k, call in enumerate(calls):
        header = {
            "index": k,
            "id": call["id"],
            "type": "function",
            "function": {"name": call["function"]["name"], "arguments": ""},
        }
        delta: dict[str, Any] = {"tool_calls": [header]}
        if k == 0:
            delta = {"role": "assistant", "content": None, **delta}
        out.append(chunk(index, delta, {}))
        for fragment in _fragments(call["function"]["arguments"]):
            out.append(chunk(index, {"tool_calls": [{"index": k, "function": {"arguments": fragment}}]}, {}))
    return out
