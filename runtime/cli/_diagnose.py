"""What went wrong, in words a person can act on: pure functions over azgate's exceptions.

Shared by every command's error line and by `azgate doctor`. A connection error keeps
the transport error it came from as its cause (httpx -> httpcore -> socket / ssl); the
innermost one says what happened: refused, unknown host, untrusted certificate, timeout.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    PermissionDeniedError,
    TokenAcquisitionError,
)

__all__ = ["describe_connection_error", "describe_status_error", "is_api_version_error", "origin_of"]


def origin_of(url: object) -> str:
    """scheme://host[:port] of a URL: where a request went, without path or query."""
    parts = urlsplit(str(url))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else str(url)


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def describe_connection_error(error: APIConnectionError) -> str:
    """Why no answer came back, e.g. "nothing listens at http://127.0.0.1:1 (connection refused)"."""
    where = origin_of(error.request.url)
    host = urlsplit(str(error.request.url)).hostname or where
    if isinstance(error, APITimeoutError):
        return f"{where} did not answer in time (timeout); check the endpoint, the network, or raise --request-timeout"
    causes = list(_causes(error))
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or str(cause)
            return (
                f"TLS: the certificate of {where} is not trusted ({reason}); a proxy or private endpoint "
                "with its own CA needs that CA trusted (SSL_CERT_FILE)"
            )
        if isinstance(cause, ssl.SSLError):
            detail = cause.reason or str(cause)
            hint = " (is it plain http? use http:// only for a local emulator)" if "VERSION" in str(detail) else ""
            return f"TLS handshake with {where} failed: {detail}{hint}"
        if isinstance(cause, socket.gaierror):
            return f"cannot resolve the host {host!r} ({cause.strerror or cause}); check --endpoint / --resource-name"
        if isinstance(cause, ConnectionRefusedError):
            return f"nothing listens at {where} (connection refused); check --endpoint"
        if isinstance(cause, ConnectionResetError):
            return f"{where} closed the connection (reset); a proxy or firewall may be in the way"
    last = causes[-1] if len(causes) > 1 else None
    detail = f"{type(last).__name__}: {last}" if last is not None and str(last) else error.message
    return f"cannot reach {where}: {detail}"


def is_api_version_error(error: APIStatusError) -> bool:
    """Azure's answer to an api-version it does not serve ("API version not supported")."""
    if (error.code or "").lower() == "deploymentnotfound":
        return False  # its message names the api-version tried; the deployment is what is missing
    text = f"{error.code or ''} {error.message}".lower()
    return error.status_code in (400, 404) and ("api version" in text or "api-version" in text)


def describe_status_error(error: APIStatusError) -> str:
    """The service's error as one line, with what to check when the cause is a setting."""
    line = error.message.rstrip(".")
    if isinstance(error, TokenAcquisitionError):
        return f"could not get a token from {error.credential}: {line}"
    if error.request_id:
        line += f" (request id {error.request_id})"
    hint = _hint(error)
    return f"{line}; {hint}" if hint else line


def _hint(error: APIStatusError) -> str | None:
    code = (error.code or "").lower()
    if isinstance(error, AuthenticationError):
        bearer = error.request.headers.get("authorization", "").lower().startswith("bearer")
        if bearer:
            return "the token was refused: check the tenant, the scope, and the identity's role on the resource"
        return "the key was refused: check --api-key / AZURE_OPENAI_API_KEY and that it belongs to this endpoint"
    if isinstance(error, PermissionDeniedError):
        return "authenticated but not allowed: check the identity's role, or the resource's network rules"
    if code == "deploymentnotfound":
        return "no deployment of that name on this resource: check --deployment"
    if code == "operationnotsupported":
        return "that deployment's model does not do this: pass another --deployment"
    if is_api_version_error(error):
        return "the service does not serve this --api-version (see `azgate versions`)"
    return None
