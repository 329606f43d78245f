"""The helper modules' faces: every public name listed once, sorted, shown by its public path."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("name", ["azgate.tools", "azgate.vision", "azgate.batch", "azgate.fine_tuning"])
def test_all_is_sorted_complete_and_public(name: str) -> None:
    module = importlib.import_module(name)
    names = module.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), n)) and len(set(names)) == len(names)
    for public in names:
        value = getattr(module, public)
        if isinstance(value, type):
            assert value.__module__ == name, public


def test_exceptions_are_azgate_errors() -> None:
    from azgate import AzgateError
    from azgate.batch import BatchFailedError, BatchInputError, BatchTimeoutError
    from azgate.fine_tuning import FineTuningFailedError, FineTuningTimeoutError
    from azgate.tools import ToolArgumentsError

    for error in (
        BatchFailedError,
        BatchInputError,
        BatchTimeoutError,
        FineTuningFailedError,
        FineTuningTimeoutError,
        ToolArgumentsError,
    ):
        assert issubclass(error, AzgateError)
