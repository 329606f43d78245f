"""From the records of a run to the Markdown results: issue #11's goal table, the
transport comparison, and per-measurement details with the spread across rounds."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.records import Records, mib, microseconds, per_second, ratio_text, seconds, spread, table_row

__all__ = ["read_recommendation", "render"]

# -- the goal table -----------------------------------------------------------------------


@dataclass(frozen=True)
class RatioRow:
    """A row whose cells are ratios to raw httpx, judged by azgate's ratio."""

    label: str
    measure: str
    metric: str
    show: Callable[[float], str]
    at_most: float | None = None
    at_least: float | None = None
    cpu_metric: str | None = None  # the client's own CPU for the same work, where there is one

    @property
    def goal(self) -> str:
        return f"≤ {self.at_most:.2f}x" if self.at_most is not None else f"≥ {self.at_least:.2f}x"

    def met(self, value: float | None) -> str:
        if value is None:
            return "no data"
        ok = value <= self.at_most if self.at_most is not None else value >= (self.at_least or 0)
        return "**yes**" if ok else "no"


def _ratio_cells(rec: Records, row: RatioRow, clients: tuple[str, ...]) -> tuple[list[str], float | None]:
    base = rec.median(row.measure, clients[0], row.metric)
    cells = [f"1.00 ({row.show(base)})" if base is not None else "failed"]
    last = None
    for client in clients[1:]:
        last = rec.ratio(row.measure, client, clients[0], row.metric)
        absolute = rec.median(row.measure, client, row.metric)
        cells.append(f"{ratio_text(last)} ({row.show(absolute)})" if absolute is not None else "failed")
    return cells, last


def _goal_rows(rec: Records) -> list[RatioRow]:
    sample = rec.any("stream", "azgate") or rec.any("stream", "httpx") or {"events": 2, "streams": 1}
    chunks = sample["events"] // sample["streams"] - 2  # each stream: Azure's filter chunk, content, finish
    return [
        RatioRow(
            "non-stream chat, time per request", "chat", "us_per_call", microseconds, 1.05, None, "cpu_us_per_call"
        ),
        RatioRow(
            f"{chunks:,}-chunk stream, events/s", "stream", "events_per_s", per_second, None, 0.95, "cpu_us_per_event"
        ),
        RatioRow(
            "embeddings (float), time per request", "embed", "us_per_call", microseconds, 1.05, None, "cpu_us_per_call"
        ),
        RatioRow(
            "fresh process: import, build client, one chat call (wall)", "fresh", "wall_s", seconds, 1.5, None, "cpu_s"
        ),
        RatioRow("peak RSS of that process", "fresh", "peak_rss_mib", mib, at_most=1.3),
        RatioRow("setup (import + client)", "fresh", "setup_s", seconds, at_most=1.3),
    ]


def _routed_row(rec: Records, routing: str) -> list[str]:
    label = "routed call: 3-target loadbalance vs single target, time per request"
    if routing:
        return [label, "—", "—", "n/a (routing not built)", "≤ 1.05x", "n/a"]
    value = rec.ratio("routed", "azgate-lb", "azgate", "us_per_call")
    lb = rec.median("routed", "azgate-lb", "us_per_call")
    single = rec.median("routed", "azgate", "us_per_call")
    if value is None or lb is None or single is None:
        return [label, "—", "—", "failed", "≤ 1.05x", "no data"]
    cell = f"{value:.2f}x ({microseconds(lb)} vs {microseconds(single)})"
    return [label, "—", "—", cell, "≤ 1.05x", "**yes**" if value <= 1.05 else "no"]


