"""azgate: a typed Python SDK for Azure OpenAI, generated from Azure's OpenAPI documents.

from azgate import Client
client = Client(api_key=..., resource_name="my-resource", api_version="2024-10-21")
client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])

`import azgate` loads neither pydantic nor a model: the first call does (README, "What loads when").
Nor the async client, token auth or routing: the first use of their names does.
"""

from typing import TYPE_CHECKING, Any

from ._core._base_client import BinaryResponse
from ._core._response import APIResponse, AsyncStreamedAPIResponse, StreamedAPIResponse
from ._core._retry import DEFAULT_MAX_RETRIES
from ._core._types import NOT_GIVEN, NotGiven
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
    ClientClosedError,
    ConfigurationError,
    ConflictError,
    ContentFilterFinishReasonError,
    IncompleteStreamError,
    InternalServerError,
    LengthFinishReasonError,
    NotFoundError,
    OpenAIError,
    PermissionDeniedError,
    RateLimitError,
    TokenAcquisitionError,
    UnprocessableEntityError,
    UnsupportedByApiVersionError,
)
from .generated import Client

if TYPE_CHECKING:
    from ._auth._token_auth import AsyncAzureADTokenProvider, AzureADTokenProvider
    from ._core._async_client import DefaultAsyncHttpxClient
    from ._core._pagination import AsyncPage, AsyncPaginator, SyncPage
    from ._core._streaming import AsyncStream, Stream
    from ._core._sync_client import DefaultHttpxClient
    from ._core._timeout_class import DEFAULT_TIMEOUT, Timeout
    from ._helpers._tools import pydantic_function_tool
    from ._routing._info import RouteInfo
    from .generated import AsyncClient

    AsyncAzureOpenAI = AsyncClient

# Names loaded on first access (PEP 562): those whose modules import pydantic or httpx, and
# those a synchronous api-key client never uses. Each is (module, its name there).
_LAZY = {
    "AsyncAzureADTokenProvider": ("._auth._token_auth", "AsyncAzureADTokenProvider"),
    "AsyncAzureOpenAI": (".generated", "AsyncClient"),
    "AsyncClient": (".generated", "AsyncClient"),
    "AsyncPage": ("._core._pagination", "AsyncPage"),
    "AsyncPaginator": ("._core._pagination", "AsyncPaginator"),
    "AsyncStream": ("._core._streaming", "AsyncStream"),
    "AzureADTokenProvider": ("._auth._token_auth", "AzureADTokenProvider"),
    "DEFAULT_TIMEOUT": ("._core._timeout_class", "DEFAULT_TIMEOUT"),
    "DefaultAsyncHttpxClient": ("._core._async_client", "DefaultAsyncHttpxClient"),
    "DefaultHttpxClient": ("._core._sync_client", "DefaultHttpxClient"),
    "RouteInfo": ("._routing._info", "RouteInfo"),
    "Stream": ("._core._streaming", "Stream"),
    "SyncPage": ("._core._pagination", "SyncPage"),
    "Timeout": ("._core._timeout_class", "Timeout"),
    "pydantic_function_tool": ("._helpers._tools", "pydantic_function_tool"),
}

if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        try:
            module, attribute = _LAZY[name]
        except KeyError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        from importlib import import_module

        value = getattr(import_module(module, __name__), attribute)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


AzureOpenAI = Client
"""openai-python's name: `Client` takes AzureOpenAI's keywords with their meaning
(`AsyncAzureOpenAI` is `AsyncClient`)."""

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAzureADTokenProvider",
    "AsyncAzureOpenAI",
    "AsyncClient",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncStream",
    "AsyncStreamedAPIResponse",
    "AuthenticationError",
    "AzgateError",
    "AzureADTokenProvider",
    "AzureOpenAI",
    "BadRequestError",
    "BinaryResponse",
    "Client",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "ContentFilterFinishReasonError",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "IncompleteStreamError",
    "InternalServerError",
    "LengthFinishReasonError",
    "NotFoundError",
    "NotGiven",
    "OpenAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "RouteInfo",
    "Stream",
    "StreamedAPIResponse",
    "SyncPage",
    "Timeout",
    "TokenAcquisitionError",
    "UnprocessableEntityError",
    "UnsupportedByApiVersionError",
    "__version__",
    "pydantic_function_tool",
]
