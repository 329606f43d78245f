"""Newer documents of each published kind, made from the published ones (test fixtures).

Azure will publish api-versions this project has never seen. Each variant here is a
published document with the changes such a release brings: a new `info.version`, an
operation id renamed, an operation and a property added, a parameter removed, an enum
value added. Kinds: inference OpenAPI 3.0 and 3.1, each in JSON and YAML; authoring
Swagger 2.0; Azure's TypeSpec v1 document.

The variants are built from ../shared/azure-specs when a test runs (copying Microsoft's
documents into this repository would add megabytes for a few changed lines).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

JSON = Any


@dataclass(frozen=True)
class Variant:
    name: str
    version: str
    build: Callable[[Path], JSON]
    """The document, from the published folder."""
    file_format: str
    """"json" or "yaml"."""
    changelog_mentions: tuple[str, ...]
    """What the changelog of `version` must say."""
    derived: tuple[str, ...] = field(default=())
    """SDK names `add` must say it derived."""

    def write(self, published: Path, folder: Path) -> Path:
        doc = self.build(published)
        path = folder / f"{self.name}-{self.version}.{self.file_format}"
        if self.file_format == "json":
            path.write_text(json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path


def _load(path: Path) -> JSON:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def _rename_operation(doc: JSON, old: str, new: str) -> None:
    for item in doc["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == old:
                op["operationId"] = new
                return
    raise AssertionError(f"no operation {old}")


def _properties(schema: JSON) -> JSON:
    """The properties object of a schema, or of its allOf part that has one."""
    if "properties" in schema:
        return schema["properties"]
    return next(part["properties"] for part in schema["allOf"] if "properties" in part)


# ---- inference -----------------------------------------------------------------------------

_API_VERSION_PARAM = {"name": "api-version", "in": "query", "required": True, "schema": {"type": "string"}}
_DEPLOYMENT_PARAM = {"name": "deployment-id", "in": "path", "required": True, "schema": {"type": "string"}}


def _completion_op(item_param: str) -> JSON:
    return {
        "operationId": f"Completions_{item_param.title()}",
        "parameters": [
            _DEPLOYMENT_PARAM,
            {"name": "completion-id", "in": "path", "required": True, "schema": {"type": "string"}},
            _API_VERSION_PARAM,
        ],
        "responses": {
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/createCompletionResponse"}}},
            }
        },
    }


def _inference_first_release(doc: JSON, version: str) -> JSON:
    """Changes of a release after a published inference document."""
    doc = copy.deepcopy(doc)
    doc["info"]["version"] = version
    _rename_operation(doc, "ChatCompletions_Create", "Chat_Completions_Create")
    doc["paths"]["/deployments/{deployment-id}/completions/{completion-id}/cancel"] = {"post": _completion_op("cancel")}
    schemas = doc["components"]["schemas"]
    request = _properties(schemas["createCompletionRequest"])
    request["reasoning_effort"] = {"type": "string", "enum": ["low", "high"]}
    del request["user"]
    schemas["imageQuality"]["enum"].append("ultra")
    return doc


def _inference_second_release(doc: JSON, version: str) -> JSON:
    """Changes of the release after that."""
    doc = copy.deepcopy(doc)
    doc["info"]["version"] = version
    doc["paths"]["/deployments/{deployment-id}/completions/{completion-id}"] = {"get": _completion_op("get")}
    schemas = doc["components"]["schemas"]
    request = _properties(schemas["createCompletionRequest"])
    request["service_tier"] = {"type": "string"}
    del request["suffix"]
    schemas["imageQuality"]["enum"].append("max")
    return doc


def stable_json_30(published: Path) -> JSON:
    return _inference_first_release(_load(published / "inference/2024-10-21/inference.json"), "2025-06-01")


def stable_yaml_30(published: Path) -> JSON:
    return _inference_second_release(stable_json_30(published), "2025-07-01")


def preview_yaml_31(published: Path) -> JSON:
    doc = _load(published / "inference/2025-04-01-preview/inference.yaml")
    return _inference_first_release(doc, "2025-05-01-preview")


def preview_json_31(published: Path) -> JSON:
    return _inference_second_release(preview_yaml_31(published), "2025-05-15-preview")


_FIRST = (
    "`completions.cancel`",
    "`completions.create`: added `reasoning_effort`",
    "`completions.create`: removed `user`",
    "`imageQuality`: `ultra`",
)
_SECOND = (
    "`completions.retrieve`",
    "`completions.create`: added `service_tier`",
    "`completions.create`: removed `suffix`",
    "`imageQuality`: `max`",
)


# ---- authoring and v1 -----------------------------------------------------------------------


def authoring_swagger(published: Path) -> JSON:
    doc = copy.deepcopy(_load(published / "authoring/2025-04-01-preview/azureopenai.json"))
    doc["info"]["version"] = "2025-05-01-preview"
    _rename_operation(doc, "UploadFile_Start", "Upload_File_Start")
    doc["paths"]["/files/{file-id}/cancel"] = {
        "post": {
            "operationId": "Files_Cancel",
            "produces": ["application/json"],
            "parameters": [
                {"$ref": "#/parameters/apiVersionQueryParameter"},
                {"in": "path", "name": "file-id", "required": True, "type": "string"},
            ],
            "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/File"}}},
        }
    }
    doc["definitions"]["File"]["properties"]["status_reason"] = {"type": "string"}
    batches = doc["paths"]["/batches"]["get"]
    batches["parameters"] = [p for p in batches["parameters"] if p.get("name") != "$orderby"]
    doc["definitions"]["Purpose"]["enum"].append("vision")
    return doc


def v1_typespec(published: Path) -> JSON:
    doc = copy.deepcopy(_load(published / "v1/azure-v1-v1-generated.json"))
    _rename_operation(doc, "listFiles", "Files_List")
    files = doc["paths"]["/files"]["get"]
    files["parameters"] = [p for p in files["parameters"] if p.get("name") != "purpose"]
    doc["paths"]["/files/{file_id}/cancel"] = {
        "post": {
            "operationId": "cancelFile",
            "parameters": [{"name": "file_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AzureOpenAIFile"}}},
                }
            },
        }
    }
    doc["components"]["schemas"]["AzureOpenAIFile"]["properties"]["status_reason"] = {"type": "string"}
    doc["components"]["schemas"]["AzureFileExpiryAnchor"]["enum"].append("last_used_at")
    return doc


DATED = (
    Variant("inference-stable-3.0", "2025-06-01", stable_json_30, "json", _FIRST, ("completions.cancel",)),
    Variant("inference-stable-3.0", "2025-07-01", stable_yaml_30, "yaml", _SECOND, ("completions.retrieve",)),
    Variant("inference-preview-3.1", "2025-05-01-preview", preview_yaml_31, "yaml", _FIRST, ("completions.cancel",)),
    Variant("inference-preview-3.1", "2025-05-15-preview", preview_json_31, "json", _SECOND),
    Variant(
        "authoring",
        "2025-05-01-preview",
        authoring_swagger,
        "json",
        ("`files.cancel`", "`File.status_reason`: added", "`batches.list`: removed `$orderby`", "`Purpose`: `vision`"),
        ("files.cancel",),
    ),
)
V1 = Variant(
    "v1",
    "v1",
    v1_typespec,
    "json",
    (
        "Changes since the v1 document imported before",
        "`files.cancel`",
        "`AzureOpenAIFile.status_reason`: added",
        "`files.list`: removed `purpose`",
        "`AzureFileExpiryAnchor`: `last_used_at`",
    ),
)
