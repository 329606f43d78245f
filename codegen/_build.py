"""From the spec documents of every api-version to the generator's typed picture (_ir).

One operation is one SDK name (`x-azgate-name`, given by the overlay by method and path,
or derived from the path), whatever the documents call it: its row keeps the first
operationId seen (oldest version first), so a renamed id in a newer document changes no
row. Path parameters are matched by position: a document that spells `{file-id}` as
`{file_id}` (the v1 API) fills the same parameter.

Each row carries two paths: `path` (under /openai, the dated api-versions) and `v1_path`
(under /openai/v1, and OpenAI's /v1): the v1 document's path where it has the operation,
else `path` without its /deployments/{deployment-id} prefix (both APIs take the
deployment as the body's `model`). An operation only the v1 document has uses its v1
path for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._consistency import tree_clashes
from ._ir import Operation, Param, Resource
from ._naming import class_name, identifier, operation_key, path_parameters, without_deployment
from ._normalise import SpecImportError
from ._phrasing import param_doc
from ._pytypes import annotation, is_model
from ._spec import V1, Document, operations, properties, ref_name
from ._union import BodyNames, hoist_bodies, request_schema

__all__ = ["build_operations", "build_resources"]

DEPLOYMENT_PARAM = "deployment-id"
_BINARY_TYPES = ("application/octet-stream", "audio/")


@dataclass
class _Seen:
    """What the versions that have one operation say about it, merged."""

    id: str
    key: str
    path: str | None
    method: str
    sdk_name: str
    v1_path: str | None = None
    versions: list[str] = field(default_factory=list)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    request_content_type: str | None = None
    response_content_types: list[str] = field(default_factory=list)
    stream_model: str | None = None
    stream_event_names: bool = False
    stream_end: tuple[str, list[str]] | None = None
    deprecated: bool = False
    no_content: bool = False


def _collect(docs: dict[str, Document], names: BodyNames) -> dict[str, _Seen]:
    seen: dict[str, _Seen] = {}
    problems: list[str] = []
    for version, doc in docs.items():
        hoisted = hoist_bodies(doc, names)
        for path, method, op in operations(hoisted):
            op_id = op["operationId"]
            sdk_name = op.get("x-azgate-name")
            if not sdk_name:
                problems.append(
                    f"{version} {method} {path}: {op_id} has no x-azgate-name (run python -m codegen import)"
                )
                continue
            key = operation_key(method, path)
            entry = seen.setdefault(sdk_name, _Seen(op_id, key, None, method, sdk_name))
            if entry.key != key:
                problems.append(
                    f"{sdk_name} names both {entry.method} {entry.path or entry.v1_path} and {version} {method} {path}; "
                    "give one another x-azgate-name in spec/overlay.yaml"
                )
                continue
            renamed = _path_names(path, entry.path or entry.v1_path or path)
            path = _rename_path(path, renamed)
            if version == V1:
                entry.v1_path = path
            elif entry.path is None:
                entry.path = path
            entry.versions.append(version)
            entry.deprecated = bool(op.get("deprecated"))
            if op.get("x-azgate-stream"):
                entry.stream_model = class_name(op["x-azgate-stream"])
                entry.stream_event_names = bool(op.get("x-azgate-stream-event-names"))
                entry.stream_end = _stream_end(op.get("x-azgate-stream-end"), f"{version} {method} {path}")
            for p in op.get("parameters", []):
                if p["name"] == DEPLOYMENT_PARAM:
                    continue
                name = renamed.get(p["name"], p["name"]) if p["in"] == "path" else p["name"]
                _note(entry, name, p["in"], p.get("schema", {}), version, bool(p.get("required")), hoisted)
            content = op.get("requestBody", {}).get("content", {})
            if content:
                entry.request_content_type = next(iter(content))
                body = request_schema(op)
                if body is not None:
                    location = "form" if entry.request_content_type == "multipart/form-data" else "body"
                    props, required = properties(hoisted, body)
                    for prop, schema in props.items():
                        _note(entry, prop, location, schema, version, prop in required, hoisted)
            for status, response in op.get("responses", {}).items():
                if status.startswith("2"):
                    if not response.get("content"):
                        entry.no_content = True  # e.g. a 204 in some versions
                    for media_type in response.get("content", {}):
                        if media_type not in entry.response_content_types:
                            entry.response_content_types.append(media_type)
    if problems:
        raise SpecImportError("\n".join(problems))
    for entry in seen.values():
        if entry.path is None:  # only the v1 document has it
            entry.path = entry.v1_path
        elif entry.v1_path is None:
            entry.v1_path = without_deployment(entry.path)
    return seen


def _path_names(path: str, established: str) -> dict[str, str]:
    """This document's path parameter names -> the row's, matched by position (the
    deployment, which only dated paths have, is not one of them)."""
    ours = [n for n in path_parameters(path) if n != DEPLOYMENT_PARAM]
    theirs = [n for n in path_parameters(established) if n != DEPLOYMENT_PARAM]
    return {a: b for a, b in zip(ours, theirs, strict=True) if a != b}


def _rename_path(path: str, renamed: dict[str, str]) -> str:
    for old, new in renamed.items():
        path = path.replace("{" + old + "}", "{" + new + "}")
    return path


def _note(entry: _Seen, name: str, location: str, schema: Any, version: str, required: bool, doc: Document) -> None:
    slot = entry.params.setdefault(name, {"location": location, "versions": [], "required_in": []})
    if version != V1 or "schema" not in slot:
        # The newest dated version's schema is the one shown; v1's only where no dated
        # document declares the parameter (it is often looser: `purpose` is a string there).
        slot["location"] = location
        slot["schema"] = schema
        slot["doc"] = doc  # what its $refs point into, for the docstring's limits
    slot["versions"].append(version)
    if required:
        slot["required_in"].append(version)


def _result(response_model: str | None, content_types: list[str], no_content: bool) -> tuple[str, str]:
    """What a method returns: its annotation, and the `cast_to` the runtime parses by
    (one kind, or a tuple of the kinds the operation can answer with)."""
    texts = any(t.startswith("text/") and t != "text/event-stream" for t in content_types)
    binary = any(t.startswith(_BINARY_TYPES) for t in content_types)
    kinds: list[tuple[str, str]] = []  # (annotation, runtime kind)
    if response_model is not None:
        kinds.append((f"_models.{response_model}",) * 2)
        if texts:
            kinds.append(("str", "str"))
    elif binary:
        kinds.append(("BinaryResponse", "BinaryResponse"))
    elif texts:
        kinds.append(("str", "str"))
    elif content_types:
        kinds.append(("Any", "object"))  # JSON without a schema
    if no_content or not kinds:
        kinds.append(("None", "NoneType"))
    if len(kinds) > 2:
        raise ValueError(f"a response of {len(kinds)} kinds {kinds}: the runtime's _request overloads take two")
    annotation = " | ".join(a for a, _ in kinds)
    cast_to = kinds[0][1] if len(kinds) == 1 else "(" + ", ".join(k for _, k in kinds) + ")"
    return annotation, cast_to


def _constant(schema: Any) -> str | None:
    """The one value a schema allows (`{type: string, enum: [preview]}`), if so."""
    values = schema.get("enum") if isinstance(schema, dict) else None
    return values[0] if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str) else None


def _is_binary(schema: Any) -> bool:
    """A file upload: binary, or a list or a choice of binaries (images.edit takes several)."""
    if not isinstance(schema, dict):
        return False
    if schema.get("format") == "binary":
        return True
    variants = schema.get("oneOf", []) + schema.get("anyOf", [])
    return any(_is_binary(v) for v in variants) or (schema.get("type") == "array" and _is_binary(schema.get("items")))


def _page_item(method: str, response_model: str | None, schemas: dict[str, Any]) -> str | None:
    """For a list operation (a GET answering a `data` array), the items' class."""
    if method != "GET" or response_model is None:
        return None
    data = schemas.get(response_model, {}).get("properties", {}).get("data")
    if not isinstance(data, dict) or data.get("type") != "array":
        return None
    item = ref_name(data.get("items"))
    # A union of item kinds is collapsed into its users by the model generator: no class.
    return f"_models.{item}" if item and is_model(schemas.get(item, {})) else "Any"


