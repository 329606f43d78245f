"""URL construction: base URLs from the client's settings, operation URLs per call.

Pure functions. Operation path templates are compiled once per operation and reused.
"""

from __future__ import annotations

from functools import cache
from typing import Mapping
from urllib.parse import quote, urlsplit

from ..exceptions import ConfigurationError
from ._operation import OperationSpec

__all__ = ["azure_base_url", "compile_path", "OPENAI_BASE_URL"]

OPENAI_BASE_URL = "https://api.openai.com/v1"


def azure_base_url(resource_name: str | None, azure_endpoint: str | None) -> str:
    """`https://{resource}.openai.azure.com/openai`, or the endpoint given plus /openai."""
    if azure_endpoint:
        endpoint = azure_endpoint.rstrip("/")
        if "://" not in endpoint:
            raise ConfigurationError(
                f"azure_endpoint must be a URL such as https://my-resource.openai.azure.com; got {endpoint!r}."
            )
        _refuse_plain_http(endpoint, "azure_endpoint")
        return endpoint if endpoint.endswith("/openai") else endpoint + "/openai"
    if not resource_name:
        raise ConfigurationError(
            "An Azure OpenAI client needs resource_name= (or azure_endpoint=, or the "
            "AZURE_OPENAI_ENDPOINT environment variable) to know which resource to call."
        )
    if "/" in resource_name or "." in resource_name or ":" in resource_name:
        raise ConfigurationError(
            f"resource_name is the resource's name, like 'my-resource'; got {resource_name!r}. "
            "To call a URL (private endpoint, API Management, another cloud), pass azure_endpoint= instead."
        )
    return f"https://{resource_name}.openai.azure.com/openai"


_LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def _refuse_plain_http(url: str, field: str) -> None:
    """Credentials travel in headers: over plain http anyone on the path can read them.
    Loopback (the emulator, a local proxy) is the one place http is fine."""
    parsed = urlsplit(url)
    host = (parsed.hostname or "").lower()
    if parsed.scheme == "http" and not (host in _LOOPBACK_HOSTS or host.startswith("127.")):
        raise ConfigurationError(
            f"{field} uses plain http to {host!r}: the api key or token would be sent unencrypted. "
            "Use https (plain http is allowed only for loopback addresses, e.g. a local emulator)."
        )


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
            out.append(quote(value, safe=""))
            out.append(literal)
        return "".join(out)


@cache
def compile_path(op: OperationSpec, deployment_in_path: bool) -> PathTemplate:
    """The operation's path template: the dated API's, or, without a deployment in the
    path (Azure's v1 API, OpenAI), the table's v1 path (the model names the deployment)."""
    return PathTemplate(op.path if deployment_in_path else op.v1_path or op.path)
