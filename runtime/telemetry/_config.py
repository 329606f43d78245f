"""`Telemetry`: where a client's spans and metrics go, and whether they carry message content.

Building one imports nothing; OpenTelemetry is imported when a client first uses it.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from ..exceptions import ConfigurationError

if TYPE_CHECKING:
    from ._otel import Instruments

__all__ = ["CAPTURE_CONTENT_VARIABLE", "Telemetry", "resolve_telemetry"]

CAPTURE_CONTENT_VARIABLE = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
"""The environment variable OpenTelemetry's GenAI instrumentations read for content capture."""
_CONTENT_ON = frozenset({"true", "1", "span_only", "span_and_event"})


class Telemetry:
    """OpenTelemetry for a client: `Client(..., telemetry=Telemetry(...))`.

    Args:
        tracer_provider: Where spans go; default OpenTelemetry's global one (what
            `trace.set_tracer_provider` set, or what a distro configured).
        meter_provider: Where `gen_ai.client.*` metrics go; default the global one.
        capture_content: Record prompts and completions on the call's span
            (`gen_ai.input.messages`, `gen_ai.output.messages`). They may hold personal data,
            so the default is off, unless OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT
            is `true` (or `span_only` / `span_and_event`), as for OpenTelemetry's own GenAI
            instrumentations.

    `telemetry=True` is `Telemetry()`: the global providers.
    """

    def __init__(
        self, *, tracer_provider: Any = None, meter_provider: Any = None, capture_content: bool | None = None
    ) -> None:
        if capture_content is not None and not isinstance(capture_content, bool):
            raise ConfigurationError(
                f"capture_content must be True, False or None; got {type(capture_content).__name__}."
            )
        for name, provider, method in (
            ("tracer_provider", tracer_provider, "get_tracer"),
            ("meter_provider", meter_provider, "get_meter"),
        ):
            if provider is not None and not callable(getattr(provider, method, None)):
                raise ConfigurationError(
                    f"{name} must be an OpenTelemetry {name.replace('_', ' ').title().replace(' ', '')}; "
                    f"got {type(provider).__name__}."
                )
        self.tracer_provider = tracer_provider
        self.meter_provider = meter_provider
        self._capture_content = capture_content
        self._instruments: Instruments | None = None
        self._lock = threading.Lock()

    @property
    def capture_content(self) -> bool:
        if self._capture_content is not None:
            return self._capture_content
        return os.environ.get(CAPTURE_CONTENT_VARIABLE, "").strip().lower() in _CONTENT_ON

    def instruments(self) -> Instruments:
        """The tracer and histograms, made once (the first client to use them imports OpenTelemetry)."""
        if self._instruments is None:
            with self._lock:
                if self._instruments is None:
                    try:
                        from ._otel import Instruments
                    except ImportError as exc:
                        raise ConfigurationError(
                            f'telemetry needs OpenTelemetry ({exc.name} is missing): pip install "azgate[otel]".'
                        ) from None
                    self._instruments = Instruments(self.tracer_provider, self.meter_provider, self.capture_content)
        return self._instruments

    def __repr__(self) -> str:
        providers = [
            f"{name}={type(value).__name__}"
            for name, value in (("tracer_provider", self.tracer_provider), ("meter_provider", self.meter_provider))
            if value is not None
        ]
        return f"Telemetry({', '.join([*providers, f'capture_content={self._capture_content!r}'])})"


_GLOBAL = Telemetry()
"""`telemetry=True`: OpenTelemetry's global providers, like any other instrumentation. One
shared object so that clients and their copies share one tracer and one set of histograms."""


def resolve_telemetry(value: object) -> Telemetry | None:
    """Check `telemetry=` when the client is built."""
    if value is None or value is False:
        return None
    if value is True:
        return _GLOBAL
    if isinstance(value, Telemetry):
        return value
    raise ConfigurationError(
        f"telemetry must be True, False or azgate.telemetry.Telemetry(...); got {type(value).__name__}."
    )
