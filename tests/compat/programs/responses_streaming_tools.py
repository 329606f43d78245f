"""The Responses API streamed with a pydantic tool: argument deltas with the arguments
so far, and the parsed call at the end (openai-python's examples/responses/streaming_tools.py)."""

import asyncio
from typing import List

from openai import AsyncAzureOpenAI, AzureOpenAI, pydantic_function_tool
from pydantic import BaseModel


class Query(BaseModel):
    table_name: str
    columns: List[str]


question = "look up all my orders in november of last year"


def main() -> None:
    client = AzureOpenAI()
    with client.responses.stream(model="gpt-4o", input=question, tools=[pydantic_function_tool(Query)]) as stream:
        snapshots = []
        for event in stream:
            print(event)
            if event.type == "response.function_call_arguments.delta":
                snapshots.append(event.snapshot)
    response = stream.get_final_response()
    call = response.output[0]
    assert snapshots[-1] == call.arguments and isinstance(call.parsed_arguments, Query)


async def amain() -> None:
    client = AsyncAzureOpenAI()
    async with client.responses.stream(model="gpt-4o", input=question, tools=[pydantic_function_tool(Query)]) as stream:
        kinds = [event.type async for event in stream]
    response = await stream.get_final_response()
    assert "response.function_call_arguments.done" in kinds
    assert isinstance(response.output[0].parsed_arguments, Query)
    await client.close()


main()
asyncio.run(amain())
