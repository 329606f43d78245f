"""How the generated docstrings word what spec/ states: every phrasing rule in one place.

The documents' prose is never copied (spec/ holds structure only); each sentence here is
built from a structural fact: an operation's method, path, api-versions and result, a
parameter's schema (type, enum, range, length, default, deprecation), a model's fields
and the operations that send or return it. The rules:

- **Api-versions** are runs within a channel (stable, preview, v1), oldest first: a run
  that reaches the channel's newest version is open-ended (`2024-10-21 and later`,
  `2024-02-15-preview and later previews`), else closed (`2024-02-01 to 2024-06-01`, or
  one version alone); `v1` is its own channel. All of them: `every api-version`.
- **Types** are Python's words for the annotation: `str`, `int`, `float`, `bool`,
  `None`, `list of X`, `dict`, `dict of str to X`, a model as `` `Name` ``, a file
  upload as `file`; alternatives joined with `or`, `None` last. Allowed values are
  listed as Python literals (`"low"`, `"high"`); a response's open enum adds
  `or another str`.
- **Limits** (request side, from spec/) are sentences: `From 0 to 2.`, `At least 1.`,
  `1 to 4 items.`, `At most 256 characters.`, `Matches `...`.`; a variant's or an
  item's limits are prefixed (`As a list: 1 to 4 items.`, `Each item: ...`).
- **Defaults** are the service's (`Service default: 1.`): the SDK sends nothing it is
  not given.
- **A parameter** reads: type and values; `Required.` (or `Required in <versions>.` when
  only some versions require it); limits; default; `Deprecated.`; `Only in <versions>.`
  when the operation has versions without it; where it goes when not the JSON body.
- **A model** reads: who sends or returns it (`Returned by`, `Streamed by`, `Listed by`,
  `The request body of`), where else it sits (`Part of`), which operations reach it
  through other models; then one line per field: type and values, and `May be missing in
  responses.` for a field the documents do not require (`Optional.` for a model only ever
  sent, `May be missing.` for one no operation reaches).

Lists of operations or models are cut at `LIST_LIMIT` names (`and 3 more`).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._naming import class_name
from ._pytypes import is_model
from ._spec import V1, channel, ref_name, version_key

__all__ = [
    "LIST_LIMIT",
    "FieldLine",
    "Lookup",
    "ParamFacts",
    "Usage",
    "join_names",
    "limits",
    "method_docstring",
    "model_docstring",
    "param_doc",
    "param_facts",
    "param_sentences",
    "resource_docstring",
    "py_literal",
    "type_words",
    "versions_phrase",
]

LIST_LIMIT = 6
WIDTH = 100
"""Docstring lines are wrapped at this width (the source indents them by 4 or 8 more)."""
INT64 = (-(2**63), 2**63 - 1)

Lookup = Callable[[str], tuple[dict[str, Any] | None, str | None]]
"""A schema key -> (the schema, or None; its class name when it generates a class)."""


# -- api-versions -------------------------------------------------------------------


def _channels(versions: Iterable[str]) -> dict[str, list[str]]:
    by_channel: dict[str, list[str]] = {}
    for v in sorted(versions, key=version_key):
        by_channel.setdefault(channel(v), []).append(v)
    return {name: by_channel[name] for name in ("stable", "preview", V1) if name in by_channel}


def versions_phrase(having: Iterable[str], all_versions: Iterable[str]) -> str:
    """`having` in words, as runs within each channel of `all_versions` (module docstring)."""
    wanted = set(having)
    every = list(all_versions)
    if wanted >= set(every):
        return "every api-version"
    parts: list[str] = []
    for name, members in _channels(every).items():
        start: int | None = None
        for i, v in enumerate([*members, None]):
            if v is not None and v in wanted:
                start = i if start is None else start
                continue
            if start is None:
                continue
            first, last = members[start], members[i - 1]
            if name == V1:
                parts.append(V1)
            elif v is None and len(members) > 1:
                parts.append(f"{first} and later" + (" previews" if name == "preview" else ""))
            elif first == last:
                parts.append(first)
            else:
                parts.append(f"{first} to {last}")
            start = None
    return ", ".join(parts) if parts else "no api-version"


# -- words ----------------------------------------------------------------------------


def wrap(text: str, indent: int = 0, hanging: int = 0) -> str:
    """`text` wrapped at WIDTH, indented; continuation lines by `hanging` more."""
    return textwrap.fill(
        text,
        width=WIDTH,
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + hanging),
        break_long_words=False,
        break_on_hyphens=False,
    )


def section(title: str, entries: Iterable[tuple[str, str]]) -> str:
    """A Google-style section (`Args:`, `Attributes:`, `Raises:`): one wrapped entry per name."""
    return f"{title}:\n" + "\n".join(wrap(f"{name}: {doc}", 4, 4) for name, doc in entries)


def join_words(words: list[str], conjunction: str = "or") -> str:
    """`a`, `a or b`, `a, b or c`."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def join_names(names: Iterable[str], limit: int = LIST_LIMIT) -> str:
    """Code-quoted names, cut at `limit`: `` `a`, `b` and 2 more ``."""
    unique = list(dict.fromkeys(names))
    shown = [f"`{n}`" for n in unique[:limit]]
    if len(unique) > limit:
        shown.append(f"{len(unique) - limit} more")
    return join_words(shown, "and")


