"""A batch's input file: built from request bodies or checked line by line, before upload.

Every problem is found before any request is sent, and all of them are reported at once
(up to `MAX_REPORTED`), each with its place: `requests[3]` or `line 4`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from .._core._base_client import BinaryResponse
from .._core._encoding import encode_json
from ..exceptions import AzgateError

__all__ = [
    "BatchInputError",
    "BatchRequests",
    "PreparedInput",
    "content_bytes",
    "custom_ids_of_input",
    "prepare_input",
]

MAX_REPORTED = 20
"""Problems listed in one BatchInputError; the rest are counted."""

BatchRequests = Union[Iterable[Mapping[str, Any]], str, "os.PathLike[str]"]
"""Request bodies (dicts, each with an optional custom_id), or the path of a JSONL file
whose lines are {"custom_id", "method", "url", "body"}."""


class BatchInputError(AzgateError, ValueError):
    """The batch input is not valid; nothing was uploaded. `problems` lists each one."""

    def __init__(self, source: str, problems: list[str]) -> None:
        shown = problems[:MAX_REPORTED]
        more = len(problems) - len(shown)
        text = "\n  ".join(shown) + (f"\n  ... and {more} more" if more else "")
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"The batch input ({source}) has {len(problems)} {noun}; nothing was uploaded:\n  {text}")
        self.problems = problems


@dataclass(frozen=True)
class PreparedInput:
    jsonl: bytes
    custom_ids: list[str]
    """In input order."""

    def upload(self) -> tuple[str, bytes, str]:
        """The `file=` of files.create."""
        return ("batch_input.jsonl", self.jsonl, "application/jsonl")


def _body_problems(where: str, body: Mapping[str, Any]) -> list[str]:
    problems = []
    model = body.get("model")
    if not isinstance(model, str) or not model:
        problems.append(f"{where}: no 'model'; each request of a batch names its deployment (a Global Batch one).")
    if body.get("stream"):
        problems.append(f"{where}: stream=True; batch requests cannot stream, leave stream out.")
    return problems


def _encode(where: str, line: Mapping[str, object], problems: list[str]) -> bytes:
    try:
        return encode_json(line)
    except (TypeError, ValueError) as exc:
        problems.append(f"{where}: the body is not JSON-serialisable ({exc}).")
        return b""


class _Ids:
    """custom_ids seen so far, to report duplicates with both places."""

    def __init__(self) -> None:
        self.first: dict[str, str] = {}

    def check(self, custom_id: str, where: str, problems: list[str]) -> None:
        earlier = self.first.setdefault(custom_id, where)
        if earlier != where:
            problems.append(
                f"{where}: custom_id {custom_id!r} is already used by {earlier}; custom_ids must be unique "
                "(leave custom_id out to get 'request-<n>')."
            )


def _from_bodies(requests: Iterable[Mapping[str, Any]], endpoint: str) -> PreparedInput:
    problems: list[str] = []
    ids = _Ids()
    lines: list[bytes] = []
    custom_ids: list[str] = []
    for i, request in enumerate(requests):
        where = f"requests[{i}]"
        if not isinstance(request, Mapping):
            problems.append(f"{where}: a request is a dict (a request body); got {type(request).__name__}.")
            continue
        body = {k: v for k, v in request.items() if k != "custom_id"}
        custom_id = request.get("custom_id", f"request-{i}")
        if not isinstance(custom_id, str) or not custom_id:
            problems.append(f"{where}: custom_id must be a non-empty string; got {custom_id!r}.")
            continue
        ids.check(custom_id, where, problems)
        problems += _body_problems(where, body)
        line = {"custom_id": custom_id, "method": "POST", "url": endpoint, "body": body}
        lines.append(_encode(where, line, problems))
        custom_ids.append(custom_id)
    if not custom_ids and not problems:
        problems.append("there are no requests; pass at least one.")
    if problems:
        raise BatchInputError("requests", problems)
    return PreparedInput(b"\n".join(lines) + b"\n", custom_ids)


def _line_problems(where: str, item: object, endpoint: str) -> list[str]:
    if not isinstance(item, dict):
        return [
            f'{where}: a line is a JSON object {{"custom_id", "method", "url", "body"}}; got {type(item).__name__}.'
        ]
    problems = []
    missing = [key for key in ("custom_id", "method", "url", "body") if key not in item]
    if missing:
        problems.append(f"{where}: missing {', '.join(map(repr, missing))}.")
    custom_id = item.get("custom_id")
    if "custom_id" in item and (not isinstance(custom_id, str) or not custom_id):
        problems.append(f"{where}: custom_id must be a non-empty string; got {custom_id!r}.")
    method = item.get("method")
    if "method" in item and method != "POST":
        problems.append(f"{where}: method is {method!r}; batch requests are 'POST'.")
    url = item.get("url")
    if "url" in item and url != endpoint:
        problems.append(
            f"{where}: url {url!r} differs from endpoint {endpoint!r}; a batch runs one endpoint "
            f"(pass endpoint={url!r}, or fix the line)."
        )
    body = item.get("body")
    if "body" in item:
        if isinstance(body, dict):
            problems += _body_problems(where, body)
        else:
            problems.append(f"{where}: body must be a JSON object (the request body); got {type(body).__name__}.")
    return problems


def _from_file(path: Path, endpoint: str) -> PreparedInput:
    if not path.is_file():
        raise FileNotFoundError(
            f"requests: there is no batch input file at {str(path)!r}; pass the path of a JSONL file, "
            "or the request bodies themselves."
        )
    problems: list[str] = []
    ids = _Ids()
    lines: list[bytes] = []
    custom_ids: list[str] = []
    text = path.read_text(encoding="utf-8-sig")
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        where = f"line {number}"
        try:
            item = json.loads(raw)
        except ValueError as exc:
            problems.append(f"{where}: not valid JSON ({exc}).")
            continue
        found = _line_problems(where, item, endpoint)
        problems += found
        if found:
            continue
        ids.check(item["custom_id"], where, problems)
        lines.append(encode_json(item))
        custom_ids.append(item["custom_id"])
    if not lines and not problems:
        problems.append("the file has no requests.")
    if problems:
        raise BatchInputError(str(path), problems)
    return PreparedInput(b"\n".join(lines) + b"\n", custom_ids)


def prepare_input(requests: BatchRequests, endpoint: str) -> PreparedInput:
    """The JSONL to upload and the custom_ids in input order; BatchInputError if invalid."""
    if not isinstance(endpoint, str) or not endpoint.startswith("/"):
        raise ValueError(f"endpoint must be a path such as '/chat/completions'; got {endpoint!r}.")
    if isinstance(requests, (str, os.PathLike)):
        return _from_file(Path(requests), endpoint)
    if isinstance(requests, (bytes, Mapping)):
        raise TypeError(
            "requests must be an iterable of request bodies (dicts) or the path of a JSONL file; "
            f"got one {type(requests).__name__}. Wrap a single request in a list."
        )
    return _from_bodies(requests, endpoint)


def custom_ids_of_input(data: bytes) -> list[str]:
    """The custom_ids of an uploaded input file, in order (for resuming a batch)."""
    ids = []
    for raw in data.decode("utf-8-sig").splitlines():
        if raw.strip():
            try:
                item = json.loads(raw)
            except ValueError:
                continue  # the service rejected such a line already; it has no result to place
            custom_id = item.get("custom_id") if isinstance(item, dict) else None
            if isinstance(custom_id, str):
                ids.append(custom_id)
    return ids


def content_bytes(value: object) -> bytes:
    """files.content's result as bytes (a JSON content type comes back parsed)."""
    if isinstance(value, BinaryResponse):
        return value.content
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    return json.dumps(value).encode()
