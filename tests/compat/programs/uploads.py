"""A large file uploaded in parts, from disk and from memory
(openai-python's examples/uploads.py)."""

import asyncio
import os
import tempfile
from pathlib import Path

from openai import AsyncAzureOpenAI, AzureOpenAI

file = Path(tempfile.mkdtemp()) / "big_test_file.jsonl"
file.write_bytes(os.urandom(200_000))
part_size = 64 * 1024  # small parts, so this small file still goes in several


def main() -> None:
    client = AzureOpenAI()
    print("uploading file from disk")
    upload = client.uploads.upload_file_chunked(file=file, mime_type="text/jsonl", purpose="batch", part_size=part_size)
    print(upload)
    assert upload.status == "completed" and upload.bytes == file.stat().st_size

    print("uploading file from memory")
    data = file.read_bytes()
    upload = client.uploads.upload_file_chunked(
        file=data,
        filename="my_file.jsonl",
        bytes=len(data),
        mime_type="text/jsonl",
        purpose="batch",
        part_size=part_size,
    )
    assert upload.status == "completed" and upload.filename == "my_file.jsonl"
    assert client.files.content(upload.file.id).content == data


async def amain() -> None:
    client = AsyncAzureOpenAI()
    upload = await client.uploads.upload_file_chunked(
        file=file, mime_type="text/jsonl", purpose="batch", part_size=part_size
    )
    print(upload.status, upload.file.id)
    assert upload.status == "completed"
    await client.close()


main()
asyncio.run(amain())
