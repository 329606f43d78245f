"""Printing the typed picture through the Jinja templates in codegen/templates/."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ._ir import Operation, Resource

__all__ = ["render_all"]

TEMPLATES = Path(__file__).parent / "templates"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = repr
    return env


def _version_sets(ops: list[Operation]) -> tuple[list[tuple[str, list[str]]], dict[frozenset[str], str]]:
    """Named constants for the version sets the table repeats."""
    counts: dict[frozenset[str], int] = {}
    order: dict[frozenset[str], list[str]] = {}
    for op in ops:
        for vs in [op.versions, *(p.versions for p in op.params), *(p.required_in for p in op.params)]:
            key = frozenset(vs)
            if key:
                counts[key] = counts.get(key, 0) + 1
                order.setdefault(key, sorted(vs))
    names: dict[frozenset[str], str] = {}
    named = []
    for i, key in enumerate(sorted(counts, key=lambda k: (len(k), sorted(k)))):
        name = f"_VERSIONS_{i}"
        names[key] = name
        named.append((name, order[key]))
    return named, names


def render_all(ops: list[Operation], roots: dict[str, Resource], versions: list[str], out: Path) -> list[Path]:
    """Write generated/ (all but models.py); return the files written."""
    env = _environment()
    written = []

    def write(relative: str, text: str) -> None:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    version_sets, set_names = _version_sets(ops)

    def vset(vs: list[str]) -> str:
        return set_names[frozenset(vs)] if vs else "_NONE"

    write(
        "_operations.py",
        env.get_template("operations.py.jinja").render(
            operations=ops, versions=versions, version_sets=version_sets, vset=vset
        ),
    )
    write("_client.py", env.get_template("client.py.jinja").render(roots=list(roots.values())))
    write("__init__.py", env.get_template("init.py.jinja").render())
    write("resources/__init__.py", env.get_template("resources_init.py.jinja").render(roots=list(roots.values())))
    module = env.get_template("resource_module.py.jinja")
    for name, root in roots.items():
        nodes = root.walk()
        all_ops = [op for node in nodes for op in node.operations]
        write(
            f"resources/{name}.py",
            module.render(
                root=root,
                nodes=nodes,
                ops_summary=", ".join(op.sdk_name for op in all_ops[:6]) + (", ..." if len(all_ops) > 6 else ""),
                has_stream=any(op.stream_model for op in all_ops),
            ),
        )
    (out / "py.typed").write_text("")
    written.append(out / "py.typed")
    return written
