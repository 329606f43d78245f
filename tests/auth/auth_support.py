"""Helpers for the auth tests: one client factory and one chat call for both flavours."""

from __future__ import annotations

import inspect
from typing import Any

from azgate import AsyncClient, Client
from azgate.testing import Emulator, IdentityEmulator

API_VERSION = "2024-10-21"
SCOPE = "https://cognitiveservices.azure.com/.default"
MESSAGES = [{"role": "user", "content": "hi"}]


def make(flavour: str, api: Emulator, **settings: Any) -> Client | AsyncClient:
    settings = {"azure_endpoint": api.endpoint, "api_version": API_VERSION, **settings}
    return Client(**settings) if flavour == "sync" else AsyncClient(**settings)


async def resolve(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def chat(client: Client | AsyncClient) -> str:
    result = await resolve(client.chat.completions.create(model="gpt-4", messages=MESSAGES))  # type: ignore[arg-type]
    content = result.choices[0].message.content
    assert isinstance(content, str)
    return content


async def close(client: Client | AsyncClient) -> None:
    await resolve(client.close())


def sync_secret_credential(idp: IdentityEmulator) -> Any:
    from azure.identity import ClientSecretCredential

    return ClientSecretCredential(
        idp.tenant_id,
        idp.client_id,
        idp.client_secret,
        authority=idp.authority_host,
        disable_instance_discovery=True,
    )


def async_secret_credential(idp: IdentityEmulator) -> Any:
    """azure.identity.aio needs aiohttp by default; requests in a thread pool works as well."""
    from azure.core.pipeline.transport import AsyncioRequestsTransport
    from azure.identity.aio import ClientSecretCredential

    return ClientSecretCredential(
        idp.tenant_id,
        idp.client_id,
        idp.client_secret,
        authority=idp.authority_host,
        disable_instance_discovery=True,
        transport=AsyncioRequestsTransport(),
    )
