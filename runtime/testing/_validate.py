"""Request checks, in Azure's order: auth, api-version, deployment, body.

Each check raises `AzureError` with Azure's status and body. What a check needs from the
operation table (allowed and required keys per api-version, model classes) is computed
once per operation and version and cached, so a benchmark pays only for lookups.
"""

from __future__ import annotations

import hmac
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .._core._operation import OperationSpec
from . import _errors
from ._config import model_family, operation_family
from ._schema_errors import best_match, schema_error
from ._schemas import V1, SpecSchemas

__all__ = [
    "BodyValidator",
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
_JSON = "application/json"
# Bodies known to be valid, by their bytes: a benchmark or a retry loop sends the same
# body again and again, and a schema walk costs a few hundred microseconds.
_CACHED_BODIES = 512
_CACHED_BODY_BYTES = 64 * 1024


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


_MAX_INT_DIGITS = 40  # far beyond int64; a 5,000-digit number is an attack, not a value


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(text.lstrip('-'))} digits is out of range")
    return int(text)


def _parse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """The request's JSON object; any malformed, hostile or non-object body is a 400."""
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw, parse_int=_parse_int, parse_constant=_parse_constant)
    except RecursionError:
        raise _errors.bad_json("the JSON body is nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise _errors.bad_json(str(exc)) from None
    if not isinstance(body, dict):
        raise _errors.bad_json(f"the body must be a JSON object, got a JSON {type(body).__name__}")
    return body


def _newest(versions: Iterable[str]) -> str:
    # Dates sort as text; a preview sorts after the GA of the same date.
    return max(versions, default="")


@dataclass(frozen=True, slots=True)
class _Keys:
    declared: frozenset[str]
    required: tuple[str, ...]

    @property
    def allowed(self) -> frozenset[str]:
        return self.declared | TOLERATED_BODY_KEYS


class Validator:
    """The table-driven checks of one app."""

    def __init__(
        self,
        operations: Mapping[str, OperationSpec],
        body_validator: BodyValidator | Literal["schema"] | None,
        schemas: SpecSchemas | None = None,
    ) -> None:
        self._known_versions = frozenset(v for op in operations.values() for v in op.versions)
        # "schema": spec/'s JSON Schema (keys and types); a callable: the caller's own
        # type check after the table's key check; None: the table's key check only.
        self._schemas = (schemas or SpecSchemas()) if body_validator == "schema" else None
        self._body_validator = body_validator if callable(body_validator) else None
        self._keys: dict[tuple[str, str], _Keys] = {}
        self._valid: OrderedDict[tuple[str, str, bytes], None] = OrderedDict()
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
        declared = self._declared_keys(op, version)
        if declared is not None:  # the spec's own word, not the table's
            allowed = declared
        keys = _Keys(allowed, required)
        self._keys[(op.id, version)] = keys
        return keys

    def _declared_keys(self, op: OperationSpec, version: str) -> frozenset[str] | None:
        if self._schemas is None or op.request_content_type != _JSON:
            return None
        if version != V1:
            return self._schemas.request_keys(op.id, version)
        found = [self._schemas.request_keys(op.id, v) for v in op.versions]
        return frozenset().union(*(k for k in found if k is not None)) if any(found) else None

    def body(
        self, op: OperationSpec, version: str, body: Mapping[str, Any], *, typed: bool = True, raw: bytes = b""
    ) -> None:
        """Keys, then the api-version's JSON Schema (JSON bodies only). `raw`, the bytes
        `body` was parsed from, lets a body seen before skip the schema walk."""
        key = (op.id, version, raw) if raw and len(raw) <= _CACHED_BODY_BYTES else None
        if key is not None and key in self._valid:
            self._valid.move_to_end(key)
            return
        self._check_body(op, version, body, typed=typed)
        if key is not None:
            self._valid[key] = None
            if len(self._valid) > _CACHED_BODIES:
                self._valid.popitem(last=False)

    def _check_body(self, op: OperationSpec, version: str, body: Mapping[str, Any], *, typed: bool) -> None:
        keys = self._keys_for(op, version)
        for key in body:
            if key not in keys.allowed:
                where = "the v1 API" if version == V1 else f"api-version {version}"
                raise _errors.invalid_request(
                    f"Unrecognized request argument supplied: {key} (emulator: {op.id} in {where} does not declare it)",
                    param=key,
                )
        if not typed:
            for key in keys.required:
                if key not in body:
                    raise _errors.missing(key)
            return
        # A null top-level value means "not given" to the service; an undeclared but
        # tolerated key (the deployment as "model") is not the schema's business.
        checked = {
            k: v for k, v in body.items() if v is not None and (k in keys.declared or k not in TOLERATED_BODY_KEYS)
        }
        if self._body_validator is not None:
            try:
                self._body_validator(op, checked)
            except _errors.AzureError:
                raise
            except Exception as exc:  # pydantic.ValidationError from a user's own validator
                raise _model_error(exc, checked) from None
            return
        validator = self._schemas.request_validator(op.id, version) if self._schemas is not None else None
        if validator is None:  # no schema shipped for it: the table's required keys
            for key in keys.required:
                if key not in checked:
                    raise _errors.missing(key)
            return
        error = best_match(validator.iter_errors(checked))
        if error is not None:
            raise schema_error(error)


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


def _model_error(exc: Exception, body: Mapping[str, Any]) -> _errors.AzureError:
    """A pydantic ValidationError of a user-supplied body validator, as Azure's 400."""
    errors_fn = getattr(exc, "errors", None)
    details: list[dict[str, Any]] = list(errors_fn()) if callable(errors_fn) else []
    if not details:
        return _errors.invalid_request(f"Invalid request body: {exc}")
    # Of a union's many failures, the one reaching deepest into the body is the real one.
    paths = [_wire_path(d.get("loc", ()), body) for d in details]
    best = max(range(len(details)), key=lambda i: len(paths[i]))
    first, param = details[best], ".".join(paths[best]) or None
    if first.get("type") == "missing":
        return _errors.missing(param or "")
    got = type(first.get("input")).__name__
    return _errors.invalid_request(
        f"Invalid value for '{param}': {first.get('msg', 'invalid')} (got {got}).", param=param, code="invalid_value"
    )


def make_body_validator(choice: BodyValidator | Literal["schema", "off"]) -> BodyValidator | Literal["schema"] | None:
    if choice == "off":
        return None
    return choice
