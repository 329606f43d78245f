"""beta.assistants / beta.threads (messages, runs, steps) against the emulator."""

from __future__ import annotations

import json
from typing import Any

import pytest
from azgate.exceptions import BadRequestError, NotFoundError, UnsupportedByApiVersionError
from azgate.generated import models
from azgate.testing import Emulator
from helpers import collect, make_client, resolve

TOOLS = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]


@pytest.fixture(params=["2025-04-01-preview", "2024-02-15-preview"])
async def beta(request: pytest.FixtureRequest, flavour: str, emulator: Emulator) -> Any:
    emulator.store.tick = 0
    client = make_client(flavour, emulator, api_version=request.param)
    yield client.beta
    await resolve(client.close())


async def test_assistant_crud_and_list_pages(beta: Any) -> None:
    created = [await resolve(beta.assistants.create(model="gpt-4", name=f"a{i}")) for i in range(3)]
    assert isinstance(created[0], models.AssistantObject) and created[0].id.startswith("asst_")
    got = await resolve(beta.assistants.retrieve(assistant_id=created[0].id))
    assert got.name == "a0" and got.model == "gpt-4"
    updated = await resolve(beta.assistants.update(assistant_id=created[0].id, instructions="Be brief."))
    assert updated.instructions == "Be brief." and updated.name == "a0"
    page = await resolve(beta.assistants.list(limit=2))
    assert [a.name for a in page.data] == ["a2", "a1"] and page.has_more
    assert [a.name for a in await collect(page)] == ["a2", "a1", "a0"]
    oldest_first = await resolve(beta.assistants.list(order="asc"))
    assert [a.name for a in oldest_first.data] == ["a0", "a1", "a2"]
    deleted = await resolve(beta.assistants.delete(assistant_id=created[0].id))
    assert deleted.deleted is True and deleted.object == "assistant.deleted"
    with pytest.raises(NotFoundError) as caught:
        await resolve(beta.assistants.retrieve(assistant_id=created[0].id))
    assert "No assistant found" in caught.value.message


async def test_unknown_deployment_is_a_bad_request(beta: Any) -> None:
    with pytest.raises(BadRequestError) as caught:
        await resolve(beta.assistants.create(model="nope"))
    assert caught.value.param == "model"


async def test_threads_and_messages(beta: Any) -> None:
    thread = await resolve(beta.threads.create(messages=[{"role": "user", "content": "first"}], metadata={"k": "v"}))
    assert isinstance(thread, models.ThreadObject) and thread.metadata == {"k": "v"}
    message = await resolve(beta.threads.messages.create(thread_id=thread.id, role="user", content="second"))
    assert message.content[0].text.value == "second" and message.thread_id == thread.id
    got = await resolve(beta.threads.messages.retrieve(thread_id=thread.id, message_id=message.id))
    assert got.id == message.id
    changed = await resolve(
        beta.threads.messages.update(thread_id=thread.id, message_id=message.id, metadata={"x": "1"})
    )
    assert changed.metadata == {"x": "1"}
    listed = await collect(await resolve(beta.threads.messages.list(thread_id=thread.id, limit=1)))
    assert [m.content[0].text.value for m in listed] == ["second", "first"]
    assert (await resolve(beta.threads.update(thread_id=thread.id, metadata={"k": "w"}))).metadata == {"k": "w"}
    assert (await resolve(beta.threads.retrieve(thread_id=thread.id))).id == thread.id
    assert (await resolve(beta.threads.delete(thread_id=thread.id))).deleted is True
    with pytest.raises(NotFoundError):
        await resolve(beta.threads.retrieve(thread_id=thread.id))


async def test_run_completes_with_an_assistant_message(beta: Any) -> None:
    assistant = await resolve(beta.assistants.create(model="gpt-4", instructions="Echo."))
    thread = await resolve(beta.threads.create(messages=[{"role": "user", "content": "hello"}]))
    run = await resolve(beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id))
    assert isinstance(run, models.RunObject) and run.status == "queued" and run.instructions == "Echo."
    done = await resolve(beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id))
    assert done.status == "completed" and done.usage.total_tokens > 0
    newest = (await resolve(beta.threads.messages.list(thread_id=thread.id))).data[0]
    assert newest.role == "assistant" and newest.content[0].text.value == "You said: hello" and newest.run_id == run.id
    [step] = await collect(await resolve(beta.threads.runs.steps.list(thread_id=thread.id, run_id=run.id)))
    assert step.type == "message_creation" and step.step_details.message_creation.message_id == newest.id
    again = await resolve(beta.threads.runs.steps.retrieve(thread_id=thread.id, run_id=run.id, step_id=step.id))
    assert again.id == step.id
    updated = await resolve(beta.threads.runs.update(thread_id=thread.id, run_id=run.id, metadata={"m": "1"}))
    assert updated.metadata == {"m": "1"}
    assert [r.id for r in (await resolve(beta.threads.runs.list(thread_id=thread.id))).data] == [run.id]


