"""Python names for spec names: classes from schema keys, identifiers from wire names."""

from __future__ import annotations

import keyword
import re

__all__ = ["class_name", "identifier", "pascal"]

_WORD = re.compile(r"[A-Za-z0-9]+")


def pascal(text: str) -> str:
    """ "create_chat-completion" -> "CreateChatCompletion"; inner capitals are kept."""
    return "".join(w[0].upper() + w[1:] for w in _WORD.findall(text))


def class_name(schema_key: str) -> str:
    name = pascal(schema_key)
    return name if not name[:1].isdigit() else "Model" + name


def identifier(wire_name: str) -> str:
    """A keyword-argument name for a parameter: "timestamp_granularities[]" ->
    "timestamp_granularities", "file-id" -> "file_id", "$filter" -> "filter"."""
    name = re.sub(r"[^0-9A-Za-z_]+", "_", wire_name).strip("_")
    if keyword.iskeyword(name) or name in {"self", "extra_headers", "extra_query", "extra_body", "timeout"}:
        name += "_"
    return name
