"""The Responses API streamed with a structured output: text deltas, then the final
response parsed (openai-python's examples/responses/streaming.py)."""

import asyncio
from typing import List

from openai import AsyncAzureOpenAI, AzureOpenAI
from pydantic import BaseModel


class Step(BaseModel):
    explanation: str
    output: str


class MathResponse(BaseModel):
    steps: List[Step]
    final_answer: str


def main() -> None:
    client = AzureOpenAI()
    with client.responses.stream(input="solve 8x + 31 = 2", model="gpt-4o", text_format=MathResponse) as stream:
        texts = []
        for event in stream:
            if "output_text" in event.type:
                print(event)
            if event.type == "response.output_text.delta":
                texts.append(event.snapshot)
    response = stream.get_final_response()
    print(response.output_parsed)
    assert isinstance(response.output_parsed, MathResponse) and texts[-1] == response.output_text


async def amain() -> None:
    client = AsyncAzureOpenAI()
    async with client.responses.stream(input="Tell me a joke.", model="gpt-4o") as stream:
        async for event in stream:
            if event.type == "response.output_text.delta":
                print(event.delta, end="")
    response = await stream.get_final_response()
    print()
    assert response.output_text
    await client.close()


main()
asyncio.run(amain())
