"""The package face: every public name exported once, sorted, importable."""

from __future__ import annotations

import azgate
from azgate import exceptions


def test_all_is_sorted_and_complete() -> None:
    assert azgate.__all__ == sorted(azgate.__all__, key=lambda n: (not n.isupper(), n))
    public = {name for name in dir(azgate) if not name.startswith("_")} - {"exceptions", "generated", "testing"}
    public |= {"__version__"}
    assert public >= set(azgate.__all__)
    assert all(hasattr(azgate, name) for name in azgate.__all__)


def test_exceptions_module_lists_every_exception() -> None:
    classes = {n for n, v in vars(exceptions).items() if isinstance(v, type) and issubclass(v, Exception)}
    assert classes == set(exceptions.__all__)


def test_models_are_imported_with_the_first_resource_not_the_package() -> None:
    import subprocess
    import sys

    code = (
        "import sys, azgate\n"
        "c = azgate.Client(api_key='k', resource_name='r', api_version='2024-10-21')\n"
        "print('azgate.generated.models' in sys.modules, 'azgate.generated.resources.chat' in sys.modules)\n"
        "c.chat\n"
        "print('azgate.generated.models' in sys.modules, 'azgate.generated.resources.files' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    # Resource modules load on first use (and with them the models they hand to the runtime).
    assert out == ["False", "False", "True", "False"]
