"""Run an ASGI app under uvicorn in a background thread, on a socket bound up front.

Binding the socket ourselves gives the ephemeral port before the thread starts, and
`start()` returns only once uvicorn serves on it; `stop()` sets `should_exit`, so
shutdown takes one uvicorn tick plus the close of open connections.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from ._faults import StreamAborted

__all__ = ["BackgroundServer"]


def _is_abort(exc: BaseException | None, depth: int = 0) -> bool:
    if exc is None or depth > 8:
        return False
    if isinstance(exc, StreamAborted):
        return True
    group: object = getattr(exc, "exceptions", None)  # an ExceptionGroup (3.11+)
    if isinstance(group, tuple):
        return any(isinstance(e, BaseException) and _is_abort(e, depth + 1) for e in group)
    return _is_abort(exc.__cause__ or exc.__context__, depth + 1)


class _DropAbortedStreams(logging.Filter):
    """A cut_stream(abort=True) fault is intended; keep its traceback out of the logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and _is_abort(record.exc_info[1]))


_FILTER = _DropAbortedStreams()


class BackgroundServer:
    def __init__(
        self,
        app: ASGIApp,
        host: str,
        port: int,
        *,
        log_level: str = "warning",
        ssl_certfile: str | None = None,
        ssl_keyfile: str | None = None,
    ) -> None:
        self._app = app
        self._ssl: dict[str, Any] = {"ssl_certfile": ssl_certfile, "ssl_keyfile": ssl_keyfile} if ssl_certfile else {}
        self._host = host
        self._requested_port = port
        self._log_level = log_level
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.port = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> None:
        if self.running:
            return
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        # proto must say TCP: asyncio sets TCP_NODELAY on accepted sockets only when
        # sock.proto == IPPROTO_TCP, and without it every response waits ~40 ms for a
        # delayed ACK (headers and body are separate writes).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self._host, self._requested_port))
        except OSError:
            sock.close()
            raise
        self._socket = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app,
            log_level=self._log_level,
            access_log=False,
            lifespan="off",
            # A hung stream (slow fault) must not hold stop() for long.
            timeout_graceful_shutdown=1,
            **self._ssl,  # HTTPS (the identity emulator's token endpoints)
        )
        server = uvicorn.Server(config)
        self._server = server
        logging.getLogger("uvicorn.error").addFilter(_FILTER)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"azgate-emulator-{self.port}", daemon=True
        )
        self._thread = thread
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive():
                self._cleanup()
                raise RuntimeError("the emulator's server thread exited during startup")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"the emulator did not start within {timeout} s")
            time.sleep(0.005)

    def stop(self, timeout: float = 5.0) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():  # a connection would not close: stop waiting for it
            server.force_exit = True
            thread.join(timeout)
        self._cleanup()

    def _cleanup(self) -> None:
        if self._socket is not None:
            self._socket.close()
        self._socket = None
        self._server = None
        self._thread = None
