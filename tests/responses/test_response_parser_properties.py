"""Property test of the response parser: whatever JSON a server sends for a model, the
result is an instance of that model or an azgate exception, never another exception
(issue #10). Bodies are drawn both at random and in the model's own shape (its field
names, nested models, tags) with random values, so the lenient path is exercised deep
inside the models, not only at the top."""

from __future__ import annotations

import functools
import json
import types
import typing
from typing import Any

import httpx
import pydantic
import pytest
from azgate._core._models import BaseModel
from azgate._core._response_parser import parse_response
from azgate.exceptions import APIResponseValidationError, AzgateError
from azgate.generated import models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MODELS = [
    models.CreateChatCompletionResponse,
    models.CreateChatCompletionStreamResponse,
    models.AssistantObject,
    models.Response,
    models.ResponseStreamEvent,  # a root model over 29 tagged events
    models.CompoundFilter,  # recursive
]
RESPONSE = httpx.Response(200, request=httpx.Request("POST", "https://example.test/openai/x"))

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
any_json = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)  # fmt: skip


def _models_in(annotation: Any) -> list[type[pydantic.BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _literals_in(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return [v for v in typing.get_args(annotation) if isinstance(v, str)]
    return [v for arg in typing.get_args(annotation) for v in _literals_in(arg)]


def shaped(model: type[pydantic.BaseModel], depth: int = 0) -> st.SearchStrategy[Any]:
    """Objects with a random subset of the model's fields, each a fitting value, a value
    of a nested model's shape, a tag value, or any JSON; plus unknown keys."""
    if issubclass(model, pydantic.RootModel):
        return st.one_of([shaped(m, depth) for m in _models_in(model.model_fields["root"].annotation)] or [any_json])
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for name, info in model.model_fields.items():
        options = [any_json]
        tags = _literals_in(info.annotation)
        if tags:
            options.append(st.sampled_from(tags))
        if depth < 3:
            for nested in _models_in(info.annotation)[:4]:
                options.append(shaped(nested, depth + 1))
                origin = typing.get_origin(info.annotation)
                if origin is list or (origin in (typing.Union, types.UnionType) and "list" in str(info.annotation)):
                    options.append(st.lists(shaped(nested, depth + 1), max_size=2))
        fields[info.alias or name] = st.one_of(options)
    extra = st.dictionaries(st.sampled_from(["x_gateway", "type", "id", "zz"]), any_json, max_size=2)
    return st.fixed_dictionaries({}, optional=fields).flatmap(lambda d: extra.map(lambda e: {**e, **d}))


@functools.cache
def bodies(model: type[pydantic.BaseModel]) -> st.SearchStrategy[bytes]:
    values = shaped(model) | any_json
    text = values.map(json.dumps)
    broken = st.text(max_size=20) | st.just("[" * 5000 + "]" * 5000)
    return (text | broken).map(lambda s: s.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_body_is_the_model_or_an_azgate_error(model: type[pydantic.BaseModel], strict: bool, data: Any) -> None:
    body = data.draw(bodies(model))
    try:
        result = parse_response(model, body, strict=strict, response=RESPONSE)
    except APIResponseValidationError as exc:
        assert isinstance(exc, AzgateError) and exc.status_code == 200
        assert len(str(exc)) < 2_000  # names the fields, never echoes the body
        return
    assert isinstance(result, model)
    if isinstance(result, BaseModel):
        json.dumps(result.to_dict())  # what was kept can be written out again
    if strict:  # strict mode returns only what validates
        model.model_validate_json(body)
