"""Spans and metrics, after OpenTelemetry's GenAI semantic conventions.

One call is one span, `{gen_ai.operation.name} {gen_ai.request.model}` of kind CLIENT (an
operation the conventions do not name, such as `files.create`, gets a span named after the
method, without GenAI attributes or metrics). Under it: a span per routing target tried
(`route {target}`, INTERNAL) for a routed client, and a span per HTTP attempt (`POST`,
CLIENT, HTTP conventions; retries carry `http.request.resend_count`). A stream's span ends
with the stream (its end, an error, `close()`, or being dropped), with the id, model,
finish reasons and usage its events reported. The call records `gen_ai.client.operation.duration`
and `gen_ai.client.token.usage` as it ends.

The only module that imports OpenTelemetry (the API package; an SDK is the application's).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import httpx
from opentelemetry import context, metrics, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from .._core._operation import OperationSpec
from .._core._response import APIResponse
from .._core._streaming import AsyncStream, Stream
from .._core._transport import classify
from .._routing._info import RouteInfo
from .._version import __version__
from ._genai import (
    OPERATION_NAMES,
    AttributeValue,
    StreamSummary,
    input_messages,
    output_messages,
    request_attributes,
    result_attributes,
)
from ._hooks import ALWAYS_SECRET, masked_url

__all__ = [
    "CallSpan",
    "Instruments",
    "Server",
    "end_attempt",
    "end_target",
    "server_of",
    "start_attempt",
    "start_target",
]

Server = Mapping[str, AttributeValue]
"""`server.address` and `server.port` of a client's endpoint (empty for a routed client)."""

_CALL = context.create_key("azgate.call")
"""Where the call's CallSpan sits in OpenTelemetry's context while the call runs, so the
attempts and routing targets under it find it (concurrent calls each have their own)."""

_TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864]
_DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]
_METRIC_KEYS = (
    "gen_ai.operation.name",
    "gen_ai.provider.name",
    "gen_ai.request.model",
    "server.address",
    "server.port",
)
_MAX_DESCRIPTION = 500


class Instruments:
    """A tracer and the two GenAI client histograms, made once per Telemetry."""

    def __init__(self, tracer_provider: Any, meter_provider: Any, capture_content: bool) -> None:
        self.tracer = trace.get_tracer("azgate", __version__, tracer_provider)
        meter = metrics.get_meter("azgate", __version__, meter_provider)
        self.duration = meter.create_histogram(
            "gen_ai.client.operation.duration",
            unit="s",
            description="GenAI operation duration.",
            explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
        )
        self.tokens = meter.create_histogram(
            "gen_ai.client.token.usage",
            unit="{token}",
            description="Number of input and output tokens used.",
            explicit_bucket_boundaries_advisory=_TOKEN_BUCKETS,
        )
        self.capture_content = capture_content


def server_of(base_url: str) -> dict[str, AttributeValue]:
    if not base_url:
        return {}
    url = httpx.URL(base_url)
    return {"server.address": url.host, "server.port": url.port or (443 if url.scheme == "https" else 80)}


def _error_type(error: BaseException) -> str:
    return type(error).__name__


def _description(error: BaseException) -> str:
    text = str(error)  # azgate's messages never quote a secret
    return text if len(text) <= _MAX_DESCRIPTION else text[:_MAX_DESCRIPTION] + "..."


