"""Is spec/ what the published documents produce? (`python -m codegen drift`)

Every spec/<version>.json records the published documents it came from
(`info.x-azgate-sources`: the inference and authoring api-versions). `published_drift`
re-imports exactly those from a folder (or a URL) laid out as Azure publishes them,
`inference/<V>/`, `authoring/<V>/`, `v1/`, and compares the result with spec/ field by
field. Each difference is one line naming the version, the operation (SDK name, method
and path) and the field:

    2024-10-21 field chatCompletionsRequestCommon.temperature (maximum): 2 in spec/, 3 published;
      used by chat.completions.create (POST /deployments/{deployment-id}/chat/completions)

A difference in a schema names the operations that use it. A version whose documents
the folder lacks is skipped with a note (a private or fixture document); so is a
published version spec/ does not have yet (`add` imports it).

From a URL only the documents spec/ names are fetched, by the file names Azure uses
(inference.json or .yaml, azureopenai.json, azure-v1-v1-generated.json).
"""

from __future__ import annotations

import json
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _import, _overlay
from ._load import pointer
from ._normalise import SpecImportError
from ._spec import V1, load_documents, ref_name

__all__ = ["Drift", "published_drift"]

JSON = Any
_MAX_PER_VERSION = 15
_URL_NAMES = {
    "inference": ("inference.json", "inference.yaml"),
    "authoring": ("azureopenai.json", "azureopenai.yaml"),
    V1: ("azure-v1-v1-generated.json",),
}
_FETCH_TIMEOUT_S = 30


@dataclass
class Drift:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def published_drift(spec_dir: Path, published: str) -> Drift:
    """Differences between spec/ and what `published` (folder or URL) produces."""
    spec = load_documents(spec_dir)
    if published.startswith(("http://", "https://", "file://")):
        with tempfile.TemporaryDirectory() as tmp:
            _fetch(published, spec, Path(tmp))
            return _compare(spec_dir, spec, Path(tmp), folder_listing=False)
    root = Path(published)
    if not root.is_dir():
        raise SpecImportError(
            f"{published}: no such folder of published documents; pass --published DIR or URL "
            "(laid out as inference/<V>/, authoring/<V>/, v1/)"
        )
    return _compare(spec_dir, spec, root, folder_listing=True)


def _sources(doc: JSON) -> dict[str, str]:
    return dict(doc["info"].get("x-azgate-sources", {}))


def _where(half: str, source: str) -> str:
    return V1 if source == V1 else half


def _compare(spec_dir: Path, spec: dict[str, JSON], root: Path, *, folder_listing: bool) -> Drift:
    overlay = _overlay.load(spec_dir / "overlay.yaml")
    found = {half: _import.find_documents(root, half) for half in ("inference", "authoring", V1)}
    drift = Drift()
    for version, doc in spec.items():
        sources = _sources(doc)
        paths = {half: found[_where(half, v)].get(v) for half, v in sources.items()}
        missing = [f"{_where(h, v)}/{v}" for h, v in sources.items() if paths[h] is None]
        if missing:
            drift.notes.append(f"{version}: not compared, {root} has no {' or '.join(missing)}")
            continue
        rebuilt: JSON = None
        for half in ("inference", "authoring"):
            path = paths.get(half)
            if path is not None:
                rebuilt = _import.build(path, version, rebuilt, overlay)
        drift.problems += _describe(version, doc, rebuilt)
    if folder_listing:
        have = {v for doc in spec.values() for v in _sources(doc).values()}
        for half, docs in found.items():
            for version in docs:
                if version not in have:
                    drift.notes.append(
                        f"{half}/{version} is published but not in spec/: python -m codegen add {docs[version]}"
                    )
    return drift


def _fetch(base: str, spec: dict[str, JSON], into: Path) -> None:
    """Download the documents spec/ names from `base` into `into` (folder layout)."""
    wanted = {(_where(h, v), v) for doc in spec.values() for h, v in _sources(doc).items()}
    for where, version in sorted(wanted):
        folder = into / where if where == V1 else into / where / version
        for name in _URL_NAMES[where]:
            url = (
                f"{base.rstrip('/')}/{where}/{name}" if where == V1 else f"{base.rstrip('/')}/{where}/{version}/{name}"
            )
            try:
                with urllib.request.urlopen(url, timeout=_FETCH_TIMEOUT_S) as response:
                    data = response.read()
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    continue
                raise SpecImportError(
                    f"{url}: HTTP {exc.code}; check the URL and that it serves the documents"
                ) from None
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                raise SpecImportError(f"{url}: cannot fetch ({reason}); check the URL and the network") from None
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
            break