def py_literal(value: Any) -> str:
    """A JSON value as Python writes it: `"text"`, `True`, `None`, `1`, `0.5`."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("true", "True").replace("false", "False")


_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_MAX_DEPTH = 5


def _is_open_enum(variants: list[Any]) -> bool:
    """`[{enum: [...]}, {type: string}]` (and maybe null): an enum a response may extend."""
    enums = [v for v in variants if isinstance(v, dict) and "enum" in v]
    plain = [v for v in variants if v == {"type": "string"}]
    return len(enums) == 1 and len(plain) == 1


def type_words(schema: Any, lookup: Lookup, depth: int = 0) -> str:
    """The schema as Python type words (module docstring), allowed values included."""
    words = _type_parts(schema, lookup, depth)
    unique = list(dict.fromkeys(words))
    if "None" in unique:
        unique.remove("None")
        unique.append("None")
    return join_words(unique) or "any value"


def _type_parts(schema: Any, lookup: Lookup, depth: int) -> list[str]:
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return ["any value"]
    name = ref_name(schema)
    if name is not None:
        target, cls = lookup(name)
        if cls is not None:
            return [f"`{cls}`"]
        return _type_parts(target, lookup, depth + 1) if target is not None else ["any value"]
    if "const" in schema:
        return [py_literal(schema["const"])]
    if "enum" in schema:
        values = [py_literal(v) for v in schema["enum"]]
        return values or ["any value"]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            variants = schema[key]
            if _is_open_enum(variants):
                values = next(v["enum"] for v in variants if isinstance(v, dict) and "enum" in v)
                parts = [py_literal(v) for v in values if v is not None] + ["another str"]
                if any(v == {"type": "null"} for v in variants) or None in values:
                    parts.append("None")
                return parts
            return [p for v in variants for p in _type_parts(v, lookup, depth + 1)]
    if "allOf" in schema:
        parts = schema["allOf"]
        return _type_parts(parts[0], lookup, depth + 1) if len(parts) == 1 and "properties" not in schema else ["dict"]
    types = schema.get("type")
    if isinstance(types, list):
        return [p for t in types for p in _type_parts({**schema, "type": t}, lookup, depth + 1)]
    if types == "string" and schema.get("format") == "binary":
        return ["file"]
    if types in _SCALARS:
        return [_SCALARS[types]]
    if types == "array" or (types is None and "items" in schema):
        inner = type_words(schema.get("items", {}), lookup, depth + 1)
        return [f"list of ({inner})" if " or " in inner else f"list of {inner}"]
    if types == "object" or "properties" in schema or "additionalProperties" in schema:
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra and "properties" not in schema:
            inner = type_words(extra, lookup, depth + 1)
            return [f"dict of str to ({inner})" if " or " in inner else f"dict of str to {inner}"]
        return ["dict"]
    return ["any value"]


# -- limits ---------------------------------------------------------------------------


def _count(low: Any, high: Any, unit: str) -> str | None:
    plural = unit + ("" if unit.endswith("s") else "s")
    if low is not None and high is not None:
        return (
            f"{py_literal(low)} to {py_literal(high)} {plural}."
            if low != high
            else f"Exactly {py_literal(low)} {plural}."
        )
    if low is not None:
        return f"At least {py_literal(low)} {unit if low == 1 else plural}."
    if high is not None:
        return f"At most {py_literal(high)} {unit if high == 1 else plural}."
    return None


def _own_limits(schema: dict[str, Any]) -> list[str]:
    out: list[str] = []
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low, high) == INT64:
        out.append("Any 64-bit integer.")
    elif low is not None and high is not None:
        out.append(f"From {py_literal(low)} to {py_literal(high)}.")
    elif low is not None:
        out.append(f"At least {py_literal(low)}.")
    elif high is not None:
        out.append(f"At most {py_literal(high)}.")
    for key, words in (("exclusiveMinimum", "Greater than"), ("exclusiveMaximum", "Less than")):
        if isinstance(schema.get(key), (int, float)) and not isinstance(schema.get(key), bool):
            out.append(f"{words} {py_literal(schema[key])}.")
    if "multipleOf" in schema:
        out.append(f"A multiple of {py_literal(schema['multipleOf'])}.")
    for phrase in (
        _count(schema.get("minLength"), schema.get("maxLength"), "character"),
        _count(schema.get("minItems"), schema.get("maxItems"), "item"),
        _count(schema.get("minProperties"), schema.get("maxProperties"), "key"),
    ):
        if phrase:
            out.append(phrase)
    if schema.get("uniqueItems"):
        out.append("No repeated items.")
    if "pattern" in schema:
        out.append(f"Matches `{schema['pattern']}`.")
    return out


def limits(schema: Any, resolve: Callable[[str], dict[str, Any] | None], depth: int = 0) -> list[str]:
    """The request-side limits of a schema as sentences; those of a variant or of the
    items of a list are prefixed (`As a list: ...`, `Each item: ...`)."""
    if not isinstance(schema, dict) or depth > 2:
        return []
    name = ref_name(schema)
    if name is not None:
        target = resolve(name)
        # A model's own fields carry its limits; a plain schema behind a $ref (an enum,
        # a number) is this value's.
        return [] if target is None or "properties" in target else limits(target, resolve, depth + 1)
    out = _own_limits(schema)
    items = schema.get("items")
    if isinstance(items, dict):
        out += [f"Each item: {_lower(s)}" for s in limits(items, resolve, depth + 1)]
    for key in ("oneOf", "anyOf"):
        for variant in schema.get(key, []):
            inner = limits(variant, resolve, depth + 1)
            if inner:
                label = _variant_label(variant)
                out += [_prefixed(label, s) for s in inner]
    return list(dict.fromkeys(out))


def _prefixed(label: str, sentence: str) -> str:
    """`As a list` + `Each item: at most 4.` -> `As a list, each item: at most 4.`"""
    if not label:
        return sentence
    if sentence.startswith("Each item: "):
        return f"{label}, {_lower(sentence)}"
    return f"{label}: {_lower(sentence)}"


def _variant_label(variant: Any) -> str:
    types = variant.get("type") if isinstance(variant, dict) else None
    kinds = [types] if isinstance(types, str) else [t for t in types or [] if t != "null"]
    return {"array": "As a list", "string": "As a str", "integer": "As an int", "number": "As a float"}.get(
        kinds[0] if len(kinds) == 1 else "", ""
    )


def _lower(sentence: str) -> str:
    return sentence[:1].lower() + sentence[1:] if not sentence.startswith(("`", "Any 64")) else sentence


# -- parameters -----------------------------------------------------------------------


@dataclass(frozen=True)
class ParamFacts:
    """What one parameter's schema in spec/ states (the newest dated document that has it)."""

    limits: tuple[str, ...] = ()
    default: str | None = None
    deprecated: bool = False


