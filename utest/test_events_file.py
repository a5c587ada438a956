"""events.jsonl keeps every suite of a run, whatever arguments each suite imports the library with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from CCGatewayLibrary.simulator.roster import Roster

SUITE = """*** Settings ***
Library           CCGatewayLibrary    {arguments}
Suite Setup       Start Gateway Simulator
Suite Teardown    Stop Gateway Simulator
Test Teardown     Sign Out All Agents

*** Variables ***
${{PASSWORD: Secret}}    %{{CCGW_AGENT_PASSWORD}}

*** Test Cases ***
{name}
    Sign In Agent    101    ${{PASSWORD}}    70001
    Wait For Event    AgentState_Ready
"""


def _run_suites(tmp_path: Path, suites: dict[str, tuple[str, str]]) -> Path:
    """Runs one suite file per ``name: (import arguments, test name)`` in one robot run; returns the output folder."""
    folder = tmp_path / "suites"
    folder.mkdir()
    for name, (arguments, test) in suites.items():
        (folder / f"{name}.robot").write_text(SUITE.format(arguments=arguments, name=test), encoding="utf-8")
    env = dict(os.environ, CCGW_AGENT_PASSWORD=Roster.load().password_of("101"))
    run = subprocess.run([sys.executable, "-m", "robot", "--outputdir", str(tmp_path / "out"), "--console", "none",
                          str(folder)], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return tmp_path / "out"


def test_a_suite_importing_the_library_with_other_arguments_keeps_the_earlier_suites_events(tmp_path: Path) -> None:
    out = _run_suites(tmp_path, {"a_first": ("", "First Suite Test"),
                                 "b_second": ("diagram=False", "Second Suite Test")})
    lines = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    tests = {line["test"] for line in lines}
    assert tests == {"Suites.A First.First Suite Test", "Suites.B Second.Second Suite Test"}, tests


def test_each_test_is_tagged_with_the_interfaces_its_keywords_called(tmp_path: Path) -> None:
    from robot.api import ExecutionResult

    out = _run_suites(tmp_path, {"tagged": ("", "Tagged Test"), "untagged": ("interface_tags=False", "Untagged Test")})
    result = ExecutionResult(str(out / "output.xml"))
    tags = {test.name: sorted(test.tags) for test in result.suite.all_tests}
    # The teardown's forceLogout counts: it is part of the test.
    assert tags == {"Tagged Test": ["api:forceLogout", "api:login"], "Untagged Test": []}, tags
    statistics = {stat.name: stat.total for stat in result.statistics.tags}
    assert statistics.get("api:login") == 1


def test_the_process_that_starts_the_shared_file_keeps_lines_written_as_soon_as_it_let_go(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under pabot another process holds the lock a while, then may append the moment it is released: the process
    waits for the lock, and that line stays."""
    from robot.libraries import Remote

    from CCGatewayLibrary import eventsfile

    own = tmp_path / eventsfile.PABOT_RESULTS / "0"
    own.mkdir(parents=True)
    shared = tmp_path / eventsfile.EVENTS_FILE
    shared.write_text('{"test": "from an earlier run"}\n', encoding="utf-8")
    values: dict[str, str] = {}
    refusals = [True, True]  # the other process holds the lock for the first two asks

    class PabotLib:
        """Stands in for PabotLib's remote server; the other process writes right after the lock is let go."""

        def __init__(self, uri: str, timeout: int) -> None:
            del uri, timeout

        def run_keyword(self, name: str, arguments: list[str], kwargs: dict[str, str]) -> object:
            del kwargs
            if name == "acquire_lock":
                return not (refusals and refusals.pop())
            if name == "get_parallel_value_for_key":
                return values.get(arguments[0], "")
            if name == "set_parallel_value_for_key":
                values[arguments[0]] = arguments[1]
            if name == "release_lock":
                assert not refusals, "released a lock it was refused"
                with shared.open("a", encoding="utf-8") as stream:
                    stream.write('{"test": "other process"}\n')
            return None

    monkeypatch.setattr(Remote, "Remote", PabotLib)
    monkeypatch.setattr(eventsfile, "_started", set())
    variables = {"${PABOTLIBURI}": "127.0.0.1:8270", "${CALLER_ID}": "caller"}
    path = eventsfile.append(['{"test": "this process"}'], str(own), variables.__getitem__)
    assert path == shared
    tests = [json.loads(line)["test"] for line in shared.read_text(encoding="utf-8").splitlines()]
    assert sorted(tests) == ["other process", "this process"], tests
