"""Hand-written methods on generated resources: `parse()` and `stream()` on chat
completions and responses, `upload_file_chunked()` on uploads, `beta.chat` (openai-python's
older path to the chat resource).

generated/ is never edited by hand, so a helper method cannot be pasted into a resource
class. Instead the generated class inherits it: `RESOURCE_MIXINS` maps an SDK resource
path to a runtime module holding two classes, one per flavour, and the template renders
them as the first base of the resource class:

    class ChatCompletions(ChatCompletionsHelpers, SyncAPIResource): ...
    class AsyncChatCompletions(AsyncChatCompletionsHelpers, AsyncAPIResource): ...

A mixin holds methods only (no `__init__`, no state): it calls the generated methods of
the class it ends up in (`self.create(...)`), so the helpers go through the same checks,
routing and retries as any call. The `with_raw_response` / `with_streaming_response`
views list the generated operations only and are unaffected. A mapping whose resource
the spec does not have is skipped (codegen's small test specs lack most resources);
tests/codegen/test_mixins.py checks that every mapping finds its resource in spec/ and
that no helper shadows a generated method.

`MODEL_MIXINS` does the same for a few response models, for the properties the
documents mark as computed by SDKs ("SDK-only convenience property"): the named fields
are dropped from the schema the models are generated from, and the runtime class,
first base of the model, computes them (`Response.output_text`).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._ir import Mixin, Resource

__all__ = [
    "MODEL_MIXINS",
    "RESOURCE_MIXINS",
    "ModelMixin",
    "add_model_mixins",
    "attach_mixins",
    "drop_computed",
    "insert_imports",
]

RESOURCE_MIXINS: dict[tuple[str, ...], Mixin] = {
    ("chat", "completions"): Mixin("azgate._helpers._chat", "ChatCompletionsHelpers", "AsyncChatCompletionsHelpers"),
    ("responses",): Mixin("azgate._helpers._responses", "ResponsesHelpers", "AsyncResponsesHelpers"),
    ("uploads",): Mixin("azgate._helpers._uploads", "UploadsHelpers", "AsyncUploadsHelpers"),
    ("beta",): Mixin("azgate._helpers._beta", "BetaAliases", "AsyncBetaAliases"),
}


def attach_mixins(roots: dict[str, Resource]) -> None:
    """Set `mixin` on every resource of the tree that RESOURCE_MIXINS names."""
    for root in roots.values():
        for node in root.walk():
            node.mixin = RESOURCE_MIXINS.get(node.path)


@dataclass(frozen=True)
class ModelMixin:
    module: str
    class_name: str
    computes: tuple[str, ...]
    """Fields of the schema that the mixin computes instead (dropped from the model)."""


MODEL_MIXINS: dict[str, ModelMixin] = {
    "Response": ModelMixin("azgate._helpers._response_text", "ResponseOutputText", ("output_text",)),
}


def drop_computed(schemas: dict[str, Any]) -> None:
    """Drop the fields MODEL_MIXINS compute from the union schemas (in place), in the
    schema itself and in its allOf parts."""
    for name, mixin in MODEL_MIXINS.items():
        if name not in schemas:
            continue
        schema = schemas[name] = copy.deepcopy(schemas[name])  # never the documents' own objects
        for part in [schema, *schema.get("allOf", ())]:
            properties = part.get("properties") or {}
            for field in mixin.computes:
                properties.pop(field, None)
                if field in part.get("required", ()):
                    part["required"] = [r for r in part["required"] if r != field]


def add_model_mixins(models: Path) -> None:
    """Make each MODEL_MIXINS class the first base of its generated model (models.py,
    as datamodel-code-generator wrote it; ruff sorts the imports afterwards)."""
    source = models.read_text(encoding="utf-8")
    imports = []
    for name, mixin in sorted(MODEL_MIXINS.items()):
        pattern = re.compile(rf"^class {name}\((.*)\):$", re.MULTILINE)
        if not pattern.search(source):
            continue  # a spec without the model (codegen's small test specs)
        source = pattern.sub(rf"class {name}({mixin.class_name}, \1):", source, count=1)
        imports.append(f"from {mixin.module} import {mixin.class_name}\n")
    models.write_text(insert_imports(source, "".join(imports)), encoding="utf-8")


def insert_imports(source: str, imports: str) -> str:
    """`source` (models.py as datamodel-code-generator wrote it) with `imports` before its
    first `from` import; ruff sorts them afterwards."""
    head, sep, rest = source.partition("\nfrom ")
    return head + "\n" + imports + sep.lstrip("\n") + rest if imports and sep else source
