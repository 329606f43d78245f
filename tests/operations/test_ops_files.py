"""files.* against the emulator: upload, list (paged), retrieve, content, delete, import."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from azgate.exceptions import BadRequestError, NotFoundError
from azgate.generated import models
from azgate.testing import Emulator
from helpers import make_client, resolve

JSONL = b'{"prompt": "a", "completion": "b"}\n'


async def test_upload_retrieve_content_delete(client: Any) -> None:
    created = await resolve(client.files.create(file=("train.jsonl", JSONL), purpose="fine-tune"))
    assert isinstance(created, models.File)
    assert created.status == "processed" and created.bytes == len(JSONL) and created.filename == "train.jsonl"
    assert created.id.startswith("file-")
    fetched = await resolve(client.files.retrieve(file_id=created.id))
    assert fetched.id == created.id and fetched.purpose == "fine-tune"
    content = await resolve(client.files.content(file_id=created.id))
    assert content.content == JSONL
    assert content.response.headers["content-type"] == "application/octet-stream"
    deleted = await resolve(client.files.delete(file_id=created.id))
    assert deleted.deleted is True and deleted.id == created.id
    with pytest.raises(NotFoundError) as caught:
        await resolve(client.files.retrieve(file_id=created.id))
    assert caught.value.code == "notFound" and created.id in caught.value.message


async def test_delete_is_204_in_the_2024_03_authoring_versions(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_version="2024-02-15-preview")
    created = await resolve(client.files.create(file=("a.jsonl", JSONL), purpose="fine-tune"))
    assert await resolve(client.files.delete(file_id=created.id)) is None
    assert emulator.stats.requests[-1].status == 204
    await resolve(client.close())


async def test_list_filters_by_purpose(client: Any) -> None:
    batch = await resolve(client.files.create(file=("b.jsonl", JSONL), purpose="batch"))
    await resolve(client.files.create(file=("f.jsonl", JSONL), purpose="fine-tune"))
    page = await resolve(client.files.list(purpose="batch"))
    assert [f.id for f in page.data] == [batch.id]
    everything = await resolve(client.files.list())
    assert len(everything.data) == 2


async def test_list_pages_through_every_file(flavour: str, emulator: Emulator) -> None:
    # limit/after first appear on Files_List in 2025-03-01-preview.
    client = make_client(flavour, emulator, api_version="2025-04-01-preview")
    ids = [(await resolve(client.files.create(file=(f"{i}.jsonl", JSONL), purpose="batch"))).id for i in range(5)]
    page = await resolve(client.files.list(limit=2))
    assert len(page.data) == 2 and page.has_more
    assert page.data[0].id == ids[-1]  # newest first
    every = list(page) if flavour == "sync" else [f async for f in page]
    assert [f.id for f in every] == ids[::-1]
    await resolve(client.close())


async def test_import_from_an_emulator_blob_and_a_data_url(client: Any, emulator: Emulator) -> None:
    emulator.store.blobs["train.jsonl"] = (JSONL, "application/jsonl")
    url = f"{emulator.endpoint}/_emulator/blobs/train.jsonl?sv=2024&sig=x"
    imported = await resolve(client.files.import_(purpose="fine-tune", filename="train.jsonl", content_url=url))
    assert imported.bytes == len(JSONL)
    assert (await resolve(client.files.content(file_id=imported.id))).content == JSONL
    inline = await resolve(
        client.files.import_(purpose="batch", filename="x.jsonl", content_url="data:application/jsonl,%7B%7D%0A")
    )
    assert inline.bytes == 3


async def test_import_from_elsewhere_fails(client: Any) -> None:
    with pytest.raises(BadRequestError) as caught:
        await resolve(
            client.files.import_(purpose="batch", filename="x", content_url="https://example.invalid/blob.jsonl")
        )
    assert caught.value.code == "fileImportFailed"


def test_files_are_not_in_api_versions_without_them(emulator: Emulator) -> None:
    # 2024-02-01 has no authoring operations: Azure answers its bare 404.
    response = httpx.get(
        f"{emulator.endpoint}/openai/files?api-version=2024-02-01", headers={"api-key": emulator.api_key}
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "404"


async def test_a_retried_upload_sends_the_whole_file_again(client: Any, emulator: Emulator, tmp_path: Any) -> None:
    path = tmp_path / "train.jsonl"
    path.write_bytes(JSONL * 100)
    emulator.faults.add("rate_limit", times=1, retry_after_ms=10, operation="Files_Upload")
    with path.open("rb") as handle:  # an open handle: read once, resent whole on the retry
        created = await resolve(client.files.create(file=handle, purpose="fine-tune"))
    assert emulator.stats.count("Files_Upload") == 2
    assert created.bytes == len(JSONL) * 100 and created.filename == "train.jsonl"
    content = await resolve(client.files.content(file_id=created.id))
    assert content.content == JSONL * 100


async def test_upload_from_a_path(client: Any, tmp_path: Any) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(JSONL)
    created = await resolve(client.files.create(file=path, purpose="fine-tune"))
    assert created.filename == "batch.jsonl" and created.bytes == len(JSONL)


async def test_a_missing_file_fails_before_any_request(client: Any, emulator: Emulator, tmp_path: Any) -> None:
    with pytest.raises(FileNotFoundError, match=r"file: there is no file at .*missing\.jsonl"):
        await resolve(client.files.create(file=tmp_path / "missing.jsonl", purpose="fine-tune"))
    assert emulator.stats.count() == 0
