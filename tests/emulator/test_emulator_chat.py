"""Chat completions: Azure's shape, deterministic content, n, tools, streaming."""

from __future__ import annotations

import json
from typing import Any

import httpx
from emulator_support import USAGE_VERSION, chat_url, sse_events, user

SAFE = {"filtered": False, "severity": "safe"}
TOOLS = [
    {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}},
    {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}},
]


def _chat(http: httpx.Client, **body: Any) -> dict[str, Any]:
    r = http.post(chat_url(), json=body)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def test_answer_echoes_the_last_user_message(http: httpx.Client) -> None:
    messages = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "hello there"},
    ]
    data = _chat(http, messages=messages)
    assert data["object"] == "chat.completion"
    assert data["id"].startswith("chatcmpl-")
    assert data["model"] == "gpt-35-turbo"
    assert data["system_fingerprint"].startswith("fp_")
    assert isinstance(data["created"], int)
    [choice] = data["choices"]
    assert choice["message"] == {"role": "assistant", "content": "You said: hello there"}
    assert choice["finish_reason"] == "stop"
    assert choice["logprobs"] is None
    for category in ("hate", "self_harm", "sexual", "violence"):
        assert choice["content_filter_results"][category] == SAFE
    [prompt] = data["prompt_filter_results"]
    assert prompt["prompt_index"] == 0
    assert prompt["content_filter_results"]["jailbreak"] == {"filtered": False, "detected": False}
    # words: "be brief" + "hello there" = 4; "You said: hello there" = 4
    assert data["usage"] == {"prompt_tokens": 4, "completion_tokens": 4, "total_tokens": 8}


def test_content_parts_are_read(http: httpx.Client) -> None:
    parts = [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]
    data = _chat(http, messages=[{"role": "user", "content": parts}])
    assert data["choices"][0]["message"]["content"] == "You said: look"


def test_ids_differ_between_calls(http: httpx.Client) -> None:
    assert _chat(http, messages=user("a"))["id"] != _chat(http, messages=user("a"))["id"]


def test_n_choices(http: httpx.Client) -> None:
    data = _chat(http, messages=user("hi"), n=3)
    assert [c["index"] for c in data["choices"]] == [0, 1, 2]
    assert data["usage"]["completion_tokens"] == 3 * 3


def test_max_tokens_cuts_with_finish_reason_length(http: httpx.Client) -> None:
    data = _chat(http, messages=user("one two three four"), max_tokens=3)
    assert data["choices"][0]["message"]["content"] == "You said: one"
    assert data["choices"][0]["finish_reason"] == "length"


def test_tools_call_the_first_tool_with_the_user_text(http: httpx.Client) -> None:
    data = _chat(http, messages=user("weather in Oslo"), tools=TOOLS)
    [choice] = data["choices"]
    assert choice["finish_reason"] == "tool_calls"
    message = choice["message"]
    assert message["content"] is None
    [call] = message["tool_calls"]
    assert call["id"].startswith("call_") and call["type"] == "function"
    assert call["function"]["name"] == "get_weather"
    assert json.loads(call["function"]["arguments"]) == {"query": "weather in Oslo"}


