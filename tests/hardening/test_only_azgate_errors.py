"""#10.5, #10.8, #10.9: whatever a server sends, only azgate's exceptions reach the user,
with bounded messages, and the retry decisions are right about what can succeed."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from azgate import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AzgateError,
    InternalServerError,
    RateLimitError,
    Timeout,
)
from helpers import collect, make_client, resolve
from hostile import HostileServer, Received, Step, response

USER = [{"role": "user", "content": "Hi"}]
CHUNK = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "gpt-4", "choices": []}
NESTED = b"[" * 100_000 + b"]" * 100_000


def sse(*events: bytes, done: bool = True) -> bytes:
    body = b"".join(b"data: " + e + b"\n\n" for e in events) + (b"data: [DONE]\n\n" if done else b"")
    return response(200, body, "text/event-stream")


async def call(client: Any, stream: bool = False, **kwargs: Any) -> Any:
    result = await resolve(client.chat.completions.create(model="gpt-4", messages=USER, stream=stream, **kwargs))
    return await collect(result) if stream else result


async def only_azgate(flavour: str, answer: Any, *, stream: bool = False, **settings: Any) -> AzgateError:
    with HostileServer(answer if callable(answer) else lambda r: answer) as server:
        client = make_client(flavour, server, **{"max_retries": 0, **settings})  # type: ignore[arg-type]
        try:
            with pytest.raises(AzgateError) as info:
                await call(client, stream=stream)
        finally:
            await resolve(client.close())
    assert len(str(info.value)) < 5000
    return info.value


# -- #10.5 -----------------------------------------------------------------------------


async def test_deeply_nested_json_in_an_error_body(flavour: str) -> None:
    error = await only_azgate(flavour, response(500, NESTED))
    assert isinstance(error, InternalServerError)
    assert "application/json body" in str(error)


async def test_deeply_nested_json_in_a_stream_event(flavour: str) -> None:
    error = await only_azgate(flavour, sse(json.dumps(CHUNK).encode(), NESTED), stream=True)
    assert isinstance(error, APIResponseValidationError)
    error = await only_azgate(flavour, sse(b'{"error": ' + NESTED + b"}"), stream=True)
    assert isinstance(error, APIError)


@pytest.mark.parametrize("stream", [False, True])
async def test_a_gzip_header_on_a_plain_body(flavour: str, stream: bool) -> None:
    body = json.dumps(CHUNK).encode()
    content_type = "text/event-stream" if stream else "application/json"
    answer = response(200, b"data: " + body + b"\n\n", content_type, {"content-encoding": "gzip"})
    error = await only_azgate(flavour, answer, stream=stream)
    assert "decod" in str(error) or "broke" in str(error)


async def test_invalid_utf8_in_stream_data_is_replaced_not_raised(flavour: str) -> None:
    choice = {"index": 0, "delta": {"content": "x"}}
    event = json.dumps({**CHUNK, "model": "gpt-4\udcff", "choices": [choice]}, ensure_ascii=False)
    event = event.encode("utf-8", "surrogateescape")
    with HostileServer(lambda r: sse(event)) as server:
        client = make_client(flavour, server, max_retries=0)  # type: ignore[arg-type]
        (chunk,) = await call(client, stream=True)
        await resolve(client.close())
    assert chunk.model == "gpt-4\ufffd"


async def test_a_non_json_error_stream_event(flavour: str) -> None:
    error = await only_azgate(flavour, sse(b'{"error": not json'), stream=True)
    assert "stream reported an error" in str(error)


# -- #10.8 -----------------------------------------------------------------------------


async def test_a_huge_error_body_gives_a_bounded_message(flavour: str) -> None:
    text = "x" * (50 * 1024 * 1024)
    body = json.dumps({"error": {"code": "big", "message": text}}).encode()
    with HostileServer(lambda r: response(500, body)) as server:
        client = make_client(flavour, server, max_retries=0)  # type: ignore[arg-type]
        with pytest.raises(InternalServerError) as info:
            await call(client)
        await resolve(client.close())
    assert len(str(info.value)) < 3000
    assert "more characters" in str(info.value)
    assert info.value.body["message"] == text  # type: ignore[index]


def _trickle(request: Received) -> Iterator[Step]:
    """Headers at once, then the body one byte every 0.5 s: each read is quick, the whole is not."""
    body = json.dumps({"id": "x" * 200}).encode()
    yield f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n".encode()
    for byte in body:
        yield 0.5
        yield bytes([byte])


@pytest.mark.parametrize("where", ["client", "with_options", "per_call"])
async def test_total_timeout_bounds_a_trickled_body(flavour: str, where: str) -> None:
    with HostileServer(_trickle) as server:
        client: Any = make_client(flavour, server, max_retries=0, timeout=2)  # type: ignore[arg-type]
        kwargs: dict[str, Any] = {}
        if where == "client":
            await resolve(client.close())
            client = make_client(flavour, server, max_retries=2, timeout=2, total_timeout=1.5)  # type: ignore[arg-type]
        elif where == "with_options":
            client = client.with_options(total_timeout=1.5)
        else:
            kwargs["timeout"] = Timeout(2, total=1.5)
        with pytest.raises(APITimeoutError):
            await call(client, **kwargs)
        await resolve(client.close())
    assert len(server.received) == 1  # the deadline leaves no time for a retry


async def test_total_timeout_bounds_a_trickled_stream(flavour: str) -> None:
    frame = b"data: " + json.dumps(CHUNK).encode() + b"\n\n"

    def trickle(request: Received) -> Iterator[Step]:
        yield b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
        for _ in range(100):
            yield 0.3
            yield b"%x\r\n%s\r\n" % (len(frame), frame)

    with HostileServer(trickle) as server:
        client = make_client(flavour, server, max_retries=0, timeout=2, total_timeout=1.5)  # type: ignore[arg-type]
        with pytest.raises(APITimeoutError):
            await call(client, stream=True)
        await resolve(client.close())


async def test_a_hanging_server_times_out_as_azgate(flavour: str) -> None:
    error = await only_azgate(flavour, lambda r: iter([30.0]), timeout=0.5)
    assert isinstance(error, APITimeoutError)


# -- #10.9 -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-5", "soon"])
async def test_a_broken_retry_after_does_not_turn_retries_off(flavour: str, value: str) -> None:
    answer = response(429, b'{"error": {"code": "429", "message": "slow down"}}', headers={"retry-after-ms": value})
    with HostileServer(lambda r: answer) as server:
        client = make_client(flavour, server, max_retries=2)  # type: ignore[arg-type]
        with pytest.raises(RateLimitError):
            await call(client)
        await resolve(client.close())
    assert len(server.received) == 3


async def test_tls_failures_are_reported_as_such_and_not_retried(flavour: str) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    connections = []

    def serve(request: Received) -> bytes:
        return response(200, b"{}")

    with HostileServer(serve, tls=context) as server:
        real_wrap = context.wrap_socket

        def counting_wrap(sock: Any, **kw: Any) -> Any:
            connections.append(1)
            return real_wrap(sock, **kw)

        context.wrap_socket = counting_wrap  # type: ignore[method-assign]
        client = make_client(flavour, server, max_retries=3)  # type: ignore[arg-type]
        with pytest.raises(APIConnectionError) as info:
            await call(client)
        await resolve(client.close())
    message = str(info.value)
    assert "TLS" in message and "certificate" in message.lower(), message
    assert len(connections) == 1


async def test_the_ca_bundle_is_loaded_by_the_first_handshake_and_trusted(
    flavour: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """azgate's own pool verifies with the bundle httpx would use (here SSL_CERT_FILE),
    loaded when the first TLS connection needs it, not when the client is built."""
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    with HostileServer(lambda r: response(200, b"{}"), tls=context) as server:
        client = make_client(flavour, server, max_retries=0)  # type: ignore[arg-type]
        pool_context = client._http._pool._ssl_context
        assert pool_context._loaded is False
        await call(client)
        assert pool_context._loaded is True
        await resolve(client.close())


async def test_an_invalid_header_value_is_not_retried_nor_quoted(flavour: str) -> None:
    """A header the http_client's own hook breaks: h11 refuses it before sending."""
    secret = "hook-secret-value-0123"

    def hook(request: httpx.Request) -> None:
        request.headers["x-broken"] = f"{secret}\r\nx-injected: 1"

    async def ahook(request: httpx.Request) -> None:
        hook(request)

    with HostileServer(lambda r: response(200, b"{}")) as server:
        http: Any = (
            httpx.Client(event_hooks={"request": [hook]})
            if flavour == "sync"
            else httpx.AsyncClient(event_hooks={"request": [ahook]})
        )
        client = make_client(flavour, server, max_retries=3, http_client=http)  # type: ignore[arg-type]
        with pytest.raises(APIConnectionError) as info:
            await call(client)
        await resolve(http.close() if flavour == "sync" else http.aclose())
    assert "invalid header" in str(info.value)
    assert secret not in str(info.value) and info.value.__cause__ is None
    assert server.received == []


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"extra_body": {"x": object()}}, "not JSON serializable"),
        ({"extra_body": {"temperature_hint": float("nan")}}, "NaN"),
        ({"messages": [{"role": "user", "content": "\ud800"}]}, "surrogate"),
    ],
)
async def test_a_body_that_is_not_json_is_refused_before_sending(
    flavour: str, kwargs: dict[str, Any], says: str
) -> None:
    from azgate import ConfigurationError

    with HostileServer(lambda r: response(200, b"{}")) as server:
        client = make_client(flavour, server, max_retries=0)  # type: ignore[arg-type]
        arguments = {"model": "gpt-4", "messages": USER, **kwargs}
        with pytest.raises(ConfigurationError, match=says):
            await resolve(client.chat.completions.create(**arguments))
        await resolve(client.close())
    assert server.received == []
