"""One validated request, as handlers see it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._core._operation import OperationSpec
from ._store import Store

__all__ = ["Call"]


@dataclass(frozen=True, slots=True)
class Call:
    op: OperationSpec
    api_version: str
    """The request's api-version, or "v1" for the v1 API."""
    deployment: str | None
    model: str
    """The deployment's model name ("" for operations without a deployment)."""
    body: Mapping[str, Any]
    """The JSON body, or the form fields of a multipart request."""
    path_params: Mapping[str, str]
    query: Mapping[str, str]
    headers: Mapping[str, str]
    store: Store = field(default_factory=Store)
    """The emulator's objects (files, batches, ...), for stateful operations."""

    @property
    def stream(self) -> bool:
        return self.body.get("stream") is True
