"""The clients under test, each behind the same small surface.

Sync adapters:   chat() -> str, stream() -> (chunks, content_chunks), embed() -> int, close()
Async adapters:  the same names, awaited.
Raw transports also have stream_bytes(): the same stream read as bytes and split by the
one minimal SSE splitter below, so httpx, httpx2 and httpcore are compared on transport
alone. `stream()` of raw httpx is `iter_lines()` + `json.loads`: what a user of httpx
writes, and the floor that issue #11's goals are set against.

Every library is imported inside __init__, never at module level: importing this module
costs nothing, and the worker can time import + construction as "setup".
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ASYNC_CLIENTS", "SYNC_CLIENTS", "EMBEDDING_INPUTS", "MESSAGES", "RoutingNotBuilt", "Target"]

MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Say hello."},
]
MAX_TOKENS = 16
EMBEDDING_INPUTS = ["hello world", "second input"]
POOL = {"max_connections": 1000, "max_keepalive_connections": 100}  # what azgate and openai-python use


@dataclass(frozen=True)
class Target:
    """Where the clients send: the server's ports (the first is the single target)."""

    endpoints: tuple[str, ...]
    api_key: str = "bench-key"
    api_version: str = "2024-10-21"
    deployment: str = "gpt-4o"
    embedding_deployment: str = "text-embedding-3-small"
    chunks: int = 1000

    @property
    def endpoint(self) -> str:
        return self.endpoints[0]

    def url(self, deployment: str, operation: str) -> str:
        return f"{self.endpoint}/openai/deployments/{deployment}/{operation}?api-version={self.api_version}"


class RoutingNotBuilt(Exception):
    """azgate does not take `config=` yet (or ignores it)."""


def _failed(status: int, body: bytes) -> RuntimeError:
    return RuntimeError(f"HTTP {status}: {body[:200]!r}")


class SSEData:
    """The data fields of an SSE byte stream: the least any client must do with one."""

    __slots__ = ("_pending",)

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, chunk: bytes) -> list[bytes]:
        lines = (self._pending + chunk).split(b"\n")
        self._pending = lines.pop()
        return [line[5:].strip() for line in lines if line.startswith(b"data:")]


class Tally:
    """Counts the chunks of a stream and those that carry content."""

    __slots__ = ("chunks", "content")

    def __init__(self) -> None:
        self.chunks = 0
        self.content = 0

    def add_json(self, data: bytes | str) -> None:
        if data == b"[DONE]" or data == "[DONE]":
            return
        choices = json.loads(data)["choices"]
        self.chunks += 1
        if choices and choices[0]["delta"].get("content") is not None:
            self.content += 1

    def add_model(self, chunk: Any) -> None:
        self.chunks += 1
        if chunk.choices and chunk.choices[0].delta.content is not None:
            self.content += 1

    def add_metadata(self, stream: Any) -> None:
        """azgate keeps Azure's filter chunk in `stream.metadata_events` instead of yielding it;
        it was parsed all the same. (openai-python yields it: no such attribute.)"""
        self.chunks += len(getattr(stream, "metadata_events", ()))

    @property
    def result(self) -> tuple[int, int]:
        return self.chunks, self.content


def _bodies(target: Target) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    chat = {"messages": MESSAGES, "max_tokens": MAX_TOKENS}
    return chat, {**chat, "stream": True}, {"input": EMBEDDING_INPUTS, "encoding_format": "float"}


# -- raw httpx and httpx2 (the same API) ---------------------------------------------------


class _RawHttpxBase:
    module = "httpx"

    def __init__(self, target: Target) -> None:
        self.http_module = importlib.import_module(self.module)
        self.chat_url = target.url(target.deployment, "chat/completions")
        self.embeddings_url = target.url(target.embedding_deployment, "embeddings")
        self.chat_body, self.stream_body, self.embeddings_body = _bodies(target)
        self.options: dict[str, Any] = {
            "headers": {
                "api-key": target.api_key,
                "content-type": "application/json",
                "x-bench-chunks": str(target.chunks),
            },
            "timeout": self.http_module.Timeout(600.0, connect=5.0),
            "limits": self.http_module.Limits(**POOL),
        }


class RawHttpx(_RawHttpxBase):
    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.http = self.http_module.Client(**self.options)

    def chat(self) -> str:
        r = self.http.post(self.chat_url, content=json.dumps(self.chat_body).encode())
        if r.status_code != 200:
            raise _failed(r.status_code, r.content)
        return json.loads(r.content)["choices"][0]["message"]["content"]  # type: ignore[no-any-return]

    def stream(self) -> tuple[int, int]:
        tally = Tally()
        with self.http.stream("POST", self.chat_url, content=json.dumps(self.stream_body).encode()) as r:
            if r.status_code != 200:
                raise _failed(r.status_code, r.read())
            for line in r.iter_lines():
                if line.startswith("data:"):
                    tally.add_json(line[5:].strip())
        return tally.result

    def stream_bytes(self) -> tuple[int, int]:
        tally, sse = Tally(), SSEData()
        with self.http.stream("POST", self.chat_url, content=json.dumps(self.stream_body).encode()) as r:
            if r.status_code != 200:
                raise _failed(r.status_code, r.read())
            for chunk in r.iter_bytes():
                for data in sse.feed(chunk):
                    tally.add_json(data)
        return tally.result

    def embed(self) -> int:
        r = self.http.post(self.embeddings_url, content=json.dumps(self.embeddings_body).encode())
        if r.status_code != 200:
            raise _failed(r.status_code, r.content)
        return len(json.loads(r.content)["data"][0]["embedding"])

    def close(self) -> None:
        self.http.close()


