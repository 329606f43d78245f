"""Every operation of every api-version in spec/ is served by the emulator: by a
hand-written handler (and so a test in this folder), or else by the generic handler
from its response schema (tests/emulator/test_emulator_generic.py checks those answers)."""

from __future__ import annotations

from azgate.generated._operations import OPERATIONS
from azgate.testing._schemas import SpecSchemas
from azgate.testing.handlers import HANDLERS


def test_every_operation_of_every_version_is_served() -> None:
    schemas = SpecSchemas()
    unserved = sorted(
        f"{op_id} ({version})"
        for op_id, op in OPERATIONS.items()
        if op_id not in HANDLERS
        for version in op.versions
        if schemas.response(op_id, version) is None
    )
    assert unserved == [], f"operations neither handled nor answerable from a schema: {unserved}"


def test_the_schemas_ship_every_version_of_the_table() -> None:
    versions = {v for op in OPERATIONS.values() for v in op.versions}
    assert versions <= set(SpecSchemas().versions())


def test_no_handler_for_an_operation_the_table_lacks() -> None:
    assert sorted(set(HANDLERS) - set(OPERATIONS)) == []
