"""Request checks, in Azure's order: auth, api-version, deployment, body.

Each check raises `AzureError` with Azure's status and body. What a check needs from the
operation table (allowed and required keys per api-version, model classes) is computed
once per operation and version and cached, so a benchmark pays only for lookups.
"""

from __future__ import annotations

import hmac
import importlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .._core._operation import OperationSpec
from . import _errors
from ._config import model_family, operation_family

__all__ = [
    "BodyValidator",
    "GeneratedModelsValidator",
    "TOLERATED_BODY_KEYS",
    "TokenValidator",
    "Validator",
    "check_auth",
    "parse_json_object",
]

TokenValidator = Callable[[str], bool]
BodyValidator = Callable[[OperationSpec, Mapping[str, Any]], None]
"""Type-checks a body; raises pydantic.ValidationError (or AzureError) when it is wrong."""

# openai-python's AzureOpenAI sends the deployment as "model" in the body as well as in
# the path; Azure ignores it there, so it is never an unrecognized argument.
TOLERATED_BODY_KEYS = frozenset({"model"})
_BODY_LOCATIONS = frozenset({"body", "form"})
V1 = "v1"


def check_auth(headers: Mapping[str, str], api_key: str, token_validator: TokenValidator | None) -> None:
    key = headers.get("api-key")
    if key is not None:
        # Constant-time compare: cheap, and a test tool should not teach bad habits.
        if hmac.compare_digest(key.encode(), api_key.encode()):
            return
        raise _errors.unauthorized()
    authorization = headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token:
        if token_validator is not None and token_validator(token.strip()):
            return
        raise _errors.unauthorized(bearer=True)
    raise _errors.unauthorized()


