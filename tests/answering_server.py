"""A small HTTP server of the tests' own on 127.0.0.1: it answers every request with
whatever the test sets (status, content type, headers, body), so the client meets
answers the emulator never gives. Records the requests it got."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Answer", "AnsweringServer", "json_answer"]


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def json_answer(value: object, **headers: str) -> Answer:
    return Answer(body=json.dumps(value).encode(), headers=headers)


class AnsweringServer:
    """Answers every request with `self.answer`; `requests` holds (method, path, body)."""

    def __init__(self) -> None:
        self.answer = Answer()
        self.requests: list[tuple[str, str, bytes]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _reply(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                server.requests.append((self.command, self.path, body))
                answer = server.answer
                self.send_response(answer.status)
                if answer.content_type is not None:
                    self.send_header("content-type", answer.content_type)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if answer.status != 204:
                    self.send_header("content-length", str(len(answer.body)))
                self.end_headers()
                if answer.status != 204:
                    self.wfile.write(answer.body)

            do_GET = do_POST = do_DELETE = _reply

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}"
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(5)
