"""Completions and embeddings."""

from __future__ import annotations

import base64
import math
import struct
from typing import Any

import httpx
from azgate.testing import Emulator, embedding_vector
from emulator_support import USAGE_VERSION, hand_built_operations, sse_events, url


def _post(http: httpx.Client, path: str, deployment: str, **body: Any) -> dict[str, Any]:
    r = http.post(url(path, deployment), json=body)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def test_completion(http: httpx.Client) -> None:
    data = _post(http, "completions", "gpt-35-turbo", prompt="tell me")
    assert data["object"] == "text_completion"
    assert data["id"].startswith("cmpl-")
    [choice] = data["choices"]
    assert choice["text"] == "You said: tell me"
    assert choice["index"] == 0 and choice["finish_reason"] == "stop"
    assert choice["logprobs"] is None
    assert choice["content_filter_results"]["violence"]["severity"] == "safe"
    assert data["prompt_filter_results"][0]["prompt_index"] == 0
    assert data["usage"] == {"prompt_tokens": 2, "completion_tokens": 4, "total_tokens": 6}


def test_completion_many_prompts_and_n(http: httpx.Client) -> None:
    data = _post(http, "completions", "gpt-35-turbo", prompt=["a", "b"], n=2, echo=True)
    assert [c["index"] for c in data["choices"]] == [0, 1, 2, 3]
    assert [c["text"] for c in data["choices"]] == ["aYou said: a"] * 2 + ["bYou said: b"] * 2
    assert [p["prompt_index"] for p in data["prompt_filter_results"]] == [0, 1]


def test_completion_stream(http: httpx.Client) -> None:
    r = http.post(
        url("completions", "gpt-35-turbo", USAGE_VERSION),
        json={"prompt": "go on", "stream": True, "stream_options": {"include_usage": True}},
    )
    events = sse_events(r.text)
    first, *chunks, usage, done = events
    assert done == "[DONE]"
    assert first["choices"] == [] and first["model"] == ""
    assert "prompt_filter_results" in first
    text = "".join(c["choices"][0]["text"] for c in chunks)
    assert text == "You said: go on"
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])
    assert usage["choices"] == [] and usage["usage"]["completion_tokens"] == 4


def test_embedding_float(http: httpx.Client) -> None:
    data = _post(http, "embeddings", "text-embedding-ada-002", input="hello")
    assert data["object"] == "list"
    assert data["model"] == "text-embedding-ada-002"
    [item] = data["data"]
    assert item["object"] == "embedding" and item["index"] == 0
    vector = item["embedding"]
    assert len(vector) == 1536
    assert math.isclose(math.sqrt(sum(v * v for v in vector)), 1.0, rel_tol=1e-5)
    assert vector == embedding_vector("hello")
    assert data["usage"] == {"prompt_tokens": 1, "total_tokens": 1}


def test_embeddings_are_deterministic_per_text(http: httpx.Client) -> None:
    data = _post(http, "embeddings", "text-embedding-ada-002", input=["a", "b", "a"])
    a1, b, a2 = (d["embedding"] for d in data["data"])
    assert [d["index"] for d in data["data"]] == [0, 1, 2]
    assert a1 == a2 and a1 != b


def test_embedding_dimensions_and_base64(http: httpx.Client) -> None:
    floats = _post(http, "embeddings", "text-embedding-ada-002", input="x", dimensions=8)
    encoded = _post(
        http,
        "embeddings",
        "text-embedding-ada-002",
        input="x",
        dimensions=8,
        encoding_format="base64",
    )
    raw = base64.b64decode(encoded["data"][0]["embedding"])
    assert len(raw) == 8 * 4
    assert list(struct.unpack("<8f", raw)) == floats["data"][0]["embedding"]


def test_embedding_token_arrays_without_type_checks() -> None:
    # The published documents allow only strings; the handler takes token arrays too,
    # for tables/validators that let them through.
    with Emulator(operations=hand_built_operations(), body_validator="off") as emulator:
        r = httpx.post(
            emulator.endpoint + url("embeddings", "text-embedding-ada-002"),
            json={"input": [[1, 2, 3], [4]]},
            headers={"api-key": emulator.api_key},
        )
    assert r.status_code == 200, r.text
    assert len(r.json()["data"]) == 2
    assert r.json()["usage"]["prompt_tokens"] == 4


def test_embedding_bad_input_and_dimensions(http: httpx.Client) -> None:
    r = http.post(url("embeddings", "text-embedding-ada-002"), json={"input": []})
    assert r.status_code == 400 and r.json()["error"]["param"] == "input"
    r = http.post(url("embeddings", "text-embedding-ada-002"), json={"input": "x", "dimensions": 0})
    assert r.status_code == 400 and r.json()["error"]["param"] == "dimensions"
