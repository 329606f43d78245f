"""Turning telemetry on, and its cost when off: nothing imported, nothing wrapped; settings
checked when the client is built; `telemetry=True` uses OpenTelemetry's global providers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

import httpx
import pytest
from azgate import Client
from azgate.exceptions import ConfigurationError
from azgate.telemetry import Telemetry
from azgate.testing import Emulator
from helpers import make_client


def run_python(code: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_off_by_default_imports_nothing_and_wraps_nothing(emulator: Emulator) -> None:
    out = run_python(
        f"""
        import sys
        import azgate
        loaded = lambda: any(m.startswith(("opentelemetry", "azgate.telemetry")) for m in sys.modules)
        print(loaded())
        client = azgate.Client(api_key={emulator.api_key!r}, azure_endpoint={emulator.endpoint!r},
                               api_version="2024-10-21")
        client.chat.completions.create(model="gpt-4o", messages=[{{"role": "user", "content": "Hi"}}])
        print(loaded(), "_request" in vars(client), "_attempt" in vars(client))
        """
    )
    assert out == ["False", "False", "False", "False"]


def test_event_hooks_alone_never_import_opentelemetry(emulator: Emulator) -> None:
    out = run_python(
        f"""
        import sys
        import azgate
        client = azgate.Client(api_key={emulator.api_key!r}, azure_endpoint={emulator.endpoint!r},
                               api_version="2024-10-21", event_hooks={{"request": [print]}})
        print(any(m.startswith("opentelemetry") for m in sys.modules))
        """
    )
    assert out[-1] == "False"


def test_telemetry_true_uses_the_global_providers(emulator: Emulator) -> None:
    out = run_python(
        f"""
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
        import azgate

        exporter = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        client = azgate.Client(api_key={emulator.api_key!r}, azure_endpoint={emulator.endpoint!r},
                               api_version="2024-10-21", telemetry=True)
        trace.set_tracer_provider(provider)  # after the client: the global provider is looked up late
        with trace.get_tracer("app").start_as_current_span("handler"):
            client.chat.completions.create(model="gpt-4o", messages=[{{"role": "user", "content": "Hi"}}])
        spans = {{s.name: s for s in exporter.get_finished_spans()}}
        print(sorted(spans))
        print(spans["chat gpt-4o"].parent.span_id == spans["handler"].context.span_id)
        """
    )
    assert out == ["['POST',", "'chat", "gpt-4o',", "'handler']", "True"]


def test_without_opentelemetry_telemetry_says_what_to_install(emulator: Emulator) -> None:
    out = run_python(
        f"""
        import sys
        sys.modules["opentelemetry"] = None  # as if it were not installed
        import azgate
        from azgate.exceptions import ConfigurationError
        try:
            azgate.Client(api_key="k", azure_endpoint={emulator.endpoint!r}, api_version="2024-10-21",
                          telemetry=True)
        except ConfigurationError as exc:
            print("|".join(str(exc).split()))
        """
    )
    assert out == ['telemetry|needs|OpenTelemetry|(opentelemetry|is|missing):|pip|install|"azgate[otel]".']


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"telemetry": "yes"}, "telemetry must be True, False or azgate.telemetry.Telemetry"),
        ({"event_hooks": [print]}, "event_hooks must be a mapping"),
        ({"event_hooks": {"reqest": [print]}}, 'Did you mean "request"?'),
        ({"event_hooks": {"response": ["print"]}}, 'event_hooks["response"] must be a list of functions'),
        ({"secret_headers": "x-token"}, "secret_headers must be a list of header names"),
        ({"secret_headers": ["x token"]}, "not a valid HTTP token"),
        ({"telemetri": True}, "Did you mean telemetry=?"),
    ],
)
def test_settings_are_checked_when_the_client_is_built(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=pytest.importorskip("re").escape(message)):
        Client(api_key="k", resource_name="r", api_version="2024-10-21", **settings)


def test_telemetry_is_checked_too() -> None:
    with pytest.raises(ConfigurationError, match="capture_content must be True, False or None"):
        Telemetry(capture_content="yes")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="tracer_provider must be an OpenTelemetry TracerProvider"):
        Telemetry(tracer_provider=object())
    assert repr(Telemetry(capture_content=True)) == "Telemetry(capture_content=True)"


def test_a_routing_target_cannot_carry_its_own_telemetry(emulator: Emulator) -> None:
    target = {"api_key": emulator.api_key, "azure_endpoint": emulator.endpoint, "api_version": "2024-10-21"}
    with pytest.raises(ConfigurationError, match="unknown key 'telemetry'"):
        Client(config={"targets": [{**target, "telemetry": True}]})


def test_help_lists_the_settings() -> None:
    doc = Client.__init__.__doc__ or ""
    for name in ("telemetry:", "event_hooks:", "secret_headers:"):
        assert name in doc


def test_capture_content_follows_the_conventions_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "span_only")
    assert Telemetry().capture_content is True
    assert Telemetry(capture_content=False).capture_content is False
    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "false")
    assert Telemetry().capture_content is False


def test_a_hook_only_client_still_sends_the_real_key(emulator: Emulator) -> None:
    seen: list[httpx.Request] = []
    client = make_client("sync", emulator, event_hooks={"request": [seen.append]})
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
    client.close()
    assert seen[0].headers["api-key"] == "[secure]"
    assert emulator.stats.requests[-1].status == 200  # the emulator checked the real key
