"""The public faces of the helpers: azgate.parsing, azgate.streaming, and the names at
the top of the package that openai-python users import from `openai`."""

from __future__ import annotations

import importlib
import subprocess
import sys

import openai
import pytest


@pytest.mark.parametrize("name", ["azgate.parsing", "azgate.streaming"])
def test_all_is_sorted_and_complete(name: str) -> None:
    module = importlib.import_module(name)
    names = module.__all__
    assert names == sorted(names) and len(set(names)) == len(names)
    public = {n for n in vars(module) if n.isidentifier() and not n.startswith("_") and n != "annotations"}
    assert public == set(names)


def test_openai_pythons_top_level_names_are_there() -> None:
    import azgate

    for name in ("pydantic_function_tool", "LengthFinishReasonError", "ContentFilterFinishReasonError"):
        assert hasattr(openai, name) and hasattr(azgate, name), name
    from azgate import exceptions

    assert exceptions.LengthFinishReasonError is azgate.LengthFinishReasonError


def test_streaming_event_names_are_openai_pythons() -> None:
    import azgate.streaming
    import openai.lib.streaming.chat as chat_events

    for name in chat_events.__dict__:
        if name.endswith("Event") and not name.startswith("_"):
            assert hasattr(azgate.streaming, name), name


def test_the_helpers_load_with_their_resource_not_with_the_package() -> None:
    code = (
        "import sys, azgate\n"
        "print('azgate._helpers._chat_state' in sys.modules, 'azgate.generated.models' in sys.modules)\n"
        "c = azgate.Client(api_key='k', resource_name='r', api_version='2024-10-21')\n"
        "c.chat.completions\n"
        "print('azgate._helpers._chat' in sys.modules, 'azgate._helpers._chat_state' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    # The mixin comes with its resource; the stream machinery with the first stream() call.
    assert out == ["False", "False", "True", "False"]