class CallSpan:
    """One call's span and metrics, from the call to its result (or a stream's end)."""

    __slots__ = ("attempts", "ended", "instruments", "metric_attributes", "operation", "span", "started", "summary",
                 "waiting")  # fmt: skip

    def __init__(
        self,
        instruments: Instruments,
        op: OperationSpec,
        body: Mapping[str, object] | None,
        stream: bool,
        provider: str,
        deployment: str | None,
        server: Server,
    ) -> None:
        self.instruments = instruments
        self.operation = OPERATION_NAMES.get(op.sdk_name)
        self.attempts = 0
        self.ended = False
        self.summary: StreamSummary | None = None
        self.waiting = True
        """A stream's first event has not come yet."""
        attributes: dict[str, AttributeValue] = {"azgate.operation": op.sdk_name, **server}
        if self.operation is None:
            name = op.sdk_name
            self.metric_attributes: dict[str, AttributeValue] = {}
        else:
            given = body.get("model") if body else None
            model = given if isinstance(given, str) and given else deployment
            attributes["gen_ai.operation.name"] = self.operation
            attributes["gen_ai.provider.name"] = provider
            if model:
                attributes["gen_ai.request.model"] = model
            called = deployment or model  # what the URL (or, with v1, the body) names
            if provider == "azure.ai.openai" and called:
                attributes["azgate.deployment"] = called
            attributes.update(request_attributes(body, stream))
            if instruments.capture_content:
                messages = input_messages(self.operation, body)
                if messages is not None:
                    attributes["gen_ai.input.messages"] = messages
            name = f"{self.operation} {model}" if model else self.operation
            self.metric_attributes = {k: attributes[k] for k in _METRIC_KEYS if k in attributes}
        self.span: Span = instruments.tracer.start_span(name, kind=SpanKind.CLIENT, attributes=attributes)
        self.started = time.monotonic()

    # -- while the call runs ------------------------------------------------------

    def enter(self) -> object:
        return context.attach(context.set_value(_CALL, self, trace.set_span_in_context(self.span)))

    @staticmethod
    def leave(token: object) -> None:
        context.detach(token)  # type: ignore[arg-type]

    def served_by(self, provider: str, server: Server) -> None:
        """A routing target is being tried: the call's provider and server are its own (the
        last one tried is the one that answered, or failed last)."""
        changes: dict[str, AttributeValue] = dict(server)
        if self.operation is not None:
            changes["gen_ai.provider.name"] = provider
            self.metric_attributes.update(changes)
        self.span.set_attributes(changes)

    # -- the outcome --------------------------------------------------------------

    def failed(self, error: BaseException) -> None:
        self._route(getattr(error, "_route", None))
        self._end(error, None)

    def succeeded(self, result: Any) -> Any:
        """Record a call's result and end its span; a stream's span ends with the stream."""
        self._route(getattr(result, "_route", None))
        if isinstance(result, APIResponse):  # with_raw_response: its parse() is cached, so this is not extra work
            try:
                parsed = result.parse()
            except Exception:  # the caller meets it when they parse; the call itself succeeded
                parsed = None
            if isinstance(parsed, (Stream, AsyncStream)):
                self._watch(parsed)
            else:
                self._end(None, parsed)
            return result
        if isinstance(result, (Stream, AsyncStream)):
            self._watch(result)
            return result
        self._end(None, result)  # a model, text, bytes, or a streamed response's headers
        return result

    def _route(self, info: object) -> None:
        if isinstance(info, RouteInfo):
            attributes: dict[str, AttributeValue] = {
                "azgate.route.target": info.target,
                "azgate.route.attempts": info.attempts,
            }
            if info.cache is not None:
                attributes["azgate.route.cache"] = info.cache
            self.span.set_attributes(attributes)

    def _watch(self, stream: Stream[Any] | AsyncStream[Any]) -> None:
        self.summary = StreamSummary(content=self.instruments.capture_content and self.operation is not None)
        if isinstance(stream, Stream):
            stream._iterator = _ObservedStream(stream._iterator, self)  # type: ignore[assignment]
        else:
            stream._iterator = _AsyncObservedStream(stream._iterator, self)  # type: ignore[assignment]

    def chunk(self, event: object) -> None:
        summary = self.summary
        assert summary is not None
        if self.waiting:
            self.waiting = False
            if self.operation is not None:
                self.span.set_attribute("gen_ai.response.time_to_first_chunk", time.monotonic() - self.started)
        summary.add(event)

    def stream_ended(self, error: BaseException | None) -> None:
        self._end(error, None)

    def _end(self, error: BaseException | None, result: object) -> None:
        if self.ended:
            return
        self.ended = True
        span = self.span
        inputs = outputs = None
        response_model = None
        if self.operation is not None:
            attributes: dict[str, AttributeValue] = {}
            if self.summary is not None:
                attributes = self.summary.attributes()
                if self.summary.content and self.summary.choices:
                    attributes["gen_ai.output.messages"] = self.summary.output_messages()
            elif result is not None:
                attributes = result_attributes(result)
                if self.instruments.capture_content:
                    messages = output_messages(result)
                    if messages is not None:
                        attributes["gen_ai.output.messages"] = messages
            span.set_attributes(attributes)
            inputs = attributes.get("gen_ai.usage.input_tokens")
            outputs = attributes.get("gen_ai.usage.output_tokens")
            response_model = attributes.get("gen_ai.response.model")
        if error is not None:
            span.set_attribute("error.type", _error_type(error))
            span.set_status(Status(StatusCode.ERROR, _description(error)))
        span.end()
        if self.operation is not None:
            self._record(error, response_model, inputs, outputs)

    def _record(self, error: BaseException | None, response_model: object, inputs: object, outputs: object) -> None:
        attributes = dict(self.metric_attributes)
        if isinstance(response_model, str):
            attributes["gen_ai.response.model"] = response_model
        instruments = self.instruments
        duration = time.monotonic() - self.started
        if error is None:
            instruments.duration.record(duration, attributes)
        else:
            instruments.duration.record(duration, {**attributes, "error.type": _error_type(error)})
        if isinstance(inputs, int):
            instruments.tokens.record(inputs, {**attributes, "gen_ai.token.type": "input"})
        if isinstance(outputs, int):
            instruments.tokens.record(outputs, {**attributes, "gen_ai.token.type": "output"})


