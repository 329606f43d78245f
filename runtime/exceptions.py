"""Every exception azgate raises.

    AzgateError
     ├── ConfigurationError            bad client settings or call arguments, raised before any request
     ├── UnsupportedByApiVersionError  an operation or parameter the api-version lacks
     ├── ClientClosedError             a call on a client (or http_client) that was closed
     └── APIError                      something went wrong talking to the service
          ├── APIConnectionError       no response: connection refused, reset, DNS ...
          │    └── APITimeoutError
          ├── APIResponseValidationError  a 2xx body that is not what the operation returns
          ├── IncompleteStreamError    a stream that ended without its [DONE] event
          └── APIStatusError           the service answered with a 4xx or 5xx
               ├── BadRequestError           400
               ├── AuthenticationError       401
               │    └── TokenAcquisitionError  no token: the credential failed, nothing was sent
               ├── PermissionDeniedError     403
               ├── NotFoundError             404
               ├── ConflictError             409
               ├── UnprocessableEntityError  422
               ├── RateLimitError            429
               └── InternalServerError       >= 500

`parse()` and `stream()` (structured outputs) raise, under AzgateError, openai-python's
`LengthFinishReasonError` (the answer was cut at the token limit, so it cannot be
parsed) and `ContentFilterFinishReasonError` (the content filter stopped the answer).

Status errors carry what Azure says about the failure: `status_code`, `code`
(e.g. "content_filter", "DeploymentNotFound"), `param`, `type`, `innererror` (content
filter results), and `request_id` (x-request-id, else apim-request-id) to quote to support.
As in openai-python, `body` is the answer's error object (its `"error"` member, or the
whole answer when it has none) and `response` the whole answer.

`OpenAIError` is another name for `AzgateError`, for code moving from openai-python.

Every error is safe to show and to pickle: `error.request` (and `error.response.request`)
carry the request's method, URL and headers with the api-key and Authorization replaced
by "[secure]"; messages quote at most MAX_MESSAGE_CHARS of a body (`error.body` keeps all of it).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import unquote

if TYPE_CHECKING:
    import httpx

    from ._core._wire import WireRequest, WireResponse

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "AzgateError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "ContentFilterFinishReasonError",
    "IncompleteStreamError",
    "InternalServerError",
    "LengthFinishReasonError",
    "NotFoundError",
    "OpenAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "TokenAcquisitionError",
    "UnprocessableEntityError",
    "UnsupportedByApiVersionError",
]


MAX_MESSAGE_CHARS = 2000
"""How much of a response body an exception message quotes; `error.body` keeps it all."""

SENSITIVE_HEADERS = frozenset(
    {"api-key", "authorization", "proxy-authorization", "ocp-apim-subscription-key", "cookie"}
)
"""Request headers that carry credentials: shown as "[secure]" wherever an error shows a request."""


def bounded(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`text`, cut to `limit` characters with a note of how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit:,} more characters)"


def _redacted(request: httpx.Request | WireRequest) -> httpx.Request:
    """A copy of `request` whose credential headers read "[secure]": errors travel to logs,
    error trackers and other processes (pickle), and `repr(headers)` hides only Authorization."""
    from ._core._wire import as_httpx_request

    request = as_httpx_request(request)
    if not any(name in SENSITIVE_HEADERS for name in request.headers):
        return request
    import httpx

    headers = httpx.Headers(
        [(k, "[secure]" if k.lower() in SENSITIVE_HEADERS else v) for k, v in request.headers.multi_items()]
    )
    copy = httpx.Request(request.method, request.url, headers=headers, extensions=request.extensions)
    if hasattr(request, "_content"):
        copy._content = request._content  # a body already in memory stays available for debugging
    return copy


def _restore(cls: type[AzgateError], args: tuple[Any, ...]) -> AzgateError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    return error


class AzgateError(Exception):
    """Base of every azgate exception."""

    def __reduce__(self) -> Any:
        # Rebuild without calling __init__ (subclasses take keyword arguments), then restore
        # the attributes: errors cross process boundaries (multiprocessing, executors).
        return (_restore, (type(self), self.args), self.__dict__ or None)


OpenAIError = AzgateError
"""openai-python's name for the base class, for code moving from `openai`."""


class ConfigurationError(AzgateError, ValueError):
    """A client setting or a call argument is missing, malformed or contradicts another one."""


class ClientClosedError(AzgateError, RuntimeError):
    """The client (or the http_client it sends with) was closed; build a new one."""


class UnsupportedByApiVersionError(AzgateError, ValueError):
    """The client's api-version has no such operation or parameter."""


