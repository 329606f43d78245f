"""UploadFile_*: a large file in parts, assembled into one file on complete.

complete takes the parts in the order of `part_ids`, checks their total against the
`bytes` declared at start (and `md5` when given), and creates the file; an upload that
is completed or cancelled takes no more parts.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from typing import Any

from .._call import Call
from .._errors import invalid_request
from .._responses import JsonReply, Reply
from .._store import public
from ._objects import conflict, invalid_payload, not_found
from ._text import now
from .files import add_file

__all__ = ["add_part", "cancel_upload", "complete_upload", "create_upload"]

_KIND = "upload"
_PARTS = "upload.part"
_LIFETIME = 3600  # uploads expire after an hour


def create_upload(call: Call) -> Reply:
    body = call.body
    created = now()
    upload: dict[str, Any] = {
        "object": "upload",
        "id": "upload_" + uuid.uuid4().hex,
        "created_at": created,
        "expires_at": created + _LIFETIME,
        "bytes": body.get("bytes"),
        "filename": body.get("filename"),
        "purpose": body.get("purpose"),
        "status": "pending",
        "file": None,
    }
    call.store.kind(_KIND)[upload["id"]] = upload
    return JsonReply(public(upload))


def _pending(call: Call) -> dict[str, Any]:
    upload_id = call.path_params["upload-id"]
    upload = call.store.kind(_KIND).get(upload_id)
    if upload is None:
        raise not_found("Upload", upload_id)
    if upload["status"] != "pending":
        raise conflict(f"Upload {upload_id} is {upload['status']}; it takes no more changes.")
    return upload


async def add_part(call: Call) -> Reply:
    upload = _pending(call)
    data = call.body.get("data")
    if data is None or isinstance(data, str):
        raise invalid_request("'data' must be an uploaded chunk", param="data")
    content: bytes = await data.read()
    part_id = "part_" + uuid.uuid4().hex
    part = {
        "object": "upload.part",
        "id": part_id,
        "created_at": now(),
        "upload_id": upload["id"],
        "azure_block_id": base64.b64encode(part_id.encode()).decode(),
        "_content": content,
    }
    call.store.kind(_PARTS)[part_id] = part
    return JsonReply(public(part))


def complete_upload(call: Call) -> Reply:
    upload = _pending(call)
    parts = call.store.kind(_PARTS)
    chunks = []
    for part_id in call.body.get("part_ids") or []:
        part = parts.get(str(part_id))
        if part is None or part["upload_id"] != upload["id"]:
            raise invalid_payload(f"Part '{part_id}' is not a part of upload {upload['id']}.")
        chunks.append(part["_content"])
    content = b"".join(chunks)
    if len(content) != upload["bytes"]:
        raise invalid_payload(f"The parts hold {len(content)} bytes; the upload was created for {upload['bytes']}.")
    md5 = call.body.get("md5")
    if md5 and md5 != hashlib.md5(content).hexdigest():  # a checksum, not security
        raise invalid_payload("The md5 of the assembled file does not match 'md5'.")
    stored = add_file(call, str(upload["filename"]), str(upload["purpose"]), content)
    upload["status"], upload["file"] = "completed", stored.to_json()
    return JsonReply(public(upload))


def cancel_upload(call: Call) -> Reply:
    upload = _pending(call)
    upload["status"] = "cancelled"
    return JsonReply(public(upload))
