"""`client.uploads.upload_file_chunked(...)`: a large file in parts, as openai-python has it.

`uploads.create` (declaring the size), one `uploads.parts.create` per part, in order,
then `uploads.complete` with the part ids in that order; the result is the completed
upload, its `file` the file the service assembled. The file is a path, bytes, or a
binary file object; it is read one part at a time, so a file larger than memory is
fine. A part that fails is retried as any call is; an upload that still fails half way
is cancelled, so it does not linger until it expires.

The generated `Uploads` / `AsyncUploads` inherit these classes (codegen/_mixins.py).
"""

from __future__ import annotations

import builtins
import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import IO, Any, Protocol, cast

from .._core._types import NOT_GIVEN, NotGiven
from ..exceptions import ConfigurationError
from ..generated.models import UploadResource

__all__ = ["DEFAULT_PART_SIZE", "AsyncUploadsHelpers", "UploadsHelpers"]

DEFAULT_PART_SIZE = 64 * 1024 * 1024
"""Bytes per part unless `part_size` says otherwise: the service's largest part (64 MiB)."""

FileSource = str | os.PathLike[str] | bytes | IO[bytes]


class _Uploads(Protocol):
    """The generated methods the helper calls (sync or async)."""

    @property
    def parts(self) -> Any: ...

    def create(self, **params: Any) -> Any: ...

    def complete(self, upload_id: str, **params: Any) -> Any: ...

    def cancel(self, upload_id: str, **params: Any) -> Any: ...


class _Plan:
    """What to upload: the name and size to declare, and how to read it in parts."""

    def __init__(self, file: FileSource, filename: str | None, size: int | None, part_size: int | None) -> None:
        if part_size is not None and part_size <= 0:
            raise ConfigurationError(f"part_size must be a positive number of bytes; got {part_size}.")
        self.part_size = part_size or DEFAULT_PART_SIZE
        self._path: Path | None = None
        self._data: bytes | None = None
        self._handle: IO[bytes] | None = None
        if isinstance(file, builtins.bytes):
            self._data = file
            size = len(file) if size is None else size
            if filename is None:
                raise ConfigurationError("filename: give the name of in-memory file contents (filename='data.jsonl').")
        elif isinstance(file, (str, os.PathLike)):
            self._path = Path(file)
            if not self._path.is_file():
                raise FileNotFoundError(f"file: there is no file at {str(self._path)!r}.")
            filename = filename or self._path.name
            size = self._path.stat().st_size if size is None else size
        elif callable(getattr(file, "read", None)):
            self._handle = file
            filename = filename or os.path.basename(str(getattr(file, "name", ""))) or None
            if filename is None:
                raise ConfigurationError("filename: this file object has no name; pass filename=.")
            size = _remaining(file) if size is None else size
        else:
            raise ConfigurationError(f"file must be a path, bytes or a binary file object; got {type(file).__name__}.")
        if size is None:
            raise ConfigurationError("bytes: this file object cannot tell its size; pass bytes= (the total size).")
        self.filename: str = filename
        self.size: int = size

    def parts(self) -> Iterator[bytes]:
        if self._data is not None:
            for start in range(0, len(self._data), self.part_size):
                yield self._data[start : start + self.part_size]
            return
        if self._path is not None:
            with self._path.open("rb") as handle:
                yield from _read_parts(handle, self.part_size)
            return
        assert self._handle is not None
        yield from _read_parts(self._handle, self.part_size)


def _read_parts(handle: IO[bytes], part_size: int) -> Iterator[bytes]:
    while part := handle.read(part_size):
        if isinstance(part, str):
            raise ConfigurationError("file: open the file in binary mode ('rb'), not text mode.")
        yield part


def _remaining(handle: IO[bytes]) -> int | None:
    """Bytes from the handle's position to its end, when it can seek."""
    try:
        if not handle.seekable():
            return None
        here = handle.tell()
        end = handle.seek(0, os.SEEK_END)
        handle.seek(here)
        return end - here
    except (AttributeError, OSError):
        return None


class UploadsHelpers:
    """`client.uploads.upload_file_chunked()`."""

    def upload_file_chunked(
        self,
        *,
        file: FileSource,
        mime_type: str,
        purpose: str,
        filename: str | None = None,
        bytes: int | None = None,
        part_size: int | None = None,
        md5: str | NotGiven = NOT_GIVEN,
    ) -> UploadResource:
        """Upload `file` in parts of `part_size` bytes (64 MiB by default) and return the
        completed upload. `filename` and `bytes` default to the path's name and size (or
        the file object's); in-memory bytes need `filename`. `md5` (hex), when given, is
        checked by the service against the assembled file."""
        plan = _Plan(file, filename, bytes, part_size)
        uploads = cast(_Uploads, self)
        upload = uploads.create(bytes=plan.size, filename=plan.filename, mime_type=mime_type, purpose=purpose)
        try:
            part_ids = [uploads.parts.create(upload.id, data=part).id for part in plan.parts()]
            completed: UploadResource = uploads.complete(upload.id, part_ids=part_ids, md5=md5)
        except Exception:
            with contextlib.suppress(Exception):  # the original error is the one to report
                uploads.cancel(upload.id)
            raise
        return completed


class AsyncUploadsHelpers:
    """`await client.uploads.upload_file_chunked()`."""

    async def upload_file_chunked(
        self,
        *,
        file: FileSource,
        mime_type: str,
        purpose: str,
        filename: str | None = None,
        bytes: int | None = None,
        part_size: int | None = None,
        md5: str | NotGiven = NOT_GIVEN,
    ) -> UploadResource:
        """As the sync `upload_file_chunked()`; parts are read in a worker thread."""
        import anyio.to_thread

        plan = _Plan(file, filename, bytes, part_size)
        uploads = cast(_Uploads, self)
        upload = await uploads.create(bytes=plan.size, filename=plan.filename, mime_type=mime_type, purpose=purpose)
        try:
            part_ids = []
            async for part in _async_parts(plan.parts(), anyio.to_thread.run_sync):
                part_ids.append((await uploads.parts.create(upload.id, data=part)).id)
            completed: UploadResource = await uploads.complete(upload.id, part_ids=part_ids, md5=md5)
        except Exception:
            with contextlib.suppress(Exception):  # the original error is the one to report
                await uploads.cancel(upload.id)
            raise
        return completed


async def _async_parts(parts: Iterator[bytes], run_sync: Any) -> AsyncIterator[bytes]:
    """The parts, each read off the event loop (a disk read can take a while)."""
    while (part := await run_sync(next, parts, None)) is not None:
        yield part
