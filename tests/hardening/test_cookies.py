"""Cookies go out as httpx's `build_request` (and so openai-python) sends them.

azgate builds its requests itself and sends them with `http_client.send`, which skips the
step where httpx adds the client's cookies: a gateway's session cookie set on the user's
`http_client`, or an affinity cookie the service set on an earlier answer, never went back.
They do now, by the cookie jar's rules, and never to another origin on a redirect.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
from azgate import AsyncClient, Client
from helpers import resolve
from hostile import HostileServer, Received, response

KEY = "cookie-test-key-0123456789"
COMPLETION = json.dumps(
    {"id": "c", "object": "chat.completion", "created": 0, "model": "gpt-4", "choices": []}
).encode()
USER = [{"role": "user", "content": "Hi"}]
SETTINGS = {"api_key": KEY, "api_version": "2024-10-21", "max_retries": 0}


def _answer(request: Received) -> bytes:
    return response(200, COMPLETION, headers={"set-cookie": "ARRAffinity=node-7; Path=/; HttpOnly"})


def _client(flavour: str, base: str, **http: Any) -> Client | AsyncClient:
    if flavour == "sync":
        return Client(azure_endpoint=base, http_client=httpx.Client(**http) if http else None, **SETTINGS)
    return AsyncClient(azure_endpoint=base, http_client=httpx.AsyncClient(**http) if http else None, **SETTINGS)


async def _chat(client: Client | AsyncClient, **kwargs: Any) -> None:
    await resolve(client.chat.completions.create(model="gpt-4", messages=USER, **kwargs))


async def test_the_http_clients_cookies_are_sent_as_openai_python_sends_them(flavour: str) -> None:
    with HostileServer(_answer) as server:
        client = _client(flavour, server.url, cookies={"gateway-session": "s-1"})
        await _chat(client)
        await resolve(client.close())
        with httpx.Client(cookies={"gateway-session": "s-1"}) as http:
            theirs = openai.AzureOpenAI(azure_endpoint=server.url, http_client=http, **SETTINGS)
            theirs.chat.completions.create(model="gpt-4", messages=USER)  # type: ignore[arg-type]
    ours, openais = server.received
    assert ours.headers["cookie"] == openais.headers["cookie"] == "gateway-session=s-1"


async def test_a_cookie_the_service_set_goes_back_with_the_next_call(flavour: str) -> None:
    with HostileServer(_answer) as server:
        client = _client(flavour, server.url)  # azgate's own connection pool
        await _chat(client)
        await _chat(client)
        await resolve(client.close())
    first, second = server.received
    assert "cookie" not in first.headers
    assert second.headers["cookie"] == "ARRAffinity=node-7"


async def test_a_cookie_header_the_call_gives_wins(flavour: str) -> None:
    with HostileServer(_answer) as server:
        client = _client(flavour, server.url, cookies={"gateway-session": "s-1"})
        await _chat(client, extra_headers={"Cookie": "mine=1"})
        await resolve(client.close())
    (received,) = server.received
    assert received.headers["cookie"] == "mine=1"


async def test_cookies_do_not_follow_a_redirect_to_another_origin(flavour: str) -> None:
    with HostileServer(_answer) as other:

        def redirect(request: Received) -> bytes:
            return response(307, b"", None, {"location": other.url + "/landed"})

        with HostileServer(redirect) as origin:
            client = _client(flavour, origin.url, follow_redirects=True, cookies={"gateway-session": "s-1"})
            await _chat(client)
            await resolve(client.close())
    assert origin.received[0].headers["cookie"] == "gateway-session=s-1"
    (landed,) = other.received
    assert landed.path == "/landed"
    assert "cookie" not in landed.headers
