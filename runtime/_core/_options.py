"""Client settings: the keywords a user passes, checked and resolved once.

Everything here runs when a client is built (or copied with `with_options`), never
per request. Every mistake a user can make is a `ConfigurationError` that names the
field and says what to do, and never quotes a secret.
"""

from __future__ import annotations

import os
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping, NamedTuple, TypedDict

from .._auth._identity import IDENTITY_SETTINGS, build_token_auth, check_identity_settings
from .._auth._static import ApiKeyAuth, Auth, BearerTokenAuth
from ..exceptions import ConfigurationError
from ._retry import DEFAULT_MAX_RETRIES
from ._secret import Secret, header_safe
from ._settings import SETTING_NAMES
from ._timeouts import DEFAULT_STEPS, Steps, check_seconds, check_timeout
from ._types import NOT_GIVEN, NotGiven
from ._urls import OPENAI_BASE_URL, azure_base_url, check_base_url, split_deployment
from ._versions import V1

if TYPE_CHECKING:
    import httpx

__all__ = [
    "ALTERNATIVES",
    "AUTH_SETTINGS",
    "AUTH_SOURCES",
    "SECRET_SETTINGS",
    "ClientOptions",
    "check_headers",
    "check_keywords",
    "resolve_options",
]

PROVIDERS = ("azure-openai", "openai")

AUTH_SOURCES = ("api_key", "azure_ad_token", "azure_ad_token_provider", "credential", "azure_auth_mode")
"""The ways to authenticate: at most one per client. Passing one to `with_options` replaces
the whole auth configuration (AUTH_SETTINGS); other auth settings refine the current one."""
AUTH_SETTINGS = AUTH_SOURCES + IDENTITY_SETTINGS
SECRET_SETTINGS = frozenset({"api_key", "azure_ad_token", "azure_entra_client_secret"})
"""Wrapped in `Secret` as soon as a client receives them."""

ALTERNATIVES: tuple[frozenset[str], ...] = (
    frozenset({"deployment_id", "azure_deployment"}),
    frozenset({"resource_name", "azure_endpoint", "base_url"}),
)
"""Settings that say the same thing: `with_options` setting one drops the others."""

_TARGET_SETTINGS = frozenset(
    {"provider", "resource_name", "deployment_id", "azure_deployment", "api_version", "azure_endpoint", "base_url"}
) | frozenset(AUTH_SETTINGS)
"""Settings that say what to call and how to authenticate. A client given none of them
(`Client()`, `Client(timeout=...)`) may be built with nothing to call: it gets targets
later (`with_options(config=...)`), and a call before that is a ConfigurationError."""

_OPENAI_PYTHON_ONLY = {
    "websocket_base_url": "azgate has no realtime (websocket) client",
    "webhook_secret": "azgate does not verify webhooks",
    "workload_identity": 'use azure_auth_mode="workload" (and azure_workload_client_id=)',
    "_strict_response_validation": "azgate's name for it is strict_response_validation=",
}
"""openai-python's AzureOpenAI keywords that azgate does not take, and what to do instead."""

_KNOWN_NAMES = SETTING_NAMES | {"http_client"}


class ClientOptions(NamedTuple):
    """A client's resolved settings. Immutable; `with_options` makes new ones.
    (A NamedTuple, not a frozen dataclass: it is made at import, and a dataclass executes
    generated code for that.)"""

    provider: str
    base_url: str
    """Up to and including /openai for Azure (…/openai/v1 with api_version="v1"), or OpenAI's /v1."""
    api_version: str | None
    """The dated api-version sent as a query parameter; None for v1 and OpenAI."""
    deployment_id: str | None
    deployment_in_path: bool
    auth: Auth
    timeout: Steps
    max_retries: int
    default_headers: Mapping[str, str]
    settings: Mapping[str, Any]
    """The keywords as given, for `with_options` (secrets stay wrapped; never in the repr)."""
    total_timeout: float | None = None
    default_query: Mapping[str, str] = MappingProxyType({})
    strict_response_validation: bool = False
    """Any deviation of a response from its model raises instead of being tolerated."""
    unconfigured: str | None = None
    """Why this client has nothing to call (built with no target settings); None when it has."""

    @property
    def api_version_label(self) -> str:
        return self.api_version or V1

    @property
    def config(self) -> Mapping[str, Any] | None:
        config: Mapping[str, Any] | None = self.settings.get("config")
        return config

    def __repr__(self) -> str:  # the settings as given stay out (their secrets are wrapped, but still)
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields if name != "settings")
        return f"ClientOptions({shown})"


