"""What OpenTelemetry's GenAI semantic conventions say about one call, read from its request
body and its result. Pure functions over plain values and the generated models (read by
attribute name, so a response with fields missing or extra still reads); no OpenTelemetry
import here.

Attribute values are what OpenTelemetry accepts: str, bool, int, float, or a list of one of
them. Message content (`gen_ai.input.messages`, `gen_ai.output.messages`) is JSON text, as
the conventions allow on spans, and is only ever built when the user opted in to content.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Union

from .._core._types import NotGiven

__all__ = [
    "OPERATION_NAMES",
    "PROVIDER_NAMES",
    "AttributeValue",
    "StreamSummary",
    "input_messages",
    "output_messages",
    "request_attributes",
    "result_attributes",
    "usage_of",
]

AttributeValue = Union[str, bool, int, float, Sequence[str], Sequence[int], Sequence[float]]

OPERATION_NAMES: Mapping[str, str] = {
    "chat.completions.create": "chat",
    "extensions.chat.completions.create": "chat",
    "responses.create": "chat",
    "completions.create": "text_completion",
    "embeddings.create": "embeddings",
}
"""`gen_ai.operation.name` of the operations the conventions name, by SDK method. Other
operations (files, batches, images, audio, ...) get a span named after the method, without
GenAI attributes or metrics."""

PROVIDER_NAMES: Mapping[str, str] = {"azure-openai": "azure.ai.openai", "openai": "openai"}
"""`gen_ai.provider.name` by the client's `provider` setting."""

_DOUBLES = {
    "temperature": "gen_ai.request.temperature",
    "top_p": "gen_ai.request.top_p",
    "frequency_penalty": "gen_ai.request.frequency_penalty",
    "presence_penalty": "gen_ai.request.presence_penalty",
}
_INTS = {
    "max_tokens": "gen_ai.request.max_tokens",
    "max_completion_tokens": "gen_ai.request.max_tokens",
    "max_output_tokens": "gen_ai.request.max_tokens",  # the Responses API's name
    "seed": "gen_ai.request.seed",
    "dimensions": "gen_ai.embeddings.dimension.count",
}
_OUTPUT_TYPES = {"json_object": "json", "json_schema": "json", "text": "text"}


def _given(value: object) -> bool:
    return value is not None and not isinstance(value, NotGiven)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def request_attributes(body: Mapping[str, object] | None, stream: bool) -> dict[str, AttributeValue]:
    """The `gen_ai.request.*` attributes of a call's body (the model is the caller's to add:
    it may come from the client's deployment instead). A value of the wrong type is left out:
    telemetry never fails a call."""
    attributes: dict[str, AttributeValue] = {}
    if stream:
        attributes["gen_ai.request.stream"] = True
    if not body:
        return attributes
    for key, value in body.items():
        if not _given(value):
            continue
        if key in _DOUBLES:
            if _number(value):
                attributes[_DOUBLES[key]] = float(value)  # type: ignore[arg-type]
        elif key in _INTS:
            if isinstance(value, int) and not isinstance(value, bool):
                attributes[_INTS[key]] = value
        elif key == "n":
            if isinstance(value, int) and not isinstance(value, bool) and value != 1:
                attributes["gen_ai.request.choice.count"] = value
        elif key == "stop":
            stops = [value] if isinstance(value, str) else value
            if isinstance(stops, (list, tuple)) and all(isinstance(s, str) for s in stops):
                attributes["gen_ai.request.stop_sequences"] = list(stops)
        elif key == "response_format":
            kind = _get(value, "type")
            if isinstance(kind, str) and kind in _OUTPUT_TYPES:
                attributes["gen_ai.output.type"] = _OUTPUT_TYPES[kind]
        elif key == "encoding_format" and isinstance(value, str):
            attributes["gen_ai.request.encoding_formats"] = [value]
    return attributes


def _get(value: object, name: str) -> Any:
    """A field of a dict (what users pass) or of a model (what comes back)."""
    if isinstance(value, Mapping):
        return value.get(name)
    return getattr(value, name, None)


