"""``ccgw-pabot``: pabot as this installation needs it, for suites that use the library in parallel.

A bare ``pabot`` starts ``robot`` from PATH, so pabot from a virtual environment that is not activated ends in a
traceback ("No such file or directory: 'robot'"), or silently runs another installation's Robot; and its
PabotLib server takes port 8270, which two runs on one machine then share. ``ccgw-pabot`` runs pabot with this
interpreter's Robot (``--command <python> -m robot --end-command``) and a free PabotLib port (``--pabotlibport 0``)
unless the arguments say otherwise, and says in words what is missing. Every other argument goes to pabot.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Sequence


def pabot_command(arguments: Sequence[str], python: str = sys.executable) -> list[str]:
    """The pabot command line for ``arguments``: this interpreter's Robot, a free PabotLib port."""
    given = set(arguments)
    command = [python, "-m", "pabot.pabot"]
    if "--command" not in given:
        command += ["--command", python, "-m", "robot", "--end-command"]
    if not given & {"--pabotlibport", "--pabotlibhost", "--no-pabotlib"}:
        command += ["--pabotlibport", "0"]
    return [*command, *arguments]


def missing_packages() -> list[str]:
    return [f"{name} (pip install {package})" for name, package in (("pabot", "robotframework-pabot"),
                                                                     ("robot", "robotframework"))
            if importlib.util.find_spec(name) is None]


def main(argv: Sequence[str] | None = None) -> int:
    missing = missing_packages()
    if missing:
        print(f"ccgw-pabot: {sys.executable} lacks {', '.join(missing)}; install them into the environment the "
              "library is installed in.", file=sys.stderr)
        return 252
    return subprocess.call(pabot_command(list(sys.argv[1:] if argv is None else argv)))


if __name__ == "__main__":
    sys.exit(main())