class _Common(TypedDict):
    """What every provider's options share."""

    timeout: Steps
    total_timeout: float | None
    max_retries: int
    default_headers: Mapping[str, str]
    default_query: Mapping[str, str]
    settings: Mapping[str, Any]
    strict_response_validation: bool


def _strict(settings: Mapping[str, Any]) -> bool:
    strict = settings.get("strict_response_validation", False)
    if not isinstance(strict, bool):
        raise ConfigurationError(f"strict_response_validation must be True or False; got {type(strict).__name__}.")
    return strict


def check_keywords(settings: Mapping[str, Any]) -> None:
    """Refuse a keyword no client takes, naming the closest one that exists."""
    for name in settings:
        if name in SETTING_NAMES:
            continue
        if name in _OPENAI_PYTHON_ONLY:
            raise ConfigurationError(
                f"{name} is an openai-python setting azgate does not take: {_OPENAI_PYTHON_ONLY[name]}."
            )
        import difflib  # only for a misspelt keyword: not worth loading for every `import azgate`

        close = difflib.get_close_matches(name, sorted(_KNOWN_NAMES), n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]}=?" if close else " See help(azgate.Client) for every setting."
        raise ConfigurationError(f"Unknown setting {name}=.{hint}")


def check_headers(headers: object, field_name: str) -> dict[str, str]:
    """Header names and values that can be sent as they are (never quoting a value: it may be a key)."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise ConfigurationError(f"{field_name} must be a mapping of header names to strings.")
    out: dict[str, str] = {}
    for name, value in headers.items():
        if isinstance(value, NotGiven):
            continue
        if (
            not isinstance(name, str)
            or not name
            or not all((c.isascii() and c.isalnum()) or c in "!#$%&'*+-.^_`|~" for c in name)
        ):
            raise ConfigurationError(
                f"{field_name} has a header name that is not a valid HTTP token ({type(name).__name__} {name!r})."
            )
        if not isinstance(value, str):
            raise ConfigurationError(f"{field_name}[{name!r}] must be a string; got {type(value).__name__}.")
        if value and not header_safe(value):
            raise ConfigurationError(
                f"{field_name}[{name!r}] cannot be sent: it has a non-ASCII or control character, or spaces at "
                "either end."
            )
        out[name] = value
    return out


def _secret(name: str, value: object) -> Secret | None:
    """A key or token, stripped of surrounding whitespace (a newline copied from a file) and
    checked to be sendable; the message never shows it."""
    if value is None:
        return None
    raw = value.reveal() if isinstance(value, Secret) else value
    if not isinstance(raw, str):
        raise ConfigurationError(f"{name} must be a string; got {type(raw).__name__}.")
    raw = raw.strip()
    if not raw:
        raise ConfigurationError(f"{name} is empty; pass the key or token itself.")
    if not header_safe(raw):
        raise ConfigurationError(
            f"{name} has a non-ASCII or control character in it, so it cannot be sent in a header; "
            "check for a character copied along with it."
        )
    return Secret(raw)


def _optional_str(name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string; got {type(value).__name__}.")
    return value.strip()


def _timeouts(settings: Mapping[str, Any]) -> tuple[Steps, float | None]:
    value = settings.get("timeout", NOT_GIVEN)
    timeout = DEFAULT_STEPS if isinstance(value, NotGiven) else check_timeout(value)
    total = check_seconds("total_timeout", settings.get("total_timeout"))
    if timeout.total is not None:
        if total is not None and total != timeout.total:
            raise ConfigurationError("Pass total_timeout= or timeout=Timeout(..., total=...), not both.")
        total = timeout.total
    return timeout, total


def _query(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise ConfigurationError("default_query must be a mapping of parameter names to values.")
    out: dict[str, str] = {}
    for key, item in value.items():
        if item is None or isinstance(item, NotGiven):
            continue
        if not isinstance(item, (str, int, float)):
            raise ConfigurationError(f"default_query[{key!r}] must be a string or a number; got {type(item).__name__}.")
        out[key] = ("true" if item else "false") if isinstance(item, bool) else str(item)
    return out


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


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
    env_key = _secret("AZURE_OPENAI_API_KEY (environment)", _env("AZURE_OPENAI_API_KEY"))
    if env_key:
        return ApiKeyAuth(env_key)
    env_token = _secret("AZURE_OPENAI_AD_TOKEN (environment)", _env("AZURE_OPENAI_AD_TOKEN"))
    if env_token:
        return BearerTokenAuth(env_token)
    raise ConfigurationError("No credentials: pass api_key= (or set AZURE_OPENAI_API_KEY), or azure_ad_token=.")


def _one_of(settings: Mapping[str, Any], *names: str) -> str | None:
    given = [n for n in names if settings.get(n) is not None]
    if len(given) > 1:
        raise ConfigurationError(f"Pass {' or '.join(f'{n}=' for n in given)}, not both: they say the same thing.")
    return _optional_str(given[0], settings[given[0]]) if given else None


def _openai_headers(settings: Mapping[str, Any]) -> dict[str, str]:
    """openai-python sends these to Azure too; so do we, from the same settings and variables."""
    headers = {}
    organization = _optional_str("organization", settings.get("organization") or _env("OPENAI_ORG_ID"))
    project = _optional_str("project", settings.get("project") or _env("OPENAI_PROJECT_ID"))
    if organization:
        headers["OpenAI-Organization"] = organization
    if project:
        headers["OpenAI-Project"] = project
    return check_headers(headers, "organization/project")


def resolve_options(settings: Mapping[str, Any], *, asynchronous: bool = False) -> ClientOptions:
    """Check the user's keywords and turn them into what a request needs.

    `asynchronous` says which client it is for: a sync client refuses async credentials."""
    check_keywords(settings)
    if settings.get("config") is not None:
        return _router_options(settings)
    if not any(settings.get(k) is not None for k in _TARGET_SETTINGS):
        try:
            return _resolve(settings, asynchronous)
        except ConfigurationError as exc:  # nothing given, and the environment does not say
            return _unconfigured(settings, str(exc))
    return _resolve(settings, asynchronous)


def _unconfigured(settings: Mapping[str, Any], reason: str) -> ClientOptions:
    timeout, total = _timeouts(settings)
    return ClientOptions(
        provider="azure-openai",
        base_url="",
        api_version=None,
        deployment_id=None,
        deployment_in_path=True,
        auth=_NoAuth(reason),
        timeout=timeout,
        max_retries=_max_retries(settings),
        default_headers=check_headers(settings.get("default_headers"), "default_headers"),
        settings=dict(settings),
        total_timeout=total,
        default_query=_query(settings.get("default_query")),
        strict_response_validation=_strict(settings),
        unconfigured=reason,
    )


def _max_retries(settings: Mapping[str, Any]) -> int:
    max_retries = settings.get("max_retries", DEFAULT_MAX_RETRIES)
    if not isinstance(max_retries, int) or isinstance(max_retries, bool) or not 0 <= max_retries <= 100:
        raise ConfigurationError(f"max_retries must be an integer from 0 to 100; got {max_retries!r}.")
    return max_retries


def _resolve(settings: Mapping[str, Any], asynchronous: bool) -> ClientOptions:
    provider = settings.get("provider") or "azure-openai"
    if provider not in PROVIDERS:
        raise ConfigurationError(f"provider must be one of {', '.join(PROVIDERS)}; got {provider!r}.")
    max_retries = _max_retries(settings)
    headers = {
        **check_headers(settings.get("default_headers"), "default_headers"),
        **_openai_headers(settings),
    }
    default_query = _query(settings.get("default_query"))
    deployment_id = _one_of(settings, "deployment_id", "azure_deployment")
    timeout, total_timeout = _timeouts(settings)
    common: _Common = {
        "timeout": timeout,
        "total_timeout": total_timeout,
        "max_retries": max_retries,
        "default_headers": headers,
        "default_query": default_query,
        "settings": dict(settings),
        "strict_response_validation": _strict(settings),
    }

    if provider == "openai":
        azure_only = [k for k in AUTH_SETTINGS if k != "api_key" and settings.get(k) is not None]
        if azure_only:
            raise ConfigurationError(
                f"provider='openai' authenticates with api_key= only; drop {', '.join(azure_only)}."
            )
        azure_urls = [k for k in ("resource_name", "azure_endpoint") if settings.get(k) is not None]
        if azure_urls:
            raise ConfigurationError(
                f"provider='openai' calls base_url= (default OpenAI's); drop {', '.join(azure_urls)}."
            )
        key = _secret("api_key", settings.get("api_key") or _env("OPENAI_API_KEY"))
        if key is None:
            raise ConfigurationError("provider='openai' needs api_key= (or OPENAI_API_KEY).")
        base_url = settings.get("base_url")
        return ClientOptions(
            provider=provider,
            base_url=check_base_url(base_url, "base_url") if base_url is not None else OPENAI_BASE_URL,
            api_version=None,
            deployment_id=deployment_id,
            deployment_in_path=False,
            auth=ApiKeyAuth(key, header="Authorization"),
            **common,
        )

    api_version = _optional_str("api_version", settings.get("api_version") or _env("OPENAI_API_VERSION"))
    if api_version is None:
        raise ConfigurationError(
            "api_version is required for Azure OpenAI, e.g. api_version='2024-10-21' "
            "(or set OPENAI_API_VERSION); use api_version='v1' for the versionless v1 API."
        )
    is_v1 = api_version == V1
    where = _one_of(settings, "resource_name", "azure_endpoint", "base_url")
    if settings.get("base_url") is not None:
        # openai-python's meaning: the whole base, used as given; a trailing
        # /deployments/{name} fixes the deployment, like azure_deployment=.
        base_url, fixed = split_deployment(check_base_url(settings["base_url"], "base_url"))
        if fixed is not None:
            if deployment_id is not None and deployment_id != fixed:
                raise ConfigurationError("base_url names a deployment and deployment_id= names another; pass one.")
            deployment_id = fixed
        if is_v1 and not base_url.endswith("/v1"):
            base_url += "/v1"
    else:
        resource_name = where if settings.get("resource_name") is not None else None
        endpoint = where if resource_name is None else None
        if where is None:
            endpoint = _optional_str("AZURE_OPENAI_ENDPOINT", _env("AZURE_OPENAI_ENDPOINT"))
        base_url = azure_base_url(resource_name, endpoint)
        if is_v1:
            base_url += "/v1"
    return ClientOptions(
        provider=provider,
        base_url=base_url,
        api_version=None if is_v1 else api_version,
        deployment_id=deployment_id,
        deployment_in_path=not is_v1,
        auth=_azure_auth(settings, asynchronous),
        **common,
    )


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


def _router_options(settings: Mapping[str, Any]) -> ClientOptions:
    """A client with a routing config calls its targets, never its own endpoint: its settings
    are the targets' defaults, checked with each target (azgate._routing)."""
    return ClientOptions(
        provider=str(settings.get("provider") or "azure-openai"),
        base_url="",
        api_version=None,
        deployment_id=None,
        deployment_in_path=False,
        auth=_NoAuth(None),
        timeout=DEFAULT_STEPS,
        max_retries=DEFAULT_MAX_RETRIES,
        default_headers={},
        settings=dict(settings),
    )