# ---- describing differences ----------------------------------------------------------------


def _diff(a: JSON, b: JSON, where: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], JSON, JSON]]:
    """(place, value in a, value in b) for every leaf-level difference; a missing key is
    `_ABSENT`."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            yield from _diff(a.get(key, _ABSENT), b.get(key, _ABSENT), (*where, key))
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _diff(x, y, (*where, i))
    elif a != b:
        yield where, a, b


class _Absent:
    def __repr__(self) -> str:
        return "absent"


_ABSENT: Any = _Absent()


def _show(value: JSON) -> str:
    if value is _ABSENT:
        return "absent"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _field(parts: tuple[Any, ...]) -> str:
    """`properties/a/items/properties/b/type` -> `a[].b` (the keyword left: `type`)."""
    names: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(parts):
        if parts[i] == "properties" and i + 1 < len(parts):
            names.append(str(parts[i + 1]))
            rest = []
            i += 2
            continue
        if parts[i] == "items" and names:
            names[-1] += "[]"
        else:
            rest.append(str(parts[i]))
        i += 1
    return ".".join(names) + (f" ({'/'.join(rest)})" if rest and names else "/".join(rest))


def _users(doc: JSON) -> dict[str, list[str]]:
    """Schema name -> the operations whose bodies or parameters reach it."""
    schemas = doc["components"]["schemas"]

    def refs(node: JSON) -> Iterator[str]:
        if isinstance(node, dict):
            name = ref_name(node)
            if name is not None:
                yield name
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    users: dict[str, list[str]] = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            label = f"{op.get('x-azgate-name', op['operationId'])} ({method.upper()} {path})"
            seen: set[str] = set()
            todo = list(refs(op))
            while todo:
                name = todo.pop()
                if name in seen or name not in schemas:
                    continue
                seen.add(name)
                users.setdefault(name, []).append(label)
                todo += refs(schemas[name])
    return users


def _describe(version: str, spec: JSON, published: JSON) -> list[str]:
    users = _users(spec if spec.get("paths") else published)
    lines: list[str] = []
    for where, ours, theirs in _diff(spec, published):
        if where[:1] == ("x-azgate-schema-sources",):
            continue  # follows from the schemas themselves
        change = f"{_show(ours)} in spec/, {_show(theirs)} published"
        if where[:1] == ("paths",) and len(where) >= 3:
            path, method = where[1], where[2]
            op = spec["paths"].get(path, {}).get(method) or published["paths"].get(path, {}).get(method) or {}
            label = f"{op.get('x-azgate-name', '?')} ({str(method).upper()} {path})"
            rest = where[3:]
            if rest[:1] == ("parameters",) and len(rest) >= 2:
                params = (spec["paths"].get(path, {}).get(method) or {}).get("parameters", [])
                index = rest[1]
                name = params[index]["name"] if isinstance(index, int) and index < len(params) else index
                lines.append(f"{version} {label}: parameter {name} {'/'.join(map(str, rest[2:]))}: {change}")
            elif not rest:
                lines.append(
                    f"{version} {label}: operation {'in spec/ only' if theirs is _ABSENT else 'published only'}"
                )
            else:
                lines.append(f"{version} {label}: {_field(rest) or pointer(*rest)}: {change}")
        elif where[:2] == ("components", "schemas") and len(where) >= 3:
            name = where[2]
            used = users.get(name, [])
            by = f"; used by {', '.join(used[:3])}{', ...' if len(used) > 3 else ''}" if used else ""
            inner = _field(where[3:])
            what = f"field {name}.{inner}" if inner and not inner.startswith("(") else f"schema {name} {inner}".rstrip()
            lines.append(f"{version} {what}: {change}{by}")
        elif where[:1] == ("paths",):
            lines.append(f"{version} {where[1]}: {'in spec/ only' if theirs is _ABSENT else 'published only'}")
        else:
            lines.append(f"{version} {pointer(*where)}: {change}")
    if len(lines) > _MAX_PER_VERSION:
        lines = [*lines[:_MAX_PER_VERSION], f"{version}: ... and {len(lines) - _MAX_PER_VERSION} more differences"]
    return lines
