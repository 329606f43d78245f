"""Servers for the routing tests, all on 127.0.0.1: three Azure "regions" (emulators), an
OpenAI stand-in (the emulator's /v1 paths with Bearer auth), a server that accepts
connections and never answers, and a real redis-server on a free port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
from azgate.testing import Emulator
from routing_support import DEPLOYMENTS, OPENAI_KEY, Silent


@pytest.fixture(scope="session")
def _regions() -> Iterator[dict[str, Emulator]]:
    emulators = {name: Emulator(deployments=DEPLOYMENTS).start() for name in ("eastus", "westus", "centralus")}
    emulators["openai"] = Emulator(deployments=DEPLOYMENTS, token_validator=lambda token: token == OPENAI_KEY).start()
    yield emulators
    for emulator in emulators.values():
        emulator.stop()


@pytest.fixture
def regions(_regions: dict[str, Emulator]) -> Iterator[dict[str, Emulator]]:
    for emulator in _regions.values():
        emulator.reset()
    yield _regions
    for emulator in _regions.values():
        emulator.reset()


@pytest.fixture(scope="session")
def silent() -> Iterator[Silent]:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    info = Silent(f"http://127.0.0.1:{server.getsockname()[1]}")
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            info.connections += 1
            held.append(conn)

    thread = threading.Thread(target=serve, name="silent-server", daemon=True)
    thread.start()
    yield info
    stop.set()
    thread.join(5)
    for conn in held:
        conn.close()
    server.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server of the tests' own, on a free loopback port, stopped afterwards.
    .ci/run installs it; a machine without it fails here rather than skip."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: apt-get install -y redis-server (.ci/run does this)")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)
