"""The generator's typed picture of the API: what the templates print.

Built by `_build.py` from the spec documents of every api-version; the templates only
read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Mixin", "Operation", "Param", "Resource"]


@dataclass
class Param:
    wire_name: str
    py_name: str
    location: str
    """"path", "query", "header", "body" (JSON) or "form" (multipart)."""
    annotation: str
    versions: list[str]
    required_in: list[str]
    required: bool
    """Required in the Python signature: required in every version that has the operation."""
    is_file: bool = False
    default: str | None = None
    """A header some version requires with one possible value (the v1 API's feature
    flags, `aoai-evals: preview`): sent unless the caller passes something else."""
    positional: bool = False
    """Positional or keyword (the innermost path id); every other parameter is keyword-only."""
    doc: str = ""
    """Its line of the method's `Args:` section (_phrasing)."""


@dataclass
class Operation:
    id: str
    sdk_name: str
    method: str
    path: str
    v1_path: str
    """The path under /openai/v1 (Azure's v1 API) and OpenAI's /v1 (see _build)."""
    deployment_scoped: bool
    versions: list[str]
    request_content_type: str | None
    response_content_types: list[str]
    params: list[Param]
    request_model: str | None
    response_model: str | None
    stream_model: str | None
    return_annotation: str
    cast_to: str
    """The runtime's `cast_to` for the response: a class, or a tuple of the kinds the
    operation can answer with (e.g. `(_models.FileDelete, NoneType)`)."""
    page_item: str | None = None
    """For list operations (a GET answering a `data` array): the items' annotation."""
    stream_event_names: bool = False
    """The stream names its events on the `event:` line (the Assistants API)."""
    stream_end: tuple[str, list[str]] | None = None
    """(field, values): the stream is complete after an event whose field has one of
    the values; it sends no data: [DONE] (the Responses API)."""
    stream_item: str = ""
    """The annotation of one event the stream yields: the stream model, or the name of the
    module's alias for the members of a union of event schemas, which the runtime yields unwrapped."""
    stream_item_union: str = ""
    """That alias's value: the union's members (nested unions flattened); "" when the stream
    model is not a union."""
    deprecated: bool = False

    def result(self, is_async: bool) -> str:
        """The annotation of what the method returns, without the stream variants."""
        if self.page_item is not None:
            return f"{'AsyncPaginator' if is_async else 'SyncPage'}[{self.page_item}]"
        return self.return_annotation

    @property
    def page_item_class(self) -> str:
        """`_request_page`'s `item`: the items' class (`object` where they have none)."""
        assert self.page_item is not None
        return "object" if self.page_item == "Any" else self.page_item

    @property
    def const_name(self) -> str:
        return self.sdk_name.upper().replace(".", "_")

    @property
    def method_name(self) -> str:
        return self.sdk_name.rsplit(".", 1)[-1]

    def located(self, *locations: str) -> list[Param]:
        return [p for p in self.params if p.location in locations]


@dataclass(frozen=True)
class Mixin:
    """Hand-written methods a generated resource class inherits (see _mixins.py)."""

    module: str
    """The runtime module, by its installed name (`azgate._helpers._chat`)."""
    sync_class: str
    async_class: str

    def class_for(self, is_async: bool) -> str:
        return self.async_class if is_async else self.sync_class


@dataclass
class Resource:
    """A node of the client tree: `client.chat` holds `completions`, which holds `create`."""

    path: tuple[str, ...]
    operations: list[Operation] = field(default_factory=list)
    children: dict[str, Resource] = field(default_factory=dict)
    mixin: Mixin | None = None

    @property
    def class_name(self) -> str:
        return "".join(part.title().replace("_", "") for part in self.path)

    @property
    def attr_name(self) -> str:
        return self.path[-1]

    def walk(self) -> list[Resource]:
        """This resource and all below it, children before parents (so classes are
        defined before the properties that return them)."""
        nodes: list[Resource] = []
        for child in self.children.values():
            nodes.extend(child.walk())
        nodes.append(self)
        return nodes