def _concurrent_streams_row(rec: Records, clients: tuple[str, ...]) -> list[str]:
    complete = [r for c in clients for r in rec.rounds("astream-1000", c).values() if not r["errors"]]
    sample = complete[0] if complete else {}
    n = sample.get("concurrency", 0)
    chunks = sample.get("units", 0) // max(1, n) - 2 if n else 0  # each stream: filter chunk, content, finish
    label = f"{n:,} concurrent streams x {chunks} chunks, one AsyncClient: wall; client CPU per event"
    cells = []
    for client in clients:
        rounds = rec.rounds("astream-1000", client)
        if not rounds:
            cells.append("failed")
            continue
        wall = rec.median("astream-1000", client, "wall_s")
        cpu = rec.median("astream-1000", client, "cpu_us_per_unit")
        done = min(r["completed"] for r in rounds.values())
        errors = max(r["errors"] for r in rounds.values())
        status = f"{done:,}/{n:,} done" + (f", {errors} errors" if errors else "")
        if client == clients[0]:
            cells.append(f"1.00; 1.00 ({seconds(wall or 0)}; {microseconds(cpu or 0)}; {status})")
        else:
            w = rec.ratio("astream-1000", client, clients[0], "wall_s")
            c = rec.ratio("astream-1000", client, clients[0], "cpu_us_per_unit")
            cells.append(f"{ratio_text(w)}; {ratio_text(c)} ({seconds(wall or 0)}; {microseconds(cpu or 0)}; {status})")
    ours = rec.rounds("astream-1000", "azgate")
    every_round = len(ours) == max(len(rec.rounds("astream-1000", c)) for c in clients)  # none crashed
    ok = bool(ours) and every_round and all(r["completed"] == r["concurrency"] == n for r in ours.values())
    return [label, *cells, f"all {n:,} complete, 0 errors", "**yes**" if ok else "no"]


def _soak_row(rec: Records, clients: tuple[str, ...]) -> list[str]:
    sample = rec.any("soak", "azgate") or {}
    label = f"{sample.get('calls', 0):,} sync calls after {sample.get('warmup', 0):,} of warm-up: RSS growth"
    cells = []
    for client in clients:
        growth = rec.values("soak", client, "growth_mib")
        end = rec.median("soak", client, "rss_end_mib")
        cells.append(
            f"{statistics.median(growth):+.2f} MiB (worst {max(growth):+.2f}; {mib(end or 0)})" if growth else "failed"
        )
    ours = rec.values("soak", "azgate", "growth_mib")
    met = "no data" if not ours else ("**yes**" if max(ours) <= 1.0 else "no")
    return [label, *cells, "flat: ≤ +1 MiB in every round", met]


def _codegen_row(rec: Records) -> list[str]:
    sample = rec.any("codegen", "codegen")
    if sample is None:
        return ["codegen of every version in spec/ (wall)", "—", "—", "failed", "reported", "—"]
    wall = rec.median("codegen", "codegen", "wall_s") or 0
    label = f"codegen of every version in spec/ ({len(sample['versions'])}), wall"
    return [label, "—", "—", f"{seconds(wall)} ({sample['files']} files)", "reported, no goal", "—"]


def goal_table(rec: Records, measured: set[str], routing: str, versions: dict[str, str]) -> list[str]:
    clients = ("httpx", "openai", "azgate")
    head = ["measure", "raw httpx (the floor)", f"openai-python {versions['openai']}", f"azgate {versions['azgate']}"]
    lines = [table_row([*head, "goal", "met", "azgate's own CPU / the floor's"]), table_row(["---"] * 7)]
    for row in _goal_rows(rec):
        cells, ours = _ratio_cells(rec, row, clients)
        cpu = rec.ratio(row.measure, "azgate", "httpx", row.cpu_metric) if row.cpu_metric else None
        lines.append(table_row([row.label, *cells, row.goal, row.met(ours), ratio_text(cpu)]))
    if "routed" in measured:
        cpu = None if routing else rec.ratio("routed", "azgate-lb", "azgate", "cpu_us_per_call")
        lines.append(table_row([*_routed_row(rec, routing), ratio_text(cpu) + (" (of single)" if cpu else "")]))
    if "astream-1000" in measured:
        cpu = rec.ratio("astream-1000", "azgate", "httpx", "cpu_us_per_unit")
        lines.append(table_row([*_concurrent_streams_row(rec, clients), ratio_text(cpu)]))
    if "soak" in measured:
        lines.append(table_row([*_soak_row(rec, clients), "—"]))
    if "codegen" in measured:
        lines.append(table_row([*_codegen_row(rec), "—"]))
    return lines


# -- what pydantic alone costs a fresh process ------------------------------------------------


