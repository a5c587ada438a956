"""The acceptance suites exercise every voice-call, supervisor, queue, agent-group, call-data, recording, conference
and text-session keyword and every refusal the simulator can give for those chapters.

Reads the acceptance run that test_secrets_in_outputs.py scans (the session fixture ``trace_run``). The refusals
the simulator can give are read from its code: the retcodes each interface's operation raises itself.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
from pathlib import Path
from types import ModuleType

import pytest
from robot.api import ExecutionResult, ResultVisitor
from robot.result import Keyword, Message

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.catalogue import HERE as CATALOGUE_DIR
from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.simulator import calldata, groups
from CCGatewayLibrary.simulator.operations import OPERATIONS
from CCGatewayLibrary.version import VERSION

CATALOGUE = load_catalogue()
VOICE = {name for name, interface in CATALOGUE.interfaces.items() if interface.chapter == "voicecall"}
INSPECTION = {name for name, interface in CATALOGUE.interfaces.items() if interface.chapter == "qualitycontrol"}
# The queue chapters' entries, five of them (waiting calls, IVR calls, agents' statistics) under the calldata segment.
QUEUES = {name for file in ("queuedevice.json", "querymonitor.json")
          for name in json.loads((CATALOGUE_DIR / "chapters" / file).read_text(encoding="utf-8"))["interfaces"]}
QUERIES = {chapter: {name for name, interface in CATALOGUE.interfaces.items() if interface.chapter == chapter}
           for chapter in ("agentgroup", "calldata")}
RECORDING = {name for name, interface in CATALOGUE.interfaces.items() if interface.chapter in ("recordplay",
                                                                                               "recordfile")}
RETCODE = re.compile(r"[0-9]{3}-[0-9]{3}")
CONFERENCE = {name for name, interface in CATALOGUE.interfaces.items() if interface.chapter == "agentconf"}
TEXT = {name for name, interface in CATALOGUE.interfaces.items() if interface.chapter in ("mediacall", "textchat")}
REQUEST_LINE = re.compile(r"^(\w+) [A-Z]+ /\S+ \u2192 HTTP 200, retcode ([0-9-]+) ")


def _method(name: str) -> str:
    """A keyword's name as its method's (``Get Call IDs``, ``get_call_ids``): one form for both sides."""
    return name.lower().replace(" ", "_")


def _keywords_calling(library: CCGatewayLibrary, interfaces: set[str]) -> set[str]:
    """The library's keywords tagged with any of ``interfaces``, by their method's name."""
    return {_method(name) for name in library.get_keyword_names() if set(library.get_keyword_tags(name)) & interfaces}


class Seen(ResultVisitor):
    def __init__(self) -> None:
        self.keywords: set[str] = set()
        self.answers: set[tuple[str, str]] = set()

    def start_keyword(self, keyword: Keyword) -> None:
        if keyword.owner == "CCGatewayLibrary":
            self.keywords.add(_method(keyword.name))

    def visit_message(self, message: Message) -> None:
        match = REQUEST_LINE.match(message.message)
        if match:
            self.answers.add((match.group(1), match.group(2)))


def _seen(results: Path) -> Seen:
    seen = Seen()
    ExecutionResult(str(results / "output.xml")).visit(seen)
    return seen


def refusals_the_simulator_gives() -> set[tuple[str, str]]:
    return {(name, code) for name in VOICE if name in OPERATIONS
            for code in re.findall(r'Refused\("([0-9-]+)"', inspect.getsource(OPERATIONS[name]))}


def test_every_voice_call_keyword_runs_in_the_acceptance_suites(trace_run: tuple[Path, str]) -> None:
    library = CCGatewayLibrary()
    # Deprecated names only forward to their successors (utest/test_call_keyword_requests.py pins that).
    chapter = {_method(name) for name in library.get_keyword_names() if set(library.get_keyword_tags(name)) & VOICE
               and "deprecated" not in library.get_keyword_tags(name)}
    assert len(chapter) >= 20
    assert sorted(chapter - _seen(trace_run[0]).keywords) == []


def test_every_refusal_the_simulator_gives_for_the_chapter_is_seen(trace_run: tuple[Path, str]) -> None:
    expected = refusals_the_simulator_gives()
    assert len(expected) >= 25  # the scan of the simulator's code found them
    assert sorted(expected - _seen(trace_run[0]).answers) == []


def refusals_of_the_inspection_chapter() -> set[str]:
    """The retcodes the inspection chapter refuses with: codes written out, and the module's named constants."""
    from CCGatewayLibrary.simulator import inspection

    found = re.findall(r'Refused\((\w+|"[0-9-]+")', inspect.getsource(inspection))
    return {name.strip('"') if name.startswith('"') else getattr(inspection, name) for name in found}


