"""What routing costs per call: a 3-target loadbalance against a plain single-target client.

Adapters for ../shared/bench (the project's side-by-side harness). The three targets all
point at the bench server, so the only difference from the `azgate` adapter is the
router (pick, per-target client, route record). Run from the repository root:

    PYTHONPATH=bench python ../shared/bench/compare.py \
        --clients azgate,routing_overhead:AzgateRouted --baseline azgate --modes chat,stream --rounds 5

The issue's budget is a ratio of at most 1.05 on chat.
"""

from __future__ import annotations

from typing import Any


class AzgateRouted:
    """azgate with `config=`: loadbalance over three targets (weights 1, 1, 1)."""

    def __init__(self, cfg: Any) -> None:
        from azgate import Client

        self.cfg = cfg
        target = {
            "provider": "azure-openai",
            "api_key": cfg.api_key,
            "azure_endpoint": cfg.endpoint,
            "api_version": cfg.api_version,
        }
        self.c = Client(
            default_headers=cfg.extra_headers(),
            config={
                "strategy": {"mode": "loadbalance"},
                "targets": [{**target, "name": name} for name in ("eastus", "westus", "centralus")],
            },
        )

    def chat(self) -> str:
        r = self.c.chat.completions.create(model=self.cfg.deployment, messages=self.cfg.messages, max_tokens=self.cfg.max_tokens)
        content: str = r.choices[0].message.content
        return content

    def stream(self) -> tuple[int, int]:
        events = content = 0
        s = self.c.chat.completions.create(
            model=self.cfg.deployment, messages=self.cfg.messages, max_tokens=self.cfg.max_tokens, stream=True
        )
        for chunk in s:
            events += 1
            if chunk.choices and chunk.choices[0].delta.content is not None:
                content += 1
        return events, content

    def embed(self) -> int:
        r = self.c.embeddings.create(
            model=self.cfg.embed_deployment, input=["hello world", "second input"], encoding_format="float"
        )
        return len(r.data[0].embedding)

    def close(self) -> None:
        self.c.close()
