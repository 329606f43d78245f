"""The emulator's in-memory objects: files, images, batches, jobs, assistants, ...

Everything a stateful operation creates lives in one `Store`, shared by the handlers
(on the server thread) and the test (knobs only: `tick`, `expire_batch`). Long-running
objects (batches, fine-tuning jobs, runs) advance lazily: each read moves them on by as
many steps as `tick` seconds allow, so no background task exists and `tick = 0` makes
them finish on the first read after creation.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._errors import invalid_request

__all__ = ["DEFAULT_TICK", "LineRunner", "Store", "StoredFile", "paginate", "public"]

DEFAULT_TICK = 0.2
"""Seconds between two states of a batch or fine-tuning job (0: as fast as reads come)."""

LineRunner = Callable[[str, Mapping[str, Any], str], tuple[int, Mapping[str, Any]]]
"""(url, body, api_version) -> (status, JSON body): one batch line through the app."""


@dataclass(slots=True)
class StoredFile:
    id: str
    filename: str
    purpose: str
    content: bytes
    created_at: int
    status: str = "processed"
    status_details: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "object": "file",
            "id": self.id,
            "bytes": len(self.content),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": self.status,
            "status_details": self.status_details,
        }


@dataclass(slots=True)
class Store:
    tick: float = DEFAULT_TICK
    files: dict[str, StoredFile] = field(default_factory=dict)
    blobs: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    """Blob name -> (bytes, media type): image URLs the emulator serves itself."""
    objects: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """Kind ("batch", "assistant", ...) -> id -> the object's JSON, in creation order."""
    clocks: dict[str, float] = field(default_factory=dict)
    """Object id -> monotonic time of its last step, for the time-driven ones."""
    expiring: set[str] = field(default_factory=set)
    """Batches asked to expire at their next step."""
    runner: LineRunner | None = None
    """Set by the app: runs a batch line through the emulator's own handlers."""
    deployments: dict[str, str] = field(default_factory=dict)
    """Set by the app: the state's live deployment table (name -> model), for models.list."""

    def clear(self) -> None:
        self.tick = DEFAULT_TICK
        self.files.clear()
        self.blobs.clear()
        self.objects.clear()
        self.clocks.clear()
        self.expiring.clear()

    def kind(self, name: str) -> dict[str, dict[str, Any]]:
        return self.objects.setdefault(name, {})

    def expire_batch(self, batch_id: str) -> None:
        """Make a batch expire (as after 24 h) at its next step."""
        self.expiring.add(batch_id)

    def fast_forward(self, object_id: str, steps: int = 1) -> None:
        """Let an object take `steps` more steps at its next read (with a tick > 0),
        for tests that want one exact state: set a long tick, then step by hand."""
        self.clocks[object_id] = self.clocks.get(object_id, time.monotonic()) - steps * self.tick

    def start_clock(self, object_id: str) -> None:
        self.clocks[object_id] = time.monotonic()

    def steps_due(self, object_id: str) -> int:
        """How many steps an object may take now; consumes them from its clock."""
        now = time.monotonic()
        last = self.clocks.setdefault(object_id, now)
        if self.tick <= 0:
            self.clocks[object_id] = now
            return 1_000  # "all of them": every machine here has fewer states
        due = int((now - last) / self.tick)
        if due:
            self.clocks[object_id] = last + due * self.tick
        return due


def public(obj: Mapping[str, Any]) -> dict[str, Any]:
    """An object's JSON without the store's private "_keys"."""
    return {k: v for k, v in obj.items() if not k.startswith("_")}


def paginate(
    items: Iterable[Mapping[str, Any]],
    query: Mapping[str, str],
    *,
    default_limit: int = 20,
    default_order: str = "desc",
    max_limit: int = 10_000,
) -> dict[str, Any]:
    """An OpenAI-style list page: `after`/`before` cursors are item ids, `order` by
    creation (the store keeps creation order, so no timestamp ties)."""
    ordered = list(items)
    if query.get("order", default_order) == "desc":
        ordered.reverse()
    ids = [str(item.get("id")) for item in ordered]
    start, stop = 0, len(ordered)
    after, before = query.get("after"), query.get("before")
    if after:
        start = ids.index(after) + 1 if after in ids else len(ids)
    if before:
        stop = ids.index(before) if before in ids else stop
    limit = _limit(query.get("limit"), default_limit, max_limit)
    window = ordered[start:stop]
    page = [public(item) for item in window[:limit]]
    return {
        "object": "list",
        "data": page,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
        "has_more": len(window) > limit,
    }


def _limit(raw: str | None, default: int, maximum: int) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= maximum:
        raise invalid_request(f"Invalid 'limit': expected an integer from 1 to {maximum}, got {raw!r}.", param="limit")
    return value