def test_tool_choice_names_the_tool(http: httpx.Client) -> None:
    choice = {"type": "function", "function": {"name": "get_time"}}
    data = _chat(http, messages=user("now?"), tools=TOOLS, tool_choice=choice)
    assert data["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "get_time"


def test_tool_choice_none_answers_in_text(http: httpx.Client) -> None:
    data = _chat(http, messages=user("now?"), tools=TOOLS, tool_choice="none")
    assert data["choices"][0]["message"]["content"] == "You said: now?"


def test_parallel_tool_calls_call_every_tool(http: httpx.Client) -> None:
    data = _chat(http, messages=user("both"), tools=TOOLS, parallel_tool_calls=True)
    calls = data["choices"][0]["message"]["tool_calls"]
    assert [c["function"]["name"] for c in calls] == ["get_weather", "get_time"]
    assert len({c["id"] for c in calls}) == 2


def test_tool_result_is_answered_in_text(http: httpx.Client) -> None:
    first = _chat(http, messages=user("weather in Oslo"), tools=TOOLS)
    assistant = first["choices"][0]["message"]
    call_id = assistant["tool_calls"][0]["id"]
    messages = [
        *user("weather in Oslo"),
        assistant,
        {"role": "tool", "tool_call_id": call_id, "content": "12 C and rain"},
    ]
    data = _chat(http, messages=messages, tools=TOOLS)
    choice = data["choices"][0]
    assert choice["finish_reason"] == "stop"
    assert choice["message"]["content"] == "The get_weather tool returned: 12 C and rain"


def test_legacy_functions(http: httpx.Client) -> None:
    functions = [{"name": "lookup", "parameters": {"type": "object"}}]
    data = _chat(http, messages=user("find it"), functions=functions)
    choice = data["choices"][0]
    assert choice["finish_reason"] == "function_call"
    assert choice["message"]["function_call"]["name"] == "lookup"


# -- streaming -----------------------------------------------------------------------


def _stream(http: httpx.Client, **body: Any) -> tuple[httpx.Response, list[Any]]:
    version = USAGE_VERSION if "stream_options" in body else "2024-10-21"
    r = http.post(chat_url(version=version), json={**body, "stream": True})
    assert r.status_code == 200, r.text
    return r, sse_events(r.text)


def test_stream_framing(http: httpx.Client) -> None:
    r, events = _stream(http, messages=user("hello stream world"))
    assert r.headers["content-type"].startswith("text/event-stream")
    assert "apim-request-id" in r.headers
    first, *chunks, done = events
    assert done == "[DONE]"
    # Azure's first chunk: no choices, empty model, the prompt's filter results.
    assert first["choices"] == [] and first["model"] == "" and first["id"] == ""
    assert first["prompt_filter_results"][0]["prompt_index"] == 0
    role, *content, last = chunks
    assert role["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1 and chunks[0]["id"].startswith("chatcmpl-")
    assert all(c["model"] == "gpt-35-turbo" for c in chunks)
    assert len(content) == 5  # "You", " said:", " hello", " stream", " world"
    for chunk in content:
        choice = chunk["choices"][0]
        assert choice["finish_reason"] is None
        assert choice["content_filter_results"]["hate"] == SAFE
    text = "".join(c["choices"][0]["delta"]["content"] for c in content)
    assert text == "You said: hello stream world"
    assert last["choices"][0]["delta"] == {}
    assert last["choices"][0]["finish_reason"] == "stop"
    assert "usage" not in last


def test_stream_include_usage_ends_with_a_usage_chunk(http: httpx.Client) -> None:
    _, events = _stream(http, messages=user("count me"), stream_options={"include_usage": True})
    *_, usage_chunk, done = events
    assert done == "[DONE]"
    assert usage_chunk["choices"] == []
    assert usage_chunk["usage"] == {"prompt_tokens": 2, "completion_tokens": 4, "total_tokens": 6}
    assert all(e["usage"] is None for e in events[1:-2])


def test_stream_with_n_streams_each_choice(http: httpx.Client) -> None:
    _, events = _stream(http, messages=user("x"), n=2)
    finals = [e["choices"][0] for e in events[1:-1] if e["choices"][0]["finish_reason"]]
    assert [f["index"] for f in finals] == [0, 1]


def test_stream_tool_calls_arrive_in_fragments(http: httpx.Client) -> None:
    _, events = _stream(http, messages=user("weather in Oslo"), tools=TOOLS, parallel_tool_calls=True)
    deltas = [e["choices"][0]["delta"] for e in events[1:-2]]
    head = deltas[0]
    assert head["role"] == "assistant" and head["content"] is None
    assert head["tool_calls"][0]["id"].startswith("call_")
    assert head["tool_calls"][0]["function"] == {"name": "get_weather", "arguments": ""}
    calls: dict[int, dict[str, str]] = {}
    for delta in deltas:
        for part in delta.get("tool_calls", []):
            call = calls.setdefault(part["index"], {"name": "", "arguments": ""})
            call["name"] += part.get("function", {}).get("name", "")
            call["arguments"] += part.get("function", {}).get("arguments", "")
    assert [c["name"] for c in calls.values()] == ["get_weather", "get_time"]
    for call in calls.values():
        assert json.loads(call["arguments"]) == {"query": "weather in Oslo"}
    assert sum(len(d.get("tool_calls", [])) for d in deltas) > 4, "arguments are split"
    assert events[-2]["choices"][0]["finish_reason"] == "tool_calls"


def test_stream_bytes_flow_frame_by_frame(http: httpx.Client) -> None:
    with http.stream("POST", chat_url(), json={"messages": user("a b c d"), "stream": True}) as r:
        lines = [line for line in r.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    assert len(lines) == 1 + 1 + 6 + 1 + 1  # preamble, role, 6 words, finish, [DONE]
