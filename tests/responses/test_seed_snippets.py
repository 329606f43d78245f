"""The seed's code (Portkey's Azure OpenAI provider page) runs with only the import line
and the endpoint changed, against the bundled emulator.

Each snippet below is the page's text. The test swaps `from portkey_ai import Portkey`
for `from azgate import Client as Portkey` and `resource_name="my-resource"` for the
emulator's `azure_endpoint=...`, runs it, and checks what it printed. The emulator takes
the page's placeholder key ("***") and AD token, and serves its deployment names.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator

import pytest
from azgate.testing import Emulator

API_KEY = "***"
AD_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGc..."

QUICK_START = """
from portkey_ai import Portkey

client = Portkey(
    provider="azure-openai",
    api_key="***",                    # Azure API key
    resource_name="my-resource",      # Your Azure resource name
    deployment_id="gpt-4-deployment", # Your deployment name
    api_version="2024-02-15-preview"  # API version
)

response = client.chat.completions.create(
    model="gpt-4",  # Not used in Azure, deployment_id is used instead
    messages=[
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "What is Azure OpenAI?"}
    ]
)

print(response.choices[0].message.content)
"""

API_KEY_AUTH = """
from portkey_ai import Portkey

client = Portkey(
    provider="azure-openai",
    api_key="***",
    resource_name="my-resource",
    deployment_id="gpt-4",
    api_version="2024-02-15-preview"
)
"""

AD_TOKEN_AUTH = """
from portkey_ai import Portkey

client = Portkey(
    provider="azure-openai",
    azure_ad_token="Bearer eyJ0eXAiOiJKV1QiLCJhbGc...",
    resource_name="my-resource",
    deployment_id="gpt-4",
    api_version="2024-02-15-preview"
)
"""

STREAMING = """
stream = client.chat.completions.create(
    model="gpt-4",
    messages=[{"role": "user", "content": "Tell me a story"}],
    stream=True
)

for chunk in stream:
    if chunk.choices[0].delta.content:
        print(chunk.choices[0].delta.content, end="", flush=True)
"""

TOOLS = """
tools = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Get the current weather for a location",
            "parameters": {
                "type": "object",
                "properties": {
                    "location": {"type": "string", "description": "City name"}
                },
                "required": ["location"]
            }
        }
    }
]

response = client.chat.completions.create(
    model="gpt-4",
    messages=[{"role": "user", "content": "What's the weather in Seattle?"}],
    tools=tools,
    tool_choice="auto"
)

print(response.choices[0].message.tool_calls)
"""

VISION = """
from portkey_ai import Portkey

client = Portkey(
    provider="azure-openai",
    api_key="***",
    resource_name="my-resource",
    deployment_id="gpt-4-vision",
    api_version="2024-02-15-preview"
)

response = client.chat.completions.create(
    model="gpt-4-vision",
    messages=[
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What's in this image?"},
                {"type": "image_url", "image_url": {"url": "https://example.com/image.jpg"}}
            ]
        }
    ]
)

print(response.choices[0].message.content)
"""

EMBEDDINGS = """
from portkey_ai import Portkey

client = Portkey(
    provider="azure-openai",
    api_key="***",
    resource_name="my-resource",
    api_version="2024-02-15-preview"
)

response = client.embeddings.create(
    model="text-embedding-ada-002",
    input="Hello, world!"
)

print(len(response.data[0].embedding))
"""

IMAGES = """
from portkey_ai import Portkey

client = Portkey(
    provider="azure-openai",
    api_key="***",
    resource_name="my-resource",
    api_version="2024-02-15-preview"
)

response = client.images.generate(
    model="dall-e-3",
    prompt="A futuristic city at sunset",
    size="1024x1024",
    n=1
)

print(response.data[0].url)
"""


@pytest.fixture(scope="module")
def seed_emulator() -> Iterator[Emulator]:
    deployments = {
        "gpt-4-deployment": "gpt-4",
        "gpt-4-vision": "gpt-4o",
        "gpt-4": "gpt-4",
        "text-embedding-ada-002": "text-embedding-ada-002",
        "dall-e-3": "dall-e-3",
    }
    with Emulator(api_key=API_KEY, deployments=deployments, token_validator=lambda t: t == AD_TOKEN) as emulator:
        yield emulator


def run(emulator: Emulator, *snippets: str) -> str:
    """The snippets, one after the other in one namespace, with the two substitutions;
    what they printed."""
    namespace: dict[str, object] = {}
    out = io.StringIO()
    for snippet in snippets:
        code = snippet.replace("from portkey_ai import Portkey", "from azgate import Client as Portkey")
        code = code.replace('resource_name="my-resource"', f'azure_endpoint="{emulator.endpoint}"')
        assert code.count("azure_endpoint=") == snippet.count('resource_name="my-resource"')
        with contextlib.redirect_stdout(out):
            exec(compile(code, "<seed snippet>", "exec"), namespace)
    client = namespace.get("client")
    if client is not None:
        client.close()  # type: ignore[attr-defined]
    return out.getvalue()


def test_quick_start(seed_emulator: Emulator) -> None:
    assert "What is Azure OpenAI?" in run(seed_emulator, QUICK_START)
    assert seed_emulator.stats.count("ChatCompletions_Create") >= 1


@pytest.mark.parametrize("auth", [API_KEY_AUTH, AD_TOKEN_AUTH], ids=["api_key", "azure_ad_token"])
def test_auth_then_the_streaming_loop(seed_emulator: Emulator, auth: str) -> None:
    # Azure's first chunk (prompt filter results, no choices) must not break the loop.
    printed = run(seed_emulator, auth, STREAMING)
    assert "Tell me a story" in printed


def test_tools(seed_emulator: Emulator) -> None:
    printed = run(seed_emulator, API_KEY_AUTH, TOOLS)
    assert "ChatCompletionMessageToolCall" in printed and "get_weather" in printed


def test_vision(seed_emulator: Emulator) -> None:
    assert run(seed_emulator, VISION).strip()


def test_embeddings(seed_emulator: Emulator) -> None:
    assert int(run(seed_emulator, EMBEDDINGS)) > 0


def test_image_generation(seed_emulator: Emulator) -> None:
    assert run(seed_emulator, IMAGES).strip().startswith("http")
