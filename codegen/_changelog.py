"""What changed between two api-versions of spec/, as Markdown.

Compared, in this order:

* operations, by SDK name (`x-azgate-name`): added and removed;
* each operation's parameters (path, query, header) and request fields (the top-level
  properties of its JSON or multipart body): added, removed, changed in type, now (or no
  longer) required, enum values added;
* the named schemas (request and response models), field by field (nested inline
  objects as `a.b`, array items as `a[]`; a `$ref` is a type, diffed under its own name):
  schemas added and removed, fields added, removed, changed in type and now (or no
  longer) required, enum values added and removed.

A type is summarised as the SDK reads it (`string`, `integer | null`, `array of Batch`,
`createChatCompletionRequest`), so a rewording of the schema that means the same
(`nullable` written differently, a description) is not a change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ._spec import Document, channel, operations, properties, ref_name, version_key

__all__ = ["changelog", "previous_in_channel"]

JSON = Any


def previous_in_channel(version: str, versions: list[str]) -> str | None:
    """The newest version before `version` in its channel (stable, preview, v1)."""
    older = [v for v in versions if channel(v) == channel(version) and version_key(v) < version_key(version)]
    return max(older, key=version_key) if older else None


# ---- summarising -----------------------------------------------------------------------------


def type_of(schema: JSON) -> str:
    """A short, stable description of a schema's type: alternatives once each, null last."""
    parts = list(dict.fromkeys(_type_parts(schema)))
    return " | ".join([p for p in parts if p != "null"] + (["null"] if "null" in parts else []))


def _type_parts(schema: JSON) -> list[str]:
    return _type(schema).split(" | ")


def _type(schema: JSON) -> str:
    if not isinstance(schema, dict):
        return "any"
    name = ref_name(schema)
    if name is not None:
        return name
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(type_of(s) for s in schema[key])
    if "allOf" in schema:
        parts = list(dict.fromkeys(type_of(s) for s in schema["allOf"]))
        return parts[0] if len(parts) == 1 else " & ".join(parts)
    types = schema.get("type")
    listed = [types] if isinstance(types, str) else list(types or [])
    if not listed:
        listed = ["object"] if "properties" in schema else (["string"] if "enum" in schema else ["any"])
    out = []
    for t in listed:
        if t == "array":
            out.append(f"array of {type_of(schema.get('items', {}))}")
        elif t in ("string", "integer", "number") and schema.get("format") in ("binary", "int64", "float", "double"):
            out.append(f"{t} ({schema['format']})")
        else:
            out.append(t)
    return " | ".join(out)


def _fields(schema: JSON, prefix: str, out: dict[str, JSON]) -> None:
    """Every inline field below `schema`, by dotted path (the value is its schema)."""
    if not isinstance(schema, dict) or ref_name(schema) is not None:
        return
    for name, sub in (schema.get("properties") or {}).items():
        path = f"{prefix}.{name}" if prefix else name
        out[path] = sub
        _fields(sub, path, out)
    if isinstance(schema.get("items"), dict):
        _fields(schema["items"], prefix + "[]", out)
    for key in ("anyOf", "oneOf", "allOf"):
        for variant in schema.get(key) or []:
            _fields(variant, prefix, out)


def _required(schema: JSON, path: str) -> bool:
    """Whether the field at dotted `path` is required by its parent (inline parents only)."""
    *parents, last = path.split(".")
    node = schema
    for part in parents:
        node = _inline_property(node, part.removesuffix("[]"))
        while part.endswith("[]") and isinstance(node, dict):
            node, part = node.get("items", {}), part[:-2]
    return isinstance(node, dict) and last.removesuffix("[]") in _required_names(node)


def _inline_property(schema: JSON, name: str) -> JSON:
    if not isinstance(schema, dict):
        return {}
    if name in (schema.get("properties") or {}):
        return schema["properties"][name]
    for key in ("anyOf", "oneOf", "allOf"):
        for variant in schema.get(key) or []:
            found = _inline_property(variant, name)
            if found:
                return found
    return {}


def _required_names(schema: JSON) -> set[str]:
    names = set(schema.get("required") or [])
    for key in ("anyOf", "oneOf", "allOf"):
        for variant in schema.get(key) or []:
            if isinstance(variant, dict) and ref_name(variant) is None:
                names |= _required_names(variant)
    return names


def enum_values(schema: JSON) -> list[Any]:
    """The enum values a schema allows directly (through anyOf/oneOf wrappers)."""
    if not isinstance(schema, dict) or ref_name(schema) is not None:
        return []
    values = [v for v in schema.get("enum") or [] if v is not None]
    for key in ("anyOf", "oneOf"):
        for variant in schema.get(key) or []:
            values += [v for v in enum_values(variant) if v not in values]
    return values


@dataclass
class _Operation:
    method: str
    path: str
    params: dict[str, tuple[str, JSON, bool]] = field(default_factory=dict)
    """wire name -> (where: path/query/header/body/form, schema, required)"""


def _operations(doc: Document) -> dict[str, _Operation]:
    out: dict[str, _Operation] = {}
    for path, method, op in operations(doc):
        entry = out.setdefault(op.get("x-azgate-name") or op["operationId"], _Operation(method, path))
        for p in op.get("parameters", []):
            entry.params[p["name"]] = (p["in"], p.get("schema", {}), bool(p.get("required")))
        content = op.get("requestBody", {}).get("content", {})
        for media, body in content.items():
            where = "form" if media == "multipart/form-data" else "body"
            props, required = properties(doc, body.get("schema", {}))
            for name, schema in props.items():
                entry.params.setdefault(name, (where, schema, name in required))
    return out


