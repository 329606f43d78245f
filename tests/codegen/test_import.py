"""Tests of `python -m codegen import` / `import-all` (codegen/_import.py and friends)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from codegen import _import, _normalise
from codegen.__main__ import main
from codegen._consistency import dangling_refs

REPO = Path(__file__).parents[2]
PUBLISHED = REPO / ".." / "shared" / "azure-specs"

OVERLAY = {
    "operations": {
        "POST /deployments/{deployment-id}/chat/completions": {
            "x-azgate-name": "chat.completions.create",
            "x-azgate-stream": "chunk",
        },
        "POST /files": {"x-azgate-name": "files.create"},
    },
    "schemas": {"chunk": {"patch": {"properties": {"finish_reason": {"type": ["string", "null"]}}}}},
}


def inference_doc(**schemas: Any) -> dict[str, Any]:
    """A small OpenAPI 3.0 inference document with one chat operation."""
    return {
        "openapi": "3.0.0",
        "info": {"title": "Published title", "version": "2099-01-01-preview"},
        "servers": [{"url": "https://{endpoint}/openai"}],
        "paths": {
            "/deployments/{deployment-id}/chat/completions": {
                "post": {
                    "operationId": "Chat_Create",
                    "summary": "Published summary.",
                    "parameters": [
                        {"name": "deployment-id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "api-version", "in": "query", "required": True, "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/request"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "OK",
                            "headers": {"apim-request-id": {"description": "id", "schema": {"type": "string"}}},
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "oneOf": [
                                            {"$ref": "#/components/schemas/response"},
                                            {"$ref": "#/components/schemas/chunk"},
                                        ]
                                    }
                                }
                            },
                        },
                        "default": {
                            "description": "Error",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/error"}}},
                        },
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "request": {"type": "object", "properties": {"stream": {"type": "boolean", "nullable": True}}},
                "response": {"type": "object", "properties": {"id": {"type": "string"}}},
                "chunk": {"type": "object", "properties": {"finish_reason": {"type": "string"}}},
                "error": {"type": "object", "properties": {"code": {"type": "string"}}},
                **schemas,
            }
        },
    }


def authoring_doc() -> dict[str, Any]:
    """A small Swagger 2.0 authoring document: a multipart upload and an `Error` schema."""
    return {
        "swagger": "2.0",
        "info": {"title": "Published", "version": "2099-02-01-preview"},
        "x-ms-parameterized-host": {"hostTemplate": "{endpoint}/openai", "parameters": [{"$ref": "#/parameters/ep"}]},
        "parameters": {
            "ep": {"in": "path", "name": "endpoint", "required": True, "type": "string"},
            "apiVersion": {"in": "query", "name": "api-version", "required": True, "type": "string"},
        },
        "paths": {
            "/files": {
                "post": {
                    "operationId": "Files_Upload",
                    "consumes": ["multipart/form-data"],
                    "produces": ["application/json"],
                    "parameters": [
                        {"$ref": "#/parameters/apiVersion"},
                        {"in": "formData", "name": "purpose", "required": True, "type": "string", "description": "d"},
                        {"in": "formData", "name": "file", "required": True, "type": "file"},
                        {"in": "formData", "name": "expires_after.seconds", "type": "integer"},
                    ],
                    "responses": {
                        "201": {"description": "Created", "schema": {"$ref": "#/definitions/File"}},
                        "default": {"description": "Error", "schema": {"$ref": "#/definitions/Error"}},
                    },
                }
            }
        },
        "definitions": {
            "File": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "bytes": {"type": "integer", "x-nullable": True},
                },
            },
            "Error": {"type": "object", "properties": {"code": {"type": "string"}, "target": {"type": "string"}}},
        },
    }


def write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    d = tmp_path / "spec"
    d.mkdir()
    (d / "overlay.yaml").write_text(yaml.safe_dump(OVERLAY), encoding="utf-8")
    return d


def run_import(doc_path: Path, spec_dir: Path, version: str = "2099-01-01-preview") -> Any:
    assert main(["import", str(doc_path), "--api-version", version, "--spec-dir", str(spec_dir)]) == 0
    return json.loads((spec_dir / f"{version}.json").read_text(encoding="utf-8"))


# ---- pairing -------------------------------------------------------------------------

AUTHORING = ["2024-03-01-preview", "2024-10-21", "2025-04-01-preview"]


@pytest.mark.parametrize(
    ("inference", "expected"),
    [
        ("2023-05-15", None),
        ("2023-12-01-preview", "2024-03-01-preview"),
        ("2024-02-01", None),
        ("2024-02-15-preview", "2024-03-01-preview"),
        ("2024-06-01", None),
        ("2024-10-21", "2024-10-21"),
        ("2025-03-01-preview", "2025-04-01-preview"),
        ("2025-04-01-preview", "2025-04-01-preview"),
    ],
)
def test_pairing_rule_on_the_published_versions(inference: str, expected: str | None) -> None:
    assert _import.pair_authoring(inference, AUTHORING) == expected


def test_pairing_tie_goes_to_the_earlier_preview_and_stable_authoring_is_not_borrowed() -> None:
    previews = ["2024-06-05-preview", "2024-06-25-preview", "2024-06-15"]
    assert _import.pair_authoring("2024-06-15-preview", previews) == "2024-06-05-preview"
    assert _import.pair_authoring("2024-06-16-preview", ["2024-06-15"]) is None


# ---- schema normalisation ----------------------------------------------------------------


def test_nullable_becomes_a_null_type_or_an_anyof_wrapper() -> None:
    assert _normalise.schema({"type": "string", "enum": ["a", "b"], "nullable": True}) == {
        "type": ["string", "null"],
        "enum": ["a", "b", None],
    }
    assert _normalise.schema({"type": "integer", "x-nullable": True}) == {"type": ["integer", "null"]}
    wrapped = _normalise.schema({"$ref": "#/definitions/X", "nullable": True, "default": None, "description": "d"})
    assert wrapped == {"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}], "default": None}
    assert _normalise.schema({"enum": ["a"], "nullable": True}) == {"anyOf": [{"enum": ["a"]}, {"type": "null"}]}
    validator = jsonschema.Draft202012Validator(_normalise.schema({"type": "string", "enum": ["a"], "nullable": True}))
    assert validator.is_valid(None) and validator.is_valid("a") and not validator.is_valid("b")


def test_prose_is_stripped_but_properties_named_like_keywords_are_kept() -> None:
    published = {
        "type": "object",
        "title": "Thing",
        "description": "Prose.",
        "example": {"description": "x"},
        "x-ms-enum": {"name": "E"},
        "properties": {
            "description": {"type": "string", "description": "The description."},
            "title": {"type": "string", "title": "t"},
            "example": {"type": "integer", "example": 3},
            "include": {"type": "array", "description": {"$ref": "#/components/schemas/includable/description"}},
        },
    }
    assert _normalise.schema(published) == {
        "type": "object",
        "properties": {
            "description": {"type": "string"},
            "title": {"type": "string"},
            "example": {"type": "integer"},
            "include": {"type": "array"},
        },
    }


def test_recursive_ref_points_at_the_schema_holding_the_anchor() -> None:
    out = _normalise.components(
        {
            "CompoundFilter": {
                "$recursiveAnchor": True,
                "type": "object",
                "properties": {"filters": {"type": "array", "items": {"oneOf": [{"$recursiveRef": "#"}]}}},
            }
        }
    )
    assert out == {
        "CompoundFilter": {
            "type": "object",
            "properties": {
                "filters": {"type": "array", "items": {"oneOf": [{"$ref": "#/components/schemas/CompoundFilter"}]}}
            },
        }
    }


def test_invalid_defaults_required_lists_and_discriminators_are_dropped() -> None:
    assert _normalise.schema({"type": "integer", "default": "inf"}) == {"type": "integer"}
    assert _normalise.schema({"type": "array", "default": "eval"}) == {"type": "array"}
    assert _normalise.schema({"type": "string", "required": ["a"]}) == {"type": "string"}
    schemas = {
        "base": {"type": "object", "properties": {"kind": {"type": "string"}}, "discriminator": "kind"},
        "child": {
            "allOf": [{"$ref": "#/components/schemas/base"}, {"properties": {"x": {}}, "required": ["kind", "x", "y"]}]
        },
        "u": {"oneOf": [{"$ref": "#/components/schemas/child"}], "discriminator": {"propertyName": "kind"}},
    }
    _normalise.fix_half(schemas, {})
    assert "discriminator" not in schemas["base"] and "discriminator" not in schemas["u"]
    assert schemas["child"]["allOf"][1]["required"] == ["kind", "x"]  # `kind` comes from the base


def test_operation_id_is_synthesised_when_missing() -> None:
    assert _normalise._synth_operation_id("post", "/responses") == "Responses_Create"
    assert _normalise._synth_operation_id("get", "/responses/{response_id}") == "Responses_Get"
    assert _normalise._synth_operation_id("get", "/responses/{id}/input_items") == "Responses_ListInputItems"


# ---- import command ------------------------------------------------------------------


def test_inference_import_writes_the_normalised_format(tmp_path: Path, spec_dir: Path) -> None:
    doc = run_import(write(tmp_path / "inf.json", inference_doc()), spec_dir)
    assert list(doc) == ["openapi", "info", "paths", "components", "x-azgate-schema-sources"]
    assert doc["info"] == {
        "title": "Azure OpenAI (azgate)",
        "version": "2099-01-01-preview",
        "x-azgate-sources": {"inference": "2099-01-01-preview"},
    }
    op = doc["paths"]["/deployments/{deployment-id}/chat/completions"]["post"]
    assert op["parameters"] == [{"name": "deployment-id", "in": "path", "required": True, "schema": {"type": "string"}}]
    assert op["x-azgate-source"] == "inference" and op["x-azgate-name"] == "chat.completions.create"
    # The stream chunk is reached through x-azgate-stream, not through the JSON body union.
    assert op["responses"]["200"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/response"}}},
        "headers": {"apim-request-id": {"schema": {"type": "string"}}},
    }
    assert "summary" not in op
    assert doc["components"]["schemas"]["request"]["properties"]["stream"] == {"type": ["boolean", "null"]}


def test_swagger_form_data_becomes_one_multipart_schema(tmp_path: Path, spec_dir: Path) -> None:
    doc = run_import(write(tmp_path / "aut.json", authoring_doc()), spec_dir)
    op = doc["paths"]["/files"]["post"]
    assert op["parameters"] == []  # api-version is client-level
    assert op["requestBody"] == {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "purpose": {"type": "string"},
                        "file": {"type": "string", "format": "binary"},
                        "expires_after.seconds": {"type": "integer"},
                    },
                    "required": ["purpose", "file"],
                }
            }
        },
    }
    assert op["responses"]["201"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/File"}}}
    }
    assert doc["components"]["schemas"]["File"]["properties"]["bytes"] == {"type": ["integer", "null"]}
    assert doc["info"]["x-azgate-sources"] == {"authoring": "2099-02-01-preview"}


def test_case_insensitive_collision_fails_until_renamed(tmp_path: Path, spec_dir: Path, capsys: Any) -> None:
    run_import(write(tmp_path / "inf.json", inference_doc()), spec_dir)
    aut = write(tmp_path / "aut.json", authoring_doc())
    args = ["import", str(aut), "--api-version", "2099-01-01-preview", "--spec-dir", str(spec_dir)]
    before = (spec_dir / "2099-01-01-preview.json").read_bytes()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Error (authoring 2099-01-01-preview)" in err and "schema_renames" in err
    assert (spec_dir / "2099-01-01-preview.json").read_bytes() == before  # nothing written

    overlay = {**OVERLAY, "schema_renames": {"authoring": {"Error": "ManagementError"}}}
    (spec_dir / "overlay.yaml").write_text(yaml.safe_dump(overlay), encoding="utf-8")
    assert main(args) == 0
    doc = json.loads((spec_dir / "2099-01-01-preview.json").read_text(encoding="utf-8"))
    assert "ManagementError" in doc["components"]["schemas"] and "Error" not in doc["components"]["schemas"]
    default = doc["paths"]["/files"]["post"]["responses"]["default"]
    assert default["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ManagementError"}
    assert doc["x-azgate-schema-sources"]["ManagementError"] == ["authoring"]
    assert doc["x-azgate-schema-sources"]["error"] == ["inference"]


def test_a_schema_both_halves_publish_identically_is_kept_once(tmp_path: Path, spec_dir: Path) -> None:
    overlay = {**OVERLAY, "schema_renames": {"authoring": {"Error": "ManagementError"}}}
    (spec_dir / "overlay.yaml").write_text(yaml.safe_dump(overlay), encoding="utf-8")
    same_file = {
        "type": "object",
        "properties": {"id": {"type": "string", "readOnly": True}, "bytes": {"type": "integer", "nullable": True}},
    }
    run_import(write(tmp_path / "inf.json", inference_doc(File=same_file)), spec_dir)
    doc = run_import(write(tmp_path / "aut.json", authoring_doc()), spec_dir)
    assert doc["x-azgate-schema-sources"]["File"] == ["authoring", "inference"]
    assert list(doc["components"]["schemas"]).count("File") == 1


def test_collision_message_lists_every_collision(tmp_path: Path, spec_dir: Path) -> None:
    run_import(write(tmp_path / "inf.json", inference_doc(file={"type": "string"})), spec_dir)
    with pytest.raises(_normalise.SpecImportError) as err:
        _import.import_document(write(tmp_path / "aut.json", authoring_doc()), "2099-01-01-preview", spec_dir)
    assert "File (authoring" in str(err.value) and "Error (authoring" in str(err.value)


def test_reimport_keeps_the_other_half_and_reapplies_the_overlay(tmp_path: Path, spec_dir: Path) -> None:
    overlay = {**OVERLAY, "schema_renames": {"authoring": {"Error": "ManagementError"}}}
    (spec_dir / "overlay.yaml").write_text(yaml.safe_dump(overlay), encoding="utf-8")
    inf, aut = write(tmp_path / "inf.json", inference_doc()), write(tmp_path / "aut.json", authoring_doc())
    run_import(inf, spec_dir)
    both = run_import(aut, spec_dir)
    assert both["components"]["schemas"]["chunk"]["properties"]["finish_reason"] == {"type": ["string", "null"]}

    changed = inference_doc(extra={"type": "integer"})
    again = run_import(write(tmp_path / "inf.json", changed), spec_dir)
    assert "extra" in again["components"]["schemas"]
    assert again["paths"]["/files"] == both["paths"]["/files"]  # authoring half kept
    assert again["components"]["schemas"]["chunk"] == both["components"]["schemas"]["chunk"]  # overlay kept
    assert again["info"]["x-azgate-sources"] == {"inference": "2099-01-01-preview", "authoring": "2099-02-01-preview"}
    assert {op["x-azgate-source"] for item in again["paths"].values() for op in item.values()} == {
        "inference",
        "authoring",
    }


def test_import_is_deterministic(tmp_path: Path, spec_dir: Path) -> None:
    path = write(tmp_path / "inf.json", inference_doc())
    first = (run_import(path, spec_dir), (spec_dir / "2099-01-01-preview.json").read_bytes())[1]
    run_import(path, spec_dir)
    assert (spec_dir / "2099-01-01-preview.json").read_bytes() == first
    assert first.endswith(b"}\n")


def test_yaml_documents_read_like_json(tmp_path: Path, spec_dir: Path) -> None:
    doc = inference_doc(flag={"type": "string", "enum": ["on", "off"]})
    text = yaml.safe_dump(doc).replace("'200':", "200:")
    (tmp_path / "inf.yaml").write_text(text, encoding="utf-8")
    out = run_import(tmp_path / "inf.yaml", spec_dir)
    assert out["components"]["schemas"]["flag"]["enum"] == ["on", "off"]
    assert "200" in out["paths"]["/deployments/{deployment-id}/chat/completions"]["post"]["responses"]


def test_an_operation_the_overlay_does_not_know_is_named_from_its_path(tmp_path: Path, spec_dir: Path) -> None:
    (spec_dir / "overlay.yaml").write_text("{}", encoding="utf-8")
    derived: _import.Derived = []
    _import.import_document(write(tmp_path / "inf.json", inference_doc()), "2099-01-01-preview", spec_dir, derived)
    doc = json.loads((spec_dir / "2099-01-01-preview.json").read_text(encoding="utf-8"))
    assert doc["paths"]["/deployments/{deployment-id}/chat/completions"]["post"]["x-azgate-name"] == (
        "chat.completions.create"
    )
    assert derived == [
        ("2099-01-01-preview", "POST", "/deployments/{deployment-id}/chat/completions", "chat.completions.create")
    ]


def test_overlay_keys_by_method_and_path_survive_a_renamed_operation_id(tmp_path: Path, spec_dir: Path) -> None:
    doc = inference_doc()
    doc["paths"]["/deployments/{deployment-id}/chat/completions"]["post"]["operationId"] = "Chat_Completions_Create"
    out = run_import(write(tmp_path / "inf.json", doc), spec_dir)
    op = out["paths"]["/deployments/{deployment-id}/chat/completions"]["post"]
    assert op["operationId"] == "Chat_Completions_Create"
    assert op["x-azgate-name"] == "chat.completions.create" and op["x-azgate-stream"] == "chunk"


def test_two_operations_given_one_name_are_refused(tmp_path: Path, spec_dir: Path) -> None:
    overlay = {"operations": {"POST /files": {"x-azgate-name": "chat.completions.create"}}}
    (spec_dir / "overlay.yaml").write_text(yaml.safe_dump(overlay), encoding="utf-8")
    run_import(write(tmp_path / "inf.json", inference_doc()), spec_dir)
    with pytest.raises(_normalise.SpecImportError, match=r"given to both POST /deployments/.* and POST /files"):
        _import.import_document(write(tmp_path / "aut.json", authoring_doc()), "2099-01-01-preview", spec_dir)


# ---- the published documents ---------------------------------------------------------------


def test_import_all_of_the_published_documents_matches_spec(tmp_path: Path) -> None:
    """import-all reproduces the committed spec/*.json byte for byte, and each is sound."""
    out = tmp_path / "spec"
    out.mkdir()
    shutil.copy(REPO / "spec" / "overlay.yaml", out / "overlay.yaml")
    assert main(["import-all", str(PUBLISHED), "--spec-dir", str(out)]) == 0
    written = sorted(p.name for p in out.glob("*.json"))
    assert written == sorted(p.name for p in (REPO / "spec").glob("*.json"))
    for name in written:
        text = (out / name).read_text(encoding="utf-8")
        assert text == (REPO / "spec" / name).read_text(encoding="utf-8"), f"spec/{name} is stale: run import-all"
        doc = json.loads(text)
        assert dangling_refs(doc) == []
        for schema in doc["components"]["schemas"].values():
            jsonschema.Draft202012Validator.check_schema(schema)
    authoring = sorted(_import.find_documents(PUBLISHED, "authoring"))
    for path in out.glob("*.json"):
        sources = json.loads(path.read_text(encoding="utf-8"))["info"]["x-azgate-sources"]
        expected = None if path.stem == "v1" else _import.pair_authoring(path.stem, authoring)
        assert sources.get("authoring") == expected, path.name


def test_overlay_keys_are_method_and_path(tmp_path: Path, spec_dir: Path, capsys: Any) -> None:
    (spec_dir / "overlay.yaml").write_text("operations:\n  Files_List: {x-azgate-name: files.list}\n", encoding="utf-8")
    args = ["import", str(write(tmp_path / "inf.json", inference_doc())), "--spec-dir", str(spec_dir)]
    assert main(args) == 1
    assert "operations key 'Files_List' is not 'METHOD /path'" in capsys.readouterr().err