def parse_json_object(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _errors.bad_json(str(exc)) from None
    if not isinstance(body, dict):
        raise _errors.bad_json(f"the body must be a JSON object, got a JSON {type(body).__name__}")
    return body


def _newest(versions: Iterable[str]) -> str:
    # Dates sort as text; a preview sorts after the GA of the same date.
    return max(versions, default="")


@dataclass(frozen=True, slots=True)
class _Keys:
    allowed: frozenset[str]
    required: tuple[str, ...]


class Validator:
    """The table-driven checks of one app."""

    def __init__(
        self,
        operations: Mapping[str, OperationSpec],
        body_validator: BodyValidator | None,
    ) -> None:
        self._known_versions = frozenset(v for op in operations.values() for v in op.versions)
        self._body_validator = body_validator
        self._keys: dict[tuple[str, str], _Keys] = {}
        self._newest = {op.id: _newest(op.versions) for op in operations.values()}
        self._version_lists = {op.id: ", ".join(sorted(op.versions)) for op in operations.values()}

    # -- api-version ---------------------------------------------------------------

    def api_version(self, op: OperationSpec, query: Mapping[str, str], *, v1: bool) -> str:
        """The api-version to check the body against ("v1" checks against the newest)."""
        if v1:
            # The v1 API takes no api-version (older previews sent "preview"/"latest").
            return V1
        version = query.get("api-version")
        if not version:
            raise _errors.resource_not_found(
                f"the api-version query parameter is missing; {op.id} accepts {self._version_lists[op.id]}"
            )
        if version in op.versions:
            return version
        if version not in self._known_versions:
            raise _errors.api_version_not_supported(version, self._known_versions)
        first = op.first_version or min(op.versions, default="?")
        raise _errors.resource_not_found(
            f"operation {op.id} ({op.sdk_name}) does not exist in api-version {version}; "
            f"it is available in {self._version_lists[op.id]} (first in {first})"
        )

    # -- deployment -----------------------------------------------------------------

    @staticmethod
    def deployment(
        op: OperationSpec,
        path_params: Mapping[str, str],
        body: Mapping[str, Any],
        deployments: Mapping[str, str],
        *,
        v1: bool,
    ) -> tuple[str | None, str]:
        """(deployment name, model name); (None, "") for operations without one."""
        if not op.deployment_scoped:
            return None, ""
        if v1:
            name = body.get("model")
            if not isinstance(name, str) or not name:
                raise _errors.invalid_request(
                    "'model' is a required property (the v1 API takes the deployment name in the body's model field)",
                    param="model",
                )
        else:
            name = path_params.get("deployment-id") or next(iter(path_params.values()), "")
        model = deployments.get(name)
        if model is None:
            raise _errors.deployment_not_found(name)
        op_family = operation_family(op.sdk_name)
        family = model_family(model)
        if op_family is not None and family is not None and op_family[0] != family:
            raise _errors.operation_not_supported(op_family[1], model)
        return name, model

    # -- body -----------------------------------------------------------------------

    def _keys_for(self, op: OperationSpec, version: str) -> _Keys:
        cached = self._keys.get((op.id, version))
        if cached is not None:
            return cached
        params = [p for p in op.params.values() if p.location in _BODY_LOCATIONS]
        if version == V1:
            # v1 tracks the newest api-version: anything ever declared is accepted.
            newest = self._newest[op.id]
            allowed = frozenset(p.name for p in params)
            required = tuple(p.name for p in params if newest in p.required_in)
        else:
            allowed = frozenset(p.name for p in params if version in p.versions)
            required = tuple(p.name for p in params if version in p.required_in)
        keys = _Keys(allowed | TOLERATED_BODY_KEYS, required)
        self._keys[(op.id, version)] = keys
        return keys

    def body(self, op: OperationSpec, version: str, body: Mapping[str, Any], *, typed: bool = True) -> None:
        """Keys against the table, then types against the model (JSON bodies only)."""
        keys = self._keys_for(op, version)
        for key in body:
            if key not in keys.allowed:
                where = "the v1 API" if version == V1 else f"api-version {version}"
                raise _errors.invalid_request(
                    f"Unrecognized request argument supplied: {key} (emulator: {op.id} in {where} does not declare it)",
                    param=key,
                )
        for key in keys.required:
            if key not in body:
                raise _errors.invalid_request(f"'{key}' is a required property", param=key)
        if not typed or self._body_validator is None or op.request_model is None:
            return
        # Tolerated-but-undeclared keys (the model name) are not the model's business.
        checked = body if "model" in op.params else {k: v for k, v in body.items() if k not in TOLERATED_BODY_KEYS}
        try:
            self._body_validator(op, checked)
        except _errors.AzureError:
            raise
        except Exception as exc:  # pydantic.ValidationError, imported lazily
            raise _validation_error(exc, checked) from None


def _wire_path(loc: Sequence[Any], body: Any) -> list[str]:
    """The error's location as keys of the request, without pydantic's union tags.

    pydantic's loc for a union member reads messages.0.ChatCompletionRequestUserMessage.
    content...; walking the body keeps only the parts that are really in it (and a
    final key that is missing from it).
    """
    path: list[str] = []
    current = body
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif isinstance(current, Mapping) and isinstance(part, str) and (part in current or last):
            current = current.get(part)  # None past the end: a missing key is still named
        else:
            continue  # a union member's tag, not a key of the request
        path.append(str(part))
    return path


def _validation_error(exc: Exception, body: Mapping[str, Any]) -> _errors.AzureError:
    errors_fn = getattr(exc, "errors", None)
    details: list[dict[str, Any]] = list(errors_fn()) if callable(errors_fn) else []
    if not details:
        return _errors.invalid_request(f"Invalid request body: {exc}")
    # Of a union's many failures, the one reaching deepest into the body is the real one.
    paths = [_wire_path(d.get("loc", ()), body) for d in details]
    best = max(range(len(details)), key=lambda i: len(paths[i]))
    first, param = details[best], ".".join(paths[best]) or None
    if first.get("type") == "missing":
        return _errors.invalid_request(f"'{param}' is a required property", param=param)
    got = type(first.get("input")).__name__
    return _errors.invalid_request(
        f"Invalid value for '{param}': {first.get('msg', 'invalid')} (got {got}).", param=param
    )


class GeneratedModelsValidator:
    """Validates with `azgate.generated.models.<request_model>` when that module exists."""

    def __init__(self, module: str = "azgate.generated.models") -> None:
        self._module_name = module
        self._module: Any = None
        self._missing = False
        self._classes: dict[str, Any] = {}

    def _class(self, name: str) -> Any:
        if name in self._classes:
            return self._classes[name]
        if self._module is None and not self._missing:
            try:
                self._module = importlib.import_module(self._module_name)
            except ImportError:
                self._missing = True  # no generated models yet: key checks only
        cls = getattr(self._module, name, None) if self._module is not None else None
        self._classes[name] = cls
        return cls

    def __call__(self, op: OperationSpec, body: Mapping[str, Any]) -> None:
        if op.request_model is None:
            return
        cls = self._class(op.request_model)
        if cls is not None:
            cls.model_validate(body)


def make_body_validator(
    choice: BodyValidator | Literal["generated", "off"],
) -> BodyValidator | None:
    if choice == "off":
        return None
    if choice == "generated":
        return GeneratedModelsValidator()
    return choice