def param_facts(schema: Any, resolve: Callable[[str], dict[str, Any] | None]) -> ParamFacts:
    if not isinstance(schema, dict):
        return ParamFacts()
    target = schema
    name = ref_name(schema)
    if name is not None:
        target = resolve(name) or {}
        if "properties" in target:
            target = {}  # a model: its default and deprecation are the model's, not this value's
    default = schema.get("default", target.get("default"))
    return ParamFacts(
        limits=tuple(limits(schema, resolve)),
        default=None if default is None or isinstance(default, (list, dict)) else py_literal(default),
        deprecated=bool(schema.get("deprecated") or target.get("deprecated")),
    )


_LOCATIONS = {
    "path": "In the URL path.",
    "query": "Sent in the query string as `{wire}`.",
    "header": "Sent as the `{wire}` header.",
    "form": "A field of the multipart form.",
}


def param_sentences(
    *,
    words: str,
    facts: ParamFacts,
    location: str,
    wire_name: str,
    py_name: str,
    required: bool,
    required_in: list[str],
    versions: list[str],
    op_versions: list[str],
    all_versions: list[str],
    header_default: str | None = None,
    positional: bool = False,
) -> str:
    """One parameter's line of an `Args:` section, without its name (module docstring)."""
    out = [_sentence(words)]
    if required:
        out.append("Required.")
    elif required_in and header_default is None:
        out.append(f"Required in {versions_phrase(required_in, all_versions)}.")
    out += facts.limits
    if header_default is not None:
        out.append(f"Default: {py_literal(header_default)}.")
    elif facts.default is not None:
        out.append(f"Service default: {facts.default}.")
    if facts.deprecated:
        out.append("Deprecated.")
    if set(versions) != set(op_versions):
        out.append(f"Only in {versions_phrase(versions, all_versions)}.")
    if location in _LOCATIONS:
        out.append(_LOCATIONS[location].format(wire=wire_name))
    elif wire_name != py_name:
        out.append(f"Sent as `{wire_name}`.")
    if positional:
        out.append("May be passed positionally.")
    return " ".join(out)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    if text[0].islower() and not text.startswith(("list", "dict", "file", "any", "str", "int", "float", "bool")):
        text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _makes_class(schema: Any) -> bool:
    """Whether the model generator makes a class of a union schema (a free-form object,
    `additionalProperties` without `properties`, is a dict)."""
    return (
        isinstance(schema, dict)
        and is_model(schema)
        and not ("additionalProperties" in schema and "properties" not in schema)
    )


