"""The plan, and the rounds that run it.

Every measurement runs in a fresh process, one client at a time, pinned to one CPU while
the server has another. A round runs every measurement once for every client, in an
order rotated from round to round, so slow drift of the machine falls on every client
alike; ratios are taken between clients of the same round, then summarised by median.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.coldstart import run_fresh_process, timed_run

__all__ = ["FRESH_CLIENTS", "PLAN", "Harness", "Measure", "Outcome", "Settings"]

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "bench-key"


@dataclass(frozen=True)
class Measure:
    """One measurement: a worker mode, the clients it compares, its sizes (full and quick)."""

    name: str
    mode: str
    clients: tuple[str, ...]
    full: Mapping[str, int]
    quick: Mapping[str, int]


_SEQUENTIAL_CHAT = ({"n": 2000, "warmup": 200}, {"n": 100, "warmup": 20})
# 60 streams of 1,000 events: about a second per client and round, long enough that a burst
# of the machine's other work does not decide a round's ratio (20 swung it by 15%).
_STREAMS = ({"n": 60, "warmup": 3, "chunks": 1000}, {"n": 2, "warmup": 1, "chunks": 1000})
_RAW = ("httpx", "httpx2", "httpcore")
_GOAL = ("httpx", "openai", "azgate")
_ALL = ("httpx", "httpx2", "httpcore", "openai", "azgate")

PLAN: tuple[Measure, ...] = (
    Measure("chat", "chat", (*_ALL, "azgate-httpx2"), *_SEQUENTIAL_CHAT),
    Measure("routed", "chat", ("azgate", "azgate-lb"), *_SEQUENTIAL_CHAT),
    Measure("stream", "stream", (*_GOAL, "httpx-pydantic"), *_STREAMS),
    Measure("stream-bytes", "stream-bytes", _RAW, *_STREAMS),
    Measure("embed", "embed", _GOAL, {"n": 300, "warmup": 30}, {"n": 20, "warmup": 5}),
    Measure(
        "astream-1000",
        "astream",
        _GOAL,
        {"concurrency": 1000, "chunks": 100, "warmup": 3},
        {"concurrency": 50, "chunks": 100, "warmup": 1},
    ),
    Measure(
        "astream-bytes-1000",
        "astream-bytes",
        _RAW,
        {"concurrency": 1000, "chunks": 100, "warmup": 3},
        {"concurrency": 50, "chunks": 100, "warmup": 1},
    ),
    Measure("achat-200", "achat", _ALL, {"concurrency": 200, "warmup": 3}, {"concurrency": 20, "warmup": 1}),
    Measure("achat-1000", "achat", _ALL, {"concurrency": 1000, "warmup": 3}, {"concurrency": 50, "warmup": 1}),
    Measure(
        "soak",
        "soak",
        _GOAL,
        {"n": 10000, "warmup": 1000, "every": 1000},
        {"n": 300, "warmup": 100, "every": 100},
    ),
)
FRESH_CLIENTS = (
    *_ALL,
    "httpx-pydantic",
    "httpx-pydantic-no-ca",
    "httpx-pydantic-generated",
    "httpcore-pydantic-generated",
)


@dataclass(frozen=True)
class Settings:
    rounds: int = 5
    quick: bool = False
    fresh_runs: int = 5  # fresh processes per client per round (their median is the round's figure)
    pin: bool = True
    only: frozenset[str] = frozenset()  # measure names to run; empty: all


@dataclass
class Outcome:
    """Everything a run produced: one record per process, plus what the run found out."""

    records: list[dict[str, Any]] = field(default_factory=list)
    routing: str = ""  # "" when routing was measured; else why the routed row is n/a
    cpus: str = ""
    failures: list[str] = field(default_factory=list)


def rotated(items: tuple[str, ...], by: int) -> tuple[str, ...]:
    k = by % len(items)
    return items[k:] + items[:k]


def _pinner(cpu: int | None) -> Callable[[], None] | None:
    if cpu is None:
        return None
    return lambda: os.sched_setaffinity(0, {cpu})


@contextmanager
def running_server(ports: int, cpu: int | None) -> Iterator[list[str]]:
    """The bench server on `ports` loopback ports; stopped on exit (and by itself if we die)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.server",
            "--ports",
            str(ports),
            "--api-key",
            API_KEY,
            "--parent-pid",
            str(os.getpid()),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=_pinner(cpu),
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the bench server did not start")
        yield json.loads(line)["endpoints"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


class Harness:
    def __init__(self, settings: Settings, log: Callable[[str], None]) -> None:
        self.settings = settings
        self.log = log
        cpus = sorted(os.sched_getaffinity(0))
        if settings.pin and len(cpus) >= 2:
            self.client_cpu: int | None = cpus[0]
            self.server_cpu: int | None = cpus[-1]
        else:
            self.client_cpu = self.server_cpu = None

    def wanted(self, name: str) -> bool:
        return not self.settings.only or name in self.settings.only

    def run(self) -> Outcome:
        outcome = Outcome()
        if self.client_cpu is not None:
            outcome.cpus = f"clients on CPU {self.client_cpu}, server on CPU {self.server_cpu}"
        else:
            outcome.cpus = "not pinned"
        with running_server(3, self.server_cpu) as endpoints:
            plan = [m for m in PLAN if self.wanted(m.name)]
            if any(m.name == "routed" for m in plan):
                outcome.routing = self.probe_routing(endpoints)
                if outcome.routing:
                    plan = [m for m in plan if m.name != "routed"]
            rounds = 1 if self.settings.quick else self.settings.rounds
            for r in range(rounds):
                self.log(f"round {r + 1}/{rounds}")
                for measure in plan:
                    for client in rotated(measure.clients, r):
                        outcome.records.append(self.measure(measure, client, r, endpoints, outcome))
                if self.wanted("fresh"):
                    outcome.records += self.fresh_processes(r, endpoints[0], outcome)
                if self.wanted("codegen"):
                    outcome.records.append(self.codegen(r, outcome))
        return outcome

    def worker(self, mode: str, client: str, endpoints: list[str], sizes: Mapping[str, int]) -> dict[str, Any]:
        argv = [sys.executable, "-m", "bench.worker", mode, "--client", client, "--endpoints", ",".join(endpoints)]
        for name, value in sizes.items():
            argv += [f"--{name}", str(value)]
        proc = subprocess.run(
            argv, cwd=ROOT, capture_output=True, text=True, timeout=1800, preexec_fn=_pinner(self.client_cpu)
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{mode} {client} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]

    def probe_routing(self, endpoints: list[str]) -> str:
        """Why the routed row is n/a, or "" when azgate routes `config=` across targets."""
        result = self.worker("chat", "azgate-lb", endpoints, {"n": 30, "warmup": 0})
        if "routing_not_built" in result:
            return str(result["routing_not_built"])
        served = [n for n in result["calls_per_target"] if n]
        if len(served) < 2:
            return f"Client(config=...) was accepted but sent every call to one target ({result['calls_per_target']})"
        return ""

    def measure(self, measure: Measure, client: str, r: int, endpoints: list[str], outcome: Outcome) -> dict[str, Any]:
        sizes = measure.quick if self.settings.quick else measure.full
        record: dict[str, Any] = {"measure": measure.name, "round": r, "client": client}
        try:
            record |= self.worker(measure.mode, client, endpoints, sizes)
        except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
            record["error"] = str(exc)
            outcome.failures.append(f"{measure.name} {client} round {r + 1}: {exc}")
        self.log(f"  {measure.name:<20} {client:<10} {_headline(record)}")
        return record

    def fresh_processes(self, r: int, endpoint: str, outcome: Outcome) -> list[dict[str, Any]]:
        runs = 1 if self.settings.quick else self.settings.fresh_runs
        records = []
        for i in range(runs):
            for client in rotated(FRESH_CLIENTS, r + i):
                record: dict[str, Any] = {"measure": "fresh", "round": r, "client": client, "run": i}
                try:
                    record |= run_fresh_process(client, endpoint, API_KEY, _pinner(self.client_cpu))
                except RuntimeError as exc:
                    record["error"] = str(exc)
                    outcome.failures.append(f"fresh {client} round {r + 1}: {exc}")
                records.append(record)
        for client in FRESH_CLIENTS:
            walls = sorted(x["wall_s"] for x in records if x["client"] == client and "wall_s" in x)
            if walls:
                self.log(f"  {'fresh':<20} {client:<10} wall {walls[len(walls) // 2]:.3f} s (median of {len(walls)})")
        return records

    def codegen(self, r: int, outcome: Outcome) -> dict[str, Any]:
        """`python -m codegen generate` of every version in spec/, into a temporary folder."""
        versions = sorted(p.stem for p in (ROOT / "spec").glob("*.json"))
        record: dict[str, Any] = {"measure": "codegen", "round": r, "client": "codegen", "versions": versions}
        with tempfile.TemporaryDirectory(prefix="azgate-bench-codegen-") as tmp:
            out = Path(tmp) / "generated"
            run = timed_run(
                [sys.executable, "-m", "codegen", "generate", "--out", str(out)],
                cwd=str(ROOT),
                preexec=_pinner(self.client_cpu),
            )
            files = sum(1 for p in out.rglob("*.py")) if out.exists() else 0
        if run["returncode"] != 0 or files == 0:
            record["error"] = f"codegen exited {run['returncode']} with {files} files:\n{run['stderr'][-2000:]}"
            outcome.failures.append(f"codegen round {r + 1}: {record['error']}")
        else:
            record |= {"wall_s": run["wall_s"], "cpu_s": run["cpu_s"], "files": files}
        self.log(f"  {'codegen':<20} {'':<10} {_headline(record)}")
        return record


def _headline(record: dict[str, Any]) -> str:
    if "error" in record:
        return "FAILED: " + str(record["error"]).splitlines()[0]
    if "us_per_call" in record:
        return f"{record['us_per_call']:,.0f} us/call"
    if "events_per_s" in record:
        return f"{record['events_per_s']:,.0f} events/s"
    if "growth_mib" in record:
        return f"{record['growth_mib']:+.2f} MiB after warm-up"
    if "concurrency" in record:
        return f"{record['wall_s']:.3f} s wall, {record['completed']}/{record['concurrency']} done, {record['errors']} errors"
    if "wall_s" in record:
        return f"{record['wall_s']:.3f} s wall"
    return str(record.get("routing_not_built", record))[:120]
