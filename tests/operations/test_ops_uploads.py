"""uploads.* against the emulator: parts assembled into a file."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from azgate.exceptions import BadRequestError, ConflictError, NotFoundError
from azgate.generated import models
from helpers import resolve

DATA = b'{"a": 1}\n{"b": 2}\n'


async def test_parts_complete_into_a_file(client: Any) -> None:
    upload = await resolve(
        client.uploads.create(purpose="batch", filename="big.jsonl", bytes=len(DATA), mime_type="application/jsonl")
    )
    assert isinstance(upload, models.UploadResource) and upload.status == "pending"
    first = await resolve(client.uploads.parts.create(upload_id=upload.id, data=DATA[:9]))
    second = await resolve(client.uploads.parts.create(upload_id=upload.id, data=DATA[9:]))
    assert isinstance(first, models.UploadPartResource) and first.upload_id == upload.id
    done = await resolve(
        client.uploads.complete(upload_id=upload.id, part_ids=[first.id, second.id], md5=hashlib.md5(DATA).hexdigest())
    )
    assert done.status == "completed" and done.file.bytes == len(DATA) and done.file.filename == "big.jsonl"
    assert (await resolve(client.files.content(file_id=done.file.id))).content == DATA
    with pytest.raises(ConflictError):
        await resolve(client.uploads.parts.create(upload_id=upload.id, data=b"more"))


async def test_size_mismatch_cancel_and_unknown(client: Any) -> None:
    upload = await resolve(client.uploads.create(purpose="batch", filename="x", bytes=100, mime_type="text/plain"))
    part = await resolve(client.uploads.parts.create(upload_id=upload.id, data=b"short"))
    with pytest.raises(BadRequestError) as caught:
        await resolve(client.uploads.complete(upload_id=upload.id, part_ids=[part.id]))
    assert caught.value.code == "invalidPayload"
    cancelled = await resolve(client.uploads.cancel(upload_id=upload.id))
    assert cancelled.status == "cancelled"
    with pytest.raises(NotFoundError):
        await resolve(client.uploads.cancel(upload_id="upload_nope"))
