"""Suite wall time: the acceptance suites under plain robot and under pabot with 2 processes, side by side.

Runs ``atest/run.py`` (each suite starts its own simulator) alternately without and with ``--processes 2``
and prints the wall time of each, the median of each, and pabot's speed-up.

    .venv/bin/python bench/suite_wall_time.py              # 1 round, under 2 minutes
    .venv/bin/python bench/suite_wall_time.py --rounds 3   # steadier figures
    .venv/bin/python bench/suite_wall_time.py --rounds 1 --suite "Sign In" --suite Queries   # a smoke run
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import command_line, load_note, median, today

REPO = Path(__file__).resolve().parents[1]


def run(processes: int, folder: Path, suites: list[str]) -> float:
    started = time.monotonic()
    chosen = [argument for name in suites for argument in ("--suite", name)]
    result = subprocess.run([sys.executable, str(REPO / "atest" / "run.py"), "--processes", str(processes),
                             "--outputdir", str(folder / f"p{processes}"), *chosen], capture_output=True, text=True,
                            check=False, cwd=REPO)
    if result.returncode != 0:
        raise SystemExit(f"the acceptance run with {processes} process(es) failed:\n{result.stdout[-2000:]}")
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=1,
                        help="rounds of both runs (default 1, under 2 minutes; 3 for steadier figures)")
    parser.add_argument("--suite", action="append", default=[], metavar="NAME",
                        help="only this suite (robot --suite; repeatable); default: the full acceptance run")
    args = parser.parse_args()
    print(f"# suite wall time, {today()}; {load_note()}\n# {command_line()}\n")
    plain: list[float] = []
    parallel: list[float] = []
    with tempfile.TemporaryDirectory(prefix="ccgw-wall-") as tmp:
        for round_ in range(1, args.rounds + 1):
            plain.append(run(1, Path(tmp), args.suite))
            parallel.append(run(2, Path(tmp), args.suite))
            print(f"round {round_}: robot {plain[-1]:6.1f} s   pabot --processes 2 {parallel[-1]:6.1f} s")
    print(f"\n{'figure':<40} {'ours':>8} {'anchor':>8} {'ratio':>7}")
    print(f"{'wall time s, pabot 2 vs plain robot':<40} {median(parallel):8.1f} {median(plain):8.1f} "
          f"{median(parallel) / median(plain):7.2f}")
    print(f"speed-up of pabot: {median(plain) / median(parallel):.2f}x (target 1.6x on 2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
