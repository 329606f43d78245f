"""Bearer auth from an azure-core credential or a token provider callable.

`CredentialAuth` fetches tokens through a `TokenCache` (sync clients) or `AsyncTokenCache`
(async clients; a sync credential is then called in a worker thread). On a 401 it drops
the refused token, passing on the claims of a `WWW-Authenticate: Bearer ...,
error="insufficient_claims", claims="..."` challenge, which makes azure-identity skip its
own cache. `TokenProviderAuth` calls the user's function on every attempt, as
openai-python does. Failures become `TokenAcquisitionError` naming the credential class.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import logging
import re
from functools import partial
from typing import Any, Awaitable, Callable, Mapping, Sequence

import anyio
import httpx

from .._core._secret import Secret, header_safe
from ..exceptions import ConfigurationError, TokenAcquisitionError
from ._token_cache import AsyncFetch, AsyncTokenCache, Fetch, Token, TokenCache, shared_cache

__all__ = [
    "AsyncAzureADTokenProvider",
    "AzureADTokenProvider",
    "CredentialAuth",
    "TokenProviderAuth",
    "challenge_claims",
    "is_async_credential",
    "token_error",
]

log = logging.getLogger("azgate")

AzureADTokenProvider = Callable[[], str]
"""`azure_ad_token_provider` for Client: returns an Entra token (openai-python's alias)."""
AsyncAzureADTokenProvider = Callable[[], "str | Awaitable[str]"]
"""`azure_ad_token_provider` for AsyncClient: a token, or an awaitable of one."""
TokenProvider = AsyncAzureADTokenProvider

_PARAM = re.compile(r'(\w+)="([^"]*)"')


def challenge_claims(www_authenticate: str | None) -> str | None:
    """The decoded claims of a Bearer insufficient_claims challenge (CAE), else None."""
    if not www_authenticate or not www_authenticate.lstrip().lower().startswith("bearer"):
        return None
    params = {k.lower(): v for k, v in _PARAM.findall(www_authenticate)}
    encoded = params.get("claims")
    if params.get("error") != "insufficient_claims" or not encoded:
        return None
    standard = encoded.replace("-", "+").replace("_", "/")  # either alphabet
    try:
        return base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True).decode() or None
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _scrub(text: str, secrets: Sequence[Secret]) -> str:
    for secret in secrets:
        value = secret.reveal()
        if value:
            text = text.replace(value, "[secure]")
    return text


def token_error(source: str, scope: str, exc: BaseException, secrets: Sequence[Secret] = ()) -> TokenAcquisitionError:
    """A TokenAcquisitionError naming `source`, with the token endpoint's answer when known."""
    response: Any = getattr(exc, "response", None)
    url = status = body = None
    if response is not None:
        status = getattr(response, "status_code", None)
        request_url = getattr(getattr(response, "request", None), "url", None)
        url = str(request_url).split("?", 1)[0] if request_url else None
        try:
            body = response.json() if hasattr(response, "json") else None
        except Exception:  # not JSON, or already consumed: the message says enough
            body = None
    detail = _scrub(str(exc) or type(exc).__name__, secrets)
    return TokenAcquisitionError(
        f"{source} could not get a token for {scope}: {detail}",
        credential=source,
        url=url,
        status_code=status if isinstance(status, int) else None,
        body=body if isinstance(body, Mapping) else None,
    )


def _method(credential: object) -> Callable[..., Any]:
    method: object = getattr(credential, "get_token_info", None) or getattr(credential, "get_token", None)
    if not callable(method):
        raise ConfigurationError(
            f"credential must be an azure-core TokenCredential or AsyncTokenCredential (with get_token); "
            f"got {type(credential).__name__}."
        )
    return method


def is_async_credential(credential: object) -> bool:
    return inspect.iscoroutinefunction(_method(credential))


