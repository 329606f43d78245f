"""A run's records, indexed for the report, and how its figures are written."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

__all__ = [
    "Record",
    "Records",
    "mib",
    "microseconds",
    "per_second",
    "ratio_text",
    "seconds",
    "spread",
    "table_row",
]

Record = dict[str, Any]


class Records:
    """A run's records, indexed by measure, client and round (failed ones left out).
    Fresh-process runs are reduced to one figure per client and round: their median."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.index: dict[tuple[str, str], dict[int, Record]] = defaultdict(dict)
        fresh: dict[tuple[str, int], list[Record]] = defaultdict(list)
        for record in records:
            if "error" in record:
                continue
            if record["measure"] == "fresh":
                fresh[(record["client"], record["round"])].append(record)
            else:
                self.index[(record["measure"], record["client"])][record["round"]] = record
        for (client, r), runs in fresh.items():
            reduced = {key: statistics.median(run[key] for run in runs) for key in _FRESH_FIGURES}
            self.index[("fresh", client)][r] = {"runs": len(runs), **reduced}

    def rounds(self, measure: str, client: str) -> dict[int, Record]:
        return self.index.get((measure, client), {})

    def values(self, measure: str, client: str, metric: str) -> list[float]:
        return [rec[metric] for rec in self.rounds(measure, client).values() if rec.get(metric) is not None]

    def median(self, measure: str, client: str, metric: str) -> float | None:
        values = self.values(measure, client, metric)
        return statistics.median(values) if values else None

    def ratios(self, measure: str, client: str, baseline: str, metric: str) -> list[float]:
        """client / baseline, one per round in which both were measured."""
        ours, theirs = self.rounds(measure, client), self.rounds(measure, baseline)
        return [
            ours[r][metric] / theirs[r][metric]
            for r in sorted(ours.keys() & theirs.keys())
            if ours[r].get(metric) and theirs[r].get(metric)
        ]

    def ratio(self, measure: str, client: str, baseline: str, metric: str) -> float | None:
        ratios = self.ratios(measure, client, baseline, metric)
        return statistics.median(ratios) if ratios else None

    def any(self, measure: str, client: str) -> Record | None:
        rounds = self.rounds(measure, client)
        return next(iter(rounds.values()), None)


_FRESH_FIGURES = ("wall_s", "cpu_s", "peak_rss_mib", "setup_s", "first_call_s")


# -- formatting ---------------------------------------------------------------------------


def seconds(value: float) -> str:
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.3g} ms"
    return f"{value * 1e6:.3g} us"


def microseconds(value: float) -> str:
    return seconds(value / 1e6)


def per_second(value: float) -> str:
    return f"{value / 1e3:.1f}k/s"


def mib(value: float) -> str:
    return f"{value:.1f} MiB"


def ratio_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}x"


def spread(ratios: list[float]) -> str:
    if not ratios:
        return "—"
    if len(ratios) == 1:
        return f"{ratios[0]:.2f}"
    return f"{statistics.median(ratios):.2f} [{min(ratios):.2f}-{max(ratios):.2f}]"


def table_row(cells: list[str]) -> str:
    """One line of a Markdown table."""
    return "| " + " | ".join(cells) + " |"
