"""vector_stores.* (2025-03-01-preview and later) against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from azgate.exceptions import BadRequestError, NotFoundError
from azgate.generated import models
from azgate.testing import Emulator
from helpers import collect, make_client, resolve


@pytest.fixture
async def preview(flavour: str, emulator: Emulator) -> Any:
    client = make_client(flavour, emulator, api_version="2025-04-01-preview")
    yield client
    await resolve(client.close())


async def upload(client: Any, name: str, text: str) -> str:
    return str((await resolve(client.files.create(file=(name, text.encode()), purpose="assistants"))).id)


async def test_store_files_search_and_content(preview: Any) -> None:
    cats = await upload(preview, "cats.txt", "cats purr\ncats sleep all day")
    dogs = await upload(preview, "dogs.txt", "dogs bark loudly")
    store = await resolve(preview.vector_stores.create(name="pets", file_ids=[cats]))
    assert isinstance(store, models.VectorStoreObject) and store.file_counts.completed == 1
    added = await resolve(preview.vector_stores.files.create(vector_store_id=store.id, file_id=dogs))
    assert added.status == "completed" and added.vector_store_id == store.id
    found = await resolve(preview.vector_stores.search(vector_store_id=store.id, query="dogs bark"))
    assert found.data[0].filename == "dogs.txt" and found.data[0].content[0].text == "dogs bark loudly"
    content = await collect(await resolve(preview.vector_stores.files.content(vector_store_id=store.id, file_id=cats)))
    assert content[0].text.startswith("cats purr")
    tagged = await resolve(
        preview.vector_stores.files.update(vector_store_id=store.id, file_id=cats, attributes={"kind": "cat"})
    )
    assert tagged.attributes == {"kind": "cat"}
    listed = await collect(await resolve(preview.vector_stores.files.list(vector_store_id=store.id, limit=1)))
    assert sorted(f.id for f in listed) == sorted([cats, dogs])
    assert (await resolve(preview.vector_stores.files.retrieve(vector_store_id=store.id, file_id=dogs))).id == dogs
    removed = await resolve(preview.vector_stores.files.delete(vector_store_id=store.id, file_id=dogs))
    assert removed.deleted is True
    renamed = await resolve(preview.vector_stores.update(vector_store_id=store.id, name="cats only"))
    assert renamed.name == "cats only" and renamed.file_counts.total == 1
    assert (await resolve(preview.vector_stores.retrieve(vector_store_id=store.id))).name == "cats only"
    assert [s.id for s in (await resolve(preview.vector_stores.list())).data] == [store.id]
    assert (await resolve(preview.vector_stores.delete(vector_store_id=store.id))).deleted is True
    with pytest.raises(NotFoundError):
        await resolve(preview.vector_stores.retrieve(vector_store_id=store.id))


async def test_file_batches(preview: Any) -> None:
    ids = [await upload(preview, f"{i}.txt", f"text {i}") for i in range(3)]
    store = await resolve(preview.vector_stores.create(name="b"))
    batch = await resolve(preview.vector_stores.file_batches.create(vector_store_id=store.id, file_ids=ids))
    assert batch.status == "completed" and batch.file_counts.total == 3
    again = await resolve(preview.vector_stores.file_batches.retrieve(vector_store_id=store.id, batch_id=batch.id))
    assert again.file_counts.completed == 3
    files = await collect(
        await resolve(preview.vector_stores.file_batches.list_files(vector_store_id=store.id, batch_id=batch.id))
    )
    assert sorted(f.id for f in files) == sorted(ids)
    cancelled = await resolve(preview.vector_stores.file_batches.cancel(vector_store_id=store.id, batch_id=batch.id))
    assert cancelled.status == "completed"  # indexing is instant: nothing left to cancel


async def test_unknown_file_is_refused(preview: Any) -> None:
    store = await resolve(preview.vector_stores.create(name="x"))
    with pytest.raises(BadRequestError) as caught:
        await resolve(preview.vector_stores.files.create(vector_store_id=store.id, file_id="file-nope"))
    assert "file-nope" in caught.value.message
