"""client.uploads.upload_file_chunked(): a file in parts, from a path, bytes or a file
object, ending in a completed upload whose file holds exactly the bytes sent."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any

import pytest
from azgate.exceptions import BadRequestError, ConfigurationError
from azgate.testing import Emulator
from helpers import resolve

DATA = os.urandom(10_000)


def operations(emulator: Emulator) -> list[str]:
    return [str(r.operation) for r in emulator.stats.requests]


async def downloaded(client: Any, upload: Any) -> bytes:
    content = await resolve(client.files.content(upload.file.id))
    return bytes(content.content)


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    path = tmp_path / "train.jsonl"
    path.write_bytes(DATA)
    return path


async def test_a_path_in_parts(ours: Any, emulator: Emulator, big_file: Path) -> None:
    upload = await resolve(
        ours.uploads.upload_file_chunked(file=big_file, mime_type="text/jsonl", purpose="fine-tune", part_size=3000)
    )
    assert upload.status == "completed" and upload.filename == "train.jsonl" and upload.bytes == len(DATA)
    assert await downloaded(ours, upload) == DATA  # the parts, in order
    names = operations(emulator)
    assert names.count("UploadFile_Part") == 4  # 3000 + 3000 + 3000 + 1000
    assert names[0] == "UploadFile_Start" and names[-2] == "UploadFile_Complete"


async def test_bytes_need_a_filename(ours: Any) -> None:
    with pytest.raises(ConfigurationError, match="filename"):
        await resolve(ours.uploads.upload_file_chunked(file=DATA, mime_type="text/plain", purpose="batch"))
    upload = await resolve(
        ours.uploads.upload_file_chunked(
            file=DATA, filename="data.bin", bytes=len(DATA), mime_type="text/plain", purpose="batch", part_size=4096
        )
    )
    assert upload.status == "completed" and await downloaded(ours, upload) == DATA


async def test_a_file_object_from_where_it_stands(ours: Any, big_file: Path) -> None:
    with big_file.open("rb") as handle:
        handle.seek(1000)  # what is left of it is what is uploaded
        upload = await resolve(
            ours.uploads.upload_file_chunked(file=handle, mime_type="text/plain", purpose="batch", part_size=5000)
        )
    assert upload.filename == "train.jsonl" and upload.bytes == len(DATA) - 1000
    assert await downloaded(ours, upload) == DATA[1000:]
    nameless = io.BytesIO(DATA)
    with pytest.raises(ConfigurationError, match="filename"):
        await resolve(ours.uploads.upload_file_chunked(file=nameless, mime_type="text/plain", purpose="batch"))


async def test_md5_is_checked_and_a_failed_upload_is_cancelled(ours: Any, emulator: Emulator, big_file: Path) -> None:
    good = hashlib.md5(DATA).hexdigest()  # a checksum the service compares, not security
    upload = await resolve(
        ours.uploads.upload_file_chunked(file=big_file, mime_type="text/plain", purpose="batch", md5=good)
    )
    assert upload.status == "completed"
    with pytest.raises(BadRequestError, match="md5"):
        await resolve(
            ours.uploads.upload_file_chunked(file=big_file, mime_type="text/plain", purpose="batch", md5="0" * 32)
        )
    assert operations(emulator)[-1] == "UploadFile_Cancel"  # not left pending until it expires


async def test_openai_python_uploads_the_same_way(ours: Any, theirs: Any, emulator: Emulator, big_file: Path) -> None:
    kwargs: dict[str, Any] = {"file": big_file, "mime_type": "text/plain", "purpose": "batch", "part_size": 2500}
    mine = await resolve(ours.uploads.upload_file_chunked(**kwargs))
    emulator.stats.reset()
    reference = await resolve(theirs.uploads.upload_file_chunked(**kwargs))
    assert (mine.status, mine.bytes, mine.filename) == (reference.status, reference.bytes, reference.filename)
    their_calls = operations(emulator)
    emulator.stats.reset()
    await resolve(ours.uploads.upload_file_chunked(**kwargs))
    assert operations(emulator) == their_calls


async def test_bad_input_is_refused_before_sending(ours: Any, emulator: Emulator, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nothing\.jsonl"):
        await resolve(
            ours.uploads.upload_file_chunked(file=tmp_path / "nothing.jsonl", mime_type="text/plain", purpose="batch")
        )
    with pytest.raises(ConfigurationError, match="part_size"):
        await resolve(
            ours.uploads.upload_file_chunked(
                file=DATA, filename="x", mime_type="text/plain", purpose="batch", part_size=0
            )
        )
    assert emulator.stats.count() == 0
