"""Structured outputs: the answer parsed into a pydantic model
(openai-python's examples/parsing.py)."""

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


def show(message) -> None:
    if message.parsed:
        for step in message.parsed.steps:
            print(step.explanation, "->", step.output)
        print("answer:", message.parsed.final_answer)
    else:
        print("refusal:", message.refusal)


def main() -> None:
    client = AzureOpenAI()
    completion = client.chat.completions.parse(model="gpt-4o", messages=messages, response_format=MathResponse)
    message = completion.choices[0].message
    show(message)
    assert isinstance(message.parsed, MathResponse) and message.refusal is None


async def amain() -> None:
    client = AsyncAzureOpenAI()
    completion = await client.chat.completions.parse(model="gpt-4o", messages=messages, response_format=MathResponse)
    show(completion.choices[0].message)
    assert isinstance(completion.choices[0].message.parsed, MathResponse)
    await client.close()


main()
asyncio.run(amain())
