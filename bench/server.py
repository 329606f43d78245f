"""A loopback HTTP/1.1 server that answers like Azure OpenAI, as cheaply as it can.

Every body is rendered once, so serving a request costs a header scan and one write:
the figures measure the client, not the server. It listens on one or more ports of
127.0.0.1 (several ports stand in for several regions of a routed client), and stops by
itself: after --max-seconds, when its parent (or --parent-pid) is gone, or on SIGTERM/SIGINT.

    python -m bench.server [--ports 3] [--api-key KEY] [--max-seconds 7200] [--parent-pid PID]

prints one JSON line, {"endpoints": [...], "pid": N}, once it is listening.

Routes (any deployment, any api-version):
    POST .../chat/completions   a chat completion, or with "stream": true an SSE stream of
                                `x-bench-chunks` content chunks (default 1000), one event per
                                HTTP chunk as Azure frames it
    POST .../embeddings         float embeddings, one vector per input
    GET  /_bench/counts         {"<port>": requests served} (the routed-call check reads it)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
from collections.abc import Callable

from bench import bodies

__all__ = ["main"]

_REASONS = {200: b"OK", 400: b"Bad Request", 401: b"Unauthorized", 404: b"Not Found", 501: b"Not Implemented"}

# The headers Azure OpenAI sends with every response (values trimmed); clients parse them all.
_AZURE_HEADERS = (
    b"apim-request-id: 3f2a9c1e-7b4d-4e8a-9f61-2c5d8e0a7b13\r\n"
    b"x-request-id: 0c8e5b2a-6d1f-4a3e-b7c9-5e2f1a4d8c60\r\n"
    b"x-ms-region: Sweden Central\r\n"
    b"x-ratelimit-limit-requests: 1000\r\n"
    b"x-ratelimit-remaining-requests: 999\r\n"
    b"x-ratelimit-limit-tokens: 1000000\r\n"
    b"x-ratelimit-remaining-tokens: 999971\r\n"
    b"x-content-type-options: nosniff\r\n"
    b"strict-transport-security: max-age=31536000; includeSubDomains; preload\r\n"
)


def _response(status: int, body: bytes, content_type: bytes = b"application/json") -> bytes:
    head = b"HTTP/1.1 %d %s\r\ncontent-type: %s\r\ncontent-length: %d\r\n" % (
        status,
        _REASONS[status],
        content_type,
        len(body),
    )
    return head + _AZURE_HEADERS + b"\r\n" + body


def _stream_response(content_chunks: int) -> bytes:
    framed = b"".join(b"%x\r\n%s\r\n" % (len(event), event) for event in bodies.stream_events(content_chunks))
    return (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\n"
        + _AZURE_HEADERS
        + b"transfer-encoding: chunked\r\n\r\n"
        + framed
        + b"0\r\n\r\n"
    )


class Responses:
    """Every response the server sends, rendered on first use and kept."""

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key.lower().encode()  # compared with a lower-cased header block
        self.chat = _response(200, bodies.chat_completion())
        self.unauthorized = _response(401, bodies.error("401", "Access denied due to invalid subscription key."))
        self.not_found = _response(404, bodies.error("404", "Resource not found"))
        self.bad_request = _response(400, bodies.error("400", "Malformed request"))
        self.chunked_body = _response(501, bodies.error("501", "Send request bodies with a content-length"))
        self._streams: dict[int, bytes] = {}
        self._embeddings: dict[int, bytes] = {}

    def stream(self, content_chunks: int) -> bytes:
        if content_chunks not in self._streams:
            self._streams[content_chunks] = _stream_response(content_chunks)
        return self._streams[content_chunks]

    def embeddings(self, inputs: int) -> bytes:
        if inputs not in self._embeddings:
            self._embeddings[inputs] = _response(200, bodies.embeddings(inputs))
        return self._embeddings[inputs]


def _header(head: bytes, name: bytes) -> bytes | None:
    """The value of header `name` (lower case) in a raw header block, or None."""
    start = head.find(b"\r\n" + name + b":")
    if start < 0:
        return None
    start += len(name) + 3
    end = head.find(b"\r\n", start)
    return head[start : end if end >= 0 else len(head)].strip()


def _input_count(body: bytes) -> int:
    try:
        value = json.loads(body).get("input")
    except ValueError:
        return 1
    is_batch = isinstance(value, list) and value and not isinstance(value[0], int)
    return len(value) if is_batch else 1


class Connection(asyncio.Protocol):
    """One client connection: parse pipelined requests, write the prepared answers."""

    def __init__(self, responses: Responses, counts: dict[int, int]) -> None:
        self.responses = responses
        self.counts = counts
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.port = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.port = transport.get_extra_info("sockname")[1]

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport is not None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end]).lower()
            if _header(head, b"transfer-encoding") is not None:
                self._reply(self.responses.chunked_body, close=True)
                return
            length = int(_header(head, b"content-length") or 0)
            if len(self.buffer) < end + 4 + length:
                return
            body = bytes(self.buffer[end + 4 : end + 4 + length])
            del self.buffer[: end + 4 + length]
            self._reply(self._answer(head, body), close=_header(head, b"connection") == b"close")

    def _reply(self, response: bytes, *, close: bool) -> None:
        assert self.transport is not None
        self.transport.write(response)
        if close:
            self.transport.close()
            self.transport = None

    def _answer(self, head: bytes, body: bytes) -> bytes:
        request_line = head[: head.find(b"\r\n")].split(b" ")
        if len(request_line) != 3:
            return self.responses.bad_request
        method, target = request_line[0], request_line[1]
        path = target.split(b"?", 1)[0]
        if method == b"get" and path == b"/_bench/counts":
            return _response(200, json.dumps({str(k): v for k, v in self.counts.items()}).encode())
        self.counts[self.port] += 1
        key = self.responses.api_key
        if _header(head, b"api-key") != key and _header(head, b"authorization") != b"bearer " + key:
            return self.responses.unauthorized
        if method != b"post":
            return self.responses.not_found
        if path.endswith(b"/chat/completions"):
            if b'"stream":true' in body or b'"stream": true' in body:
                return self.responses.stream(int(_header(head, b"x-bench-chunks") or 1000))
            return self.responses.chat
        if path.endswith(b"/embeddings"):
            return self.responses.embeddings(_input_count(body))
        return self.responses.not_found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is gone too
    except OSError:
        return True


async def serve(
    ports: int, api_key: str, max_seconds: float, parent: int, on_ready: Callable[[list[str]], None]
) -> None:
    loop = asyncio.get_running_loop()
    responses = Responses(api_key)
    responses.stream(1000)
    counts: dict[int, int] = {}
    servers = []
    for _ in range(ports):
        server = await loop.create_server(lambda: Connection(responses, counts), "127.0.0.1", 0, backlog=4096)
        counts[server.sockets[0].getsockname()[1]] = 0
        servers.append(server)
    on_ready([f"http://127.0.0.1:{port}" for port in counts])

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    deadline = loop.time() + max_seconds
    while not stop.is_set() and loop.time() < deadline and _alive(parent):
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=1.0)
    for server in servers:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ports", type=int, default=1, help="loopback ports to listen on (one per region)")
    parser.add_argument("--api-key", default="bench-key")
    parser.add_argument("--max-seconds", type=float, default=7200.0, help="stop after this long")
    parser.add_argument("--parent-pid", type=int, default=os.getppid(), help="stop when this process is gone")
    args = parser.parse_args()

    def announce(endpoints: list[str]) -> None:
        print(json.dumps({"endpoints": endpoints, "pid": os.getpid()}), flush=True)

    asyncio.run(serve(args.ports, args.api_key, args.max_seconds, args.parent_pid, announce))


if __name__ == "__main__":
    main()
