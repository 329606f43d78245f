"""A small hostile HTTP/1.1 server for the tests: it answers whatever raw bytes a test
tells it to, slowly if asked, so the client meets faults the emulator cannot produce
(lying headers, trickled bodies, redirects to another origin, TLS it cannot verify).

Runs on 127.0.0.1 on a free port, one thread per connection, and stops with `close()`.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Union

__all__ = ["Received", "HostileServer", "response"]


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    head: bytes = b""
    """The request line and headers as they came, for tests that compare bytes."""


Step = Union[bytes, float]
"""What a handler answers: bytes to send, or seconds to wait before the next bytes."""
Handler = Callable[[Received], Union[bytes, Iterable[Step]]]


def response(
    status: int = 200,
    body: bytes = b"",
    content_type: str | None = "application/json",
    headers: dict[str, str] | None = None,
) -> bytes:
    """A complete HTTP/1.1 response with Content-Length, closing the connection."""
    lines = [f"HTTP/1.1 {status} X", f"content-length: {len(body)}", "connection: close"]
    if content_type:
        lines.append(f"content-type: {content_type}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass
class HostileServer:
    handler: Handler
    tls: ssl.SSLContext | None = None
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    api_key = "hostile-test-key-0123456789"
    """So `make_client(flavour, server)` works as it does with the emulator."""

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    endpoint = url

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        with self._lock:
            for conn in self._conns:
                with contextlib.suppress(OSError):
                    conn.close()
        for thread in self._threads:
            thread.join(5)
        self._sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._lock:
                self._conns.append(conn)
                self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn.settimeout(5)
                try:
                    conn = self.tls.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    return  # the client refused our certificate: what the TLS tests want
            conn.settimeout(10)
            request = _read_request(conn)
            if request is None:
                return
            with self._lock:
                self.received.append(request)
            answer = self.handler(request)
            for step in [answer] if isinstance(answer, bytes) else answer:
                if self._stop.is_set():
                    return
                if isinstance(step, bytes):
                    conn.sendall(step)
                else:
                    self._stop.wait(step)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()


def _read_request(conn: socket.socket) -> Received | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, path, _ = request_line.split(" ", 2)
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    deadline = time.monotonic() + 10
    while len(body) < length and time.monotonic() < deadline:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return Received(method, path, headers, body, head)
