"""Helpers for the telemetry tests: the OpenTelemetry SDK's in-memory exporter and metric
reader behind a Telemetry, and ways to read what they caught."""

from __future__ import annotations

from typing import Any

from azgate.telemetry import Telemetry
from azgate.testing import Emulator
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

API_VERSION = "2024-10-21"
OPENAI_KEY = "sk-openai-emulated-telemetry"
DEPLOYMENTS = {"gpt-4": "gpt-4", "gpt-4o": "gpt-4o", "text-embedding-ada-002": "text-embedding-ada-002"}
MESSAGES = [{"role": "user", "content": "Hi"}]


class Recorder:
    """Spans and metrics of the clients built with `recorder.telemetry`."""

    def __init__(self, capture_content: bool | None = None) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.telemetry = Telemetry(
            tracer_provider=self.tracer_provider, meter_provider=self.meter_provider, capture_content=capture_content
        )

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def named(self, name: str) -> list[ReadableSpan]:
        return [s for s in self.spans() if s.name == name]

    def one(self, name: str) -> ReadableSpan:
        (span,) = self.named(name)
        return span

    def children(self, parent: ReadableSpan) -> list[ReadableSpan]:
        """Direct children, in the order they started."""
        found = [s for s in self.spans() if s.parent is not None and s.parent.span_id == parent.context.span_id]
        return sorted(found, key=lambda s: s.start_time or 0)

    def points(self, metric: str) -> list[Any]:
        """The data points of one metric (histograms: .attributes, .count, .sum)."""
        data = self.reader.get_metrics_data()
        if data is None:
            return []
        return [
            point
            for resource in data.resource_metrics
            for scope in resource.scope_metrics
            for m in scope.metrics
            if m.name == metric
            for point in m.data.data_points
        ]

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()


def azure_target(emulator: Emulator, **extra: Any) -> dict[str, Any]:
    return {"api_key": emulator.api_key, "azure_endpoint": emulator.endpoint, "api_version": API_VERSION, **extra}


def openai_target(emulator: Emulator, **extra: Any) -> dict[str, Any]:
    return {"provider": "openai", "api_key": OPENAI_KEY, "base_url": emulator.endpoint + "/openai/v1", **extra}