def union_lookup(
    schemas: Mapping[str, Any], renamed: Mapping[str, str] | None = None, classes: set[str] | None = None
) -> Lookup:
    """Lookup into the union schemas (the models' input), by class name or by a
    document's own schema key. `renamed` maps schema keys to the class names the model
    generator chose instead; `classes`, when known, are the classes it made."""

    def lookup(name: str) -> tuple[dict[str, Any] | None, str | None]:
        key = name if name in schemas else class_name(name)
        target = schemas.get(key)
        cls = (renamed or {}).get(key, key)
        makes = cls in classes if classes is not None else _makes_class(target)
        return target, (cls if makes else None)

    return lookup


def param_doc(
    p: Any,
    *,
    shown: Any,
    spec: tuple[Any, Any],
    schemas: Mapping[str, Any],
    op_versions: list[str],
    all_versions: list[str],
    names_deployment: bool = False,
) -> str:
    """The `Args:` line of an `_ir.Param`: `shown` is the schema its annotation comes
    from, `spec` the newest document's own schema and that document (for the limits)."""
    raw, doc = spec
    doc_schemas = (doc or {}).get("components", {}).get("schemas", {})
    facts = param_facts(raw, doc_schemas.get)
    if names_deployment:
        words = (
            "str. The deployment to call (on OpenAI, the model); may be left out when the client has a `deployment_id`"
        )
        facts = ParamFacts()
    else:
        words = type_words(shown, union_lookup(schemas))
        if p.is_file:
            words += ". A file is a path, bytes, an open binary file or a `(filename, content[, content type])` tuple"
    return param_sentences(
        words=words,
        facts=facts,
        location=p.location,
        wire_name=p.wire_name,
        py_name=p.py_name,
        required=p.required,
        required_in=p.required_in,
        versions=p.versions,
        op_versions=op_versions,
        all_versions=all_versions,
        header_default=p.default,
        positional=p.positional,
    )


