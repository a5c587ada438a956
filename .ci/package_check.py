#!/usr/bin/env python3
"""The package as a user installs it: builds the sdist and, from it, the wheel (``python -m build``), runs
``twine check`` on both, installs the wheel with ``[simulator]`` into a fresh venv outside the checkout, imports the
library there, runs libdoc on it (in English and in Chinese) and runs the README's example suite against the
embedded simulator.

    .venv/bin/python .ci/package_check.py            # from the checkout; prints what it runs and the time taken
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from CCGatewayLibrary.simulator.roster import Roster  # noqa: E402
from CCGatewayLibrary.version import VERSION  # noqa: E402

# What the fresh venv runs: the import, the version it reports and the distribution's metadata agree, and the
# package tells type checkers it is typed.
IMPORT_CHECK = (
    "import importlib.metadata as m, CCGatewayLibrary as c; "
    "assert c.__version__ == m.version('robotframework-ccgatewaylibrary') == {version!r}, c.__version__; "
    "assert not c.__file__.startswith({repo!r}), c.__file__; "
    "import pathlib; assert (pathlib.Path(c.__file__).parent / 'py.typed').is_file(), 'py.typed missing'; "
    "print('imported', c.__version__, 'from', c.__file__)"
)


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    print("+", " ".join(command), flush=True)
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900)
    if done.returncode != 0:
        sys.exit(f"package check failed ({done.returncode}): {' '.join(command)}\n"
                 f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def readme_example() -> str:
    found = re.search(r"```robotframework\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    if not found:
        sys.exit("package check failed: README.md has no robotframework example")
    return found.group(1)


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ccgw-package-") as folder:
        work = Path(folder)
        dist = work / "dist"
        run([sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)], cwd=work)
        wheels = sorted(dist.glob("*.whl"))
        sdists = sorted(dist.glob("*.tar.gz"))
        if [w.name for w in wheels] != [f"robotframework_ccgatewaylibrary-{VERSION}-py3-none-any.whl"] or \
                len(sdists) != 1:
            sys.exit(f"package check failed: expected one wheel and one sdist of {VERSION}, got "
                     f"{[p.name for p in dist.iterdir()]}")
        run([sys.executable, "-m", "twine", "check", "--strict", *map(str, wheels + sdists)], cwd=work)
        venv = work / "venv"
        run([sys.executable, "-m", "venv", str(venv)], cwd=work)
        python = str(venv / "bin" / "python")
        run([python, "-m", "pip", "install", "-q", f"{wheels[0]}[simulator]"], cwd=work)
        # cwd and environment keep the checkout off the import path: what runs is the installed wheel.
        env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "CCGW_SIM_ROSTER")}
        print(run([python, "-c", IMPORT_CHECK.format(version=VERSION, repo=str(REPO))], cwd=work, env=env).strip())
        run([python, "-m", "robot.libdoc", "CCGatewayLibrary", str(work / "CCGatewayLibrary.html")], cwd=work, env=env)
        # The Chinese keyword names and docs come from a data file of the package: the wheel must carry it.
        chinese = work / "CCGatewayLibrary.zh_CN.libspec"
        run([python, "-m", "robot.libdoc", "CCGatewayLibrary::language=zh-CN", str(chinese)], cwd=work, env=env)
        if "座席签入" not in chinese.read_text(encoding="utf-8"):
            sys.exit("package check failed: libdoc of the installed library with language=zh-CN has no Chinese names")
        suite = work / "three_party.robot"
        suite.write_text(readme_example(), encoding="utf-8")
        env["CCGW_AGENT_PASSWORD"] = Roster.load().password_of("101")
        out = run([python, "-m", "robot", "--outputdir", str(work / "results"), "--console", "dotted", str(suite)],
                  cwd=work, env=env)
        if "1 test, 1 passed, 0 failed" not in out:
            sys.exit(f"package check failed: the README example did not pass from the wheel\n{out[-3000:]}")
    print(f"package check passed: wheel and sdist of {VERSION}, twine check, fresh venv, libdoc, README example "
          f"({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
