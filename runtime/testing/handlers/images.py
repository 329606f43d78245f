"""ImageGenerations_Create and ImageGenerations_Edit: DALL-E / gpt-image answers.

Each image is a small PNG derived from the prompt (and, for edits, the input image), as
`b64_json` or as a `url` the emulator itself serves (GET /_emulator/blobs/<id>.png, no
key needed, like Azure's SAS URLs). Azure's filter fields ride on every datum. A prompt
containing FILTER_TRIGGER ("[azgate:filter]") is refused as DALL-E refuses it: 400
`content_policy_violation` with `inner_error.content_filter_results`.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any

from .._call import Call
from .._errors import FILTER_TRIGGER, AzureError, invalid_request
from .._responses import JsonReply, Reply
from ._media import png
from ._text import now

__all__ = ["create_image", "edit_image"]

_SAFE = {"filtered": False, "severity": "safe"}
_IMAGE_FILTERS: Mapping[str, Any] = {"hate": _SAFE, "self_harm": _SAFE, "sexual": _SAFE, "violence": _SAFE}
_PROMPT_FILTERS: Mapping[str, Any] = {
    **_IMAGE_FILTERS,
    "profanity": {"filtered": False, "detected": False},
    "jailbreak": {"filtered": False, "detected": False},
}
_MAX_N = 10


class _PolicyViolation(AzureError):
    """DALL-E's refusal: `inner_error` (with an underscore), unlike chat's `innererror`."""

    def __init__(self, prompt: str) -> None:
        super().__init__(
            400,
            "content_policy_violation",
            "Your request was rejected as a result of our safety system. Your prompt may contain "
            "text that is not allowed by our safety system.",
        )
        self.prompt = prompt

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "inner_error": {
                    "code": "ResponsibleAIPolicyViolation",
                    "content_filter_results": {
                        **_PROMPT_FILTERS,
                        "violence": {"filtered": True, "severity": "medium"},
                    },
                    "revised_prompt": self.prompt,
                },
            }
        }


def _count(body: Mapping[str, Any]) -> int:
    raw = body.get("n", 1)
    try:
        n = int(raw)  # a form field arrives as text
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= _MAX_N:
        raise invalid_request(f"Invalid value for 'n': expected an integer from 1 to {_MAX_N}.", param="n")
    return n


def _images(call: Call, prompt: str, seed: str) -> Reply:
    if FILTER_TRIGGER in prompt:
        raise _PolicyViolation(prompt)
    n = _count(call.body)
    response_format = call.body.get("response_format") or "url"
    # DALL-E 3 rewrites prompts; gpt-image models do not say how.
    revised = f"A detailed picture of {prompt}" if call.model.startswith("dall-e-3") else None
    host = call.headers.get("host", "127.0.0.1")
    data = []
    for i in range(n):
        image = png(f"{seed}\x1f{i}")
        datum: dict[str, Any] = {
            "content_filter_results": _IMAGE_FILTERS,
            "prompt_filter_results": _PROMPT_FILTERS,
        }
        if revised is not None:
            datum["revised_prompt"] = revised
        if response_format == "b64_json":
            datum["b64_json"] = base64.b64encode(image).decode()
        else:
            name = hashlib.sha256(image).hexdigest()[:32] + ".png"
            call.store.blobs[name] = (image, "image/png")
            datum["url"] = f"http://{host}/_emulator/blobs/{name}"
        data.append(datum)
    return JsonReply({"created": now(), "data": data})


def create_image(call: Call) -> Reply:
    prompt = str(call.body.get("prompt", ""))
    return _images(call, prompt, f"{call.model}\x1f{prompt}")


async def _read(value: Any) -> bytes:
    if isinstance(value, (bytes, str)):
        return value.encode() if isinstance(value, str) else value
    data: bytes = await value.read()
    return data


async def edit_image(call: Call) -> Reply:
    image = call.body.get("image", call.body.get("image[]"))
    if image is None:
        raise invalid_request("'image' is a required property", param="image")
    images = image if isinstance(image, list) else [image]
    digest = hashlib.sha256()
    for item in images:
        content = await _read(item)
        if not content:
            raise invalid_request("Invalid image: the file is empty.", param="image")
        digest.update(content)
    if "mask" in call.body:
        digest.update(await _read(call.body["mask"]))
    prompt = str(call.body.get("prompt", ""))
    return _images(call, prompt, f"{digest.hexdigest()}\x1f{prompt}")
