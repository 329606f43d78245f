"""#10.2: credentials never follow a redirect to another origin.

httpx strips Authorization on a cross-origin redirect but not `api-key`. With a user's
`http_client` that follows redirects, azgate follows them itself and drops every
credential header when the origin (scheme, host, port) changes. Two servers on
127.0.0.1 are two origins (their ports differ).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from azgate import APIStatusError, AsyncClient, Client
from helpers import resolve
from hostile import HostileServer, Received, response

KEY = "redirect-test-key-0123456789"
TOKEN = "redirect-test-token-abcdef"
COMPLETION = json.dumps(
    {"id": "c", "object": "chat.completion", "created": 0, "model": "gpt-4", "choices": []}
).encode()
USER = [{"role": "user", "content": "Hi"}]


def _landing(request: Received) -> bytes:
    return response(200, COMPLETION)


def _client(flavour: str, base: str, follow: bool, **auth: Any) -> Client | AsyncClient:
    auth = auth or {"api_key": KEY}
    settings = {"azure_endpoint": base, "api_version": "2024-10-21", "max_retries": 0, **auth}
    if flavour == "sync":
        return Client(http_client=httpx.Client(follow_redirects=follow), **settings)
    return AsyncClient(http_client=httpx.AsyncClient(follow_redirects=follow), **settings)


async def _close(client: Client | AsyncClient) -> None:
    await resolve(client.close())
    await resolve(client._http.aclose() if isinstance(client, AsyncClient) else client._http.close())


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("auth", ["api_key", "azure_ad_token"])
async def test_no_credentials_to_another_origin(flavour: str, status: int, auth: str) -> None:
    with HostileServer(_landing) as other:
        target = other.url + "/landed"

        def redirect(request: Received) -> bytes:
            return response(status, b"", None, {"location": target})

        with HostileServer(redirect) as origin:
            client = _client(flavour, origin.url, True, **{auth: KEY if auth == "api_key" else TOKEN})
            await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
            await _close(client)
        sent_to_origin = origin.received[0].headers
        assert sent_to_origin.get("api-key") == KEY or sent_to_origin.get("authorization") == f"Bearer {TOKEN}"
        (landed,) = other.received
        assert landed.path == "/landed"
        assert "api-key" not in landed.headers and "authorization" not in landed.headers
        assert KEY not in repr(landed) and TOKEN not in repr(landed)
        # httpx's rules for the method: 303 (and 301/302 after POST) become GET without a body.
        assert landed.method == ("POST" if status in (307, 308) else "GET")
        assert (landed.body != b"") == (status in (307, 308))


async def test_same_origin_redirect_keeps_the_key(flavour: str) -> None:
    def serve(request: Received) -> bytes:
        if request.path.startswith("/moved"):
            return response(200, COMPLETION)
        return response(307, b"", None, {"location": "/moved"})

    with HostileServer(serve) as server:
        client = _client(flavour, server.url, True)
        await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
        await _close(client)
    assert [r.headers.get("api-key") for r in server.received] == [KEY, KEY]


async def test_without_follow_redirects_a_redirect_is_an_error(flavour: str) -> None:
    with HostileServer(_landing) as other:

        def redirect(request: Received) -> bytes:
            return response(302, b"", None, {"location": other.url})

        with HostileServer(redirect) as origin:
            client = _client(flavour, origin.url, False)
            with pytest.raises(APIStatusError) as info:
                await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
            await _close(client)
        assert info.value.status_code == 302
        assert other.received == []


async def test_https_to_http_on_the_same_host_drops_the_key() -> None:
    """A scheme change is another origin: the key must not go out in clear text."""
    from azgate._core._transport import redirect_request

    request = httpx.Request("POST", "https://127.0.0.1:8443/openai/x", headers={"api-key": KEY})
    answer = httpx.Response(307, headers={"location": "http://127.0.0.1:8443/openai/x"}, request=request)
    follow = redirect_request(request, answer, {"api-key": KEY})
    assert "api-key" not in follow.headers