def _token(result: Any) -> Token:
    value = result.token.strip() if isinstance(getattr(result, "token", None), str) else ""
    if not header_safe(value):
        raise ValueError("the credential returned a token that is empty or cannot be sent in a header")
    refresh_on = getattr(result, "refresh_on", None)
    return Token(Secret(value), float(result.expires_on), float(refresh_on) if refresh_on else None)


def _call_args(credential: object, scope: str, claims: str | None) -> tuple[Callable[..., Any], dict[str, Any]]:
    if getattr(credential, "get_token_info", None) is not None:
        return credential.get_token_info, {"options": {"claims": claims}} if claims else {}  # type: ignore[attr-defined]
    return credential.get_token, {"claims": claims} if claims else {}  # type: ignore[attr-defined]


def sync_fetcher(credential: object, scope: str, secrets: Sequence[Secret] = ()) -> Fetch:
    source = type(credential).__name__

    def fetch(claims: str | None) -> Token:
        method, kwargs = _call_args(credential, scope, claims)
        log.debug("Requesting a token from %s for %s", source, scope)
        try:
            return _token(method(scope, **kwargs))
        except Exception as exc:
            raise token_error(source, scope, exc, secrets) from exc

    return fetch


def async_fetcher(credential: object, scope: str, secrets: Sequence[Secret] = ()) -> AsyncFetch:
    source = type(credential).__name__

    async def fetch(claims: str | None) -> Token:
        method, kwargs = _call_args(credential, scope, claims)
        log.debug("Requesting a token from %s for %s", source, scope)
        try:
            return _token(await method(scope, **kwargs))
        except Exception as exc:
            raise token_error(source, scope, exc, secrets) from exc

    return fetch


def _in_thread(fetch: Fetch) -> AsyncFetch:
    async def run(claims: str | None) -> Token:
        return await anyio.to_thread.run_sync(partial(fetch, claims))

    return run


def _bearer(value: str) -> Mapping[str, str]:
    return {"Authorization": f"Bearer {value}"}


def _refused(response: httpx.Response | None) -> tuple[str | None, str | None]:
    """(the refused token, the challenge's claims) of a 401 response."""
    if response is None:
        return None, None
    scheme, _, value = response.request.headers.get("authorization", "").partition(" ")
    token = value.strip() if scheme.lower() == "bearer" else None
    return token, challenge_claims(response.headers.get("www-authenticate"))


class CredentialAuth:
    """Tokens from an azure-core credential, cached per credential and scope."""

    def __init__(
        self,
        credential: object,
        scope: str,
        *,
        asynchronous: bool,
        owned: bool = False,
        secrets: Sequence[Secret] = (),
    ) -> None:
        self._credential = credential
        self._owned = owned
        self._is_async = is_async_credential(credential)
        source = type(credential).__name__
        self._sync: TokenCache | None = None
        self._async: AsyncTokenCache | None = None
        if self._is_async and not asynchronous:
            raise ConfigurationError(
                f"credential is an async credential ({source}); use it with AsyncClient, or pass a sync "
                "credential (e.g. from azure.identity, not azure.identity.aio) to Client."
            )
        if asynchronous:
            afetch = async_fetcher(credential, scope, secrets) if self._is_async else None
            sfetch = None if self._is_async else sync_fetcher(credential, scope, secrets)
            make_async: Callable[[], AsyncTokenCache] = lambda: AsyncTokenCache(  # noqa: E731
                afetch if afetch is not None else _in_thread(sfetch)  # type: ignore[arg-type]
            )
            self._async = make_async() if owned else shared_cache(credential, scope, AsyncTokenCache, make_async)
        else:
            fetch = sync_fetcher(credential, scope, secrets)
            make_sync: Callable[[], TokenCache] = lambda: TokenCache(fetch)  # noqa: E731
            self._sync = make_sync() if owned else shared_cache(credential, scope, TokenCache, make_sync)
        self._description = f"{source}, scope {scope}"

    @property
    def cache(self) -> TokenCache | AsyncTokenCache:
        cache = self._sync or self._async
        assert cache is not None
        return cache

    def headers(self) -> Mapping[str, str]:
        if self._sync is None:
            raise ConfigurationError("This auth belongs to an AsyncClient; it cannot serve a sync client.")
        return _bearer(self._sync.get().value.reveal())

    async def async_headers(self) -> Mapping[str, str]:
        if self._async is None:
            raise ConfigurationError("This auth belongs to a sync Client; it cannot serve an AsyncClient.")
        return _bearer((await self._async.get()).value.reveal())

    def invalidate(self, response: httpx.Response | None = None) -> bool:
        self.cache.invalidate(*_refused(response))
        return True

    def close(self) -> None:
        """Close the credential if this client created it (a sync one)."""
        close = getattr(self._credential, "close", None)
        if self._owned and not self._is_async and callable(close):
            close()

    async def aclose(self) -> None:
        """Close the credential if this client created it."""
        close = getattr(self._credential, "close", None)
        if not self._owned or not callable(close):
            return
        result = close()
        if inspect.isawaitable(result):
            await result

    def __repr__(self) -> str:
        return f"CredentialAuth({self._description})"


