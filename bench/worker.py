"""One client, one measurement, one fresh process: prints one JSON line.

    python -m bench.worker MODE --client NAME --endpoints URL[,URL,URL] [options]

Modes (sync unless named a...):
    chat, embed       --n calls one after another (after --warmup), time per call
    stream            --n streams of --chunks content chunks (httpx: iter_lines), events/s
    stream-bytes      the same through each transport's byte iterator (raw transports only)
    soak              --n chat calls after --warmup; RSS sampled every --every calls
    achat             --concurrency chat calls at once on one AsyncClient
    astream           --concurrency streams of --chunks at once on one AsyncClient
    astream-bytes     the same through each transport's byte iterator

Every answer is checked (content text, chunk counts, vector length): a client that
breaks cannot look fast. Wall time is perf_counter; CPU is this process's user + sys.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import time
import urllib.request
from collections.abc import Awaitable, Callable
from typing import Any

from bench import bodies
from bench.clients import ASYNC_CLIENTS, SYNC_CLIENTS, RoutingNotBuilt, Target

__all__ = ["main"]


class WrongAnswer(Exception):
    pass


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    """This process's peak RSS since exec (VmHWM). Not ru_maxrss: Linux carries the parent's
    RSS at fork over into the child's ru_maxrss, so a large harness would inflate it."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def expect(what: str, got: object, wanted: object) -> None:
    if got != wanted:
        raise WrongAnswer(f"{what}: got {got!r}, expected {wanted!r}")


def check_stream(result: tuple[int, int], chunks: int) -> int:
    """The chunks a client saw in one stream (Azure's filter chunk + content + finish)."""
    expect("chunks in a stream", result, (chunks + 2, chunks))
    return result[0]


class Clock:
    """Wall and CPU time of a stretch of work."""

    def __enter__(self) -> Clock:
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0


