"""The library's listeners, which follow Robot's suites, tests and keywords on its main thread (where logging works).

`Lifecycle` keeps the scoped settings, each test's events file lines and its api: tags, and shuts the library
down at the end. `DiagramListener` draws each test's sequence diagram into log.html: a test's diagram is logged
when the test ends, so Robot puts it in the test (after its body, before its teardown in log.html) and it covers
failures and the teardown too. Outside tests, in a suite setup or teardown, a failing keyword logs the diagram of
what the suite did since it started or since the last test, inside that keyword: messages logged when a suite
ends have no place in the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from robot.api import logger
from robot.libraries.BuiltIn import BuiltIn

from . import eventsfile
from .context import LibraryContext, RecordsMark
from .reporting.diagram import AgentInfo, DiagramData, FailedStep, ReceivedEvent, render_diagram

INTERFACE_TAG = "api:"


class Lifecycle:
    """Follows suites and tests for scoped settings; stops pollers and the simulator when the library goes out of
    scope."""

    ROBOT_LISTENER_API_VERSION = 3

    def __init__(self, ctx: LibraryContext) -> None:
        self.ctx = ctx
        self._mark: RecordsMark | None = None  # where the running test's records begin

    def start_suite(self, data: Any, result: Any) -> None:
        self.ctx.scopes.enter("Suite")

    def end_suite(self, data: Any, result: Any) -> None:
        self.ctx.apply_settings(self.ctx.scopes.leave())

    def start_test(self, data: Any, result: Any) -> None:
        self.ctx.scopes.enter("Test")
        self.ctx.requests.called.clear()
        self._mark = self.ctx.mark_records()
        for handle in self.ctx.agents.values():
            handle.counted_from = handle.journal.last_seq

    def end_test(self, data: Any, result: Any) -> None:
        self.ctx.apply_settings(self.ctx.scopes.leave())
        self._export_events(result.full_name)
        if self.ctx.settings.interface_tags and self.ctx.requests.called:
            # report.html's tag statistics then count tests per interface.
            result.tags.add([INTERFACE_TAG + name for name in sorted(self.ctx.requests.called)])

    def _export_events(self, test: str) -> None:
        """Appends the events each agent received during the test to the run's events.jsonl (eventsfile.py)."""
        if self._mark is None:
            return
        lines = []
        for handle, events in self.ctx.records_since(self._mark):
            for recorded in events:
                lines.append(json.dumps({"test": test, "agent": handle.alias, "agentId": handle.agent_id,
                                         "session": handle.serial, "seq": recorded.seq,
                                         "received": recorded.received.isoformat(), "event": recorded.event},
                                        ensure_ascii=False, default=str))
        if not lines:
            return
        builtin = BuiltIn()
        folder = builtin.get_variable_value("${OUTPUT DIR}")
        if folder:
            eventsfile.append([self.ctx.secrets.scrub(line) for line in lines], folder, builtin.get_variable_value)

    def close(self) -> None:
        self.ctx.shut_down()


# A failure inside these is handled by the test itself; the diagram shows it as caught, not failed.
CATCHING_KEYWORDS = {"BuiltIn.Run Keyword And Expect Error", "BuiltIn.Run Keyword And Ignore Error",
                     "BuiltIn.Run Keyword And Return Status", "BuiltIn.Run Keyword And Warn On Failure",
                     "BuiltIn.Wait Until Keyword Succeeds"}
FAILURE_MESSAGE_CHARS = 160


@dataclass
class _Stretch:
    """What one diagram covers: a test, or a suite's setup or teardown."""

    mark: RecordsMark  # the sessions and events it covers (every session of the stretch, in order)
    in_test: bool
    failures: list[FailedStep] = field(default_factory=list)

    @property
    def started(self) -> datetime:
        return self.mark.started


class DiagramListener:
    ROBOT_LISTENER_API_VERSION = 3

    def __init__(self, ctx: LibraryContext) -> None:
        self.ctx = ctx
        self._stretch: _Stretch | None = None
        # The library is imported after its first suite started: that suite's setup is drawn from here.
        self._begin(in_test=False)

    def _begin(self, in_test: bool) -> None:
        if not self.ctx.requests.record.enabled:
            self._stretch = None
            return
        self._stretch = _Stretch(self.ctx.mark_records(), in_test)
        self.ctx.requests.record.start()

    def start_suite(self, data: Any, result: Any) -> None:
        self._begin(in_test=False)

    def start_test(self, data: Any, result: Any) -> None:
        self._begin(in_test=True)

    def start_library_keyword(self, data: Any, implementation: Any, result: Any) -> None:
        self.ctx.requests.record.keyword_started(result.name)  # labels the requests it sends

    def end_library_keyword(self, data: Any, implementation: Any, result: Any) -> None:
        self.ctx.requests.record.keyword_ended()
        if self._stretch is None or not result.failed:
            return
        message = " ".join(str(result.message).split())
        if len(message) > FAILURE_MESSAGE_CHARS:
            message = message[:FAILURE_MESSAGE_CHARS - 1] + "\u2026"
        caught = is_caught(result)
        self._stretch.failures.append(FailedStep(datetime.now(), result.name, self.ctx.requests.safe(message), caught))
        if not self._stretch.in_test and not caught:
            self._log()  # inside the failing keyword of a suite setup or teardown
            self._begin(in_test=False)

    def end_test(self, data: Any, result: Any) -> None:
        self._log()
        self._begin(in_test=False)  # what the suite does until the next test: its teardown, say

    def end_suite(self, data: Any, result: Any) -> None:
        self.ctx.requests.record.finish()
        self._stretch = None

    def _log(self) -> None:
        requests, unrecorded = self.ctx.requests.record.finish()
        actions = self.ctx.requests.record.actions()
        stretch, self._stretch = self._stretch, None
        if stretch is None:
            return
        sessions = self.ctx.records_since(stretch.mark)
        # Sign-in order; the last session of an agent ID gives its lane's alias.
        agents = {h.agent_id: AgentInfo(h.agent_id, h.alias, h.phone, h.signed_in) for h, _ in sessions}
        events = [ReceivedEvent(h.agent_id, e.seq, e.name, e.received, _content(e.event), e.schema_problem)
                  for h, received in sessions for e in received]
        data = DiagramData(stretch.started, list(agents.values()), requests, events, stretch.failures, unrecorded,
                           actions)
        svg = render_diagram(data, describe_retcode=self.ctx.catalogue.describe_retcode, scrub=self.ctx.requests.safe)
        if svg:
            logger.info(svg, html=True)


def is_caught(result: Any) -> bool:
    """Whether a failed keyword ran inside a keyword or TRY that handles its failure."""
    parent = getattr(result, "parent", None)
    while parent is not None and getattr(parent, "type", None) != "TEST":
        if getattr(parent, "type", None) == "TRY" or getattr(parent, "full_name", None) in CATCHING_KEYWORDS:
            return True
        parent = getattr(parent, "parent", None)
    return False


def _content(event: Any) -> Any:
    return event.get("content") if isinstance(event, dict) else None
