"""Printing the typed picture through the Jinja templates in codegen/templates/."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ._ir import Operation, Resource
from ._phrasing import docstring_literal, join_names, method_docstring, resource_docstring
from ._spec import V1, channel, version_key

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


def channels(versions: list[str]) -> dict[str, list[str]]:
    """The api-versions by channel (stable, preview, v1), oldest first."""
    out: dict[str, list[str]] = {}
    for v in sorted(versions, key=version_key):
        out.setdefault(channel(v), []).append(v)
    return {name: out[name] for name in ("stable", "preview", V1) if name in out}


def version_ranges(having: list[str], by_channel: dict[str, list[str]]) -> str:
    """`having` as the template's `_since(...)` ranges: a run that reaches the newest
    version of its channel is open-ended, so it reads the same after a version is added
    that keeps it (the table then changes only where availability does)."""
    wanted = set(having)
    parts = []
    for members in by_channel.values():
        start: int | None = None
        for i, v in enumerate([*members, None]):
            if v is not None and v in wanted:
                start = i if start is None else start
                continue
            if start is not None:
                first = members[start]
                parts.append(f'_since("{first}")' if v is None else f'_since("{first}", until="{members[i - 1]}")')
                start = None
    return " | ".join(parts) or "_NONE"


def render_all(ops: list[Operation], roots: dict[str, Resource], versions: list[str], out: Path) -> list[Path]:
    """Write generated/ (all but models.py); return the files written."""
    env = _environment()
    written = []

    def write(relative: str, text: str) -> None:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    by_channel = channels(versions)
    env.globals["method_docstring"] = lambda op, is_async: docstring_literal(method_docstring(op, is_async, versions))
    env.globals["resource_docstring"] = lambda node, is_async: docstring_literal(resource_docstring(node, is_async))

    def vset(vs: list[str]) -> str:
        return version_ranges(vs, by_channel)

    write(
        "_operations.py",
        env.get_template("operations.py.jinja").render(resources=list(roots), channels=by_channel, vset=vset),
    )
    client = env.get_template("client.py.jinja")
    write("_client.py", client.render(roots=list(roots.values()), is_async=False))
    write("_async_client.py", client.render(roots=list(roots.values()), is_async=True))
    write("__init__.py", env.get_template("init.py.jinja").render())
    write("resources/__init__.py", env.get_template("resources_init.py.jinja").render(roots=list(roots.values())))
    module = env.get_template("resource_module.py.jinja")
    rows = env.get_template("operations_group.py.jinja")
    write("operations/__init__.py", '"""The operation table\'s rows, a module per resource (see `.._operations`)."""\n')
    for name, root in roots.items():
        nodes = root.walk()
        all_ops = [op for node in nodes for op in node.operations]
        write(f"operations/{name}.py", rows.render(group=name, operations=all_ops, vset=vset))
        write(
            f"resources/{name}.py",
            module.render(
                root=root,
                nodes=nodes,
                ops_summary=join_names([op.sdk_name for op in all_ops]),
                has_stream=any(op.stream_model for op in all_ops),
                stream_aliases=sorted(
                    {(op.stream_item, op.stream_item_union) for op in all_ops if op.stream_item_union}
                ),
                mixins=sorted({node.mixin for node in nodes if node.mixin}, key=lambda m: m.module),
            ),
        )
    (out / "py.typed").write_text("")
    written.append(out / "py.typed")
    return written
