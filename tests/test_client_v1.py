"""Azure's v1 API (api_version="v1"): paths come from the v1 document through the
operation table's v1_path, its own operations are methods, and they are refused, before
any request, on a dated api-version."""

from __future__ import annotations

import contextlib

import pytest
from azgate.exceptions import APIStatusError, UnsupportedByApiVersionError
from azgate.generated._operations import OPERATIONS
from azgate.testing import Emulator
from helpers import make_client, resolve

JSONL = b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n'


def test_the_table_carries_the_v1_documents_paths() -> None:
    rows = {op.sdk_name: op for op in OPERATIONS.values()}
    files = rows["files.retrieve"]
    # The v1 document spells the parameter {file_id}; the row keeps one name for both paths.
    assert files.path == "/files/{file-id}" and files.v1_path == "/files/{file-id}"
    assert "v1" in files.versions and "2024-10-21" in files.versions
    chat = rows["chat.completions.create"]  # not in the v1 document: the dated path without the deployment
    assert chat.v1_path == "/chat/completions" and "v1" not in chat.versions
    graders = rows["fine_tuning.alpha.graders.run"]
    assert graders.versions == {"v1"} and graders.v1_path == "/fine_tuning/alpha/graders/run"


async def test_v1_files_go_to_the_v1_paths(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_version="v1")
    uploaded = await resolve(client.files.create(file=("train.jsonl", JSONL), purpose="fine-tune"))
    again = await resolve(client.files.retrieve(file_id=uploaded.id))
    assert again.id == uploaded.id
    paths = [r.path for r in emulator.stats.requests]
    assert paths == ["/openai/v1/files", f"/openai/v1/files/{uploaded.id}"]
    assert all("api-version" not in r.query for r in emulator.stats.requests)
    await resolve(client.close())


async def test_v1_only_operations_are_refused_on_a_dated_version(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_version="2024-10-21")
    with pytest.raises(
        UnsupportedByApiVersionError, match=r"fine_tuning\.alpha\.graders\.validate needs api-version v1"
    ):
        await resolve(client.fine_tuning.alpha.graders.validate(grader={"type": "string_check"}))
    assert emulator.stats.requests == []
    await resolve(client.close())


async def test_v1_only_operations_send_their_feature_header(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_version="v1", max_retries=0)
    with contextlib.suppress(APIStatusError):  # the emulator may not answer it yet; the request is checked
        await resolve(
            client.fine_tuning.jobs.checkpoints.copy(
                fine_tuning_job_id="ftjob-1",
                fine_tuning_checkpoint_id="ftckpt-1",
                destinationResourceId="/subscriptions/x",
                region="eastus",
            )
        )
    (request,) = emulator.stats.requests
    assert request.path == "/openai/v1/fine_tuning/jobs/ftjob-1/checkpoints/ftckpt-1/copy"
    assert request.headers["aoai-copy-ft-checkpoints"] == "preview"
    await resolve(client.close())
