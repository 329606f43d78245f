"""Unit tests of the token decisions and caches (no network): fake credentials, fake clock."""

from __future__ import annotations

import asyncio
import base64
import threading
import time
from dataclasses import dataclass
from typing import Any

import pytest
from azgate import TokenAcquisitionError
from azgate._auth._token_auth import CredentialAuth, challenge_claims
from azgate._auth._token_cache import (
    REFRESH_WINDOW_SECONDS,
    RETRY_DELAY_SECONDS,
    Action,
    AsyncTokenCache,
    Token,
    TokenCache,
    next_action,
    should_refresh,
)
from azgate._core._secret import Secret

NOW = 1_700_000_000.0


def token(expires_in: float, refresh_in: float | None = None, value: str = "t") -> Token:
    return Token(Secret(value), NOW + expires_in, None if refresh_in is None else NOW + refresh_in)


@pytest.mark.parametrize(
    ("tok", "expected"),
    [
        (None, True),
        (token(3600), False),
        (token(REFRESH_WINDOW_SECONDS + 1), False),
        (token(REFRESH_WINDOW_SECONDS), True),  # 5 minutes before expiry
        (token(10), True),
        (token(-1), True),
        (token(3600, refresh_in=1800), False),
        (token(3600, refresh_in=0), True),  # refresh_on reached
        (token(3600, refresh_in=-5), True),
        (token(200, refresh_in=1800), True),  # refresh_on not reached, but within 5 minutes of expiry
    ],
    ids=["none", "fresh", "just-outside-window", "window-edge", "in-window", "expired", "refresh_on-ahead",
         "refresh_on-now", "refresh_on-past", "expiry-first"],
)  # fmt: skip
def test_should_refresh(tok: Token | None, expected: bool) -> None:
    assert should_refresh(tok, NOW) is expected


def test_next_action() -> None:
    never = float("-inf")
    assert next_action(None, NOW, never) is Action.ACQUIRE
    assert next_action(token(0), NOW, never) is Action.ACQUIRE  # expires_on reached
    assert next_action(token(3600), NOW, never) is Action.USE
    assert next_action(token(60), NOW, never) is Action.REFRESH
    # a short-lived token is not fetched again on every call
    assert next_action(token(60), NOW, NOW - RETRY_DELAY_SECONDS + 1) is Action.USE
    assert next_action(token(60), NOW, NOW - RETRY_DELAY_SECONDS) is Action.REFRESH
    assert next_action(token(-1), NOW, NOW) is Action.ACQUIRE  # but an expired one is


def test_token_repr_hides_the_value() -> None:
    assert "secret-value" not in repr(Token(Secret("secret-value"), NOW))


@dataclass
class AccessTokenInfo:
    token: str
    expires_on: int
    refresh_on: int | None = None


class Credential:
    """A sync credential issuing numbered tokens; `fail` makes its requests raise."""

    def __init__(self, lifetime: float = 3600, delay: float = 0.0) -> None:
        self.lifetime = lifetime
        self.delay = delay
        self.calls: list[dict[str, Any]] = []
        self.fail = False

    def get_token_info(self, *scopes: str, options: dict[str, Any] | None = None) -> AccessTokenInfo:
        self.calls.append(dict(options or {}))
        time.sleep(self.delay)
        if self.fail:
            raise RuntimeError("token endpoint unreachable")
        return AccessTokenInfo(f"token-{len(self.calls)}", int(time.time() + self.lifetime))


class AsyncCredential(Credential):
    async def get_token_info(self, *scopes: str, options: dict[str, Any] | None = None) -> AccessTokenInfo:  # type: ignore[override]
        self.calls.append(dict(options or {}))
        await asyncio.sleep(self.delay)
        if self.fail:
            raise RuntimeError("token endpoint unreachable")
        return AccessTokenInfo(f"token-{len(self.calls)}", int(time.time() + self.lifetime))


class LegacyCredential:
    """Only get_token (azure-core before 1.31), with claims as a keyword."""

    def __init__(self) -> None:
        self.claims: list[str | None] = []

    def get_token(self, *scopes: str, claims: str | None = None, **kwargs: Any) -> AccessTokenInfo:
        self.claims.append(claims)
        return AccessTokenInfo(f"legacy-{len(self.claims)}", int(time.time() + 3600))


def auth_for(credential: Any, flavour: str) -> CredentialAuth:
    return CredentialAuth(
        credential, "https://cognitiveservices.azure.com/.default", asynchronous=flavour == "async", owned=True
    )


async def headers(auth: CredentialAuth, flavour: str) -> str:
    result = auth.headers() if flavour == "sync" else await auth.async_headers()
    return result["Authorization"]


def _credential(flavour: str, kind: str, **kwargs: Any) -> Credential:
    return AsyncCredential(**kwargs) if kind == "async" and flavour == "async" else Credential(**kwargs)


