"""Structured outputs the way openai-python 1.x introduced them, under `client.beta.chat`
(code written in 2024 and 2025 still calls it there): parse, and a parsed stream."""

import asyncio

from openai import AsyncAzureOpenAI, AzureOpenAI
from pydantic import BaseModel


class CalendarEvent(BaseModel):
    name: str
    date: str
    participants: list[str]


messages = [
    {"role": "system", "content": "Extract the event information."},
    {"role": "user", "content": "Alice and Bob are going to a science fair on Friday."},
]


def main() -> None:
    client = AzureOpenAI()
    completion = client.beta.chat.completions.parse(model="gpt-4o", messages=messages, response_format=CalendarEvent)
    event = completion.choices[0].message.parsed
    assert isinstance(event, CalendarEvent), event
    print(event)
    with client.beta.chat.completions.stream(model="gpt-4o", messages=messages, response_format=CalendarEvent) as stream:
        for _ in stream:
            pass
        final = stream.get_final_completion()
    assert isinstance(final.choices[0].message.parsed, CalendarEvent)


async def amain() -> None:
    client = AsyncAzureOpenAI()
    completion = await client.beta.chat.completions.parse(
        model="gpt-4o", messages=messages, response_format=CalendarEvent
    )
    assert isinstance(completion.choices[0].message.parsed, CalendarEvent)
    await client.close()


main()
asyncio.run(amain())
