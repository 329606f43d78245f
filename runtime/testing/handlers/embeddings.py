"""embeddings_create: a unit vector per input, derived from a hash of the input.

The same text always gives the same vector (so similarity tests are stable), different
texts give different ones. Values are float32-exact, so the "float" and "base64"
encodings of one input decode to the same numbers.
"""

from __future__ import annotations

import base64
import hashlib
import math
import random
import struct
from functools import lru_cache
from typing import Any

from .._call import Call
from .._errors import invalid_request
from .._responses import JsonReply, Reply
from .completions import prompts_of

__all__ = ["DEFAULT_DIMENSIONS", "create_embeddings", "embedding_vector"]

DEFAULT_DIMENSIONS = 1536
_MAX_DIMENSIONS = 16384


@lru_cache(maxsize=4096)  # a benchmark embeds the same few texts over and over
def _packed(text: str, dimensions: int) -> bytes:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    rng = random.Random(seed)
    values = [rng.gauss(0.0, 1.0) for _ in range(dimensions)]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return struct.pack(f"<{dimensions}f", *(v / norm for v in values))


def embedding_vector(text: str, dimensions: int = DEFAULT_DIMENSIONS) -> list[float]:
    """The vector the emulator returns for `text` (for tests that compare)."""
    return list(struct.unpack(f"<{dimensions}f", _packed(text, dimensions)))


@lru_cache(maxsize=4096)
def _base64(text: str, dimensions: int) -> str:
    return base64.b64encode(_packed(text, dimensions)).decode()


def create_embeddings(call: Call) -> Reply:
    body = call.body
    if "input" not in body:
        raise invalid_request("'input' is a required property", param="input")
    inputs = prompts_of(body.get("input"), "input")
    dimensions: Any = body.get("dimensions", DEFAULT_DIMENSIONS)
    if not isinstance(dimensions, int) or isinstance(dimensions, bool) or not 1 <= dimensions <= _MAX_DIMENSIONS:
        raise invalid_request(
            f"Invalid value for 'dimensions': expected an integer from 1 to {_MAX_DIMENSIONS}, got {dimensions!r}.",
            param="dimensions",
        )
    encoding = body.get("encoding_format") or "float"
    if encoding not in ("float", "base64"):
        raise invalid_request(
            f"Invalid value for 'encoding_format': expected 'float' or 'base64', got {encoding!r}.",
            param="encoding_format",
        )
    data = [
        {
            "object": "embedding",
            "index": i,
            "embedding": _base64(text, dimensions) if encoding == "base64" else embedding_vector(text, dimensions),
        }
        for i, (text, _) in enumerate(inputs)
    ]
    tokens = sum(count for _, count in inputs)
    return JsonReply(
        {
            "object": "list",
            "data": data,
            "model": call.model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
    )
