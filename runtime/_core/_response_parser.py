"""JSON bodies and stream events into the generated models, liberal in what they accept.

A conforming body costs one `validate_json` pass (pydantic's lax mode), as before. A body
that does not conform still becomes an instance of the requested model, built field by
field: a missing field reads its default or None, an extra field is kept, a value that
does not fit its annotation is kept as it came, a union member is chosen by its tag (an
unknown tag is kept as a plain `BaseModel` with the fields it came with), and nested
models are built the same way. Servers other than the documents' ideal (older
api-versions, gateways, simulators, Azure ahead of its documents) then read as typed
objects instead of failing the call.

With `strict=True` any deviation is an `APIResponseValidationError` naming the model and
the field. A body that is not JSON is one in both modes.

How to build each model leniently is worked out once per class (the "shapes" below) and
kept for the life of the class, so only the first deviating body of a kind pays for it.
"""

from __future__ import annotations

import functools
import types
import typing
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import pydantic
import pydantic_core

from ..exceptions import APIResponseValidationError
from ._models import BaseModel

if TYPE_CHECKING:
    from ._wire import Answer

__all__ = ["TAG_FIELDS", "literal_strings", "parse_response", "unknown_variant"]

_M = TypeVar("_M", bound=pydantic.BaseModel)

TAG_FIELDS = ("type", "event", "object")
"""Fields that say which member of a union a value is, in the order they are tried."""

_MAX_REPORTED_ERRORS = 3


def parse_response(model: type[_M], content: str | bytes, *, strict: bool, response: Answer) -> _M:
    """`content` (a JSON body or one stream event's data) as an instance of `model`.

    `response` is the HTTP response it came with, for the exception."""
    if not model.__pydantic_complete__:
        model.model_rebuild()
    try:
        parsed: _M = model.__pydantic_validator__.validate_json(content)
        return parsed
    except pydantic.ValidationError as exc:
        error = exc
    first = error.errors(include_url=False, include_input=False)[0]
    if first["type"] in ("json_invalid", "string_unicode") and not first["loc"]:
        raise APIResponseValidationError(
            response, _text(content), f"The response is not valid JSON ({first['msg']}); expected {model.__name__}."
        ) from None
    try:
        data = pydantic_core.from_json(content)
    except ValueError as exc:
        raise APIResponseValidationError(response, _text(content), f"The response is not valid JSON ({exc}).") from None
    if strict:
        raise APIResponseValidationError(response, data, _describe(model, error)) from None
    if not isinstance(data, dict) and not issubclass(model, pydantic.RootModel):
        raise APIResponseValidationError(
            response, data, f"The response is a JSON {_json_kind(data)}, not the object {model.__name__} needs."
        )
    try:
        if issubclass(model, pydantic.RootModel):
            return _root_shape(model).build(data)  # type: ignore[no-any-return]
        return _model_shape(model).construct(data)  # type: ignore[return-value]
    except RecursionError:
        # Bounded by the JSON parser's depth limit, but a deep caller stack plus a
        # deep recursive model could still get here.
        raise APIResponseValidationError(
            response, None, f"The response is nested too deeply to read as {model.__name__}."
        ) from None


def _describe(model: type[pydantic.BaseModel], error: pydantic.ValidationError) -> str:
    problems = error.errors(include_url=False, include_input=False)
    shown = "; ".join(f"{_path(p['loc'])}: {p['msg']}" for p in problems[:_MAX_REPORTED_ERRORS])
    more = len(problems) - _MAX_REPORTED_ERRORS
    tail = f" (and {more} more)" if more > 0 else ""
    return f"The response does not match {model.__name__}: {shown}{tail}."


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(the body)"


def _json_kind(value: object) -> str:
    return {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}.get(type(value), "null")


def _text(content: str | bytes) -> str:
    return content if isinstance(content, str) else content.decode("utf-8", errors="replace")


# -- shapes: how to build a value of one annotation leniently ---------------------------------


class _Shape:
    """Builds a value for one annotation; never raises for a value that does not fit."""

    def build(self, value: Any) -> Any:
        raise NotImplementedError


class _Raw(_Shape):
    """`Any`, or an annotation with nothing to build: the value as it came."""

    def build(self, value: Any) -> Any:
        return value


class _Leaf(_Shape):
    """A scalar, Literal, or container of scalars: validated (so lax conversions apply)
    when it fits, kept as it came when it does not."""

    def __init__(self, annotation: Any) -> None:
        self.annotation = annotation
        self._adapter: pydantic.TypeAdapter[Any] | None = None

    def build(self, value: Any) -> Any:
        adapter = self._adapter
        if adapter is None:
            adapter = self._adapter = _adapter(self.annotation)
        try:
            return adapter.validate_python(value)
        except pydantic.ValidationError:
            return value


