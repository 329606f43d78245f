"""batches.* against the emulator: lines really run through the emulator's handlers."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from azgate.exceptions import BadRequestError, ConflictError, NotFoundError, UnsupportedByApiVersionError
from azgate.generated import models
from azgate.testing import Emulator
from helpers import make_client, resolve

TERMINAL = {"completed", "failed", "expired", "cancelled"}


def line(custom_id: str, body: dict[str, Any], url: str = "/chat/completions") -> str:
    return json.dumps({"custom_id": custom_id, "method": "POST", "url": url, "body": body})


def chat(text: str, model: str = "gpt-4") -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}]}


async def upload(client: Any, *lines: str) -> str:
    data = ("\n".join(lines) + "\n").encode()
    created = await resolve(client.files.create(file=("input.jsonl", data), purpose="batch"))
    return str(created.id)


async def wait(client: Any, batch_id: str) -> tuple[Any, list[str]]:
    """Poll until the batch ends; also return the states seen on the way."""
    seen: list[str] = []
    for _ in range(200):
        batch = await resolve(client.batches.retrieve(batch_id=batch_id))
        if not seen or seen[-1] != batch.status:
            seen.append(batch.status)
        if batch.status in TERMINAL:
            return batch, seen
        await asyncio.sleep(0.02)
    raise AssertionError(f"batch stuck in {seen}")


async def jsonl(client: Any, file_id: str) -> list[dict[str, Any]]:
    content = await resolve(client.files.content(file_id=file_id))
    return [json.loads(x) for x in content.content.decode().splitlines()]


async def test_batch_runs_lines_through_the_handlers(client: Any, emulator: Emulator) -> None:
    emulator.store.tick = 0.02  # fast, yet every state shows
    file_id = await upload(
        client,
        line("ok-1", chat("first")),
        line("ok-2", chat("second", model="gpt-4o")),
        line("bad-body", {"model": "gpt-4", "messages": "not a list"}),
        line("no-deployment", chat("x", model="nope")),
    )
    batch = await resolve(
        client.batches.create(input_file_id=file_id, endpoint="/chat/completions", completion_window="24h")
    )
    assert isinstance(batch, models.Batch) and batch.status == "validating"
    done, seen = await wait(client, batch.id)
    assert seen[-1] == "completed" and seen == [
        s for s in ["validating", "in_progress", "finalizing", "completed"] if s in seen
    ]
    assert done.request_counts.total == 4 and done.request_counts.completed == 2 and done.request_counts.failed == 2
    assert done.in_progress_at and done.finalizing_at and done.completed_at
    output = {row["custom_id"]: row for row in await jsonl(client, done.output_file_id)}
    assert output["ok-1"]["response"]["status_code"] == 200
    assert output["ok-1"]["response"]["body"]["choices"][0]["message"]["content"] == "You said: first"
    assert output["ok-2"]["response"]["body"]["model"] == "gpt-4o"
    errors = {row["custom_id"]: row for row in await jsonl(client, done.error_file_id)}
    assert errors["bad-body"]["response"]["status_code"] == 400
    assert (
        errors["bad-body"]["error"]["code"] == "invalid_type" and "'messages'" in errors["bad-body"]["error"]["message"]
    )
    assert errors["no-deployment"]["error"]["code"] == "DeploymentNotFound"
    output_file = await resolve(client.files.retrieve(file_id=done.output_file_id))
    assert output_file.purpose == "batch_output"


async def test_embeddings_batch_at_once(client: Any, emulator: Emulator) -> None:
    emulator.store.tick = 0
    body = {"model": "text-embedding-ada-002", "input": "hello"}
    file_id = await upload(client, line("e", body, url="/embeddings"))
    batch = await resolve(client.batches.create(input_file_id=file_id, endpoint="/embeddings", completion_window="24h"))
    done = await resolve(client.batches.retrieve(batch_id=batch.id))
    assert done.status == "completed" and done.error_file_id is None
    [row] = await jsonl(client, done.output_file_id)
    assert len(row["response"]["body"]["data"][0]["embedding"]) == 1536


async def test_invalid_jsonl_fails_the_batch(client: Any, emulator: Emulator) -> None:
    emulator.store.tick = 0
    file_id = await upload(client, line("a", chat("x")), "{not json", line("b", chat("y"), url="/embeddings"))
    batch = await resolve(
        client.batches.create(input_file_id=file_id, endpoint="/chat/completions", completion_window="24h")
    )
    # Read over plain HTTP: the SDK's Batch model cannot hold the list yet (see below).
    failed = httpx.get(
        f"{emulator.endpoint}/openai/batches/{batch.id}?api-version=2024-10-21", headers={"api-key": emulator.api_key}
    ).json()
    assert failed["status"] == "failed" and failed["failed_at"] and failed["output_file_id"] is None
    codes = [(e["line"], e["code"]) for e in failed["errors"]["data"]]
    assert codes == [(2, "invalid_json_line"), (3, "mismatched_url")]


async def test_failed_batch_errors_parse_through_the_sdk(client: Any, emulator: Emulator) -> None:
    emulator.store.tick = 0
    file_id = await upload(client, "{not json")
    batch = await resolve(
        client.batches.create(input_file_id=file_id, endpoint="/chat/completions", completion_window="24h")
    )
    failed = await resolve(client.batches.retrieve(batch_id=batch.id))
    assert failed.errors.data[0].code == "invalid_json_line"


async def test_cancel(client: Any, emulator: Emulator) -> None:
    emulator.store.tick = 60  # hold it in validating
    file_id = await upload(client, line("a", chat("x")))
    batch = await resolve(
        client.batches.create(input_file_id=file_id, endpoint="/chat/completions", completion_window="24h")
    )
    cancelling = await resolve(client.batches.cancel(batch_id=batch.id))
    assert cancelling.status == "cancelling" and cancelling.cancelling_at
    emulator.store.tick = 0
    cancelled = await resolve(client.batches.retrieve(batch_id=batch.id))
    assert cancelled.status == "cancelled" and cancelled.cancelled_at
    with pytest.raises(ConflictError):
        await resolve(client.batches.cancel(batch_id=batch.id))


async def test_expire_on_request(client: Any, emulator: Emulator) -> None:
    emulator.store.tick = 60
    file_id = await upload(client, line("a", chat("x")), line("b", chat("y")))
    batch = await resolve(
        client.batches.create(input_file_id=file_id, endpoint="/chat/completions", completion_window="24h")
    )
    httpx.post(f"{emulator.endpoint}/_emulator/batches/{batch.id}/expire").raise_for_status()
    httpx.post(f"{emulator.endpoint}/_emulator/store", json={"tick": 0}).raise_for_status()
    expired = await resolve(client.batches.retrieve(batch_id=batch.id))
    assert expired.status == "expired" and expired.expired_at
    assert expired.request_counts.failed == 0 and expired.error_file_id is None  # expired before validation


async def test_list_pages(client: Any, emulator: Emulator, flavour: str) -> None:
    file_id = await upload(client, line("a", chat("x")))
    ids = []
    for _ in range(5):
        b = await resolve(
            client.batches.create(input_file_id=file_id, endpoint="/chat/completions", completion_window="24h")
        )
        ids.append(b.id)
    page = await resolve(client.batches.list(limit=2))
    assert [b.id for b in page.data] == ids[::-1][:2]
    assert page.has_more and page.page.first_id == ids[-1] and page.page.last_id == ids[-2]
    every = list(page) if flavour == "sync" else [b async for b in page]
    assert [b.id for b in every] == ids[::-1]


async def test_create_errors(client: Any) -> None:
    with pytest.raises(NotFoundError) as missing:
        await resolve(
            client.batches.create(input_file_id="file-nope", endpoint="/chat/completions", completion_window="24h")
        )
    assert missing.value.code == "notFound"
    tune = await resolve(client.files.create(file=("t.jsonl", b"{}\n"), purpose="fine-tune"))
    with pytest.raises(BadRequestError) as wrong_purpose:
        await resolve(
            client.batches.create(input_file_id=tune.id, endpoint="/chat/completions", completion_window="24h")
        )
    assert wrong_purpose.value.code == "invalidPayload" and "purpose" in wrong_purpose.value.message
    with pytest.raises(BadRequestError):
        await resolve(
            client.batches.create(input_file_id=tune.id, endpoint="/chat/completions", completion_window="1h")
        )
    with pytest.raises(NotFoundError):
        await resolve(client.batches.retrieve(batch_id="batch_nope"))


async def test_batches_are_absent_from_2024_02_01(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_version="2024-02-01")
    with pytest.raises(UnsupportedByApiVersionError):
        await resolve(client.batches.list())
    await resolve(client.close())
    response = httpx.get(
        f"{emulator.endpoint}/openai/batches?api-version=2024-02-01", headers={"api-key": emulator.api_key}
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "404"