class APIError(AzgateError):
    """A request failed. `request` is the request that was sent (secrets are in headers
    only, and `str(error)` never shows headers)."""

    message: str
    request: httpx.Request
    body: object | None
    code: str | None
    param: str | None
    type: str | None

    def __init__(self, message: str, request: httpx.Request | WireRequest, *, body: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = _redacted(request)
        self.body = body
        # openai-python's attributes, from the error object when the body is one.
        error = _error_object(body)
        self.code, self.param, self.type = (_text(error.get(key)) for key in ("code", "param", "type"))


class APIConnectionError(APIError):
    def __init__(self, request: httpx.Request | WireRequest, message: str = "Connection error.") -> None:
        super().__init__(message, request)


class APITimeoutError(APIConnectionError):
    def __init__(self, request: httpx.Request | WireRequest, message: str = "Request timed out.") -> None:
        super().__init__(request, message)


class IncompleteStreamError(APIError):
    """The server closed a stream before sending `data: [DONE]`: the output is truncated."""


class LengthFinishReasonError(AzgateError):
    """`parse()` / `stream()`: a choice ended at the token limit (`finish_reason` "length"),
    so its content is cut and cannot be parsed. `completion` is what came back; raise
    `max_tokens` / `max_completion_tokens` or ask for less."""

    def __init__(self, *, completion: Any) -> None:
        usage = getattr(completion, "usage", None)
        super().__init__(
            "Could not parse the response content: the length limit was reached"
            + (f" ({usage})." if usage is not None else ".")
            + " Raise max_tokens / max_completion_tokens, or ask for a shorter answer."
        )
        self.completion = completion


class ContentFilterFinishReasonError(AzgateError):
    """`parse()` / `stream()`: the content filter stopped a choice (`finish_reason`
    "content_filter"), so there is nothing to parse. `completion` is what came back; its
    choices' `content_filter_results` say which category fired."""

    def __init__(self, *, completion: Any = None) -> None:
        super().__init__("Could not parse the response content: the request was rejected by the content filter.")
        self.completion = completion


class APIResponseValidationError(APIError):
    def __init__(self, response: httpx.Response | WireResponse, body: object | None, message: str) -> None:
        from ._core._wire import as_httpx_response

        response = as_httpx_response(response)
        super().__init__(message, response.request, body=body)
        response.request = self.request
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The service answered with an error status."""

    response: httpx.Response
    status_code: int
    innererror: Mapping[str, Any] | None
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, body: object | None) -> None:
        super().__init__(message, response.request, body=body)
        response.request = self.request
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id") or response.headers.get("apim-request-id")
        error = _error_object(body)
        # Inference says inner_error, authoring (REST guidelines) says innererror.
        inner = error.get("innererror", error.get("inner_error"))
        self.innererror = inner if isinstance(inner, Mapping) else None


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class TokenAcquisitionError(AuthenticationError):
    """A credential could not get a token, so the call was never sent.

    `credential` names the credential class (e.g. "ClientSecretCredential"). When the
    credential reported the token endpoint's answer, `request` is that token request
    (its URL without the query), and `status_code` and `body` are the endpoint's; otherwise
    `request` is `urn:azgate:credential:<class>` and `status_code` is 401.
    """

    credential: str

    def __init__(
        self,
        message: str,
        *,
        credential: str,
        url: str | None = None,
        status_code: int | None = None,
        body: object | None = None,
    ) -> None:
        import httpx

        request = httpx.Request("POST", url or f"urn:azgate:credential:{credential}")
        super().__init__(message, response=httpx.Response(status_code or 401, request=request), body=body)
        self.credential = credential
        if self.code is None and isinstance(body, Mapping) and isinstance(body.get("error"), str):
            self.code = body["error"]  # OAuth's {"error": "invalid_client", "error_description": ...}


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_body(body: object) -> object:
    """What an error's `body` holds, as in openai-python: the answer's `"error"` member, or
    the whole answer when it has none (code written for it reads `error.body["innererror"]`)."""
    return body.get("error", body) if isinstance(body, Mapping) else body


def _error_object(body: object) -> Mapping[str, Any]:
    error = error_body(body)
    return error if isinstance(error, Mapping) else {}


def _text(value: object) -> str | None:
    return str(value) if value is not None else None


def make_status_error(response: httpx.Response, body: object | None) -> APIStatusError:
    """The exception for an error response: the one mapping of status codes to classes.
    Its `body` is `error_body` of the answer; the whole answer stays in `error.response`."""
    status = response.status_code
    error_class = _STATUS_ERRORS.get(status) or (InternalServerError if status >= 500 else APIStatusError)
    return error_class(_status_message(response, body), response=response, body=error_body(body))


def _status_message(response: httpx.Response, body: object | None) -> str:
    """What went wrong, as the service said it, in whatever shape it said it."""
    status = response.status_code
    error = _error_object(body)
    code = error.get("code")
    message = f"Error code: {status}"
    if code is not None:
        message += f" ({code})"
    detail = error.get("message")
    if detail:
        message += f" - {bounded(str(detail))}"
    elif body is None or body == "" or (isinstance(body, Mapping) and not body):
        message += " with an empty body"
    elif isinstance(body, str):
        media_type = response.headers.get("content-type", "no content type").partition(";")[0]
        message += f" with a {media_type} body: {bounded(body.strip())}"
    else:
        # Not Azure's {"error": {...}}: a gateway's {"detail": ...}, a proxy's own JSON.
        message += f" with a body that is not Azure's error shape: {bounded(_compact(body))}"
    if status == 404 and (where := _deployment_and_version(response.request.url)):
        message += f" ({where})"
    return message


def _compact(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return repr(value)


def _deployment_and_version(url: httpx.URL) -> str | None:
    """For a 404: the deployment and api-version the request named (URL parts, never secrets)."""
    segments = url.raw_path.decode("ascii", "replace").partition("?")[0].split("/")
    version = url.params.get("api-version")
    parts = []
    if "deployments" in segments:
        i = segments.index("deployments")
        if i + 1 < len(segments):
            parts.append(f"deployment {unquote(segments[i + 1])!r}")
    if version:
        parts.append(f"api-version {version}")
    if not parts:
        return None
    port = f":{url.port}" if url.port else ""
    return "tried " + ", ".join(parts) + f" at {url.scheme}://{url.host}{port}"
