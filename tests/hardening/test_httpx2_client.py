"""#11.4: an httpx2 client (openai-python 3.x's transport) as `http_client=`.

Calls go through the user's httpx2 client (its event hooks see them), and the guarantees
proven on httpx hold through it: only azgate's exceptions, retries after `retry-after-ms`,
credentials never sent to another origin, gzip decoded, a cut stream reported as
incomplete, a closed client named. The servers are the tests' own, on 127.0.0.1.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any

import httpx
import httpx2
import pytest
from azgate import (
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    Client,
    ClientClosedError,
    ConfigurationError,
    IncompleteStreamError,
    NotFoundError,
)
from helpers import collect, resolve
from hostile import HostileServer, Received, Step, response

KEY = "httpx2-test-key-0123456789"
USER = [{"role": "user", "content": "Hi"}]
COMPLETION = {
    "id": "c",
    "object": "chat.completion",
    "created": 0,
    "model": "gpt-4",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"}, "finish_reason": "stop"}],
}
CHUNK = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "gpt-4"}


def _chunk(text: str) -> bytes:
    return json.dumps({**CHUNK, "choices": [{"index": 0, "delta": {"content": text}}]}).encode()


class Sent:
    """The requests the user's httpx2 client saw, through its own event hook."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def hook(self, request: Any) -> None:
        self.urls.append(str(request.url))

    async def ahook(self, request: Any) -> None:
        self.hook(request)


def _client(
    flavour: str, url: str, sent: Sent | None = None, follow_redirects: bool = False, **settings: Any
) -> Client | AsyncClient:
    options: dict[str, Any] = {"azure_endpoint": url, "api_key": KEY, "api_version": "2024-10-21", **settings}
    hooks = {"request": [sent.hook if flavour == "sync" else sent.ahook]} if sent else {}
    follow = follow_redirects
    if flavour == "sync":
        return Client(http_client=httpx2.Client(event_hooks=hooks, follow_redirects=follow), **options)
    return AsyncClient(http_client=httpx2.AsyncClient(event_hooks=hooks, follow_redirects=follow), **options)


async def _close(client: Client | AsyncClient) -> None:
    await resolve(client.close())
    user_client = client._http.httpx2_client  # type: ignore[attr-defined]
    await resolve(user_client.aclose() if isinstance(client, AsyncClient) else user_client.close())


async def _chat(client: Client | AsyncClient, stream: bool = False) -> Any:
    result = await resolve(client.chat.completions.create(model="gpt-4", messages=USER, stream=stream))
    return await collect(result) if stream else result


async def test_calls_and_streams_go_through_the_users_client(flavour: str) -> None:
    def serve(request: Received) -> bytes:
        if json.loads(request.body).get("stream"):
            body = b"".join(b"data: " + _chunk(t) + b"\n\n" for t in ("Hel", "lo")) + b"data: [DONE]\n\n"
            return response(200, body, "text/event-stream")
        return response(200, json.dumps(COMPLETION).encode())

    sent = Sent()
    with HostileServer(serve) as server:
        client = _client(flavour, server.url, sent)
        reply = await _chat(client)
        chunks = await _chat(client, stream=True)
        await _close(client)
    assert reply.choices[0].message.content == "Hello"
    assert "".join(c.choices[0].delta.content for c in chunks) == "Hello"
    assert len(sent.urls) == 2 and all("/chat/completions?api-version=2024-10-21" in u for u in sent.urls)
    first = server.received[0]
    assert first.headers["api-key"] == KEY and first.headers["content-type"] == "application/json"
    assert json.loads(first.body)["messages"] == USER
    assert "transfer-encoding" not in first.headers


async def test_a_status_error_is_typed_and_keeps_the_response(flavour: str) -> None:
    body = b'{"error": {"code": "DeploymentNotFound", "message": "no such deployment"}}'
    with HostileServer(lambda r: response(404, body, headers={"x-request-id": "req-1"})) as server:
        client = _client(flavour, server.url)
        with pytest.raises(NotFoundError) as info:
            await _chat(client)
        await _close(client)
    assert info.value.status_code == 404 and info.value.request_id == "req-1"
    assert isinstance(info.value.response, httpx.Response)  # azgate's errors hold httpx types, whatever the client


async def test_retry_after_ms_is_honoured(flavour: str) -> None:
    answers = iter(
        [
            response(429, b'{"error": {"code": "429", "message": "slow down"}}', headers={"retry-after-ms": "10"}),
            response(200, json.dumps(COMPLETION).encode()),
        ]
    )
    with HostileServer(lambda r: next(answers)) as server:
        client = _client(flavour, server.url, max_retries=2)
        reply = await _chat(client)
        await _close(client)
    assert reply.choices[0].message.content == "Hello" and len(server.received) == 2


