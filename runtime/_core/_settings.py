"""The keywords of `Client`, `AsyncClient` and `with_options`, typed once for both."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypedDict

from ._types import Timeout

__all__ = ["ClientSettings"]


class ClientSettings(TypedDict, total=False):
    """Settings of a client. Unset ones fall back to AZURE_OPENAI_API_KEY,
    AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION; all are checked when the client is
    built, before any request.

    Authenticate with one of: `api_key`; `azure_ad_token`; `azure_ad_token_provider` (a
    function returning a token); `credential` (an azure-core token credential); or
    `azure_auth_mode` "entra" (`azure_entra_tenant_id`, `azure_entra_client_id`,
    `azure_entra_client_secret`), "managed" (`azure_managed_client_id` for a user-assigned
    identity) or "workload" (`azure_workload_client_id`, AZURE_* environment variables).
    `azure_entra_scope` (default https://cognitiveservices.azure.com/.default) and
    `azure_authority_host` (sovereign clouds, private authorities) refine the token ones.
    """

    provider: str
    """"azure-openai" (default) or "openai"."""
    api_key: str | None
    resource_name: str | None
    """The Azure OpenAI resource's name: https://{resource_name}.openai.azure.com."""
    deployment_id: str | None
    """The deployment every call uses; without it, each call's `model` names the deployment."""
    api_version: str | None
    """A dated api-version such as "2024-10-21", or "v1"."""
    azure_endpoint: str | None
    """A resource URL instead of resource_name: private endpoints, API Management, other clouds."""
    base_url: str | None
    azure_ad_token: str | None
    azure_ad_token_provider: Callable[[], Any] | None
    credential: Any | None
    azure_auth_mode: str | None
    azure_entra_tenant_id: str | None
    azure_entra_client_id: str | None
    azure_entra_client_secret: str | None
    azure_entra_scope: str | None
    azure_managed_client_id: str | None
    azure_workload_client_id: str | None
    azure_authority_host: str | None
    timeout: Timeout
    """Seconds, an httpx.Timeout, or None for no timeout (default: 600 s read, 5 s connect)."""
    max_retries: int
    """Retries after connection errors, timeouts, 408, 429 and 5xx (default 2)."""
    default_headers: Mapping[str, str] | None
    strict_response_validation: bool
    """False (default): a response that deviates from the spec (a missing or extra field,
    an enum value or union member the spec does not know) still comes back typed, the
    deviating parts kept as they came. True: any deviation from the response model raises
    APIResponseValidationError naming the field, to detect drift. Fields the spec does not
    declare are kept either way."""
    config: Any
    """A routing config (a dict, a JSON string, or the path of a JSON or YAML file): the
    client then calls the config's targets, and its own settings are their defaults."""
    metadata: Mapping[str, Any] | None
    """Routing metadata for conditional routing (`metadata.<key>` in conditions); never sent."""
    cache_force_refresh: bool
    """Routed calls skip the cache (and refresh it)."""
