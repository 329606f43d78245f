"""Images in chat messages: local files and bytes as data URLs, content parts.

```python
from azgate.vision import image_part

messages = [{"role": "user", "content": [
    {"type": "text", "text": "What is in this picture?"},
    image_part("photo.jpg"),                      # or an https URL, a data URL, or bytes
]}]
client.chat.completions.create(model="gpt-4o", messages=messages)
```

The image type comes from the file's first bytes, not its name, so a JPEG saved as
`.png` is sent as image/jpeg. Azure OpenAI accepts PNG, JPEG, GIF (not animated) and
WEBP, up to 20 MB per image; anything else fails here, before a request is sent.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from pathlib import Path
from typing import Literal, TypedDict, Union

__all__ = [
    "MAX_IMAGE_BYTES",
    "ImageInput",
    "ImagePart",
    "ImageURL",
    "detect_image_type",
    "image_part",
    "image_to_data_url",
]

MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""Azure OpenAI's limit for one image in a chat request: 20 MB."""

ImageInput = Union[str, "os.PathLike[str]", bytes]
"""An https URL, a data URL, a path to an image file, or the image's bytes."""

Detail = Literal["auto", "low", "high"]

_DETAILS = ("auto", "low", "high")
_SUPPORTED = "PNG, JPEG, GIF or WEBP"
_URL_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://")
_DATA_URL = re.compile(r"data:(?P<mime>[\w.+-]+/[\w.+-]+)(?P<params>(;[^;,]*)*?);base64,(?P<data>.*)", re.S)


class ImageURL(TypedDict):
    url: str
    detail: Detail


class ImagePart(TypedDict):
    """A chat content part: {"type": "image_url", "image_url": {"url": ..., "detail": ...}}."""

    type: Literal["image_url"]
    image_url: ImageURL


def detect_image_type(data: bytes) -> str | None:
    """The MIME type of PNG, JPEG, GIF or WEBP bytes, from their magic number; else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(data) >= 12 and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _too_large(argument: str, size: int) -> ValueError:
    return ValueError(
        f"{argument}: the image is {size / 1024 / 1024:.1f} MB; Azure OpenAI accepts at most "
        f"{MAX_IMAGE_BYTES // 1024 // 1024} MB per image. Resize or recompress it (a long side of 2048 px "
        "is all the model uses), or host it and pass an https URL."
    )


def _read_image(argument: str, image: str | os.PathLike[str]) -> bytes:
    path = Path(image)
    if not path.is_file():
        where = "" if path.is_absolute() else f" (relative to {os.getcwd()})"
        raise FileNotFoundError(
            f"{argument}: there is no image file at {str(path)!r}{where}. Pass the path of an existing "
            "file, the image's bytes, or an https:// or data: URL."
        )
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise _too_large(f"{argument} ({path.name})", size)
    return path.read_bytes()


def image_to_data_url(image: str | os.PathLike[str] | bytes, mime_type: str | None = None) -> str:
    """ "data:image/png;base64,..." for an image file or bytes.

    The type is read from the bytes; `mime_type` overrides it (for a format whose bytes
    you know better), and must then be an image/* type.
    """
    argument = "image"
    if isinstance(image, str) and image.startswith(("https://", "http://", "data:")):
        raise ValueError(
            f"{argument}: {image[:40]!r}... is already a URL; pass it to image_part() as is, "
            "or pass image_to_data_url() a file path or bytes."
        )
    if isinstance(image, (bytes, bytearray, memoryview)):
        data = bytes(image)
        if len(data) > MAX_IMAGE_BYTES:
            raise _too_large(argument, len(data))
    elif isinstance(image, (str, os.PathLike)):
        data = _read_image(argument, image)
    else:
        raise TypeError(f"{argument} must be a file path or bytes; got {type(image).__name__}.")
    if not data:
        raise ValueError(f"{argument}: the image is empty (0 bytes).")
    if mime_type is not None:
        if not re.fullmatch(r"image/[\w.+-]+", mime_type):
            raise ValueError(f"mime_type must be an image type such as 'image/png'; got {mime_type!r}.")
        kind = mime_type
    else:
        detected = detect_image_type(data)
        if detected is None:
            raise ValueError(
                f"{argument}: the bytes are not a {_SUPPORTED} image (they start with {data[:8]!r}); Azure OpenAI "
                f"accepts only those. Convert the image (e.g. with Pillow: Image.open(src).save(dst, 'PNG')), or "
                "pass mime_type= if you know it is one of them."
            )
        kind = detected
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _check_data_url(url: str) -> None:
    match = _DATA_URL.fullmatch(url)
    if match is None:
        raise ValueError(
            "image: a data URL must look like 'data:image/png;base64,<base64 data>'; "
            f"got {url[:40]!r}.... Use image_to_data_url() to make one from a file or bytes."
        )
    if not match["mime"].startswith("image/"):
        raise ValueError(f"image: the data URL's type is {match['mime']!r}, not an image type.")
    encoded = match["data"]
    size = len(encoded) * 3 // 4
    if size > MAX_IMAGE_BYTES:
        raise _too_large("image (data URL)", size)
    try:  # the first 4096 characters (whole base64 quanta) are a cheap sample of the payload
        base64.b64decode(encoded[:4096], validate=True)
    except binascii.Error as exc:
        raise ValueError(f"image: the data URL's payload is not valid base64 ({exc}).") from exc


def image_part(image: ImageInput, detail: Detail = "auto") -> ImagePart:
    """A chat content part for an image.

    `image` is an https URL (the service fetches it), a data URL, a local path or the
    image's bytes (both sent inline as a data URL). `detail` is "auto", "low" (a fixed,
    small token cost) or "high".
    """
    if detail not in _DETAILS:
        raise ValueError(f"detail must be one of {', '.join(map(repr, _DETAILS))}; got {detail!r}.")
    if isinstance(image, str) and image.startswith(("https://", "http://")):
        url = image
    elif isinstance(image, str) and image.startswith("data:"):
        _check_data_url(image)
        url = image
    elif isinstance(image, str) and _URL_SCHEME.match(image):
        raise ValueError(
            f"image: {image[:40]!r} is a URL the service cannot fetch; pass an https:// URL, "
            "a data: URL, a local path or bytes."
        )
    else:
        url = image_to_data_url(image)
    return {"type": "image_url", "image_url": {"url": url, "detail": detail}}
