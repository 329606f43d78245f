"""Hostile input gets Azure's 4xx, never a 500 or a hung connection (issue #10, item 10)."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from azgate.testing import Emulator
from emulator_support import chat_url, user

CHAT = {"messages": user("hi")}


def test_json_nested_past_the_recursion_limit_is_400(http: httpx.Client) -> None:
    deep = b'{"messages": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    r = http.post(chat_url(), content=deep, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert "nested too deeply" in r.json()["error"]["message"]


def test_json_nested_within_the_parser_but_past_the_validator_is_400(http: httpx.Client) -> None:
    # Deep enough to parse, deep enough to exhaust whatever walks it next.
    deep = b'{"messages": [{"role": "user", "content": "x", "name": ' + b"[" * 900 + b"]" * 900 + b"}]}"
    r = http.post(chat_url(), content=deep, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text


def test_a_5000_digit_integer_is_400(http: httpx.Client) -> None:
    raw = b'{"messages": [{"role": "user", "content": "hi"}], "max_tokens": ' + b"7" * 5000 + b"}"
    r = http.post(chat_url(), content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert "5000 digits" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"content": b'{"messages": []}', "headers": {"content-type": "text/plain"}},
        {"data": {"messages": "hi"}},
        {"files": {"messages": ("m.json", b"[]", "application/json")}},
    ],
    ids=["text-plain", "urlencoded", "multipart"],
)
def test_a_json_operation_refuses_other_media_types(http: httpx.Client, kwargs: dict[str, object]) -> None:
    r = http.post(chat_url(), **kwargs)  # type: ignore[arg-type]
    assert r.status_code == 415, r.text
    assert r.json()["error"]["code"] == "UnsupportedMediaType"


def test_json_with_a_charset_and_vendor_json_are_fine(http: httpx.Client) -> None:
    for media in ("application/json; charset=utf-8", "application/merge-patch+json"):
        r = http.post(
            chat_url(), content=b'{"messages": [{"role": "user", "content": "hi"}]}', headers={"content-type": media}
        )
        assert r.status_code == 200, (media, r.text)


@pytest.mark.parametrize(
    ("fault", "param"),
    [
        (b'{"kind": "rate_limit", "retry_after_ms": 1e400}', "retry_after_ms"),
        (b'{"kind": "rate_limit", "retry_after_ms": -5}', "retry_after_ms"),
        (b'{"kind": "rate_limit", "retry_after": "soon"}', "retry_after"),
        (b'{"kind": "slow_first_byte", "delay": "abc"}', "delay"),
        (b'{"kind": "slow_first_byte", "delay": 1e9}', "delay"),
        (b'{"kind": "status", "status": 99999}', "status"),
        (b'{"kind": "status", "status": 404, "code": 7}', "code"),
        (b'{"kind": "cut_stream", "after_chunks": 2.5}', "after_chunks"),
        (b'{"kind": "cut_stream", "abort": "yes"}', "abort"),
        (b'{"kind": "rate_limit", "times": 0}', "times"),
        (b'{"kind": "rate_limit", "times": true}', "times"),
        (b'{"kind": "rate_limit", "operation": 5}', "operation"),
        (b'{"kind": "meltdown"}', "kind"),
        (b'{"kind": "rate_limit", "retry_after_msec": 5}', "retry_after_msec"),
    ],
)
def test_admin_refuses_out_of_range_fault_values_naming_the_field(emulator: Emulator, fault: bytes, param: str) -> None:
    r = httpx.post(emulator.endpoint + "/_emulator/faults", content=fault)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["param"] == param and param in r.json()["error"]["message"]
    assert len(emulator.faults) == 0


@pytest.mark.parametrize(
    ("path", "body", "param"),
    [
        ("/_emulator/store", b'{"tick": 1e400}', "tick"),
        ("/_emulator/store", b'{"tick": -1}', "tick"),
        ("/_emulator/deployments", b'{"name": 5}', "name"),
        ("/_emulator/deployments", b'{"name": "a", "model": ""}', "model"),
        ("/_emulator/profile", b'{"profile": "newest"}', "profile"),
        ("/_emulator/faults", b'{"kind": "rate_limit", "times": ' + b"9" * 5000 + b"}", None),
    ],
)
def test_admin_refuses_other_bad_values(emulator: Emulator, path: str, body: bytes, param: str | None) -> None:
    r = httpx.post(emulator.endpoint + path, content=body)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["param"] == param


def test_python_api_refuses_bad_fault_values_too(emulator: Emulator) -> None:
    with pytest.raises(ValueError, match="retry_after_ms"):
        emulator.faults.add("rate_limit", retry_after_ms=float("inf"))
    with pytest.raises(ValueError, match="delay"):
        emulator.faults.add("slow_first_byte", delay=float("nan"))


@pytest.fixture
def impatient() -> Iterator[Emulator]:
    with Emulator(body_timeout=0.3) as emulator:
        yield emulator


def test_headers_without_a_body_are_answered_408_and_closed(impatient: Emulator) -> None:
    with socket.create_connection(("127.0.0.1", impatient.port), timeout=10) as sock:
        sock.sendall(
            (
                f"POST {chat_url()} HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: {impatient.api_key}\r\n"
                "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            ).encode()
        )
        received = b""
        while chunk := sock.recv(65536):  # ends when the server closes; the timeout guards a hang
            received += chunk
    assert received.startswith(b"HTTP/1.1 408"), received[:200]
    assert b"did not arrive in time" in received


def test_import_without_the_testing_extra_says_what_to_install() -> None:
    blocked = "import sys; sys.modules['starlette'] = None; "
    proc = subprocess.run(
        [sys.executable, "-c", blocked + "import azgate.testing"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0
    assert 'pip install "azgate[testing]"' in proc.stderr and "starlette" in proc.stderr
    # The pytest plugin, which pytest imports in every run, still imports.
    proc = subprocess.run(
        [sys.executable, "-c", blocked + "import azgate._pytest_plugin, azgate"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
