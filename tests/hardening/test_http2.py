"""HTTP/2 where the server offers it: an `http_client=` built with `http2=True` (as
openai-python code builds one) speaks HTTP/2 to a server that offers it over TLS (ALPN),
calls and streams alike; azgate's own pool speaks HTTP/1.1, as httpx's default does.

The server is hypercorn (an ASGI server with HTTP/2) on 127.0.0.1, its certificate from a
test CA (trustme), in a thread of its own that the fixture stops.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import trustme
from azgate import AsyncClient, Client
from helpers import resolve

hypercorn_asyncio = pytest.importorskip("hypercorn.asyncio")
hypercorn_config = pytest.importorskip("hypercorn.config")
pytest.importorskip("h2")

KEY = "http2-test-key-0123456789"
USER = [{"role": "user", "content": "Hi"}]
CHUNK = {
    "id": "c",
    "object": "chat.completion.chunk",
    "created": 0,
    "model": "gpt-4",
    "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": None}],
}
COMPLETION = {"id": "c", "object": "chat.completion", "created": 0, "model": "gpt-4", "choices": []}

seen_versions: list[str] = []


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers a chat call, or a stream of three chunks, and notes the HTTP version asked with."""
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    seen_versions.append(scope["http_version"])
    if json.loads(body or b"{}").get("stream"):
        events = [f"data: {json.dumps(CHUNK)}\n\n".encode()] * 3 + [b"data: [DONE]\n\n"]
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]})
        for event in events:
            await send({"type": "http.response.body", "body": event, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
        return
    payload = json.dumps(COMPLETION).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": payload})


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("h2")
    cert = ca.issue_cert("127.0.0.1")
    cert.private_key_and_cert_chain_pem.write_to_path(str(folder / "server.pem"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = hypercorn_config.Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.certfile = config.keyfile = str(folder / "server.pem")
    config.alpn_protocols = ["h2", "http/1.1"]
    config.accesslog = config.errorlog = None
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    def run() -> None:
        loop.run_until_complete(hypercorn_asyncio.serve(app, config, shutdown_trigger=stop.wait))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    for _ in range(200):  # until it listens (at most 10 s)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
            break
        except OSError:
            threading.Event().wait(0.05)
    yield f"https://127.0.0.1:{port}"
    loop.call_soon_threadsafe(stop.set)
    thread.join(10)
    loop.close()


def _verify(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


async def test_an_http2_client_speaks_http2_where_the_server_offers_it(
    flavour: str, server: str, ca: trustme.CA
) -> None:
    http: httpx.Client | httpx.AsyncClient
    if flavour == "sync":
        http = httpx.Client(http2=True, verify=_verify(ca))
        client: Client | AsyncClient = Client(api_key=KEY, azure_endpoint=server, api_version="2024-10-21", http_client=http)
    else:
        http = httpx.AsyncClient(http2=True, verify=_verify(ca))
        client = AsyncClient(api_key=KEY, azure_endpoint=server, api_version="2024-10-21", http_client=http)
    seen_versions.clear()
    raw = await resolve(client.chat.completions.with_raw_response.create(model="gpt-4", messages=USER))
    assert raw.http_response.http_version == "HTTP/2"
    stream = await resolve(client.chat.completions.create(model="gpt-4", messages=USER, stream=True))
    chunks = list(stream) if flavour == "sync" else [chunk async for chunk in stream]
    assert len(chunks) == 3
    assert seen_versions == ["2", "2"]
    await resolve(client.close())
    await resolve(http.close() if flavour == "sync" else http.aclose())


async def test_azgate_s_own_pool_speaks_http11_as_httpx_s_default(
    flavour: str, server: str, ca: trustme.CA, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))  # the own pool's CAs, as httpx reads them
    client = (Client if flavour == "sync" else AsyncClient)(api_key=KEY, azure_endpoint=server, api_version="2024-10-21")
    seen_versions.clear()
    completion = await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
    await resolve(client.close())
    assert completion.id == "c"
    assert seen_versions == ["1.1"]
