"""Chat on Azure: a client for the resource, then one bound to a deployment
(in the spirit of openai-python's examples/azure.py)."""

import asyncio
import os

from openai import AsyncAzureOpenAI, AzureOpenAI

api_version = os.environ["OPENAI_API_VERSION"]
endpoint = os.environ["AZURE_OPENAI_ENDPOINT"]
question = [{"role": "user", "content": "How do I list the files of a directory in Python?"}]


def main() -> None:
    # The key comes from AZURE_OPENAI_API_KEY.
    client = AzureOpenAI(api_version=api_version, azure_endpoint=endpoint)
    completion = client.chat.completions.create(model="gpt-4o", messages=question)
    print(completion.to_json())
    assert completion.choices[0].message.content

    # A client for one deployment: the call's `model` is not used to pick it.
    deployment_client = AzureOpenAI(api_version=api_version, azure_endpoint=endpoint, azure_deployment="gpt-4o")
    completion = deployment_client.chat.completions.create(model="<ignored>", messages=question)
    print(completion.to_json())
    assert completion.model == "gpt-4o"


async def amain() -> None:
    async with AsyncAzureOpenAI(api_version=api_version, azure_endpoint=endpoint, azure_deployment="gpt-4o") as client:
        completion = await client.chat.completions.create(model="<ignored>", messages=question)
        print(completion.choices[0].message.content)
        assert completion.choices[0].finish_reason == "stop"


main()
asyncio.run(amain())
