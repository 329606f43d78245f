"""Client settings: the keywords a user passes, checked and resolved once.

Everything here runs when a client is built (or copied with `with_options`), never
per request. Every mistake a user can make is a `ConfigurationError` that names the
field and says what to do, and never quotes a secret.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping

import httpx

from .._auth._identity import IDENTITY_SETTINGS, build_token_auth, check_identity_settings
from .._auth._static import ApiKeyAuth, Auth, BearerTokenAuth
from ..exceptions import ConfigurationError
from ._retry import DEFAULT_MAX_RETRIES
from ._secret import Secret
from ._types import NOT_GIVEN, NotGiven, Timeout
from ._urls import OPENAI_BASE_URL, azure_base_url
from ._versions import V1

__all__ = ["AUTH_SETTINGS", "AUTH_SOURCES", "DEFAULT_TIMEOUT", "SECRET_SETTINGS", "ClientOptions", "resolve_options"]

DEFAULT_TIMEOUT = httpx.Timeout(timeout=600.0, connect=5.0)
"""Long reads: a large completion can take minutes to produce."""

PROVIDERS = ("azure-openai", "openai")

AUTH_SOURCES = ("api_key", "azure_ad_token", "azure_ad_token_provider", "credential", "azure_auth_mode")
"""The ways to authenticate: at most one per client. Passing one to `with_options` replaces
the whole auth configuration (AUTH_SETTINGS); other auth settings refine the current one."""
AUTH_SETTINGS = AUTH_SOURCES + IDENTITY_SETTINGS
SECRET_SETTINGS = frozenset({"api_key", "azure_ad_token", "azure_entra_client_secret"})
"""Wrapped in `Secret` as soon as a client receives them."""


@dataclass(frozen=True, slots=True)
class ClientOptions:
    provider: str
    base_url: str
    """Up to and including /openai for Azure (…/openai/v1 with api_version="v1"), or OpenAI's /v1."""
    api_version: str | None
    """The dated api-version sent as a query parameter; None for v1 and OpenAI."""
    deployment_id: str | None
    deployment_in_path: bool
    auth: Auth
    timeout: httpx.Timeout
    max_retries: int
    default_headers: Mapping[str, str]
    settings: Mapping[str, Any]
    """The keywords as given, for `with_options` (secrets stay wrapped)."""
    strict_response_validation: bool = False
    """Any deviation of a response from its model raises instead of being tolerated."""
    unconfigured: str | None = None
    """Why this client has nothing to call (built with no target settings); None when it has."""

    @property
    def api_version_label(self) -> str:
        return self.api_version or V1


def _secret(name: str, value: object) -> Secret | None:
    if value is None:
        return None
    if isinstance(value, Secret):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string; got {type(value).__name__}.")
    return Secret(value.strip())


