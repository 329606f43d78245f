"""Class docstrings for models.py, added after datamodel-code-generator has written it.

A deterministic pass over the generated source: each class gets the docstring that
_phrasing words from its schema in the union (its fields, with the Python names the
model generator chose, aliases included) and from the operation table (which operations
send or return it, directly or through other models). Classes are found with `ast`, so
the pass never depends on how the generator lays out a class.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ._ir import Operation
from ._phrasing import FieldLine, Usage, docstring_literal, model_docstring, type_words, union_lookup
from ._spec import ref_name

__all__ = ["add_model_docstrings", "model_usage"]


def _refs(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        name = ref_name(node)
        if name is not None:
            yield name
        for key, value in node.items():
            if key != "$ref":
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


class _Graph:
    """Which schema refers to which, and the classes behind the schemas that are not one
    (a union or an enum the model generator folds into its users)."""

    def __init__(self, schemas: dict[str, Any], classes: set[str]) -> None:
        self.schemas = schemas
        self.classes = classes
        self.children = {name: sorted(set(_refs(schema))) for name, schema in schemas.items()}
        self.parents: dict[str, set[str]] = {}
        for name, kids in self.children.items():
            for kid in kids:
                self.parents.setdefault(kid, set()).add(name)

    def nearest_classes(self, name: str, step: dict[str, list[str]]) -> set[str]:
        """`name` if it is a class, else the first classes reached through `step`."""
        found: set[str] = set()
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            if current in self.classes:
                found.add(current)
            else:
                todo.extend(step.get(current, []))
        return found

    def below(self, name: str) -> set[str]:
        """Every schema reachable from `name`, itself included."""
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current not in seen and current in self.schemas:
                seen.add(current)
                todo.extend(self.children.get(current, []))
        return seen


def model_usage(schemas: dict[str, Any], ops: list[Operation], classes: set[str]) -> dict[str, Usage]:
    graph = _Graph(schemas, classes)
    usage = {name: Usage([], [], [], [], [], [], []) for name in sorted(classes)}
    parents_up = {name: sorted(p) for name, p in graph.parents.items()}
    for name in usage:
        holders: set[str] = set()
        for parent in parents_up.get(name, []):
            holders |= graph.nearest_classes(parent, parents_up)
        usage[name].parents = sorted(holders - {name})
    for op in sorted(ops, key=lambda o: o.sdk_name):
        page_item = op.page_item.removeprefix("_models.") if op.page_item else None
        roles = (
            ("returned_by", op.response_model if page_item is None else None),
            ("streamed_by", op.stream_model),
            ("listed_by", page_item),
            ("body_of", op.request_model),
        )
        for role, root in roles:
            if root is None or root not in schemas:
                continue
            for cls in graph.nearest_classes(root, graph.children):
                getattr(usage[cls], role).append(op.sdk_name)
        for role, roots in (
            ("in_responses_of", [op.response_model, op.stream_model]),
            ("in_requests_of", [op.request_model]),
        ):
            reached: set[str] = set()
            for root in roots:
                if root is not None:
                    reached |= graph.below(root)
            for cls in sorted(reached & classes):
                getattr(usage[cls], role).append(op.sdk_name)
    return usage


def _alias(value: ast.expr | None) -> str | None:
    if isinstance(value, ast.Call) and getattr(value.func, "id", None) == "Field":
        for kw in value.keywords:
            if kw.arg == "alias" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                return kw.value.value
    return None


def _fields(node: ast.ClassDef) -> list[tuple[str, str]]:
    """(Python name, wire name) of the fields a class declares itself."""
    out = []
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            out.append((name, _alias(stmt.value) or name))
    return out


def _docstring(
    node: ast.ClassDef,
    schema: dict[str, Any],
    schemas: dict[str, Any],
    usage: Usage,
    renamed: dict[str, str],
    classes: set[str],
) -> str:
    lookup = union_lookup(schemas, renamed, classes)
    bases = [b.id for b in node.bases if isinstance(b, ast.Name) and b.id in schemas]
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    fields = _fields(node)
    if [name for name, _ in fields] == ["root"]:
        return model_docstring(usage, [], bases=[], root=type_words(schema, lookup))
    lines = [
        FieldLine(
            name=py_name,
            words=type_words(props[wire], lookup),
            required=wire in required,
            deprecated=bool(isinstance(props[wire], dict) and props[wire].get("deprecated")),
        )
        for py_name, wire in fields
        if wire in props
    ]
    return model_docstring(usage, lines, bases=bases)


def add_model_docstrings(models_py: Path, schemas: dict[str, Any], ops: list[Operation]) -> None:
    """Give every class of `models_py` that has a schema (and no docstring) its docstring."""
    source = models_py.read_text(encoding="utf-8")
    tree = ast.parse(source)
    class_nodes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    classes = {n.name for n in class_nodes}
    # The model generator renames a class that would shadow something (`XModel`).
    renamed = {key: key + "Model" for key in schemas if key not in classes and key + "Model" in classes}
    schema_of = {cls: key for key, cls in renamed.items()}
    usage = model_usage(schemas, ops, {k for k in schemas if k in classes or k in renamed})
    lines = source.splitlines(keepends=True)
    for node in reversed(class_nodes):  # bottom up, so earlier line numbers stay valid
        key = schema_of.get(node.name, node.name)
        schema = schemas.get(key)
        if not isinstance(schema, dict) or ast.get_docstring(node) is not None or not node.body:
            continue
        found = usage[key]
        found.parents = [renamed.get(p, p) for p in found.parents]
        first = node.body[0]
        indent = " " * first.col_offset
        text = docstring_literal(_docstring(node, schema, schemas, found, renamed, classes))
        body = "".join(f"{indent}{line}\n" if line else "\n" for line in text.rstrip("\n").split("\n"))
        lines.insert(first.lineno - 1, f'{indent}"""{body.lstrip()}{indent}"""\n')
    models_py.write_text("".join(lines), encoding="utf-8")
