"""Lifecycle: start/stop, ports, loopback only, the CLI, the pytest fixtures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from azgate.testing import Emulator
from emulator_support import chat_url, hand_built_operations, user

HERE = Path(__file__).parent


def test_start_and_stop_are_quick_and_clean() -> None:
    started = time.monotonic()
    emulator = Emulator(operations=hand_built_operations()).start()
    try:
        assert time.monotonic() - started < 2
        assert emulator.endpoint.startswith("http://127.0.0.1:") and emulator.port > 0
        assert httpx.get(emulator.endpoint + "/_emulator/health").status_code == 200
        endpoint = emulator.endpoint
    finally:
        stopping = time.monotonic()
        emulator.stop()
    assert time.monotonic() - stopping < 2
    with pytest.raises(httpx.ConnectError):
        httpx.get(endpoint + "/_emulator/health")
    with pytest.raises(RuntimeError, match="not running"):
        _ = emulator.endpoint


def test_two_emulators_get_different_ports_and_keys() -> None:
    ops = hand_built_operations()
    with Emulator(operations=ops) as a, Emulator(operations=ops, api_key="other") as b:
        assert a.port != b.port
        r = httpx.post(b.endpoint + chat_url(), json={"messages": user("x")}, headers={"api-key": "other"})
        assert r.status_code == 200


def test_custom_deployments_replace_the_defaults() -> None:
    with Emulator(operations=hand_built_operations(), deployments={"prod": "gpt-4o"}) as emulator:
        headers = {"api-key": emulator.api_key}
        body = {"messages": user("x")}
        assert httpx.post(emulator.endpoint + chat_url("prod"), json=body, headers=headers).json()["model"] == "gpt-4o"
        assert httpx.post(emulator.endpoint + chat_url("gpt-4"), json=body, headers=headers).status_code == 404


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "example.com"])
def test_non_loopback_hosts_are_refused(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        Emulator(host=host, operations=hand_built_operations())


def test_ipv6_loopback_endpoint() -> None:
    try:
        emulator = Emulator(host="::1", operations=hand_built_operations()).start()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with emulator:
        assert emulator.endpoint.startswith("http://[::1]:")
        assert httpx.get(emulator.endpoint + "/_emulator/health").status_code == 200


def test_repr_hides_the_key() -> None:
    emulator = Emulator(operations=hand_built_operations(), api_key="s3cret")
    assert "s3cret" not in repr(emulator)


def test_no_table_is_a_clear_error() -> None:
    try:
        import azgate.generated._operations  # noqa: F401
    except ImportError:
        with pytest.raises(RuntimeError, match="operations="):
            Emulator()
    else:
        pytest.skip("the generated table exists")


def test_cli_prints_endpoint_key_and_deployments_and_stops_on_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), *sys.path])}
    command = [
        sys.executable,
        "-m",
        "azgate.testing.emulator",
        "--port",
        "0",
        "--api-key",
        "cli-key",
        "--deployment",
        "chatty=gpt-4o",
        "--profile",
        "legacy",
        "--operations",
        "emulator_support:hand_built_operations",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as proc:
        try:
            assert proc.stdout is not None and proc.stderr is not None
            endpoint = proc.stdout.readline().strip()
            assert endpoint.startswith("http://127.0.0.1:"), proc.stderr.read()
            banner = [proc.stdout.readline().strip() for _ in range(4)]
            assert banner[:3] == ["api key:     cli-key", "profile:     legacy", "deployments:"]
            assert banner[3] == "chatty  (gpt-4o)"
            r = httpx.post(
                endpoint + chat_url("chatty"), json={"messages": user("cli")}, headers={"api-key": "cli-key"}
            )
            assert r.json()["model"] == "gpt-4o"
            assert "system_fingerprint" not in r.json()  # the legacy profile
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=5) == 0
        finally:
            if proc.poll() is None:
                proc.kill()


@pytest.mark.parametrize("module", ["azgate.testing.emulator", "azgate.testing"])
def test_cli_serves_the_seeds_deployments_by_default(module: str) -> None:
    command = [sys.executable, "-m", module, "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            lines = [proc.stdout.readline().strip() for _ in range(5)]
            assert lines[1] == "api key:     emulator-key"
            names = set()
            while (line := proc.stdout.readline().strip()).endswith(")"):
                names.add(line.split()[0])
            assert {"gpt-4-deployment", "gpt-4-vision", "gpt-4o"} <= names | {lines[4].split()[0]}
            r = httpx.post(
                lines[0] + chat_url("gpt-4-deployment"),
                json={"messages": user("seed")},
                headers={"api-key": "emulator-key"},
            )
            assert r.status_code == 200 and r.json()["model"] == "gpt-4"
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=5) == 0
        finally:
            if proc.poll() is None:
                proc.kill()


def test_cli_rejects_a_bad_deployment() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "azgate.testing.emulator",
            "--deployment",
            "=x",
            "--operations",
            "emulator_support:hand_built_operations",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), *sys.path])},
    )
    assert proc.returncode == 2 and "NAME=MODEL" in proc.stderr


def test_reset_fixture_clears_between_tests_part_1(azure_openai_emulator_reset: Emulator) -> None:
    azure_openai_emulator_reset.faults.add("rate_limit", times=5)
    azure_openai_emulator_reset.deployments["temp"] = "gpt-4"


def test_reset_fixture_clears_between_tests_part_2(azure_openai_emulator_reset: Emulator) -> None:
    assert len(azure_openai_emulator_reset.faults) == 0
    assert "temp" not in azure_openai_emulator_reset.deployments
    assert azure_openai_emulator_reset.stats.count() == 0
