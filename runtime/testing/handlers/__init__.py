"""Handlers: one function per operation id, `Call -> Reply`.

To emulate a new operation, write `def create_image(call: Call) -> Reply` in a module
here and add one line to `HANDLERS`. Operations in the table without a handler answer
501 with an Azure-shaped body. A handler may be async (e.g. to read an upload).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from .._call import Call
from .._responses import Reply
from .chat import create_chat_completion
from .completions import create_completion
from .embeddings import create_embeddings

__all__ = ["HANDLERS", "Handler"]

Handler = Callable[[Call], Reply | Awaitable[Reply]]

HANDLERS: Mapping[str, Handler] = {
    "ChatCompletions_Create": create_chat_completion,
    "Completions_Create": create_completion,
    "embeddings_create": create_embeddings,
}
