"""Vector stores: stores of uploaded files, their files and file batches, and search.

Files are "indexed" at once (status completed). Search is a word-overlap score over
the files' text, so a query finds the file that says it; results carry the matching
line as content. Lists page like the Assistants API (first_id/last_id never null).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from .._call import Call
from .._errors import invalid_request
from .._responses import JsonReply, Reply
from .._store import public
from ._text import now
from .assistants import lookup, page

__all__ = [
    "cancel_file_batch",
    "create_file_batch",
    "create_store",
    "create_store_file",
    "delete_store",
    "delete_store_file",
    "file_content",
    "get_file_batch",
    "get_store",
    "get_store_file",
    "list_batch_files",
    "list_store_files",
    "list_stores",
    "search",
    "update_store",
    "update_store_file",
]

_STORE = "vector_store"
_FILE = "vector_store.file"
_BATCH = "vector_store.files_batch"


def _counts(files: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0}
    for f in files:
        counts[f["status"]] += 1
    return {**counts, "total": len(files)}


def _files_of(call: Call, store_id: str) -> list[dict[str, Any]]:
    return [f for f in call.store.kind(_FILE).values() if f["vector_store_id"] == store_id]


def _view(call: Call, store: dict[str, Any]) -> dict[str, Any]:
    files = _files_of(call, store["id"])
    return {**public(store), "file_counts": _counts(files), "usage_bytes": sum(f["usage_bytes"] for f in files)}


def _add_file(call: Call, store_id: str, file_id: Any, batch_id: str | None = None, **extra: Any) -> dict[str, Any]:
    stored = call.store.files.get(str(file_id))
    if stored is None:
        raise invalid_request(f"Files [{file_id}] were not found.", param="file_id")
    entry: dict[str, Any] = {
        "id": stored.id,
        "object": "vector_store.file",
        "usage_bytes": len(stored.content),
        "created_at": now(),
        "vector_store_id": store_id,
        "status": "completed",
        "last_error": None,
        "attributes": {},
        "_batch": batch_id,
        **extra,
    }
    call.store.kind(_FILE)[f"{store_id}/{stored.id}"] = entry
    return entry


def create_store(call: Call) -> Reply:
    created = now()
    store: dict[str, Any] = {
        "id": "vs_" + uuid.uuid4().hex[:24],
        "object": "vector_store",
        "created_at": created,
        "name": call.body.get("name") or "",
        "status": "completed",
        "expires_after": call.body.get("expires_after"),
        "expires_at": None,
        "last_active_at": created,
        "metadata": call.body.get("metadata") or {},
    }
    call.store.kind(_STORE)[store["id"]] = store
    for file_id in call.body.get("file_ids") or ():
        _add_file(call, store["id"], file_id)
    return JsonReply(_view(call, store))


def _store_of(call: Call) -> dict[str, Any]:
    return lookup(call, _STORE, call.path_params["vector_store_id"], "vector store")


def get_store(call: Call) -> Reply:
    return JsonReply(_view(call, _store_of(call)))


def update_store(call: Call) -> Reply:
    store = _store_of(call)
    store.update({k: call.body[k] for k in ("name", "expires_after", "metadata") if k in call.body})
    return JsonReply(_view(call, store))


def delete_store(call: Call) -> Reply:
    store = _store_of(call)
    del call.store.kind(_STORE)[store["id"]]
    for f in _files_of(call, store["id"]):
        del call.store.kind(_FILE)[f"{store['id']}/{f['id']}"]
    return JsonReply({"id": store["id"], "object": "vector_store.deleted", "deleted": True})


def list_stores(call: Call) -> Reply:
    return page(call, [_view(call, s) for s in call.store.kind(_STORE).values()])


# -- files ------------------------------------------------------------------------


def create_store_file(call: Call) -> Reply:
    store = _store_of(call)
    extra = {"chunking_strategy": call.body["chunking_strategy"]} if "chunking_strategy" in call.body else {}
    return JsonReply(public(_add_file(call, store["id"], call.body.get("file_id"), **extra)))


def _store_file(call: Call) -> dict[str, Any]:
    store = _store_of(call)
    return lookup(call, _FILE, f"{store['id']}/{call.path_params['file_id']}", "vector store file")


def get_store_file(call: Call) -> Reply:
    return JsonReply(public(_store_file(call)))


def update_store_file(call: Call) -> Reply:
    entry = _store_file(call)
    entry["attributes"] = call.body.get("attributes") or {}
    return JsonReply(public(entry))


def delete_store_file(call: Call) -> Reply:
    entry = _store_file(call)
    del call.store.kind(_FILE)[f"{entry['vector_store_id']}/{entry['id']}"]
    return JsonReply({"id": entry["id"], "object": "vector_store.file.deleted", "deleted": True})


def _filtered(call: Call, files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    wanted = call.query.get("filter")
    return [f for f in files if wanted is None or f["status"] == wanted]


def list_store_files(call: Call) -> Reply:
    return page(call, _filtered(call, _files_of(call, _store_of(call)["id"])))


def _text(call: Call, file_id: str) -> str:
    stored = call.store.files.get(file_id)
    return stored.content.decode("utf-8", "replace") if stored is not None else ""


def file_content(call: Call) -> Reply:
    entry = _store_file(call)
    data = [{"type": "text", "text": _text(call, entry["id"])}]
    return JsonReply({"object": "vector_store.file_content.page", "data": data, "has_more": False, "next_page": None})


# -- file batches -----------------------------------------------------------------


def create_file_batch(call: Call) -> Reply:
    store = _store_of(call)
    batch_id = "vsfb_" + uuid.uuid4().hex[:24]
    files = [_add_file(call, store["id"], file_id, batch_id) for file_id in call.body.get("file_ids") or ()]
    batch = {
        "id": batch_id,
        "object": "vector_store.files_batch",
        "created_at": now(),
        "vector_store_id": store["id"],
        "status": "completed",
    }
    call.store.kind(_BATCH)[batch_id] = batch
    return JsonReply({**batch, "file_counts": _counts(files)})


def _batch(call: Call) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    store = _store_of(call)
    batch = lookup(call, _BATCH, call.path_params["batch_id"], "vector store file batch")
    return batch, [f for f in _files_of(call, store["id"]) if f["_batch"] == batch["id"]]


def get_file_batch(call: Call) -> Reply:
    batch, files = _batch(call)
    return JsonReply({**batch, "file_counts": _counts(files)})


def cancel_file_batch(call: Call) -> Reply:
    batch, files = _batch(call)
    # Indexing is instant here, so there is never anything left to cancel.
    batch["status"] = "cancelled" if any(f["status"] == "in_progress" for f in files) else batch["status"]
    return JsonReply({**batch, "file_counts": _counts(files)})


def list_batch_files(call: Call) -> Reply:
    return page(call, _filtered(call, _batch(call)[1]))


# -- search -----------------------------------------------------------------------


def _score(query: set[str], line: str) -> float:
    words = set(line.lower().split())
    return len(query & words) / len(query) if query else 0.0


def search(call: Call) -> Reply:
    store = _store_of(call)
    raw = call.body.get("query")
    queries = [str(q) for q in raw] if isinstance(raw, list) else [str(raw or "")]
    terms = {w for q in queries for w in q.lower().split()}
    limit = call.body.get("max_num_results", 10)
    results: list[Mapping[str, Any]] = []
    for entry in _files_of(call, store["id"]):
        lines = _text(call, entry["id"]).splitlines() or [""]
        best = max(lines, key=lambda line: _score(terms, line))
        score = _score(terms, best)
        if score > 0:
            stored = call.store.files[entry["id"]]
            results.append(
                {
                    "file_id": entry["id"],
                    "filename": stored.filename,
                    "score": score,
                    "attributes": entry["attributes"],
                    "content": [{"type": "text", "text": best}],
                }
            )
    results.sort(key=lambda r: -float(r["score"]))
    return JsonReply(
        {
            "object": "vector_store.search_results.page",
            "search_query": queries,
            "data": results[: int(limit)],
            "has_more": len(results) > int(limit),
            "next_page": None,
        }
    )