class RawHttpx2(RawHttpx):
    module = "httpx2"


class AsyncRawHttpx(_RawHttpxBase):
    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.http = self.http_module.AsyncClient(**self.options)

    async def chat(self) -> str:
        r = await self.http.post(self.chat_url, content=json.dumps(self.chat_body).encode())
        if r.status_code != 200:
            raise _failed(r.status_code, r.content)
        return json.loads(r.content)["choices"][0]["message"]["content"]  # type: ignore[no-any-return]

    async def stream(self) -> tuple[int, int]:
        tally = Tally()
        async with self.http.stream("POST", self.chat_url, content=json.dumps(self.stream_body).encode()) as r:
            if r.status_code != 200:
                raise _failed(r.status_code, await r.aread())
            async for line in r.aiter_lines():
                if line.startswith("data:"):
                    tally.add_json(line[5:].strip())
        return tally.result

    async def stream_bytes(self) -> tuple[int, int]:
        tally, sse = Tally(), SSEData()
        async with self.http.stream("POST", self.chat_url, content=json.dumps(self.stream_body).encode()) as r:
            if r.status_code != 200:
                raise _failed(r.status_code, await r.aread())
            async for chunk in r.aiter_bytes():
                for data in sse.feed(chunk):
                    tally.add_json(data)
        return tally.result

    async def close(self) -> None:
        await self.http.aclose()


class AsyncRawHttpx2(AsyncRawHttpx):
    module = "httpx2"


# -- raw httpcore: the connection pool under httpx, with nothing on top -------------------


class _RawHttpcoreBase:
    def __init__(self, target: Target) -> None:
        self.httpcore = importlib.import_module("httpcore")
        self.chat_url = target.url(target.deployment, "chat/completions").encode()
        self.chat_body, self.stream_body, _ = _bodies(target)
        host = target.endpoint.split("://", 1)[1].encode()
        self.headers = [
            (b"host", host),
            (b"api-key", target.api_key.encode()),
            (b"content-type", b"application/json"),
            (b"x-bench-chunks", str(target.chunks).encode()),
        ]

    def request(self, body: dict[str, Any]) -> tuple[list[tuple[bytes, bytes]], bytes]:
        content = json.dumps(body).encode()
        return [*self.headers, (b"content-length", str(len(content)).encode())], content


class RawHttpcore(_RawHttpcoreBase):
    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.pool = self.httpcore.ConnectionPool(**POOL)

    def chat(self) -> str:
        headers, content = self.request(self.chat_body)
        r = self.pool.request(b"POST", self.chat_url, headers=headers, content=content)
        if r.status != 200:
            raise _failed(r.status, r.content)
        return json.loads(r.content)["choices"][0]["message"]["content"]  # type: ignore[no-any-return]

    def stream_bytes(self) -> tuple[int, int]:
        tally, sse = Tally(), SSEData()
        headers, content = self.request(self.stream_body)
        with self.pool.stream(b"POST", self.chat_url, headers=headers, content=content) as r:
            if r.status != 200:
                raise _failed(r.status, r.read())
            for chunk in r.iter_stream():
                for data in sse.feed(chunk):
                    tally.add_json(data)
        return tally.result

    def close(self) -> None:
        self.pool.close()


class AsyncRawHttpcore(_RawHttpcoreBase):
    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.pool = self.httpcore.AsyncConnectionPool(**POOL)

    async def chat(self) -> str:
        headers, content = self.request(self.chat_body)
        r = await self.pool.request(b"POST", self.chat_url, headers=headers, content=content)
        if r.status != 200:
            raise _failed(r.status, r.content)
        return json.loads(r.content)["choices"][0]["message"]["content"]  # type: ignore[no-any-return]

    async def stream_bytes(self) -> tuple[int, int]:
        tally, sse = Tally(), SSEData()
        headers, content = self.request(self.stream_body)
        async with self.pool.stream(b"POST", self.chat_url, headers=headers, content=content) as r:
            if r.status != 200:
                raise _failed(r.status, await r.aread())
            async for chunk in r.aiter_stream():
                for data in sse.feed(chunk):
                    tally.add_json(data)
        return tally.result

    async def close(self) -> None:
        await self.pool.aclose()


# -- the SDKs, called as their READMEs say --------------------------------------------------


