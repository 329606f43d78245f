"""URL construction: base URLs from the client's settings, operation URLs per call.

Pure functions. Operation path templates are compiled once per operation and reused.
"""

from __future__ import annotations

import ipaddress
import re
from functools import cache
from typing import Mapping
from urllib.parse import quote, urlsplit

from ..exceptions import ConfigurationError
from ._operation import OperationSpec

__all__ = ["OPENAI_BASE_URL", "azure_base_url", "check_base_url", "compile_path", "is_loopback", "split_deployment"]

OPENAI_BASE_URL = "https://api.openai.com/v1"
_DNS_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_DEPLOYMENT_SUFFIX = re.compile(r"^(?P<base>.*)/deployments/(?P<deployment>[^/]+)$")


def azure_base_url(resource_name: str | None, azure_endpoint: str | None) -> str:
    """`https://{resource}.openai.azure.com/openai`, or the endpoint given plus /openai."""
    if azure_endpoint:
        endpoint = check_base_url(azure_endpoint, "azure_endpoint")
        return endpoint if endpoint.endswith("/openai") else endpoint + "/openai"
    if not resource_name:
        raise ConfigurationError(
            "An Azure OpenAI client needs resource_name= (or azure_endpoint=, or the "
            "AZURE_OPENAI_ENDPOINT environment variable) to know which resource to call."
        )
    if not _DNS_LABEL.fullmatch(resource_name):
        raise ConfigurationError(
            f"resource_name is the resource's name, like 'my-resource' (letters, digits and hyphens); got "
            f"{resource_name!r}. To call a URL (private endpoint, API Management, another cloud), pass "
            "azure_endpoint= instead."
        )
    return f"https://{resource_name}.openai.azure.com/openai"


def split_deployment(base_url: str) -> tuple[str, str | None]:
    """openai-python's Azure `base_url` may end in /deployments/{name}: that names the
    deployment of every deployment-scoped call. Returns (the base before it, the name)."""
    match = _DEPLOYMENT_SUFFIX.match(base_url)
    if match is None:
        return base_url, None
    return match["base"], match["deployment"]


def check_base_url(url: str, field: str) -> str:
    """A base URL the client may send credentials to, without a trailing slash.

    Refused: no scheme or host, a query or fragment (the client appends paths and its own
    query, so they would be silently lost), credentials in the URL (they would show in
    logs and errors: use api_key=), and plain http to anything but loopback."""
    try:
        parsed = urlsplit(url.strip())
        parsed.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ConfigurationError(f"{field} is not a valid URL.") from None
    if "@" in parsed.netloc:
        raise ConfigurationError(
            f"{field} has a user name or password in it; credentials in a URL leak into logs and errors. "
            "Pass api_key= (or azure_ad_token=, or default_headers=) instead."
        )
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigurationError(
            f"{field} must be an https URL such as https://my-resource.openai.azure.com; got {url.strip()!r}."
        )
    if parsed.query or parsed.fragment or url.rstrip().endswith(("?", "#")):
        raise ConfigurationError(
            f"{field} must not have a query (?...) or fragment (#...): the client adds paths and the "
            "api-version to it. Use default_query= for query parameters every request should carry."
        )
    if parsed.scheme == "http" and not is_loopback(parsed.hostname):
        raise ConfigurationError(
            f"{field} uses plain http to {parsed.hostname!r}: the api key or token would be sent unencrypted. "
            "Use https (plain http is allowed only for loopback addresses, e.g. a local emulator)."
        )
    return parsed.geturl().rstrip("/")


def is_loopback(host: str) -> bool:
    """localhost, 127.0.0.0/8 and ::1: the one place credentials may travel over plain http.
    The host is parsed, so "127.evil.example" is a name like any other, not loopback."""
    host = host.lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class PathTemplate:
    """An operation path with its parameters, ready to fill."""

    __slots__ = ("names", "parts")

    def __init__(self, template: str) -> None:
        self.parts: list[str] = []
        self.names: list[str] = []
        rest = template
        while "{" in rest:
            literal, _, after = rest.partition("{")
            name, _, rest = after.partition("}")
            self.parts.append(literal)
            self.names.append(name)
        self.parts.append(rest)

    def fill(self, values: Mapping[str, str], operation: str) -> str:
        out = [self.parts[0]]
        for name, literal in zip(self.names, self.parts[1:], strict=True):
            value = values.get(name)
            if not isinstance(value, str) or not value:
                field = name.replace("-", "_")
                raise ConfigurationError(
                    f"{operation} needs {field}= as a non-empty string; got {type(value).__name__}."
                )
            if value in (".", ".."):
                # Every other character is escaped; these two are path segments of their own
                # ("." stays, ".." climbs) and would send the call to another endpoint.
                field = name.replace("-", "_")
                raise ConfigurationError(f"{operation} cannot use {field}={value!r}: it would change the URL's path.")
            out.append(quote(value, safe=""))
            out.append(literal)
        return "".join(out)


@cache
def compile_path(op: OperationSpec, deployment_in_path: bool) -> PathTemplate:
    """The operation's path template: the dated API's, or, without a deployment in the
    path (Azure's v1 API, OpenAI), the table's v1 path (the model names the deployment)."""
    return PathTemplate(op.path if deployment_in_path else op.v1_path or op.path)
