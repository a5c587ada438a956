"""report.html's metadata: each suite shows the gateway it chose, the top suite a value only while they agree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from robot.api import ExecutionResult
from robot.result import TestSuite as ResultSuite

from CCGatewayLibrary.reporting.metadata import RUN_FACTS, SUMMARY_CHARS, summarise, top_facts
from CCGatewayLibrary.version import VERSION

SUITE = """\
*** Settings ***
Library           CCGatewayLibrary
Suite Setup       Use Gateway    {url}

*** Variables ***
${{CCGW_EVENT_MODE}}    {mode}

*** Test Cases ***
Nothing To Do
    No Operation
"""
POLLED = "polling"
PUSHED = "push (to the library's HTTPS endpoint)"


def _suite(folder: Path, name: str, url: str, mode: str) -> None:
    (folder / f"{name}.robot").write_text(SUITE.format(url=url, mode=mode), encoding="utf-8")


def _metadata(folder: Path, *extra: str) -> dict[str, dict[str, str]]:
    """Runs the suites in ``folder``; each suite's metadata by suite name."""
    run = subprocess.run([sys.executable, "-m", "robot", "--outputdir", str(folder / "out"), "--console", "none",
                          *extra, str(folder / "suites")], capture_output=True, text=True, check=False, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return _by_name(ExecutionResult(str(folder / "out" / "output.xml")).suite)


def _by_name(suite: ResultSuite) -> dict[str, dict[str, str]]:
    found = {suite.name: dict(suite.metadata)}
    for child in suite.suites:
        found |= _by_name(child)
    return found


@pytest.fixture
def suites(tmp_path: Path) -> Path:
    folder = tmp_path / "suites"
    folder.mkdir()
    _suite(folder, "first", "https://gw-a.example:8043", "poll")
    _suite(folder, "second", "https://gw-a.example:8043", "poll")
    _suite(folder, "third", "https://gw-b.example:8043", "push")
    return tmp_path


def test_each_suite_shows_what_it_chose_and_the_top_suite_how_they_differ(suites: Path) -> None:
    metadata = _metadata(suites)
    assert metadata["First"]["Event mode"] == metadata["Second"]["Event mode"] == POLLED
    assert metadata["Third"]["Event mode"] == PUSHED
    assert set(metadata["Third"]) == set(RUN_FACTS)
    assert metadata["Third"]["Gateway"] == "https://gw-b.example:8043 (real gateway or ccgw-sim)"
    top = metadata["Suites"]
    assert top["Event mode"] == f"{POLLED} (2 suites), {PUSHED} (1 suite)"
    assert top["Gateway"] == ("https://gw-a.example:8043 (real gateway or ccgw-sim) (2 suites), "
                              "https://gw-b.example:8043 (real gateway or ccgw-sim) (1 suite)")
    # What every suite agrees on stays as it is.
    assert top["Auth mode"] == "as the gateway is configured"
    assert top["Gateway version"] == "current" and top["CCGatewayLibrary"] == VERSION


def test_the_top_suite_keeps_a_value_every_suite_agrees_on(suites: Path) -> None:
    metadata = _metadata(suites, "--suite", "First", "--suite", "Second")
    assert metadata["First"]["Gateway"] == metadata["Second"]["Gateway"]
    assert metadata["Suites"]["Event mode"] == POLLED
    assert metadata["Suites"]["Gateway"] == "https://gw-a.example:8043 (real gateway or ccgw-sim)"


def test_a_single_suite_run_shows_its_own_choice(suites: Path) -> None:
    (suites / "suites" / "first.robot").unlink()
    (suites / "suites" / "second.robot").unlink()
    (suites / "suites" / "third.robot").rename(suites / "only.robot")
    run = subprocess.run([sys.executable, "-m", "robot", "--outputdir", str(suites / "out"), "--console", "none",
                          str(suites / "only.robot")], capture_output=True, text=True, check=False, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]
    metadata = dict(ExecutionResult(str(suites / "out" / "output.xml")).suite.metadata)
    assert metadata["Event mode"] == PUSHED and metadata["Gateway version"] == "current"


def test_the_summary_lists_few_values_with_their_counts_and_points_at_the_suites_for_many() -> None:
    assert summarise(["polling", "polling", "push"]) == "polling (2 suites), push (1 suite)"
    assert summarise(["push", "polling", "polling"]) == "polling (2 suites), push (1 suite)"
    assert summarise(["same", "same"]) == "same"
    assert summarise([f"https://gw{i}:8043" for i in range(4)]) == "differs per suite (4 values): see each suite"
    long = ["x" * SUMMARY_CHARS, "y"]
    assert summarise(long) == "differs per suite (2 values): see each suite"


def test_a_merged_output_gets_its_top_suite_summarised_again(suites: Path) -> None:
    """pabot's merge leaves the top suite with the metadata of its last process; atest/run.py summarises again."""
    _metadata(suites)
    result = ExecutionResult(str(suites / "out" / "output.xml"))
    result.suite.metadata["Event mode"] = POLLED  # as a merge of processes would leave it
    assert top_facts(result.suite)["Event mode"] == f"{POLLED} (2 suites), {PUSHED} (1 suite)"


def test_suites_with_a_simulator_each_are_counted_by_kind_not_listed_by_port() -> None:
    from CCGatewayLibrary.reporting.metadata import summarise_gateways

    values = [f"https://127.0.0.1:{40000 + n} (embedded simulator)" for n in range(16)] + \
        ["https://127.0.0.1:39999 (ccgw-sim process)"]
    assert summarise_gateways(values) == ("embedded simulator, one per suite (16 suites), ccgw-sim process, one per "
                                          "suite (1 suite)")
    assert summarise_gateways(values[:2]) == summarise(values[:2])  # few: listed as they are
