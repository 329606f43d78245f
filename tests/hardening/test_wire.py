"""azgate's own pool (httpcore's, `_core/_wire.py`) against httpx, the transport it replaces
for clients given no `http_client`.

What goes out must be what httpx would send, byte for byte; what comes back must be what
httpx would have made of it wherever a user can see it (the raw response, an error's
response, a binary body), and a success answered without httpx must read as httpx reads it.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from typing import Any

import httpx
import pytest
from azgate import APIStatusError, AsyncClient, Client, DefaultAsyncHttpxClient, DefaultHttpxClient
from azgate._core._base_client import Target
from azgate._core._wire import WireHeaders, WireRequest, WireResponse, wire_target
from helpers import resolve
from hostile import HostileServer, Received, response
from hypothesis import given, settings
from hypothesis import strategies as st

KEY = "wire-test-key-0123456789"
COMPLETION = json.dumps(
    {"id": "c", "object": "chat.completion", "created": 0, "model": "gpt-4", "choices": []}
).encode()
USER = [{"role": "user", "content": "Hi"}]


def _client(flavour: str, endpoint: str, *, via_httpx: bool = False, **settings: Any) -> Client | AsyncClient:
    settings = {"api_key": KEY, "api_version": "2024-10-21", "max_retries": 0, **settings}
    if flavour == "sync":
        return Client(azure_endpoint=endpoint, http_client=DefaultHttpxClient() if via_httpx else None, **settings)
    return AsyncClient(azure_endpoint=endpoint, http_client=DefaultAsyncHttpxClient() if via_httpx else None, **settings)


async def _calls(client: Client | AsyncClient) -> None:
    """Calls whose requests differ in every way a request can: method, path escapes, query,
    headers, body (none, JSON with non-ASCII text)."""
    chat = client.chat.completions
    await resolve(chat.create(model="gpt-4", messages=[{"role": "user", "content": "h\u00e9 \u2603"}], max_tokens=3))
    await resolve(chat.create(model="dep with space", messages=USER))
    await resolve(chat.create(model="gpt-4", messages=USER, extra_headers={"x-trace": "a b"}))
    await resolve(chat.create(model="gpt-4", messages=USER, extra_query={"q": "a b&c=d/\u00e9"}))
    await resolve(client.models.list())
    await resolve(client.files.delete("file-1"))


async def test_the_bytes_sent_are_httpx_bytes(flavour: str) -> None:
    sent: dict[str, list[tuple[bytes, bytes]]] = {}
    hooks: dict[str, list[Any]] = {"request": [lambda request: None]}
    # azgate's own request, httpx's request sent by azgate's pool (event hooks are handed
    # httpx's objects), and httpx's client.
    if flavour == "async":
        hooks = {"request": [_async_noop]}
    for how, extra in (("wire", {}), ("wire-hooked", {"event_hooks": hooks}), ("httpx", {})):
        via_httpx = how == "httpx"

        def answer(request: Received) -> bytes:
            if request.method == "GET":
                return response(200, b'{"object": "list", "data": []}')
            if request.method == "DELETE":
                return response(200, b'{"id": "file-1", "object": "file", "deleted": true}')
            return response(200, COMPLETION)

        with HostileServer(answer) as server:
            client = _client(flavour, server.url, via_httpx=via_httpx, default_headers={"x-team": "t"}, **extra)
            await _calls(client)
            await resolve(client.close())
        port = str(server.port).encode()
        sent[how] = [(r.head.replace(port, b"PORT"), r.body) for r in server.received]
    assert len(sent["wire"]) == 6
    assert sent["wire"] == sent["wire-hooked"] == sent["httpx"]


async def _async_noop(request: object) -> None:
    pass


async def test_what_users_see_of_a_response_is_httpx_s(flavour: str) -> None:
    def answer(request: Received) -> bytes:
        if request.path.startswith("/openai/files/file-1/content"):
            return response(200, b"\x00binary", content_type="application/octet-stream")
        if "fail" in request.path:
            return response(429, b'{"error": {"code": "429", "message": "slow down"}}')
        return response(200, COMPLETION, headers={"x-request-id": "req-1"})

    with HostileServer(answer) as server:
        client = _client(flavour, server.url)
        raw = await resolve(client.chat.completions.with_raw_response.create(model="gpt-4", messages=USER))
        assert isinstance(raw.http_response, httpx.Response)
        assert isinstance(raw.http_response.request, httpx.Request)
        assert raw.headers["x-request-id"] == "req-1" and raw.status_code == 200
        completion = await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
        assert completion._request_id == "req-1"
        content = await resolve(client.files.content("file-1"))
        assert isinstance(content.response, httpx.Response) and content.content == b"\x00binary"
        with pytest.raises(APIStatusError) as caught:
            await resolve(client.chat.completions.create(model="fail", messages=USER))
        await resolve(client.close())
    error = caught.value
    assert isinstance(error.response, httpx.Response) and error.response.status_code == 429
    assert error.request.headers["api-key"] == "[secure]"


async def test_a_compressed_success_is_decoded_as_httpx_decodes_it(flavour: str) -> None:
    def answer(request: Received) -> bytes:
        return response(200, gzip.compress(COMPLETION), headers={"content-encoding": "gzip"})

    with HostileServer(answer) as server:
        client = _client(flavour, server.url)
        completion = await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
        await resolve(client.close())
    assert completion.id == "c"


def test_a_process_whose_calls_succeed_never_imports_httpx() -> None:
    with HostileServer(lambda request: response(200, COMPLETION)) as server:
        program = (
            "import sys, azgate\n"
            f"client = azgate.Client(azure_endpoint={server.url!r}, api_key='k', api_version='2024-10-21')\n"
            "client.chat.completions.create(model='gpt-4', messages=[{'role': 'user', 'content': 'Hi'}])\n"
            "client.close()\n"
            "print('httpx' in sys.modules)\n"
        )
        out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"


# -- the parts, against httpx's own -------------------------------------------------------

_PATH_CHARS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    host=st.sampled_from(["my-resource.openai.azure.com", "127.0.0.1", "LOCALHOST", "[::1]", "user@h.example"]),
    port=st.sampled_from(["", ":443", ":80", ":8080"]),
    scheme=st.sampled_from(["https", "http"]),
    path=st.lists(_PATH_CHARS, max_size=4).map(lambda parts: "/" + "/".join(parts)),
    params=st.dictionaries(_PATH_CHARS, _PATH_CHARS, max_size=3),
)
def test_a_url_azgate_sends_itself_is_the_url_httpx_would_send(
    host: str, port: str, scheme: str, path: str, params: dict[str, str]
) -> None:
    url = f"{scheme}://{host}{port}{path}"
    try:
        theirs = httpx.URL(url).copy_merge_params(params)
    except httpx.InvalidURL:
        assert wire_target(url, params) is None
        return
    ours = wire_target(url, params)
    if ours is None:
        return  # left to httpx: a URL it would change
    wire_scheme, wire_host, wire_port, target, netloc = ours
    assert (wire_scheme, wire_host, wire_port) == (theirs.raw_scheme, theirs.raw_host, theirs.port)
    assert (target, netloc) == (theirs.raw_path, theirs.netloc)


def test_an_ordinary_azure_url_is_sent_without_httpx() -> None:
    target = Target("https://my-resource.openai.azure.com/openai/deployments/gpt-4o/chat/completions", {"a": "b"})
    assert target.wire is not None
    assert target.wire[3] == b"/openai/deployments/gpt-4o/chat/completions?a=b"


@settings(max_examples=200, deadline=None)
@given(
    charset=st.sampled_from(["", "; charset=utf-8", "; charset=latin-1", "; charset=\"cp1252\"", "; charset=nope"]),
    body=st.binary(max_size=40),
)
def test_text_decodes_as_httpx_decodes_it(charset: str, body: bytes) -> None:
    headers = [(b"content-type", f"text/plain{charset}".encode())]
    ours = WireResponse(200, WireHeaders(headers), body, _request(), {}, 0.0)
    assert ours.text == httpx.Response(200, headers=headers, content=body).text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["X-A", "x-a", "Set-Cookie", "content-type"]),
            st.one_of(st.text("abc ,;\u00e9\u2603", max_size=5).map(str.encode), st.binary(max_size=5)),
        ),
        max_size=5,
    )
)
def test_headers_read_as_httpx_reads_them(pairs: list[tuple[str, bytes]]) -> None:
    raw = [(k.encode(), v) for k, v in pairs]
    ours, theirs = WireHeaders(raw), httpx.Headers(raw)
    for name in ("x-a", "X-A", "set-cookie", "content-type", "missing"):
        assert ours.get(name) == theirs.get(name)
        assert (name in ours) == (name in theirs)
    assert sorted(ours) == sorted({k.lower() for k in theirs})


def _request() -> WireRequest:
    where = (b"http", b"127.0.0.1", 8000, b"/x", b"127.0.0.1:8000")
    return WireRequest("POST", where, {"accept": "application/json"}, b"{}", {})
