"""The Quick Start, run against the bundled Azure OpenAI emulator.

    pip install nox && nox -s demo

Starts the emulator on 127.0.0.1, then uses azgate exactly as against a real resource.
"""

from __future__ import annotations

import asyncio

from azgate import AsyncClient, Client
from azgate.exceptions import NotFoundError, RateLimitError, UnsupportedByApiVersionError
from azgate.testing import Emulator


def sync_demo(endpoint: str, api_key: str) -> None:
    client = Client(
        provider="azure-openai",
        api_key=api_key,
        azure_endpoint=endpoint,  # for a real resource: resource_name="my-resource"
        api_version="2024-10-21",
    )

    print("== chat")
    reply = client.chat.completions.create(
        model="gpt-4",  # the deployment name
        messages=[{"role": "user", "content": "What is Azure OpenAI?"}],
    )
    print(reply.choices[0].message.content)
    filters = reply.prompt_filter_results[0].content_filter_results if reply.prompt_filter_results else None
    print(f"usage: {reply.usage.total_tokens if reply.usage else '?'} tokens")
    if filters is not None and filters.hate is not None and filters.jailbreak is not None:
        print(f"Azure prompt filter: hate={filters.hate.severity}, jailbreak detected={filters.jailbreak.detected}")

    print("\n== stream")
    with client.chat.completions.create(
        model="gpt-4", messages=[{"role": "user", "content": "Stream a short answer"}], stream=True
    ) as stream:
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
                print(chunk.choices[0].delta.content, end="", flush=True)
    print()

    print("\n== tools")
    tool_reply = client.chat.completions.create(
        model="gpt-4",
        messages=[{"role": "user", "content": "Weather in Paris?"}],
        tools=[{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}],
    )
    call = tool_reply.choices[0].message.tool_calls[0]  # type: ignore[index]
    print(f"{call.function.name}({call.function.arguments})")

    print("\n== completions")
    completion = client.completions.create(model="gpt-35-turbo", prompt="Say hello", max_tokens=20)
    print(completion.choices[0].text)

    print("\n== embeddings")
    embeddings = client.embeddings.create(model="text-embedding-ada-002", input=["first text", "second text"])
    print(f"{len(embeddings.data)} vectors of {len(embeddings.data[0].embedding)} floats")

    print("\n== errors")
    try:
        client.chat.completions.create(model="no-such-deployment", messages=[{"role": "user", "content": "hi"}])
    except NotFoundError as exc:
        print(f"NotFoundError: code={exc.code} request_id={exc.request_id}")
    try:
        Client(api_key=api_key, azure_endpoint=endpoint, api_version="2023-05-15").images.generate(
            model="dall-e-3", prompt="a cat"
        )
    except UnsupportedByApiVersionError as exc:
        print(f"UnsupportedByApiVersionError: {exc}")


async def async_demo(endpoint: str, api_key: str, emulator: Emulator) -> None:
    print("\n== async, with a rate limit the client retries through")
    emulator.faults.add("rate_limit", times=1, retry_after_ms=200)
    async with AsyncClient(api_key=api_key, azure_endpoint=endpoint, api_version="2024-10-21") as client:
        reply = await client.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": "Hi async"}])
        print(reply.choices[0].message.content)
        emulator.faults.add("rate_limit", times=5, retry_after_ms=10)
        try:
            await client.with_options(max_retries=1).chat.completions.create(
                model="gpt-4", messages=[{"role": "user", "content": "again"}]
            )
        except RateLimitError as exc:
            print(f"RateLimitError after retries: status={exc.status_code} code={exc.code}")
        emulator.faults.clear()


def main() -> None:
    with Emulator() as emulator:
        print(f"Azure OpenAI emulator at {emulator.endpoint}\n")
        sync_demo(emulator.endpoint, emulator.api_key)
        asyncio.run(async_demo(emulator.endpoint, emulator.api_key, emulator))


if __name__ == "__main__":
    main()
