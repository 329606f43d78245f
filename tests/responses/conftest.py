"""The hostile server, started once per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hostile_bodies import ROUTES
from hostile_server import HostileServer


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer(ROUTES) as server:
        yield server
