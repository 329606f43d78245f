"""Checks an imported spec document must pass before it is written.

* every `$ref` resolves inside the document;
* every operation has an `x-azgate-name` (from the overlay, or derived from its path),
  unique in the document;
* schema names do not collide: across all spec files, one name (compared
  case-insensitively) has one spelling, and a name used by both halves has one structure.
  The fix for a collision is an entry in the overlay's `schema_renames`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from codegen._normalise import SpecImportError

JSON = Any
HALVES = ("inference", "authoring")


def check_document(doc: JSON) -> None:
    problems = dangling_refs(doc) + missing_names(doc)
    if problems:
        version = doc.get("info", {}).get("version", "?")
        raise SpecImportError(f"spec document {version} is not consistent:\n  " + "\n  ".join(problems))


def dangling_refs(doc: JSON) -> list[str]:
    bad: set[str] = set()

    def visit(node: JSON) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not _resolves(doc, ref):
                bad.add(ref)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(doc)
    return [
        f"unresolved $ref {r}: the published document lacks it; add it to add_schemas in spec/overlay.yaml"
        for r in sorted(bad)
    ]


def _resolves(doc: JSON, ref: str) -> bool:
    if not ref.startswith("#/"):
        return False
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def missing_names(doc: JSON) -> list[str]:
    out: list[str] = []
    seen: dict[str, str] = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            name = op.get("x-azgate-name")
            where = f"{method.upper()} {path}"
            if not name:
                out.append(f"operation {where} ({op['operationId']}) has no x-azgate-name")
            elif seen.setdefault(name, where) != where:
                out.append(
                    f"x-azgate-name {name} is given to both {seen[name]} and {where}; "
                    "name one of them in spec/overlay.yaml operations (keyed 'METHOD /path')"
                )
    out += [
        f"x-azgate-name {name} is a method, but {other} makes it a resource too; "
        "rename one in spec/overlay.yaml operations (keyed 'METHOD /path')"
        for name, other in tree_clashes(seen)
    ]
    return out


def tree_clashes(names: Iterable[str]) -> list[tuple[str, str]]:
    """(method, other) where `other` uses the method's name as a resource: files.content
    and files.content.list cannot both be on the client."""
    ordered = sorted(set(names))
    return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :] if b.startswith(a + ".")]


def collisions(docs: dict[str, JSON]) -> list[str]:
    """Schema-name collisions over spec documents {version: doc} (see module docstring)."""
    spellings: dict[str, set[str]] = defaultdict(set)
    shapes: dict[tuple[str, str], list[tuple[str, JSON]]] = defaultdict(list)
    for version, doc in sorted(docs.items()):
        sources = doc.get("x-azgate-schema-sources", {})
        for name, schema in doc["components"]["schemas"].items():
            halves = [h for h in sources.get(name, []) if h in HALVES]
            for half in halves:
                spellings[name.lower()].add(f"{name} ({half} {version})")
                shapes[(name, half)].append((version, schema))
    problems = []
    for variants in spellings.values():
        if len({v.split(" ")[0] for v in variants}) > 1:
            problems.append("same name, different case: " + ", ".join(sorted(variants)))
    for (name, half), found in sorted(shapes.items()):
        if half != "authoring":
            continue
        for a_version, a_schema in found:
            clash = [v for v, s in shapes.get((name, "inference"), []) if s != a_schema]
            if clash:
                problems.append(f"{name}: authoring {a_version} differs from inference {', '.join(clash)}")
    return problems
