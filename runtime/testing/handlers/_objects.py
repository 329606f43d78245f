"""Shared by the stateful handlers: Azure's authoring errors, file lookups, status codes.

The authoring operations (files, batches, fine-tuning, uploads, models) answer errors in
the Microsoft REST guidelines shape their documents declare: `{"error": {"code":
"notFound" | "invalidPayload" | "conflict" | ..., "message", "target"?}}`.
"""

from __future__ import annotations

from .._call import Call
from .._errors import AzureError
from .._store import StoredFile

__all__ = ["conflict", "invalid_payload", "not_found", "require_file", "version_in"]


def not_found(what: str, object_id: str) -> AzureError:
    return AzureError(404, "notFound", f"{what} with id '{object_id}' was not found.")


def invalid_payload(message: str) -> AzureError:
    return AzureError(400, "invalidPayload", message)


def conflict(message: str) -> AzureError:
    # Acting on an object in a state that forbids it (cancel a finished job, ...).
    return AzureError(409, "conflict", message)


def require_file(call: Call, file_id: str, *, purpose: str | None = None, field: str = "file") -> StoredFile:
    stored = call.store.files.get(file_id)
    if stored is None:
        raise not_found("File", file_id)
    if purpose is not None and stored.purpose != purpose:
        raise invalid_payload(
            f"The {field} '{file_id}' has purpose '{stored.purpose}'; this operation needs a file with purpose '{purpose}'."
        )
    return stored


def version_in(call: Call, *versions: str) -> bool:
    """Whether the request's api-version is one of `versions` (v1 never is)."""
    return call.api_version in versions
