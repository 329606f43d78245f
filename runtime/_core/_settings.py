"""The keywords of `Client`, `AsyncClient` and `with_options`, typed and described once.

`ClientSettings` is the one source of truth: mypy reads its types (`**settings:
Unpack[ClientSettings]`), the unknown-keyword check reads its names, and the clients'
`__init__` signature and docstring (what `help(Client)` shows) are built from it.

No `from __future__ import annotations`: the annotations are objects as the class is
made, so the signature reads them without `get_type_hints` evaluating strings at import.
"""

import inspect
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Annotated, Any, TypedDict

from ._types import NOT_GIVEN, Timeout

__all__ = ["INSTRUMENTATION_SETTINGS", "ClientSettings", "SETTING_NAMES", "describe_settings", "settings_signature"]


class ClientSettings(TypedDict, total=False):
    """Settings of a client. Unset ones fall back to AZURE_OPENAI_API_KEY,
    AZURE_OPENAI_ENDPOINT, OPENAI_API_VERSION (and OPENAI_ORG_ID, OPENAI_PROJECT_ID); all
    are checked when the client is built, before any request. openai-python's AzureOpenAI
    names (azure_deployment, azure_endpoint, base_url, organization, project, ...) mean
    what they mean there.
    """

    provider: Annotated[str, '"azure-openai" (default) or "openai".']
    api_key: Annotated[str | None, "The resource's key (AZURE_OPENAI_API_KEY), sent as the api-key header."]
    resource_name: Annotated[str | None, "The Azure OpenAI resource's name: https://{resource_name}.openai.azure.com."]
    deployment_id: Annotated[
        str | None, "The deployment every deployment-scoped call uses; without it, each call's model names it."
    ]
    azure_deployment: Annotated[str | None, "openai-python's name for deployment_id."]
    api_version: Annotated[str | None, 'A dated api-version such as "2024-10-21", or "v1" (OPENAI_API_VERSION).']
    azure_endpoint: Annotated[
        str | None,
        "The resource's URL instead of resource_name (AZURE_OPENAI_ENDPOINT): private endpoints, API "
        "Management, other clouds; /openai is added.",
    ]
    base_url: Annotated[
        str | None,
        "The whole base URL, used as given (as in openai-python): for Azure up to /openai, or "
        "/openai/deployments/{name} to fix the deployment; for provider='openai', OpenAI's /v1.",
    ]
    azure_ad_token: Annotated[str | None, "A Microsoft Entra token (AZURE_OPENAI_AD_TOKEN), sent as Bearer."]
    azure_ad_token_provider: Annotated[
        Callable[[], Any] | None,
        "A function returning an Entra token, called for every attempt (async for AsyncClient).",
    ]
    credential: Annotated[Any | None, "An azure-core TokenCredential (AsyncTokenCredential for AsyncClient)."]
    azure_auth_mode: Annotated[str | None, '"entra", "managed" or "workload": azure-identity builds the credential.']
    azure_entra_tenant_id: Annotated[str | None, 'azure_auth_mode="entra": the tenant.']
    azure_entra_client_id: Annotated[str | None, 'azure_auth_mode="entra": the application (client) id.']
    azure_entra_client_secret: Annotated[str | None, 'azure_auth_mode="entra": the client secret.']
    azure_entra_scope: Annotated[str | None, "Token scope (default https://cognitiveservices.azure.com/.default)."]
    azure_managed_client_id: Annotated[str | None, 'azure_auth_mode="managed": a user-assigned identity\'s client id.']
    azure_workload_client_id: Annotated[str | None, 'azure_auth_mode="workload": the client id (else AZURE_CLIENT_ID).']
    azure_authority_host: Annotated[str | None, "Entra authority for sovereign clouds and private authorities."]
    timeout: Annotated[
        Timeout,
        "Seconds, an httpx.Timeout, azgate.Timeout(..., total=...) or None: bounds each connect, read and write "
        "of an attempt (default 600 s read, 5 s connect).",
    ]
    total_timeout: Annotated[
        float | None, "Seconds for the whole call, retries and the body included (default None: no bound)."
    ]
    max_retries: Annotated[int, "Retries after connection errors, timeouts, 408, 429 and 5xx (default 2)."]
    default_headers: Annotated[Mapping[str, str] | None, "Headers sent with every request."]
    default_query: Annotated[Mapping[str, object] | None, "Query parameters sent with every request."]
    organization: Annotated[str | None, "Sent as OpenAI-Organization (OPENAI_ORG_ID), as openai-python does."]
    project: Annotated[str | None, "Sent as OpenAI-Project (OPENAI_PROJECT_ID), as openai-python does."]
    config: Annotated[
        Any,
        "A routing config (a dict, a JSON string, or the path of a JSON or YAML file): the client then calls "
        "the config's targets, and its own settings are their defaults.",
    ]
    metadata: Annotated[
        Mapping[str, Any] | None, "Routing metadata for conditional routing (metadata.<key> in conditions); never sent."
    ]
    cache_force_refresh: Annotated[bool, "Routed calls skip the cache (and refresh it)."]
    strict_response_validation: Annotated[
        bool,
        "False (default): a response that deviates from the spec (a missing or extra field, an enum value or "
        "union member the spec does not know) still comes back typed. True: any deviation raises "
        "APIResponseValidationError naming the field, to detect drift.",
    ]
    telemetry: Annotated[
        Any,
        "True: OpenTelemetry spans and metrics (GenAI conventions) through the global providers; "
        "azgate.telemetry.Telemetry(...) for other providers or message content; needs azgate[otel] "
        "(default None: nothing is recorded or imported).",
    ]
    event_hooks: Annotated[
        Mapping[str, Sequence[Callable[..., Any]]] | None,
        'As httpx\'s: {"request": [f, ...], "response": [g, ...]}, called with every attempt\'s request and '
        "response, copies whose secret headers read [secure].",
    ]
    secret_headers: Annotated[
        Sequence[str] | None,
        "More header names whose values event hooks see as [secure] (api-key, Authorization and the other "
        "credential headers always are).",
    ]


SETTING_NAMES: frozenset[str] = frozenset(ClientSettings.__annotations__)

INSTRUMENTATION_SETTINGS = frozenset({"telemetry", "event_hooks", "secret_headers"})
"""Settings that make a client load azgate.telemetry when it is built (never per call)."""


@cache
def _described() -> list[tuple[str, Any, str]]:
    out = []
    for name, hint in ClientSettings.__annotations__.items():
        meta = getattr(hint, "__metadata__", ())
        out.append((name, hint.__origin__ if meta else hint, str(meta[0]) if meta else ""))
    return out


def describe_settings() -> str:
    """One line per setting, for the clients' docstrings."""
    return "\n".join(f"    {name}: {doc}" for name, _, doc in _described())


def settings_signature(**leading: inspect.Parameter) -> inspect.Signature:
    """`(self, *, <leading>, <every setting>)`: the signature `help(Client)` shows."""
    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD), *leading.values()]
    for name, annotation, _ in _described():
        default = NOT_GIVEN if name == "timeout" else None
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation))
    return inspect.Signature(params)
