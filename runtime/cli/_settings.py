"""The client settings as flags: the same keywords as `Client`, the same environment.

Each flag is a `Client` keyword with dashes (`--api-key` is `api_key=`); what is not
given on the command line is left to `Client`, which reads AZURE_OPENAI_API_KEY,
AZURE_OPENAI_AD_TOKEN, AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION (OPENAI_API_KEY for
provider openai) itself, so the command line and the SDK cannot disagree. The command
line adds two conveniences of its own: AZURE_OPENAI_DEPLOYMENT for `--deployment`, and
AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET for `--azure-auth-mode entra`
(so a secret need not be on the command line). `--config FILE` is `config=FILE`: the
client reads the routing config itself.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import NOT_GIVEN, Client, NotGiven
from ._exit import CliError

__all__ = ["ClientFlags", "client_options", "debug_option", "json_option"]

_F = TypeVar("_F", bound=Callable[..., Any])

DEPLOYMENT_ENV = "AZURE_OPENAI_DEPLOYMENT"
_ENTRA_ENV = {
    "azure_entra_tenant_id": "AZURE_TENANT_ID",
    "azure_entra_client_id": "AZURE_CLIENT_ID",
    "azure_entra_client_secret": "AZURE_CLIENT_SECRET",
}

# (Client keyword, flag names, help). The flag is the keyword with dashes, plus aliases.
_STRING_SETTINGS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("azure_endpoint", ("--endpoint", "--azure-endpoint"), "Resource URL, e.g. https://NAME.openai.azure.com [env: AZURE_OPENAI_ENDPOINT]"),
    ("resource_name", ("--resource-name",), "Resource name: https://NAME.openai.azure.com"),
    ("api_version", ("--api-version",), "e.g. 2024-10-21, or v1 [env: OPENAI_API_VERSION]"),
    ("api_key", ("--api-key",), "API key [env: AZURE_OPENAI_API_KEY; OPENAI_API_KEY for --provider openai]"),
    ("azure_ad_token", ("--azure-ad-token",), "A Microsoft Entra access token [env: AZURE_OPENAI_AD_TOKEN]"),
    ("azure_entra_tenant_id", ("--azure-entra-tenant-id",), "Tenant of the service principal [env: AZURE_TENANT_ID]"),
    ("azure_entra_client_id", ("--azure-entra-client-id",), "Client id of the service principal [env: AZURE_CLIENT_ID]"),
    ("azure_entra_client_secret", ("--azure-entra-client-secret",), "Client secret [env: AZURE_CLIENT_SECRET]"),
    ("azure_entra_scope", ("--azure-entra-scope",), "Token scope (default https://cognitiveservices.azure.com/.default)"),
    ("azure_managed_client_id", ("--azure-managed-client-id",), "Client id of a user-assigned managed identity"),
    ("azure_workload_client_id", ("--azure-workload-client-id",), "Client id for workload identity [env: AZURE_CLIENT_ID]"),
    ("azure_authority_host", ("--azure-authority-host",), "Entra authority for sovereign clouds"),
)  # fmt: skip
_AUTH_MODES = ("entra", "managed", "workload")


@dataclass(frozen=True)
class ClientFlags:
    """What the command line says about the client; `settings` holds only what was given."""

    settings: Mapping[str, Any] = field(default_factory=dict)
    deployment: str | None = None
    config_path: Path | None = None

    def client_settings(self, *, with_config: bool = True) -> dict[str, Any]:
        """The keywords for `Client` (config=FILE included unless `with_config` is False)."""
        settings = dict(self.settings)
        if settings.get("azure_auth_mode") == "entra":
            for name, env in _ENTRA_ENV.items():
                if settings.get(name) is None and os.environ.get(env):
                    settings[name] = os.environ[env]
        if settings.get("provider") == "openai" and "azure_endpoint" in settings:
            settings["base_url"] = settings.pop("azure_endpoint")
        if with_config and self.config_path is not None:
            settings["config"] = str(self.config_path)  # Client reads JSON or YAML files itself
        return settings

    def client(self, **overrides: Any) -> Client:
        settings = {**self.client_settings(), **overrides}
        try:
            return Client(**settings)
        except TypeError as exc:  # a keyword this version of Client does not know
            raise CliError(f"this azgate cannot use that setting: {exc}") from exc

    def model(self, what: str) -> str | NotGiven:
        """The `model` of each call: --deployment; with a config file, its targets may name
        their own (`deployment_id`, `override_params`), so none is needed."""
        if self.deployment:
            return self.deployment
        if self.config_path is not None:
            return NOT_GIVEN
        raise CliError(f"{what} needs a deployment: pass --deployment NAME (or set {DEPLOYMENT_ENV}).")

    def flag_names(self, message: str) -> str:
        """A Client error in flag words: `api_key=` reads `--api-key`, `api_version='v1'`
        reads `--api-version v1`. Not for errors that may come from a config file."""
        if self.config_path is not None:
            return message
        message = message.replace("with_options(config={...})", "--config FILE")
        return _KEYWORD.sub(_flag_words, message)


_KEYWORDS = (*(name for name, _, _ in _STRING_SETTINGS), "azure_auth_mode", "deployment_id", "provider", "max_retries")
_KEYWORD = re.compile(r"(?<![\w.\[\]-])(" + "|".join(_KEYWORDS) + r")(?:='([^']*)'|=|\b)")


def _flag_words(match: re.Match[str]) -> str:
    flag = "--" + match.group(1).replace("_", "-")
    return f"{flag} {match.group(2)}" if match.group(2) is not None else flag


# -- decorators ---------------------------------------------------------------------


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.meta.get("azgate.debug"):
        ctx.meta["azgate.debug"] = True
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger = logging.getLogger("azgate")
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        ctx.call_on_close(lambda: logger.removeHandler(handler))


def debug_option(f: _F) -> _F:
    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        callback=_set_debug,
        help="Show tracebacks and the SDK's log (requests, retries).",
    )(f)


def json_option(f: _F) -> _F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of text.")(f)


def _flag_options() -> list[Callable[[Any], Any]]:
    options: list[Callable[[Any], Any]] = [
        click.option(
            "--provider",
            type=click.Choice(["azure-openai", "openai"]),
            help="azure-openai (default) or openai.",
        ),
        click.option(
            "--deployment",
            "-d",
            "--deployment-id",
            "deployment",
            envvar=DEPLOYMENT_ENV,
            show_envvar=True,
            help="Deployment name (the model of each call).",
        ),
    ]
    for name, flags, help_text in _STRING_SETTINGS:
        options.append(click.option(*flags, name, help=help_text))
    options += [
        click.option(
            "--azure-auth-mode",
            "--auth-mode",
            "azure_auth_mode",
            type=click.Choice(_AUTH_MODES),
            help="Get tokens with azure-identity: entra (service principal), managed, workload.",
        ),
        click.option(
            "--request-timeout",
            "timeout",
            type=click.FloatRange(min=0, min_open=True),
            help="Seconds per request (Client's timeout=; default 600, connect 5).",
        ),
        click.option("--max-retries", type=click.IntRange(min=0), help="Retries after 429, 5xx, timeouts (default 2)."),
        click.option(
            "--config",
            "config_path",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="A routing config file (JSON or YAML): strategy, targets, ... (Client's config=).",
        ),
    ]
    return options


_SETTING_NAMES = (
    "provider",
    *(name for name, _, _ in _STRING_SETTINGS),
    "azure_auth_mode",
    "timeout",
    "max_retries",
)


def client_options(f: _F) -> _F:
    """Add the client flags (and --debug); the command receives them as `flags: ClientFlags`."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name) for name in _SETTING_NAMES}
        flags = ClientFlags(
            settings={k: v for k, v in given.items() if v is not None},
            deployment=kwargs.pop("deployment") or None,
            config_path=kwargs.pop("config_path"),
        )
        click.get_current_context().meta["azgate.flags"] = flags  # error lines speak in flags
        return f(*args, flags=flags, **kwargs)

    decorated: Any = debug_option(wrapper)
    for option in reversed(_flag_options()):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]