def pydantic_floor(rec: Records) -> list[str]:
    """The goal rows a model library weighs on, against a reference that returns pydantic
    models and has no SDK code: how much of each gap is the library's, how much azgate's own."""
    no_ca = "httpx-pydantic-no-ca"
    generated = "httpx-pydantic-generated"
    on_httpcore = "httpcore-pydantic-generated"
    rows: list[tuple[str, str, str, Callable[[float], str], str]] = [
        ("stream: events/s", "stream", "events_per_s", per_second, "httpx-pydantic"),
        ("stream: client CPU per event", "stream", "cpu_us_per_event", microseconds, "httpx-pydantic"),
        ("fresh process: import, build client, one chat call (wall)", "fresh", "wall_s", seconds, "httpx-pydantic"),
        ("fresh process: its CPU (user + sys)", "fresh", "cpu_s", seconds, "httpx-pydantic"),
        ("fresh process: its peak RSS", "fresh", "peak_rss_mib", mib, "httpx-pydantic"),
        ("the same, the reference's CA bundle not loaded (as azgate's): wall", "fresh", "wall_s", seconds, no_ca),
        ("the same, the reference's CA bundle not loaded: peak RSS", "fresh", "peak_rss_mib", mib, no_ca),
        ("the same, with azgate's 31 generated classes of the answer: wall", "fresh", "wall_s", seconds, generated),
        ("the same, with the 31 generated classes: peak RSS", "fresh", "peak_rss_mib", mib, generated),
        ("the same on raw httpcore, no httpx imported: wall", "fresh", "wall_s", seconds, on_httpcore),
        ("the same on raw httpcore: peak RSS", "fresh", "peak_rss_mib", mib, on_httpcore),
    ]
    lines = [
        table_row(
            ["measure", "raw httpx", "raw httpx + a pydantic model", "azgate", "azgate / the pydantic reference"]
        ),
        table_row(["---"] * 5),
    ]
    for label, measure, metric, show, reference in rows:
        if not rec.rounds(measure, reference):
            continue
        base = rec.median(measure, "httpx", metric)
        cells = [f"1.00 ({show(base)})" if base is not None else "failed"]
        for client in (reference, "azgate"):
            value = rec.median(measure, client, metric)
            ratio = rec.ratio(measure, client, "httpx", metric)
            cells.append(f"{ratio_text(ratio)} ({show(value)})" if value is not None else "failed")
        cells.append(ratio_text(rec.ratio(measure, "azgate", reference, metric)))
        lines.append(table_row([label, *cells]))
    return lines if len(lines) > 2 else []


# -- the transport table ------------------------------------------------------------------


def _size(rec: Records, measure: str, key: str) -> int:
    sample = rec.any(measure, "httpx") or {}
    return int(sample.get(key, 0))


