"""models.py into the package models/: a module per answer or resource group, each
imported when one of its names is first used.

A call validates its response with a few dozen classes; importing all ~750 (and having
pydantic collect their fields, ~0.2 ms a class) cost the first call of a process a few
hundred ms. The split is a deterministic pass over the generated source, after
datamodel-code-generator, the mixins and the docstrings:

- An answer is what one operation returns (its result, with its page items) or what its
  stream yields (the events): `chat.completions.create.result`, `...create.stream`.
- A class that the answers of one resource group reach goes to the module named by the
  longest common part of those answers' names: `chat_completions_create_result` (the
  completion and its choices, which only the result has), `..._create_stream` (the
  chunks), `chat_completions_create` (logprobs, in both), `chat_completions` (in the
  stored completions' answers too), `chat`. A chat call then makes the classes of its
  answer, not those of the stream it did not ask for or of other operations.
- A class that answers of several groups reach goes to the module named by the groups
  (the first part of an operation's SDK name): `beta_and_chat` when both groups' answers
  reach it. A class only ever sent goes to `<groups>_requests`, one no operation reaches
  to `other`.
- If class A uses class B, every answer that reaches A reaches B, so B's module is A's,
  one with a shorter common name, or a group module; a group module's classes use only
  classes of group modules with the same or more groups. The imports between the modules
  cannot form a cycle (checked).
- `models/__init__.py` maps each name to its module and imports it on first access
  (PEP 562 `__getattr__`); type checkers read the same names from an `if TYPE_CHECKING:`
  import block.

`X.model_rebuild()` lines are dropped: the models are built on first use
(`defer_build=True` on the base), resolving names in their own module, and a rebuild at
import time would build the largest schemas (the Responses API's events) in every process.
The modules have no `from __future__ import annotations`: a field's annotation is the
type itself, which pydantic reads without evaluating a string (a class is written after
the classes of its module it uses; a field that names a class of a cycle, or its own
class, is a string).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

from ._datamodel import HEADER
from ._ir import Operation

__all__ = ["split_models"]

_MODEL_REF = re.compile(r"_models\.(\w+)")


def _refs(*texts: str | None) -> set[str]:
    return {name for text in texts if text for name in _MODEL_REF.findall(text)}


def _closure(roots: Iterable[str], deps: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = [r for r in roots if r in deps]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(deps[name] - seen)
    return seen


def _module_name(groups: frozenset[str], suffix: str = "") -> str:
    return "_and_".join(sorted(groups)) + suffix


def _answers_module(answers: set[tuple[str, ...]]) -> tuple[str, str]:
    """The module for classes that `answers` (all of one group) reach, and its description."""
    prefix = min(answers)
    for answer in answers:
        while answer[: len(prefix)] != prefix:
            prefix = prefix[:-1]
    if len(answers) == 1:
        *op, kind = prefix
        return "_".join(prefix), f"only in the {'result' if kind == 'result' else 'stream events'} of `{'.'.join(op)}`"
    if len({answer[:-1] for answer in answers}) == 1:
        return "_".join(prefix), f"in the result and the stream events of `{'.'.join(prefix)}`"
    return "_".join(prefix), f"in the responses of the operations under `{'.'.join(prefix)}`"


def split_models(source_file: Path, ops: list[Operation], package: Path) -> None:
    """Write `package` (models/) from the single module `source_file`, then remove it."""
    text = source_file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    tree = ast.parse(text)
    imports: list[str] = []
    classes: dict[str, str] = {}
    deps: dict[str, set[str]] = {}
    nodes: dict[str, ast.ClassDef] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue  # annotations are evaluated as the class is made: pydantic then has no strings to eval
        if isinstance(node, ast.ImportFrom | ast.Import):
            imports.append("".join(lines[node.lineno - 1 : node.end_lineno]))
        elif isinstance(node, ast.ClassDef):
            nodes[node.name] = node
        elif _is_rebuild(node):
            continue
        else:
            raise ValueError(f"models.py: unexpected top-level statement at line {node.lineno}: {ast.unparse(node)}")
    for name, node in nodes.items():
        deps[name] = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in nodes and n.id != name}

    answers: dict[str, set[tuple[str, ...]]] = {name: set() for name in nodes}
    """The answers that reach each class, as dotted names split: ("chat", ..., "result")."""
    sent: dict[str, set[str]] = {name: set() for name in nodes}
    for op in ops:
        result = _refs(op.cast_to, op.page_item, op.return_annotation) | (
            {op.response_model} if op.response_model else set()
        )
        stream = {op.stream_model} if op.stream_model else set()
        for kind, roots in (("result", result), ("stream", stream)):
            for name in _closure(roots, deps):
                answers[name].add((*op.sdk_name.split("."), kind))
        requests = _refs(*(p.annotation for p in op.params)) | ({op.request_model} if op.request_model else set())
        for name in _closure(requests, deps):
            sent[name].add(op.sdk_name.split(".", 1)[0])

    home: dict[str, str] = {}
    described: dict[str, str] = {}
    for name in nodes:
        groups = {answer[0] for answer in answers[name]}
        if len(groups) == 1:
            home[name], description = _answers_module(answers[name])
            if described.setdefault(home[name], description) != description:
                raise ValueError(f"models split: two kinds of classes would share the module {home[name]}")
        elif groups:
            home[name] = _module_name(frozenset(groups))
        elif sent[name]:
            home[name] = _module_name(frozenset(sent[name]), "_requests")
        else:
            home[name] = "other"
    grouped: dict[str, list[str]] = {}
    for name in nodes:
        grouped.setdefault(home[name], []).append(name)
    _check_acyclic(grouped, deps, home)
    modules: dict[str, list[str]] = {}
    for module, members in grouped.items():
        modules[module] = order = _definition_order(members, deps)
        defined: set[str] = set()
        for name in order:
            later = (set(members) - defined) | {name}  # names a field may use before they exist
            classes[name] = _class_source(nodes[name], lines, later)
            defined.add(name)

    package.mkdir(parents=True, exist_ok=True)
    header = "".join(imports)
    for module, names in sorted(modules.items()):
        needed: dict[str, set[str]] = {}
        for name in names:
            for dep in deps[name]:
                if home[dep] != module:
                    needed.setdefault(home[dep], set()).add(dep)
        local = "".join(f"from .{m} import {', '.join(sorted(n))}\n" for m, n in sorted(needed.items()))
        body = "\n\n".join(classes[name] for name in names)
        doc = f'"""The models {described.get(module) or _describe(module)}."""\n\n'
        (package / f"{module}.py").write_text(f"{HEADER}\n{doc}{header}{local}\n\n{body}", encoding="utf-8")
    (package / "__init__.py").write_text(_init(home), encoding="utf-8")
    source_file.unlink()


def _definition_order(members: list[str], deps: dict[str, set[str]]) -> list[str]:
    """`members` in the generator's order, except that a class comes after the classes
    of this module it uses (those of a cycle excepted: a field names them as a string)."""
    position = {name: i for i, name in enumerate(members)}
    order: list[str] = []
    visited: set[str] = set()

    def visit(name: str) -> None:
        if name in visited:
            return
        visited.add(name)
        for dep in sorted(deps[name] & position.keys(), key=position.__getitem__):
            visit(dep)
        order.append(name)

    for name in members:
        visit(name)
    return order


def _class_source(node: ast.ClassDef, lines: list[str], later: set[str]) -> str:
    """The class's source, each field annotation that names a class of `later` written as
    a string (the whole annotation: `"A | None"`, not `"A" | None`)."""
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    text = [line.encode("utf-8") for line in lines[start - 1 : node.end_lineno]]
    spans = [
        stmt.annotation
        for stmt in node.body
        if isinstance(stmt, ast.AnnAssign)
        and any(isinstance(n, ast.Name) and n.id in later for n in ast.walk(stmt.annotation))
    ]
    for ann in reversed(spans):  # bottom-up, so earlier offsets stay valid
        assert ann.end_lineno is not None and ann.end_col_offset is not None
        first, last = ann.lineno - start, ann.end_lineno - start
        quoted = repr(ast.unparse(ann)).encode("utf-8")
        text[first : last + 1] = [text[first][: ann.col_offset] + quoted + text[last][ann.end_col_offset :]]
    return b"".join(text).decode("utf-8")


def _is_rebuild(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr == "model_rebuild"
    )


def _describe(module: str) -> str:
    if module == "other":
        return "of the documents that no operation sends or returns"
    requests = module.endswith("_requests")
    groups = module.removesuffix("_requests").split("_and_")
    named = ", ".join(f"`{g}`" for g in groups)
    return f"only sent, in the requests of {named}" if requests else f"in the responses of {named}"


def _check_acyclic(modules: dict[str, list[str]], deps: dict[str, set[str]], home: dict[str, str]) -> None:
    edges = {m: {home[d] for n in names for d in deps[n]} - {m} for m, names in modules.items()}
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        if state.get(module) == 2:
            return
        if state.get(module) == 1:
            raise ValueError(f"models split: import cycle {' -> '.join([*path, module])}")
        state[module] = 1
        for target in sorted(edges[module]):
            visit(target, [*path, module])
        state[module] = 2

    for module in sorted(modules):
        visit(module, [])


def _init(home: dict[str, str]) -> str:
    names = sorted(home)
    by_module: dict[str, list[str]] = {}
    for name in names:
        by_module.setdefault(home[name], []).append(name)
    checking = "".join(
        f"    from .{module} import {', '.join(f'{n} as {n}' for n in members)}\n"
        for module, members in sorted(by_module.items())
    )
    index = "".join(f'    "{name}": "{home[name]}",\n' for name in names)
    exported = "".join(f'    "{name}",\n' for name in names)
    return f'''{HEADER}
"""Every model of spec/'s requests and responses, by answer and resource group.

`from azgate.generated.models import X` and `models.X` import only the module that
defines X (and the modules its fields use): a call builds the classes it validates,
not every model of every api-version.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
{checking}
# Each model's module in this package.
_MODULES: dict[str, str] = {{
{index}}}

__all__ = [
{exported}]

if not TYPE_CHECKING:  # type checkers see the imports above, not an attribute of any name

    def __getattr__(name: str) -> Any:
        module = _MODULES.get(name)
        if module is None:
            raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")
        value = getattr(import_module(f"{{__name__}}.{{module}}"), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({{*globals(), *_MODULES}})
'''