def test_every_supervisor_keyword_runs_in_the_acceptance_suites(trace_run: tuple[Path, str]) -> None:
    library = CCGatewayLibrary()
    chapter = _keywords_calling(library, INSPECTION)
    assert len(chapter) >= 15
    assert sorted(chapter - _seen(trace_run[0]).keywords) == []


def test_every_refusal_of_the_inspection_chapter_is_seen_and_each_interface_refuses(
        trace_run: tuple[Path, str]) -> None:
    answers = {(name, code) for name, code in _seen(trace_run[0]).answers if name in INSPECTION}
    expected = refusals_of_the_inspection_chapter()
    assert len(expected) >= 6  # the scan of the chapter's code found them
    assert sorted(expected - {code for _, code in answers}) == []
    documented = {name for name in INSPECTION if not CATALOGUE.interface(name).listed}
    refused = {name for name, code in answers if code != "0"}
    assert sorted(documented - refused) == []


def refusals_of_the_queue_chapters() -> set[str]:
    """The retcodes the queue chapter refuses with: its named constants, and the world's refusal of an agent who is
    not signed in where the chapter asks the world for one."""
    from CCGatewayLibrary.simulator import queues

    source = inspect.getsource(queues)
    found = {getattr(queues, name) for name in re.findall(r"Refused\((\w+)", source)}
    return found | ({"100-006"} if "self.world.signed_in(" in source else set())


def test_every_queue_keyword_runs_in_the_acceptance_suites(trace_run: tuple[Path, str]) -> None:
    library = CCGatewayLibrary()
    chapter = _keywords_calling(library, QUEUES)
    assert len(chapter) >= 15
    assert sorted(chapter - _seen(trace_run[0]).keywords) == []


def test_every_refusal_of_the_queue_chapters_is_seen_and_each_documented_interface_refuses(
        trace_run: tuple[Path, str]) -> None:
    answers = {(name, code) for name, code in _seen(trace_run[0]).answers if name in QUEUES}
    expected = refusals_of_the_queue_chapters()
    assert expected == {"000-002", "100-006"}  # the scan of the chapter's code found them
    assert sorted(expected - {code for _, code in answers}) == []
    documented = {name for name in QUEUES if not CATALOGUE.interface(name).listed}
    assert len(documented) == 8


def refusals_in(module: ModuleType) -> set[str]:
    """The retcodes a simulator chapter module refuses with: codes written out, and the module's named constants."""
    found = re.findall(r'Refused\((\w+|"[0-9-]+")', inspect.getsource(module))
    return {name.strip('"') if name.startswith('"') else getattr(module, name) for name in found}


@pytest.mark.parametrize(("chapter", "least"), [(CONFERENCE, 14), (TEXT, 8)], ids=["conference", "text"])
def test_every_conference_and_text_keyword_runs_in_the_acceptance_suites(
        trace_run: tuple[Path, str], chapter: set[str], least: int) -> None:
    library = CCGatewayLibrary()
    keywords = _keywords_calling(library, chapter)
    assert len(keywords) >= least
    assert sorted(keywords - _seen(trace_run[0]).keywords) == []


def test_the_customer_message_keywords_run_in_the_acceptance_suites(trace_run: tuple[Path, str]) -> None:
    assert {"simulate_customer_message", "get_simulated_text_session", "get_text_messages"} <= \
        _seen(trace_run[0]).keywords


@pytest.mark.parametrize(("chapter", "module_name"), [(CONFERENCE, "conference"), (TEXT, "text")],
                         ids=["conference", "text"])
def test_every_refusal_of_the_conference_and_text_chapters_is_seen_and_each_interface_refuses(
        trace_run: tuple[Path, str], chapter: set[str], module_name: str) -> None:
    module = importlib.import_module(f"CCGatewayLibrary.simulator.{module_name}")
    answers = {(name, code) for name, code in _seen(trace_run[0]).answers if name in chapter}
    expected = refusals_in(module)
    assert len(expected) >= 5  # the scan of the chapter's code found them
    assert sorted(expected - {code for _, code in answers}) == []
    documented = {name for name in chapter if not CATALOGUE.interface(name).listed}
    refused = {name for name, code in answers if code != "0"}
    assert sorted(documented - refused) == []


