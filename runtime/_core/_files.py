"""Files a user hands to a multipart operation: a path, bytes, or an open file.

Each is read into memory when the call is prepared, so a retry re-sends the same
bytes (never half a file from a consumed handle), and a missing path fails before any
request is sent.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from typing import IO, Any, Mapping, Union

from ._types import NotGiven

__all__ = ["FileInput", "file_parts"]

FileContent = Union[bytes, IO[bytes]]
FileInput = Union[str, "os.PathLike[str]", bytes, IO[bytes], tuple[str, FileContent], tuple[str, FileContent, str]]
"""A path, raw bytes, an open binary file, or (filename, content[, content type])."""


def _read(field: str, value: object) -> tuple[str, bytes, str]:
    if isinstance(value, tuple):
        filename, content, *rest = value
        data = content if isinstance(content, bytes) else content.read()
        return filename, data, rest[0] if rest else _guess(filename)
    if isinstance(value, (str, os.PathLike)):
        path = Path(value)
        if not path.is_file():
            raise FileNotFoundError(
                f"{field}: there is no file at {str(path)!r}; pass an existing path, bytes or an open file."
            )
        return path.name, path.read_bytes(), _guess(path.name)
    if isinstance(value, bytes):
        return field, value, "application/octet-stream"
    read = getattr(value, "read", None)
    if callable(read):
        data = read()
        if isinstance(data, str):
            raise TypeError(f"{field}: open the file in binary mode ('rb'), not text mode.")
        name = os.path.basename(str(getattr(value, "name", field)))
        return name, data, _guess(name)
    raise TypeError(f"{field} must be a path, bytes or an open binary file; got {type(value).__name__}.")


def _guess(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def file_parts(values: Mapping[str, Any]) -> list[tuple[str, tuple[str, bytes, str]]]:
    """httpx `files=` entries for the file fields that were given; a list of files
    becomes one part per file under the same field name."""
    parts = []
    for name, value in values.items():
        if isinstance(value, NotGiven):
            continue
        many = isinstance(value, list)  # a tuple is one file: (filename, content[, type])
        for item in value if many else [value]:
            parts.append((name, _read(name, item)))
    return parts