def usage_of(result: object) -> tuple[int | None, int | None]:
    """(input tokens, output tokens) a result reports: chat and completions say prompt_tokens /
    completion_tokens, the Responses API input_tokens / output_tokens, embeddings only the input."""
    usage = _get(result, "usage")
    if usage is None:
        return None, None
    inputs = _get(usage, "prompt_tokens")
    if inputs is None:
        inputs = _get(usage, "input_tokens")
    outputs = _get(usage, "completion_tokens")
    if outputs is None:
        outputs = _get(usage, "output_tokens")
    return (inputs if _count(inputs) else None), (outputs if _count(outputs) else None)


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def result_attributes(result: object) -> dict[str, AttributeValue]:
    """The `gen_ai.response.*` and `gen_ai.usage.*` attributes of a finished result."""
    attributes: dict[str, AttributeValue] = {}
    response_id = _get(result, "id")
    if isinstance(response_id, str) and response_id:
        attributes["gen_ai.response.id"] = response_id
    model = _get(result, "model")
    if isinstance(model, str) and model:
        attributes["gen_ai.response.model"] = model
    choices = _get(result, "choices")
    if isinstance(choices, list):
        reasons = [r for r in (_get(c, "finish_reason") for c in choices) if isinstance(r, str)]
        if reasons:
            attributes["gen_ai.response.finish_reasons"] = reasons
    inputs, outputs = usage_of(result)
    if inputs is not None:
        attributes["gen_ai.usage.input_tokens"] = inputs
    if outputs is not None:
        attributes["gen_ai.usage.output_tokens"] = outputs
    usage = _get(result, "usage")
    if usage is not None:
        cached = _get(_get(usage, "prompt_tokens_details") or _get(usage, "input_tokens_details"), "cached_tokens")
        if _count(cached):
            attributes["gen_ai.usage.cache_read.input_tokens"] = cached
        details = _get(usage, "completion_tokens_details") or _get(usage, "output_tokens_details")
        reasoning = _get(details, "reasoning_tokens")
        if _count(reasoning):
            attributes["gen_ai.usage.reasoning.output_tokens"] = reasoning
    return attributes


class StreamSummary:
    """What a stream's events said, gathered as they pass: the first id and model, each
    choice's finish reason, the usage (the last chunk of `include_usage`), and, only when
    content is captured, each choice's text and tool calls."""

    __slots__ = ("choices", "content", "finish_reasons", "model", "response_id", "usage")

    def __init__(self, content: bool) -> None:
        self.response_id: str | None = None
        self.model: str | None = None
        self.finish_reasons: dict[int, str] = {}
        self.usage: object = None
        self.content = content
        self.choices: dict[int, dict[str, Any]] = {}

    def add(self, event: object) -> None:
        snapshot = _get(event, "response")  # Responses API: response.completed and its kin carry the whole response
        if snapshot is not None and _get(snapshot, "id") is not None:
            self._snapshot(snapshot)
            return
        if self.response_id is None:
            response_id = _get(event, "id")
            if isinstance(response_id, str) and response_id:
                self.response_id = response_id
        if self.model is None:
            model = _get(event, "model")
            if isinstance(model, str) and model:
                self.model = model
        choices = _get(event, "choices")
        if choices:
            for position, choice in enumerate(choices):
                index = _get(choice, "index")
                index = index if isinstance(index, int) else position
                reason = _get(choice, "finish_reason")
                if isinstance(reason, str):
                    self.finish_reasons[index] = reason
                if self.content:
                    self._gather(index, choice)
        usage = _get(event, "usage")
        if usage is not None:
            self.usage = event

    def _snapshot(self, response: object) -> None:
        response_id, model = _get(response, "id"), _get(response, "model")
        self.response_id = response_id if isinstance(response_id, str) else self.response_id
        self.model = model if isinstance(model, str) else self.model
        if _get(response, "usage") is not None:
            self.usage = response

    def _gather(self, index: int, choice: object) -> None:
        gathered = self.choices.setdefault(index, {"text": [], "tool_calls": {}})
        delta = _get(choice, "delta")
        text = _get(delta, "content") if delta is not None else _get(choice, "text")
        if isinstance(text, str):
            gathered["text"].append(text)
        for call in _get(delta, "tool_calls") or () if delta is not None else ():
            slot = gathered["tool_calls"].setdefault(
                _get(call, "index") or 0, {"id": None, "name": "", "arguments": ""}
            )
            slot["id"] = _get(call, "id") or slot["id"]
            function = _get(call, "function")
            slot["name"] += _get(function, "name") or ""
            slot["arguments"] += _get(function, "arguments") or ""

    def attributes(self) -> dict[str, AttributeValue]:
        attributes: dict[str, AttributeValue] = {}
        if self.response_id:
            attributes["gen_ai.response.id"] = self.response_id
        if self.model:
            attributes["gen_ai.response.model"] = self.model
        if self.finish_reasons:
            attributes["gen_ai.response.finish_reasons"] = [self.finish_reasons[i] for i in sorted(self.finish_reasons)]
        if self.usage is not None:
            usage = result_attributes(self.usage)
            for key in ("gen_ai.response.id", "gen_ai.response.model", "gen_ai.response.finish_reasons"):
                usage.pop(key, None)
            attributes.update(usage)
        return attributes

    def output_messages(self) -> str:
        messages = []
        for index in sorted(self.choices):
            gathered = self.choices[index]
            parts: list[dict[str, Any]] = []
            if gathered["text"]:
                parts.append({"type": "text", "content": "".join(gathered["text"])})
            for _, call in sorted(gathered["tool_calls"].items()):
                parts.append(
                    {"type": "tool_call", "id": call["id"], "name": call["name"], "arguments": call["arguments"]}
                )
            messages.append({"role": "assistant", "parts": parts, "finish_reason": self.finish_reasons.get(index, "")})
        return _json(messages)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _plain(value: object) -> Any:
    """A model as the dict the user would have passed."""
    dump = getattr(value, "model_dump", None)
    return dump(exclude_none=True) if callable(dump) else value


