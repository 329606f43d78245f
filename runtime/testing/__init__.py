"""azgate.testing: a local Azure OpenAI emulator for tests, demos and benchmarks.

`Emulator` runs a real HTTP server on loopback that routes and validates requests by the
generated operation table and answers like Azure (bodies, errors, headers, streams),
with fault injection. See `pytest_plugin` for fixtures and `emulator` for the CLI.
"""

from __future__ import annotations

import importlib.util

try:  # the `testing` extra; say so instead of a bare ModuleNotFoundError
    import jsonschema  # noqa: F401
    import starlette  # noqa: F401
    import uvicorn  # noqa: F401

    if not (importlib.util.find_spec("python_multipart") or importlib.util.find_spec("multipart")):
        raise ModuleNotFoundError("No module named 'python_multipart'", name="python-multipart")
except ImportError as exc:
    raise ImportError(
        f"azgate.testing needs the packages of the 'testing' extra ({exc.name} is missing); "
        'install them with: pip install "azgate[testing]"'
    ) from exc

from ._app import create_app
from ._config import DEFAULT_API_KEY, DEFAULT_DEPLOYMENTS
from ._emulator import Emulator
from ._errors import FILTER_TRIGGER, AzureError
from ._faults import Fault, FaultKind, FaultSet
from ._identity import IdentityEmulator, IssuedToken, TokenRequest
from ._responses import JsonReply, RawReply, Reply, StreamReply
from ._stats import RecordedRequest, Stats
from .handlers.embeddings import embedding_vector

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_DEPLOYMENTS",
    "FILTER_TRIGGER",
    "AzureError",
    "Emulator",
    "Fault",
    "FaultKind",
    "FaultSet",
    "IdentityEmulator",
    "IssuedToken",
    "JsonReply",
    "RawReply",
    "RecordedRequest",
    "Reply",
    "Stats",
    "StreamReply",
    "TokenRequest",
    "create_app",
    "embedding_vector",
]
