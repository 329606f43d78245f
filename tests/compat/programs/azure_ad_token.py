"""Microsoft Entra ID instead of a key: azure-identity's token provider
(in the spirit of openai-python's examples/azure_ad.py). The credential reads
AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (and AZURE_AUTHORITY_HOST)."""

import asyncio
import os

from azure.identity import DefaultAzureCredential, get_bearer_token_provider
from openai import AsyncAzureOpenAI, AzureOpenAI

os.environ.pop("AZURE_OPENAI_API_KEY", None)  # no key here: the token is the credential
scope = "https://cognitiveservices.azure.com/.default"
# disable_instance_discovery: the authority (AZURE_AUTHORITY_HOST) is a private one here,
# with no Microsoft instance metadata (as on Azure Stack).
token_provider = get_bearer_token_provider(DefaultAzureCredential(disable_instance_discovery=True), scope)
messages = [{"role": "user", "content": "How do I output all files in a directory using Python?"}]


def main() -> None:
    client = AzureOpenAI(
        api_version=os.environ["OPENAI_API_VERSION"],
        azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],
        azure_ad_token_provider=token_provider,
    )
    completion = client.chat.completions.create(model="gpt-4o", messages=messages)
    print(completion.choices[0].message.content)
    assert completion.choices[0].message.content


async def amain() -> None:
    async def async_token_provider() -> str:
        return await asyncio.to_thread(token_provider)

    client = AsyncAzureOpenAI(
        api_version=os.environ["OPENAI_API_VERSION"],
        azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],
        azure_ad_token_provider=async_token_provider,
    )
    completion = await client.chat.completions.create(model="gpt-4o", messages=messages)
    print(completion.choices[0].message.content)
    assert completion.choices[0].message.content
    await client.close()


main()
asyncio.run(amain())
