"""`--config FILE`: a routing config, passed to the client as `config=FILE`."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from azgate.testing import Emulator
from cli_support import assert_exit, azgate

routing = pytest.mark.skipif(
    importlib.util.find_spec("azgate._routing") is None,
    reason="this build has no routing (Client(config=...)) yet",
)


@pytest.fixture
def fallback_config(tmp_path: Path, emulator: Emulator) -> Path:
    """A dead region first, the emulator second; every setting in the file, none in the env."""
    target = {"provider": "azure-openai", "api_key": emulator.api_key, "api_version": "2024-10-21"}
    config = {
        "strategy": {"mode": "fallback"},
        "targets": [
            {**target, "name": "dead", "azure_endpoint": "http://127.0.0.1:1", "max_retries": 0},
            {**target, "name": "emulator", "azure_endpoint": emulator.endpoint},
        ],
    }
    path = tmp_path / "routes.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


@routing
@pytest.mark.usefixtures("clean_env")
def test_chat_routes_by_the_config_file(fallback_config: Path, emulator: Emulator) -> None:
    result = azgate("chat", "Hi", "-d", "gpt-4", "--config", str(fallback_config))
    assert_exit(result, 0)
    assert result.stdout == "You said: Hi\n"
    assert emulator.stats.count("ChatCompletions_Create") == 1


@routing
@pytest.mark.usefixtures("clean_env")
def test_a_bad_config_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"strategy": {"mode": "fallback"}, "targets": [{"resource_nme": "x"}]}))
    result = azgate("chat", "Hi", "-d", "gpt-4", "--config", str(path))
    assert_exit(result, 2)
    assert "resource_nme" in result.stderr


def test_a_missing_config_file_is_a_usage_error(tmp_path: Path) -> None:
    result = azgate("chat", "Hi", "-d", "gpt-4", "--config", str(tmp_path / "none.json"))
    assert_exit(result, 2)
    assert "does not exist" in result.stderr


@routing
@pytest.mark.usefixtures("clean_env")
def test_doctor_checks_the_deployment_through_the_routes(fallback_config: Path) -> None:
    result = azgate("doctor", "--json", "--config", str(fallback_config), "-d", "gpt-4")
    assert_exit(result, 0)
    report = json.loads(result.stdout)
    assert report["auth"] == "per target (config file)"
    found = {c["name"]: c for c in report["checks"]}
    assert found["endpoint"]["status"] == "skipped"
    assert found["deployment"]["status"] == "ok"
    assert "via target emulator after dead" in found["deployment"]["detail"]


@routing
@pytest.mark.usefixtures("clean_env")
def test_with_a_config_the_targets_may_name_the_deployment(tmp_path: Path, emulator: Emulator) -> None:
    target = {"api_key": emulator.api_key, "api_version": "2024-10-21", "azure_endpoint": emulator.endpoint}
    path = tmp_path / "single.json"
    path.write_text(json.dumps({"targets": [{**target, "deployment_id": "gpt-4o"}]}), encoding="utf-8")
    result = azgate("chat", "Hi", "--config", str(path), "--json")
    assert_exit(result, 0)
    assert json.loads(result.stdout)["model"] == "gpt-4o"


@pytest.mark.usefixtures("clean_env")
def test_with_nothing_configured_the_error_names_the_flags() -> None:
    result = azgate("chat", "Hi", "-d", "gpt-4")
    assert_exit(result, 2)
    assert "--api-version" in result.stderr and "--config FILE" in result.stderr
    assert "with_options" not in result.stderr
