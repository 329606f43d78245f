"""Operations by method and path, and SDK names derived from the path (codegen/_naming.py)."""

from __future__ import annotations

import pytest

from codegen._naming import derived_sdk_name, operation_key


@pytest.mark.parametrize(
    ("method", "path", "name"),
    [
        ("POST", "/files/{file-id}/cancel", "files.cancel"),  # an action on an item
        ("GET", "/files/{file-id}", "files.retrieve"),
        ("POST", "/assistants/{assistant_id}", "assistants.update"),
        ("DELETE", "/vector_stores/{vector_store_id}", "vector_stores.delete"),
        ("PUT", "/ingestion/jobs/{job-id}", "ingestion.jobs.create"),
        ("GET", "/batches", "batches.list"),
        ("POST", "/deployments/{deployment-id}/chat/completions", "chat.completions.create"),
        ("GET", "/fine_tuning/jobs/{fine-tuning-job-id}/events", "fine_tuning.jobs.events.list"),
        ("GET", "/threads/{thread_id}/runs/{run_id}/steps/{step_id}", "threads.runs.steps.retrieve"),
        ("POST", "/files/import", "files.import_.create"),  # a keyword gets a trailing _
        ("POST", "/realtime-api/sessions", "realtime_api.sessions.create"),
        ("POST", "/{id}/cancel", "root.cancel"),
    ],
)
def test_derived_names(method: str, path: str, name: str) -> None:
    assert derived_sdk_name(method, path) == name


def test_operation_key_ignores_the_deployment_and_parameter_spelling() -> None:
    assert operation_key("post", "/deployments/{deployment-id}/chat/completions") == "POST /chat/completions"
    assert operation_key("GET", "/files/{file-id}") == operation_key("GET", "/files/{file_id}") == "GET /files/{}"
    assert operation_key("POST", "/chat/completions/{id}") != operation_key("POST", "/chat/completions")
    assert operation_key("GET", "/files") != operation_key("POST", "/files")
