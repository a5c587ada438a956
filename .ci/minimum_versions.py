#!/usr/bin/env python3
"""The lowest versions setup.cfg allows still work: writes a constraints file that pins every dependency (the
install requirements, the simulator and push extras, and the test tools the subset needs) to the minimum setup.cfg
declares, installs the library with it into a fresh venv and runs a fast subset of the unit tests and one
acceptance suite there.

    .venv/bin/python .ci/minimum_versions.py                 # prints the constraints, the versions and the results
    .venv/bin/python .ci/minimum_versions.py --constraints    # only prints the constraints file

The constraints are made from setup.cfg at each run, so a raised minimum is tested the moment it is declared.
"""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]
# The extras the library's users install, and the dev tools the subset below runs with.
EXTRAS = ("simulator", "push")
TEST_TOOLS = ("pytest", "robotstatuschecker")
UNIT_TESTS = ("utest/test_catalogue.py", "utest/test_catalogue_versions.py", "utest/test_agent_keywords.py",
              "utest/test_call_keyword_requests.py", "utest/test_supervisor_keyword_requests.py",
              "utest/test_event_keywords.py", "utest/test_context_settings.py", "utest/test_arguments.py",
              "utest/test_packaging.py", "utest/test_readme_example.py",
              # typed returns, Literal arguments and translations depend on Robot Framework and PythonLibCore
              "utest/test_editor_support.py", "utest/test_translation.py")
ACCEPTANCE_SUITE = "Three Party Call"


def _requirements(text: str) -> list[Requirement]:
    return [Requirement(line) for line in (line.split("#")[0].strip() for line in text.splitlines()) if line]


def minimum_constraints(setup_cfg: Path = REPO / "setup.cfg") -> list[str]:
    """``name==minimum`` for every dependency; a dependency without a ``>=`` minimum is an error, since then
    nothing says which version the library is known to work with."""
    config = configparser.ConfigParser()
    config.read(setup_cfg, encoding="utf-8")
    extras = config["options.extras_require"]
    requirements = _requirements(config["options"]["install_requires"])
    for extra in EXTRAS:
        requirements += _requirements(extras[extra])
    requirements += [r for r in _requirements(extras["dev"]) if r.name in TEST_TOOLS]
    pins: dict[str, str] = {}
    for requirement in requirements:
        minimums = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if len(minimums) != 1:
            raise SystemExit(f"setup.cfg: {requirement} has no single '>=' minimum to test")
        pins[requirement.name.lower()] = f"{requirement.name}=={minimums[0]}"
    missing = set(TEST_TOOLS) - set(pins)
    if missing:
        raise SystemExit(f"setup.cfg: the dev extra declares no minimum of {sorted(missing)}")
    return sorted(pins.values(), key=str.lower)


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(command), flush=True)
    done = subprocess.run(command, cwd=REPO, env=env, check=False, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"minimum-versions run failed ({done.returncode}): {' '.join(command)}")


def main(argv: list[str]) -> int:
    constraints = minimum_constraints()
    if argv == ["--constraints"]:
        print("\n".join(constraints))
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ccgw-minimum-") as folder:
        work = Path(folder)
        constraints_file = work / "minimum-constraints.txt"
        constraints_file.write_text("\n".join(constraints) + "\n", encoding="utf-8")
        print("minimum versions:", ", ".join(constraints), flush=True)
        run([sys.executable, "-m", "venv", str(work / "venv")])
        python = str(work / "venv" / "bin" / "python")
        # Editable: the tests below import the checkout; the constraints hold every declared dependency down.
        install = [python, "-m", "pip", "install", "-q", "-c", str(constraints_file),
                   "-e", f"{REPO}[{','.join(EXTRAS)}]", *TEST_TOOLS]
        print("+", " ".join(install), flush=True)
        done = subprocess.run(install, cwd=REPO, capture_output=True, text=True, check=False, timeout=1800)
        # A minimum the index has withdrawn (yanked) is no version a user gets: the declared minimum is wrong.
        yanked = [line for line in done.stderr.splitlines() if "yanked version" in line]
        if done.returncode != 0 or yanked:
            raise SystemExit(f"minimum-versions install failed ({done.returncode}):\n"
                             + "\n".join(yanked or done.stderr.splitlines()[-30:]))
        run([python, "-m", "pip", "list", "--format=freeze", "--exclude-editable"])
        run([python, "-m", "pip", "check"])
        env = {key: value for key, value in os.environ.items() if key != "CCGW_SIM_ROSTER"}
        run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *UNIT_TESTS], env=env)
        run([python, "atest/run.py", "--suite", ACCEPTANCE_SUITE, "--outputdir", str(work / "results")], env=env)
    print(f"minimum-versions run passed ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
