"""codegen/_mixins.py: hand-written helper methods reach the generated resource classes
through their bases, never by editing generated/."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import azgate
import pytest
from azgate.generated.resources import chat

from codegen._mixins import RESOURCE_MIXINS

REPO = Path(__file__).parents[2]


def _generated_class(path: tuple[str, ...], is_async: bool) -> type:
    module = importlib.import_module(f"azgate.generated.resources.{path[0]}")
    name = ("Async" if is_async else "") + "".join(part.title().replace("_", "") for part in path)
    return getattr(module, name)  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", list(RESOURCE_MIXINS), ids=".".join)
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_every_mixin_is_a_base_of_its_resource(path: tuple[str, ...], is_async: bool) -> None:
    mixin = RESOURCE_MIXINS[path]
    helper = getattr(importlib.import_module(mixin.module), mixin.class_for(is_async))
    resource = _generated_class(path, is_async)
    assert resource.__mro__[1] is helper
    helpers = {
        name
        for name, member in inspect.getmembers(helper, lambda m: inspect.isfunction(m) or isinstance(m, property))
        if not name.startswith("_")
    }
    assert helpers, f"{helper.__name__} adds nothing"
    # A helper never shadows a generated method: each name is defined by one class only.
    generated = {name for name in vars(resource) if not name.startswith("_")}
    assert not helpers & generated
    # Mixins hold methods only: the resource's construction and modes stay the runtime's.
    assert "__init__" not in vars(helper)


def test_the_raw_views_list_the_generated_methods_only() -> None:
    client = azgate.Client(api_key="k", azure_endpoint="http://127.0.0.1:9", api_version="2025-04-01-preview")
    completions = client.chat.completions
    assert isinstance(completions, chat.ChatCompletions)
    assert callable(completions.parse) and callable(completions.stream)
    assert not hasattr(completions.with_raw_response, "parse")
    assert callable(completions.with_raw_response.create)
    raw_mode = completions._in_mode("raw")
    assert type(raw_mode) is type(completions)  # the views copy the resource, helpers included
    client.close()


def test_generated_sources_import_the_mixins() -> None:
    source = (REPO / "generated" / "resources" / "chat.py").read_text()
    assert "from azgate._helpers._chat import AsyncChatCompletionsHelpers, ChatCompletionsHelpers" in source
    assert "class ChatCompletions(ChatCompletionsHelpers, SyncAPIResource):" in source
    assert "class ChatCompletionsStored(SyncAPIResource):" in source  # other classes keep the plain base


def test_computed_fields_come_from_the_model_mixin() -> None:
    from azgate._helpers._response_text import ResponseOutputText
    from azgate.generated import models

    from codegen._mixins import MODEL_MIXINS

    assert set(MODEL_MIXINS) == {"Response"}
    assert models.Response.__mro__[1] is ResponseOutputText
    assert "output_text" not in models.Response.model_fields  # the documents' SDK-only property, computed
    # The emulator still validates against the documents as published.
    schema = (REPO / "generated" / "schemas" / "2025-04-01-preview.json").read_text()
    assert '"output_text":{"type":["string","null"]}' in schema.replace(" ", "")
