"""What the generator makes of a response schema: types without request limits, closed
union tags, discriminated unions, open enums elsewhere, spec defaults on required fields."""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest
from generated_models import load_models, models_source

from codegen.__main__ import main


def variant(tag: str, **props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"type": {"type": "string", "enum": [tag]}, **props}, "required": ["type"]}


SCHEMAS = {
    "toolCode": variant("code_interpreter"),
    "toolSearch": variant("file_search", file_search={"type": "object", "properties": {"max": {"type": "integer"}}}),
    "toolFunction": variant(
        "function",
        function={
            "type": "object",
            "properties": {"name": {"type": "string", "maxLength": 64, "pattern": "^[a-z_]+$"}},
            "required": ["name"],
        },
    ),
    "inputMessage": variant("message", content={"type": "string"}),
    "outputMessage": variant("message", text={"type": "string"}),
    "thing": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "minLength": 3},
            "status": {"type": "string", "enum": ["queued", "done"]},
            "temperature": {"type": "number", "minimum": 0, "maximum": 2},
            "kind": {"type": "string", "enum": ["thing"], "default": "thing"},
            "url": {"type": "string", "format": "uri"},
            "tools": {
                "type": "array",
                "maxItems": 2,
                "items": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/toolCode"},
                        {"$ref": "#/components/schemas/toolSearch"},
                        {"$ref": "#/components/schemas/toolFunction"},
                    ]
                },
            },
            # Two members share the tag "message": a plain union, its tags still closed.
            "items": {
                "type": "array",
                "items": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/inputMessage"},
                        {"$ref": "#/components/schemas/outputMessage"},
                    ]
                },
            },
        },
        "required": ["id", "kind", "tools"],
    },
}

DOC = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "2024-01-01"},
    "paths": {
        "/things/{thing-id}": {
            "get": {
                "operationId": "Things_Get",
                "x-azgate-name": "things.retrieve",
                "parameters": [{"name": "thing-id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/thing"}}}}
                },
            }
        }
    },
    "components": {"schemas": SCHEMAS},
}


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("response_models")
    spec = root / "spec"
    spec.mkdir()
    (spec / "2024-01-01.json").write_text(json.dumps(DOC))
    out = root / "generated"
    assert main(["generate", "--spec-dir", str(spec), "--out", str(out)]) == 0
    module = load_models(out, "response_fixture_models")
    module.__source__ = models_source(out)
    return module


def body(**more: Any) -> dict[str, Any]:
    return {"id": "t1", "tools": [{"type": "function", "function": {"name": "x"}}], **more}


def test_request_limits_are_not_in_the_models(models: Any) -> None:
    thing = models.Thing.model_validate(
        body(
            id="1",  # below minLength
            temperature=7,  # above maximum
            tools=[{"type": "code_interpreter"}] * 3,  # above maxItems
            url="not a url",
            added_by_azure=True,  # additionalProperties: false would forbid it
        )
    )
    assert thing.temperature == 7 and len(thing.tools) == 3 and thing.url == "not a url"
    long_name = models.ToolFunction.model_validate({"type": "function", "function": {"name": "X-" * 150}})
    assert len(long_name.function.name) == 300
    assert "max_length" not in models.__source__ and "AnyUrl" not in models.__source__


def test_union_tags_stay_closed_and_discriminate(models: Any) -> None:
    thing = models.Thing.model_validate(
        body(
            tools=[
                {"type": "code_interpreter"},
                {"type": "file_search"},
                {"type": "function", "function": {"name": "f"}},
            ]
        )
    )
    assert [type(t).__name__ for t in thing.tools] == ["ToolCode", "ToolSearch", "ToolFunction"]
    assert 'Field(discriminator="type")' in models.__source__
    with pytest.raises(pydantic.ValidationError, match=r"does not match any of the expected tags"):
        models.Thing.model_validate(body(tools=[{"type": "browser"}]))


def test_a_union_whose_members_share_a_tag_is_plain_but_closed(models: Any) -> None:
    thing = models.Thing.model_validate(body(items=[{"type": "message", "content": "hi"}]))
    assert type(thing.items[0]).__name__ in ("InputMessage", "OutputMessage")
    assert models.InputMessage.model_fields["type"].annotation.__args__ == ("message",)


def test_other_response_enums_stay_open_and_spec_defaults_fill_required_fields(models: Any) -> None:
    thing = models.Thing.model_validate(body(status="archived"))
    assert thing.status == "archived" and thing.kind == "thing"
