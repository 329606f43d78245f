"""The README's two gateway recipes (the seed's, verbatim but for the import) build as
they are, and route as they say when their resources are the emulated regions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from azgate.testing import Emulator
from routing_support import MESSAGES, OPENAI_KEY

README = Path(__file__).resolve().parents[2] / "README.md"


def recipe(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split(f"### {title}\n", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None
    return match.group(1)


def run(title: str) -> dict[str, Any]:
    code = recipe(title)
    assert code.startswith("from azgate import Client as Portkey\n")
    namespace: dict[str, Any] = {}
    exec(compile(code, f"README {title}", "exec"), namespace)  # builds the client: no request yet
    return namespace


def on_emulators(config: dict[str, Any], endpoints: dict[str, Emulator], openai: Emulator) -> dict[str, Any]:
    """The same config with each resource_name pointing at an emulated region."""
    targets = []
    for target in config["targets"]:
        target = dict(target)
        if target["provider"] == "azure-openai":
            emulator = endpoints[target.pop("resource_name")]
            target.update(azure_endpoint=emulator.endpoint, api_key=emulator.api_key)
        else:
            target.update(base_url=openai.endpoint + "/openai/v1", api_key=OPENAI_KEY)
        targets.append(target)
    return {**config, "targets": targets}


def test_multi_region_recipe(regions: dict[str, Emulator]) -> None:
    namespace = run("Multi-Region Configuration")
    client = namespace["client"]
    local = client.with_options(
        config=on_emulators(
            namespace["config"],
            {"eastus-resource": regions["eastus"], "westus-resource": regions["westus"]},
            regions["openai"],
        )
    )
    served = {local.chat.completions.create(model="gpt-4", messages=MESSAGES)._route.path for _ in range(40)}
    assert served == {"targets[0]", "targets[1]"}
    sent = regions["westus"].stats.requests[-1]
    assert sent.path == "/openai/deployments/gpt-4/chat/completions" and "api-version=2024-02-15-preview" in sent.query
    local.close()
    client.close()


def test_fallback_to_openai_recipe(regions: dict[str, Emulator]) -> None:
    namespace = run("Fallback to OpenAI")
    client = namespace["client"]
    local = client.with_options(
        config=on_emulators(namespace["config"], {"my-resource": regions["eastus"]}, regions["openai"])
    )
    regions["eastus"].faults.add("server_error", times=1, status=503)
    reply = local.chat.completions.create(model="gpt-4", messages=MESSAGES)
    assert (
        reply._route.provider == "openai" and regions["openai"].stats.requests[-1].path == "/openai/v1/chat/completions"
    )
    local.close()
    client.close()
