"""The generated docstrings: codegen/_phrasing.py's rules, a fixture spec's facts in the
output, and the real package read the way `help()` and the docs site read it."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import pydoc
import re
from pathlib import Path
from typing import Any

import pytest

from codegen.__main__ import main
from codegen._phrasing import (
    ParamFacts,
    join_names,
    limits,
    param_sentences,
    py_literal,
    type_words,
    versions_phrase,
)

VERSIONS = [
    "2023-05-15", "2024-02-01", "2024-10-21",
    "2024-02-15-preview", "2025-03-01-preview", "2025-04-01-preview",
    "v1",
]  # fmt: skip


def no_lookup(name: str) -> tuple[dict[str, Any] | None, str | None]:
    return None, None


# -- the rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("having", "words"),
    [
        (VERSIONS, "every api-version"),
        (["2024-10-21"], "2024-10-21 and later"),
        (["2024-02-01", "2024-10-21"], "2024-02-01 and later"),
        (["2023-05-15", "2024-02-01"], "2023-05-15 to 2024-02-01"),
        (["2024-02-01"], "2024-02-01"),
        (["2025-03-01-preview", "2025-04-01-preview"], "2025-03-01-preview and later previews"),
        (["2024-02-15-preview"], "2024-02-15-preview"),
        (["v1"], "v1"),
        (
            ["2024-10-21", "2024-02-15-preview", "2025-03-01-preview", "2025-04-01-preview", "v1"],
            "2024-10-21 and later, 2024-02-15-preview and later previews, v1",
        ),
        (["2023-05-15", "2024-10-21"], "2023-05-15, 2024-10-21 and later"),  # a gap: two runs
        ([], "no api-version"),
    ],
)
def test_versions_are_runs_within_a_channel(having: list[str], words: str) -> None:
    assert versions_phrase(having, VERSIONS) == words


def test_a_channel_of_one_version_is_not_open_ended() -> None:
    # With one stable version, "X and later" would promise what no document says.
    assert versions_phrase(["2024-10-21"], ["2024-10-21", "v1"]) == "2024-10-21"


@pytest.mark.parametrize(
    ("schema", "words"),
    [
        ({"type": "string"}, "str"),
        ({"type": ["number", "null"]}, "float or None"),
        ({"type": "string", "enum": ["low", "medium", "high"]}, '"low", "medium" or "high"'),
        ({"anyOf": [{"type": "string", "enum": ["stop"]}, {"type": "string"}]}, '"stop" or another str'),
        ({"type": "array", "items": {"type": "string"}}, "list of str"),
        ({"type": "array", "items": {"type": ["string", "integer"]}}, "list of (str or int)"),
        ({"type": "object", "additionalProperties": {"type": "integer"}}, "dict of str to int"),
        ({"type": "object"}, "dict"),
        ({"type": "string", "format": "binary"}, "file"),
        (
            {"oneOf": [{"type": "null"}, {"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "str, list of str or None",
        ),
        ({"const": True}, "True"),
        ({}, "any value"),
    ],
)
def test_type_words(schema: dict[str, Any], words: str) -> None:
    assert type_words(schema, no_lookup) == words


def test_a_model_is_named_and_a_folded_schema_is_described() -> None:
    schemas = {"Tool": {"type": "object"}, "Effort": {"type": "string", "enum": ["low", "high"]}}

    def lookup(name: str) -> tuple[dict[str, Any] | None, str | None]:
        return schemas.get(name), ("Tool" if name == "Tool" else None)

    schema = {"anyOf": [{"$ref": "#/components/schemas/Tool"}, {"$ref": "#/components/schemas/Effort"}]}
    assert type_words(schema, lookup) == '`Tool`, "low" or "high"'


@pytest.mark.parametrize(
    ("schema", "sentences"),
    [
        ({"type": "number", "minimum": 0, "maximum": 2}, ["From 0 to 2."]),
        ({"type": "integer", "minimum": 256}, ["At least 256."]),
        ({"type": "number", "exclusiveMinimum": 0}, ["Greater than 0."]),
        ({"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}, ["Any 64-bit integer."]),
        ({"type": "string", "maxLength": 4096}, ["At most 4096 characters."]),
        (
            {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[a-z]+$"},
            ["1 to 64 characters.", "Matches `^[a-z]+$`."],
        ),
        ({"type": "array", "minItems": 1}, ["At least 1 item."]),
        (
            {"type": "array", "maxItems": 4, "items": {"type": "string", "maxLength": 8}},
            ["At most 4 items.", "Each item: at most 8 characters."],
        ),
        (
            {
                "oneOf": [
                    {"type": "string"},
                    {"type": "array", "minItems": 1, "maxItems": 4, "items": {"type": "string", "minLength": 1}},
                ]
            },
            ["As a list: 1 to 4 items.", "As a list, each item: at least 1 character."],
        ),
        ({"type": "string"}, []),
    ],
)
def test_limits(schema: dict[str, Any], sentences: list[str]) -> None:
    assert limits(schema, lambda name: None) == sentences


def test_limits_behind_a_ref_are_the_values_own_but_not_a_models() -> None:
    doc = {"n": {"type": "integer", "maximum": 10}, "m": {"type": "object", "properties": {}, "maxProperties": 3}}
    assert limits({"$ref": "#/components/schemas/n"}, doc.get) == ["At most 10."]
    assert limits({"$ref": "#/components/schemas/m"}, doc.get) == []


def test_a_parameter_line() -> None:
    common: dict[str, Any] = dict(op_versions=VERSIONS, all_versions=VERSIONS, header_default=None, positional=False)
    line = param_sentences(
        words="float or None",
        facts=ParamFacts(limits=("From 0 to 2.",), default="1", deprecated=True),
        location="body",
        wire_name="temperature",
        py_name="temperature",
        required=False,
        required_in=["2023-05-15"],
        versions=["2023-05-15", "2024-02-01", "2024-10-21"],
        **common,
    )
    assert line == (
        "float or None. Required in 2023-05-15. From 0 to 2. Service default: 1. Deprecated. "
        "Only in 2023-05-15 and later."
    )
    query = param_sentences(
        words="int",
        facts=ParamFacts(),
        location="query",
        wire_name="include[]",
        py_name="include",
        required=True,
        required_in=VERSIONS,
        versions=VERSIONS,
        **common,
    )
    assert query == "int. Required. Sent in the query string as `include[]`."


def test_names_are_cut_and_literals_are_pythons() -> None:
    assert join_names(["a"]) == "`a`"
    assert join_names(["a", "b", "a"]) == "`a` and `b`"
    assert join_names(list("abcdefgh"), limit=3) == "`a`, `b`, `c` and 5 more"
    assert [py_literal(v) for v in ("x", True, None, 2.0, 0.25, 3)] == ['"x"', "True", "None", "2", "0.25", "3"]


# -- a fixture spec, generated ------------------------------------------------------------


def _op(name: str, body: str, response: str) -> dict[str, Any]:
    return {
        "post": {
            "operationId": name.title(),
            "x-azgate-name": name,
            "x-azgate-source": "inference",
            "parameters": [{"name": "deployment-id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
            },
            "responses": {
                "200": {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{response}"}}}}
            },
        }
    }


def _doc(version: str, *, with_effort: bool) -> dict[str, Any]:
    request: dict[str, Any] = {
        "type": "object",
        "properties": {
            "prompt": {"type": "string", "minLength": 1, "maxLength": 100},
            "temperature": {"type": "number", "minimum": 0, "maximum": 2, "default": 1},
            "legacy": {"type": "string", "deprecated": True},
        },
        "required": ["prompt"],
    }
    if with_effort:
        request["properties"]["effort"] = {"type": "string", "enum": ["low", "high"], "default": "low"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": version},
        "paths": {"/deployments/{deployment-id}/widgets": _op("widgets.create", "widgetRequest", "widget")},
        "components": {
            "schemas": {
                "widgetRequest": request,
                "widget": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "finish": {"type": "string", "enum": ["stop", "length"]},
                        "part": {"$ref": "#/components/schemas/widgetPart"},
                    },
                    "required": ["id"],
                },
                "widgetPart": {"type": "object", "properties": {"size": {"type": "integer"}}},
            }
        },
    }


@pytest.fixture(scope="module")
def fixture_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docstrings")
    spec = root / "spec"
    spec.mkdir()
    for version, effort in (("2024-02-01", False), ("2024-10-21", True)):
        (spec / f"{version}.json").write_text(json.dumps(_doc(version, with_effort=effort)))
    out = root / "generated"
    assert main(["generate", "--spec-dir", str(spec), "--out", str(out)]) == 0
    return out


def _docstrings(path: Path) -> dict[str, str]:
    """Qualified name -> docstring of every class and function in a generated module."""
    found: dict[str, str] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                doc = ast.get_docstring(child)
                if doc is not None:
                    found[name] = doc
                walk(child, name + ".")

    walk(ast.parse(path.read_text()), "")
    return found


def test_a_methods_docstring_states_the_specs_facts(fixture_out: Path) -> None:
    doc = _docstrings(fixture_out / "resources" / "widgets.py")["Widgets.create"]
    assert doc.startswith("Calls `POST /deployments/{deployment-id}/widgets` on a deployment.")
    assert "Api-versions: every api-version." in " ".join(doc.split())
    args = doc[doc.index("Args:") : doc.index("Returns:")]
    assert "prompt: str. Required. 1 to 100 characters." in args
    assert "temperature: float. From 0 to 2. Service default: 1." in args
    assert 'effort: "low" or "high". Service default: "low". Only in 2024-10-21 and later.' in args
    assert "legacy: str. Deprecated." in args
    assert "Returns:\n    `Widget`." in doc
    assert "Calls `POST" in _docstrings(fixture_out / "resources" / "widgets.py")["AsyncWidgets.create"]


def test_a_models_docstring_says_who_returns_it_and_what_its_fields_are(fixture_out: Path) -> None:
    docs = {k: v for p in sorted((fixture_out / "models").glob("*.py")) for k, v in _docstrings(p).items()}
    assert docs["Widget"].splitlines()[0] == "Returned by `widgets.create`."
    assert "    id: str.\n" in docs["Widget"]
    assert '    finish: "stop", "length" or another str. May be missing in responses.' in docs["Widget"]
    assert "    part: `WidgetPart`. May be missing in responses." in docs["Widget"]
    assert docs["WidgetPart"].splitlines()[0] == "Part of `Widget`."
    assert "In the responses of `widgets.create`." in docs["WidgetPart"]
    assert docs["WidgetRequest"].splitlines()[0] == "The request body of `widgets.create`."
    assert "    temperature: float. Optional." in docs["WidgetRequest"]  # a model only ever sent


# -- the real package ---------------------------------------------------------------------


def _public_methods() -> list[tuple[str, Any]]:
    from azgate.generated import resources

    found = []
    for info in pkgutil.iter_modules(resources.__path__):
        module = importlib.import_module(f"azgate.generated.resources.{info.name}")
        for cls_name in module.__all__:
            cls = getattr(module, cls_name)
            for name, member in vars(cls).items():
                if not name.startswith("_") and inspect.isfunction(member):
                    found.append((f"{cls_name}.{name}", member))
    return found


def test_every_generated_method_and_model_has_a_docstring_whose_args_match_its_signature() -> None:
    from azgate.generated import models

    methods = _public_methods()
    assert len(methods) > 200
    for qualname, function in methods:
        doc = inspect.getdoc(function)
        assert doc and doc.startswith("Calls `"), qualname
        documented = re.findall(r"^    (\w+):(?: |$)", doc[doc.index("Args:") : doc.index("Returns:")], re.M)
        assert documented == [p for p in inspect.signature(function).parameters if p != "self"], qualname
    classes = [getattr(models, name) for name in models.__all__]
    assert len(classes) > 500
    assert not [c.__name__ for c in classes if not c.__doc__ or c.__doc__.startswith("Usage docs")]


def test_every_model_a_docstring_names_exists() -> None:
    """A name in backticks that looks like a class is one of the models (or the runtime's)."""
    from azgate.generated import models

    runtime = {"Stream", "AsyncStream", "SyncPage", "AsyncPaginator", "BinaryResponse", "UnsupportedByApiVersionError",
               "APIStatusError", "APIConnectionError", "APITimeoutError", "RateLimitError", "Client", "AsyncClient",
               "None", "True"}  # fmt: skip
    texts = [inspect.getdoc(f) or "" for _, f in _public_methods()]
    texts += [getattr(models, name).__doc__ or "" for name in models.__all__]
    named = {n for text in texts for n in re.findall(r"`([A-Z][A-Za-z0-9]+)`", text)}
    missing = sorted(n for n in named if n not in runtime and not hasattr(models, n))
    assert not missing


def test_help_on_chat_completions_create_reads_well() -> None:
    from azgate import Client

    client = Client(api_key="k", azure_endpoint="https://example.openai.azure.com", api_version="2024-10-21")
    text = " ".join(pydoc.render_doc(client.chat.completions.create, renderer=pydoc.plaintext).split())
    for fact in (
        "Calls `POST /deployments/{deployment-id}/chat/completions` on a deployment.",
        "temperature: float or None. From 0 to 2. Service default: 1.",
        "messages: list of (",
        "Required. At least 1 item.",
        "reasoning_effort: ",
        "Only in 2025-03-01-preview and later previews.",
        "with `stream=True`, a `Stream` of `CreateChatCompletionStreamResponse`",
        "UnsupportedByApiVersionError: ",
    ):
        assert fact in text, fact
    # No line of the docstring runs past what a terminal shows comfortably.
    doc = inspect.getdoc(client.chat.completions.create) or ""
    assert max(len(line) for line in doc.splitlines()) <= 104
