"""Hand-written methods on generated resources: `parse()` and `stream()` on chat
completions and responses, `upload_file_chunked()` on uploads.

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
"""

from __future__ import annotations

from ._ir import Mixin, Resource

__all__ = ["RESOURCE_MIXINS", "attach_mixins"]

RESOURCE_MIXINS: dict[tuple[str, ...], Mixin] = {
    ("chat", "completions"): Mixin("azgate._helpers._chat", "ChatCompletionsHelpers", "AsyncChatCompletionsHelpers"),
    ("responses",): Mixin("azgate._helpers._responses", "ResponsesHelpers", "AsyncResponsesHelpers"),
    ("uploads",): Mixin("azgate._helpers._uploads", "UploadsHelpers", "AsyncUploadsHelpers"),
}


def attach_mixins(roots: dict[str, Resource]) -> None:
    """Set `mixin` on every resource of the tree that RESOURCE_MIXINS names."""
    for root in roots.values():
        for node in root.walk():
            node.mixin = RESOURCE_MIXINS.get(node.path)