class _SDK:
    """openai-python and azgate share openai's call shape; only construction differs."""

    client: Any

    def __init__(self, target: Target) -> None:
        self.target = target
        self.client = self.build(target)

    def build(self, target: Target) -> Any:
        raise NotImplementedError

    def chat(self) -> str:
        r = self.client.chat.completions.create(model=self.target.deployment, messages=MESSAGES, max_tokens=MAX_TOKENS)
        return r.choices[0].message.content  # type: ignore[no-any-return]

    def stream(self) -> tuple[int, int]:
        tally = Tally()
        chunks = self.client.chat.completions.create(
            model=self.target.deployment, messages=MESSAGES, max_tokens=MAX_TOKENS, stream=True
        )
        for chunk in chunks:
            tally.add_model(chunk)
        tally.add_metadata(chunks)
        return tally.result

    def embed(self) -> int:
        r = self.client.embeddings.create(
            model=self.target.embedding_deployment, input=EMBEDDING_INPUTS, encoding_format="float"
        )
        return len(r.data[0].embedding)

    def close(self) -> None:
        self.client.close()


class _AsyncSDK(_SDK):
    async def chat(self) -> str:  # type: ignore[override]
        r = await self.client.chat.completions.create(
            model=self.target.deployment, messages=MESSAGES, max_tokens=MAX_TOKENS
        )
        return r.choices[0].message.content  # type: ignore[no-any-return]

    async def stream(self) -> tuple[int, int]:  # type: ignore[override]
        tally = Tally()
        chunks = await self.client.chat.completions.create(
            model=self.target.deployment, messages=MESSAGES, max_tokens=MAX_TOKENS, stream=True
        )
        async for chunk in chunks:
            tally.add_model(chunk)
        tally.add_metadata(chunks)
        return tally.result

    async def close(self) -> None:  # type: ignore[override]
        await self.client.close()


def _openai_settings(target: Target) -> dict[str, Any]:
    return {
        "azure_endpoint": target.endpoint,
        "api_key": target.api_key,
        "api_version": target.api_version,
        "default_headers": {"x-bench-chunks": str(target.chunks)},
    }


def _azgate_settings(target: Target) -> dict[str, Any]:
    return {"provider": "azure-openai", **_openai_settings(target)}


class OpenAI(_SDK):
    def build(self, target: Target) -> Any:
        from openai import AzureOpenAI

        return AzureOpenAI(**_openai_settings(target))


class AsyncOpenAI(_AsyncSDK):
    def build(self, target: Target) -> Any:
        from openai import AsyncAzureOpenAI

        return AsyncAzureOpenAI(**_openai_settings(target))


class Azgate(_SDK):
    def build(self, target: Target) -> Any:
        from azgate import Client

        return Client(**_azgate_settings(target))


class AsyncAzgate(_AsyncSDK):
    def build(self, target: Target) -> Any:
        from azgate import AsyncClient

        return AsyncClient(**_azgate_settings(target))


class AzgateOverHttpx2(_SDK):
    """azgate sending through a user's httpx2 client (`http_client=httpx2.Client()`, as
    openai-python 3.x code passes): the cost of the adapter in front of it."""

    def build(self, target: Target) -> Any:
        import httpx2
        from azgate import Client

        return Client(http_client=httpx2.Client(), **_azgate_settings(target))


class AzgateLoadbalanced(_SDK):
    """azgate routing each call through a 3-target loadbalance (one target per server port),
    as the seed's multi-region recipe configures it."""

    def build(self, target: Target) -> Any:
        from azgate import Client

        config = {
            "strategy": {"mode": "loadbalance"},
            "targets": [
                {
                    "provider": "azure-openai",
                    "api_key": target.api_key,
                    "azure_endpoint": endpoint,
                    "api_version": target.api_version,
                    "weight": 1,
                }
                for endpoint in target.endpoints
            ],
        }
        try:
            return Client(config=config)
        except Exception as exc:  # any refusal of config= means there is no router to measure
            raise RoutingNotBuilt(f"Client(config=...) raised {type(exc).__name__}: {exc}") from exc


def _raw_httpx_pydantic(target: Target) -> Any:
    from bench.typed import RawHttpxPydantic  # imports pydantic: only in its own worker

    return RawHttpxPydantic(target)


SYNC_CLIENTS: dict[str, Callable[[Target], Any]] = {
    "httpx": RawHttpx,
    "httpx-pydantic": _raw_httpx_pydantic,
    "httpx2": RawHttpx2,
    "httpcore": RawHttpcore,
    "openai": OpenAI,
    "azgate": Azgate,
    "azgate-lb": AzgateLoadbalanced,
    "azgate-httpx2": AzgateOverHttpx2,
}
ASYNC_CLIENTS: dict[str, Callable[[Target], Any]] = {
    "httpx": AsyncRawHttpx,
    "httpx2": AsyncRawHttpx2,
    "httpcore": AsyncRawHttpcore,
    "openai": AsyncOpenAI,
    "azgate": AsyncAzgate,
}
