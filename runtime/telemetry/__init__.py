"""azgate.telemetry: OpenTelemetry traces and metrics, and hooks for your own logging.

```python
from azgate import Client

client = Client(..., telemetry=True)  # spans and metrics through OpenTelemetry's global providers
client = Client(..., telemetry=Telemetry(tracer_provider=tp, meter_provider=mp, capture_content=True))
client = Client(..., event_hooks={"request": [log_request], "response": [log_response]})
```

Spans and metrics follow OpenTelemetry's GenAI semantic conventions and need the `otel`
extra (`pip install "azgate[otel]"`: opentelemetry-api; the application brings its SDK
and exporter). Event hooks need nothing. A client built without either imports none of
this and runs no extra code per call.
"""

from ._config import CAPTURE_CONTENT_VARIABLE, Telemetry

__all__ = ["CAPTURE_CONTENT_VARIABLE", "Telemetry"]