# -- models ---------------------------------------------------------------------------


@dataclass
class Usage:
    """Where one model appears: operations by role (direct, or through other models)."""

    returned_by: list[str]
    streamed_by: list[str]
    listed_by: list[str]
    body_of: list[str]
    parents: list[str]
    in_responses_of: list[str]
    in_requests_of: list[str]

    @property
    def in_responses(self) -> bool:
        return bool(self.returned_by or self.streamed_by or self.listed_by or self.in_responses_of)


@dataclass(frozen=True)
class FieldLine:
    name: str
    words: str
    required: bool
    deprecated: bool = False


def model_docstring(
    usage: Usage,
    fields: list[FieldLine],
    *,
    bases: list[str],
    root: str | None = None,
) -> str:
    """A model's docstring text (module docstring). `root` is the value's type words for
    a RootModel (a value that is not an object)."""
    lines: list[str] = []
    if root is not None:
        lines.append(f"A value that is {root}.")
    for label, names in (
        ("Returned by", usage.returned_by),
        ("Streamed by", usage.streamed_by),
        ("Listed by", usage.listed_by),
        ("The request body of", usage.body_of),
    ):
        if names:
            lines.append(f"{label} {join_names(names)}.")
    if usage.parents:
        lines.append(f"Part of {join_names(usage.parents)}.")
    direct = set(usage.returned_by + usage.streamed_by + usage.listed_by)
    indirect = [n for n in usage.in_responses_of if n not in direct]
    if indirect:
        lines.append(f"In the responses of {join_names(indirect)}.")
    indirect = [n for n in usage.in_requests_of if n not in usage.body_of]
    if indirect:
        lines.append(f"In the requests of {join_names(indirect)}.")
    if bases:
        lines.append(
            f"Has the fields of {join_names(bases)}, and these:"
            if fields
            else f"Has the fields of {join_names(bases)}."
        )
    if not lines:
        lines.append("A model of spec/ that no operation names directly.")
    text = wrap(lines[0]) + ("\n\n" + wrap(" ".join(lines[1:])) if lines[1:] else "")
    if fields:
        sent = bool(usage.body_of or usage.in_requests_of)
        missing = "May be missing in responses." if usage.in_responses else "Optional." if sent else "May be missing."
        rows = []
        for f in fields:
            parts = [_sentence(f.words)]
            if not f.required:
                parts.append(missing)
            if f.deprecated:
                parts.append("Deprecated.")
            rows.append((f.name, " ".join(parts)))
        text += "\n\n" + section("Attributes", rows)
    return text + "\n"


# -- methods --------------------------------------------------------------------------

_TRAILER = (
    ("extra_headers", "Headers to send besides (and over) the SDK's own."),
    ("extra_query", "Query parameters to send besides these arguments."),
    ("extra_body", "Body fields to send besides (and over) these arguments: for fields spec/ does not have yet."),
    ("timeout", "Seconds, or an `httpx.Timeout`, for this call instead of the client's; `None` waits without limit."),
)
_RAISES = (
    (
        "UnsupportedByApiVersionError",
        "The client's api-version lacks this operation or an argument given (raised before sending).",
    ),
    ("APIStatusError", "The service answered with an error status (a subclass per status, e.g. `RateLimitError`)."),
    ("APIConnectionError", "No answer: the connection failed or timed out (`APITimeoutError`)."),
)


