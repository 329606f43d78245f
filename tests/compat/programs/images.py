"""Image generation: a URL, then the picture itself as base64
(openai-python's examples/picture.py and examples/azure_image.py)."""

import asyncio
import base64

from openai import AsyncAzureOpenAI, AzureOpenAI

prompt = "An astronaut lounging in a tropical resort in space, pixel art"


def main() -> None:
    client = AzureOpenAI()
    response = client.images.generate(model="dall-e-3", prompt=prompt, n=1, size="1024x1024")
    print(response.data[0].url)
    assert response.data[0].url.startswith("http")


async def amain() -> None:
    client = AsyncAzureOpenAI()
    response = await client.images.generate(model="dall-e-3", prompt=prompt, n=1, response_format="b64_json")
    png = base64.b64decode(response.data[0].b64_json)
    print(len(png), "bytes")
    assert png.startswith(b"\x89PNG")
    await client.close()


main()
asyncio.run(amain())