def _chunks_per_stream(rec: Records, measure: str) -> int:
    sample = rec.any(measure, "httpx") or {}
    if "streams" in sample:
        return int(sample["events"] // sample["streams"] - 2)
    return int(sample.get("units", 0) // max(1, sample.get("concurrency", 1)) - 2)


def transport_table(rec: Records, versions: dict[str, str]) -> list[str]:
    clients = ("httpx", "httpx2", "httpcore")
    lines = [
        table_row(["measure", *(f"{c} {versions[c]}" for c in clients)]),
        table_row(["---"] * 4),
    ]
    few, many = _size(rec, "achat-200", "concurrency"), _size(rec, "achat-1000", "concurrency")
    streams, chunks = _size(rec, "astream-bytes-1000", "concurrency"), _chunks_per_stream(rec, "astream-bytes-1000")
    rows: list[tuple[str, str, str, Callable[[float], str]]] = [
        ("non-stream chat, time per request", "chat", "us_per_call", microseconds),
        (
            f"{_chunks_per_stream(rec, 'stream-bytes'):,}-chunk stream through the byte iterator, events/s",
            "stream-bytes",
            "events_per_s",
            per_second,
        ),
        (
            f"{few:,} concurrent chat calls, one AsyncClient: client CPU per call",
            "achat-200",
            "cpu_us_per_unit",
            microseconds,
        ),
        (f"{few:,} concurrent chat calls: wall", "achat-200", "wall_s", seconds),
        (f"{many:,} concurrent chat calls: client CPU per call", "achat-1000", "cpu_us_per_unit", microseconds),
        (f"{many:,} concurrent chat calls: wall", "achat-1000", "wall_s", seconds),
        (
            f"{streams:,} concurrent streams x {chunks} chunks: client CPU per event",
            "astream-bytes-1000",
            "cpu_us_per_unit",
            microseconds,
        ),
        (f"{streams:,} concurrent streams x {chunks} chunks: wall", "astream-bytes-1000", "wall_s", seconds),
        (f"{streams:,} concurrent streams: peak RSS", "astream-bytes-1000", "peak_rss_mib", mib),
        ("fresh process, one chat call: wall", "fresh", "wall_s", seconds),
        ("fresh process: peak RSS", "fresh", "peak_rss_mib", mib),
        ("setup (import + client)", "fresh", "setup_s", seconds),
    ]
    for label, measure, metric, show in rows:
        if not rec.rounds(measure, "httpx"):
            continue
        row = RatioRow(label, measure, metric, show, at_most=0)
        cells, _ = _ratio_cells(rec, row, clients)
        lines.append(table_row([label, *cells]))
    return lines


# -- details ------------------------------------------------------------------------------

_DETAILS: dict[str, tuple[str, str, list[tuple[str, str, Callable[[float], str]]]]] = {
    # measure: (what, primary metric, [(column, metric, format)])
    "chat": (
        "sequential non-stream chat calls",
        "us_per_call",
        [
            ("time/call", "us_per_call", microseconds),
            ("p50", "p50_us", microseconds),
            ("p99", "p99_us", microseconds),
            ("CPU/call", "cpu_us_per_call", microseconds),
            ("setup", "setup_s", seconds),
        ],
    ),
    "routed": (
        "sequential chat calls, single target vs 3-target loadbalance",
        "us_per_call",
        [("time/call", "us_per_call", microseconds), ("CPU/call", "cpu_us_per_call", microseconds)],
    ),
    "stream": (
        "sequential streams (raw httpx: iter_lines)",
        "events_per_s",
        [
            ("events/s", "events_per_s", per_second),
            ("per stream", "ms_per_stream", lambda v: f"{v:.1f} ms"),
            ("CPU/event", "cpu_us_per_event", microseconds),
        ],
    ),
    "stream-bytes": (
        "sequential streams through each transport's byte iterator",
        "events_per_s",
        [("events/s", "events_per_s", per_second), ("CPU/event", "cpu_us_per_event", microseconds)],
    ),
    "embed": (
        "sequential float embeddings calls (2 inputs x 1536)",
        "us_per_call",
        [("time/call", "us_per_call", microseconds), ("CPU/call", "cpu_us_per_call", microseconds)],
    ),
    "astream-1000": (
        "concurrent streams on one AsyncClient",
        "wall_s",
        [
            ("wall", "wall_s", seconds),
            ("CPU/event", "cpu_us_per_unit", microseconds),
            ("peak RSS", "peak_rss_mib", mib),
        ],
    ),
    "astream-bytes-1000": (
        "concurrent streams through each transport's byte iterator",
        "wall_s",
        [
            ("wall", "wall_s", seconds),
            ("CPU/event", "cpu_us_per_unit", microseconds),
            ("peak RSS", "peak_rss_mib", mib),
        ],
    ),
    "achat-200": (
        "concurrent non-stream chat calls on one AsyncClient",
        "wall_s",
        [("wall", "wall_s", seconds), ("CPU/call", "cpu_us_per_unit", microseconds), ("peak RSS", "peak_rss_mib", mib)],
    ),
    "achat-1000": (
        "concurrent non-stream chat calls on one AsyncClient",
        "wall_s",
        [("wall", "wall_s", seconds), ("CPU/call", "cpu_us_per_unit", microseconds), ("peak RSS", "peak_rss_mib", mib)],
    ),
    "soak": (
        "sequential chat calls; RSS after a full collection",
        "growth_mib",
        [
            ("RSS after warm-up", "rss_after_warmup_mib", mib),
            ("RSS at end", "rss_end_mib", mib),
            ("growth", "growth_mib", lambda v: f"{v:+.2f} MiB"),
        ],
    ),
    "fresh": (
        "fresh process: import, build client, one chat call (median of the round's runs)",
        "wall_s",
        [
            ("wall", "wall_s", seconds),
            ("CPU", "cpu_s", seconds),
            ("peak RSS", "peak_rss_mib", mib),
            ("setup", "setup_s", seconds),
            ("first call", "first_call_s", seconds),
        ],
    ),
}


# Client CPU is the purer measure of overhead: wall time also holds the server's share and the kernel's.
_CPU_METRIC = {
    "chat": "cpu_us_per_call",
    "routed": "cpu_us_per_call",
    "embed": "cpu_us_per_call",
    "stream": "cpu_us_per_event",
    "stream-bytes": "cpu_us_per_event",
    "astream-1000": "cpu_us_per_unit",
    "astream-bytes-1000": "cpu_us_per_unit",
    "achat-200": "cpu_us_per_unit",
    "achat-1000": "cpu_us_per_unit",
    "fresh": "cpu_s",
}


def details(rec: Records) -> list[str]:
    lines: list[str] = []
    order = [
        "chat",
        "routed",
        "stream",
        "stream-bytes",
        "embed",
        "astream-1000",
        "astream-bytes-1000",
        "achat-200",
        "achat-1000",
        "soak",
        "fresh",
    ]
    for measure in order:
        clients = sorted({c for (m, c) in rec.index if m == measure}, key=_client_order)
        if not clients:
            continue
        what, primary, columns = _DETAILS[measure]
        baseline = "azgate" if measure == "routed" else "httpx"
        sample = rec.any(measure, clients[0]) or {}
        size = ", ".join(f"{k} {sample[k]:,}" for k in ("calls", "streams", "concurrency") if k in sample)
        lines += ["", f"**{measure}**: {what}{f' ({size})' if size else ''}", ""]
        cpu = _CPU_METRIC.get(measure)
        if measure == "soak":
            last = ["growth per round"]
        else:
            last = [f"{primary} / {baseline}'s, per round: median [min-max]"]
            if cpu:
                last.append(f"CPU / {baseline}'s CPU, per round")
        head = ["client", "rounds", *(c for c, _, _ in columns), *last]
        lines += [table_row(head), table_row(["---"] * len(head))]
        for client in clients:
            cells = [client, str(len(rec.rounds(measure, client)))]
            for _, metric, show in columns:
                value = rec.median(measure, client, metric)
                cells.append("—" if value is None else show(value))
            if measure == "soak":
                cells.append(", ".join(f"{v:+.2f}" for v in rec.values(measure, client, "growth_mib")) + " MiB")
            else:
                cells.append(spread(rec.ratios(measure, client, baseline, primary)))
                if cpu:
                    cells.append(spread(rec.ratios(measure, client, baseline, cpu)))
            lines.append(table_row(cells))
        if measure == "routed":
            spread_over = [r.get("calls_per_target") for r in rec.rounds("routed", "azgate-lb").values()]
            lines += ["", "Timed calls per target (server side), by round: " + "; ".join(map(str, spread_over))]
    codegen = rec.values("codegen", "codegen", "wall_s")
    if codegen:
        lines += ["", f"**codegen**: wall per round: {', '.join(seconds(v) for v in codegen)}"]
    return lines


def _client_order(client: str) -> int:
    order = [
        "httpx",
        "httpx2",
        "httpcore",
        "httpx-pydantic",
        "httpx-pydantic-no-ca",
        "httpx-pydantic-generated",
        "httpcore-pydantic-generated",
        "openai",
        "azgate",
        "azgate-httpx2",
        "azgate-lb",
    ]
    return order.index(client) if client in order else len(order)


# -- the page -----------------------------------------------------------------------------


def render(run: dict[str, Any], recommendation: str) -> str:
    """The results page of a run (as `bench.__main__.measure` returns it)."""
    rec = Records(run["records"])
    env = run["environment"]
    versions = env["versions"]
    measured = {record["measure"] for record in run["records"]} | ({"routed"} if run["routing"] else set())
    lines = ["# azgate benchmark results", ""]
    if run["quick"]:
        lines += ["> **Quick smoke run** (`--quick`): tiny sizes, one round. These figures are not a verdict.", ""]
    lines += [
        f"- **Command:** `{run['command']}`",
        f"- **Date:** {env['date']}; commit {env['commit']}",
        f"- **Machine:** {env['cpu']}, {env['cores']} cores ({run['cpus']}); {env['python']}; {env['os']}",
        f"- **Load average** (1 min) at start {env['load_start']:.2f}, at end {env['load_end']:.2f}"
        + (f". {run['note']}" if run["note"] else ""),
        "- **Versions:** " + ", ".join(f"{name} {version}" for name, version in versions.items()),
        f"- **Method:** {run['rounds']} paired round(s); each measurement a fresh process per client, in an order "
        "rotated every round; ratios are client / raw httpx within one round, then the median over rounds; "
        "figures in brackets are medians. Server: `bench/server.py` on loopback, fixed Azure-shaped bodies. "
        "See [bench/README.md](README.md).",
        "",
        "## Goals (issue #11)",
        "",
        "Time rows: lower is better (ratio > 1 is slower than raw httpx). Events/s: higher is better. The goals "
        "are judged on wall time, as issue #11 states them; the last column is the client's own CPU (user + sys) "
        "for the same work, which leaves out the server's and the kernel's share and is the steadier figure "
        "when other jobs share the machine.",
        "",
        *goal_table(rec, measured, run["routing"], versions),
        "",
    ]
    if run["routing"]:
        lines += [f"Routed row n/a: {run['routing']}", ""]
    floor = pydantic_floor(rec)
    if floor:
        lines += [
            "### What the model library alone costs",
            "",
            "The reference is raw httpx plus a typed pydantic model of each answer (Azure's filter fields "
            "included, unknown fields kept) and no SDK code (`bench/typed.py`, and its fresh-process program in "
            "`bench/coldstart.py`): what any client that returns pydantic models pays for a stream's events, and "
            "to start, import its models, build their validator and exit. Ratios are to raw httpx within a "
            "round, as above; the last column is azgate against the reference in the same rounds: its own share. "
            "Rows 6-7 take the reference with its CA bundle not loaded (verification on, no CA read "
            "yet), as azgate's client is until its first TLS handshake; the plain reference and the floor "
            "load certifi's bundle when the client is built. Rows 8-9 take that reference with, in place of "
            "its eight hand-written classes, the 31 classes azgate generates for the chat answer (its "
            "logprobs, tool calls, audio, On Your Data citations and every filter result), read from the "
            "installed package's files into the program: what returning the whole typed answer costs with no "
            "SDK runtime over httpx. Rows 10-11 send the same with raw httpcore, so nothing of httpx is "
            "imported, as azgate's own pool sends a call that succeeds (bench/TRANSPORT.md): the last "
            "column there is azgate's runtime alone, and rows 8-9 add what leaving httpx out saves.",
            "",
            *floor,
            "",
        ]
    errors = [r for r in run["records"] if r.get("errors")]
    if errors:
        lines += ["Calls that failed inside concurrent runs (the client's own error, as its user would see it):", ""]
        lines += [
            f"- {r['client']}, {r['measure']}, round {r['round'] + 1}: {r['errors']} of {r['concurrency']}: "
            f"`{r['first_error']}`"
            for r in errors
        ]
        lines.append("")
    if run["failures"]:
        lines += ["## Failures", "", *(f"- {f.splitlines()[0]}" for f in run["failures"]), ""]
    if rec.rounds("chat", "httpx2") or rec.rounds("stream-bytes", "httpx2"):
        lines += [
            "## Transport (issue #11, item 4): the floor itself",
            "",
            "The same workloads on raw httpx, raw httpx2 (the fork openai-python 3.x is built on) and raw "
            "httpcore (the connection pool under httpx). Streams here go through each transport's byte iterator "
            "and one minimal SSE splitter, so only the transport differs. Ratios are to httpx.",
            "",
            *transport_table(rec, versions),
            "",
        ]
        if recommendation:
            lines += [recommendation.strip(), ""]
    lines += [
        "## Details",
        "",
        "Every figure is a median over rounds; the last columns are the spread of the per-round ratios.",
        *details(rec),
        "",
    ]
    return "\n".join(lines)


def read_recommendation(path: Path) -> str:
    return path.read_text() if path.exists() else ""
