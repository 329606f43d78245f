"""Soak and fault run: many calls from threads and asyncio tasks against the emulator with
mixed faults, and the books balanced at the end.

    python tests/hardening/soak.py --calls 20000      (what `nox -s soak` runs)

Half the calls come from `--threads` threads sharing one Client, half from `--tasks`
asyncio tasks sharing one AsyncClient, at the same time. About `--fault-rate` of the calls
meet a fault: a 429 with retry-after-ms, a 500 or a 503 (queued in the emulator, consumed
by whichever request comes next), a stream cut mid-way, a stream abandoned by `break`
without closing, or a server that never answers. Every call must end, in a result or an
azgate exception (counted by class); file descriptors and sockets must be back to their
baseline once the clients are closed; memory is sampled after each tenth of the calls.

The emulator runs in a child process (its own core; its sockets are not ours to count),
on 127.0.0.1, and is stopped at the end. Prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
from azgate import AsyncClient, AzgateError, Client

sys.path.insert(0, os.path.dirname(__file__))
from hostile import HostileServer, Received, Step

MESSAGES = [{"role": "user", "content": "Hi"}]
KINDS = ("chat", "stream", "embed")
FAULTS = ("rate_limit", "server_500", "server_503", "cut_stream", "abandon", "hang")


@dataclass
class Figures:
    calls: int
    threads: int
    tasks: int
    seconds: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)
    """Per outcome: "ok" or the azgate exception's class name (a foreign one is "FOREIGN ...")."""
    by_kind: dict[str, int] = field(default_factory=dict)
    accounted: int = 0
    foreign: list[str] = field(default_factory=list)
    fds_baseline: int = 0
    fds_during_peak: int = 0
    fds_after_close: int = 0
    sockets_baseline: int = 0
    sockets_after_close: int = 0
    rss_mb: list[float] = field(default_factory=list)
    """Resident memory after each tenth of the calls (after a collection)."""
    rss_growth_after_warmup_mb: float = 0.0
    emulator_requests: int = 0


