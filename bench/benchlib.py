"""Small helpers shared by the benchmark scripts: percentiles, the load note and the result table."""

from __future__ import annotations

import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One line of a result table: our figure, the anchor's, and what they measure."""

    figure: str
    ours: float
    anchor: float
    unit: str
    paired_ratio: float | None = None  # e.g. the median of ratios taken round by round; else ours / anchor

    @property
    def ratio(self) -> float:
        if self.paired_ratio is not None:
            return self.paired_ratio
        return self.ours / self.anchor if self.anchor else float("nan")


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0 < p < 100), interpolated between the nearest ranks."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return float(values[0])
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def load_note() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def command_line() -> str:
    return " ".join(shlex.quote(part) for part in [sys.executable, *sys.argv])


def today() -> str:
    return time.strftime("%Y-%m-%d %H:%M %Z")


def _number(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "n/a"
    if unit == "bytes":
        return f"{value:,.0f} B"
    return f"{value:,.3f} {unit}" if value < 10 else f"{value:,.1f} {unit}"


def print_table(title: str, figures: Sequence[Figure]) -> None:
    """Prints a Markdown table: figure, ours, anchor, ratio (ours / anchor)."""
    rows = [("figure", "ours", "anchor", "ratio (ours/anchor)")]
    rows += [(f.figure, _number(f.ours, f.unit), _number(f.anchor, f.unit), f"{f.ratio:.3f}") for f in figures]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print(f"\n### {title}\n")
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(widths[i]) for i, cell in enumerate(row) if i]
        print("| " + " | ".join(cells) + " |")
        if index == 0:
            print("|" + "|".join("-" * (w + 1) + ("-" if i == 0 else ":") for i, w in enumerate(widths)) + "|")


def start_ccgw_sim(folder: Path, last_agent: int, password: str, *options: str) -> tuple[Any, dict[str, str]]:
    """A ``ccgw-sim`` process for agents 101 to ``last_agent`` with ``password``, and its ready file's contents
    (``url``, ``ca_file``), once its readiness endpoint answers. The password goes through an environment
    variable, as a roster file wants it."""
    from CCGatewayLibrary.errors import SimulatorError
    from CCGatewayLibrary.simulator.process import SimulatorProcess

    roster = folder / "roster.json"
    roster.write_text(json.dumps({"agents": [{"ids": f"101-{last_agent}", "password_env": "BENCH_SIM_PW"}]}),
                      encoding="utf-8")
    try:
        simulator = SimulatorProcess("--roster", str(roster), *options, folder=folder,
                                     env={"BENCH_SIM_PW": password})
    except SimulatorError as error:
        raise SystemExit(f"ccgw-sim did not start: {error}") from None
    return simulator.process, {"url": simulator.url, "ca_file": simulator.ca_file}


def stop_process(process: Any) -> None:
    """Stops a simulator process; a slow shutdown must not fail the measurement."""
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
