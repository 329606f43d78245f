"""The pool a client makes for itself (no `http_client=`) is azgate's own, on httpcore
(`_core/_wire.py`), not httpx's `send`; what `send` does on the way must still happen: a
proxy the environment names is used, the response's `elapsed` is set, httpx's INFO line is
logged as openai-python's calls log it, and a transport error knows its request.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from datetime import timedelta

import anyio
import httpx
import pytest
from azgate import APIConnectionError, AsyncClient, Client, ClientClosedError
from helpers import resolve
from hostile import HostileServer, Received, response

KEY = "own-pool-test-key-0123456789"
COMPLETION = json.dumps(
    {"id": "c", "object": "chat.completion", "created": 0, "model": "gpt-4", "choices": []}
).encode()
USER = [{"role": "user", "content": "Hi"}]
SETTINGS = {"api_key": KEY, "api_version": "2024-10-21", "max_retries": 0}


def _answer(request: Received) -> bytes:
    return response(200, COMPLETION)


def _client(flavour: str, endpoint: str) -> Client | AsyncClient:
    return (Client if flavour == "sync" else AsyncClient)(azure_endpoint=endpoint, **SETTINGS)


@pytest.fixture
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


async def test_a_proxy_the_environment_names_is_used(flavour: str, no_proxy_settings: pytest.MonkeyPatch) -> None:
    def refuse(request: Received) -> bytes:
        return response(403, b"", None)

    with HostileServer(refuse) as proxy:
        no_proxy_settings.setenv("HTTPS_PROXY", proxy.url)
        client = _client(flavour, "https://my-resource.invalid")  # reachable only through the proxy
        with pytest.raises(APIConnectionError):  # the proxy refuses the tunnel
            await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
        await resolve(client.close())
    (received,) = proxy.received
    assert (received.method, received.path) == ("CONNECT", "my-resource.invalid:443")
    assert "api-key" not in received.headers  # the key goes inside the tunnel only


async def test_without_one_the_call_goes_to_the_service(flavour: str, no_proxy_settings: pytest.MonkeyPatch) -> None:
    with HostileServer(_answer) as service:
        client = _client(flavour, service.url)
        await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
        await resolve(client.close())
    (received,) = service.received
    assert received.path == "/openai/deployments/gpt-4/chat/completions?api-version=2024-10-21"


async def test_the_response_knows_how_long_it_took(flavour: str) -> None:
    with HostileServer(_answer) as service:
        client = _client(flavour, service.url)
        raw = await resolve(client.chat.completions.with_raw_response.create(model="gpt-4", messages=USER))
        await resolve(client.close())
    assert timedelta(0) < raw.elapsed < timedelta(seconds=30)
    assert raw.http_response.request.url == raw.url


async def test_httpx_logs_each_request_as_its_own_send_does(flavour: str, caplog: pytest.LogCaptureFixture) -> None:
    # openai-python 1.x and 2.x send with httpx.Client.send, so their users see this line.
    with HostileServer(_answer) as service:
        url = f"{service.url}/openai/deployments/gpt-4/chat/completions?api-version=2024-10-21"
        with caplog.at_level(logging.INFO, logger="httpx"):
            client = _client(flavour, service.url)
            await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
            await resolve(client.close())
            with httpx.Client() as http:
                http.post(url, json={})
    ours, httpxs = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert ours == httpxs == f'HTTP Request: POST {url} "HTTP/1.1 200 X"'


async def test_a_connection_error_keeps_its_request(flavour: str) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # nothing listens here once the socket is closed
    client = _client(flavour, f"http://127.0.0.1:{port}")
    with pytest.raises(APIConnectionError) as caught:
        await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
    await resolve(client.close())
    cause = caught.value.__cause__
    assert cause is not None
    assert str(cause.request.url).startswith(f"http://127.0.0.1:{port}/openai/")  # type: ignore[attr-defined]


async def test_a_client_closed_between_attempts_sends_no_more(flavour: str) -> None:
    first_seen = threading.Event()

    def busy_then_fine(request: Received) -> bytes:
        if first_seen.is_set():
            return response(200, COMPLETION)
        first_seen.set()
        return response(503, b"{}", headers={"retry-after-ms": "1000"})

    with HostileServer(busy_then_fine) as service:
        client = (Client if flavour == "sync" else AsyncClient)(
            azure_endpoint=service.url, api_key=KEY, api_version="2024-10-21", max_retries=1
        )
        if isinstance(client, Client):
            closer = threading.Thread(target=lambda: (first_seen.wait(5), client.close()))
            closer.start()
            with pytest.raises(ClientClosedError):
                client.chat.completions.create(model="gpt-4", messages=USER)
            closer.join(5)
        else:
            aclient = client

            async def close_when_seen() -> None:
                await anyio.to_thread.run_sync(first_seen.wait, 5)
                await aclient.close()

            async with anyio.create_task_group() as tasks:
                tasks.start_soon(close_when_seen)
                with pytest.raises(ClientClosedError):
                    await aclient.chat.completions.create(model="gpt-4", messages=USER)
    assert len(service.received) == 1  # the retry was not sent on the closed pool
