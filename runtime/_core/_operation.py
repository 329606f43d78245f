"""The operation table's row types: what the generator knows about one endpoint.

`generated/_operations.py` holds one `OperationSpec` per operation in spec/; the runtime
reads it to build URLs and check api-version capability, and the emulator reads it to
route and validate. Built once at import, read on every call.

Not dataclasses: making a frozen, slotted dataclass executes generated code (~0.5 ms a
class), and the table builds ~600 rows in every process that imports azgate. A row is a
NamedTuple (a value) and an operation a slotted class compared by identity.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

__all__ = ["OperationSpec", "ParamSpec", "ParamLocation"]

ParamLocation = Literal["path", "query", "header", "body", "form"]


class ParamSpec(NamedTuple):
    """One request parameter, by its wire name, across api-versions."""

    name: str
    """Name on the wire: a JSON body key, a form field, a query or path parameter."""
    location: ParamLocation
    versions: frozenset[str]
    """The api-versions whose document declares this parameter."""
    required_in: frozenset[str] = frozenset()
    """The api-versions where it is required."""


class OperationSpec:
    """One HTTP operation, as the union of every api-version that has it.

    Compared and hashed by identity: each row exists once, in the generated table.
    Treated as immutable (nothing assigns to a built one).
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
    params: dict[str, ParamSpec]
    request_model: str | None
    """Class name in azgate.generated.models of the JSON/multipart body, if any."""
    response_model: str | None
    stream_model: str | None
    """Class name of one SSE event's data when the operation can stream."""
    stream_event_names: bool
    """True when the stream names each event on its `event:` line and `data:` carries
    only the object (the Assistants API); the stream model is `{event, data}`."""
    stream_end: tuple[str, frozenset[str]] | None
    """(field, values): the stream is complete after an event whose `field` has one of
    the values, without a `data: [DONE]` (the Responses API). None: [DONE] ends it."""
    first_version: str
    """The earliest api-version that has it (for error messages)."""
    v1_path: str
    """Path template relative to /openai/v1 (Azure's v1 API) and OpenAI's /v1, with the
    same parameter names as `path`: the v1 document's path, or, for an operation it
    lacks, `path` without /deployments/{deployment-id} (the deployment is the body's
    `model` there). Written by the generator; "" means `path`."""

    __slots__ = tuple(__annotations__)  # the fields above

    def __init__(
        self,
        *,
        id: str,
        sdk_name: str,
        method: str,
        path: str,
        deployment_scoped: bool,
        versions: frozenset[str],
        request_content_type: str | None,
        response_content_types: tuple[str, ...],
        params: dict[str, ParamSpec] | None = None,
        request_model: str | None = None,
        response_model: str | None = None,
        stream_model: str | None = None,
        stream_event_names: bool = False,
        stream_end: tuple[str, frozenset[str]] | None = None,
        first_version: str = "",
        v1_path: str = "",
    ) -> None:
        self.id = id
        self.sdk_name = sdk_name
        self.method = method
        self.path = path
        self.deployment_scoped = deployment_scoped
        self.versions = versions
        self.request_content_type = request_content_type
        self.response_content_types = response_content_types
        self.params = {} if params is None else params
        self.request_model = request_model
        self.response_model = response_model
        self.stream_model = stream_model
        self.stream_event_names = stream_event_names
        self.stream_end = stream_end
        self.first_version = first_version
        self.v1_path = v1_path

    def __repr__(self) -> str:
        return f"OperationSpec({self.sdk_name!r}, {self.method} {self.path!r})"
