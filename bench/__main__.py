"""`python -m bench`: run the harness, print the results, write them to bench/RESULTS.md.

    python -m bench                 full run (5 rounds; about 15 minutes on 2 cores)
    python -m bench --quick         one round of tiny sizes: checks that everything works
    python -m bench --only chat,fresh --rounds 3
    python -m bench --json run.json; python -m bench --render run.json   (re-render, measure nothing)

Exit status 1 when a measurement failed (a crash or a wrong answer), never for a missed goal.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from bench import environment, report
from bench.harness import PLAN, ROOT, Harness, Settings

MEASURES = sorted({m.name for m in PLAN} | {"fresh", "codegen"})


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="one round of tiny sizes (a smoke run)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--fresh-runs", type=int, default=5, help="fresh processes per client per round")
    parser.add_argument("--only", default="", help=f"comma-separated measures, of: {', '.join(MEASURES)}")
    parser.add_argument("--no-pin", action="store_true", help="do not pin clients and server to separate CPUs")
    parser.add_argument("--output", type=Path, help="the Markdown file (default: bench/RESULTS.md; none with --quick)")
    parser.add_argument("--json", type=Path, help="also write every record of the run here")
    parser.add_argument("--render", type=Path, metavar="JSON", help="measure nothing: render a run saved by --json")
    parser.add_argument("--command", help="the command to name in the results (nox passes its own)")
    parser.add_argument("--note", default="", help="a sentence for the results, e.g. about the machine's load")
    args = parser.parse_args()

    if args.render is not None:
        run = json.loads(args.render.read_text())
    else:
        only = frozenset(filter(None, args.only.split(",")))
        if unknown := only - set(MEASURES):
            parser.error(f"unknown measure(s) {', '.join(sorted(unknown))}; choose from {', '.join(MEASURES)}")
        settings = Settings(
            rounds=args.rounds, quick=args.quick, fresh_runs=args.fresh_runs, pin=not args.no_pin, only=only
        )
        run = measure(settings, args.command or shlex.join(["python", "-m", "bench", *sys.argv[1:]]), args.note)
        if args.json is not None:
            args.json.write_text(json.dumps(run, indent=1))

    markdown = report.render(run, report.read_recommendation(ROOT / "bench" / "TRANSPORT.md"))
    print(markdown)
    output = args.output or (None if run["quick"] else ROOT / "bench" / "RESULTS.md")
    if output is not None:
        output.write_text(markdown)
        log(f"wrote {output}")
    for failure in run["failures"]:
        log(f"FAILED: {failure}")
    return 1 if run["failures"] else 0


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def measure(settings: Settings, command: str, note: str) -> dict[str, Any]:
    """Run the harness; everything the results page needs, as plain data (what --json saves)."""
    env = environment.describe(ROOT)
    env["load_start"] = environment.load_average()
    outcome = Harness(settings, log).run()
    env["load_end"] = environment.load_average()
    return {
        "environment": env,
        "quick": settings.quick,
        "rounds": 1 if settings.quick else settings.rounds,
        "command": command,
        "note": note,
        "cpus": outcome.cpus,
        "routing": outcome.routing,
        "failures": outcome.failures,
        "records": outcome.records,
    }


if __name__ == "__main__":
    sys.exit(main())