def build_operations(docs: dict[str, Document], names: BodyNames, schemas: dict[str, Any]) -> list[Operation]:
    union_doc = {"components": {"schemas": schemas}}
    result = []
    for sdk_name, seen in _collect(docs, names).items():
        slot = names.get(sdk_name, {})
        request_model = class_name(slot["request"]) if "request" in slot else None
        response_model = class_name(slot["response"]) if "response" in slot else None
        union_props = (
            properties(union_doc, {"$ref": f"#/components/schemas/{request_model}"})[0] if request_model else {}
        )
        assert seen.path is not None and seen.v1_path is not None  # _collect fills both
        deployment_scoped = "{" + DEPLOYMENT_PARAM + "}" in seen.path
        if deployment_scoped:
            # Every version takes the deployment per call as `model`, as openai-python users
            # write it (it also names the deployment on the v1 API).
            model = seen.params.setdefault("model", {"location": "body", "schema": {"type": "string"}})
            model.update(versions=list(seen.versions), required_in=[])
        params = []
        shown: dict[str, Any] = {}  # wire name -> the schema its annotation comes from
        for wire_name, info in seen.params.items():
            schema = (
                union_props.get(wire_name, info["schema"]) if info["location"] in ("body", "form") else info["schema"]
            )
            shown[wire_name] = schema
            is_file = _is_binary(schema)
            default = _constant(schema) if info["location"] == "header" and info["required_in"] else None
            params.append(
                Param(
                    wire_name=wire_name,
                    py_name=identifier(wire_name),
                    location=info["location"],
                    annotation=annotation(schema, schemas),
                    versions=info["versions"],
                    required_in=info["required_in"],
                    required=default is None and set(info["required_in"]) >= set(seen.versions),
                    is_file=is_file,
                    default=default,
                )
            )
        py_names = [p.py_name for p in params]
        if len(set(py_names)) != len(py_names):
            raise SpecImportError(f"{sdk_name}: two parameters share a Python name: {sorted(py_names)}")
        params.sort(key=lambda p: not p.required)  # required first, otherwise in spec order
        path_params = [p for p in params if p.location == "path"]
        if path_params:
            # As openai-python: the innermost id is positional too (`files.retrieve("file-abc")`,
            # `runs.retrieve(run_id, thread_id=...)`); the ids of its parents stay keyword-only.
            innermost = max(path_params, key=lambda p: seen.path.index("{" + p.wire_name + "}"))
            innermost.positional = True
            params.remove(innermost)
            params.insert(0, innermost)
        for p in params:
            info = seen.params[p.wire_name]
            p.doc = param_doc(
                p,
                shown=shown[p.wire_name],
                spec=(info["schema"], info.get("doc")),
                schemas=schemas,
                op_versions=seen.versions,
                all_versions=list(docs),
                names_deployment=deployment_scoped and p.wire_name == "model",
            )
        returns, cast_to = _result(response_model, seen.response_content_types, seen.no_content)
        result.append(
            Operation(
                id=seen.id,
                sdk_name=seen.sdk_name,
                method=seen.method,
                path=seen.path,
                v1_path=seen.v1_path,
                deployment_scoped=deployment_scoped,
                versions=seen.versions,
                request_content_type=seen.request_content_type,
                response_content_types=seen.response_content_types,
                params=params,
                request_model=request_model,
                response_model=response_model,
                stream_model=seen.stream_model,
                stream_event_names=seen.stream_event_names,
                stream_end=seen.stream_end,
                stream_item=_stream_item(seen.stream_model, schemas),
                stream_item_union=_stream_item_union(seen.stream_model, schemas),
                return_annotation=returns,
                cast_to=cast_to,
                page_item=_page_item(seen.method, response_model, schemas),
                deprecated=seen.deprecated,
            )
        )
    ids: dict[str, str] = {}
    for op in result:
        if ids.setdefault(op.id, op.sdk_name) != op.sdk_name:
            raise SpecImportError(f"{ids[op.id]} and {op.sdk_name} both have the operationId {op.id}")
    clashes = [
        f"{method} is a method, but {resource} makes it a resource"
        for method, resource in tree_clashes(op.sdk_name for op in result)
    ]
    if clashes:
        raise SpecImportError("; ".join(clashes) + ": rename one in spec/overlay.yaml")
    return sorted(result, key=lambda op: op.sdk_name)