def _parts(content: object) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [{"type": "text", "content": content}]
    parts: list[dict[str, Any]] = []
    if isinstance(content, list):
        for part in content:
            part = _plain(part)
            kind = _get(part, "type")
            if kind in ("text", "input_text", "output_text") and isinstance(_get(part, "text"), str):
                parts.append({"type": "text", "content": _get(part, "text")})
            else:
                parts.append({"type": str(kind)})  # images and audio: their kind, never their bytes
    return parts


def input_messages(operation: str, body: Mapping[str, object] | None) -> str | None:
    """`gen_ai.input.messages` (JSON) for a chat or completions body; None when there is none."""
    if not body:
        return None
    messages: list[dict[str, Any]] = []
    given = body.get("messages")
    if operation == "chat" and isinstance(given, list):
        for message in given:
            message = _plain(message)
            role = _get(message, "role")
            if role == "tool":
                part = {"type": "tool_call_response", "id": _get(message, "tool_call_id")}
                messages.append({"role": role, "parts": [{**part, "response": _get(message, "content")}]})
                continue
            parts = _parts(_get(message, "content"))
            for call in _get(message, "tool_calls") or ():
                function = _get(call, "function")
                parts.append(
                    {
                        "type": "tool_call",
                        "id": _get(call, "id"),
                        "name": _get(function, "name"),
                        "arguments": _get(function, "arguments"),
                    }
                )
            messages.append({"role": role, "parts": parts})
    elif operation == "chat" and _given(body.get("input")):  # the Responses API
        given = body["input"]
        items = [{"role": "user", "content": given}] if isinstance(given, str) else given
        for item in items if isinstance(items, list) else ():
            item = _plain(item)
            if _get(item, "role") is not None:
                messages.append({"role": _get(item, "role"), "parts": _parts(_get(item, "content"))})
    elif operation == "text_completion" and _given(body.get("prompt")):
        prompt = body["prompt"]
        prompts = [prompt] if isinstance(prompt, str) else prompt
        for text in prompts if isinstance(prompts, list) else ():
            if isinstance(text, str):
                messages.append({"role": "user", "parts": [{"type": "text", "content": text}]})
    return _json(messages) if messages else None


def output_messages(result: object) -> str | None:
    """`gen_ai.output.messages` (JSON) of a finished chat or completions result."""
    choices = _get(result, "choices")
    messages: list[dict[str, Any]] = []
    if isinstance(choices, list):
        for choice in choices:
            message = _get(choice, "message")
            if message is not None:
                parts = _parts(_get(message, "content"))
                for call in _get(message, "tool_calls") or ():
                    function = _get(call, "function")
                    parts.append(
                        {
                            "type": "tool_call",
                            "id": _get(call, "id"),
                            "name": _get(function, "name"),
                            "arguments": _get(function, "arguments"),
                        }
                    )
            else:
                parts = _parts(_get(choice, "text"))
            messages.append({"role": "assistant", "parts": parts, "finish_reason": _get(choice, "finish_reason") or ""})
    else:
        text = _get(result, "output_text")  # the Responses API
        if isinstance(text, str):
            messages.append({"role": "assistant", "parts": [{"type": "text", "content": text}]})
    return _json(messages) if messages else None
