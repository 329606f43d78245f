"""Helpers for the emulator tests: the hand-built operation table, URLs, SSE decoding.

The table stands in for azgate.generated._operations until codegen writes it.
"""

from __future__ import annotations

import json
from typing import Any

from azgate._core._operation import OperationSpec, ParamSpec

GA = frozenset({"2023-05-15", "2024-02-01", "2024-06-01", "2024-10-21"})
PREVIEW = frozenset({"2024-02-15-preview", "2025-03-01-preview", "2025-04-01-preview"})
ALL = GA | PREVIEW
SINCE_2024 = ALL - {"2023-05-15"}
RECENT = frozenset({"2025-03-01-preview", "2025-04-01-preview"})
API_VERSION = "2024-10-21"
USAGE_VERSION = "2025-04-01-preview"
"""The api-version used for stream_options (2024-10-21's document lacks it)."""


def _body(name: str, versions: frozenset[str] = ALL, *, required: bool = False) -> ParamSpec:
    return ParamSpec(name, "body", versions, versions if required else frozenset())


def _op(
    op_id: str,
    sdk_name: str,
    path: str,
    params: list[ParamSpec],
    model: str,
    *,
    versions: frozenset[str] = ALL,
    content_type: str = "application/json",
) -> OperationSpec:
    return OperationSpec(
        id=op_id,
        sdk_name=sdk_name,
        method="POST",
        path=path,
        v1_path=path.removeprefix("/deployments/{deployment-id}"),  # the v1 API's path, as the generator writes it
        deployment_scoped=True,
        versions=versions,
        request_content_type=content_type,
        response_content_types=("application/json",),
        params={p.name: p for p in params},
        request_model=model,
        first_version=min(versions),
    )


def hand_built_operations() -> dict[str, OperationSpec]:
    """A small stand-in for azgate.generated._operations.OPERATIONS: chat, completions,
    embeddings (with handlers), and speech and transcriptions (without)."""
    chat_fields = (
        "temperature",
        "top_p",
        "n",
        "stream",
        "stop",
        "max_tokens",
        "presence_penalty",
        "frequency_penalty",
        "logit_bias",
        "user",
        "model",
    )
    completion_fields = (
        "max_tokens",
        "temperature",
        "top_p",
        "n",
        "stream",
        "logprobs",
        "echo",
        "stop",
        "presence_penalty",
        "frequency_penalty",
        "best_of",
        "logit_bias",
        "user",
        "suffix",
        "model",
    )
    ops = [
        _op(
            "ChatCompletions_Create",
            "chat.completions.create",
            "/deployments/{deployment-id}/chat/completions",
            [
                _body("messages", required=True),
                *(_body(n) for n in chat_fields),
                *(
                    _body(n, SINCE_2024)
                    for n in ("tools", "tool_choice", "functions", "function_call", "seed", "response_format")
                ),
                _body("parallel_tool_calls", RECENT | {"2024-10-21"}),
                _body("stream_options", RECENT),
            ],
            "CreateChatCompletionRequest",
        ),
        _op(
            "Completions_Create",
            "completions.create",
            "/deployments/{deployment-id}/completions",
            [
                _body("prompt"),
                *(_body(n) for n in completion_fields),
                _body("stream_options", frozenset({USAGE_VERSION})),
            ],
            "CreateCompletionRequest",
        ),
        _op(
            "embeddings_create",
            "embeddings.create",
            "/deployments/{deployment-id}/embeddings",
            [
                _body("input", required=True),
                *(_body(n) for n in ("user", "input_type", "model")),
                *(_body(n, SINCE_2024) for n in ("encoding_format", "dimensions")),
            ],
            "EmbeddingsCreateRequest",
        ),
        _op(
            "Speech_Create",
            "audio.speech.create",
            "/deployments/{deployment-id}/audio/speech",
            [
                _body("input", PREVIEW, required=True),
                _body("voice", PREVIEW, required=True),
                *(_body(n, PREVIEW) for n in ("response_format", "speed", "model")),
            ],
            "CreateSpeechRequest",
            versions=PREVIEW,
        ),
        _op(
            "Transcriptions_Create",
            "audio.transcriptions.create",
            "/deployments/{deployment-id}/audio/transcriptions",
            [
                ParamSpec("file", "form", SINCE_2024, SINCE_2024),
                *(ParamSpec(n, "form", SINCE_2024) for n in ("prompt", "response_format", "language")),
            ],
            "CreateTranscriptionRequest",
            versions=SINCE_2024,
            content_type="multipart/form-data",
        ),
    ]
    return {op.id: op for op in ops}


def operations_under_test() -> dict[str, OperationSpec]:
    """The generated table when codegen has written it, else the hand-built one."""
    try:
        from azgate.generated._operations import OPERATIONS
    except ImportError:
        return hand_built_operations()
    return dict(OPERATIONS)


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
