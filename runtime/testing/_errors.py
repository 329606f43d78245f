"""Azure's error answers, as one exception type the request pipeline raises.

Every check (auth, routing, api-version, deployment, body) raises `AzureError`; the app
turns it into Azure's `{"error": {...}}` body with the usual headers. Messages are
Azure's own where known. Where Azure's says nothing about the cause (its bare
"Resource not found"), an "(emulator: ...)" note is appended so a failing test names it.

api-version, as Azure answers it (public reports: MicrosoftDocs/azure-docs#114602 for a
missing api-version, Azure-Samples/openai#73 and others for versions without the
operation, recent reports of `{"code": "BadRequest", "message": "API version not
supported"}` for version strings the service does not know):

- missing                              -> 404 {"code": "404", "message": "Resource not found"}
- unknown to every operation           -> 400 {"code": "BadRequest", "message": "API version not supported"}
- known, but lacks this operation      -> 404 {"code": "404", "message": "Resource not found"}

Body errors use the OpenAI-style object Azure passes through (`message`, `type`
"invalid_request_error", `param`), with `code` "invalid_request_error" where the
service often sends null, so a client's mapping can be asserted on a string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "AzureError",
    "STATUS_BODIES",
    "api_version_not_supported",
    "bad_json",
    "deployment_not_found",
    "invalid_request",
    "missing",
    "not_implemented",
    "operation_not_supported",
    "resource_not_found",
    "status_error",
    "unauthorized",
    "unsupported_media_type",
]

ACCESS_DENIED = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
    "provide a valid key for an active subscription and use a correct regional API "
    "endpoint for your resource."
)
BAD_TOKEN = (
    "Unauthorized. Access token is missing, invalid, audience is incorrect "
    "(https://cognitiveservices.azure.com), or have expired."
)
DEPLOYMENT_NOT_FOUND = (
    "The API deployment for this resource does not exist. If you created the deployment "
    "within the last 5 minutes, please wait a moment and try again."
)

# (code, message) Azure sends for a bare status; used by the "status" and
# "server_error" faults. Codes are strings: Azure's errorBase.code is a string.
STATUS_BODIES: Mapping[int, tuple[str, str]] = {
    400: ("BadRequest", "The request is invalid."),
    401: ("401", ACCESS_DENIED),
    403: ("403", "Access denied due to Virtual Network/Firewall rules."),
    404: ("404", "Resource not found"),
    408: ("Timeout", "The operation was timeout."),
    409: ("Conflict", "The request conflicts with the current state of the resource."),
    413: ("RequestEntityTooLarge", "The request entity is too large."),
    415: ("UnsupportedMediaType", "The content type is not supported."),
    422: ("UnprocessableEntity", "The request could not be processed."),
    429: ("429", "Rate limit is exceeded. Try again in 1 seconds."),
    500: (
        "InternalServerError",
        "The server had an error while processing your request. Sorry about that!",
    ),
    502: ("BadGateway", "Bad gateway."),
    503: (
        "ServiceUnavailable",
        "The service is temporarily unable to process your request. Please try again later.",
    ),
    504: ("GatewayTimeout", "The operation was timeout."),
}


class AzureError(Exception):
    """An HTTP error answer: status, Azure's error object, extra headers."""

    def __init__(
        self,
        status: int,
        code: str | None,
        message: str,
        *,
        param: str | None = None,
        type: str | None = None,
        headers: Mapping[str, str] | None = None,
        innererror: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.type = type
        self.headers = dict(headers or {})
        self.innererror = dict(innererror) if innererror is not None else None

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        # param/type appear only on the OpenAI-style body errors, as Azure sends them.
        if self.type is not None or self.param is not None:
            error["param"] = self.param
            error["type"] = self.type
        if self.innererror is not None:
            error["innererror"] = self.innererror
        return {"error": error}


def unauthorized(*, bearer: bool = False) -> AzureError:
    return AzureError(401, "401", BAD_TOKEN if bearer else ACCESS_DENIED)


def resource_not_found(reason: str) -> AzureError:
    # Azure says only "Resource not found" for a wrong path, a missing api-version and an
    # api-version lacking the operation; the note says which one it was.
    return AzureError(404, "404", f"Resource not found (emulator: {reason})")


def api_version_not_supported(version: str, known: Iterable[str]) -> AzureError:
    listed = ", ".join(sorted(known))
    return AzureError(
        400,
        "BadRequest",
        f"API version not supported (emulator: api-version {version!r} is not one of {listed})",
    )


def deployment_not_found(name: str) -> AzureError:
    del name  # Azure's message does not name the deployment
    return AzureError(404, "DeploymentNotFound", DEPLOYMENT_NOT_FOUND)


def operation_not_supported(operation: str, model: str) -> AzureError:
    return AzureError(
        400,
        "OperationNotSupported",
        f"The {operation} operation does not work with the specified model, {model}. "
        "Please choose different model and try again. You can learn more about which "
        "models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.",
    )


def invalid_request(message: str, param: str | None = None, *, code: str = "invalid_request_error") -> AzureError:
    return AzureError(400, code, message, param=param, type="invalid_request_error")


def missing(param: str) -> AzureError:
    return invalid_request(f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter")


def unsupported_media_type(got: str, expected: str) -> AzureError:
    return AzureError(
        415,
        "UnsupportedMediaType",
        f"The content type {got!r} is not supported for this operation; send {expected}.",
    )


def bad_json(detail: str) -> AzureError:
    return invalid_request(
        "We could not parse the JSON body of your request. (HINT: This likely means you "
        "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
        f"but what was sent was not valid JSON.) (emulator: {detail})"
    )


def not_implemented(op_id: str, sdk_name: str) -> AzureError:
    return AzureError(
        501,
        "NotImplemented",
        f"The emulator has no handler for operation {op_id} ({sdk_name}) yet.",
    )


def status_error(status: int, code: str | None = None, message: str | None = None) -> AzureError:
    default_code, default_message = STATUS_BODIES.get(status, (str(status), f"HTTP {status}"))
    return AzureError(status, code or default_code, message or default_message)


FILTER_TRIGGER = "[azgate:filter]"
"""A prompt containing this is refused as Azure refuses a prompt its content filter
flags, so tests can exercise content_filter errors."""


def content_filtered(param: str = "prompt") -> AzureError:
    return AzureError(
        400,
        "content_filter",
        "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. "
        "Please modify your prompt and retry.",
        param=param,
        type=None,
        innererror={
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_result": {
                "hate": {"filtered": False, "severity": "safe"},
                "jailbreak": {"filtered": False, "detected": False},
                "self_harm": {"filtered": False, "severity": "safe"},
                "sexual": {"filtered": False, "severity": "safe"},
                "violence": {"filtered": True, "severity": "medium"},
            },
        },
    )
