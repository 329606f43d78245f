"""Ordering of api-version strings, and how to say which versions have something."""

from __future__ import annotations

from typing import Collection

__all__ = ["V1", "describe_availability", "version_key"]

V1 = "v1"
"""Azure's versionless API: /openai/v1/..., the deployment in the body's model."""


def version_key(version: str) -> tuple[str, int]:
    """Sort key: by date; on the same date a preview sorts before the stable release."""
    return (version[:10], 0 if version.endswith("-preview") else 1)


def describe_availability(having: Collection[str], known: Collection[str]) -> str:
    """E.g. "api-version 2024-02-15-preview or later" when every known version from the
    first that has it on has it too; otherwise the explicit list. v1 is not a date: it
    is named on its own ("... (or v1)")."""
    ordered = sorted((v for v in having if v != V1), key=version_key)
    v1 = " (or v1)" if V1 in having else ""
    if not ordered:
        return "api-version v1" if v1 else "an api-version that has it (none known does)"
    first = version_key(ordered[0])
    later = [v for v in known if v != V1 and version_key(v) >= first]
    if set(later) <= set(having):
        return f"api-version {ordered[0]} or later{v1}"
    return "one of the api-versions " + ", ".join(ordered) + v1
