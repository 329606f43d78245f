"""Python names for spec names: classes from schema keys, identifiers from wire names,
operations by method and path, and SDK names for operations the overlay does not know.

**Operations are known by method and path, not by operationId.** Azure renames ids
between documents (`UploadFile_Start` / `Upload_File_Start`, `Files_List` / `listFiles`)
while the endpoint stays; `operation_key` is what stays: the method and the path with
the deployment prefix dropped and every parameter written `{}` (the v1 API spells
`{file-id}` as `{file_id}`): `POST /deployments/{deployment-id}/chat/completions` and
`POST /chat/completions` are one key, `POST /chat/completions`.

**SDK names derived from the path** (`derived_sdk_name`), for operations the overlay
does not name. With the deployment prefix dropped, static segments name resources and a
`{param}` addresses one item of the resource before it:

1. the path ends with a parameter (one item): the resource path + GET `retrieve`,
   POST/PATCH `update`, PUT `create`, DELETE `delete`
   (`GET /files/{file-id}` -> `files.retrieve`);
2. POST to a static segment right after a parameter is an action on the item, named by
   that segment (`POST /files/{file-id}/cancel` -> `files.cancel`);
3. otherwise the path names a collection: every static segment + GET `list`, POST/PUT
   `create`, PATCH `update`, DELETE `delete` (`GET /batches` -> `batches.list`,
   `GET /fine_tuning/jobs/{id}/events` -> `fine_tuning.jobs.events.list`).

Segments become identifiers as parameters do (`-` -> `_`, a keyword gets a trailing
`_`). `python -m codegen add` / `import` list every name they derived; a name openai-python
spells differently belongs in spec/overlay.yaml (keyed by method and path).
"""

from __future__ import annotations

import keyword
import re

__all__ = ["class_name", "derived_sdk_name", "identifier", "operation_key", "pascal"]

_WORD = re.compile(r"[A-Za-z0-9]+")
_PARAM = re.compile(r"\{[^}/]*\}")
DEPLOYMENT_PREFIX = re.compile(r"^/deployments/\{[^}/]+\}(?=/|$)")


def pascal(text: str) -> str:
    """ "create_chat-completion" -> "CreateChatCompletion"; inner capitals are kept."""
    return "".join(w[0].upper() + w[1:] for w in _WORD.findall(text))


def class_name(schema_key: str) -> str:
    name = pascal(schema_key)
    return name if not name[:1].isdigit() else "Model" + name


def identifier(wire_name: str) -> str:
    """A keyword-argument name for a parameter: "timestamp_granularities[]" ->
    "timestamp_granularities", "file-id" -> "file_id", "$filter" -> "filter"."""
    name = re.sub(r"[^0-9A-Za-z_]+", "_", wire_name).strip("_")
    if keyword.iskeyword(name) or name in {"self", "extra_headers", "extra_query", "extra_body", "timeout"}:
        name += "_"
    return name


def without_deployment(path: str) -> str:
    """`/deployments/{deployment-id}/chat/completions` -> `/chat/completions`: the path on
    the v1 API and OpenAI's, where the deployment is the body's `model`."""
    return DEPLOYMENT_PREFIX.sub("", path) or "/"


def operation_key(method: str, path: str) -> str:
    """What identifies an operation across documents (module docstring)."""
    return f"{method.upper()} {_PARAM.sub('{}', without_deployment(path))}"


def path_parameters(path: str) -> list[str]:
    """The parameter names of a path template, in order."""
    return [m.group(0)[1:-1] for m in _PARAM.finditer(path)]


_ITEM_VERBS = {"GET": "retrieve", "POST": "update", "PATCH": "update", "PUT": "create", "DELETE": "delete"}
_COLLECTION_VERBS = {"GET": "list", "POST": "create", "PUT": "create", "PATCH": "update", "DELETE": "delete"}


def derived_sdk_name(method: str, path: str) -> str:
    """The SDK name of an operation by the rule in the module docstring."""
    method = method.upper()
    segments = [s for s in without_deployment(path).split("/") if s]
    statics = [identifier(s) for s in segments if not _PARAM.fullmatch(s)] or ["root"]
    if segments and _PARAM.fullmatch(segments[-1]):
        return ".".join([*statics, _ITEM_VERBS.get(method, method.lower())])
    if method == "POST" and len(segments) >= 2 and _PARAM.fullmatch(segments[-2]):
        return ".".join(statics if len(statics) > 1 else ["root", *statics])
    return ".".join([*statics, _COLLECTION_VERBS.get(method, method.lower())])
