"""What one stream event's data becomes: the event model itself, or, when the stream's
model is a union of event classes (a RootModel, as the Responses and Assistants streams
are generated), the member the event names, never the RootModel wrapper.

The member is chosen by the event's tag: the SSE `event:` name for streams that name
their events there (the Assistants API), else the tag field all members share in their
data (`type` for the Responses API). A conforming event costs one `validate_json` pass,
into the member itself. An event that does not conform is read leniently (as
`parse_response` reads a body), and an event whose tag no member has becomes a plain
model with the fields it came with; with `strict=True` both are errors.

Worked out once per stream model and kept for the life of the class.
"""

from __future__ import annotations

import types
import typing
import weakref
from collections.abc import Callable
from typing import Any

import httpx
import pydantic
import pydantic_core

from ..exceptions import APIResponseValidationError
from ._response_parser import TAG_FIELDS, literal_strings, parse_response, unknown_variant

__all__ = ["EventModels", "event_models"]

_Validate = Callable[[str | bytes], pydantic.BaseModel]


class EventModels:
    """How the events of streams of one model become models."""

    __slots__ = ("by_tag", "field", "members", "model", "named", "validate")

    def __init__(self, model: type[pydantic.BaseModel], named: bool) -> None:
        if not model.__pydantic_complete__:
            model.model_rebuild()
        self.model = model
        self.named = named
        self.members = _members(model)
        self.field: str | None = None
        self.by_tag: dict[str, type[pydantic.BaseModel]] = {}
        self.validate: _Validate | None = None
        """The one-pass parse of a conforming event, when there is one without its name."""
        if self.members is None:
            self.validate = model.__pydantic_validator__.validate_json
            return
        fields = ("event",) if named else TAG_FIELDS
        for field in fields:
            tags = _tags(self.members, field)
            if tags is not None:
                self.field, self.by_tag, closed = field, *tags
                if closed and not named:
                    union: Any = typing.Union[tuple(self.members)]
                    tagged: Any = typing.Annotated[union, pydantic.Field(discriminator=field)]
                    self.validate = pydantic.TypeAdapter[Any](tagged).validate_json
                break

    def lenient(self, data: str, name: str | None, *, strict: bool, response: httpx.Response) -> pydantic.BaseModel:
        """The event read without the fast path: the member its tag names, read as
        `parse_response` reads a body; an event of no known member as a plain model."""
        if self.members is None:
            return parse_response(self.model, data, strict=strict, response=response)
        if self.named and name is not None:
            member = self.by_tag.get(name)
            if member is not None:
                return parse_response(member, data, strict=strict, response=response)
            return self._unknown(_json(data, response), name, strict, response)
        value = _json(data, response)
        tag = value.get(self.field) if isinstance(value, dict) and self.field is not None else None
        member = self.by_tag.get(tag) if isinstance(tag, str) else None
        if member is not None:
            return parse_response(member, data, strict=strict, response=response)
        return self._unknown(value, tag, strict, response)

    def _unknown(self, value: object, tag: object, strict: bool, response: httpx.Response) -> pydantic.BaseModel:
        if strict or not isinstance(value, dict):
            what = f"{self.field} {tag!r}" if tag is not None else f"no {self.field}"
            raise APIResponseValidationError(
                response, value, f"The stream sent an event that {self.model.__name__} has no member for ({what})."
            )
        return unknown_variant(value)


def _json(data: str, response: httpx.Response) -> object:
    try:
        return pydantic_core.from_json(data)
    except ValueError as exc:
        raise APIResponseValidationError(response, data, f"The event is not valid JSON ({exc}).") from None


_CACHE: weakref.WeakKeyDictionary[type[pydantic.BaseModel], dict[bool, EventModels]] = weakref.WeakKeyDictionary()


def event_models(model: type[pydantic.BaseModel], *, named: bool) -> EventModels:
    """The (cached) EventModels of streams of `model`; `named`: tags on the `event:` line."""
    by_kind = _CACHE.get(model)
    if by_kind is None:
        by_kind = _CACHE[model] = {}
    events = by_kind.get(named)
    if events is None:
        events = by_kind[named] = EventModels(model, named)
    return events


def _members(model: type[pydantic.BaseModel]) -> list[type[pydantic.BaseModel]] | None:
    """The event classes a RootModel union stands for, nested unions flattened; None for a
    model that is not such a union."""
    if not issubclass(model, pydantic.RootModel):
        return None
    if not model.__pydantic_complete__:
        model.model_rebuild()
    annotation = model.model_fields["root"].annotation
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    out: list[type[pydantic.BaseModel]] = []
    for arg in typing.get_args(annotation) if union else (annotation,):
        if not (isinstance(arg, type) and issubclass(arg, pydantic.BaseModel)):
            return None
        inner = _members(arg)
        if issubclass(arg, pydantic.RootModel) and inner is None:
            return None
        for member in inner if inner is not None else [arg]:
            if member not in out:
                out.append(member)
    return out


def _tags(
    members: list[type[pydantic.BaseModel]], field: str
) -> tuple[dict[str, type[pydantic.BaseModel]], bool] | None:
    """Which member each value of `field` names, and whether every member's tag is a closed
    `Literal` (so pydantic can pick by it); None when a member has no such field."""
    by_tag: dict[str, type[pydantic.BaseModel]] = {}
    closed = True
    for member in members:
        info = member.model_fields.get(field)
        if info is None:
            return None
        values, exact = literal_strings(info.annotation)
        if not values:
            return None
        closed = closed and exact
        for value in values:
            if by_tag.setdefault(value, member) is not member:
                closed = False  # two members share a tag: pydantic cannot pick by it
    return by_tag, closed
