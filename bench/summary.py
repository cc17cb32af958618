"""One table of every DESIGN.md §5 figure, gathered from the benchmarks of one run.

Each benchmark calls `record()` for its figures; when the environment names a file in
BENCH_SUMMARY (bench/run.sh does), the figure is appended to it as a JSON line. At the end,

    .venv/bin/python -m bench.summary FILE

prints them as one Markdown table: what, engine, p50, p95 (or the single value), the target and
whether it is met. Nothing is asserted: the figures are printed for people to read.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def record(
    what: str,
    *,
    engine: str,
    value: str,
    target: str,
    met: bool | None,
    p50: str = "",
    note: str = "",
) -> None:
    """Append one figure to $BENCH_SUMMARY (nothing when it is unset)."""
    path = os.environ.get("BENCH_SUMMARY")
    if not path:
        return
    line = {
        "what": what,
        "engine": engine,
        "p50": p50,
        "value": value,
        "target": target,
        "met": met,
        "note": note,
    }
    with Path(path).open("a", encoding="utf-8") as file:
        file.write(json.dumps(line, ensure_ascii=False) + "\n")


def table(lines: list[dict]) -> str:
    rows = [
        "| what | engine | p50 | p95 / value | target | met | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for line in lines:
        met = {True: "yes", False: "**no**", None: "—"}[line["met"]]
        rows.append(
            f"| {line['what']} | {line['engine']} | {line['p50'] or '—'} | {line['value']} | "
            f"{line['target']} | {met} | {line['note']} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m bench.summary FILE", file=sys.stderr)
        return 2
    lines = [json.loads(line) for line in Path(args[0]).read_text().splitlines() if line.strip()]
    print(table(lines))
    missed = [line for line in lines if line["met"] is False]
    print(f"\n{len(lines)} figures, {len(missed)} targets missed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
