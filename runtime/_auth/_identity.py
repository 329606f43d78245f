"""Token-based auth from the client's keywords: azure-identity credentials, built lazily.

    azure_auth_mode="entra"     ClientSecretCredential(tenant, client id, secret)
    azure_auth_mode="managed"   ManagedIdentityCredential(client_id=None: system-assigned)
    azure_auth_mode="workload"  WorkloadIdentityCredential (AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE,
                                AZURE_CLIENT_ID, AZURE_AUTHORITY_HOST from the environment)
    credential=                 any TokenCredential / AsyncTokenCredential
    azure_ad_token_provider=    a function returning a token string (sync or async)

azure.identity is imported only here, only for the three modes (it costs ~0.2 s), and
only the settings each way uses are accepted: a stray one is a ConfigurationError.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import urlsplit

from .._core._secret import Secret
from ..exceptions import ConfigurationError

if TYPE_CHECKING:  # loaded by the first client with token auth: an api-key client never needs it
    from ._token_auth import CredentialAuth, TokenProviderAuth

__all__ = [
    "AUTH_MODES",
    "DEFAULT_SCOPE",
    "IDENTITY_SETTINGS",
    "build_token_auth",
    "check_identity_settings",
    "normalise_scope",
]

DEFAULT_SCOPE = "https://cognitiveservices.azure.com/.default"
AUTH_MODES = ("entra", "managed", "workload")

_SCOPE = "azure_entra_scope"
_AUTHORITY = "azure_authority_host"
# Which settings each way of getting a token reads (besides the one that chooses it).
_USES: Mapping[str, tuple[str, ...]] = {
    "entra": ("azure_entra_tenant_id", "azure_entra_client_id", "azure_entra_client_secret", _SCOPE, _AUTHORITY),
    "managed": ("azure_managed_client_id", _SCOPE),
    "workload": ("azure_workload_client_id", _SCOPE, _AUTHORITY),
    "credential": (_SCOPE,),
    "azure_ad_token_provider": (),
    "api_key": (),
    "azure_ad_token": (),
}
IDENTITY_SETTINGS: tuple[str, ...] = tuple(dict.fromkeys(k for keys in _USES.values() for k in keys))
"""Settings that only refine a token-based way to authenticate."""

# Microsoft's public authority hosts, for which instance discovery works; for any other host
# (a private authority, Azure Stack, a test server) it is turned off.
_KNOWN_AUTHORITIES = frozenset(
    {"login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.microsoftonline.de"}
)


def _describe(way: str) -> str:
    return f"azure_auth_mode={way!r}" if way in AUTH_MODES else f"{way}="


def check_identity_settings(settings: Mapping[str, Any], way: str | None) -> None:
    """Refuse settings that the chosen way to authenticate (None: api key from the env) ignores."""
    allowed = _USES.get(way or "api_key", ())
    stray = [k for k in IDENTITY_SETTINGS if settings.get(k) is not None and k not in allowed]
    if not stray:
        return
    users = {k: [w for w, keys in _USES.items() if k in keys] for k in stray}
    needs = "; ".join(f"{k} is used only with {' or '.join(_describe(w) for w in ws)}" for k, ws in users.items())
    chosen = f"this client authenticates with {_describe(way)}" if way else "no azure_auth_mode is set"
    raise ConfigurationError(f"{needs}, but {chosen}.")


def normalise_scope(scope: str) -> str:
    """A resource ("https://cognitiveservices.azure.com") or a scope, as a /.default scope."""
    scope = scope.strip()
    return scope if scope.endswith("/.default") else scope.rstrip("/") + "/.default"


def _text(settings: Mapping[str, Any], name: str) -> str | None:
    value = settings.get(name)
    if value is None:
        return None
    if isinstance(value, Secret):
        value = value.reveal()
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string; got {type(value).__name__}.")
    return value.strip()


def _identity_module() -> ModuleType:
    try:
        return importlib.import_module("azure.identity")
    except ImportError:
        raise ConfigurationError(
            'azure_auth_mode needs the azure-identity package: pip install "azgate[identity]"'
        ) from None


def _authority(host: str | None) -> dict[str, Any]:
    if host is None:
        return {}
    url = host if "://" in host else f"https://{host}"
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ConfigurationError(f"azure_authority_host must be an https:// URL or a host name; got {host!r}.")
    options: dict[str, Any] = {"authority": url.rstrip("/")}
    if parts.hostname.lower() not in _KNOWN_AUTHORITIES:
        options["disable_instance_discovery"] = True  # no Microsoft metadata for a private authority
    return options


def _missing(names: list[str], way: str) -> None:
    if names:
        raise ConfigurationError(f"azure_auth_mode={way!r} needs {', '.join(names)}.")


def _credential(mode: str, settings: Mapping[str, Any]) -> tuple[object, list[Secret]]:
    """(a new azure.identity credential, the secrets it was given)."""
    authority = _authority(_text(settings, _AUTHORITY))
    if mode == "entra":
        tenant = _text(settings, "azure_entra_tenant_id")
        client_id = _text(settings, "azure_entra_client_id")
        secret = _text(settings, "azure_entra_client_secret")
        _missing(
            [n for n, v in (("azure_entra_tenant_id", tenant), ("azure_entra_client_id", client_id),
                            ("azure_entra_client_secret", secret)) if v is None],
            mode,
        )  # fmt: skip
        assert tenant is not None and client_id is not None and secret is not None
        return _identity_module().ClientSecretCredential(tenant, client_id, secret, **authority), [Secret(secret)]
    if mode == "managed":
        client_id = _text(settings, "azure_managed_client_id")
        return _identity_module().ManagedIdentityCredential(client_id=client_id), []
    client_id = _text(settings, "azure_workload_client_id") or os.environ.get("AZURE_CLIENT_ID")
    _missing(
        [n for n, v in (("AZURE_TENANT_ID (environment)", os.environ.get("AZURE_TENANT_ID")),
                        ("AZURE_FEDERATED_TOKEN_FILE (environment)", os.environ.get("AZURE_FEDERATED_TOKEN_FILE")),
                        ("azure_workload_client_id (or AZURE_CLIENT_ID)", client_id)) if not v],
        mode,
    )  # fmt: skip
    if not authority:
        authority = _authority(os.environ.get("AZURE_AUTHORITY_HOST") or None)
    return _identity_module().WorkloadIdentityCredential(client_id=client_id, **authority), []


def build_token_auth(
    way: str, settings: Mapping[str, Any], *, asynchronous: bool
) -> CredentialAuth | TokenProviderAuth:
    """The auth for a token-based `way` ("azure_auth_mode", "credential" or "azure_ad_token_provider")."""
    from ._token_auth import CredentialAuth, TokenProviderAuth

    if way != "azure_auth_mode":
        check_identity_settings(settings, way)
    if way == "azure_ad_token_provider":
        return TokenProviderAuth(settings[way], asynchronous=asynchronous)
    scope = normalise_scope(_text(settings, _SCOPE) or DEFAULT_SCOPE)
    if way == "credential":
        return CredentialAuth(settings[way], scope, asynchronous=asynchronous)
    mode = settings.get("azure_auth_mode")
    if mode not in AUTH_MODES:
        raise ConfigurationError(f"azure_auth_mode must be one of {', '.join(map(repr, AUTH_MODES))}; got {mode!r}.")
    check_identity_settings(settings, mode)
    try:
        credential, secrets = _credential(mode, settings)
    except ValueError as exc:  # azure.identity's own checks (a malformed tenant id, say)
        if isinstance(exc, ConfigurationError):
            raise
        raise ConfigurationError(f"azure_auth_mode={mode!r}: {exc}") from None
    # Built here, so owned here: the client closes it; async clients call it in a worker
    # thread (azure.identity.aio would need aiohttp).
    return CredentialAuth(credential, scope, asynchronous=asynchronous, owned=True, secrets=secrets)
