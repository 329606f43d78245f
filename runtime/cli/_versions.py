"""`azgate versions`: which api-versions have which operations and parameters.

Read from the generated operation table (the same facts the client checks calls
against), so it is exactly what this build of azgate knows.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from ._exit import CliError
from ._output import emit_json, note, out_console

if TYPE_CHECKING:
    from .._core._operation import OperationSpec

__all__ = ["COMMANDS", "version_key"]


def version_key(version: str) -> tuple[str, int]:
    """By date; on the same date a preview before the stable release."""
    return (version[:10], 0 if version.endswith("-preview") else 1)


def _table() -> tuple[list[str], dict[str, OperationSpec]]:
    from ..generated._operations import API_VERSIONS, OPERATIONS

    versions = sorted(API_VERSIONS, key=version_key)
    by_name = {op.sdk_name: op for op in sorted(OPERATIONS.values(), key=lambda op: op.sdk_name)}
    return versions, by_name


def _find(name: str, operations: Mapping[str, OperationSpec]) -> OperationSpec:
    if name in operations:
        return operations[name]
    for op in operations.values():
        if op.id.lower() == name.lower():
            return op
    close = difflib.get_close_matches(name, list(operations), n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(close)}?" if close else "`azgate versions VERSION` lists the operations"
    raise CliError(f"no operation {name!r}: {hint}")


def _check_version(version: str, versions: list[str]) -> None:
    if version not in versions:
        raise CliError(f"azgate knows no api-version {version!r}; it knows {', '.join(versions)}")


def _op_json(op: OperationSpec, versions: Iterable[str]) -> dict[str, Any]:
    order = list(versions)

    def listed(having: Iterable[str]) -> list[str]:
        return [v for v in order if v in set(having)]

    return {
        "id": op.id,
        "method": op.method,
        "path": op.path,
        "v1_path": (op.v1_path or op.path) if "v1" in op.versions else None,
        "deployment_scoped": op.deployment_scoped,
        "versions": listed(op.versions),
        "parameters": {
            name: {"in": p.location, "versions": listed(p.versions), "required_in": listed(p.required_in)}
            for name, p in sorted(op.params.items())
        },
    }


@click.command()
@click.argument("api_version", required=False)
@click.option("--operation", "-o", "operation", help="One operation's parameters per api-version.")
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
def versions(api_version: str | None, operation: str | None, as_json: bool) -> None:
    """Which api-versions have which operations and parameters.

    \b
    azgate versions                          every api-version, with what changed
    azgate versions 2024-10-21               the operations of one api-version
    azgate versions -o chat.completions.create   one operation's parameters
    """
    known, operations = _table()
    if api_version is not None:
        _check_version(api_version, known)
    if operation is not None:
        _show_operation(_find(operation, operations), known, api_version, as_json)
    elif api_version is not None:
        _show_version(api_version, known, operations, as_json)
    else:
        _show_versions(known, operations, as_json)


def channel(version: str) -> str:
    """Azure's release channels: previews follow previews, stable releases follow stable
    ones (dropping the previews' experiments), and the versionless v1 stands alone."""
    return "v1" if version == "v1" else "preview" if version.endswith("-preview") else "stable"


def spans(having: Iterable[str], known: list[str]) -> str:
    """Which `known` versions are in `having`, channel by channel:
    "all", "2024-10-21 and later; 2025-03-01-preview and later", "2024-02-15-preview", "v1"."""
    chosen = set(having)
    if chosen >= set(known):
        return "all"
    parts: list[str] = []
    for name in ("stable", "preview", "v1"):
        versions = [v for v in known if channel(v) == name]
        runs: list[list[str]] = []
        for index, version in enumerate(versions):
            if version in chosen:
                if runs and versions.index(runs[-1][-1]) == index - 1:
                    runs[-1].append(version)
                else:
                    runs.append([version])
        for run in runs:
            if run[-1] == versions[-1] and len(versions) > 1:
                parts.append(f"{run[0]} and later")
            elif len(run) > 2:
                parts.append(f"{run[0]} to {run[-1]}")
            else:
                parts.append(", ".join(run))
    return "; ".join(parts) or "none"


def _show_versions(known: list[str], operations: Mapping[str, OperationSpec], as_json: bool) -> None:
    if as_json:
        emit_json({"api_versions": known, "operations": {n: _op_json(op, known) for n, op in operations.items()}})
        return
    table = Table("api-version", "operations", "since", "added", "removed", box=None, pad_edge=False)
    for version in known:
        current = {n for n, op in operations.items() if version in op.versions}
        before = previous_in_channel(version, known)
        if before is None:
            table.add_row(version, str(len(current)), "", "", "")
            continue
        earlier = {n for n, op in operations.items() if before in op.versions}
        table.add_row(version, str(len(current)), before, _count(current - earlier), _count(earlier - current))
    out_console().print(table)
    note("`azgate versions VERSION`: its operations and what changed; `-o NAME`: an operation's parameters.")


def previous_in_channel(version: str, known: list[str]) -> str | None:
    """The version before `version` in its channel (see `channel`)."""
    earlier = [v for v in known[: known.index(version)] if channel(v) == channel(version)]
    return earlier[-1] if earlier else None


def _count(names: set[str]) -> str:
    return str(len(names)) if names else "-"


def _show_version(version: str, known: list[str], operations: Mapping[str, OperationSpec], as_json: bool) -> None:
    chosen = {n: op for n, op in operations.items() if version in op.versions}
    if as_json:
        emit_json(
            {
                "api_version": version,
                "operations": {
                    n: {
                        **_op_json(op, known),
                        "parameters": sorted(p.name for p in op.params.values() if version in p.versions),
                    }
                    for n, op in chosen.items()
                },
            }
        )
        return
    before = previous_in_channel(version, known)
    table = Table("", "operation", "method", "path", box=None, pad_edge=False)
    for name, op in chosen.items():
        new = before is not None and before not in op.versions
        path = (op.v1_path or op.path) if version == "v1" else op.path
        table.add_row("+" if new else "", name, op.method, path)
    out_console().print(table)
    gone = sorted(n for n, op in operations.items() if before in op.versions and version not in op.versions)
    if before is not None:
        shown = ", ".join(gone[:8]) + (f" and {len(gone) - 8} more" if len(gone) > 8 else "")
        note(f"+ new since {before}" + (f"; gone since {before}: {shown}" if gone else ""))
    note(f"{len(chosen)} operations in {version}")


def _show_operation(op: OperationSpec, known: list[str], version: str | None, as_json: bool) -> None:
    if as_json:
        emit_json({op.sdk_name: _op_json(op, [version] if version else known)})
        return
    console = out_console()
    console.print(f"{op.sdk_name}: {op.method} /openai{op.path}", markup=False)
    if "v1" in op.versions:
        console.print(f"v1: {op.method} /openai/v1{op.v1_path or op.path}", markup=False)
    console.print(f"api-versions: {spans(op.versions, known)}", markup=False)
    params = {n: p for n, p in sorted(op.params.items()) if version is None or version in p.versions}
    table = Table("parameter", "in", "required", "api-versions", box=None, pad_edge=False)
    for name, param in params.items():
        required = "yes" if version in param.required_in else "-" if version else spans(param.required_in, known)
        table.add_row(name, param.location, "-" if required == "none" else required, spans(param.versions, known))
    console.print(table)


COMMANDS = [versions]