# ---- comparing -------------------------------------------------------------------------------


def _same_type(a: JSON, b: JSON) -> bool:
    """Equal as sets of alternatives: `string | array of string` is `array of string | string`."""
    return set(_type_parts(a)) == set(_type_parts(b))


def _code(text: object) -> str:
    return f"`{text}`"


def _values(values: list[Any]) -> str:
    return ", ".join(_code(v) for v in values)


def _compare_params(name: str, old: _Operation, new: _Operation) -> Iterator[str]:
    for param, (where, schema, _) in new.params.items():
        if param not in old.params:
            yield f"{_code(name)}: added {_code(param)} ({where}, {_code(type_of(schema))})"
    for param, (where, _, _) in old.params.items():
        if param not in new.params:
            yield f"{_code(name)}: removed {_code(param)} ({where})"
    for param, (_, schema, required) in new.params.items():
        if param not in old.params:
            continue
        _, old_schema, was_required = old.params[param]
        if not _same_type(old_schema, schema):
            yield (
                f"{_code(name)}: {_code(param)} changed type from {_code(type_of(old_schema))} "
                f"to {_code(type_of(schema))}"
            )
        if required != was_required:
            yield f"{_code(name)}: {_code(param)} is {'now' if required else 'no longer'} required"
        added = [v for v in enum_values(schema) if v not in enum_values(old_schema)]
        if added:
            yield f"{_code(name)}: {_code(param)} takes new values {_values(added)}"


@dataclass
class _Report:
    ops_added: list[str] = field(default_factory=list)
    ops_removed: list[str] = field(default_factory=list)
    params: list[str] = field(default_factory=list)
    schemas_added: list[str] = field(default_factory=list)
    schemas_removed: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    enums_added: list[str] = field(default_factory=list)
    enums_removed: list[str] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[str]]]:
        return [
            ("Operations added", self.ops_added),
            ("Operations removed", self.ops_removed),
            ("Parameters and request fields", self.params),
            ("Schemas added", self.schemas_added),
            ("Schemas removed", self.schemas_removed),
            ("Fields", self.fields),
            ("Enum values added", self.enums_added),
            ("Enum values removed", self.enums_removed),
        ]


def _compare_schemas(old: dict[str, JSON], new: dict[str, JSON], report: _Report) -> None:
    report.schemas_added += [_code(n) for n in new if n not in old]
    report.schemas_removed += [_code(n) for n in old if n not in new]
    for name, schema in new.items():
        if name not in old:
            continue
        before: dict[str, JSON] = {"": old[name]}
        after: dict[str, JSON] = {"": schema}
        _fields(old[name], "", before)
        _fields(schema, "", after)
        for path in after:
            if path in before and _required(old[name], path) != _required(schema, path):
                now = "now" if _required(schema, path) else "no longer"
                report.fields.append(f"{_code(f'{name}.{path}')}: {now} required")
        for path, sub in after.items():
            where = f"{name}.{path}" if path else name
            if path not in before:
                report.fields.append(f"{_code(where)}: added ({_code(type_of(sub))})")
                continue
            if not _same_type(before[path], sub):
                report.fields.append(
                    f"{_code(where)}: changed type from {_code(type_of(before[path]))} to {_code(type_of(sub))}"
                )
            added = [v for v in enum_values(sub) if v not in enum_values(before[path])]
            removed = [v for v in enum_values(before[path]) if v not in enum_values(sub)]
            if added:
                report.enums_added.append(f"{_code(where)}: {_values(added)}")
            if removed:
                report.enums_removed.append(f"{_code(where)}: {_values(removed)}")
        report.fields += [f"{_code(f'{name}.{p}')}: removed" for p in before if p and p not in after]


def changelog(old: Document | None, new: Document) -> str:
    """Markdown: what `new` changes against `old` (None: the first of its channel)."""
    version = new["info"]["version"]
    if old is None:
        title = f"# {version}\n\nThe first api-version of the {channel(version)} channel in spec/."
        old = {"info": {"version": ""}, "paths": {}, "components": {"schemas": {}}}
    elif old["info"]["version"] == version:
        title = f"# {version}\n\nChanges since the {version} document imported before."
    else:
        title = f"# {version}\n\nChanges since {old['info']['version']}."
    report = _Report()
    before, after = _operations(old), _operations(new)
    report.ops_added = [f"{_code(n)}: {_code(f'{o.method} {o.path}')}" for n, o in after.items() if n not in before]
    report.ops_removed = [f"{_code(n)}: {_code(f'{o.method} {o.path}')}" for n, o in before.items() if n not in after]
    for name, op in after.items():
        if name in before:
            report.params += _compare_params(name, before[name], op)
    _compare_schemas(old["components"]["schemas"], new["components"]["schemas"], report)
    lines = [title, ""]
    for heading, items in report.sections():
        if items:
            lines += [f"## {heading}", "", *(f"- {item}" for item in sorted(items, key=str.lower)), ""]
    if len(lines) == 2:
        lines += ["No changes to operations, parameters, fields or enum values.", ""]
    return "\n".join(lines)
