"""Azure's content filter results read the way openai-python code reads them (as the
openai-cookbook's Azure chat example does): from `model_extra`, as JSON, on a completion,
its choices, and the choices of a stream."""

import asyncio

from openai import AsyncAzureOpenAI, AzureOpenAI

messages = [{"role": "user", "content": "Tell me a joke about pandas."}]


def report(filters: dict) -> None:
    assert filters, "Azure sends a result per category"
    for category, details in filters.items():
        assert isinstance(details["filtered"], bool), details
        print(f"{category}: filtered={details['filtered']} severity={details.get('severity')}")


def main() -> None:
    client = AzureOpenAI()
    completion = client.chat.completions.create(model="gpt-4o", messages=messages)
    report(completion.model_extra["prompt_filter_results"][0]["content_filter_results"])
    report(completion.choices[0].model_extra["content_filter_results"])

    filtered_chunks = 0
    for chunk in client.chat.completions.create(model="gpt-4o", messages=messages, stream=True):
        if chunk.choices and chunk.choices[0].model_extra.get("content_filter_results"):
            report(chunk.choices[0].model_extra["content_filter_results"])
            filtered_chunks += 1
    assert filtered_chunks, "the stream's choices carry their filter results"


async def amain() -> None:
    client = AsyncAzureOpenAI()
    completion = await client.chat.completions.create(model="gpt-4o", messages=messages)
    report(completion.model_extra["prompt_filter_results"][0]["content_filter_results"])
    report(completion.choices[0].model_extra["content_filter_results"])


main()
asyncio.run(amain())