def _result_kind(part: str) -> str:
    if part.startswith("_models."):
        return f"`{part.removeprefix('_models.')}`"
    return {
        "str": "`str` (text)",
        "BinaryResponse": "the body as a `BinaryResponse` (`.content`, `.write_to_file(path)`, `.iter_bytes()`)",
        "None": "`None` (an answer without a body)",
        "Any": "the JSON answer as plain Python values",
    }.get(part, f"`{part}`")


def returns_phrase(op: Any, is_async: bool) -> str:
    """What a method gives back: a model, a page, a stream, bytes, text, or nothing."""
    if op.page_item is not None:
        item = "items" if op.page_item == "Any" else f"`{op.page_item.removeprefix('_models.')}`"
        if is_async:
            return f"An `AsyncPaginator` of {item}: `await` it for the first page, or `async for` over every item."
        return f"A `SyncPage` of {item}: iterating it goes through every page."
    parts = [_result_kind(p) for p in op.return_annotation.split(" | ")]
    if len(parts) == 2 and parts[1].startswith("`str`"):
        text = f"{parts[0]}, or `str` when the service answers with text (a non-JSON response format)"
    elif len(parts) == 2 and parts[1].startswith("`None`"):
        text = f"{parts[0]}, or `None` when the service answers without a body"
    else:
        text = join_words(parts)
    if op.stream_model:
        stream = "an `AsyncStream`" if is_async else "a `Stream`"
        text += f"; with `stream=True`, {stream} of `{op.stream_model}`"
    return text[0].upper() + text[1:] + "."


def _first_line(op: Any) -> str:
    where = " on a deployment" if op.deployment_scoped else ""
    return f"Calls `{op.method} {op.path}`{where}."


def method_docstring(op: Any, is_async: bool, all_versions: list[str]) -> str:
    """A generated method's docstring text (module docstring); `op` is an `_ir.Operation`."""
    about = []
    if op.deprecated:
        about.append("Deprecated by the service.")
    if op.deployment_scoped:
        about.append("The deployment is the client's `deployment_id`, else this call's `model`.")
    if V1 in op.versions and op.v1_path != op.path:
        about.append(f"On api-version v1: `{op.method} {op.v1_path}`.")
    about.append(f"Api-versions: {versions_phrase(op.versions, all_versions)}.")
    about.append(f"Azure's operation id: `{op.id}`.")
    args = []
    for p in op.params:
        if p.wire_name == "stream" and op.stream_model:
            continue
        args.append((p.py_name, p.doc))
    if op.stream_model:
        stream = "an `AsyncStream`" if is_async else "a `Stream`"
        args.append(
            ("stream", f"`True` for {stream} of `{op.stream_model}` (server-sent events) instead of one answer.")
        )
    args += list(_TRAILER)
    text = _first_line(op) + "\n\n" + wrap(" ".join(about))
    text += "\n\n" + section("Args", args)
    text += "\n\nReturns:\n" + wrap(returns_phrase(op, is_async), 4)
    text += "\n\n" + section("Raises", _RAISES)
    return text + "\n"


def resource_docstring(node: Any, is_async: bool) -> str:
    """A resource class's docstring: where it hangs on the client and what it holds
    (`node` is an `_ir.Resource`)."""
    text = f"`client.{'.'.join(node.path)}` of {'an `AsyncClient`' if is_async else 'a `Client`'}"
    methods = [op.method_name for op in node.operations]
    children = list(node.children)
    held = []
    if methods:
        held.append(f"{'method' if len(methods) == 1 else 'methods'} {join_names(methods, limit=len(methods))}")
    if children:
        held.append(f"{'group' if len(children) == 1 else 'groups'} {join_names(children, limit=len(children))}")
    return wrap(f"{text}: {' and '.join(held)}.") + "\n"


def docstring_literal(text: str) -> str:
    """`text` as the body of a triple-quoted docstring: backslashes and quotes escaped."""
    out = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return out[:-1] + '\\"' if out.endswith('"') else out