def _stream_item(stream_model: str | None, schemas: dict[str, Any]) -> str:
    """What one event of the stream is, for the methods' annotations: the stream model, or
    for a union of event schemas the module's alias of its members (`ResponseStreamEventMember`),
    since the runtime yields the member itself, never the union's RootModel."""
    if stream_model is None:
        return ""
    if _stream_item_union(stream_model, schemas):
        return f"{class_name(stream_model)}Member"
    return f"_models.{class_name(stream_model)}"


def _stream_item_union(stream_model: str | None, schemas: dict[str, Any]) -> str:
    """The members of a union stream model as one annotation ("" when it is not a union)."""
    if stream_model is None:
        return ""
    leaves = _union_leaves(stream_model, schemas)
    if leaves == [stream_model]:
        return ""
    return " | ".join(f"_models.{class_name(name)}" for name in leaves)


def _union_leaves(name: str, schemas: dict[str, Any]) -> list[str]:
    """The schemas a union schema stands for, nested unions flattened, in order; [name] for
    a schema that is not a union of schemas."""
    schema = schemas.get(name)
    variants = (schema.get("oneOf") or schema.get("anyOf")) if isinstance(schema, dict) else None
    refs = [ref_name(v) for v in variants] if isinstance(variants, list) else []
    if not refs or None in refs:
        return [name]
    leaves: list[str] = []
    for ref in refs:
        assert ref is not None
        leaves += [leaf for leaf in _union_leaves(ref, schemas) if leaf not in leaves]
    return leaves


