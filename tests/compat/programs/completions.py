"""Legacy completions, whole and streamed (openai-python's examples/demo.py and
examples/async_demo.py, on an Azure deployment)."""

import asyncio

from openai import AsyncAzureOpenAI, AzureOpenAI


def main() -> None:
    client = AzureOpenAI()
    completion = client.completions.create(model="gpt-35-turbo", prompt="Say this is a test")
    print(completion.choices[0].text)
    text = ""
    for part in client.completions.create(model="gpt-35-turbo", prompt="Say this is a test", stream=True):
        if part.choices:
            text += part.choices[0].text
    print(text)
    assert text == completion.choices[0].text


async def amain() -> None:
    client = AsyncAzureOpenAI()
    stream = await client.completions.create(model="gpt-35-turbo", prompt="Say this is a test", stream=True)
    text = ""
    async for part in stream:
        if part.choices:
            text += part.choices[0].text
    print(text)
    assert text
    await client.close()


main()
asyncio.run(amain())
