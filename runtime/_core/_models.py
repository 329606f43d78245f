"""The base class of every generated model."""

from __future__ import annotations

from typing import ClassVar

import pydantic

__all__ = ["BaseModel"]


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

    def to_dict(self) -> dict[str, object]:
        """The object as JSON-ready data, with the wire names, leaving out unset fields."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(by_alias=True, exclude_unset=True, indent=indent)