def _stream_end(value: Any, where: str) -> tuple[str, list[str]] | None:
    """`x-azgate-stream-end: {field: [values]}` as (field, sorted values)."""
    if value is None:
        return None
    if not (isinstance(value, dict) and len(value) == 1):
        raise SpecImportError(f"{where}: x-azgate-stream-end must be one field and its values, e.g. {{type: [done]}}")
    (field_name, values), *_ = value.items()
    return str(field_name), sorted(str(v) for v in values)


def build_resources(ops: list[Operation]) -> dict[str, Resource]:
    """The client tree, by top-level attribute (chat, files, ...)."""
    roots: dict[str, Resource] = {}
    for op in ops:
        *path, _ = op.sdk_name.split(".")
        node = roots.setdefault(path[0], Resource((path[0],)))
        for depth in range(1, len(path)):
            node = node.children.setdefault(path[depth], Resource(tuple(path[: depth + 1])))
        node.operations.append(op)
    return dict(sorted(roots.items()))


def response_roots(docs: dict[str, Document]) -> set[str]:
    """Schema keys a response can carry: the roots whose enums must stay open."""
    roots: set[str] = set()
    for doc in docs.values():
        for _, _, op in operations(doc):
            if op.get("x-azgate-stream"):
                roots.add(op["x-azgate-stream"])
            for response in op.get("responses", {}).values():
                for media in response.get("content", {}).values():
                    name = ref_name(media.get("schema"))
                    if name:
                        roots.add(name)
    return roots
