"""What the sync and async clients share: settings, capability checks, request
building and response interpretation. No I/O here; `_sync_client.py` and
`_async_client.py` hold only the send loops.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from types import NoneType
from typing import TYPE_CHECKING, Any, ClassVar, Mapping, NamedTuple, Sequence, TypedDict, Union

from .._version import __version__
from ..exceptions import (
    SENSITIVE_HEADERS,
    APIResponseValidationError,
    APIStatusError,
    ConfigurationError,
    UnsupportedByApiVersionError,
    make_status_error,
)
from ._encoding import encode_json
from ._operation import OperationSpec
from ._options import (
    ALTERNATIVES,
    AUTH_SETTINGS,
    AUTH_SOURCES,
    SECRET_SETTINGS,
    ClientOptions,
    check_headers,
    check_keywords,
    resolve_options,
)
from ._response import ResponseMode, request_id_of
from ._secret import Secret
from ._timeouts import Steps, check_timeout
from ._types import NotGiven, Timeout
from ._urls import compile_path
from ._versions import describe_availability
from ._wire import WireRequest, WireResponse, as_httpx_response, wire_target

if TYPE_CHECKING:
    import httpx

    from ._wire import Answer

__all__ = ["BaseClient", "BinaryResponse", "CastTo", "PreparedRequest", "RequestParts"]


class PreparedRequest(NamedTuple):
    """Everything about one call that does not change between attempts. (A NamedTuple:
    immutable, and made at import without the code generation a dataclass runs.)"""

    op: OperationSpec
    method: str
    url: str
    """Without the query (for logs)."""
    target: Target
    """The URL with its query (see BaseClient._target)."""
    headers: dict[str, str]
    content: bytes | None
    files: Sequence[tuple[str, Any]] | None
    data: Mapping[str, Any] | None
    timeout: Steps
    stream: bool
    """The call asks for server-sent events (the body is read as the stream is iterated)."""
    read_body: bool = True
    """False for `with_streaming_response`: the caller reads the body, whatever it is."""

    def build(self, auth_headers: Mapping[str, str], *, wire: bool) -> httpx.Request | WireRequest:
        """A fresh request for one attempt: auth is added here so a refreshed token is
        used, and a multipart body is encoded again from its sources. For azgate's own pool
        (`wire`) it is a WireRequest where httpx would send the same bytes."""
        headers = {**self.headers, **auth_headers}
        where = self.target.wire
        if wire and where is not None and self.files is None and self.data is None:
            return WireRequest(self.method, where, headers, self.content, self.timeout.as_dict())
        import httpx

        return httpx.Request(
            self.method,
            self.target.httpx_url(),
            headers=headers,
            content=self.content,
            files=self.files,
            data=self.data,
            extensions={"timeout": self.timeout.as_dict()},
        )


class Target:
    """A URL with the client's query: its parts as azgate's own pool sends them (None when
    only httpx would send it unchanged), and httpx's URL, parsed the first time it is needed."""

    __slots__ = ("_httpx", "params", "url", "wire")

    def __init__(self, url: str, params: Mapping[str, str]) -> None:
        self.url = url
        self.params = params
        self.wire = wire_target(url, params)
        self._httpx: httpx.URL | None = None

    def httpx_url(self) -> httpx.URL:
        if self._httpx is None:
            import httpx

            self._httpx = httpx.URL(self.url).copy_merge_params(self.params)
        return self._httpx


class BinaryResponse:
    """A binary body (speech audio, file content): `.content`, `.write_to_file(path)`,
    `.iter_bytes()`."""

    def __init__(self, response: httpx.Response | WireResponse) -> None:
        self.response: httpx.Response = as_httpx_response(response)

    @property
    def content(self) -> bytes:
        return self.response.content

    def write_to_file(self, path: str) -> None:
        with open(path, "wb") as f:
            f.write(self.response.content)

    def iter_bytes(self, chunk_size: int | None = None) -> Any:
        return self.response.iter_bytes(chunk_size)


