"""The base class of every generated model."""

from __future__ import annotations

from typing import Any, ClassVar

import pydantic
from pydantic_core import CoreSchema, core_schema

__all__ = ["BaseModel", "OpenEnum", "dump_as_is"]


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


def _any_string(_source: Any, _handler: pydantic.GetCoreSchemaHandler) -> CoreSchema:
    return core_schema.str_schema()


OpenEnum = pydantic.GetPydanticSchema(_any_string)
"""Marks an open enum, `Annotated[Literal[...] | str, OpenEnum]`: the type names the values
the spec knows, for readers and type checkers, and any string is accepted, since Azure
adds values before its documents do. Validated as the plain string it is: pydantic's
union of a Literal and `str` accepts exactly the same values, at a cost per value that a
stream pays on every event."""
