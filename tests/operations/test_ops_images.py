"""images.generate and images.edit against the emulator, sync and async."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from azgate.exceptions import BadRequestError
from azgate.generated import models
from azgate.testing import Emulator
from azgate.testing._errors import FILTER_TRIGGER
from helpers import make_client, resolve
from media_checks import png_size


async def test_generate_b64_json_is_a_png_with_azure_filter_fields(flavour: str, emulator: Emulator) -> None:
    # n=2: only 2025-04-01-preview's document allows more than one image (dall-e-3 takes 1).
    client = make_client(flavour, emulator, api_version="2025-04-01-preview")
    reply = await resolve(client.images.generate(model="dall-e-3", prompt="a red fox", response_format="b64_json", n=2))
    await resolve(client.close())
    assert isinstance(reply, models.GenerateImagesResponse)
    assert len(reply.data) == 2
    first = reply.data[0]
    assert png_size(base64.b64decode(first.b64_json)) == (8, 8)
    assert first.b64_json != reply.data[1].b64_json
    assert first.revised_prompt and "a red fox" in first.revised_prompt
    assert first.content_filter_results.violence.filtered is False
    assert first.prompt_filter_results.jailbreak.detected is False


async def test_generate_url_serves_the_image_without_a_key(client: Any) -> None:
    reply = await resolve(client.images.generate(model="dall-e-3", prompt="a blue whale"))
    url = reply.data[0].url
    assert url and url.endswith(".png") and reply.data[0].b64_json is None
    download = httpx.get(url)  # no api-key, as Azure's SAS URLs
    assert download.status_code == 200 and download.headers["content-type"] == "image/png"
    assert png_size(download.content) == (8, 8)


async def test_prompt_with_filter_marker_is_refused_like_dalle(client: Any) -> None:
    with pytest.raises(BadRequestError) as caught:
        await resolve(client.images.generate(model="dall-e-3", prompt=f"something {FILTER_TRIGGER}"))
    error = caught.value
    assert error.status_code == 400 and error.code == "content_policy_violation"
    assert error.innererror is not None
    assert error.innererror["code"] == "ResponsibleAIPolicyViolation"
    assert error.innererror["content_filter_results"]["violence"]["filtered"] is True


async def test_generate_needs_an_image_deployment(client: Any) -> None:
    with pytest.raises(BadRequestError) as caught:
        await resolve(client.images.generate(model="gpt-4", prompt="x"))
    assert caught.value.code == "OperationNotSupported"


def _edit_form(prompt: str, mask: bool) -> dict[str, Any]:
    files: dict[str, Any] = {"image": ("in.png", base64.b64decode(_PNG_B64), "image/png")}
    if mask:
        files["mask"] = ("mask.png", base64.b64decode(_PNG_B64), "image/png")
    return {"data": {"prompt": prompt, "response_format": "b64_json"}, "files": files}


_PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


@pytest.mark.parametrize("mask", [False, True])
def test_edit_multipart_over_http(emulator: Emulator, mask: bool) -> None:
    # images.edit is multipart on the service; the SDK method waits on a spec fix
    # (see test_edit_through_the_sdk), so this drives the wire format directly.
    url = f"{emulator.endpoint}/openai/deployments/dall-e-3/images/edits?api-version=2025-04-01-preview"
    response = httpx.post(url, headers={"api-key": emulator.api_key}, **_edit_form("add a hat", mask))
    assert response.status_code == 200, response.text
    datum = response.json()["data"][0]
    assert png_size(base64.b64decode(datum["b64_json"])) == (8, 8)
    assert datum["content_filter_results"]["hate"]["severity"] == "safe"


def test_edit_is_absent_before_2025_04_01_preview(emulator: Emulator) -> None:
    url = f"{emulator.endpoint}/openai/deployments/dall-e-3/images/edits?api-version=2025-03-01-preview"
    response = httpx.post(url, headers={"api-key": emulator.api_key}, **_edit_form("x", False))
    assert response.status_code == 404 and response.json()["error"]["code"] == "404"


async def test_edit_through_the_sdk(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_version="2025-04-01-preview")
    try:
        reply = await resolve(
            client.images.edit(
                model="dall-e-3",
                image=("in.png", base64.b64decode(_PNG_B64), "image/png"),
                mask=("mask.png", base64.b64decode(_PNG_B64), "image/png"),
                prompt="add a hat",
                response_format="b64_json",
            )
        )
        assert png_size(base64.b64decode(reply.data[0].b64_json)) == (8, 8)
    finally:
        await resolve(client.close())
