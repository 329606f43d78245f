"""Emulator settings: the default key and deployments, and the loopback rule."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_DEPLOYMENTS",
    "check_host",
    "format_endpoint",
    "model_family",
    "operation_family",
    "parse_deployment",
]

DEFAULT_API_KEY = "emulator-key"

# Deployment name -> model name. The seed's deployment names (its examples use
# gpt-4-deployment and gpt-4-vision), the models' own names, and gpt-4o, which
# DESIGN.md's examples use.
DEFAULT_DEPLOYMENTS: Mapping[str, str] = {
    "gpt-4-deployment": "gpt-4",
    "gpt-4-vision": "gpt-4-vision-preview",
    "gpt-4": "gpt-4",
    "gpt-4-turbo": "gpt-4-turbo",
    "gpt-4o": "gpt-4o",
    "gpt-35-turbo": "gpt-35-turbo",
    "text-embedding-ada-002": "text-embedding-ada-002",
    "dall-e-3": "dall-e-3",
    "whisper": "whisper",
    "tts": "tts-1",
}


def parse_deployment(spec: str) -> tuple[str, str]:
    """`NAME=MODEL` (or just `NAME`, meaning the model has the same name)."""
    name, sep, model = spec.partition("=")
    name, model = name.strip(), model.strip()
    if not name or (sep and not model):
        raise ValueError(f"deployment must look like NAME=MODEL, got {spec!r}")
    return name, model or name


def check_host(host: str, *, allow_non_loopback: bool) -> None:
    """Refuse to listen beyond this machine unless asked: the emulator has no real auth."""
    if allow_non_loopback or host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(
            f"the emulator listens on loopback only; host {host!r} is not a loopback "
            "address (pass allow_non_loopback=True / --allow-non-loopback to override)"
        )


def format_endpoint(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


# Which kind of model serves which kind of operation, so calling chat on an embeddings
# deployment fails the way Azure fails it (OperationNotSupported). Families are guessed
# from names; anything unrecognised is allowed.
_MODEL_FAMILIES: tuple[tuple[str, str], ...] = (
    ("text-embedding", "embeddings"),
    ("dall-e", "images"),
    ("gpt-image", "images"),
    ("whisper", "audio"),
    ("tts", "speech"),
    ("gpt-", "text"),
    ("o1", "text"),
    ("o3", "text"),
    ("o4", "text"),
)
_OPERATION_FAMILIES: tuple[tuple[str, str, str], ...] = (
    # (sdk_name prefix, family, Azure's operation word in the error message)
    ("chat.", "text", "chatCompletion"),
    ("completions.", "text", "completion"),
    ("embeddings.", "embeddings", "embeddings"),
    ("images.", "images", "imagesGeneration"),
    ("audio.speech", "speech", "speech"),
    ("audio.transcriptions", "audio", "transcription"),
    ("audio.translations", "audio", "translation"),
)


def model_family(model: str) -> str | None:
    lowered = model.lower()
    for prefix, family in _MODEL_FAMILIES:
        if lowered.startswith(prefix):
            return family
    return None


def operation_family(sdk_name: str) -> tuple[str, str] | None:
    for prefix, family, word in _OPERATION_FAMILIES:
        if sdk_name.startswith(prefix):
            return family, word
    return None