def _optional_str(name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string; got {type(value).__name__}.")
    return value.strip()


def _timeout(value: Timeout) -> httpx.Timeout:
    if isinstance(value, NotGiven):
        return DEFAULT_TIMEOUT
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return httpx.Timeout(value)
    if isinstance(value, httpx.Timeout):
        return value
    raise ConfigurationError(
        f"timeout must be seconds (a number), an httpx.Timeout or None; got {type(value).__name__}."
    )


def _azure_auth(settings: Mapping[str, Any], asynchronous: bool) -> Auth:
    given = [k for k in AUTH_SOURCES if settings.get(k) is not None]
    if len(given) > 1:
        raise ConfigurationError(
            f"Pass one way to authenticate, not {' and '.join(f'{k}=' for k in given)}: "
            "choose api_key=, azure_ad_token=, azure_ad_token_provider=, credential= or azure_auth_mode=."
        )
    way = given[0] if given else None
    if way in ("azure_ad_token_provider", "credential", "azure_auth_mode"):
        return build_token_auth(way, settings, asynchronous=asynchronous)
    check_identity_settings(settings, way)
    api_key = _secret("api_key", settings.get("api_key"))
    ad_token = _secret("azure_ad_token", settings.get("azure_ad_token"))
    if ad_token:
        return BearerTokenAuth(ad_token)
    if api_key:
        return ApiKeyAuth(api_key)
    env_key = os.environ.get("AZURE_OPENAI_API_KEY")
    if env_key:
        return ApiKeyAuth(Secret(env_key.strip()))
    env_token = os.environ.get("AZURE_OPENAI_AD_TOKEN")
    if env_token:
        return BearerTokenAuth(Secret(env_token.strip()))
    raise ConfigurationError("No credentials: pass api_key= (or set AZURE_OPENAI_API_KEY), or azure_ad_token=.")


def resolve_options(settings: Mapping[str, Any], *, asynchronous: bool = False) -> ClientOptions:
    """Check the user's keywords and turn them into what a request needs.

    `asynchronous` says which client it is for: a sync client refuses async credentials."""
    if settings.get("config") is not None:
        return _router_options(settings)
    if not any(settings.get(k) is not None for k in _TARGET_SETTINGS) and not any(map(os.environ.get, _TARGET_ENV)):
        return _router_options(settings, unconfigured=True)
    provider = settings.get("provider") or "azure-openai"
    if provider not in PROVIDERS:
        raise ConfigurationError(f"provider must be one of {', '.join(PROVIDERS)}; got {provider!r}.")

    max_retries = settings.get("max_retries", DEFAULT_MAX_RETRIES)
    if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be an integer >= 0; got {max_retries!r}.")
    headers = settings.get("default_headers") or {}
    if not isinstance(headers, Mapping) or not all(isinstance(v, str) for v in headers.values()):
        raise ConfigurationError("default_headers must be a mapping of header names to strings.")
    deployment_id = _optional_str("deployment_id", settings.get("deployment_id"))
    timeout = _timeout(settings.get("timeout", NOT_GIVEN))
    strict = settings.get("strict_response_validation", False)
    if not isinstance(strict, bool):
        raise ConfigurationError(f"strict_response_validation must be True or False; got {type(strict).__name__}.")

    if provider == "openai":
        azure_only = [k for k in AUTH_SETTINGS if k != "api_key" and settings.get(k) is not None]
        if azure_only:
            raise ConfigurationError(
                f"provider='openai' authenticates with api_key= only; drop {', '.join(azure_only)}."
            )
        key = _secret("api_key", settings.get("api_key") or os.environ.get("OPENAI_API_KEY"))
        if key is None:
            raise ConfigurationError("provider='openai' needs api_key= (or OPENAI_API_KEY).")
        base_url = _optional_str("base_url", settings.get("base_url")) or OPENAI_BASE_URL
        return ClientOptions(
            provider, base_url.rstrip("/"), None, deployment_id, False,
            ApiKeyAuth(key, header="Authorization"), timeout, max_retries, dict(headers), dict(settings), strict,
        )  # fmt: skip

    api_version = _optional_str("api_version", settings.get("api_version") or os.environ.get("OPENAI_API_VERSION"))
    if api_version is None:
        raise ConfigurationError(
            "api_version is required for Azure OpenAI, e.g. api_version='2024-10-21' "
            "(or set OPENAI_API_VERSION); use api_version='v1' for the versionless v1 API."
        )
    endpoint = _optional_str("azure_endpoint", settings.get("azure_endpoint") or settings.get("base_url"))
    resource_name = _optional_str("resource_name", settings.get("resource_name"))
    if endpoint is None and resource_name is None:
        endpoint = _optional_str("AZURE_OPENAI_ENDPOINT", os.environ.get("AZURE_OPENAI_ENDPOINT"))
    base_url = azure_base_url(resource_name, endpoint)
    is_v1 = api_version == V1
    return ClientOptions(
        provider=provider,
        base_url=base_url + "/v1" if is_v1 else base_url,
        api_version=None if is_v1 else api_version,
        deployment_id=deployment_id,
        deployment_in_path=not is_v1,
        auth=_azure_auth(settings, asynchronous),
        timeout=timeout,
        max_retries=max_retries,
        default_headers=dict(headers),
        settings=dict(settings),
        strict_response_validation=strict,
    )


_TARGET_SETTINGS = (
    "provider",
    "resource_name",
    "deployment_id",
    "api_version",
    "azure_endpoint",
    "base_url",
    *AUTH_SETTINGS,
)
_TARGET_ENV = ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN", "OPENAI_API_VERSION")


class _NoAuth:
    """The auth of a client that does not call its own endpoint: a routed client (its
    targets authenticate) or one built with nothing to call yet (`Client()`, which gets
    targets from `with_options(config=...)`); asked for headers, it says what is missing."""

    def __init__(self, unconfigured: str | None) -> None:
        self._unconfigured = unconfigured

    def headers(self) -> Mapping[str, str]:
        if self._unconfigured:
            raise ConfigurationError(self._unconfigured)
        return {}

    async def async_headers(self) -> Mapping[str, str]:
        return self.headers()

    def invalidate(self, response: httpx.Response | None = None) -> bool:
        return False


def _router_options(settings: Mapping[str, Any], *, unconfigured: bool = False) -> ClientOptions:
    """A client with a routing config calls its targets, never its own endpoint: its settings
    are the targets' defaults, checked with each target (azgate._routing)."""
    why = (
        "This client has nothing to call: pass resource_name= (or azure_endpoint=), api_key= and "
        "api_version=, or give it targets with with_options(config={...})."
        if unconfigured
        else None
    )
    return ClientOptions(
        provider=str(settings.get("provider") or "azure-openai"),
        base_url="",
        api_version=None,
        deployment_id=None,
        deployment_in_path=False,
        auth=_NoAuth(why),
        timeout=DEFAULT_TIMEOUT,
        max_retries=DEFAULT_MAX_RETRIES,
        default_headers={},
        settings=dict(settings),
        unconfigured=why,
    )
