"""The identity emulator's memory: tokens it issued, requests it saw, failures it must answer.

Shared between the test's thread and the server's, so every access holds the lock.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Failure", "IssuedToken", "TokenRequest", "TokenStore"]


@dataclass(frozen=True, slots=True)
class IssuedToken:
    audience: str
    client_id: str
    expires_at: float
    """Seconds since the epoch."""


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """One token request, without its secrets."""

    kind: str  # "client_secret", "client_assertion" or "managed_identity"
    client_id: str | None
    audience: str | None
    claims: bool
    """The request carried a claims challenge (CAE)."""
    status: int


@dataclass(slots=True)
class Failure:
    """An error answer for token requests: `times` more (None: until cleared)."""

    status: int
    error: str
    description: str
    times: int | None = 1


@dataclass(slots=True)
class TokenStore:
    lock: threading.Lock = field(default_factory=threading.Lock)
    tokens: dict[str, IssuedToken] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    requests: list[TokenRequest] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    def take_failure(self) -> Failure | None:
        """The injected failure for this request, if any (call with the lock held)."""
        if not self.failures:
            return None
        failure = self.failures[0]
        if failure.times is not None:
            failure.times -= 1
            if failure.times <= 0:
                self.failures.pop(0)
        return failure

    def issue(self, audience: str, client_id: str, expires_in: int) -> str:
        """A new opaque token (call with the lock held)."""
        token = f"emu-{secrets.token_urlsafe(24)}"
        self.tokens[token] = IssuedToken(audience, client_id, time.time() + expires_in)
        return token

    def record(self, kind: str, client_id: str | None, audience: str | None, claims: bool, status: int) -> None:
        self.requests.append(TokenRequest(kind, client_id, audience, claims, status))

    def check(self, token: str, audience: str) -> Literal["valid", "invalid", "revoked"]:
        with self.lock:
            issued = self.tokens.get(token)
            revoked = token in self.revoked
        if issued is None or issued.audience != audience or time.time() >= issued.expires_at:
            return "invalid"
        return "revoked" if revoked else "valid"

    def clear(self) -> None:
        with self.lock:
            self.tokens.clear()
            self.revoked.clear()
            self.requests.clear()
            self.failures.clear()
