"""azgate.batch without a service: the input checks, the results, the end-of-batch decision."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from azgate._jobs._batch_input import custom_ids_of_input, prepare_input
from azgate._jobs._batch_results import finish
from azgate.batch import (
    NOT_PROCESSED,
    BatchFailedError,
    BatchFailure,
    BatchInputError,
    BatchResults,
    BatchSuccess,
    BatchTimeoutError,
)
from azgate.generated.models import Batch, BatchErrors

CHAT = "/chat/completions"


def body(text: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"model": "gpt-4o-batch", "messages": [{"role": "user", "content": text}], **extra}


def lines(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.splitlines()]


def test_bodies_become_jsonl_lines_with_stable_custom_ids() -> None:
    prepared = prepare_input([body("a"), body("b", custom_id="mine"), body("c")], CHAT)
    assert prepared.custom_ids == ["request-0", "mine", "request-2"]
    assert lines(prepared.jsonl) == [
        {"custom_id": "request-0", "method": "POST", "url": CHAT, "body": body("a")},
        {"custom_id": "mine", "method": "POST", "url": CHAT, "body": body("b")},
        {"custom_id": "request-2", "method": "POST", "url": CHAT, "body": body("c")},
    ]
    assert prepared.upload()[0].endswith(".jsonl") and prepared.jsonl.endswith(b"\n")
    # generators work, and the same input gives the same ids
    assert prepare_input((body(t) for t in "ab"), CHAT).custom_ids == ["request-0", "request-1"]


def test_all_problems_of_the_bodies_are_reported_together() -> None:
    requests = [
        body("a", custom_id="x"),
        body("b", custom_id="x"),
        {"messages": []},
        body("d", stream=True),
        body("e", custom_id=""),
        "not a dict",
        body("g", custom_id="request-0"),
    ]
    with pytest.raises(BatchInputError) as info:
        prepare_input(requests, CHAT)  # type: ignore[arg-type]
    problems = info.value.problems
    assert problems == [
        "requests[1]: custom_id 'x' is already used by requests[0]; custom_ids must be unique "
        "(leave custom_id out to get 'request-<n>').",
        "requests[2]: no 'model'; each request of a batch names its deployment (a Global Batch one).",
        "requests[3]: stream=True; batch requests cannot stream, leave stream out.",
        "requests[4]: custom_id must be a non-empty string; got ''.",
        "requests[5]: a request is a dict (a request body); got str.",
    ]
    assert "has 5 problems; nothing was uploaded" in str(info.value)
    assert isinstance(info.value, ValueError)
    with pytest.raises(BatchInputError, match="there are no requests"):
        prepare_input([], CHAT)
    with pytest.raises(TypeError, match="Wrap a single request in a list"):
        prepare_input(body(), CHAT)  # type: ignore[arg-type]


def test_a_generated_id_colliding_with_a_given_one_is_reported() -> None:
    with pytest.raises(BatchInputError, match=r"requests\[1\]: custom_id 'request-1' is already used by requests\[0\]"):
        prepare_input([body(custom_id="request-1"), body()], CHAT)


def test_jsonl_files_are_checked_line_by_line(tmp_path: Path) -> None:
    good = {"custom_id": "t1", "method": "POST", "url": CHAT, "body": body()}
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(good),
                "",  # blank lines are skipped, numbering still counts them
                "{not json",
                json.dumps({**good, "custom_id": "t1"}),
                json.dumps({**good, "custom_id": "t4", "url": "/embeddings", "method": "GET"}),
                json.dumps({"custom_id": "t5", "body": []}),
                json.dumps([1, 2]),
                json.dumps({**good, "custom_id": "t7", "body": {"messages": []}}),
            ]
        )
    )
    with pytest.raises(BatchInputError) as info:
        prepare_input(path, CHAT)
    problems = info.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "line 3",
        "line 4",
        "line 5",
        "line 5",
        "line 6",
        "line 6",
        "line 7",
        "line 8",
    ]
    assert "line 4: custom_id 't1' is already used by line 1" in problems[1]
    assert "method is 'GET'" in problems[2] and "pass endpoint='/embeddings'" in problems[3]
    assert "missing 'method', 'url'" in problems[4] and "body must be a JSON object" in problems[5]
    assert str(path) in str(info.value)

    ok = tmp_path / "ok.jsonl"
    ok.write_text("\ufeff" + json.dumps(good) + "\n\n" + json.dumps({**good, "custom_id": "t2"}) + "\n")
    prepared = prepare_input(str(ok), CHAT)
    assert prepared.custom_ids == ["t1", "t2"] and len(lines(prepared.jsonl)) == 2
    assert custom_ids_of_input(prepared.jsonl) == ["t1", "t2"]
    with pytest.raises(FileNotFoundError, match=r"requests: there is no batch input file at '.*missing\.jsonl'"):
        prepare_input(tmp_path / "missing.jsonl", CHAT)
    with pytest.raises(ValueError, match="endpoint must be a path"):
        prepare_input([body()], "chat/completions")


def batch(status: str, **extra: Any) -> Batch:
    return Batch.model_validate(
        {
            "id": "batch_1",
            "input_file_id": "file-in",
            "endpoint": CHAT,
            "completion_window": "24h",
            "status": status,
            "request_counts": {"total": 3, "completed": 1, "failed": 1},
            **extra,
        }
    )


def completion(text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o",
        "choices": [
            {"index": 0, "finish_reason": "stop", "logprobs": None, "message": {"role": "assistant", "content": text}}
        ],
    }


def jsonl(*items: Any) -> bytes:
    return "\n".join(json.dumps(i) for i in items).encode() + b"\n"


OUTPUT = jsonl(
    {"id": "r2", "custom_id": "b", "response": {"status_code": 200, "request_id": "q2", "body": completion("B")}},
    {
        "id": "r3",
        "custom_id": "c",
        "response": {"status_code": 429, "body": {"error": {"code": "429", "message": "Too many"}}},
        "error": None,
    },
)
ERRORS = jsonl({"id": "r1", "custom_id": "a", "response": None, "error": {"code": "bad", "message": "Nope"}})


def test_results_follow_input_order_and_match_failures_to_custom_ids() -> None:
    results = finish(batch("completed"), ["a", "b", "c", "d"], OUTPUT, ERRORS, allow_partial=False)
    assert isinstance(results, BatchResults) and list(results) == ["a", "b", "c", "d"]
    assert results["a"] == BatchFailure("a", "bad", "Nope", body={"code": "bad", "message": "Nope"})
    success = results["b"]
    assert isinstance(success, BatchSuccess) and success.ok and success.request_id == "q2"
    assert success.completion.choices[0].message.content == "B"
    assert (results["c"].ok, results["c"].code, results["c"].status_code) == (False, "429", 429)  # type: ignore[union-attr]
    assert results["d"].code == NOT_PROCESSED  # type: ignore[union-attr]
    assert [r.custom_id for r in results.failed] == ["a", "c", "d"] and len(results.succeeded) == 1
    assert repr(results) == "BatchResults(batch_id='batch_1', status='completed', succeeded=1, failed=3)"


def test_other_endpoints_keep_dict_bodies_and_garbage_lines_are_skipped(caplog: pytest.LogCaptureFixture) -> None:
    emb = {"object": "list", "data": [{"embedding": [0.1]}]}
    output = b"garbage\n" + jsonl({"custom_id": "e", "response": {"status_code": 200, "body": emb}})
    results = finish(batch("completed", endpoint="/embeddings"), ["e"], output, None, allow_partial=False)
    assert results["e"].body == emb  # type: ignore[union-attr]
    with pytest.raises(TypeError, match="not a chat completion"):
        results["e"].completion  # type: ignore[union-attr]  # noqa: B018
    assert "Skipping line 1 of the batch output file" in caplog.text


def test_expired_and_cancelled_raise_with_partial_results_unless_allowed() -> None:
    for status, words in (("expired", "Batch batch_1 expired (completion window 24h)"), ("cancelled", "was cancelled")):
        with pytest.raises(BatchFailedError, match=re.escape(words)) as info:
            finish(batch(status), ["a", "b", "c"], OUTPUT, ERRORS, allow_partial=False)
        assert info.value.results is not None and info.value.results["b"].ok
        assert "error.results has the outcome of each request (1 succeeded, 2 failed; code" in str(info.value)
        assert "Pass allow_partial=True to have them returned instead." in str(info.value)
        partial = finish(batch(status), ["a", "b", "x"], OUTPUT, ERRORS, allow_partial=True)
        assert partial["x"].code == NOT_PROCESSED  # type: ignore[union-attr]
        assert f"ended {status} before this request ran" in partial["x"].message  # type: ignore[union-attr]


def test_failed_batches_raise_with_their_errors() -> None:
    failed = batch(
        "failed",
        errors={"object": "list", "data": [{"code": "invalid_json_line", "message": "bad line", "line": 3}]},
    )
    with pytest.raises(BatchFailedError) as info:
        finish(failed, ["a"], None, None, allow_partial=True)
    error = info.value
    assert error.results is None and error.batch is failed and error.errors[0].code == "invalid_json_line"
    assert "Batch batch_1 failed: 2 of 3 requests done, 1 failed. Errors: line 3: invalid_json_line: bad line." in str(
        error
    )
    assert "Fix the input and submit a new batch." in str(error)


def test_timeout_error_says_how_to_resume() -> None:
    error = BatchTimeoutError(batch("in_progress"), 12.0)
    assert isinstance(error, TimeoutError)
    assert "Stopped waiting for batch batch_1 after 12.0 s (status in_progress, 2 of 3 requests done" in str(error)
    assert "Resume with resume_batch(client, 'batch_1')" in str(error)
    assert BatchTimeoutError.__module__ == "azgate.batch"


def test_batch_errors_as_the_service_sends_them_a_list_with_int_lines() -> None:
    # As the service sends them (spec/overlay.yaml corrects the published shape).
    failed = Batch.model_construct(
        id="batch_2",
        status="failed",
        request_counts=None,
        completion_window="24h",
        errors=BatchErrors.model_construct(
            object="list",
            data=[{"code": "empty_file", "message": "No requests", "line": None}, {"code": "x", "line": 4}],
        ),
    )
    error = BatchFailedError(failed, None)
    assert [e.code for e in error.errors] == ["empty_file", "x"]
    assert "Errors: empty_file: No requests; line 4: x: (no message)." in str(error)
