"""Checks a Robot output.xml: each test's sequence diagram holds only that test's events.

An event row belongs to its test when its agent was signed in at the test's start or during the test, and it
was received after the test started. Who was signed in is read from the library's INFO messages ("Signed in
agent 101 ...", "Signed out agent 101 ...") in the order Robot ran them; `Stop Gateway Simulator` forgets every
agent. atest/run.py runs this over the acceptance run; utest/test_diagram_audit.py over small runs in both event
modes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from robot.api import ExecutionResult, ResultVisitor

from ..translation import translated_names

SIGNED_IN = re.compile(r"Signed in agent (\w+)")
SIGNED_OUT = re.compile(r"Signed out agent (\w+)")
# forgets every agent signed in to the simulator, under its English name or a translated one
FORGETS_AGENTS = {"Stop Gateway Simulator", *translated_names("stop_gateway_simulator")}
_SVG = re.compile(r"<svg .*?</svg>", re.S)
_NS = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Foreign:
    """An event row of a test's diagram that does not belong to the test."""

    test: str
    agent: str
    ms: int
    why: str

    def __str__(self) -> str:
        return f"{self.test}: event row for agent {self.agent} at {self.ms:+d} ms {self.why}"


def event_rows(fragment: str) -> list[tuple[str, int]]:
    """Each event row of a diagram (as the library logs it) as (agent ID, ms since the start)."""
    rows = []
    for svg in _SVG.findall(fragment):
        for group in ET.fromstring(svg).iter(f"{_NS}g"):
            if "ccgw-event" in group.get("class", "").split():
                rows.append((group.get("data-agent", ""), int(group.get("data-ms", "0"))))
    return rows


class _Audit(ResultVisitor):
    def __init__(self) -> None:
        self.signed_in: set[str] = set()
        self.allowed: set[str] | None = None  # inside a test: signed in at its start or since
        self.test = ""
        self.found: list[Foreign] = []
        self.diagrams = 0

    def start_test(self, test: Any) -> None:
        self.allowed, self.test = set(self.signed_in), test.full_name

    def end_test(self, test: Any) -> None:
        self.allowed = None

    def end_keyword(self, keyword: Any) -> None:
        if keyword.name in FORGETS_AGENTS and keyword.passed:
            self.signed_in.clear()

    def visit_message(self, message: Any) -> None:
        text = message.message
        if (signed_in := SIGNED_IN.match(text)) is not None:
            self.signed_in.add(signed_in.group(1))
            if self.allowed is not None:
                self.allowed.add(signed_in.group(1))
        elif (signed_out := SIGNED_OUT.match(text)) is not None:
            self.signed_in.discard(signed_out.group(1))
        elif self.allowed is not None and message.html and 'class="ccgw-diagram"' in text:
            self.diagrams += 1
            for agent, ms in event_rows(text):
                if agent not in self.allowed:
                    self.found.append(Foreign(self.test, agent, ms, "of an agent not signed in during the test "
                                                                     "or at its start"))
                elif ms < 0:
                    self.found.append(Foreign(self.test, agent, ms, "received before the test started"))


def foreign_events(output: Path | str) -> tuple[list[Foreign], int]:
    """The event rows of the run's test diagrams that belong to no event of their test, and how many test diagrams
    were checked."""
    audit = _Audit()
    ExecutionResult(str(output)).visit(audit)
    return audit.found, audit.diagrams