def refusals_raised_in(module: ModuleType, *operations: str) -> set[str]:
    """The retcodes a chapter module refuses with (codes written out and its named constants), and those the
    ``operations`` of other modules that serve the chapter give."""
    found = re.findall(r'Refused\((\w+|"[0-9-]+")', inspect.getsource(module))
    codes = {name.strip('"') if name.startswith('"') else getattr(module, name) for name in found}
    return codes | {code for name in operations
                    for code in re.findall(r'Refused\("([0-9-]+)"', inspect.getsource(OPERATIONS[name]))}


@pytest.mark.parametrize("chapter", ["agentgroup", "calldata"])
def test_every_query_keyword_runs_in_the_acceptance_suites(trace_run: tuple[Path, str], chapter: str) -> None:
    library = CCGatewayLibrary()
    keywords = _keywords_calling(library, QUERIES[chapter])
    assert len(keywords) >= 6
    assert sorted(keywords - _seen(trace_run[0]).keywords) == []


@pytest.mark.parametrize(("chapter", "module"), [("agentgroup", groups), ("calldata", calldata)])
def test_every_refusal_of_the_query_chapters_is_seen(trace_run: tuple[Path, str], chapter: str,
                                                     module: ModuleType) -> None:
    served_elsewhere = sorted(name for name in QUERIES[chapter] if name in OPERATIONS
                              and inspect.getmodule(OPERATIONS[name]) is not module)
    expected = refusals_raised_in(module, *served_elsewhere)
    assert len(expected) >= 3  # the scan of the chapter's code found them
    seen = {code for name, code in _seen(trace_run[0]).answers if name in QUERIES[chapter]}
    assert sorted(expected - seen) == []


def refusals_of_the_recording_chapter() -> set[str]:
    """The retcodes the recording chapter refuses with: the module's named codes."""
    from CCGatewayLibrary.simulator import recording

    return {value for name, value in vars(recording).items()
            if name.isupper() and isinstance(value, str) and RETCODE.fullmatch(value)}


def test_every_recording_keyword_runs_in_the_acceptance_suites(trace_run: tuple[Path, str]) -> None:
    library = CCGatewayLibrary()
    chapter = _keywords_calling(library, RECORDING)
    assert len(chapter) >= 16
    assert sorted(chapter - _seen(trace_run[0]).keywords) == []


def test_every_refusal_of_the_recording_chapters_is_seen(trace_run: tuple[Path, str]) -> None:
    answers = {(name, code) for name, code in _seen(trace_run[0]).answers if name in RECORDING}
    expected = refusals_of_the_recording_chapter()
    assert len(expected) >= 14  # the scan of the chapter's code found them
    assert sorted(expected - {code for _, code in answers}) == []


def test_each_tests_events_are_exported_as_json_lines(trace_run: tuple[Path, str]) -> None:
    files = sorted(trace_run[0].rglob("events.jsonl"))
    assert files, "no events.jsonl next to any output.xml"
    records = [json.loads(line) for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    tests = {record["test"] for record in records}
    assert any(test.endswith("Three Party Call.Agent Joins A Held Customer Into A Three Party Call") for test in tests)
    names = [r["event"]["eventType"] for r in records if r["test"].endswith("Into A Three Party Call")]
    assert names.index("AgentEvent_Hold") < names.index("AgentEvent_Conference")
    assert all({"agent", "agentId", "seq", "received", "event"} <= record.keys() for record in records)


def test_report_shows_the_gateway_and_the_library_version(trace_run: tuple[Path, str]) -> None:
    top = ExecutionResult(str(trace_run[0] / "output.xml")).suite
    metadata = dict(top.metadata)
    # Each suite starts its own simulator, on a port of its own; push_faults.robot alone is pushed.
    assert metadata["Gateway"] == "embedded simulator, one per suite", metadata["Gateway"]
    assert all(suite.metadata["Gateway"].endswith("(embedded simulator)") for suite in top.suites
               if "Gateway" in suite.metadata)
    assert metadata["Auth mode"] == "dynamic"
    assert re.fullmatch(r"polling \(\d+ suites\), push \(to the library's HTTPS endpoint\) \(1 suite\)",
                        metadata["Event mode"]), metadata["Event mode"]
    assert metadata["Gateway version"] == "current" and metadata["CCGatewayLibrary"] == VERSION


def test_every_console_keyword_runs_in_the_acceptance_suites(trace_run: tuple[Path, str]) -> None:
    # The console's page, pushes and buttons are tested in Chromium (test_browser_console.py); its keywords here.
    chapter = {_method(name) for name in CCGatewayLibrary().get_keyword_names() if "console" in _method(name)}
    assert chapter == {"get_simulator_console_url"}
    assert sorted(chapter - _seen(trace_run[0]).keywords) == []
