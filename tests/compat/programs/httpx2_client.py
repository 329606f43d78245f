"""openai-python 3.x sends with httpx2: a program that brings its own httpx2 client (for a
proxy, its own certificates or its own logging, here an event hook that records what was
sent) has every call go through that client, streams and file uploads included."""

import asyncio
import io

import httpx2
from openai import AsyncAzureOpenAI, AzureOpenAI

messages = [{"role": "user", "content": "Name three lighthouses."}]
sent: list[str] = []


def note(request: httpx2.Request) -> None:
    sent.append(f"{request.method} {request.url.path}")


async def anote(request: httpx2.Request) -> None:
    note(request)


def main() -> None:
    http_client = httpx2.Client(event_hooks={"request": [note]}, timeout=30.0)
    client = AzureOpenAI(http_client=http_client)
    reply = client.chat.completions.create(model="gpt-4o", messages=messages)
    assert reply.choices[0].message.content
    text = ""
    for chunk in client.chat.completions.create(model="gpt-4o", messages=messages, stream=True):
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
    assert text == reply.choices[0].message.content, (text, reply.choices[0].message.content)
    uploaded = client.files.create(file=("notes.jsonl", io.BytesIO(b'{"a": 1}\n')), purpose="batch")
    assert client.files.content(uploaded.id).content == b'{"a": 1}\n'
    http_client.close()
    assert [s.rsplit("/", 1)[-1] for s in sent] == ["completions", "completions", "files", "content"], sent


async def amain() -> None:
    async with httpx2.AsyncClient(event_hooks={"request": [anote]}) as http_client:
        client = AsyncAzureOpenAI(http_client=http_client)
        stream = await client.chat.completions.create(model="gpt-4o", messages=messages, stream=True)
        text = ""
        async for chunk in stream:
            if chunk.choices:
                text += chunk.choices[0].delta.content or ""
        assert text
        embedding = await client.embeddings.create(model="text-embedding-ada-002", input="lighthouse")
        assert len(embedding.data[0].embedding) > 0
    assert sent[-2:] == ["POST /openai/deployments/gpt-4o/chat/completions",
                         "POST /openai/deployments/text-embedding-ada-002/embeddings"], sent  # fmt: skip


main()
asyncio.run(amain())
