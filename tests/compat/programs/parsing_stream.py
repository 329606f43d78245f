"""Structured outputs, streamed: content deltas as they come, the parsed answer at the
end (openai-python's examples/parsing_stream.py)."""

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


messages = [
    {"role": "system", "content": "You are a helpful math tutor."},
    {"role": "user", "content": "solve 8x + 31 = 2"},
]


def main() -> None:
    client = AzureOpenAI()
    with client.chat.completions.stream(model="gpt-4o", messages=messages, response_format=MathResponse) as stream:
        deltas = 0
        for event in stream:
            if event.type == "content.delta":
                deltas += 1
                print(event.delta, end="", flush=True)
                if event.parsed is not None:
                    assert isinstance(event.parsed, dict)  # the JSON so far
            elif event.type == "content.done":
                print()
                assert isinstance(event.parsed, MathResponse)
    completion = stream.get_final_completion()
    print(completion.choices[0].message.parsed)
    assert deltas > 1 and isinstance(completion.choices[0].message.parsed, MathResponse)


async def amain() -> None:
    client = AsyncAzureOpenAI()
    async with client.chat.completions.stream(
        model="gpt-4o", messages=messages, response_format=MathResponse
    ) as stream:
        kinds = [event.type async for event in stream]
    completion = await stream.get_final_completion()
    print(completion.choices[0].message.parsed)
    assert "content.done" in kinds and completion.choices[0].message.parsed.final_answer
    await client.close()


main()
asyncio.run(amain())
