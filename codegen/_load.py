"""Reading a published document: JSON or YAML, checked before anything uses it.

Every way a document can be unusable ends in one `SpecImportError` whose lines each
name the file, the place (line and column for syntax, a JSON pointer for structure) and
what to do, so `python -m codegen` can print them without a traceback:

    azure/inference.json: line 12, column 5: Expecting ',' delimiter; fix the JSON syntax there
    azure/inference.json at /paths/~1files/get/responses: missing; every operation needs responses

The structure check covers what the import relies on (paths, operations, parameters,
responses, schemas, local $refs), not the whole OpenAPI schema.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

from codegen._normalise import SpecImportError

__all__ = ["document_kind", "load_document", "pointer"]

JSON = Any
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_MAX_PROBLEMS = 20


class _Loader(yaml.SafeLoader):  # type: ignore[misc,unused-ignore]
    """YAML as JSON would read it: dates stay strings, only true/false are booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def pointer(*parts: object) -> str:
    """A JSON pointer (RFC 6901) to the place the parts name."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts) or "/"


def load_document(path: Path) -> JSON:
    """The document at `path`, parsed and checked (module docstring)."""
    doc = _parse(path, _read(path))
    problems = _check(doc)
    if problems:
        shown = [f"{path} at {where}: {what}" for where, what in problems[:_MAX_PROBLEMS]]
        if len(problems) > _MAX_PROBLEMS:
            shown.append(f"{path}: ... and {len(problems) - _MAX_PROBLEMS} more")
        raise SpecImportError("\n".join(shown))
    return doc


def _read(path: Path) -> str:
    if not path.exists():
        raise SpecImportError(f"{path}: no such file; give the path of a published OpenAPI or Swagger document")
    if path.is_dir():
        raise SpecImportError(f"{path}: is a folder; give the document inside it (e.g. {path}/inference.json)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpecImportError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecImportError(
            f"{path}: byte {exc.start} is not UTF-8; published documents are UTF-8 text (re-download it)"
        ) from None
    if not text.strip():
        raise SpecImportError(f"{path}: is empty; it should hold an OpenAPI 3 or Swagger 2.0 document")
    return text


def _parse(path: Path, text: str) -> JSON:
    if path.suffix.lower() == ".json" or (path.suffix.lower() not in (".yaml", ".yml") and text.lstrip()[:1] in "{["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecImportError(
                f"{path}: line {exc.lineno}, column {exc.colno}: {exc.msg}; fix the JSON syntax there"
            ) from None
    try:
        return _string_keys(yaml.load(text, Loader=_Loader))  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        what = exc.problem or exc.context or "not YAML"
        raise SpecImportError(f"{path}: {where}{what}; fix the YAML syntax there") from None
    except yaml.YAMLError as exc:
        raise SpecImportError(f"{path}: not YAML ({exc}); fix the YAML syntax") from None


def _string_keys(node: JSON) -> JSON:
    """YAML reads unquoted `200:` as an int; JSON keys are strings."""
    if isinstance(node, dict):
        return {str(k): _string_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_string_keys(v) for v in node]
    return node


def document_kind(doc: JSON) -> str:
    """ "swagger" (Swagger 2.0, the authoring documents) or "openapi" (3.0 / 3.1)."""
    return "swagger" if isinstance(doc, dict) and doc.get("swagger") == "2.0" else "openapi"


# ---- structure ---------------------------------------------------------------------------

Problem = tuple[str, str]


def _check(doc: JSON) -> list[Problem]:
    if not isinstance(doc, dict):
        return [("/", f"the document is a {_kind(doc)}, not an object; is this an OpenAPI document?")]
    problems: list[Problem] = []
    if "swagger" in doc:
        if doc["swagger"] != "2.0":
            problems.append((pointer("swagger"), f"{doc['swagger']!r} is not 2.0; only Swagger 2.0 is read"))
    elif "openapi" in doc:
        if not (isinstance(doc["openapi"], str) and re.fullmatch(r"3\.[01]\.\d+", doc["openapi"])):
            problems.append((pointer("openapi"), f"{doc['openapi']!r} is not 3.0.x or 3.1.x; convert the document"))
    else:
        return [("/", "neither `openapi` nor `swagger` is set; give an OpenAPI 3 or Swagger 2.0 document")]
    info = doc.get("info")
    if not isinstance(info, dict):
        problems.append((pointer("info"), "missing or not an object; the document needs info.version"))
    elif "version" in info and not isinstance(info["version"], str):
        problems.append((pointer("info", "version"), 'not a string; quote it ("2024-10-21")'))
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return [*problems, (pointer("paths"), "missing or not an object; the document declares no operations")]
    swagger = document_kind(doc) == "swagger"
    for path, item in paths.items():
        where = ("paths", path)
        if not path.startswith("/"):
            problems.append((pointer(*where), "a path must start with /"))
        if not isinstance(item, dict):
            problems.append((pointer(*where), f"a {_kind(item)}, not a path item object"))
            continue
        problems += _parameters(doc, item.get("parameters", []), (*where, "parameters"), swagger)
        for method in _METHODS:
            if method in item:
                problems += _operation(doc, item[method], (*where, method), swagger)
    container = doc.get("definitions") if swagger else (doc.get("components") or {}).get("schemas")
    if container is not None and not isinstance(container, dict):
        place = ("definitions",) if swagger else ("components", "schemas")
        problems.append((pointer(*place), f"a {_kind(container)}, not an object of schemas"))
    problems += _refs(doc, doc, ())
    return problems


def _operation(doc: JSON, op: JSON, where: tuple[str, ...], swagger: bool) -> list[Problem]:
    if not isinstance(op, dict):
        return [(pointer(*where), f"a {_kind(op)}, not an operation object")]
    problems = _parameters(doc, op.get("parameters", []), (*where, "parameters"), swagger)
    if "operationId" in op and not isinstance(op["operationId"], str):
        problems.append((pointer(*where, "operationId"), "not a string"))
    responses = op.get("responses")
    if not isinstance(responses, dict) or not responses:
        problems.append((pointer(*where, "responses"), "missing or empty; every operation needs its responses"))
    else:
        for status, response in responses.items():
            if not isinstance(response, dict):
                problems.append((pointer(*where, "responses", status), f"a {_kind(response)}, not a response object"))
    body = op.get("requestBody")
    if body is not None and (not isinstance(body, dict) or not isinstance(body.get("content", {}), dict)):
        problems.append((pointer(*where, "requestBody"), "not a request body object with `content`"))
    return problems


def _parameters(doc: JSON, params: JSON, where: tuple[str, ...], swagger: bool) -> list[Problem]:
    if not isinstance(params, list):
        return [(pointer(*where), f"a {_kind(params)}, not a list of parameters")]
    problems = []
    for i, p in enumerate(params):
        p = _target(doc, p) if isinstance(p, dict) and "$ref" in p else p
        if p is None:
            continue  # an unresolved $ref: reported by _refs
        if not isinstance(p, dict) or not isinstance(p.get("name"), str) or not isinstance(p.get("in"), str):
            problems.append((pointer(*where, i), "a parameter needs a `name` and an `in`"))
        elif swagger and p["in"] == "body" and not isinstance(p.get("schema"), dict):
            problems.append((pointer(*where, i), "a body parameter needs a `schema`"))
    return problems


_SCHEMA_REFS = ("#/components/schemas/", "#/definitions/")


def _refs(doc: JSON, node: JSON, where: tuple[Any, ...]) -> list[Problem]:
    """Local $refs that point nowhere (external ones are only allowed in x- extensions,
    which the import drops). A missing *schema* is left to the overlay, which may add it
    (`add_schemas`); the import checks every $ref again once the overlay is applied."""
    problems: list[Problem] = []
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref.startswith("#"):
                if _target(doc, node) is None and not ref.startswith(_SCHEMA_REFS):
                    problems.append((pointer(*where, "$ref"), f"{ref} points nowhere; fix or remove the reference"))
            elif not any(str(part).startswith("x-") for part in where):
                problems.append((pointer(*where, "$ref"), f"external reference {ref}; inline it into the document"))
        for key, value in node.items():
            if not str(key).startswith("x-"):
                problems += _refs(doc, value, (*where, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            problems += _refs(doc, value, (*where, i))
    return problems


def _target(doc: JSON, node: JSON) -> JSON:
    ref = node.get("$ref", "")
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    target = doc
    for part in ref[1:].lstrip("/").split("/") if ref != "#" else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and part in target:
            target = target[part]
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return None
    return target


def _kind(value: object) -> str:
    return {dict: "object", list: "list", str: "string", type(None): "null", bool: "boolean"}.get(type(value), "number")
