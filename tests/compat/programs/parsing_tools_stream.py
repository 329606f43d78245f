"""Tool calls streamed: argument deltas, then each call done with its parsed arguments
(openai-python's examples/parsing_tools_stream.py)."""

import asyncio

from openai import AsyncAzureOpenAI, AzureOpenAI, pydantic_function_tool
from pydantic import BaseModel


class GetWeather(BaseModel):
    city: str
    country: str


messages = [{"role": "user", "content": "What's the weather like in SF and New York?"}]


def main() -> None:
    client = AzureOpenAI()
    with client.chat.completions.stream(
        model="gpt-4o",
        messages=messages,
        tools=[pydantic_function_tool(GetWeather, name="get_weather")],
        parallel_tool_calls=True,
    ) as stream:
        done = []
        for event in stream:
            if event.type == "tool_calls.function.arguments.delta":
                print(event.index, event.arguments_delta)
            elif event.type == "tool_calls.function.arguments.done":
                print(event.name, event.parsed_arguments)
                done.append(event)
    completion = stream.get_final_completion()
    print(completion)
    assert done and all(isinstance(e.parsed_arguments, GetWeather) for e in done)
    assert completion.choices[0].message.tool_calls[0].function.parsed_arguments == done[0].parsed_arguments


async def amain() -> None:
    client = AsyncAzureOpenAI()
    async with client.chat.completions.stream(
        model="gpt-4o", messages=messages, tools=[pydantic_function_tool(GetWeather)]
    ) as stream:
        async for event in stream:
            if event.type == "tool_calls.function.arguments.done":
                assert isinstance(event.parsed_arguments, GetWeather)
    completion = await stream.get_final_completion()
    assert completion.choices[0].finish_reason == "tool_calls"
    await client.close()


main()
asyncio.run(amain())
