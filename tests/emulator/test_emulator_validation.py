"""Each validation step answers with Azure's status and error body."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

import httpx
import pytest
from azgate._core._operation import OperationSpec
from azgate.testing import Emulator
from emulator_support import API_VERSION, chat_url, hand_built_operations, url, user
from pydantic import BaseModel, ConfigDict

ACCESS_DENIED = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
    "provide a valid key for an active subscription and use a correct regional API "
    "endpoint for your resource."
)
CHAT = {"messages": user("hi")}


def test_wrong_api_key_is_azures_401(emulator: Emulator) -> None:
    r = httpx.post(emulator.endpoint + chat_url(), json=CHAT, headers={"api-key": "wrong"})
    assert r.status_code == 401
    assert r.json() == {"error": {"code": "401", "message": ACCESS_DENIED}}


def test_missing_credentials_is_401(emulator: Emulator) -> None:
    r = httpx.post(emulator.endpoint + chat_url(), json=CHAT)
    assert r.status_code == 401
    assert r.json()["error"]["message"] == ACCESS_DENIED


def test_auth_is_checked_before_anything_else(emulator: Emulator) -> None:
    r = httpx.post(emulator.endpoint + "/openai/deployments/nope/chat/completions", content=b"{")
    assert r.status_code == 401


def test_bearer_token_goes_through_the_validator(emulator: Emulator) -> None:
    bearer = {"Authorization": "Bearer good-token"}
    r = httpx.post(emulator.endpoint + chat_url(), json=CHAT, headers=bearer)
    assert r.status_code == 401, "no token validator: a bearer token is refused"
    assert "Access token is missing, invalid" in r.json()["error"]["message"]
    seen: list[str] = []

    def validate(token: str) -> bool:
        seen.append(token)
        return token == "good-token"

    emulator.token_validator = validate
    try:
        assert httpx.post(emulator.endpoint + chat_url(), json=CHAT, headers=bearer).status_code == 200
        bad = httpx.post(emulator.endpoint + chat_url(), json=CHAT, headers={"Authorization": "Bearer bad"})
        assert bad.status_code == 401
        assert seen == ["good-token", "bad"]
    finally:
        emulator.token_validator = None


def test_missing_api_version_is_404_resource_not_found(http: httpx.Client) -> None:
    r = http.post(chat_url(version=None), json=CHAT)
    assert r.status_code == 404
    error = r.json()["error"]
    assert error["code"] == "404"
    assert error["message"].startswith("Resource not found")
    assert "api-version query parameter is missing" in error["message"]


def test_unknown_api_version_is_400_api_version_not_supported(http: httpx.Client) -> None:
    r = http.post(chat_url(version="2099-01-01"), json=CHAT)
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "BadRequest"
    assert error["message"].startswith("API version not supported")
    assert "'2099-01-01'" in error["message"]


def test_version_without_the_operation_is_404_naming_it(http: httpx.Client) -> None:
    r = http.post(url("audio/speech", "tts", "2024-10-21"), json={"input": "hi", "voice": "alloy"})
    assert r.status_code == 404
    message = r.json()["error"]["message"]
    assert message.startswith("Resource not found")
    assert "Speech_Create" in message and "2024-10-21" in message
    assert "2024-02-15-preview" in message


def test_unknown_deployment(http: httpx.Client) -> None:
    r = http.post(chat_url("no-such-deployment"), json=CHAT)
    assert r.status_code == 404
    assert r.json() == {
        "error": {
            "code": "DeploymentNotFound",
            "message": "The API deployment for this resource does not exist. If you created "
            "the deployment within the last 5 minutes, please wait a moment and try again.",
        }
    }


def test_deployment_is_checked_before_the_body(http: httpx.Client) -> None:
    r = http.post(chat_url("no-such-deployment"), content=b"{not json")
    assert r.json()["error"]["code"] == "DeploymentNotFound"


def test_chat_on_an_embeddings_deployment_is_operation_not_supported(http: httpx.Client) -> None:
    r = http.post(chat_url("text-embedding-ada-002"), json=CHAT)
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "OperationNotSupported"
    assert "chatCompletion" in error["message"] and "text-embedding-ada-002" in error["message"]


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_unparseable_or_non_object_body_is_400(http: httpx.Client, raw: bytes) -> None:
    r = http.post(chat_url(), content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert "could not parse the JSON body" in error["message"]


def test_field_the_version_lacks_is_unrecognized(http: httpx.Client) -> None:
    tools = [{"type": "function", "function": {"name": "f", "parameters": {}}}]
    r = http.post(chat_url(version="2023-05-15"), json={**CHAT, "tools": tools})
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["message"].startswith("Unrecognized request argument supplied: tools")
    assert error["param"] == "tools"
    ok = http.post(chat_url(version="2024-02-01"), json={**CHAT, "tools": tools})
    assert ok.status_code == 200, ok.text


def test_unknown_field_is_unrecognized(http: httpx.Client) -> None:
    r = http.post(chat_url(), json={**CHAT, "temprature": 1})
    assert r.status_code == 400
    assert r.json()["error"]["param"] == "temprature"


def test_model_in_the_body_is_tolerated(http: httpx.Client) -> None:
    # openai-python sends the deployment as "model" too; Azure ignores it.
    r = http.post(chat_url(), json={**CHAT, "model": "gpt-35-turbo"})
    assert r.status_code == 200


def test_missing_required_field_is_named(http: httpx.Client) -> None:
    r = http.post(chat_url(), json={"temperature": 0})
    assert r.status_code == 400
    assert r.json()["error"] == {
        "code": "missing_required_parameter",
        "message": "Missing required parameter: 'messages'.",
        "param": "messages",
        "type": "invalid_request_error",
    }


@pytest.mark.parametrize(
    ("body", "param", "code", "words"),
    [
        ({"messages": [{"role": "robot", "content": "hi"}]}, "messages[0].role", "invalid_value", "'user'"),
        ({**CHAT, "temperature": "hot"}, "temperature", "invalid_type", "but got a string instead"),
        ({**CHAT, "temperature": 5}, "temperature", "decimal_above_max_value", "<= 2"),
        ({**CHAT, "n": 0}, "n", "integer_below_min_value", ">= 1"),
        ({"messages": "hi"}, "messages", "invalid_type", "expected an array"),
        (
            {**CHAT, "tools": [{"type": "function", "function": {"parameters": {}}}]},
            "tools[0].function.name",
            "missing_required_parameter",
            "Missing required parameter",
        ),
    ],
)
def test_schema_errors_name_the_field_as_azure_does(
    http: httpx.Client, body: dict[str, Any], param: str, code: str, words: str
) -> None:
    r = http.post(chat_url(), json=body)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert (error["param"], error["code"], error["type"]) == (param, code, "invalid_request_error")
    assert words in error["message"]
    assert f"'{param}'" in error["message"] or code == "invalid_value"


def test_null_for_an_optional_field_means_not_given(http: httpx.Client) -> None:
    r = http.post(chat_url(), json={**CHAT, "temperature": None, "tools": None})
    assert r.status_code == 200, r.text


def test_hostile_numbers_are_400_not_500(http: httpx.Client) -> None:
    for raw in (b'{"messages": [], "n": ' + b"9" * 5000 + b"}", b'{"messages": [], "temperature": NaN}'):
        r = http.post(chat_url(), content=raw, headers={"content-type": "application/json"})
        assert r.status_code == 400, r.text
        assert r.json()["error"]["type"] == "invalid_request_error"


def test_schema_checks_are_the_specs_not_the_generated_models() -> None:
    # With azgate.generated.models unimportable the emulator still refuses a wrong type:
    # the JSON Schema comes from spec/ (shipped as package data), not from the models.
    import sys

    from azgate.testing import DEFAULT_API_KEY, create_app
    from starlette.testclient import TestClient

    saved = sys.modules.get("azgate.generated.models")
    sys.modules["azgate.generated.models"] = None  # type: ignore[assignment]
    try:
        with TestClient(create_app()) as client:
            r = client.post(chat_url(), json={**CHAT, "temperature": "hot"}, headers={"api-key": DEFAULT_API_KEY})
    finally:
        if saved is None:
            del sys.modules["azgate.generated.models"]
        else:
            sys.modules["azgate.generated.models"] = saved
    assert r.status_code == 400 and r.json()["error"]["param"] == "temperature"


def test_unknown_path_and_wrong_method_are_404(http: httpx.Client) -> None:
    r = http.post(f"/openai/deployments/gpt-4/no/such/thing?api-version={API_VERSION}", json={})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "404"
    r = http.get(chat_url())
    assert r.status_code == 404
    assert "use POST" in r.json()["error"]["message"]
    assert http.get("/elsewhere").status_code == 404


def test_operation_without_handler_is_501_when_generic_is_off(
    azure_openai_emulator_operations: Mapping[str, OperationSpec] | None,
) -> None:
    # Without handlers the generic handler answers from the schema; generic=False shows the 501.
    from azgate.testing import DEFAULT_API_KEY, create_app
    from starlette.testclient import TestClient

    app = create_app(azure_openai_emulator_operations, handlers={}, generic=False)
    with TestClient(app) as http:
        r = http.post(
            url("audio/speech", "tts", "2024-02-15-preview"),
            json={"input": "hi", "voice": "alloy"},
            headers={"api-key": DEFAULT_API_KEY},
        )
    assert r.status_code == 501
    error = r.json()["error"]
    assert error["code"] == "NotImplemented"
    assert "Speech_Create" in error["message"]


def test_form_fields_are_checked_against_the_table(http: httpx.Client) -> None:
    path = url("audio/transcriptions", "whisper")
    r = http.post(path, data={"language": "en"})
    assert r.status_code == 400
    assert r.json()["error"]["param"] == "file"
    r = http.post(path, data={"languages": "en"}, files={"file": ("a.wav", b"RIFF")})
    assert r.status_code == 400
    assert r.json()["error"]["param"] == "languages"
    r = http.post(path, data={"language": "en"}, files={"file": ("a.wav", b"RIFF")})
    assert r.status_code == 200 and r.json() == {"text": "Transcript of a.wav."}


# -- type validation with an injected model validator ------------------------------


class _Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "user", "assistant", "tool"]
    content: str | None = None


class _ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    messages: list[_Message]
    temperature: float | None = None


def _validator(op: OperationSpec, body: Mapping[str, Any]) -> None:
    if op.id == "ChatCompletions_Create":
        _ChatRequest.model_validate(body)


@pytest.fixture(scope="module")
def typed_emulator() -> Iterator[Emulator]:
    with Emulator(operations=hand_built_operations(), body_validator=_validator) as emulator:
        yield emulator


def test_type_error_names_the_field(typed_emulator: Emulator) -> None:
    headers = {"api-key": typed_emulator.api_key}
    bad = {"messages": [{"role": "robot", "content": "hi"}]}
    r = httpx.post(typed_emulator.endpoint + chat_url(), json=bad, headers=headers)
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "invalid_value"
    assert error["param"] == "messages.0.role"
    assert "'messages.0.role'" in error["message"] and "robot" not in error["param"]
    r = httpx.post(
        typed_emulator.endpoint + chat_url(),
        json={**CHAT, "temperature": "hot", "model": "x"},
        headers=headers,
    )
    assert r.status_code == 400
    assert r.json()["error"]["param"] == "temperature"
    assert "(got str)" in r.json()["error"]["message"]
    good = httpx.post(typed_emulator.endpoint + chat_url(), json=CHAT, headers=headers)
    assert good.status_code == 200
