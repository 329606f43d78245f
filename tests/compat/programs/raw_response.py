"""The HTTP response behind a call: headers, request id, then the parsed result
(openai-python's `with_raw_response` / `with_streaming_response`)."""

import asyncio

from openai import AsyncAzureOpenAI, AzureOpenAI

messages = [{"role": "user", "content": "Say this is a test"}]


def main() -> None:
    client = AzureOpenAI()
    response = client.chat.completions.with_raw_response.create(model="gpt-4o", messages=messages)
    print(response.headers.get("x-ratelimit-remaining-tokens"), response.status_code)
    completion = response.parse()
    print(completion.choices[0].message.content, completion._request_id)
    assert response.status_code == 200 and completion.choices[0].message.content

    with client.chat.completions.with_streaming_response.create(model="gpt-4o", messages=messages) as streamed:
        assert streamed.headers.get("content-type", "").startswith("application/json")
        assert streamed.parse().choices[0].message.content == completion.choices[0].message.content


async def amain() -> None:
    client = AsyncAzureOpenAI()
    response = await client.chat.completions.with_raw_response.create(model="gpt-4o", messages=messages)
    completion = response.parse()
    print(response.headers.get("apim-request-id"), completion.choices[0].message.content)
    assert completion.choices[0].message.content
    await client.close()


main()
asyncio.run(amain())
