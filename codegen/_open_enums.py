"""Open enums (`Literal[...] | str`, see _union.py) as `Annotated[..., OpenEnum]`.

Any string is valid for an open enum, so checking it against the Literal first is wasted
work; the marker makes pydantic check a plain string while the annotation still names the
known values. datamodel-code-generator has no option for it, so this rewrites its output.
"""

from __future__ import annotations

import re
from pathlib import Path

from ._mixins import insert_imports

__all__ = ["mark_open_enums"]

_STRING = r"""(?:'[^'\\]*'|"[^"\\]*")"""
_OPEN_ENUM = re.compile(rf"Literal\[{_STRING}(?:, {_STRING})*\] \| str\b")
_IMPORT = "from azgate._core._models import OpenEnum\nfrom typing import Annotated\n"


def mark_open_enums(models: Path) -> None:
    source = models.read_text(encoding="utf-8")
    source, count = _OPEN_ENUM.subn(lambda m: f"Annotated[{m.group(0)}, OpenEnum]", source)
    models.write_text(insert_imports(source, _IMPORT if count else ""), encoding="utf-8")
