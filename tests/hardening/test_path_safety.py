"""#10.4: a path parameter can never change which endpoint a call reaches."""

from __future__ import annotations

from urllib.parse import unquote

import httpx
import pytest
from azgate import ConfigurationError, NotFoundError
from azgate._core._urls import compile_path
from azgate._core._wire import wire_target
from azgate.generated._operations import OPERATIONS
from azgate.testing import Emulator
from helpers import make_client, resolve
from hostile import HostileServer, response
from hypothesis import given, settings
from hypothesis import strategies as st

USER = [{"role": "user", "content": "Hi"}]


@pytest.mark.parametrize("model", ["..", "."])
async def test_dot_deployments_are_refused_before_sending(flavour: str, emulator: Emulator, model: str) -> None:
    client = make_client(flavour, emulator)
    with pytest.raises(ConfigurationError, match="deployment_id"):
        await resolve(client.chat.completions.create(model=model, messages=USER))
    assert emulator.stats.count() == 0
    await resolve(client.close())


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.files.delete(file_id="."), "file_id"),
        (lambda c: c.files.retrieve(file_id=".."), "file_id"),
        (lambda c: c.batches.cancel(batch_id=".."), "batch_id"),
        (lambda c: c.batches.retrieve(batch_id="."), "batch_id"),
    ],
)
async def test_dot_ids_are_refused_before_sending(flavour: str, emulator: Emulator, call: object, field: str) -> None:
    client = make_client(flavour, emulator)
    with pytest.raises(ConfigurationError, match=field):
        await resolve(call(client))  # type: ignore[operator]
    assert emulator.stats.count() == 0
    await resolve(client.close())


async def test_other_odd_ids_are_escaped_and_reach_the_right_endpoint(flavour: str) -> None:
    """The raw path on the wire (a recording server: the emulator routes decoded paths)."""
    with HostileServer(lambda request: response(404, b"{}")) as server:
        client = make_client(flavour, server, max_retries=0)  # type: ignore[arg-type]
        odd = ["../batches", "a/../../b", "%2e%2e", "...", "a?b#c", " ", "..%2f"]
        for file_id in odd:
            with pytest.raises(NotFoundError):
                await resolve(client.files.retrieve(file_id=file_id))
        await resolve(client.close())
    paths = [r.path.partition("?")[0] for r in server.received]
    assert [unquote(p.removeprefix("/openai/files/")) for p in paths] == odd
    assert all(p.count("/") == 3 for p in paths), paths


_FILL = [op for op in OPERATIONS.values() if "{" in op.path]


@settings(max_examples=400, deadline=None)
@given(op=st.sampled_from(_FILL), value=st.text(max_size=30), in_path=st.booleans())
def test_any_value_stays_one_segment_or_is_refused(op: object, value: str, in_path: bool) -> None:
    """Whatever the value, the URL sent keeps the template's segments, and each parameter is
    one segment that decodes back to the value. (httpx normalises "." and ".." segments
    away, so the check is made on the URL as httpx builds it; azgate's own pool sends that
    URL or leaves the request to httpx.)"""
    template = compile_path(op, in_path)  # type: ignore[arg-type]
    try:
        path = template.fill(dict.fromkeys(template.names, value), "op")
    except ConfigurationError as exc:
        assert value in ("", ".", "..")
        assert "op" in str(exc)
        return
    shape = template.fill(dict.fromkeys(template.names, "PARAM"), "op").split("/")
    url = httpx.URL("https://r.openai.azure.com" + path)
    wire = wire_target("https://r.openai.azure.com" + path, {})  # sent as httpx would, or left to httpx
    assert wire is None or wire[3] == url.raw_path
    sent = url.raw_path.decode("ascii").split("/")
    assert len(sent) == len(shape), (path, sent)
    for got, expected in zip(sent, shape, strict=True):
        if expected == "PARAM":
            assert unquote(got) == value
        else:
            assert got == expected