@functools.lru_cache(maxsize=512)
def _cached_adapter(annotation: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(annotation)


def _adapter(annotation: Any) -> pydantic.TypeAdapter[Any]:
    """One adapter per annotation (`str | None` is in hundreds of fields)."""
    try:
        return _cached_adapter(annotation)
    except TypeError:  # an unhashable annotation
        return pydantic.TypeAdapter(annotation)


class _List(_Shape):
    def __init__(self, item: _Shape) -> None:
        self.item = item

    def build(self, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        build = self.item.build
        return [build(v) for v in value]


class _Dict(_Shape):
    def __init__(self, item: _Shape) -> None:
        self.item = item

    def build(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        build = self.item.build
        return {k: build(v) for k, v in value.items()}


class _Model(_Shape):
    """A model: validated when the value fits, else built field by field."""

    def __init__(self, cls: type[pydantic.BaseModel]) -> None:
        self.cls = cls
        self._fields: list[tuple[str, tuple[str, ...], _Shape, Callable[[], Any]]] | None = None

    def build(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        cls = self.cls
        if not cls.__pydantic_complete__:
            cls.model_rebuild()
        try:
            return cls.__pydantic_validator__.validate_python(value)
        except pydantic.ValidationError:
            return self.construct(value)

    def construct(self, data: Mapping[str, Any]) -> pydantic.BaseModel:
        fields = self._fields
        if fields is None:
            fields = self._fields = _compile_fields(self.cls)
        values: dict[str, Any] = {}  # by the key model_construct looks for: the alias, else the name
        fields_set: set[str] = set()
        used: set[str] = set()
        for name, keys, shape, default in fields:
            for key in keys:
                if key in data:
                    values[keys[0]] = shape.build(data[key])
                    fields_set.add(name)
                    used.add(key)
                    break
            else:
                values[keys[0]] = default()
        extra = {k: v for k, v in data.items() if k not in used}
        return _instance(self.cls, values, fields_set, extra)


class _Root(_Shape):
    """A RootModel: its `root` built leniently."""

    def __init__(self, cls: type[pydantic.RootModel[Any]]) -> None:
        self.cls = cls
        self._root: _Shape | None = None

    def build(self, value: Any) -> Any:
        cls = self.cls
        if not cls.__pydantic_complete__:
            cls.model_rebuild()
        try:
            return cls.__pydantic_validator__.validate_python(value)
        except pydantic.ValidationError:
            pass
        root = self._root
        if root is None:
            field = cls.model_fields["root"]
            discriminator = field.discriminator if isinstance(field.discriminator, str) else None
            root = self._root = _shape(field.annotation, discriminator)
        return cls.model_construct(root=root.build(value))


class _Union(_Shape):
    """A union: pydantic's choice when a member fits; else the member its tag names, the
    model member that shares the most keys with the value, or the value as it came."""

    def __init__(self, annotation: Any, members: list[Any], discriminator: str | None) -> None:
        self.annotation = annotation
        self.discriminator = discriminator
        self.nullable = type(None) in members
        self.models = [m for m in members if _is_model(m)]
        self.others = [m for m in members if not _is_model(m) and m is not type(None)]
        # Members such as list[Model] and dict[str, Model], for values of that kind.
        self.containers = {
            origin: _shape(m, None) for m in self.others if (origin := _origin(m)) in (list, dict) and _has_model(m)
        }
        self._adapter: pydantic.TypeAdapter[Any] | None = None
        self._tags: tuple[str | None, dict[str, type[pydantic.BaseModel]]] | None = None

    def build(self, value: Any) -> Any:
        if value is None and self.nullable:
            return None
        adapter = self._adapter
        if adapter is None:
            annotation = self.annotation
            if self.discriminator is not None:
                annotation = typing.Annotated[annotation, pydantic.Field(discriminator=self.discriminator)]
            adapter = self._adapter = pydantic.TypeAdapter(annotation)
        try:
            return adapter.validate_python(value)
        except pydantic.ValidationError:
            pass
        if isinstance(value, dict) and self.models:
            return self._member(value)
        container = self.containers.get(type(value))
        return container.build(value) if container is not None else value

    def _member(self, value: dict[str, Any]) -> Any:
        tags = self._tags
        if tags is None:
            tags = self._tags = _tag_table(self.models, self.discriminator)
        field, by_tag = tags
        if field is not None and field in value:
            tag = value[field]
            member = by_tag.get(tag) if isinstance(tag, str) else None
            if member is None:
                return unknown_variant(value)  # a tag this SDK does not know (yet)
            return _model_shape(member).construct(value)
        best, score = None, 0
        for member in self.models:
            keys = sum(1 for k in value if k in member.model_fields)
            if keys > score:
                best, score = member, keys
        if best is None:
            return value if any(_origin(m) is dict for m in self.others) else unknown_variant(value)
        return _model_shape(best).construct(value)


def _tag_table(
    models: list[type[pydantic.BaseModel]], discriminator: str | None
) -> tuple[str | None, dict[str, type[pydantic.BaseModel]]]:
    """The field that tags these union members and which member each value names."""
    for field in (discriminator,) if discriminator else TAG_FIELDS:
        table: dict[str, type[pydantic.BaseModel]] = {}
        for member in models:
            info = member.model_fields.get(field)
            values, closed = literal_strings(info.annotation) if info is not None else ([], False)
            if not closed:  # an open `Literal[...] | str` is no tag
                break
            for v in values:
                table.setdefault(v, member)
        else:
            return field, table
    return None, {}


def literal_strings(annotation: Any) -> tuple[list[str], bool]:
    """The string values of a `Literal` tag, and whether it is closed (a `Literal` of strings
    only); the Literals of an open tag such as `Literal["done"] | str` give their values
    with False."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        values = typing.get_args(annotation)
        return [v for v in values if isinstance(v, str)], all(isinstance(v, str) for v in values)
    if origin in (typing.Union, types.UnionType):
        return [v for arg in typing.get_args(annotation) for v in literal_strings(arg)[0]], False
    return [], False


def unknown_variant(value: Mapping[str, Any]) -> BaseModel:
    """A union member the SDK has no class for: a plain model with the fields it came with."""
    return _instance(BaseModel, {}, set(), dict(value))


def _instance(cls: type[_M], values: dict[str, Any], fields_set: set[str], extra: dict[str, Any] | None) -> _M:
    """An instance without validation (what `model_construct` does, with the extras given
    apart, so no JSON key can collide with its parameters)."""
    instance = cls.model_construct(_fields_set=fields_set, **values)
    if cls.model_config.get("extra") == "allow":
        object.__setattr__(instance, "__pydantic_extra__", extra or {})
    return instance


# -- compiling shapes -------------------------------------------------------------------------

_MODELS: weakref.WeakKeyDictionary[type[pydantic.BaseModel], _Shape] = weakref.WeakKeyDictionary()
"""Per model class, how to build it: computed once, dropped with the class."""


def _model_shape(cls: type[pydantic.BaseModel]) -> _Model:
    shape = _MODELS.get(cls)
    if shape is None:
        shape = _MODELS[cls] = _Model(cls)
    assert isinstance(shape, _Model)
    return shape


def _root_shape(cls: type[pydantic.RootModel[Any]]) -> _Shape:
    shape = _MODELS.get(cls)
    if shape is None:
        shape = _MODELS[cls] = _Root(cls)
    return shape


def _compile_fields(
    cls: type[pydantic.BaseModel],
) -> list[tuple[str, tuple[str, ...], _Shape, Callable[[], Any]]]:
    if not cls.__pydantic_complete__:
        cls.model_rebuild()
    out = []
    for name, info in cls.model_fields.items():
        keys = tuple(dict.fromkeys(k for k in (info.alias, name) if k is not None))
        shape = _shape(info.annotation, info.discriminator if isinstance(info.discriminator, str) else None)
        out.append((name, keys, shape, _default(info, shape)))
    return out


def _default(info: pydantic.fields.FieldInfo, shape: _Shape) -> Callable[[], Any]:
    """What a missing field reads: its default (built as pydantic would), else None."""
    if info.is_required():
        return lambda: None
    if info.validate_default:
        return lambda: shape.build(info.get_default(call_default_factory=True, validated_data={}))
    return lambda: info.get_default(call_default_factory=True, validated_data={})


def _origin(annotation: Any) -> Any:
    return typing.get_origin(annotation)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)


def _shape(annotation: Any, discriminator: str | None) -> _Shape:
    """How to build a value of `annotation` (the field's discriminator, if it has one)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        for meta in metadata:
            if isinstance(getattr(meta, "discriminator", None), str):
                discriminator = meta.discriminator
        return _shape(inner, discriminator)
    if annotation is Any or annotation is None or annotation is type(None):
        return _Raw()
    if _is_model(annotation):
        if issubclass(annotation, pydantic.RootModel):
            return _root_shape(annotation)
        return _ModelRef(annotation)
    if origin in (typing.Union, types.UnionType):
        members = list(typing.get_args(annotation))
        if any(_is_model(m) or _has_model(m) for m in members):
            return _Union(annotation, members, discriminator)
        return _Leaf(annotation)
    if origin is list and _has_model(annotation):
        return _List(_shape(typing.get_args(annotation)[0], None))
    if origin is dict and _has_model(annotation):
        return _Dict(_shape(typing.get_args(annotation)[1], None))
    return _Leaf(annotation)


class _ModelRef(_Shape):
    """A model-typed field: looks the model's shape up when first used, so recursive
    models (a filter of filters) compile without recursing."""

    def __init__(self, cls: type[pydantic.BaseModel]) -> None:
        self.cls = cls
        self._shape: _Model | None = None

    def build(self, value: Any) -> Any:
        shape = self._shape
        if shape is None:
            shape = self._shape = _model_shape(self.cls)
        return shape.build(value)


def _has_model(annotation: Any) -> bool:
    """Whether a model appears anywhere inside `annotation`."""
    if _is_model(annotation):
        return True
    return any(_has_model(arg) for arg in typing.get_args(annotation) if not isinstance(arg, (str, int, bool)))