class BaseClient:
    _known_versions: ClassVar[frozenset[str]] = frozenset()
    _asynchronous: ClassVar[bool] = False
    """True for AsyncAPIClient: decides which credentials and token providers fit."""

    _options: ClientOptions
    _owns_auth: bool

    def __init__(self, **settings: Any) -> None:
        check_keywords(settings)  # before None values are dropped: `api_vesion=None` is a typo too
        protected = {
            k: Secret(v) if k in SECRET_SETTINGS and isinstance(v, str) else v
            for k, v in settings.items()
            if v is not None and not isinstance(v, NotGiven)
        }
        self._options = resolve_options(protected, asynchronous=self._asynchronous)
        self._owns_auth = True
        options = self._options
        self._params: Mapping[str, str] = {
            **options.default_query,
            **({"api-version": options.api_version} if options.api_version else {}),
        }
        self._headers = {"accept": "application/json", "user-agent": f"azgate/{__version__}", **options.default_headers}
        # Per client, per operation: the body keys its api-version accepts.
        self._accepted: dict[OperationSpec, frozenset[str]] = {}
        # Per client, per path: the URL with the client's query, parsed once; bounded,
        # since paths carry ids.
        self._targets: dict[str, Target] = {}

    def _take_defaults_of(self, http_client: httpx.Client | httpx.AsyncClient) -> None:
        """Send the headers and query parameters the user's `http_client` was built with, as
        openai-python does (httpx's `build_request` merges them): a gateway header set there
        must not be dropped. azgate's own and the call's override them; the transport's
        defaults (Accept, Accept-Encoding, Connection, User-Agent) are left to azgate."""
        headers = {k.lower(): v for k, v in http_client.headers.items() if k.lower() not in _TRANSPORT_HEADERS}
        if headers:
            self._headers = {**headers, **self._headers}
        params = dict(http_client.params.items())
        if params:
            self._params = {**params, **self._params}
            self._targets.clear()

    @property
    def api_version(self) -> str:
        return self._options.api_version_label

    @property
    def base_url(self) -> str:
        return self._options.base_url

    # openai-python's client attributes, read-only (with_options makes a changed copy).
    @property
    def max_retries(self) -> int:
        return self._options.max_retries

    @property
    def timeout(self) -> httpx.Timeout:
        """The timeout given to the client (an httpx.Timeout for seconds, or none given)."""
        timeout: httpx.Timeout = self._options.timeout.as_given()
        return timeout

    @property
    def default_headers(self) -> dict[str, str]:
        """The headers sent with every request, credentials aside: the client's own are added
        per attempt by its auth, and any credential header given in `default_headers` or on
        the `http_client` is sent but not shown here."""
        return {k: v for k, v in self._headers.items() if k.lower() not in SENSITIVE_HEADERS}

    @property
    def default_query(self) -> dict[str, str]:
        return dict(self._params)

    @property
    def user_agent(self) -> str:
        return self._headers["user-agent"]

    def __repr__(self) -> str:
        o = self._options
        if o.unconfigured:
            return f"{type(self).__name__}(nothing to call yet)"
        routing = getattr(self, "_routing", None)
        if routing is not None:  # its own options hold only the defaults; the targets say where calls go
            return f"{type(self).__name__}({routing.describe()})"
        return f"{type(self).__name__}(provider={o.provider!r}, base_url={o.base_url!r}, api_version={o.api_version_label!r})"

    def _check_configured(self) -> None:
        """Raise the ConfigurationError a call would meet on a client with nothing to call."""
        reason = self._options.unconfigured
        if reason is not None:
            raise ConfigurationError(
                f"This client has nothing to call: {reason} Or give it targets with with_options(config={{...}})."
            )

    def _copy_settings(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        settings = dict(self._options.settings)
        for group in ALTERNATIVES:  # azure_endpoint= replaces resource_name=, and so on
            if group & overrides.keys():
                for key in group - overrides.keys():
                    settings.pop(key, None)
        if any(k in overrides for k in AUTH_SOURCES):
            for key in AUTH_SETTINGS:  # a new way to authenticate replaces the old one, whatever its kind
                settings.pop(key, None)
        settings.update(overrides)
        return settings

    def _share_auth(self, source: BaseClient, overrides: Mapping[str, Any]) -> None:
        """A `with_options` copy with the same auth settings uses the source's auth (and so its
        token cache and credential); the source keeps owning it."""
        if not any(k in overrides for k in AUTH_SETTINGS):
            self._options = self._options._replace(auth=source._options.auth)
            self._owns_auth = False

    # -- capability ---------------------------------------------------------------

    def _check_capability(self, op: OperationSpec, keys: Iterable[str]) -> None:
        version = self._options.api_version
        if version is None or version not in self._known_versions:
            # v1, OpenAI, or a version newer than this build: the service decides.
            return
        accepted = self._accepted.get(op)
        if accepted is None:
            if version not in op.versions:
                raise UnsupportedByApiVersionError(
                    f"{op.sdk_name} needs {describe_availability(op.versions, self._known_versions)}; "
                    f"this client uses {version}."
                )
            accepted = frozenset(name for name, p in op.params.items() if version in p.versions)
            self._accepted[op] = accepted
        for key in keys:
            if key not in accepted and key in op.params:
                param = op.params[key]
                raise UnsupportedByApiVersionError(
                    f"The parameter {key!r} of {op.sdk_name} needs "
                    f"{describe_availability(param.versions, self._known_versions)}; this client uses "
                    f"{version}. Use another api_version, or extra_body= to send it anyway."
                )

    def _accepts(self, op: OperationSpec, param: str) -> bool:
        """Whether the client's api-version has this parameter of the operation."""
        spec = op.params.get(param)
        version = self._options.api_version
        return spec is not None and (version is None or version not in self._known_versions or version in spec.versions)

    # -- requests -----------------------------------------------------------------

    def _prepare(
        self,
        op: OperationSpec,
        *,
        body: dict[str, object] | None,
        path_params: Mapping[str, str] | None,
        query: Mapping[str, object] | None,
        files: Sequence[tuple[str, Any]] | None,
        stream: bool,
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, object] | None,
        extra_body: Mapping[str, object] | None,
        timeout: Timeout,
    ) -> PreparedRequest:
        options = self._options
        self._check_configured()
        self._check_capability(op, [*_given(body, query), *(name for name, _ in files or ())])
        values = dict(path_params) if path_params else {}
        if op.deployment_scoped:
            deployment = options.deployment_id or (body or {}).get("model")
            if not deployment:
                raise ConfigurationError(
                    f"{op.sdk_name} needs a deployment: pass deployment_id= to the client, or model= "
                    "(the deployment name) to the call."
                )
            if options.deployment_in_path:
                values["deployment-id"] = str(deployment)
            elif body is not None and "model" not in body:
                body["model"] = deployment  # v1 and OpenAI name the deployment in the body
        path = compile_path(op, options.deployment_in_path).fill(values, op.sdk_name)
        url = options.base_url + path
        if query or extra_query:
            params = {**self._params, **_query_strings(query), **_query_strings(extra_query)}
            target = Target(url, params)
        else:
            target = self._target(url)
        headers = self._headers
        if stream or extra_headers:
            headers = dict(headers)
            if stream:
                headers["accept"] = "text/event-stream"
            if extra_headers:
                headers.update(check_headers(extra_headers, "extra_headers"))
        content = None
        data = None
        if files is not None:
            data = {**(body or {}), **(extra_body or {})}
        elif body is not None or extra_body:
            if extra_body:
                body = {**(body or {}), **extra_body}
            content = encode_json(body or {})
            headers = {**headers, "content-type": "application/json"}
        return PreparedRequest(
            op=op,
            method=op.method,
            url=url,
            target=target,
            headers=headers,
            content=content,
            files=files,
            data=data,
            timeout=options.timeout if isinstance(timeout, NotGiven) else check_timeout(timeout),
            stream=stream,
        )

    def _target(self, url: str) -> Target:
        """`url` with the client's query (api-version, default_query), parsed once per path."""
        target = self._targets.get(url)
        if target is None:
            if len(self._targets) >= _MAX_TARGETS:
                self._targets.clear()
            target = self._targets[url] = Target(url, self._params)
        return target

    # -- responses ----------------------------------------------------------------

    def _parse(self, op: OperationSpec, response: Answer, cast_to: CastTo) -> Any:
        """The result of a finished, successful, non-streaming response, as `cast_to`
        (one kind, or a tuple of the kinds the operation can answer with) allows: a
        model from a JSON body, `str` from a text body, `BinaryResponse` from any body,
        `None` from no content. Anything else is an APIResponseValidationError: a 2xx
        that is not what the operation returns never passes for a result."""
        kinds = cast_to if isinstance(cast_to, tuple) else (cast_to,)
        if kinds == _NO_CONTENT:
            return None  # the operation answers with nothing; whatever came is not a result
        media_type = _media_type(response)
        empty = response.status_code == 204 or not response.content
        for kind in kinds:
            if kind is NoneType:
                if empty:
                    return None
            elif kind is BinaryResponse:
                if response.status_code != 204:
                    return BinaryResponse(response)
            elif kind is str:
                if media_type.startswith("text/") and (
                    media_type != "text/html" or media_type in op.response_content_types
                ):
                    return response.text
            elif _is_json(media_type) and not empty:
                return _validate_json(kind, response, strict=self._options.strict_response_validation)
        raise _unexpected(op, response, kinds)

    # A `stream=True` call must get server-sent events; a JSON or HTML answer (a gateway
    # that ignores `stream`, a login page) is reported as what it is. The send loops read
    # the body before raising where they can, so the error carries it.

    @staticmethod
    def _is_event_stream(response: Answer) -> bool:
        # A missing content type gets the benefit of the doubt: the events decide.
        return _media_type(response) in ("text/event-stream", "")

    @staticmethod
    def _not_an_event_stream(op: OperationSpec, response: Answer) -> APIResponseValidationError:
        return _unexpected(op, response, ())

    @staticmethod
    def _status_error(response: httpx.Response) -> APIStatusError:
        """The typed exception for an error response whose body has been read."""
        try:
            body: object = json.loads(response.content) if response.content else None
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python recurses
            body = response.text
        return make_status_error(response, body)


