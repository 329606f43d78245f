"""`azgate doctor`: resolve the settings, then check them against the service.

Three checks, each a real call with no retries: the settings build a client (nothing
sent); the endpoint answers `models.list` with these credentials and this api-version;
the deployment answers a one-message chat completion (or, for an embeddings model, an
embedding). Each failure says what is wrong in terms of the settings: a refused key, an
unknown deployment, an unreachable host, an api-version the service does not serve, a
certificate that is not trusted. The exit code is that of the first failed check.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import click

from .. import Client, NotGiven
from ..exceptions import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    AzgateError,
    BadRequestError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnsupportedByApiVersionError,
)
from ._diagnose import describe_connection_error, describe_status_error, is_api_version_error
from ._exit import CliError, ExitCode, classify
from ._output import emit_json, out_console
from ._settings import DEPLOYMENT_ENV, ClientFlags, client_options, json_option

__all__ = ["COMMANDS", "describe_auth"]

Status = Literal["ok", "warning", "failed", "skipped"]
_MARKS: Mapping[Status, str] = {"ok": "[green]✓[/]", "warning": "[yellow]![/]", "failed": "[red]✗[/]", "skipped": "-"}


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    exit_code: int = 0


def describe_auth(settings: Mapping[str, Any], env: Mapping[str, str]) -> str:
    """How the client authenticates and where that came from; never the secret itself."""
    if settings.get("provider") == "openai":
        return "OpenAI api key (--api-key)" if settings.get("api_key") else "OpenAI api key (OPENAI_API_KEY)"
    mode = settings.get("azure_auth_mode")
    if mode == "entra":
        tenant, client = settings.get("azure_entra_tenant_id"), settings.get("azure_entra_client_id")
        return f"Microsoft Entra service principal (tenant {tenant or '?'}, client {client or '?'}; secret not shown)"
    if mode == "managed":
        user = settings.get("azure_managed_client_id")
        return f"managed identity ({f'user-assigned, client {user}' if user else 'system-assigned'})"
    if mode == "workload":
        client = settings.get("azure_workload_client_id") or env.get("AZURE_CLIENT_ID") or "?"
        return f"workload identity (client {client}, token file from AZURE_FEDERATED_TOKEN_FILE)"
    if settings.get("azure_ad_token"):
        return "Microsoft Entra token (--azure-ad-token; not shown)"
    if settings.get("api_key"):
        return "api key (--api-key; not shown)"
    if env.get("AZURE_OPENAI_API_KEY"):
        return "api key (AZURE_OPENAI_API_KEY; not shown)"
    if env.get("AZURE_OPENAI_AD_TOKEN"):
        return "Microsoft Entra token (AZURE_OPENAI_AD_TOKEN; not shown)"
    return "none"


def _source(settings: Mapping[str, Any], env: Mapping[str, str]) -> str:
    if settings.get("azure_endpoint"):
        return "--endpoint"
    if settings.get("resource_name"):
        return "--resource-name"
    if env.get("AZURE_OPENAI_ENDPOINT"):
        return "AZURE_OPENAI_ENDPOINT"
    return "default" if settings.get("provider") == "openai" else "?"


def _failure(name: str, error: AzgateError, what: str) -> Check:
    """A failed probe, in words about the setting that is wrong."""
    found = classify(error)
    code = int(found[0]) if found else int(ExitCode.API_ERROR)
    if isinstance(error, APIConnectionError):
        return Check(name, "failed", describe_connection_error(error), code)
    if isinstance(error, (AuthenticationError, PermissionDeniedError)):
        return Check(name, "failed", describe_status_error(error), code)
    if isinstance(error, APIStatusError) and is_api_version_error(error):
        return Check(name, "failed", f"the service does not serve this api-version: {error.message}", code)
    if isinstance(error, NotFoundError) and (error.code or "").lower() == "deploymentnotfound":
        return Check(name, "failed", f"no deployment named {what} on this resource (DeploymentNotFound)", code)
    if isinstance(error, NotFoundError):
        return Check(
            name,
            "failed",
            f"404 for {error.request.url.path}: is this an Azure OpenAI endpoint, and does its api-version "
            f"have this operation? ({error.message})",
            code,
        )
    if isinstance(error, RateLimitError):
        return Check(name, "warning", f"reachable, but rate limited (429): {error.message}")
    return Check(name, "failed", found[1] if found else str(error), code)


def _check_endpoint(client: Client) -> tuple[Check, bool]:
    """The check, and whether the deployment check can still tell something new."""
    name = "endpoint"
    try:
        page = client.models.list()
    except UnsupportedByApiVersionError:
        skipped = f"api-version {client.api_version} has no models.list; see the deployment check"
        return Check(name, "skipped", skipped), True
    except AzgateError as error:
        # A 404 may be a gateway that serves deployments only; anything else would repeat.
        decisive = not isinstance(error, NotFoundError) or is_api_version_error(error)
        return _failure(name, error, repr(client.base_url)), not decisive
    count = len(getattr(page.page, "data", None) or [])
    return Check(name, "ok", f"{client.base_url} answered: credentials and api-version accepted ({count} models)"), True


def _route_note(result: object) -> str:
    """Which target of a routing config answered (or failed), from the call's RouteInfo."""
    info = getattr(result, "_route", None)
    target = getattr(info, "target", None)
    if not isinstance(target, str):
        return ""
    tried = tuple(getattr(info, "tried", ()) or ())
    return f"; via target {target}" + (f" after {', '.join(map(str, tried))}" if tried else "")


