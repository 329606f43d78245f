"""The base class of every generated model.

No `from __future__ import annotations`: pydantic reads a base class's annotations for
every subclass, and a string annotation is compiled and evaluated each time (a few
percent of the cost of making each generated class)."""

from functools import cache
from typing import Any, ClassVar

import pydantic
from pydantic_core import CoreSchema, core_schema

__all__ = ["AZURE_ONLY_FIELDS", "BaseModel", "OpenEnum", "dump_as_is"]

AZURE_ONLY_FIELDS = frozenset({"prompt_filter_results", "content_filter_results", "context", "end_turn"})
"""Fields Azure adds to OpenAI's objects (content filtering, On Your Data) that openai-python's
models do not declare: code written for it reads them from `model_extra`, as JSON."""


class BaseModel(pydantic.BaseModel):
    """A response or request object.

    Unknown fields are kept (`extra="allow"`): Azure adds fields before the published
    documents do, and a client that drops or rejects them breaks on real traffic.
    """

    model_config = pydantic.ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        defer_build=True,
    )

    _request_id: ClassVar[str | None] = None
    """The id of the request that returned this object (`x-request-id`, else
    `apim-request-id`), to quote to support; None on nested objects and on models you
    build. Set on the instance by the client, outside pydantic's fields and private
    attributes, so parsing nested models costs nothing extra."""

    @property
    def model_extra(self) -> dict[str, Any] | None:
        """pydantic's: the fields the class does not declare, as they came. Azure's own fields
        (`AZURE_ONLY_FIELDS`) are in it as well, as JSON, where openai-python keeps them, so
        its users' code (`completion.model_extra["prompt_filter_results"]`) runs unchanged;
        the typed attribute (`completion.prompt_filter_results`) is azgate's way to read them."""
        extra = self.__pydantic_extra__
        fields = _azure_only_fields(type(self))
        if not fields:
            return extra
        present = self.__pydantic_fields_set__
        found = {wire: _as_json(getattr(self, name)) for name, wire in fields if name in present}
        return {**found, **extra} if extra else found

    def to_dict(self) -> dict[str, Any]:
        """The object as JSON-ready data, with the wire names, leaving out unset fields.

        A response read leniently may hold values its annotations do not describe (a
        server's deviations, kept as they came, and union members the SDK has no class
        for); each value is written out as what it is, without serializer warnings."""
        return dump_as_is(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(
            by_alias=True, exclude_unset=True, warnings=False, serialize_as_any=True, indent=indent
        )


def dump_as_is(model: pydantic.BaseModel) -> dict[str, Any]:
    """A model that may have been read leniently as JSON-ready data: wire names, only the
    fields that were set, every value serialized by its own type."""
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False, serialize_as_any=True)


@cache
def _azure_only_fields(model: type[pydantic.BaseModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, wire name) of the fields of `model` that are AZURE_ONLY_FIELDS."""
    return tuple(
        (name, info.alias or name)
        for name, info in model.model_fields.items()
        if (info.alias or name) in AZURE_ONLY_FIELDS
    )


def _as_json(value: Any) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return dump_as_is(value)
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value


def _any_string(_source: Any, _handler: pydantic.GetCoreSchemaHandler) -> CoreSchema:
    return core_schema.str_schema()


OpenEnum = pydantic.GetPydanticSchema(_any_string)
"""Marks an open enum, `Annotated[Literal[...] | str, OpenEnum]`: the type names the values
the spec knows, for readers and type checkers, and any string is accepted, since Azure
adds values before its documents do. Validated as the plain string it is: pydantic's
union of a Literal and `str` accepts exactly the same values, at a cost per value that a
stream pays on every event."""
