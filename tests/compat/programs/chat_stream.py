"""Streaming chat, printing the text as it comes (the loop of openai-python's README
and examples/async_chat_stream.py, written for Azure's filter-only first chunk)."""

import asyncio

from openai import AsyncAzureOpenAI, AzureOpenAI

messages = [{"role": "user", "content": "Tell me a short story about a lighthouse."}]


def main() -> None:
    client = AzureOpenAI()
    whole = client.chat.completions.create(model="gpt-4o", messages=messages).choices[0].message.content
    stream = client.chat.completions.create(model="gpt-4o", messages=messages, stream=True)
    text = ""
    for chunk in stream:
        if not chunk.choices:
            continue
        piece = chunk.choices[0].delta.content or ""
        print(piece, end="", flush=True)
        text += piece
    print()
    assert text == whole, (text, whole)


async def amain() -> None:
    client = AsyncAzureOpenAI()
    stream = await client.chat.completions.create(
        model="gpt-4o", messages=messages, stream=True, stream_options={"include_usage": True}
    )
    text, usage = "", None
    async for chunk in stream:
        if chunk.usage:
            usage = chunk.usage
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
    print(text)
    assert text and usage is not None and usage.completion_tokens > 0


main()
asyncio.run(amain())