def _check_deployment(client: Client, deployment: str | NotGiven) -> Check:
    name = "deployment"
    what = repr(deployment) if isinstance(deployment, str) else "the config's deployment"
    probes: list[tuple[str, Callable[[], Any]]] = [
        (
            "chat completions",
            lambda: client.chat.completions.create(
                model=deployment, messages=[{"role": "user", "content": "Reply with OK."}]
            ),
        ),
        ("embeddings", lambda: client.embeddings.create(model=deployment, input="ok")),
    ]
    for label, probe in probes:
        try:
            result = probe()
        except BadRequestError as error:
            if is_api_version_error(error):
                return _failure(name, error, what)
            if (error.code or "").lower() == "operationnotsupported":
                continue  # the deployment exists; its model does something else
            return Check(name, "warning", f"{what} exists but refused the {label} probe: {error.message}")
        except AzgateError as error:
            failed = _failure(name, error, what)
            return replace(failed, detail=failed.detail + _route_note(error))
        model = getattr(result, "model", None)
        answered = f"{what} answers {label}" + (f" (model {model})" if model else "")
        return Check(name, "ok", answered + _route_note(result))
    return Check(name, "ok", f"{what} exists; its model serves neither chat nor embeddings (images or audio?)")


def run_checks(flags: ClientFlags, env: Mapping[str, str]) -> tuple[dict[str, Any], list[Check]]:
    settings = flags.client_settings(with_config=False)
    routed = flags.config_path is not None
    report: dict[str, Any] = {
        "provider": "per target (config file)" if routed else settings.get("provider") or "azure-openai",
        "auth": "per target (config file)" if routed else describe_auth(settings, env),
        "deployment": flags.deployment,
        "config": str(flags.config_path) if routed else None,
    }
    checks: list[Check] = []
    try:
        client = flags.client(max_retries=0)
        if not routed:
            client._check_configured()  # Client() builds with nothing to call; the doctor says so now
    except (ConfigurationError, CliError) as error:
        message = flags.flag_names(str(error)) if isinstance(error, ConfigurationError) else str(error)
        checks.append(Check("settings", "failed", message, int(ExitCode.USAGE)))
        return report, checks
    with client:
        if routed:
            checks.append(Check("settings", "ok", "the routing config is valid"))
            # models.list would ask the first target only; a chat goes through the routes.
            checks.append(Check("endpoint", "skipped", "routed: the deployment check runs through the targets"))
            checks.append(_check_deployment(client, flags.model("doctor")))
            return report, checks
        report["endpoint"] = f"{client.base_url} (from {_source(settings, env)})"
        report["api_version"] = client.api_version
        checks.append(Check("settings", "ok", "complete and consistent"))
        checks.append(_check_version_known(client.api_version, report["provider"]))
        endpoint, go_on = _check_endpoint(client)
        checks.append(endpoint)
        if not flags.deployment:
            checks.append(Check("deployment", "skipped", f"no --deployment (or {DEPLOYMENT_ENV}) to check"))
        elif not go_on:
            checks.append(Check("deployment", "skipped", "not checked: the endpoint check failed"))
        else:
            checks.append(_check_deployment(client, flags.deployment))
    return report, checks


def _check_version_known(version: str, provider: str) -> Check:
    from ..generated._operations import API_VERSIONS

    name = "api-version"
    if provider == "openai" or version == "v1":
        return Check(name, "ok", f"{version} (versionless: the service decides what it accepts)")
    if version in API_VERSIONS:
        return Check(name, "ok", f"{version} (azgate checks calls against it)")
    newest = max(v for v in API_VERSIONS if v != "v1")
    return Check(name, "warning", f"azgate does not know {version} (newest it knows: {newest}); calls go out unchecked")


@click.command()
@json_option
@client_options
def doctor(as_json: bool, flags: ClientFlags) -> None:
    """Check the settings against the service, and say exactly what is wrong.

    Resolves the flags and environment as every command does, names the way of
    authenticating (never the secret), then makes real calls: the endpoint
    (models.list) and, with --deployment, the deployment (a one-message chat).
    """
    report, checks = run_checks(flags, os.environ)
    failed = next((c for c in checks if c.status == "failed"), None)
    if as_json:
        emit_json({**report, "ok": failed is None, "checks": [asdict(c) for c in checks]})
    else:
        console = out_console()
        for key in ("provider", "endpoint", "api_version", "auth", "deployment", "config"):
            if report.get(key) is not None:
                console.print(f"  {key.replace('_', '-'):<12} {report[key]}", markup=False)
        console.print()
        for check in checks:
            console.print(f"{_MARKS[check.status]} {check.name}: ", end="")
            console.print(check.detail, markup=False)
        console.print("\nall checks passed" if failed is None else f"\n[red]{failed.name} check failed[/]")
    if failed is not None:
        click.get_current_context().exit(failed.exit_code)


COMMANDS = [doctor]
