"""Canned bodies in the shapes real servers send that the published documents do not
describe, served by the tests' own hostile server."""

from __future__ import annotations

from typing import Any

from hostile_server import Canned, HostileServer

LONG_NAME = "lookup_" + "x" * 293  # 300 characters; the request-side limit is 64 (or 256)

OLD_AZURE_CHAT = {
    # An older api-version: no logprobs, no choice index, no system_fingerprint, no usage.
    "id": "chatcmpl-old",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "gpt-35-turbo",
    "choices": [{"finish_reason": "stop", "message": {"role": "assistant", "content": "Hello from 2023"}}],
}

OLD_AZURE_CHUNKS = (
    # No choice index; the last chunk has a finish_reason and no delta.
    {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [{"delta": {"role": "assistant"}}]},
    {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [{"delta": {"content": "Hel"}}]},
    {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [{"delta": {"content": "lo"}}]},
    {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [{"finish_reason": "stop"}]},
)  # fmt: skip

FILTER_RESULTS = {"hate": {"filtered": False, "severity": "safe"}, "jailbreak": {"filtered": False, "detected": False}}

GATEWAY_CHAT = {
    # A gateway: extra fields everywhere, enum values the documents do not list, a long name.
    "id": "chatcmpl-gw",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "gpt-4o",
    "system_fingerprint": "fp_1",
    "x_gateway": {"region": "eu-west", "cache": "miss"},
    "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": FILTER_RESULTS}],
    "choices": [
        {
            "index": 0,
            "finish_reason": "weird",
            "logprobs": None,
            "message": {
                "role": "narrator",
                "content": "Once upon a time",
                "reasoning_content": "thinking...",
                "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": LONG_NAME, "arguments": "{}"}}
                ],
            },
        }
    ],
    "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7, "cost_usd": 0.0001},
}

AZURE_CHUNKS = (
    # Azure: the first chunk carries only the prompt's filter results.
    {"id": "", "object": "", "created": 0, "model": "", "choices": [],
     "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": FILTER_RESULTS}]},
    {"id": "c2", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o",
     "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]},
    {"id": "c2", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o",
     "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": None, "x_trace": "t1"}]},
    {"id": "c2", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o",
     "choices": [{"index": 0, "delta": {}, "finish_reason": "weird"}]},
)  # fmt: skip

USAGE_CHUNK = {
    "id": "c2",
    "object": "chat.completion.chunk",
    "created": 1,
    "model": "gpt-4o",
    "choices": [],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
}

ASSISTANT = {
    "id": "asst_1",
    "object": "assistant",
    "created_at": 1700000000,
    "name": "helper",
    "description": None,
    "model": "gpt-4o",
    "instructions": None,
    "metadata": {},
    "tools": [
        {"type": "code_interpreter"},
        {"type": "file_search", "file_search": {"max_num_results": 5}},
        {"type": "function", "function": {"name": LONG_NAME}},  # no description, no parameters
        {"type": "browser", "browser": {"allowed_domains": ["example.com"]}},  # a tool type of the future
    ],
}

RESPONSE = {
    "id": "resp_1",
    "object": "response",
    "created_at": 1700000000,
    "status": "completed",
    "error": None,
    "incomplete_details": None,
    "instructions": None,
    "model": "gpt-4o",
    "metadata": {},
    "tools": [],
    "tool_choice": "auto",
    "output": [
        {
            "type": "message",
            "id": "msg_1",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": "Hi", "annotations": []}],
        },
        {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "lookup", "arguments": "{}"},
        {"type": "mcp_call", "id": "mcp_1", "server_label": "docs", "output": "42"},  # unknown to the spec
    ],
}

ROUTES = {
    "/openai/deployments/old-azure/chat/completions": Canned(json=OLD_AZURE_CHAT, events=OLD_AZURE_CHUNKS),
    "/openai/deployments/gateway/chat/completions": Canned(json=GATEWAY_CHAT, events=AZURE_CHUNKS),
    "/openai/deployments/with-usage/chat/completions": Canned(json=GATEWAY_CHAT, events=(*AZURE_CHUNKS, USAGE_CHUNK)),
    "/openai/deployments/not-json/chat/completions": Canned(body=b'{"id": "chatcmpl-1", "choices": [', events=()),
    "/openai/deployments/deep-json/chat/completions": Canned(body=b"[" * 100_000 + b"]" * 100_000),
    "/openai/assistants/asst_1": Canned(json=ASSISTANT),
    "/openai/responses/resp_1": Canned(json=RESPONSE),
}


def settings(server: HostileServer, **more: Any) -> dict[str, Any]:
    return {"api_key": "test-key", "azure_endpoint": server.url, "api_version": "2024-10-21", **more}