def _given(*groups: Mapping[str, object] | None) -> list[str]:
    """The parameter names a call really passes (generated code hands over NOT_GIVEN too)."""
    return [k for group in groups if group for k, v in group.items() if not isinstance(v, NotGiven)]


class RequestParts(TypedDict, total=False):
    """The keywords of `_request` that only describe the request (typed once for its overloads)."""

    body: dict[str, object] | None
    path_params: Mapping[str, str] | None
    query: Mapping[str, object] | None
    files: Sequence[tuple[str, Any]] | None
    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, object] | None
    extra_body: Mapping[str, object] | None
    timeout: Timeout
    response_mode: ResponseMode


CastTo = Union[type[Any], tuple[type[Any], ...]]
"""What a generated method expects a response to be (see `BaseClient._parse`)."""

_NO_CONTENT: tuple[type[Any], ...] = (NoneType,)

_MAX_TARGETS = 256
_TRANSPORT_HEADERS = frozenset({"accept", "accept-encoding", "connection", "user-agent"})


def _media_type(response: Answer) -> str:
    content_type: str = response.headers.get("content-type", "")
    return content_type.partition(";")[0].strip().lower()


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


# The response parser (and with it pydantic) is imported with the first response, not with
# azgate (README, "What loads when"); bound here then, so later calls pay no import statement.
_parse_response: Callable[..., Any] | None = None


