"""The operation table's row types: what the generator knows about one endpoint.

`generated/_operations.py` holds one `OperationSpec` per operation in spec/; the runtime
reads it to build URLs and check api-version capability, and the emulator reads it to
route and validate. Plain frozen dataclasses: built once at import, read on every call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["OperationSpec", "ParamSpec", "ParamLocation"]

ParamLocation = Literal["path", "query", "header", "body", "form"]


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """One request parameter, by its wire name, across api-versions."""

    name: str
    """Name on the wire: a JSON body key, a form field, a query or path parameter."""
    location: ParamLocation
    versions: frozenset[str]
    """The api-versions whose document declares this parameter."""
    required_in: frozenset[str] = frozenset()
    """The api-versions where it is required."""


@dataclass(frozen=True, slots=True, eq=False)
class OperationSpec:
    """One HTTP operation, as the union of every api-version that has it.

    Compared and hashed by identity: each row exists once, in the generated table.
    """

    id: str
    """operationId from spec/ (synthesised there when the published document lacks one)."""
    sdk_name: str
    """Dotted SDK path, e.g. "chat.completions.create"."""
    method: str
    path: str
    """Path template relative to /openai, with the spec's own parameter names,
    e.g. "/deployments/{deployment-id}/chat/completions"."""
    deployment_scoped: bool
    versions: frozenset[str]
    """The api-versions whose documents have this operation ("v1" when Azure's v1
    document has it)."""
    request_content_type: str | None
    response_content_types: tuple[str, ...]
    params: dict[str, ParamSpec] = field(default_factory=dict)
    request_model: str | None = None
    """Class name in azgate.generated.models of the JSON/multipart body, if any."""
    response_model: str | None = None
    stream_model: str | None = None
    """Class name of one SSE event's data when the operation can stream."""
    stream_event_names: bool = False
    """True when the stream names each event on its `event:` line and `data:` carries
    only the object (the Assistants API); the stream model is `{event, data}`."""
    first_version: str = ""
    """The earliest api-version that has it (for error messages)."""
    v1_path: str = ""
    """Path template relative to /openai/v1 (Azure's v1 API) and OpenAI's /v1, with the
    same parameter names as `path`: the v1 document's path, or, for an operation it
    lacks, `path` without /deployments/{deployment-id} (the deployment is the body's
    `model` there). Written by the generator; "" means `path`."""
