"""Where the models split puts a class: by the answers that reach it (codegen/_split.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from codegen._split import _answers_module

GENERATED = Path(__file__).parents[2] / "generated" / "models"


def test_one_answer_gets_its_own_module() -> None:
    assert _answers_module({("chat", "completions", "create", "result")}) == (
        "chat_completions_create_result",
        "only in the result of `chat.completions.create`",
    )
    assert _answers_module({("chat", "completions", "create", "stream")})[0] == "chat_completions_create_stream"


def test_answers_of_one_operation_or_one_name_share_the_common_part() -> None:
    both = {("chat", "completions", "create", "result"), ("chat", "completions", "create", "stream")}
    assert _answers_module(both) == (
        "chat_completions_create",
        "in the result and the stream events of `chat.completions.create`",
    )
    stored = {
        ("chat", "completions", "stored", "list", "result"),
        ("chat", "completions", "stored", "retrieve", "result"),
    }
    assert _answers_module(stored)[0] == "chat_completions_stored"
    assert _answers_module(stored | both)[0] == "chat_completions"


def test_a_module_imports_only_modules_with_a_shorter_name_or_more_groups() -> None:
    """The order that makes the imports acyclic, read from the committed output: an answer
    module imports group modules or answer modules whose name is a prefix of its own
    (`other`, `*_requests` and the group modules are checked by the generator itself)."""
    answer_modules = [
        path
        for path in GENERATED.glob("*.py")
        if path.stem not in ("__init__", "other") and not path.stem.endswith("_requests") and "_and_" not in path.stem
    ]
    assert {"chat_completions_create_result", "chat_completions_create"} <= {path.stem for path in answer_modules}
    for path in answer_modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                target = node.module
                assert "_and_" in target or path.stem.startswith(target + "_"), (path.stem, target)