@pytest.fixture(params=["sync-credential", "async-credential"])
def kind(request: pytest.FixtureRequest, flavour: str) -> str:
    if request.param == "async-credential" and flavour == "sync":
        pytest.skip("a sync client refuses async credentials")
    return str(request.param).split("-")[0]


async def test_cached_until_due(flavour: str, kind: str) -> None:
    credential = _credential(flavour, kind)
    auth = auth_for(credential, flavour)
    assert await headers(auth, flavour) == "Bearer token-1"
    assert await headers(auth, flavour) == "Bearer token-1"
    assert len(credential.calls) == 1


async def test_concurrent_callers_make_one_request(flavour: str, kind: str) -> None:
    credential = _credential(flavour, kind, delay=0.05)
    auth = auth_for(credential, flavour)
    if flavour == "async":
        results = await asyncio.gather(*(auth.async_headers() for _ in range(50)))
    else:
        barrier = threading.Barrier(50)
        results = []

        def call() -> None:
            barrier.wait()
            results.append(auth.headers())

        threads = [threading.Thread(target=call) for _ in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert [r["Authorization"] for r in results] == ["Bearer token-1"] * 50
    assert len(credential.calls) == 1


async def test_a_failed_refresh_keeps_a_valid_token(flavour: str, kind: str, caplog: pytest.LogCaptureFixture) -> None:
    credential = _credential(flavour, kind, lifetime=120)  # inside the refresh window from the start
    auth = auth_for(credential, flavour)
    assert await headers(auth, flavour) == "Bearer token-1"
    auth.cache._last_attempt -= RETRY_DELAY_SECONDS  # pretend the last attempt was a while ago
    credential.fail = True
    assert await headers(auth, flavour) == "Bearer token-1"  # kept
    assert len(credential.calls) == 2
    assert await headers(auth, flavour) == "Bearer token-1"  # and no new attempt for RETRY_DELAY_SECONDS
    assert len(credential.calls) == 2
    assert "the current token is still valid and is kept" in caplog.text
    assert "token-1" not in caplog.text


async def test_a_failure_without_a_valid_token_raises(flavour: str, kind: str) -> None:
    credential = _credential(flavour, kind)
    credential.fail = True
    auth = auth_for(credential, flavour)
    with pytest.raises(
        TokenAcquisitionError, match=r"could not get a token for .*: token endpoint unreachable"
    ) as caught:
        await headers(auth, flavour)
    assert caught.value.credential == type(credential).__name__
    assert caught.value.status_code == 401
    credential.fail = False
    assert await headers(auth, flavour) == "Bearer token-2"  # failures are not cached


async def test_invalidate_drops_only_the_refused_token_and_passes_claims(flavour: str, kind: str) -> None:
    import httpx

    credential = _credential(flavour, kind)
    auth = auth_for(credential, flavour)
    await headers(auth, flavour)

    def refusal(value: str, challenge: str | None = None) -> httpx.Response:
        request = httpx.Request("POST", "https://x", headers={"Authorization": f"Bearer {value}"})
        return httpx.Response(401, request=request, headers={"WWW-Authenticate": challenge} if challenge else {})

    assert auth.invalidate(refusal("some-older-token"))  # another caller already replaced it
    assert await headers(auth, flavour) == "Bearer token-1"
    claims = '{"access_token":{"nbf":{"essential":true,"value":"1"}}}'
    encoded = base64.b64encode(claims.encode()).decode()
    assert auth.invalidate(refusal("token-1", f'Bearer realm="", error="insufficient_claims", claims="{encoded}"'))
    assert await headers(auth, flavour) == "Bearer token-2"
    assert credential.calls[-1] == {"claims": claims}


def test_a_legacy_get_token_credential_gets_claims_as_a_keyword() -> None:
    credential = LegacyCredential()
    auth = CredentialAuth(credential, "s/.default", asynchronous=False, owned=True)
    assert auth.headers()["Authorization"] == "Bearer legacy-1"
    auth.cache.invalidate(None, "{}")
    assert auth.headers()["Authorization"] == "Bearer legacy-2"
    assert credential.claims == [None, "{}"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ('Bearer realm="", error="invalid_token"', None),
        ('Bearer error="insufficient_claims", claims="eyJhIjoxfQ=="', '{"a":1}'),
        ('Bearer error="insufficient_claims", claims="eyJhIjoxfQ"', '{"a":1}'),  # unpadded
        ('Basic realm="x", error="insufficient_claims", claims="eyJhIjoxfQ=="', None),
        ('Bearer error="insufficient_claims", claims="!!!"', None),
    ],
)
def test_challenge_claims(header: str | None, expected: str | None) -> None:
    assert challenge_claims(header) == expected


def test_caches_are_independent_of_each_other() -> None:
    sync = TokenCache(lambda claims: Token(Secret("a"), time.time() + 3600))
    assert sync.get().value.reveal() == "a"

    async def fetch(claims: str | None) -> Token:
        return Token(Secret("b"), time.time() + 3600)

    assert asyncio.run(AsyncTokenCache(fetch).get()).value.reveal() == "b"
