"""A small HTTP server on 127.0.0.1 that answers with canned bodies: servers other than
the documents' ideal (older Azure api-versions, gateways, simulators), written down.

    with HostileServer({"/openai/deployments/gpt-4/chat/completions": Canned(json=...)}) as server:
        Client(azure_endpoint=server.url, api_key="k", api_version="2024-10-21")

A route answers a request whose JSON body says `"stream": true` with its `events` as
server-sent events (each a JSON value, then `data: [DONE]`), any other with its `json`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class Canned:
    json: Any = None
    events: tuple[Any, ...] = ()
    body: bytes | None = None
    """Sent as is (with `content_type`) instead of `json`: for bodies that are not JSON."""
    content_type: str = "application/json"


class HostileServer:
    def __init__(self, routes: dict[str, Canned]) -> None:
        self.routes = routes
        self.requests: list[tuple[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._answer(b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                self._answer(self.rfile.read(length))

            def _answer(self, raw: bytes) -> None:
                path = self.path.partition("?")[0]
                server.requests.append((self.command, path))
                canned = server.routes.get(path)
                if canned is None:
                    self._send(404, "application/json", b'{"error": {"code": "NotFound", "message": "no route"}}')
                    return
                wants_stream = bool(raw) and json.loads(raw).get("stream") is True
                if wants_stream:
                    events = [f"data: {json.dumps(e)}\n\n" for e in canned.events] + ["data: [DONE]\n\n"]
                    self._send(200, "text/event-stream", "".join(events).encode())
                elif canned.body is not None:
                    self._send(200, canned.content_type, canned.body)
                else:
                    self._send(200, canned.content_type, json.dumps(canned.json).encode())

            def _send(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="hostile-server", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
