"""Helpers for the emulator tests: the hand-built operation table, URLs, SSE decoding.

The table stands in for azgate.generated._operations until codegen writes it.
"""

from __future__ import annotations

import json
from typing import Any

from azgate._operation import OperationSpec, ParamSpec

GA = frozenset({"2023-05-15", "2024-02-01", "2024-06-01", "2024-10-21"})
PREVIEW = frozenset({"2024-02-15-preview"})
ALL = GA | PREVIEW
SINCE_2024 = ALL - {"2023-05-15"}
API_VERSION = "2024-10-21"


def _body(name: str, versions: frozenset[str] = ALL, *, required: bool = False) -> ParamSpec:
    return ParamSpec(name, "body", versions, versions if required else frozenset())


def _common(op_params: list[ParamSpec]) -> dict[str, ParamSpec]:
    params = [
        ParamSpec("deployment-id", "path", ALL, ALL),
        ParamSpec("api-version", "query", ALL, ALL),
        *op_params,
    ]
    return {p.name: p for p in params}


def hand_built_operations() -> dict[str, OperationSpec]:
    """Three inference operations (plus TTS, preview-only and without a handler)."""
    chat = OperationSpec(
        id="ChatCompletions_Create",
        sdk_name="chat.completions.create",
        method="POST",
        path="/deployments/{deployment-id}/chat/completions",
        deployment_scoped=True,
        versions=ALL,
        request_content_type="application/json",
        response_content_types=("application/json",),
        params=_common(
            [
                _body("messages", required=True),
                *(
                    _body(n)
                    for n in (
                        "temperature", "top_p", "n", "stream", "stop", "max_tokens",
                        "presence_penalty", "frequency_penalty", "logit_bias", "user",
                        "functions", "function_call",
                    )
                ),
                *(
                    _body(n, SINCE_2024)
                    for n in ("tools", "tool_choice", "seed", "response_format", "data_sources")
                ),
                *(
                    _body(n, frozenset({"2024-10-21"}))
                    for n in ("stream_options", "parallel_tool_calls", "logprobs", "top_logprobs")
                ),
            ]
        ),
        request_model="createChatCompletionRequest",
        response_model="createChatCompletionResponse",
        stream_model="createChatCompletionStreamResponse",
        first_version="2023-05-15",
    )
    completions = OperationSpec(
        id="Completions_Create",
        sdk_name="completions.create",
        method="POST",
        path="/deployments/{deployment-id}/completions",
        deployment_scoped=True,
        versions=ALL,
        request_content_type="application/json",
        response_content_types=("application/json",),
        params=_common(
            [
                _body("prompt"),
                *(
                    _body(n)
                    for n in (
                        "max_tokens", "temperature", "top_p", "n", "stream", "logprobs",
                        "echo", "stop", "presence_penalty", "frequency_penalty", "best_of",
                        "logit_bias", "user", "suffix",
                    )
                ),
                _body("stream_options", frozenset({"2024-10-21"})),
            ]
        ),
        request_model="createCompletionRequest",
        response_model="createCompletionResponse",
        first_version="2023-05-15",
    )
    embeddings = OperationSpec(
        id="embeddings_create",
        sdk_name="embeddings.create",
        method="POST",
        path="/deployments/{deployment-id}/embeddings",
        deployment_scoped=True,
        versions=ALL,
        request_content_type="application/json",
        response_content_types=("application/json",),
        params=_common(
            [
                _body("input", required=True),
                _body("user"),
                _body("input_type"),
                _body("encoding_format", SINCE_2024),
                _body("dimensions", SINCE_2024),
            ]
        ),
        request_model="embeddingsRequest",
        response_model="embeddingsResponse",
        first_version="2023-05-15",
    )
    speech = OperationSpec(
        id="Speech_Create",
        sdk_name="audio.speech.create",
        method="POST",
        path="/deployments/{deployment-id}/audio/speech",
        deployment_scoped=True,
        versions=PREVIEW,
        request_content_type="multipart/form-data",
        response_content_types=("application/octet-stream",),
        params={
            "deployment-id": ParamSpec("deployment-id", "path", PREVIEW, PREVIEW),
            "api-version": ParamSpec("api-version", "query", PREVIEW, PREVIEW),
            "input": ParamSpec("input", "form", PREVIEW, PREVIEW),
            "voice": ParamSpec("voice", "form", PREVIEW, PREVIEW),
            "response_format": ParamSpec("response_format", "form", PREVIEW),
            "speed": ParamSpec("speed", "form", PREVIEW),
        },
        request_model="speechCreateRequest",
        first_version="2024-02-15-preview",
    )
    return {op.id: op for op in (chat, completions, embeddings, speech)}


def chat_url(deployment: str = "gpt-35-turbo", version: str | None = API_VERSION) -> str:
    query = f"?api-version={version}" if version is not None else ""
    return f"/openai/deployments/{deployment}/chat/completions{query}"


def url(operation_path: str, deployment: str, version: str | None = API_VERSION) -> str:
    query = f"?api-version={version}" if version is not None else ""
    return f"/openai/deployments/{deployment}/{operation_path}{query}"


def user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def sse_events(raw: str) -> list[Any]:
    """Decode an SSE body into its data payloads ("[DONE]" kept as the string)."""
    assert raw.endswith("\n\n"), "every frame ends with a blank line"
    events: list[Any] = []
    for frame in raw.split("\n\n")[:-1]:
        assert frame.startswith("data: "), frame
        data = frame[len("data: ") :]
        events.append(data if data == "[DONE]" else json.loads(data))
    return events
