"""Routing built once from the operation table: URL path -> operation + path params.

Each operation is compiled to a regex at startup, twice: its `path` for the versioned API
(`/openai/...?api-version=`) and its `v1_path` for the v1 API (`/openai/v1/...`, where
the deployment travels in the body); both come from the generated table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .._core._operation import OperationSpec

__all__ = ["Match", "Router"]

_PARAM = re.compile(r"\{([^}/]+)\}")


@dataclass(frozen=True, slots=True)
class _Route:
    op: OperationSpec
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    v1: bool
    literal_weight: int


@dataclass(frozen=True, slots=True)
class Match:
    op: OperationSpec
    path_params: dict[str, str]
    v1: bool


def _compile(template: str) -> tuple[re.Pattern[str], tuple[str, ...], int]:
    names: list[str] = []
    parts: list[str] = []
    pos = 0
    for m in _PARAM.finditer(template):
        parts.append(re.escape(template[pos : m.start()]))
        parts.append(f"(?P<p{len(names)}>[^/]+)")
        names.append(m.group(1))
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    literal = len(_PARAM.sub("", template))
    return re.compile("^" + "".join(parts) + "/?$"), tuple(names), literal


class Router:
    def __init__(self, operations: Mapping[str, OperationSpec]) -> None:
        routes: list[_Route] = []
        for op in operations.values():
            pattern, names, weight = _compile(op.path)
            routes.append(_Route(op, pattern, names, False, weight))
            pattern, names, weight = _compile("/v1" + (op.v1_path or op.path))
            routes.append(_Route(op, pattern, names, True, weight))
        # More literal text first, so "/files/import" wins over "/files/{file-id}".
        routes.sort(key=lambda r: -r.literal_weight)
        self._by_method: dict[str, list[_Route]] = {}
        for route in routes:
            self._by_method.setdefault(route.op.method.upper(), []).append(route)
        self._all = routes

    def match(self, method: str, path: str) -> Match | None:
        """`path` is relative to /openai."""
        for route in self._by_method.get(method.upper(), ()):
            m = route.pattern.match(path)
            if m is not None:
                params = {name: m.group(f"p{i}") for i, name in enumerate(route.names)}
                return Match(route.op, params, route.v1)
        return None

    def allowed_methods(self, path: str) -> list[str]:
        """Methods that would match this path, for the "wrong method" message."""
        return sorted({r.op.method.upper() for r in self._all if r.pattern.match(path)})
