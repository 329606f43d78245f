"""The Responses API: one response, a conversation continued by id, and a response
streamed as events (openai-python's examples/responses/*.py and
examples/async_responses_stream.py)."""

import asyncio

from openai import AsyncAzureOpenAI, AzureOpenAI


def main() -> None:
    client = AzureOpenAI()
    response = client.responses.create(model="gpt-4o", input="Write a one-sentence bedtime story about a unicorn.")
    print(response.output_text)
    assert response.output_text and response.status == "completed"

    follow_up = client.responses.create(
        model="gpt-4o", input="And one about a dragon.", previous_response_id=response.id
    )
    print(follow_up.output_text)
    assert follow_up.id != response.id


async def amain() -> None:
    client = AsyncAzureOpenAI()
    stream = await client.responses.create(
        model="gpt-4o", input="Write a one-sentence bedtime story about a unicorn.", stream=True
    )
    events = []
    async for event in stream:
        print(event)
        events.append(event)
    assert len(events) > 3 and "response.completed" in repr(events[-1])
    await client.close()


main()
asyncio.run(amain())