def _fds() -> tuple[int, int]:
    """(open file descriptors, of which sockets) of this process."""
    fds = sockets = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        fds += 1
        sockets += target.startswith("socket:")
    return fds, sockets


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@contextmanager
def emulator_process() -> Iterator[tuple[str, str]]:
    """(endpoint, api key) of an emulator in a child process, stopped on exit."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    key = "soak-key"
    child = subprocess.Popen(
        [sys.executable, "-m", "azgate.testing.emulator", "--port", str(port), "--api-key", key],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(endpoint + "/_emulator/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the emulator did not start: {child.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            time.sleep(0.1)
        yield endpoint, key
    finally:
        child.terminate()
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(10)
        if child.stderr is not None:
            child.stderr.close()


def _hang(request: Received) -> Iterator[Step]:
    yield 60.0  # never answers; stopped when the server closes


class Plan:
    """The calls to make: (kind, fault or None), seeded, so a run can be repeated."""

    def __init__(self, calls: int, fault_rate: float, seed: int) -> None:
        rng = random.Random(seed)
        self.items = [
            (rng.choice(KINDS), rng.choice(FAULTS) if rng.random() < fault_rate else None) for _ in range(calls)
        ]


def _fault_spec(fault: str) -> dict[str, Any] | None:
    return {
        "rate_limit": {"kind": "rate_limit", "retry_after_ms": 5},
        "server_500": {"kind": "server_error", "status": 500},
        "server_503": {"kind": "server_error", "status": 503},
        "cut_stream": {"kind": "cut_stream", "after_chunks": 2},
    }.get(fault)


def run(calls: int, threads: int, tasks: int, fault_rate: float = 0.1, seed: int = 0) -> Figures:
    figures = Figures(calls, threads, tasks)
    plan = Plan(calls, fault_rate, seed).items
    half = calls // 2
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    lock = threading.Lock()
    progress = [0]
    samples: list[float] = []

    def record(kind: str, fault: str | None, outcome: str) -> None:
        with lock:
            outcomes[outcome] += 1
            kinds[f"{kind}+{fault}" if fault else kind] += 1
            progress[0] += 1
            if outcome.startswith("FOREIGN") and len(figures.foreign) < 20:
                figures.foreign.append(outcome)
            if progress[0] % max(calls // 10, 1) == 0:
                samples.append(progress[0])

    with emulator_process() as (endpoint, key):
        gc.collect()
        figures.fds_baseline, figures.sockets_baseline = _fds()
        admin = httpx.Client(base_url=endpoint, timeout=10)
        hang = HostileServer(_hang)
        settings: dict[str, Any] = {
            "api_key": key, "azure_endpoint": endpoint, "api_version": "2024-10-21",
            "max_retries": 2, "timeout": 10, "total_timeout": 30,
        }  # fmt: skip
        hang_settings = {**settings, "azure_endpoint": hang.url, "api_key": "k", "timeout": 0.3, "max_retries": 0}
        sync_client = Client(**settings)
        sync_hang = Client(**hang_settings)
        async_box: dict[str, AsyncClient] = {}

        def queue_fault(fault: str | None) -> None:
            spec = _fault_spec(fault) if fault else None
            if spec is not None:
                admin.post("/_emulator/faults", json={**spec, "times": 1}).raise_for_status()

        def sync_call(kind: str, fault: str | None) -> str:
            try:
                queue_fault(fault)
                if fault == "hang":
                    sync_hang.chat.completions.create(model="gpt-4", messages=MESSAGES)
                elif kind == "embed" and fault not in ("abandon", "cut_stream"):
                    sync_client.embeddings.create(model="text-embedding-ada-002", input="soak")
                elif kind == "chat" and fault not in ("abandon", "cut_stream"):
                    sync_client.chat.completions.create(model="gpt-4", messages=MESSAGES)
                else:
                    for _ in sync_client.chat.completions.create(model="gpt-4", messages=MESSAGES, stream=True):
                        if fault == "abandon":
                            break  # no close, no with: the stream is dropped here
                return "ok"
            except AzgateError as exc:
                return type(exc).__name__
            except BaseException as exc:
                return f"FOREIGN {type(exc).__name__}: {str(exc)[:200]}"

        async def async_call(client: AsyncClient, hang_client: AsyncClient, kind: str, fault: str | None) -> str:
            try:
                if fault:
                    await asyncio.to_thread(queue_fault, fault)
                if fault == "hang":
                    await hang_client.chat.completions.create(model="gpt-4", messages=MESSAGES)
                elif kind == "embed" and fault not in ("abandon", "cut_stream"):
                    await client.embeddings.create(model="text-embedding-ada-002", input="soak")
                elif kind == "chat" and fault not in ("abandon", "cut_stream"):
                    await client.chat.completions.create(model="gpt-4", messages=MESSAGES)
                else:
                    stream = await client.chat.completions.create(model="gpt-4", messages=MESSAGES, stream=True)
                    async for _ in stream:
                        if fault == "abandon":
                            break
                    del stream
                return "ok"
            except AzgateError as exc:
                return type(exc).__name__
            except BaseException as exc:
                return f"FOREIGN {type(exc).__name__}: {str(exc)[:200]}"

        def thread_worker(items: list[tuple[str, str | None]]) -> None:
            for kind, fault in items:
                record(kind, fault, sync_call(kind, fault))

        async def async_main(items: list[tuple[str, str | None]]) -> None:
            client = AsyncClient(**settings)
            hang_client = AsyncClient(**hang_settings)
            async_box["client"] = client
            queue: asyncio.Queue[tuple[str, str | None]] = asyncio.Queue()
            for item in items:
                queue.put_nowait(item)

            async def task() -> None:
                while not queue.empty():
                    kind, fault = queue.get_nowait()
                    record(kind, fault, await async_call(client, hang_client, kind, fault))

            await asyncio.gather(*(task() for _ in range(tasks)))
            await client.close()
            await hang_client.close()

        sync_items = plan[:half]
        chunks = [sync_items[i::threads] for i in range(threads)]
        start = time.monotonic()
        workers = [threading.Thread(target=thread_worker, args=(c,), daemon=True) for c in chunks]
        workers.append(threading.Thread(target=lambda: asyncio.run(async_main(plan[half:])), daemon=True))
        for w in workers:
            w.start()
        sampled = 0
        while any(w.is_alive() for w in workers):
            time.sleep(0.2)
            if len(samples) > sampled:
                sampled = len(samples)
                gc.collect()
                figures.rss_mb.append(round(_rss_mb(), 1))
                figures.fds_during_peak = max(figures.fds_during_peak, _fds()[0])
            if time.monotonic() - start > 3600:
                break  # the books will show what never ended
        figures.seconds = round(time.monotonic() - start, 1)
        sync_client.close()
        sync_hang.close()
        hang.close()
        figures.emulator_requests = int(admin.get("/_emulator/stats").json().get("total", 0) or 0)
        admin.close()
        deadline = time.monotonic() + 15
        while True:  # closed sockets leave the table as their last references go
            gc.collect()
            figures.fds_after_close, figures.sockets_after_close = _fds()
            if figures.fds_after_close <= figures.fds_baseline or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    figures.outcomes = dict(outcomes)
    figures.by_kind = dict(kinds)
    figures.accounted = sum(outcomes.values())
    warm = figures.rss_mb[1] if len(figures.rss_mb) > 2 else (figures.rss_mb[0] if figures.rss_mb else 0.0)
    figures.rss_growth_after_warmup_mb = round((max(figures.rss_mb) if figures.rss_mb else 0.0) - warm, 1)
    return figures


def check(figures: Figures, max_growth_mb: float = 40.0) -> list[str]:
    """What is wrong with a run; empty when the books balance."""
    problems = []
    if figures.accounted != figures.calls:
        problems.append(f"{figures.calls - figures.accounted} calls never ended")
    if figures.foreign:
        problems.append(f"exceptions outside azgate's classes: {figures.foreign[:5]}")
    if figures.fds_after_close > figures.fds_baseline:
        problems.append(f"file descriptors {figures.fds_baseline} -> {figures.fds_after_close}")
    if figures.sockets_after_close > figures.sockets_baseline:
        problems.append(f"sockets {figures.sockets_baseline} -> {figures.sockets_after_close}")
    if figures.rss_growth_after_warmup_mb > max_growth_mb:
        problems.append(f"memory grew {figures.rss_growth_after_warmup_mb} MB after warm-up")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--fault-rate", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    figures = run(args.calls, args.threads, args.tasks, args.fault_rate, args.seed)
    print(json.dumps(asdict(figures), indent=2))
    problems = check(figures)
    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
