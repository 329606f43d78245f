"""azgate's spans against what we did not write: OpenTelemetry's own OpenAI instrumentation
(opentelemetry-instrumentation-openai-v2, latest GenAI conventions) on openai-python's
AzureOpenAI, making the same calls to the same emulator. Where that instrumentation records
an attribute, azgate records the same value.

Known, deliberate differences: it names every OpenAI-compatible service `openai`, where the
conventions' registry has `azure.ai.openai` for Azure OpenAI (azgate's choice); it adds
`openai.*` attributes, which the conventions reserve for the `openai` provider.

Run in a subprocess: the instrumentation patches openai-python for the whole process and
reads OTEL_SEMCONV_STABILITY_OPT_IN once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import Any

from azgate.testing import Emulator

SCRIPT = textwrap.dedent(
    """
    import json, sys
    import openai
    from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    import azgate
    from azgate.telemetry import Telemetry

    endpoint, key = sys.argv[1], sys.argv[2]

    def recording():
        exporter, reader = InMemorySpanExporter(), InMemoryMetricReader()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        return exporter, reader, provider, MeterProvider(metric_readers=[reader])

    def calls(client):
        messages = [{"role": "user", "content": "Hi"}]
        client.chat.completions.create(model="gpt-4-deployment", messages=messages, temperature=0.25, top_p=0.5,
                                       max_tokens=40, seed=7, stop=["END"])
        for _ in client.chat.completions.create(model="gpt-4o", messages=messages, stream=True):
            pass
        client.embeddings.create(model="text-embedding-ada-002", input=["a", "b"])
        try:
            client.with_options(max_retries=0).chat.completions.create(model="missing-deployment", messages=messages)
        except Exception as exc:
            assert type(exc).__name__ == "NotFoundError", exc

    def dump(exporter, reader):
        spans = [{"name": s.name, "kind": s.kind.name, "status": s.status.status_code.name,
                  "attributes": {k: list(v) if isinstance(v, tuple) else v for k, v in s.attributes.items()}}
                 for s in exporter.get_finished_spans() if s.name not in ("POST", "GET")]
        points = [{"metric": m.name, "attributes": dict(p.attributes)}
                  for r in reader.get_metrics_data().resource_metrics for sm in r.scope_metrics
                  for m in sm.metrics for p in m.data.data_points]
        return {"spans": spans, "points": points}

    theirs = recording()
    OpenAIInstrumentor().instrument(tracer_provider=theirs[2], meter_provider=theirs[3])
    calls(openai.AzureOpenAI(api_key=key, azure_endpoint=endpoint, api_version="2024-10-21"))
    OpenAIInstrumentor().uninstrument()
    ours = recording()
    calls(azgate.Client(api_key=key, azure_endpoint=endpoint, api_version="2024-10-21",
                        telemetry=Telemetry(tracer_provider=ours[2], meter_provider=ours[3])))
    print(json.dumps({"theirs": dump(*theirs[:2]), "ours": dump(*ours[:2])}))
    """
)

NOT_COMPARED = {"gen_ai.provider.name", "gen_ai.system", "gen_ai.response.id", "gen_ai.embeddings.dimension.count"}
"""The provider (see the module docstring; its embeddings metrics still say `gen_ai.system`,
the name the conventions replaced); ids differ per call; it reads the dimension count from
the response, where the conventions describe the request's."""


def run(emulator: Emulator) -> dict[str, Any]:
    env = {**os.environ, "OTEL_SEMCONV_STABILITY_OPT_IN": "gen_ai_latest_experimental"}
    env.pop("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, emulator.endpoint, emulator.api_key],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    outcome: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return outcome


def test_where_the_openai_instrumentation_records_a_value_azgate_records_the_same(emulator: Emulator) -> None:
    outcome = run(emulator)
    theirs, ours = outcome["theirs"]["spans"], outcome["ours"]["spans"]
    assert [s["name"] for s in theirs] == [
        "chat gpt-4-deployment",
        "chat gpt-4o",
        "embeddings text-embedding-ada-002",
        "chat missing-deployment",
    ]
    assert [(s["name"], s["kind"], s["status"]) for s in ours] == [(s["name"], s["kind"], s["status"]) for s in theirs]
    compared = 0
    for their_span, our_span in zip(theirs, ours, strict=True):
        for key, value in their_span["attributes"].items():
            if key in NOT_COMPARED or key.startswith("openai."):
                continue
            assert our_span["attributes"].get(key) == value, (their_span["name"], key)
            compared += 1
        assert our_span["attributes"]["gen_ai.provider.name"] == "azure.ai.openai"
    assert compared >= 20  # request parameters, response model, finish reasons, usage, error.type

    # Metrics: the attributes they record per data point, azgate records too (and the server).
    def keyed(points: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
        return sorted(
            (
                (
                    p["metric"],
                    {k: v for k, v in p["attributes"].items() if k not in NOT_COMPARED and "openai." not in k},
                )
                for p in points
            ),
            key=lambda item: json.dumps(item, sort_keys=True),
        )

    their_points = keyed(outcome["theirs"]["points"])
    our_points = [
        (m, {k: v for k, v in a.items() if not k.startswith("server.")}) for m, a in keyed(outcome["ours"]["points"])
    ]
    assert their_points and all(point in our_points for point in their_points)
