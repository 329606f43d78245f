"""Where a config comes from: a mapping, a JSON string, or the path of a JSON or YAML file."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..exceptions import ConfigurationError

__all__ = ["load_config"]

_YAML_SUFFIXES = (".yaml", ".yml")


def load_config(source: object) -> Mapping[str, Any]:
    """The config as a mapping; every way it can be unreadable is a ConfigurationError."""
    if isinstance(source, Mapping):
        return source
    if isinstance(source, str) and source.lstrip().startswith("{"):
        return _json(source, "the config string")
    if isinstance(source, (str, os.PathLike)):
        return _file(Path(os.fspath(source)))
    raise ConfigurationError(
        f"config must be a dict, a JSON string or the path of a JSON or YAML file; got {type(source).__name__}."
    )


def _file(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(
            f"config: no file at {str(path)!r}. Pass a dict, a JSON string, or the path of a .json or .yaml file."
        ) from None
    except OSError as exc:
        raise ConfigurationError(f"config: cannot read {str(path)!r}: {exc.strerror}.") from None
    if path.suffix.lower() in _YAML_SUFFIXES:
        return _yaml(text, str(path))
    return _json(text, repr(str(path)))


def _json(text: str, where: str) -> Mapping[str, Any]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        # json's message names line and column, never the text around them (it may hold a key).
        raise ConfigurationError(f"config: {where} is not valid JSON: {exc}.") from None
    return _mapping(data, where)


def _yaml(text: str, where: str) -> Mapping[str, Any]:
    try:
        import yaml
    except ImportError:
        raise ConfigurationError(
            f"config: {where} is YAML, which needs PyYAML: pip install 'azgate[yaml]' (or pass JSON)."
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise ConfigurationError(f"config: {where} is not valid YAML{at}.") from None
    return _mapping(data, where)


def _mapping(data: object, where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ConfigurationError(
            f"config: {where} must hold an object (strategy, targets, ...); got {type(data).__name__}."
        )
    return data
