"""`azgate chat` and `azgate embed` against the emulator, and the error line of every
kind of failure with its exit code."""

from __future__ import annotations

import json

import pytest
from azgate.testing import Emulator
from cli_support import assert_exit, azgate, error_line, json_lines

pytestmark = pytest.mark.usefixtures("azure_env")


def sent_body(emulator: Emulator, operation: str) -> dict[str, object]:
    """The JSON body of the last request the emulator served for `operation`."""
    requests = [r for r in emulator.stats.requests if r.operation == operation]
    body: dict[str, object] = json.loads(requests[-1].body)
    return body


def test_chat_prints_the_reply_and_sends_the_system_message(emulator: Emulator) -> None:
    result = azgate("chat", "Hello there", "--system", "Be brief.", "--deployment", "gpt-4")
    assert_exit(result, 0)
    assert result.stdout == "You said: Hello there\n"
    (request,) = emulator.stats.requests
    assert request.path.endswith("/openai/deployments/gpt-4/chat/completions")
    assert json.loads(request.body)["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hello there"},
    ]


def test_chat_streams_the_same_text(emulator: Emulator) -> None:
    result = azgate("chat", "Hello stream", "--stream", "-d", "gpt-4")
    assert_exit(result, 0)
    assert result.stdout == "You said: Hello stream\n"
    assert sent_body(emulator, "ChatCompletions_Create")["stream"] is True


def test_chat_json_is_the_whole_response() -> None:
    result = azgate("chat", "Hi", "-d", "gpt-4", "--json")
    assert_exit(result, 0)
    reply = json.loads(result.stdout)
    assert reply["object"] == "chat.completion"
    assert reply["choices"][0]["message"]["content"] == "You said: Hi"
    assert reply["prompt_filter_results"]  # Azure's fields come through


def test_chat_stream_json_is_one_chunk_per_line() -> None:
    result = azgate("chat", "Hi", "-d", "gpt-4", "--stream", "--json")
    assert_exit(result, 0)
    chunks = json_lines(result.stdout)
    assert chunks[0]["choices"] == [] and chunks[0]["prompt_filter_results"]  # Azure's first chunk
    assert len(chunks) > 2 and all(c["object"] == "chat.completion.chunk" for c in chunks[1:])
    text = "".join((c["choices"][0]["delta"].get("content") or "") for c in chunks if c["choices"])
    assert text == "You said: Hi"


def test_chat_reads_the_prompt_from_stdin() -> None:
    result = azgate("chat", "-", "-d", "gpt-4", input="from a pipe\n")
    assert_exit(result, 0)
    assert result.stdout == "You said: from a pipe\n"


def test_chat_takes_the_deployment_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_DEPLOYMENT", "gpt-4o")
    result = azgate("chat", "Hi", "--json")
    assert_exit(result, 0)
    assert json.loads(result.stdout)["model"] == "gpt-4o"


def test_flags_override_the_environment(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "not-the-key")
    monkeypatch.setenv("OPENAI_API_VERSION", "2099-01-01")
    result = azgate("chat", "Hi", "-d", "gpt-4", "--api-key", emulator.api_key, "--api-version", "2024-06-01")
    assert_exit(result, 0)
    (request,) = emulator.stats.requests
    assert request.query == "api-version=2024-06-01"


def test_no_deployment_is_a_usage_error() -> None:
    result = azgate("chat", "Hi")
    assert_exit(result, 2)
    assert "--deployment" in error_line(result) and "AZURE_OPENAI_DEPLOYMENT" in error_line(result)


def test_a_missing_setting_is_named_as_a_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_VERSION")
    result = azgate("chat", "Hi", "-d", "gpt-4")
    assert_exit(result, 2)
    line = error_line(result)
    assert "--api-version 2024-10-21" in line and "OPENAI_API_VERSION" in line
    assert "api_version=" not in line


def test_two_ways_to_authenticate_are_a_usage_error() -> None:
    result = azgate("chat", "Hi", "-d", "gpt-4", "--api-key", "k", "--azure-ad-token", "t")
    assert_exit(result, 2)
    assert "--api-key and --azure-ad-token" in error_line(result)


def test_a_wrong_deployment_exits_1_with_azures_code() -> None:
    result = azgate("chat", "Hi", "-d", "no-such-deployment")
    assert_exit(result, 1)
    line = error_line(result)
    assert "DeploymentNotFound" in line and "--deployment" in line and "request id" in line


def test_a_wrong_key_exits_4_and_never_prints_it() -> None:
    secret = "sk-wrong-3f9a1c77e2"
    result = azgate("chat", "Hi", "-d", "gpt-4", "--api-key", secret)
    assert_exit(result, 4)
    assert "the key was refused" in error_line(result)
    assert secret not in result.output


def test_an_unreachable_endpoint_exits_3() -> None:
    result = azgate("chat", "Hi", "-d", "gpt-4", "--endpoint", "http://127.0.0.1:1", "--max-retries", "0")
    assert_exit(result, 3)
    assert "nothing listens at http://127.0.0.1:1" in error_line(result)


def test_a_server_error_after_the_retries_exits_1(emulator: Emulator) -> None:
    emulator.faults.add("server_error", times=3)
    result = azgate("chat", "Hi", "-d", "gpt-4", "--max-retries", "1")
    assert_exit(result, 1)
    assert "500" in error_line(result)
    assert emulator.stats.count("ChatCompletions_Create") == 2


def test_an_unsupported_parameter_is_caught_before_the_network(emulator: Emulator) -> None:
    result = azgate("audio", "speak", "hi", "--out", "x.mp3", "-d", "tts")
    assert_exit(result, 2)
    assert "2024-02-15-preview" in error_line(result)
    assert emulator.stats.count() == 0


def test_debug_shows_the_traceback_and_the_sdk_log() -> None:
    result = azgate("chat", "Hi", "-d", "no-such-deployment", "--debug")
    assert_exit(result, 1)
    assert "Traceback" in result.stderr and "NotFoundError" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("azgate: error: ")
    debug_before_command = azgate("--debug", "chat", "Hi", "-d", "no-such-deployment")
    assert "Traceback" in debug_before_command.stderr


def test_embed_summarises_and_json_has_the_vectors(emulator: Emulator) -> None:
    result = azgate("embed", "first text", "second", "-d", "text-embedding-ada-002")
    assert_exit(result, 0)
    assert "first text" in result.stdout and "1536" in result.stdout
    result = azgate("embed", "first text", "second", "-d", "text-embedding-ada-002", "--json")
    assert_exit(result, 0)
    data = json.loads(result.stdout)["data"]
    assert [item["index"] for item in data] == [0, 1]
    assert all(len(item["embedding"]) == 1536 for item in data)
    assert sent_body(emulator, "embeddings_create")["input"] == ["first text", "second"]
