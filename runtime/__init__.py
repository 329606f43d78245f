"""azgate: a typed Python SDK for Azure OpenAI, generated from Azure's OpenAPI documents.

from azgate import Client
client = Client(api_key=..., resource_name="my-resource", api_version="2024-10-21")
client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
"""

from ._core._base_client import BinaryResponse
from ._core._pagination import AsyncPage, AsyncPaginator, SyncPage
from ._core._response import APIResponse, AsyncStreamedAPIResponse, StreamedAPIResponse
from ._core._streaming import AsyncStream, Stream
from ._core._types import NOT_GIVEN, NotGiven
from ._routing._info import RouteInfo
from ._version import __version__
from .exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    AzgateError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    IncompleteStreamError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    TokenAcquisitionError,
    UnprocessableEntityError,
    UnsupportedByApiVersionError,
)
from .generated import AsyncClient, Client

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncStream",
    "AsyncStreamedAPIResponse",
    "AuthenticationError",
    "AzgateError",
    "BadRequestError",
    "BinaryResponse",
    "Client",
    "ConfigurationError",
    "ConflictError",
    "IncompleteStreamError",
    "InternalServerError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "RateLimitError",
    "RouteInfo",
    "Stream",
    "StreamedAPIResponse",
    "SyncPage",
    "TokenAcquisitionError",
    "UnprocessableEntityError",
    "UnsupportedByApiVersionError",
    "__version__",
]
