"""Adding an api-version changes only the lines of generated/ whose meaning changes.

A fixture version is added to a copy of spec/: 2025-04-01-preview's document with one
operation dropped and one request field added. Regenerated, the operation table
(`_operations.py` and its rows in `operations/`) may differ from the committed one only
in the channel list (the new version), the row of the dropped operation (it stops at
2025-04-01-preview) and the row that gains the field; `models.py` only by that field.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
from pathlib import Path

from generated_models import models_source

from codegen.__main__ import main

REPO = Path(__file__).parents[2]
BASE = "2025-04-01-preview"
NEW = "2025-05-01-preview"
DROPPED = ("/realtimeapi/transcription_sessions", "post")
DROPPED_ROW = "BETA_REALTIME_TRANSCRIPTION_SESSIONS_CREATE"
GAINING_ROW = "COMPLETIONS_CREATE"


def _table(generated: Path) -> str:
    """The operation table's text: `_operations.py`, then each resource's rows."""
    files = [generated / "_operations.py", *sorted((generated / "operations").glob("*.py"))]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def _changed_lines(old: str, new: str) -> list[tuple[str, str]]:
    """(block, line) for every line removed or added; the block is the table row (its
    constant) or the module-level name the line sits under."""
    out = []
    for text, sign in ((old, "-"), (new, "+")):
        lines = text.splitlines()
        other = (new if sign == "-" else old).splitlines()
        matcher = difflib.SequenceMatcher(a=lines, b=other, autojunk=False)
        kept = {i for block in matcher.get_matching_blocks() for i in range(block.a, block.a + block.size)}
        block = ""
        for i, line in enumerate(lines):
            start = re.match(r"^(_?[A-Z][A-Z0-9_]*)\b", line)
            if start:
                block = start.group(1)
            if i not in kept:
                out.append((block, sign + line))
    return out


def test_adding_a_version_touches_only_the_lines_whose_meaning_changed(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    shutil.copytree(REPO / "spec", spec)
    doc = json.loads((spec / f"{BASE}.json").read_text(encoding="utf-8"))
    doc["info"]["version"] = NEW
    del doc["paths"][DROPPED[0]][DROPPED[1]]
    if not doc["paths"][DROPPED[0]]:
        del doc["paths"][DROPPED[0]]
    doc["components"]["schemas"]["createCompletionRequest"]["properties"]["service_tier"] = {"type": "string"}
    (spec / f"{NEW}.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
    out = tmp_path / "generated"
    assert main(["generate", "--spec-dir", str(spec), "--out", str(out)]) == 0

    changed = _changed_lines(_table(REPO / "generated"), _table(out))
    blocks = {block for block, _ in changed}
    assert blocks == {"_CHANNELS", DROPPED_ROW, GAINING_ROW}, changed
    assert [line for block, line in changed if block == "_CHANNELS"] == [f'+        "{NEW}",']
    gaining = [line for block, line in changed if block == GAINING_ROW]
    assert gaining == [f'+        "service_tier": ParamSpec("service_tier", "body", _since("{NEW}"), _NONE),']
    # The dropped operation's row and parameters now end at the version before.
    dropped = [line for block, line in changed if block == DROPPED_ROW and "_since" in line]
    assert dropped and all(f'until="{BASE}"' in line for line in dropped if line.startswith("+")), dropped
    # Every other row, though each has the new version, reads as it did.
    assert len(changed) < 40, changed

    models = _changed_lines(models_source(REPO / "generated"), models_source(out))
    assert models and all("service_tier" in line for _, line in models), models
