"""The installed console script and `python -m azgate`, as separate processes: what a
user's shell runs, with real exit codes, signals and a missing extra."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from azgate import Client, __version__
from azgate.testing import Emulator

TIMEOUT = 60  # seconds; a hung process fails the test instead of hanging the run


def console_script() -> str:
    found = shutil.which("azgate", path=str(Path(sys.executable).parent))
    assert found, "the azgate console script is not installed next to this Python"
    return found


@pytest.fixture
def env(azure_env: Emulator) -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def test_the_console_script_chats(env: dict[str, str]) -> None:
    done = run([console_script(), "chat", "Hello from a shell", "-d", "gpt-4"], env)
    assert (done.returncode, done.stdout, done.stderr) == (0, "You said: Hello from a shell\n", "")


def test_the_console_script_fails_with_one_line_and_its_code(env: dict[str, str]) -> None:
    done = run([console_script(), "chat", "Hi", "-d", "no-such-deployment"], env)
    assert done.returncode == 1
    assert done.stderr.startswith("azgate: error: Error code: 404 (DeploymentNotFound)")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_python_dash_m_azgate(env: dict[str, str]) -> None:
    done = run([sys.executable, "-m", "azgate", "--version"], env)
    assert done.returncode == 0 and done.stdout.strip() == f"azgate, version {__version__}"
    usage = run([sys.executable, "-m", "azgate", "chat", "--no-such-flag"], env)
    assert usage.returncode == 2 and "No such option" in usage.stderr


def test_without_the_extra_it_says_what_to_install() -> None:
    code = "import sys; sys.modules['click'] = None; from azgate.cli import main; sys.exit(main(['--help']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        'azgate: error: the command line needs the "cli" extra (click is not installed): pip install "azgate[cli]"'
    )


def modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT, check=True)
    return set(done.stdout.split())


def test_import_azgate_does_not_import_the_command_line() -> None:
    loaded = modules_after("import azgate")
    assert not {m for m in loaded if m.startswith("azgate.cli")}
    # Nor httpx, which imports click and rich when they are installed (for its own CLI).
    assert not loaded & {"click", "rich", "httpx"}


def test_the_emulator_command_serves_until_sigterm(clean_env: None) -> None:
    process = subprocess.Popen(
        [console_script(), "emulator", "--port", "0", "--json", "--deployment", "mine=gpt-4o"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        started = json.loads(process.stdout.readline())
        assert started["api_key"] == "emulator-key" and started["deployments"] == {"mine": "gpt-4o"}
        with Client(api_key=started["api_key"], azure_endpoint=started["endpoint"], api_version="2024-10-21") as client:
            reply = client.chat.completions.create(model="mine", messages=[{"role": "user", "content": "hi"}])
        assert reply.choices[0].message.content == "You said: hi"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_ctrl_c_stops_waiting_and_says_how_to_resume(env: dict[str, str], emulator: Emulator, tmp_path: Path) -> None:
    emulator.store.tick = 3600.0  # the batch never finishes on its own
    requests = tmp_path / "requests.jsonl"
    body = {"model": "gpt-4", "messages": [{"role": "user", "content": "hi"}]}
    requests.write_text(json.dumps({"custom_id": "a", "method": "POST", "url": "/chat/completions", "body": body}))
    batch_id = run([console_script(), "batch", "run", str(requests)], env).stdout.strip()
    process = subprocess.Popen(
        [console_script(), "batch", "wait", batch_id, "--poll-interval", "0.05"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stderr is not None
        assert process.stderr.readline().startswith(f"batch {batch_id}: validating")  # waiting now
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 130
        assert stderr.strip().splitlines()[-1] == (
            f"azgate: error: stopped waiting; the batch keeps running: azgate batch wait {batch_id}"
        )
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_help_does_not_load_the_models() -> None:
    """`azgate --help` and `azgate chat --help` stay quick: the generated models (the bulk
    of the import time) load only when a command needs them."""
    code = (
        "import sys; from azgate.cli import main; main(['--help']); main(['batch', 'run', '--help']); "
        "print('RESULT', 'azgate.generated.models' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT, check=True)
    assert done.stdout.splitlines()[-1] == "RESULT False"