class TokenProviderAuth:
    """`azure_ad_token_provider`: a function returning a token, called for every attempt."""

    def __init__(self, provider: TokenProvider, *, asynchronous: bool) -> None:
        if not callable(provider):
            raise ConfigurationError(f"azure_ad_token_provider must be callable; got {type(provider).__name__}.")
        self._provider = provider
        self._is_async = inspect.iscoroutinefunction(provider) or inspect.iscoroutinefunction(
            getattr(provider, "__call__", None)  # noqa: B004 - an object with an async __call__
        )
        if self._is_async and not asynchronous:
            raise ConfigurationError(
                "azure_ad_token_provider is an async function; use it with AsyncClient, or pass a sync one to Client."
            )
        self._name = getattr(provider, "__qualname__", type(provider).__name__)

    def _check(self, token: object) -> str:
        if not isinstance(token, str) or not token.strip():
            raise TokenAcquisitionError(
                f"azure_ad_token_provider {self._name} returned {type(token).__name__}, not a token string.",
                credential="azure_ad_token_provider",
            )
        value = token.strip()
        value = value[7:].lstrip() if value[:7].lower() == "bearer " else value
        if not header_safe(value):
            raise TokenAcquisitionError(
                f"azure_ad_token_provider {self._name} returned a token with a non-ASCII or control character "
                "in it, which cannot be sent in a header.",
                credential="azure_ad_token_provider",
            )
        return value

    def _error(self, exc: Exception) -> TokenAcquisitionError:
        return token_error(f"azure_ad_token_provider {self._name}", "its scope", exc)

    def headers(self) -> Mapping[str, str]:
        try:
            token = self._provider()
        except Exception as exc:
            raise self._error(exc) from exc
        if inspect.isawaitable(token):
            close = getattr(token, "close", None)
            if callable(close):
                close()  # a coroutine never awaited would warn
            raise ConfigurationError("azure_ad_token_provider returned an awaitable; use it with AsyncClient.")
        return _bearer(self._check(token))

    async def async_headers(self) -> Mapping[str, str]:
        try:
            if self._is_async:
                token: object = await self._provider()  # type: ignore[misc]
            else:  # a sync provider may do network I/O: keep it off the event loop
                token = await anyio.to_thread.run_sync(self._provider)
                if inspect.isawaitable(token):
                    token = await token
        except TokenAcquisitionError:
            raise
        except Exception as exc:
            raise self._error(exc) from exc
        return _bearer(self._check(token))

    def invalidate(self, response: httpx.Response | None = None) -> bool:
        return True  # the provider is asked again on the retry

    def __repr__(self) -> str:
        return f"TokenProviderAuth({self._name})"
