"""Files_*: uploads kept in memory, listed, read back, deleted, imported.

An upload is "processed" at once. Delete answers 204 where the api-version's document
says so (the 2024-03-01-preview authoring document, used by 2023-12-01-preview and
2024-02-15-preview) and 200 with a body from 2024-10-21 on. Import takes the emulator's
own blob URLs (GET /_emulator/blobs/<name>; put bytes in `emulator.store.blobs`) and
`data:` URLs; it cannot fetch from the internet.
"""

from __future__ import annotations

import base64
import urllib.parse

from .._call import Call
from .._errors import AzureError, invalid_request
from .._responses import JsonReply, RawReply, Reply
from .._store import StoredFile, paginate
from ._objects import require_file, version_in
from ._text import new_id, now

__all__ = ["add_file", "delete_file", "file_content", "get_file", "import_file", "list_files", "upload_file"]

_DELETE_204 = ("2023-12-01-preview", "2024-02-15-preview")
_BLOB_PATH = "/_emulator/blobs/"


def add_file(call: Call, filename: str, purpose: str, content: bytes) -> StoredFile:
    stored = StoredFile(id=new_id("file-"), filename=filename, purpose=purpose, content=content, created_at=now())
    call.store.files[stored.id] = stored
    return stored


async def upload_file(call: Call) -> Reply:
    upload = call.body.get("file")
    if upload is None or isinstance(upload, str):
        raise invalid_request("'file' must be an uploaded file", param="file")
    content: bytes = await upload.read()
    purpose = str(call.body.get("purpose", ""))
    stored = add_file(call, upload.filename or "file", purpose, content)
    return JsonReply(stored.to_json(), status=201)


def list_files(call: Call) -> Reply:
    purpose = call.query.get("purpose")
    files = [f.to_json() for f in call.store.files.values() if purpose is None or f.purpose == purpose]
    # Versions without `limit` return every file in one page.
    default_limit = 10_000 if "limit" not in call.query else 20
    return JsonReply(paginate(files, call.query, default_limit=default_limit))


def get_file(call: Call) -> Reply:
    return JsonReply(require_file(call, call.path_params["file-id"]).to_json())


def file_content(call: Call) -> Reply:
    stored = require_file(call, call.path_params["file-id"])
    return RawReply(stored.content, "application/octet-stream")


def delete_file(call: Call) -> Reply:
    stored = require_file(call, call.path_params["file-id"])
    del call.store.files[stored.id]
    if version_in(call, *_DELETE_204):
        return RawReply(b"", "", status=204)
    return JsonReply({"object": "file", "id": stored.id, "deleted": True})


def _fetch(call: Call, url: str) -> bytes:
    if url.startswith("data:"):
        header, _, payload = url.partition(",")
        if header.endswith(";base64"):
            return base64.b64decode(payload)
        return urllib.parse.unquote_to_bytes(payload)
    path = urllib.parse.urlsplit(url).path
    if path.startswith(_BLOB_PATH):
        found = call.store.blobs.get(path[len(_BLOB_PATH) :])
        if found is not None:
            return found[0]
    raise AzureError(
        400,
        "fileImportFailed",
        f"Could not import the file from content_url {url!r} (emulator: it imports data: URLs and its own "
        f"blob URLs {_BLOB_PATH}<name>; add bytes with emulator.store.blobs[name] = (data, media_type)).",
    )


def import_file(call: Call) -> Reply:
    content = _fetch(call, str(call.body.get("content_url", "")))
    stored = add_file(call, str(call.body.get("filename", "file")), str(call.body.get("purpose", "")), content)
    return JsonReply(stored.to_json(), status=201)
