"""What a fresh process loads: `import azgate` and a client load no pydantic and no model;
a call loads pydantic and the model classes its response needs, not every model, and no
httpx (azgate's own pool answers a success without it); a synchronous process never loads
the async runtime or token auth.
(Which modules and classes, never how long: timings are not asserted.)"""

from __future__ import annotations

import json
import ssl
import subprocess
import sys

import httpx
from azgate import Client
from azgate._core._tls import DeferredCAContext, default_verify
from azgate.testing import Emulator

_PROGRAM = """
import json, sys
seen = {}
import azgate
seen["import"] = sorted(sys.modules)
client = azgate.Client(azure_endpoint=sys.argv[1], api_key=sys.argv[2], api_version="2024-10-21")
seen["client"] = sorted(sys.modules)
pool = client._http._pool
seen["cas_loaded"] = pool._ssl_context._loaded
completion = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
assert completion.choices[0].message.content
seen["call"] = sorted(sys.modules)
seen["cas_loaded_after_http_call"] = pool._ssl_context._loaded

import typing
import pydantic

def reached(cls, found):
    if cls in found:
        return found
    found.add(cls)
    for base in cls.__mro__[1:]:
        if base.__module__.startswith("azgate.generated.models."):
            reached(base, found)
    todo = [field.annotation for field in cls.model_fields.values()]
    while todo:
        hint = todo.pop()
        if isinstance(hint, type) and issubclass(hint, pydantic.BaseModel):
            reached(hint, found)
        todo.extend(typing.get_args(hint))
    return found

made = {
    value.__qualname__
    for name, module in list(sys.modules.items()) if name.startswith("azgate.generated.models.")
    for value in vars(module).values()
    if isinstance(value, type) and value.__module__ == name
}
seen["classes_made"] = sorted(made)
seen["classes_reached"] = sorted(c.__qualname__ for c in reached(type(completion), set()))
print(json.dumps(seen))
"""


def _pydantic(modules: list[str]) -> list[str]:
    return [m for m in modules if m == "pydantic" or m.startswith(("pydantic.", "pydantic_core"))]


def test_import_and_client_load_no_pydantic_and_a_call_only_its_models(emulator: Emulator) -> None:
    out = subprocess.run(
        [sys.executable, "-c", _PROGRAM, emulator.endpoint, emulator.api_key], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout)
    for moment in ("import", "client"):
        assert not _pydantic(seen[moment]), moment
        assert not [m for m in seen[moment] if m.startswith(("azgate.generated.models", "azgate.generated.resources"))]
    assert _pydantic(seen["call"])
    # The classes made are those the completion's class reaches, not one more: not the
    # stream's chunks (no stream was asked for), not other operations' answers.
    assert seen["classes_made"] == seen["classes_reached"]
    assert "CreateChatCompletionResponse" in seen["classes_made"]
    model_modules = {m.rsplit(".", 1)[-1] for m in seen["call"] if m.startswith("azgate.generated.models.")}
    assert "chat_completions_create_result" in model_modules
    assert "chat_completions_create_stream" not in model_modules
    # A synchronous api-key client: none of azgate's async runtime, token auth or routing
    # (anyio is httpcore's to load or not).
    unneeded = ("azgate._core._async_client", "azgate.generated._async_client", "azgate._auth._token")
    assert not [m for m in seen["call"] if m.startswith(unneeded) or m.startswith("azgate._routing.")]
    # A call that succeeds goes through azgate's own pool (httpcore's), not httpx: a
    # process that never needs httpx's objects never imports it.
    assert "httpcore" in seen["call"]
    assert not [m for m in seen["call"] if m == "httpx" or m.startswith("httpx.")]
    # An http:// endpoint never needs the CA bundle.
    assert seen["cas_loaded"] is False and seen["cas_loaded_after_http_call"] is False


def test_lazy_models_keep_every_public_name() -> None:
    from azgate.generated import models

    assert len(models.__all__) > 500 and set(models.__all__) <= set(dir(models))
    assert models.CreateChatCompletionResponse.__name__ == "CreateChatCompletionResponse"
    from azgate.generated.models import Batch

    assert Batch is models.Batch
    try:
        models.NoSuchModel  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchModel" in str(exc)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def test_the_deferred_context_is_httpx_default_once_loaded() -> None:
    ours = default_verify({})  # SSL_CERT_FILE / SSL_CERT_DIR when set, as httpx reads them
    assert ours is not None
    theirs = httpx.create_ssl_context()
    for setting in ("verify_mode", "check_hostname", "verify_flags", "options", "minimum_version", "protocol"):
        assert getattr(ours, setting) == getattr(theirs, setting), setting
    assert ours._loaded is False
    assert ours.cert_store_stats() == theirs.cert_store_stats()  # loading on demand: certifi's bundle
    assert ours._loaded is True


def test_the_client_keeps_a_verify_or_http_client_of_the_callers() -> None:
    own = ssl.create_default_context()
    with Client(api_key="k", resource_name="r", api_version="2024-10-21") as client:
        assert isinstance(client._http._pool._ssl_context, DeferredCAContext)
    with (
        httpx.Client(verify=own) as http,
        Client(api_key="k", resource_name="r", api_version="2024-10-21", http_client=http) as client,
    ):
        assert client._http._transport._pool._ssl_context is own
    from azgate import DefaultHttpxClient

    with DefaultHttpxClient(verify=own) as http:
        assert http._transport._pool._ssl_context is own
    with DefaultHttpxClient(verify=False) as http:
        assert http._transport._pool._ssl_context.verify_mode == ssl.CERT_NONE
