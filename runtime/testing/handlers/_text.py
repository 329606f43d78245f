"""Deterministic text helpers shared by the handlers: token counts, ids, stream pieces.

"Tokens" are whitespace-separated words everywhere (prompt, completion, stream pieces,
max_tokens), so usage numbers are predictable: "You said: hi there" is 4 tokens.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Mapping
from typing import Any

__all__ = [
    "choice_count",
    "content_text",
    "count_tokens",
    "fingerprint",
    "new_id",
    "now",
    "pieces",
    "stable_id",
    "truncate",
]

_PIECE = re.compile(r"\s*\S+")


def count_tokens(text: str) -> int:
    return len(text.split())


def content_text(content: Any) -> str:
    """Text of a message's content: a string, or the text parts of a parts list."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [
            str(part.get("text", "")) for part in content if isinstance(part, Mapping) and part.get("type") == "text"
        ]
        return " ".join(texts)
    return ""


def pieces(text: str) -> list[str]:
    """Stream pieces: one per word, each with its leading whitespace (rejoin = text)."""
    found = _PIECE.findall(text)
    if found and len("".join(found)) < len(text):
        found[-1] += text[len("".join(found)) :]  # keep trailing whitespace
    return found or [text]


def truncate(text: str, max_tokens: Any) -> tuple[str, bool]:
    """Cut to max_tokens words; (text, was_cut)."""
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens <= 0:
        return text, False
    words = pieces(text)
    if len(words) <= max_tokens:
        return text, False
    return "".join(words[:max_tokens]), True


def choice_count(body: Mapping[str, Any]) -> int:
    """The request's `n` (choices per prompt), 1 when absent or not a positive int."""
    n = body.get("n")
    return n if isinstance(n, int) and not isinstance(n, bool) and n > 0 else 1


def new_id(prefix: str) -> str:
    # Random on purpose: a cache test tells a hit from a miss by the id.
    return prefix + uuid.uuid4().hex[:24]


def stable_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return prefix + digest[:24]


def fingerprint(model: str) -> str:
    return "fp_" + hashlib.sha256(model.encode()).hexdigest()[:10]


def now() -> int:
    return int(time.time())
