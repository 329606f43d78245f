"""`Emulator`: a started Azure OpenAI emulator, for tests, demos and benchmarks."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Literal

from .._core._operation import OperationSpec
from ._app import create_app
from ._config import DEFAULT_API_KEY, check_host, format_endpoint
from ._faults import FaultSet
from ._profiles import ProfileName, check_profile
from ._server import BackgroundServer
from ._state import EmulatorState
from ._stats import Stats
from ._store import Store
from ._validate import BodyValidator, TokenValidator
from .handlers import Handler

__all__ = ["Emulator"]


class Emulator:
    """A local Azure OpenAI endpoint on loopback, served from a background thread.

    ```python
    with Emulator() as emulator:
        client = AzureOpenAI(azure_endpoint=emulator.endpoint, api_key=emulator.api_key,
                             api_version="2024-10-21")
        emulator.faults.add("rate_limit", times=2, retry_after_ms=20)
        ...
        assert emulator.stats.count("ChatCompletions_Create") == 3
    ```
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str = DEFAULT_API_KEY,
        deployments: Mapping[str, str] | None = None,
        token_validator: TokenValidator | None = None,
        *,
        operations: Mapping[str, OperationSpec] | None = None,
        body_validator: BodyValidator | Literal["schema", "off"] = "schema",
        handlers: Mapping[str, Handler] | None = None,
        profile: ProfileName = "current",
        body_timeout: float = 30.0,
        allow_non_loopback: bool = False,
        log_level: str = "warning",
    ) -> None:
        check_host(host, allow_non_loopback=allow_non_loopback)
        self.host = host
        self.state = EmulatorState.build(
            api_key=api_key,
            deployments=deployments,
            token_validator=token_validator,
            profile=profile,
            body_timeout=body_timeout,
        )
        self._initial_deployments = dict(self.state.deployments)
        self._initial_profile = self.state.profile
        # Built now, not at start(): a bad table fails where the emulator is configured.
        self.app = create_app(operations, state=self.state, body_validator=body_validator, handlers=handlers)
        self._server = BackgroundServer(self.app, host, port, log_level=log_level)

    # -- lifecycle -----------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> Emulator:
        """Serve; returns once the server accepts connections."""
        self._server.start(timeout)
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what tests use ------------------------------------------------------------

    @property
    def port(self) -> int:
        if not self._server.running:
            raise RuntimeError("the emulator is not running; call start() or use `with`")
        return self._server.port

    @property
    def endpoint(self) -> str:
        """E.g. "http://127.0.0.1:54321": the `azure_endpoint` / `base_url` host."""
        return format_endpoint(self.host, self.port)

    @property
    def api_key(self) -> str:
        return self.state.api_key

    @property
    def deployments(self) -> dict[str, str]:
        """Deployment name -> model name; add or remove entries at any time."""
        return self.state.deployments

    @property
    def faults(self) -> FaultSet:
        return self.state.faults

    @property
    def stats(self) -> Stats:
        return self.state.stats

    @property
    def store(self) -> Store:
        """The in-memory files, batches, jobs, ...; `store.tick` sets how fast batches and
        jobs advance (seconds per state, 0 = at once), `store.expire_batch(id)` expires one."""
        return self.state.store

    @property
    def profile(self) -> ProfileName:
        """How replies are shaped: "current" (today's shapes), "legacy" (older
        api-versions': no logprobs, no choice index, no system_fingerprint, nulls left
        out) or "gateway" (extra fields, unknown enum values and union variants)."""
        return self.state.profile

    @profile.setter
    def profile(self, name: ProfileName) -> None:
        self.state.profile = check_profile(name)

    @property
    def token_validator(self) -> TokenValidator | None:
        return self.state.token_validator

    @token_validator.setter
    def token_validator(self, validator: TokenValidator | None) -> None:
        self.state.token_validator = validator

    def reset(self) -> None:
        """Drop pending faults, forget the requests seen and the objects created, restore
        the deployments, the profile and the default tick."""
        self.state.faults.clear()
        self.state.store.clear()
        self.state.stats.reset()
        self.state.deployments.clear()
        self.state.deployments.update(self._initial_deployments)
        self.state.profile = self._initial_profile

    def __repr__(self) -> str:  # never shows the key
        where = self.endpoint if self._server.running else "stopped"
        return f"Emulator({where}, profile={self.state.profile!r}, deployments={sorted(self.state.deployments)})"
