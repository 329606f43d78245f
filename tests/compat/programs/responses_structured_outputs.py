"""The Responses API with a structured output read back into a pydantic model
(openai-python's examples/responses/structured_outputs.py)."""

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
    rsp = client.responses.parse(input="solve 8x + 31 = 2", model="gpt-4o", text_format=MathResponse)
    for output in rsp.output:
        if output.type != "message":
            raise Exception("Unexpected non message")
        for item in output.content:
            if item.type != "output_text":
                raise Exception("unexpected output type")
            if not item.parsed:
                raise Exception("Could not parse response")
            print("answer:", item.parsed.final_answer)
    assert rsp.output_parsed == rsp.output[0].content[0].parsed


async def amain() -> None:
    client = AsyncAzureOpenAI()
    rsp = await client.responses.parse(input="solve 8x + 31 = 2", model="gpt-4o", text_format=MathResponse)
    print(rsp.output_parsed)
    assert isinstance(rsp.output_parsed, MathResponse)
    await client.close()


main()
asyncio.run(amain())
