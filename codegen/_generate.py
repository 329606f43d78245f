"""`generate` and `check`: spec/ -> generated/, deterministically."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ._build import build_operations, build_resources, response_roots
from ._datamodel import generate_models
from ._mixins import add_model_mixins, attach_mixins, drop_computed
from ._model_docs import add_model_docstrings
from ._open_enums import mark_open_enums
from ._schemas import write_schemas
from ._spec import load_documents
from ._split import split_models
from ._union import body_names, union_schemas

__all__ = ["check", "generate"]


def generate(spec_dir: Path, out: Path) -> None:
    docs = load_documents(spec_dir)
    if not docs:
        raise SystemExit(f"no spec documents in {spec_dir}/ (run python -m codegen import first)")
    names = body_names(docs)
    roots = response_roots(docs) | {n for slot in names.values() for k, n in slot.items() if k == "response"}
    schemas = union_schemas(docs, names, roots)
    ops = build_operations(docs, names, schemas)
    resources = build_resources(ops)
    attach_mixins(resources)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    from ._render import render_all

    render_all(ops, resources, list(docs), out)
    drop_computed(schemas)
    generate_models(schemas, out / "models.py")
    add_model_mixins(out / "models.py")
    mark_open_enums(out / "models.py")
    add_model_docstrings(out / "models.py", schemas, ops)
    split_models(out / "models.py", ops, out / "models")
    write_schemas(docs, out)
    _format(out)


PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _format(out: Path) -> None:
    # The project's ruff settings, whatever folder the output lands in (a temporary one
    # for `check`); files are named one by one so no exclude rule can skip them.
    files = sorted(str(p) for p in out.rglob("*.py"))
    config = ["--config", str(PYPROJECT)]
    # ruff sorts imports and drops the unused ones each template may carry, then formats.
    subprocess.run(
        [sys.executable, "-m", "ruff", "check", *config, "--fix-only", "--quiet", "--select", "I,F401,UP", *files],
        check=True,
    )
    subprocess.run([sys.executable, "-m", "ruff", "format", *config, "--quiet", *files], check=True)


def check(spec_dir: Path, generated: Path) -> int:
    """0 when generated/ is exactly what spec/ and codegen/ produce; else print a diff."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "generated"
        generate(spec_dir, fresh)
        problems = 0
        expected = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
        actual = {
            p.relative_to(generated) for p in generated.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        }
        for rel in sorted(expected | actual):
            old = (generated / rel).read_text(encoding="utf-8").splitlines(keepends=True) if rel in actual else []
            new = (fresh / rel).read_text(encoding="utf-8").splitlines(keepends=True) if rel in expected else []
            if old != new:
                problems += 1
                sys.stdout.writelines(difflib.unified_diff(old, new, f"generated/{rel}", f"regenerated/{rel}", n=2))
    if problems:
        print(
            f"\n{problems} generated file(s) differ from what spec/ and codegen/ produce; run python -m codegen generate."
        )
        return 1
    print("generated/ matches spec/ and codegen/.")
    return 0