async def test_a_hanging_server_and_a_closed_port_end_in_azgate_errors(flavour: str) -> None:
    with HostileServer(lambda r: iter([30.0])) as server:
        client = _client(flavour, server.url, timeout=0.5, max_retries=0)
        with pytest.raises(APITimeoutError) as timed_out:
            await _chat(client)
        await _close(client)
    assert isinstance(timed_out.value.__cause__, httpx.TimeoutException)
    client = _client(flavour, server.url, max_retries=0)  # the server is gone: nothing listens there
    with pytest.raises(APIConnectionError) as refused:
        await _chat(client)
    await _close(client)
    assert KEY not in str(refused.value)


async def test_no_credentials_to_another_origin(flavour: str) -> None:
    with HostileServer(lambda r: response(200, json.dumps(COMPLETION).encode())) as other:
        target = other.url + "/landed"
        with HostileServer(lambda r: response(307, b"", None, {"location": target})) as origin:
            client = _client(flavour, origin.url, follow_redirects=True)
            await _chat(client)
            await _close(client)
    assert origin.received[0].headers.get("api-key") == KEY
    (landed,) = other.received
    assert landed.path == "/landed" and "api-key" not in landed.headers


async def test_a_gzip_body_is_decoded(flavour: str) -> None:
    body = gzip.compress(json.dumps(COMPLETION).encode())
    with HostileServer(lambda r: response(200, body, headers={"content-encoding": "gzip"})) as server:
        client = _client(flavour, server.url)
        reply = await _chat(client)
        await _close(client)
    assert reply.choices[0].message.content == "Hello"


async def test_a_stream_cut_short_is_incomplete(flavour: str) -> None:
    def cut(request: Received) -> Iterator[Step]:
        frame = b"data: " + _chunk("Hel") + b"\n\n"
        yield b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
        yield b"%x\r\n%s\r\n" % (len(frame), frame)
        yield 0.05  # then the connection closes mid-body

    with HostileServer(cut) as server:
        client = _client(flavour, server.url, max_retries=0)
        with pytest.raises(IncompleteStreamError):
            await _chat(client, stream=True)
        await _close(client)


async def test_a_closed_httpx2_client_is_named(flavour: str) -> None:
    client = _client(flavour, "http://127.0.0.1:9")
    user_client = client._http.httpx2_client  # type: ignore[attr-defined]
    await resolve(user_client.aclose() if flavour == "async" else user_client.close())
    with pytest.raises(ClientClosedError, match="http_client"):
        await _chat(client)


def test_the_other_flavours_httpx2_client_is_refused_at_build() -> None:
    settings: dict[str, Any] = {"api_key": "k", "resource_name": "r", "api_version": "2024-10-21"}
    with pytest.raises(ConfigurationError, match=r"httpx\.Client or an httpx2\.Client \(got httpx2\.AsyncClient\)"):
        Client(http_client=httpx2.AsyncClient(), **settings)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=r"\(got httpx2\.Client\)"):
        AsyncClient(http_client=httpx2.Client(), **settings)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["httpx", "httpx2"])
async def test_the_http_clients_own_headers_and_query_are_sent(flavour: str, kind: str) -> None:
    # openai-python sends them (httpx's build_request merges them): a gateway header set on
    # the http_client must reach the server, under azgate's own and the call's.
    module: Any = httpx if kind == "httpx" else httpx2
    http_client = (module.Client if flavour == "sync" else module.AsyncClient)(
        headers={"x-gateway": "team-a", "accept": "text/plain"}, params={"route": "eu"}
    )
    with HostileServer(lambda r: response(200, json.dumps(COMPLETION).encode())) as server:
        settings = {"azure_endpoint": server.url, "api_key": KEY, "api_version": "2024-10-21"}
        client: Any = (Client if flavour == "sync" else AsyncClient)(http_client=http_client, **settings)
        await _chat(client)
        await resolve(client.with_options(max_retries=1).chat.completions.create(model="gpt-4", messages=USER))
        if kind == "httpx2" and flavour == "sync":  # the same client under openai-python, for comparison
            import openai

            openai.AzureOpenAI(http_client=http_client, **settings).chat.completions.create(
                model="gpt-4", messages=USER
            )
        await resolve(http_client.close() if flavour == "sync" else http_client.aclose())
    for received in server.received:
        assert received.headers["x-gateway"] == "team-a" and "route=eu" in received.path
        assert received.headers["accept"] == "application/json"  # the SDK's own win
    assert {r.headers["api-key"] for r in server.received} == {KEY}
