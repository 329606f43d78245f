"""Reading the models package codegen writes (generated/models/: one module per resource group)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any


def models_source(generated: Path) -> str:
    """Every model module's text, the modules in name order (the index, __init__.py, left out)."""
    return "".join(
        p.read_text(encoding="utf-8") for p in sorted((generated / "models").glob("*.py")) if p.stem != "__init__"
    )


def load_models(generated: Path, name: str) -> Any:
    """The package generated/models/ imported as `name` (its modules import each other relatively)."""
    package = generated / "models"
    spec = importlib.util.spec_from_file_location(
        name, package / "__init__.py", submodule_search_locations=[str(package)]
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
