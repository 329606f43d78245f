"""azgate.vision: images as data URLs and chat content parts, checked before sending."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from azgate.testing import Emulator
from azgate.vision import MAX_IMAGE_BYTES, detect_image_type, image_part, image_to_data_url
from helpers import resolve

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
GIF = b"GIF89a" + b"\x01\x00\x01\x00" + b"\x00" * 20
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20


@pytest.mark.parametrize(
    ("data", "mime"), [(PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp")]
)
def test_type_comes_from_the_bytes(tmp_path: Path, data: bytes, mime: str) -> None:
    assert detect_image_type(data) == mime
    misnamed = tmp_path / "picture.png"  # the extension lies for all but PNG
    misnamed.write_bytes(data)
    url = image_to_data_url(misnamed)
    assert url == f"data:{mime};base64,{base64.b64encode(data).decode()}"
    assert image_to_data_url(data) == url
    assert image_to_data_url(str(misnamed)) == url


def test_unsupported_bytes_say_what_is_accepted(tmp_path: Path) -> None:
    bmp = tmp_path / "scan.bmp"
    bmp.write_bytes(b"BM" + b"\x00" * 50)
    with pytest.raises(
        ValueError, match=r"image: the bytes are not a PNG, JPEG, GIF or WEBP image \(they start with b'BM"
    ):
        image_to_data_url(bmp)
    assert image_to_data_url(bmp, mime_type="image/bmp").startswith("data:image/bmp;base64,Qk0")
    with pytest.raises(ValueError, match="mime_type must be an image type"):
        image_to_data_url(PNG, mime_type="text/plain")
    with pytest.raises(ValueError, match="the image is empty"):
        image_to_data_url(b"")


def test_missing_file_names_the_path_and_the_alternatives(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jpg"
    with pytest.raises(FileNotFoundError, match=r"image: there is no image file at '.*nope\.jpg'\. Pass the path"):
        image_part(missing)
    with pytest.raises(FileNotFoundError, match=r"relative to"):
        image_part("surely/not/here.png")


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.png"
    with big.open("wb") as f:
        f.write(PNG)
        f.truncate(MAX_IMAGE_BYTES + 1)  # sparse: no 20 MB written
    with pytest.raises(ValueError, match=r"huge\.png\): the image is 20\.0 MB; Azure OpenAI accepts at most 20 MB"):
        image_to_data_url(big)
    with pytest.raises(ValueError, match="accepts at most 20 MB"):
        image_to_data_url(PNG + b"\x00" * MAX_IMAGE_BYTES)
    with pytest.raises(ValueError, match="accepts at most 20 MB"):
        image_part("data:image/png;base64," + "A" * (MAX_IMAGE_BYTES * 4 // 3 + 8))


def test_image_part_accepts_urls_data_urls_paths_and_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.gif"
    path.write_bytes(GIF)
    https = "https://example.com/cat.png"
    assert image_part(https, detail="low") == {"type": "image_url", "image_url": {"url": https, "detail": "low"}}
    data_url = image_to_data_url(PNG)
    assert image_part(data_url)["image_url"] == {"url": data_url, "detail": "auto"}
    assert image_part(path)["image_url"]["url"].startswith("data:image/gif;base64,")
    assert image_part(JPEG, detail="high")["image_url"]["url"].startswith("data:image/jpeg;base64,")


def test_image_part_rejects_what_the_service_cannot_use() -> None:
    with pytest.raises(ValueError, match="detail must be one of 'auto', 'low', 'high'; got 'medium'"):
        image_part("https://example.com/x.png", detail="medium")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="a URL the service cannot fetch"):
        image_part("ftp://example.com/x.png")
    with pytest.raises(ValueError, match="a data URL must look like"):
        image_part("data:image/png,notbase64")
    with pytest.raises(ValueError, match="not an image type"):
        image_part("data:text/plain;base64,aGk=")
    with pytest.raises(ValueError, match="not valid base64"):
        image_part("data:image/png;base64,!!!!")
    with pytest.raises(ValueError, match="is already a URL; pass it to image_part"):
        image_to_data_url("https://example.com/x.png")


async def test_a_chat_request_with_an_image_part(client: Any, emulator: Emulator, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(JPEG)
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "What is this?"}, image_part(photo, detail="low")]}
    ]
    reply = await resolve(client.chat.completions.create(model="gpt-4", messages=messages))
    assert reply.choices[0].message.content == "You said: What is this?"
    (request,) = emulator.stats.requests
    sent = json.loads(request.body)["messages"][0]["content"][1]
    assert sent == {"type": "image_url", "image_url": {"url": image_to_data_url(JPEG), "detail": "low"}}