def sequential_calls(call: Callable[[], Any], check: Callable[[Any], None], n: int, warmup: int) -> dict[str, Any]:
    for _ in range(warmup):
        check(call())
    latencies = [0.0] * n
    with Clock() as clock:
        for i in range(n):
            start = time.perf_counter()
            result = call()
            latencies[i] = time.perf_counter() - start
    check(result)
    latencies.sort()
    return {
        "calls": n,
        "us_per_call": clock.wall / n * 1e6,
        "p50_us": latencies[n // 2] * 1e6,
        "p99_us": latencies[min(n - 1, int(n * 0.99))] * 1e6,
        "cpu_us_per_call": clock.cpu / n * 1e6,
    }


def sequential_streams(stream: Callable[[], tuple[int, int]], chunks: int, n: int, warmup: int) -> dict[str, Any]:
    for _ in range(warmup):
        check_stream(stream(), chunks)
    events = 0
    with Clock() as clock:
        for _ in range(n):
            events += check_stream(stream(), chunks)
    return {
        "streams": n,
        "events": events,
        "events_per_s": events / clock.wall,
        "ms_per_stream": clock.wall / n * 1e3,
        "cpu_us_per_event": clock.cpu / events * 1e6,
    }


def soak(chat: Callable[[], str], n: int, warmup: int, every: int) -> dict[str, Any]:
    """RSS after warm-up and every `every` calls after it (after a full collection, so
    what is measured is memory kept, not garbage not yet collected)."""
    for _ in range(warmup):
        expect("chat content", chat(), bodies.CHAT_CONTENT)
    gc.collect()
    samples = [rss_mib()]
    for i in range(1, n + 1):
        if chat() != bodies.CHAT_CONTENT:
            raise WrongAnswer("chat content changed during the soak")
        if i % every == 0 or i == n:
            gc.collect()
            samples.append(rss_mib())
    return {
        "calls": n,
        "warmup": warmup,
        "rss_after_warmup_mib": samples[0],
        "rss_end_mib": samples[-1],
        "growth_mib": samples[-1] - samples[0],
        "samples_mib": [round(s, 2) for s in samples],
    }


async def concurrent(
    call: Callable[[], Awaitable[Any]], check: Callable[[Any], int], concurrency: int, warmup: int
) -> dict[str, Any]:
    """`concurrency` calls at once; every one must complete with the right answer."""
    for _ in range(warmup):
        check(await call())
    with Clock() as clock:
        outcomes = await asyncio.gather(*(call() for _ in range(concurrency)), return_exceptions=True)
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    units = 0
    for outcome in outcomes:
        if not isinstance(outcome, BaseException):
            try:
                units += check(outcome)
            except WrongAnswer as exc:
                errors.append(exc)
    return {
        "concurrency": concurrency,
        "completed": concurrency - len(errors),
        "errors": len(errors),
        "first_error": f"{type(errors[0]).__name__}: {errors[0]}"[:300] if errors else None,
        "wall_s": clock.wall,
        "cpu_s": clock.cpu,
        "units": units,
        "cpu_us_per_unit": clock.cpu / units * 1e6 if units else None,
    }


def server_counts(endpoint: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{endpoint}/_bench/counts", timeout=10) as r:
        return json.loads(r.read())  # type: ignore[no-any-return]


def run_sync(args: argparse.Namespace, target: Target) -> dict[str, Any]:
    start = time.perf_counter()
    client = SYNC_CLIENTS[args.client](target)
    out: dict[str, Any] = {"setup_s": time.perf_counter() - start}
    try:
        if args.mode in ("chat", "embed"):
            call = client.chat if args.mode == "chat" else client.embed
            wanted = bodies.CHAT_CONTENT if args.mode == "chat" else bodies.EMBEDDING_DIM
            before = server_counts(target.endpoint) if args.client == "azgate-lb" else {}
            out |= sequential_calls(call, lambda got: expect(args.mode, got, wanted), args.n, args.warmup)
            if before:
                after = server_counts(target.endpoint)
                out["calls_per_target"] = [after[port] - before[port] for port in sorted(after)]
        elif args.mode in ("stream", "stream-bytes"):
            stream = client.stream if args.mode == "stream" else client.stream_bytes
            out |= sequential_streams(stream, target.chunks, args.n, args.warmup)
        elif args.mode == "soak":
            out |= soak(client.chat, args.n, args.warmup, args.every)
    finally:
        client.close()
    return out


async def run_async(args: argparse.Namespace, target: Target) -> dict[str, Any]:
    start = time.perf_counter()
    client = ASYNC_CLIENTS[args.client](target)
    out: dict[str, Any] = {"setup_s": time.perf_counter() - start}
    try:
        if args.mode == "achat":

            def check(got: str) -> int:
                expect("chat content", got, bodies.CHAT_CONTENT)
                return 1

            out |= await concurrent(client.chat, check, args.concurrency, args.warmup)
        else:
            stream = client.stream if args.mode == "astream" else client.stream_bytes
            out |= await concurrent(stream, lambda r: check_stream(r, target.chunks), args.concurrency, args.warmup)
    finally:
        await client.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "mode", choices=("chat", "embed", "stream", "stream-bytes", "soak", "achat", "astream", "astream-bytes")
    )
    parser.add_argument("--client", required=True, choices=sorted(SYNC_CLIENTS))
    parser.add_argument("--endpoints", required=True, help="comma-separated loopback URLs")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--chunks", type=int, default=1000)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=1000)
    args = parser.parse_args()

    endpoints = tuple(args.endpoints.split(","))
    for endpoint in endpoints:
        if not endpoint.startswith(("http://127.0.0.1:", "http://localhost:")):
            parser.error(f"refusing a non-loopback endpoint: {endpoint}")
    target = Target(endpoints=endpoints, chunks=args.chunks)

    out: dict[str, Any] = {"mode": args.mode, "client": args.client}
    try:
        if args.mode.startswith("a"):
            out |= asyncio.run(run_async(args, target))
        else:
            out |= run_sync(args, target)
    except RoutingNotBuilt as exc:
        out["routing_not_built"] = str(exc)
    out["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