def _load_parse_response() -> Callable[..., Any]:
    global _parse_response
    from ._response_parser import parse_response

    _parse_response = parse_response
    return parse_response


def _validate_json(model: type[Any], response: Answer, *, strict: bool) -> Any:
    """A JSON body as `model`; the one place a response body becomes a model."""
    if model is object:
        import pydantic_core

        try:
            return pydantic_core.from_json(response.content)  # depth-limited, unlike json.loads
        except ValueError as exc:
            raise APIResponseValidationError(response, response.text, "The response is not valid JSON.") from exc
    parse = _parse_response if _parse_response is not None else _load_parse_response()
    result = parse(model, response.content, strict=strict, response=response)
    # Not a pydantic field or private attribute: set on the top object only, so nested
    # models cost nothing (see BaseModel._request_id).
    object.__setattr__(result, "_request_id", request_id_of(response.headers))
    return result


def _unexpected(op: OperationSpec, response: Answer, kinds: tuple[type[Any], ...]) -> APIResponseValidationError:
    content_type = response.headers.get("content-type")
    got = f"content type {content_type!r}" if content_type else "no content type"
    if _read_content(response) == b"":
        got += " and an empty body"
    expected = " or ".join(_describe(kind) for kind in kinds) if kinds else "server-sent events (text/event-stream)"
    return APIResponseValidationError(
        response,
        _body(response),
        f"{op.sdk_name} expected {expected}, but the service answered {response.status_code} with {got}.",
    )


def _describe(kind: type[Any]) -> str:
    if kind is NoneType:
        return "no content"
    if kind is BinaryResponse:
        return "a body"
    if kind is str:
        return "text"
    if kind is object:
        return "JSON"
    return f"JSON ({kind.__name__})"


def _read_content(response: httpx.Response | WireResponse) -> bytes | None:
    """The body if it has been read (a streamed response's may not have been)."""
    if isinstance(response, WireResponse):
        return response.content  # always read
    import httpx  # loaded: the response is httpx's

    try:
        return response.content
    except httpx.ResponseNotRead:
        return None


def _body(response: Answer) -> object | None:
    """What an error reports as the body: the JSON, else the text, if it was read."""
    if not _read_content(response):
        return None
    try:
        body: object = json.loads(response.content)
    except ValueError:
        body = response.text
    return body


def _query_strings(values: Mapping[str, object] | None) -> dict[str, str]:
    if not values:
        return {}
    out: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, NotGiven) or value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out
