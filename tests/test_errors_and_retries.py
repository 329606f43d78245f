"""Every error class, retries that honour retry-after-ms, and broken streams."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest
from azgate import exceptions
from azgate.testing import FILTER_TRIGGER, Emulator
from helpers import collect, make_client, resolve

USER = [{"role": "user", "content": "Hello"}]


def chat(client: Any, **kw: Any) -> Any:
    return client.chat.completions.create(model=kw.pop("model", "gpt-4"), messages=USER, **kw)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, exceptions.BadRequestError),
        (401, exceptions.AuthenticationError),
        (403, exceptions.PermissionDeniedError),
        (404, exceptions.NotFoundError),
        (409, exceptions.ConflictError),
        (422, exceptions.UnprocessableEntityError),
        (429, exceptions.RateLimitError),
        (500, exceptions.InternalServerError),
        (503, exceptions.InternalServerError),
    ],
)
async def test_status_maps_to_its_exception(
    flavour: str, emulator: Emulator, status: int, error_class: type[exceptions.APIStatusError]
) -> None:
    client = make_client(flavour, emulator, max_retries=0)
    emulator.faults.add("status", status=status, code=f"Code{status}", message="injected")
    with pytest.raises(error_class) as info:
        await resolve(chat(client))
    error = info.value
    assert error.status_code == status and error.code == f"Code{status}"
    assert error.request_id and "injected" in str(error)
    assert isinstance(error, exceptions.APIStatusError) and isinstance(error, exceptions.APIError)
    await resolve(client.close())


async def test_content_filter_error_carries_innererror(client: Any) -> None:
    messages = [{"role": "user", "content": f"something harmful {FILTER_TRIGGER}"}]
    with pytest.raises(exceptions.BadRequestError) as info:
        await resolve(client.chat.completions.create(model="gpt-4", messages=messages))
    error = info.value
    assert error.code == "content_filter" and error.param == "prompt"
    assert error.innererror is not None and error.innererror["code"] == "ResponsibleAIPolicyViolation"
    assert error.innererror["content_filter_result"]["violence"] == {"filtered": True, "severity": "medium"}


async def test_unknown_deployment_is_not_found(client: Any) -> None:
    with pytest.raises(exceptions.NotFoundError) as info:
        await resolve(chat(client, model="nope"))
    assert info.value.code == "DeploymentNotFound"


async def test_wrong_key_is_authentication_error(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_key="wrong-key-123")
    with pytest.raises(exceptions.AuthenticationError) as info:
        await resolve(chat(client))
    assert info.value.status_code == 401 and "wrong-key-123" not in str(info.value)
    await resolve(client.close())


async def test_bad_body_is_bad_request_naming_the_field(client: Any) -> None:
    with pytest.raises(exceptions.BadRequestError) as info:
        await resolve(chat(client, temperature="hot"))
    assert "temperature" in str(info.value)


async def test_rate_limit_is_retried_after_retry_after_ms(client: Any, emulator: Emulator) -> None:
    emulator.faults.add("rate_limit", times=2, retry_after_ms=10)
    reply = await resolve(chat(client))
    assert reply.choices[0].message.content == "You said: Hello"
    assert emulator.stats.count("ChatCompletions_Create") == 3


async def test_retries_stop_at_max_retries(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, max_retries=1)
    emulator.faults.add("server_error", times=5, status=503)
    with pytest.raises(exceptions.InternalServerError):
        await resolve(chat(client))
    assert emulator.stats.count("ChatCompletions_Create") == 2
    await resolve(client.close())


async def test_a_wait_above_the_cap_raises_instead_of_sleeping(client: Any, emulator: Emulator) -> None:
    emulator.faults.add("rate_limit", times=1, retry_after_ms=3_600_000)
    with pytest.raises(exceptions.RateLimitError):
        await resolve(chat(client))
    assert emulator.stats.count("ChatCompletions_Create") == 1


async def test_client_errors_are_not_retried(client: Any, emulator: Emulator) -> None:
    emulator.faults.add("status", times=3, status=400)
    with pytest.raises(exceptions.BadRequestError):
        await resolve(chat(client))
    assert emulator.stats.count("ChatCompletions_Create") == 1


async def test_stream_cut_without_done_raises(client: Any, emulator: Emulator) -> None:
    emulator.faults.add("cut_stream", after_chunks=3)
    stream = await resolve(chat(client, stream=True))
    with pytest.raises(exceptions.IncompleteStreamError):
        await collect(stream)


async def test_stream_connection_dropped_raises(client: Any, emulator: Emulator) -> None:
    emulator.faults.add("cut_stream", after_chunks=2, abort=True)
    stream = await resolve(chat(client, stream=True))
    with pytest.raises(exceptions.IncompleteStreamError):
        await collect(stream)


async def test_malformed_json_is_a_response_validation_error(client: Any, emulator: Emulator) -> None:
    emulator.faults.add("malformed_json")
    with pytest.raises(exceptions.APIResponseValidationError):
        await resolve(chat(client))


async def test_slow_first_byte_times_out(client: Any, emulator: Emulator) -> None:
    emulator.faults.add("slow_first_byte", times=1, delay=2.0)
    with pytest.raises(exceptions.APITimeoutError):
        await resolve(
            client.with_options(max_retries=0).chat.completions.create(model="gpt-4", messages=USER, timeout=0.2)
        )


async def test_timeout_is_retried(client: Any, emulator: Emulator) -> None:
    emulator.faults.add("slow_first_byte", times=1, delay=1.0)
    reply = await resolve(chat(client, timeout=httpx.Timeout(0.3)))
    assert reply.choices


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_connection_refused_is_connection_error(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, azure_endpoint=f"http://127.0.0.1:{_closed_port()}", max_retries=1)
    with pytest.raises(exceptions.APIConnectionError) as info:
        await resolve(chat(client))
    assert not isinstance(info.value, exceptions.APITimeoutError)
    await resolve(client.close())
