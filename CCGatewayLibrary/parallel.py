"""``ccgw-pabot``: pabot as this installation needs it, for suites that use the library in parallel.

A bare ``pabot`` starts ``robot`` from PATH, so pabot from a virtual environment that is not activated ends in a
traceback ("No such file or directory: 'robot'"), or silently runs another installation's Robot; and its
PabotLib server takes port 8270, which two runs on one machine then share. ``ccgw-pabot`` runs pabot with this
interpreter's Robot (``--command <python> -m robot --end-command``) and a free PabotLib port (``--pabotlibport 0``)
unless the arguments say otherwise, and says in words what is missing. The merged top suite's metadata summarises
the facts of every process's suites (pabot keeps one process's). Every other argument goes to pabot. When
pabot is done, the processes' events.jsonl files are merged into one next to the merged output.xml.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .reporting.metadata import TopSuiteFacts

TOP_SUITE_FACTS = f"{TopSuiteFacts.__module__}.{TopSuiteFacts.__name__}"


def pabot_command(arguments: Sequence[str], python: str = sys.executable) -> list[str]:
    """The pabot command line for ``arguments``: this interpreter's Robot, a free PabotLib port."""
    given = set(arguments)
    command = [python, "-m", "pabot.pabot"]
    if "--command" not in given:
        command += ["--command", python, "-m", "robot", "--end-command"]
    if not given & {"--pabotlibport", "--pabotlibhost", "--no-pabotlib"}:
        command += ["--pabotlibport", "0"]
    # pabot hands Robot's rebot options to its merge: the merged top suite then summarises every process's facts.
    command += ["--prerebotmodifier", TOP_SUITE_FACTS]
    return [*command, *arguments]


def output_folder(arguments: Sequence[str]) -> Path:
    """The folder pabot writes its merged output to: ``--outputdir``/``-d`` as given, else the current one."""
    for index, argument in enumerate(arguments):
        if argument in ("--outputdir", "-d") and index + 1 < len(arguments):
            return Path(arguments[index + 1])
        if argument.startswith("--outputdir="):
            return Path(argument.partition("=")[2])
    return Path(".")


def merge_event_files(results: Path) -> Path | None:
    """pabot's processes each write events.jsonl in their own folder (pabot_results/<n>/): one file for the run goes
    next to the merged output.xml, in the order the events were received. None when no process wrote one."""
    parts = sorted(results.glob("pabot_results/*/events.jsonl"))
    if not parts:
        return None
    lines = [line for part in parts for line in part.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines.sort(key=lambda line: json.loads(line).get("received", ""))
    merged = results / "events.jsonl"
    merged.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return merged


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
    arguments = list(sys.argv[1:] if argv is None else argv)
    status = subprocess.call(pabot_command(arguments))
    merge_event_files(output_folder(arguments))
    summarise_top_suite(output_folder(arguments) / "output.xml")
    return status


def summarise_top_suite(output: Path) -> None:
    """pabot writes its merged output.xml itself (the modifier reaches only log and report): its top suite gets the
    facts of every process's suites there too."""
    if not output.is_file():
        return
    from robot.api import ExecutionResult

    result = ExecutionResult(str(output))
    TopSuiteFacts().visit_suite(result.suite)
    result.save()


if __name__ == "__main__":
    sys.exit(main())