async def test_function_tool_requires_action_then_completes(beta: Any) -> None:
    assistant = await resolve(beta.assistants.create(model="gpt-4", tools=TOOLS))
    run = await resolve(
        beta.threads.create_and_run(
            assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "find x"}]}
        )
    )
    waiting = await resolve(beta.threads.runs.retrieve(thread_id=run.thread_id, run_id=run.id))
    assert waiting.status == "requires_action"
    [tool_call] = waiting.required_action.submit_tool_outputs.tool_calls
    assert tool_call.function.name == "lookup" and json.loads(tool_call.function.arguments) == {"query": "find x"}
    with pytest.raises(BadRequestError):
        await resolve(
            beta.threads.runs.submit_tool_outputs(
                thread_id=run.thread_id, run_id=run.id, tool_outputs=[{"tool_call_id": "wrong", "output": "1"}]
            )
        )
    resumed = await resolve(
        beta.threads.runs.submit_tool_outputs(
            thread_id=run.thread_id, run_id=run.id, tool_outputs=[{"tool_call_id": tool_call.id, "output": "42"}]
        )
    )
    assert resumed.status == "in_progress"
    done = await resolve(beta.threads.runs.retrieve(thread_id=run.thread_id, run_id=run.id))
    assert done.status == "completed"
    reply = (await resolve(beta.threads.messages.list(thread_id=run.thread_id))).data[0]
    assert reply.content[0].text.value == "The lookup tool returned: 42"
    kinds = [
        s.type
        for s in (await resolve(beta.threads.runs.steps.list(thread_id=run.thread_id, run_id=run.id, order="asc"))).data
    ]
    assert kinds == ["tool_calls", "message_creation"]


async def test_cancel_run(beta: Any, emulator: Emulator) -> None:
    emulator.store.tick = 60
    assistant = await resolve(beta.assistants.create(model="gpt-4"))
    thread = await resolve(beta.threads.create())
    run = await resolve(beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id))
    cancelling = await resolve(beta.threads.runs.cancel(thread_id=thread.id, run_id=run.id))
    assert cancelling.status == "cancelling"
    emulator.store.tick = 0
    assert (await resolve(beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id))).status == "cancelled"
    with pytest.raises(BadRequestError):
        await resolve(beta.threads.runs.cancel(thread_id=thread.id, run_id=run.id))


async def test_assistant_and_message_files_in_2024_02_15_preview(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_version="2024-02-15-preview")
    beta = client.beta
    file = await resolve(client.files.create(file=("notes.txt", b"notes"), purpose="assistants"))
    assistant = await resolve(beta.assistants.create(model="gpt-4"))
    attached = await resolve(beta.assistants.files.create(assistant_id=assistant.id, file_id=file.id))
    assert isinstance(attached, models.AssistantFileObject) and attached.assistant_id == assistant.id
    assert (await resolve(beta.assistants.files.retrieve(assistant_id=assistant.id, file_id=file.id))).id == file.id
    assert [f.id for f in (await resolve(beta.assistants.files.list(assistant_id=assistant.id))).data] == [file.id]
    assert (await resolve(beta.assistants.retrieve(assistant_id=assistant.id))).file_ids == [file.id]
    removed = await resolve(beta.assistants.files.delete(assistant_id=assistant.id, file_id=file.id))
    assert removed.deleted is True
    with pytest.raises(NotFoundError):
        await resolve(beta.assistants.files.retrieve(assistant_id=assistant.id, file_id=file.id))
    thread = await resolve(beta.threads.create())
    message = await resolve(
        beta.threads.messages.create(thread_id=thread.id, role="user", content="see", file_ids=[file.id])
    )
    files = await resolve(beta.threads.messages.files.list(thread_id=thread.id, message_id=message.id))
    assert [f.id for f in files.data] == [file.id] and files.data[0].message_id == message.id
    one = await resolve(
        beta.threads.messages.files.retrieve(thread_id=thread.id, message_id=message.id, file_id=file.id)
    )
    assert one.object == "thread.message.file"
    await resolve(client.close())


async def test_assistant_files_are_gone_in_later_versions(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_version="2025-04-01-preview")
    with pytest.raises(UnsupportedByApiVersionError):
        await resolve(client.beta.assistants.files.list(assistant_id="asst_x"))
    await resolve(client.close())
