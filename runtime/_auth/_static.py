"""How a request proves who it is: the auth header, computed per attempt.

Each strategy answers `headers()` (sync) and `async_headers()`; token-based ones also
`invalidate()` a token the service refused, so the retry after a 401 fetches a new one.
Token strategies (credentials, token providers) live in `_token_auth.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Protocol

from .._core._secret import Secret

if TYPE_CHECKING:
    import httpx

__all__ = ["ApiKeyAuth", "Auth", "BearerTokenAuth"]


class Auth(Protocol):
    def headers(self) -> Mapping[str, str]: ...

    async def async_headers(self) -> Mapping[str, str]: ...

    def invalidate(self, response: httpx.Response | None = None) -> bool:
        """Forget the credential `response` (a 401) refused; True when a fresh attempt can succeed."""
        ...


class ApiKeyAuth:
    """Azure's `api-key` header (or, for OpenAI, `Authorization: Bearer sk-...`)."""

    __slots__ = ("_headers",)

    def __init__(self, key: Secret, *, header: str = "api-key") -> None:
        value = key.reveal()
        self._headers = {header: f"Bearer {value}" if header == "Authorization" else value}

    def headers(self) -> Mapping[str, str]:
        return self._headers

    async def async_headers(self) -> Mapping[str, str]:
        return self._headers

    def invalidate(self, response: httpx.Response | None = None) -> bool:
        return False

    def __repr__(self) -> str:
        return "ApiKeyAuth('[secure]')"


class BearerTokenAuth:
    """A fixed Microsoft Entra token (`azure_ad_token`); "Bearer " in front is tolerated."""

    __slots__ = ("_headers",)

    def __init__(self, token: Secret) -> None:
        value = token.reveal().strip()
        if value[:7].lower() == "bearer ":
            value = value[7:].lstrip()
        self._headers = {"Authorization": f"Bearer {value}"}

    def headers(self) -> Mapping[str, str]:
        return self._headers

    async def async_headers(self) -> Mapping[str, str]:
        return self._headers

    def invalidate(self, response: httpx.Response | None = None) -> bool:
        return False

    def __repr__(self) -> str:
        return "BearerTokenAuth('[secure]')"
