"""`client.beta.chat`: the chat resource, reached through `beta` as openai-python still
allows. Structured outputs first shipped there, so code written for openai-python 1.x
calls `client.beta.chat.completions.parse(...)` and `.stream(...)`; both are the same
methods as `client.chat.completions.parse` and `.stream`.

The generated `Beta` / `AsyncBeta` inherit these classes (codegen/_mixins.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from ..generated.resources.chat import AsyncChat, Chat

__all__ = ["AsyncBetaAliases", "BetaAliases"]


class BetaAliases:
    """`client.beta.chat`."""

    _client: Any

    @property
    def chat(self) -> Chat:
        return cast("Chat", self._client.chat)


class AsyncBetaAliases:
    """`client.beta.chat` of an `AsyncClient`."""

    _client: Any

    @property
    def chat(self) -> AsyncChat:
        return cast("AsyncChat", self._client.chat)