class _ObservedStream:
    """A stream's iterator that tells its CallSpan what passes and when it ends. Holds no
    reference to the Stream (see azgate._core._streaming on why nothing may)."""

    __slots__ = ("_call", "_inner")

    def __init__(self, inner: Iterator[Any], call: CallSpan) -> None:
        self._inner = inner
        self._call = call

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        try:
            event = next(self._inner)
        except StopIteration:
            self._call.stream_ended(None)
            raise
        except BaseException as exc:
            self._call.stream_ended(exc)
            raise
        self._call.chunk(event)
        return event

    def close(self) -> None:
        try:
            close = getattr(self._inner, "close", None)
            if close is not None:
                close()
        finally:
            self._call.stream_ended(None)  # closed early: the span says what was read

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # a finalizer must not raise (interpreter shutdown)
            self._call.stream_ended(None)  # dropped unfinished (or never read)


class _AsyncObservedStream:
    __slots__ = ("_call", "_inner")

    def __init__(self, inner: AsyncIterator[Any], call: CallSpan) -> None:
        self._inner = inner
        self._call = call

    def __aiter__(self) -> AsyncIterator[Any]:
        return self

    async def __anext__(self) -> Any:
        try:
            event = await self._inner.__anext__()
        except StopAsyncIteration:
            self._call.stream_ended(None)
            raise
        except BaseException as exc:
            self._call.stream_ended(exc)
            raise
        self._call.chunk(event)
        return event

    async def aclose(self) -> None:
        try:
            aclose = getattr(self._inner, "aclose", None)
            if aclose is not None:
                await aclose()
        finally:
            self._call.stream_ended(None)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._call.stream_ended(None)


def start_target(
    instruments: Instruments, label: str, path: str, provider: str, server: Server, model: object
) -> tuple[Span, object]:
    """A routing target's span, made current (its attempts nest under it); the call it
    belongs to learns which provider and server it is now talking to."""
    call = context.get_value(_CALL)
    if isinstance(call, CallSpan):
        call.served_by(provider, server)
    attributes: dict[str, AttributeValue] = {"azgate.route.target": label, "azgate.route.path": path, **server}
    attributes["gen_ai.provider.name"] = provider
    if isinstance(model, str) and model:
        attributes["gen_ai.request.model"] = model
    span = instruments.tracer.start_span(f"route {label}", kind=SpanKind.INTERNAL, attributes=attributes)
    return span, context.attach(trace.set_span_in_context(span))


def end_target(span: Span, token: object, error: BaseException | None) -> None:
    context.detach(token)  # type: ignore[arg-type]
    if error is not None:
        span.set_attribute("error.type", _error_type(error))
        span.set_status(Status(StatusCode.ERROR, _description(error)))
    span.end()


def start_attempt(instruments: Instruments, request: httpx.Request) -> tuple[Span, object]:
    """One HTTP attempt's span (HTTP client conventions), made current while it runs."""
    call = context.get_value(_CALL)
    resend = 0
    if isinstance(call, CallSpan):
        resend = call.attempts
        call.attempts += 1
    url = request.url
    attributes: dict[str, AttributeValue] = {
        "http.request.method": request.method,
        "server.address": url.host,
        "server.port": url.port or (443 if url.scheme == "https" else 80),
        "url.full": str(masked_url(url, ALWAYS_SECRET)),
    }
    if resend:
        attributes["http.request.resend_count"] = resend
    span = instruments.tracer.start_span(request.method, kind=SpanKind.CLIENT, attributes=attributes)
    return span, context.attach(trace.set_span_in_context(span))


def end_attempt(
    span: Span, token: object, request: httpx.Request, response: httpx.Response | None, error: BaseException | None
) -> None:
    context.detach(token)  # type: ignore[arg-type]
    if response is not None:
        status = response.status_code
        span.set_attribute("http.response.status_code", status)
        if status >= 400:
            span.set_attribute("error.type", str(status))
            span.set_status(Status(StatusCode.ERROR))
    elif error is not None:
        failure = classify(request, error) if isinstance(error, httpx.HTTPError) else None
        kind = type(failure.error).__name__ if failure is not None else _error_type(error)
        span.set_attribute("error.type", kind)
        span.set_status(Status(StatusCode.ERROR, kind))
    span.end()
