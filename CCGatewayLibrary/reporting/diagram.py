"""A test's requests and events as a sequence diagram: inline SVG for log.html.

Lanes, left to right: each agent, the gateway, the simulator (when the test drove one), then the far ends
(customers and other numbers named in call events and simulator actions). A request is an arrow from its
agent to the gateway labelled with the keyword that sent it, the interface's log name, the retcode and the
time it took; an event is an arrow from the gateway to the agent that received it; a simulator action (a
restart, a fault, a Guid expiry, a simulated call) is an arrow from the simulator's lane to the gateway on a
violet band, joined to the agent and far end it concerns. Rows are in time order with the time since the
test started. Everything shown passes ``scrub`` and is
XML-escaped; the data carries no headers, bodies or Guids in the first place.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from ..catalogue.gateway import INSPECTION_MODES, SUCCESS
from .record import RecordedRequest, SimulatorAction, shortened

# Event content fields that name the other parties of a call (see schemas/events/*: caller, called,
# otherPhone, partner, number, addrCalled). utest/test_diagram.py checks each one is in some event schema.
PARTY_FIELDS = ("caller", "called", "otherPhone", "partner", "number", "addrCalled", "participant")
MAX_PARTY_LANES = 6  # more far ends than this share the last lane
MAX_ROWS = 60
ALL_ROWS = 400  # a longer test's diagram is not given in full as well: its events are in events.jsonl
LABEL_CHARS = 40  # longer labels are cut (a request's keyword first); the row's tooltip has the whole text

ROW_H = 20
HEADER_H = 46
FOOTER_H = 26  # with one line of legend
LEGEND_LINE_H = 16
LEGEND_W = 760  # a legend wider than the lanes and this wraps
TIME_W = 84
GAP = 250  # between lifelines: room for "Keyword · interface · retcode · ms"

COLOURS = {
    "agent": ("#dbeafe", "#1d4ed8"),
    "gateway": ("#e5e7eb", "#374151"),
    "party": ("#dcfce7", "#15803d"),
    "simulator": ("#ede9fe", "#6d28d9"),
}
SIMULATOR = "#6d28d9"
SIMULATOR_BAND = "#f5f3ff"
SIMULATOR_LANE = "\x00simulator"  # no agent ID or number can be this
REQUEST = "#1d4ed8"
EVENT = "#0f766e"
FAILED = "#dc2626"
FAILED_BAND = "#fee2e2"
CAUGHT = "#b45309"
CAUGHT_BAND = "#fef3c7"
MUTED = "#6b7280"


# Events that tell an agent an inspector joined or left its call (qcType says how, qcAgentId who).
INSPECTION_EVENTS = frozenset({"AgentOther_BeQcStart", "AgentOther_BeQcStop"})
MONITOR = "#7c3aed"  # an inspector's line to the agent it listens to, whispers to or barges in on
# Conferences: a member's change (AgentConf_ParticipantChanged's changeType); a member named by agent ID
# (participantType 9) is an agent's lane, not a far end. Text sessions: a customer's message, shortened.
CONFERENCE_CHANGES = {0: "joined", 1: "left", 2: "chair", 3: "muted", 4: "unmuted", 5: "held", 6: "unheld"}
AGENT_PARTICIPANT = 9
MESSAGE_EVENT = "AgentEvent_MessageData"

# Recording and playback events: a mark on the agent's lane says what its recording or playback does from then on.
MEDIA_MARKS = {
    "AgentMediaEvent_Record": ("\u25cf", "recording"),
    "AgentMediaEvent_Record_Fail": ("\u2717", "recording failed"),
    "AgentMediaEvent_StopRecordDone": ("\u25a0", "recording stopped"),
    "AgentMediaEvent_Play": ("\u25b6", "playing"),
    "AgentMediaEvent_ResumePlayDone": ("\u25b6", "playing"),
    "AgentMediaEvent_PausePlayDone": ("\u2016", "playback paused"),
    "AgentMediaEvent_JumpPlayDone": ("\u00bb", "playback moved"),
    "AgentMediaEvent_Play_Fail": ("\u2717", "playback failed"),
    "AgentMediaEvent_StopPlayDone": ("\u25a0", "playback stopped"),
}
MEDIA = "#be123c"

@dataclass(frozen=True)
class Lane:
    key: str
    label: str
    kind: Literal["agent", "gateway", "simulator", "party"]
    note: str = ""


@dataclass(frozen=True)
class AgentInfo:
    agent_id: str
    alias: str
    phone: str | None = None
    signed_in: bool = True  # at the end of the test; a signed-out agent's last poll may still bring events


@dataclass(frozen=True)
class ReceivedEvent:
    agent_id: str
    seq: int
    name: str
    received: datetime
    content: Any = None
    schema_problem: str | None = None


@dataclass(frozen=True)
class FailedStep:
    at: datetime
    keyword: str
    message: str
    caught: bool = False  # inside Run Keyword And Expect Error, TRY and the like


@dataclass
class DiagramData:
    started: datetime
    agents: list[AgentInfo] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    events: list[ReceivedEvent] = field(default_factory=list)
    failures: list[FailedStep] = field(default_factory=list)
    unrecorded: int = 0  # requests beyond the recorder's limit
    actions: list[SimulatorAction] = field(default_factory=list)  # what the test made the simulator do


@dataclass(frozen=True)
class _Row:
    at: datetime
    kind: Literal["request", "simulator", "event", "failure"]
    agent: str = ""
    label: str = ""
    tip: str = ""
    failed: bool = False
    caught: bool = False
    parties: tuple[str, ...] = ()
    keyword: str = ""  # a request's keyword, cut first when the label is too long
    inspector: str = ""  # an inspection event's inspector: a monitor line joins its lane to the agent's
    mark: str = ""  # a recording or playback event's mark on the agent's lane


def render_diagram(data: DiagramData, *, max_rows: int = MAX_ROWS,
                   describe_retcode: Callable[[str], str] = str,
                   scrub: Callable[[str], str] = lambda text: text) -> str:
    """The diagram as an HTML fragment (a ``<details>`` holding one ``<svg>``), or "" when nothing happened.

    ``describe_retcode`` turns a retcode into words for the tooltips; ``scrub`` masks secrets in every text
    before it is escaped."""
    agents = _agent_lanes(data)
    rows = _rows(data, agents, describe_retcode)
    if not rows:
        return ""

    def draw(shown: list[_Row], head: int) -> str:
        simulator = [Lane(SIMULATOR_LANE, "Simulator", "simulator", "control actions")] \
            if any(row.kind == "simulator" for row in shown) else []
        lanes = [*agents.values(), Lane("gateway", "Gateway", "gateway"), *simulator, *_party_lanes(shown)]
        return _Svg(lanes, data.started, scrub).render(shown, head, data, len(rows))

    shown, head = _cap(rows, max_rows)
    diagram = draw(shown, head)
    if len(shown) < len(rows) <= ALL_ROWS:  # the rows left out, a click away (closed: it costs nothing to look at)
        diagram += (f'<details class="ccgw-diagram-all"><summary>All {len(rows)} rows</summary>'
                    f'{draw(rows, len(rows))}</details>')
    return diagram


# -- rows -----------------------------------------------------------------------------------------------
def _agent_lanes(data: DiagramData) -> dict[str, Lane]:
    lanes: dict[str, Lane] = {}
    # Requests and events always name an agent; a simulator action may not (a fault for any agent).
    named = [*(r.agent_id for r in data.requests), *(e.agent_id for e in data.events),
             *(a.agent_id for a in data.actions), *(_inspection(e)[0] or None for e in data.events)]
    active = {agent_id for agent_id in named if agent_id is not None}
    for agent in (a for a in data.agents if a.agent_id in active):  # the latest alias of an agent ID names its lane
        label = agent.agent_id if agent.alias == agent.agent_id else f"{agent.alias} ({agent.agent_id})"
        note = " \u00b7 ".join(([f"phone {agent.phone}"] if agent.phone else []) +
                                ([] if agent.signed_in else ["signed out"]))
        lanes[agent.agent_id] = Lane(agent.agent_id, label, "agent", note)
    for agent_id in named:
        if agent_id is not None:  # e.g. a refused sign-in: no handle, still a lane
            lanes.setdefault(agent_id, Lane(agent_id, agent_id, "agent"))
    return lanes


def _rows(data: DiagramData, agents: dict[str, Lane], describe_retcode: Callable[[str], str]) -> list[_Row]:
    own_numbers = {a.phone for a in data.agents if a.phone} | set(agents)
    rows = [_request_row(r, data.started, describe_retcode) for r in data.requests]
    rows += [_action_row(a, data.started, own_numbers) for a in data.actions]
    rows += [_event_row(e, data.started, own_numbers) for e in data.events]
    rows += [_Row(f.at, "failure", label=f"{f.keyword}: {f.message}", tip=f"{f.keyword} failed: {f.message}",
                  failed=not f.caught, caught=f.caught) for f in data.failures]
    order = {"request": 0, "simulator": 1, "event": 2, "failure": 3}
    return sorted(rows, key=lambda row: (row.at, order[row.kind]))


def _request_row(request: RecordedRequest, started: datetime, describe_retcode: Callable[[str], str]) -> _Row:
    took = f"{request.elapsed_ms:.0f} ms" if request.elapsed_ms is not None else ""
    when = _since(request.started, started)
    if request.status is None:
        outcome, words, failed = "no reply", "no reply (connection, TLS or timeout)", True
    elif request.status != 200:
        outcome, words, failed = f"HTTP {request.status}", f"HTTP {request.status}", True
    elif request.retcode is None:
        outcome, words, failed = "no retcode", "HTTP 200 without a retcode", True
    else:
        failed = request.retcode != SUCCESS
        outcome, words = request.retcode, f"retcode {describe_retcode(request.retcode)}"
    label = " \u00b7 ".join(part for part in (request.interface, ("\u2717 " if failed else "") + outcome, took) if part)
    sent_by = f" sent by {request.keyword}" if request.keyword else ""  # none: a poll or heartbeat
    tip = f"{request.interface}{sent_by} for agent {request.agent_id} at {when}: {words}" + \
        (f", {took}" if took else "")
    return _Row(request.started, "request", request.agent_id, label, tip, failed, keyword=request.keyword or "")


def _action_row(action: SimulatorAction, started: datetime, own_numbers: set[str]) -> _Row:
    parties = tuple(n for n in action.parties if n not in own_numbers)
    label = ("\u2717 " if action.refused else "") + action.description
    tip = f"Simulator {action.action.replace('_', ' ')} at {_since(action.at, started)}: {action.description}" + \
        (f", agent {action.agent_id}" if action.agent_id else "") + ("; refused by the simulator" if action.refused
                                                                      else "")
    return _Row(action.at, "simulator", action.agent_id or "", label, tip, action.refused, parties=parties)


def _event_row(event: ReceivedEvent, started: datetime, own_numbers: set[str]) -> _Row:
    parties = tuple(n for n in party_numbers(event.content) if n not in own_numbers)
    label = ("\u26a0 " if event.schema_problem else "") + event.name
    tip = f"{event.name} (#{event.seq}) for agent {event.agent_id} at {_since(event.received, started)}"
    detail = _detail(event)
    if detail:
        label += f" \u00b7 {detail}"
        tip += f"; {detail}"
    inspector, mode = _inspection(event)
    if inspector:
        label += f" \u00b7 {inspector} {mode}"
        tip += f"; inspector {inspector} {'stopped' if event.name.endswith('Stop') else 'started'} {mode}"
    if parties:
        tip += f"; far end {', '.join(parties)}"
    if event.schema_problem:
        tip += f"; breaks its schema: {event.schema_problem}"
    mark, doing = MEDIA_MARKS.get(event.name, ("", ""))
    if mark:
        tip += f"; the agent's {doing}"
    return _Row(event.received, "event", event.agent_id, label, tip, parties=parties, inspector=inspector,
                mark=mark)


def _detail(event: ReceivedEvent) -> str:
    """What a conference change or a text message adds to its event's label ("" for other events)."""
    content = event.content if isinstance(event.content, dict) else {}
    if event.name == "AgentConf_ParticipantChanged" and "participant" in content:
        code = content.get("changeType")
        change = CONFERENCE_CHANGES.get(code, "changed") if isinstance(code, int) else "changed"
        return f"{content['participant']} {change}" + (" \u2717" if content.get("result") not in (0, None) else "")
    if event.name == MESSAGE_EVENT and "message" in content:
        return shortened(content["message"])
    return ""


def _inspection(event: ReceivedEvent) -> tuple[str, str]:
    """For an inspection event: the inspector's ID and how it inspects (``listening``), else blanks."""
    content = event.content if isinstance(event.content, dict) else {}
    if event.name not in INSPECTION_EVENTS or "qcAgentId" not in content:
        return "", ""
    inspector = str(content["qcAgentId"])
    code = content.get("qcType")
    return inspector, INSPECTION_MODES.get(code, "inspecting") if isinstance(code, int) else "inspecting"


def party_numbers(content: Any) -> list[str]:
    """The numbers an event's content names as parties of the call, in field order, without agent numbers."""
    if not isinstance(content, dict):
        return []
    found: list[str] = []
    for name in PARTY_FIELDS:
        if name == "participant" and content.get("participantType") == AGENT_PARTICIPANT:
            continue  # a conference member named by agent ID: an agent's lane
        value = content.get(name)
        if not isinstance(value, str | int) or isinstance(value, bool):
            continue
        for number in str(value).split(","):
            number = number.strip()
            # An agent's number begins with 'a' or 'A' in caller and called.
            if number and number[0] not in "aA" and number not in found:
                found.append(number)
    return found


def _cap(rows: list[_Row], max_rows: int) -> tuple[list[_Row], int]:
    """At most ``max_rows`` rows, and how many of them come before the gap: the first two thirds and the
    last third (where a failure usually is)."""
    if len(rows) <= max(max_rows, 2):
        return rows, len(rows)
    tail = max(1, max_rows // 3)
    head = max(1, max_rows - tail)
    return [*rows[:head], *rows[len(rows) - tail:]], head


def _party_lanes(rows: Iterable[_Row]) -> list[Lane]:
    numbers: list[str] = []
    for row in rows:
        numbers += [n for n in row.parties if n not in numbers]
    lanes = [Lane(n, n, "party", "far end") for n in numbers[:MAX_PARTY_LANES]]
    if len(numbers) > MAX_PARTY_LANES:
        rest = numbers[MAX_PARTY_LANES - 1:]
        lanes[-1] = Lane("\x00others", f"{len(rest)} numbers", "party", ", ".join(rest))
    return lanes


def _since(at: datetime, started: datetime) -> str:
    ms = (at - started).total_seconds() * 1000
    return f"{'+' if ms >= 0 else '-'}{abs(ms):,.0f} ms".replace(",", "\u2009")


# -- drawing --------------------------------------------------------------------------------------------
class _Svg:
    def __init__(self, lanes: list[Lane], started: datetime, scrub: Callable[[str], str]) -> None:
        self.lanes = lanes
        self.started = started
        self.scrub = scrub
        self.x = {lane.key: TIME_W + GAP // 2 + i * GAP for i, lane in enumerate(lanes)}
        self.party_keys = {lane.key for lane in lanes if lane.kind == "party"}
        self.others = "\x00others" if "\x00others" in self.x else None
        self.parts: list[str] = []
        self.footer = FOOTER_H  # grows with the legend's lines
        self.monitors = False  # whether a shown row has an inspector's line (its legend entry then)
        self.marks = False  # whether a shown row has a recording or playback mark (its legend entry then)

    def text(self, value: str) -> str:
        """Scrubbed, then escaped for XML (text and attribute values alike)."""
        return html.escape(self.scrub(value), quote=True)

    def render(self, rows: list[_Row], head: int, data: DiagramData, total: int) -> str:
        hidden = total - len(rows)
        self.monitors = any(row.inspector in self.x for row in rows)
        self.marks = any(row.mark for row in rows)
        lanes_width = TIME_W + GAP * len(self.lanes)
        legend = self._legend_lines(max(lanes_width, LEGEND_W))
        width = max(lanes_width, *(x + 28 + _text_width(words) + 6 for line in legend for _, words, x in line))
        body_rows = len(rows) + (1 if hidden else 0) + (1 if data.unrecorded else 0)
        self.footer = FOOTER_H + LEGEND_LINE_H * (len(legend) - 1)
        height = HEADER_H + body_rows * ROW_H + self.footer
        self._header(height)
        y = HEADER_H
        for index, row in enumerate(rows):
            if hidden and index == head:
                y = self._note(y, width, f"\u2026 {hidden} more rows not shown \u2026")
            y = self._row(row, y, width)
        if data.unrecorded:
            y = self._note(y, width, f"\u2026 {data.unrecorded} more requests were not recorded \u2026")
        self._legend(legend, height)
        summary = f"Sequence diagram: {len(data.requests) + data.unrecorded} requests, {len(data.events)} events"
        if data.actions:
            summary += f", {len(data.actions)} simulator actions"
        if hidden:
            summary += f" ({len(rows)} of {total} rows shown)"
        label = "Sequence diagram of the test: " + ", ".join(lane.label for lane in self.lanes)
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="ccgw-diagram" width="{width}" height="{height}" '
               f'viewBox="0 0 {width} {height}" role="img" aria-label="{self.text(label)}" '
               f'font-family="Helvetica, Arial, sans-serif" font-size="11">'
               f'<rect width="{width}" height="{height}" fill="#ffffff"/>{"".join(self.parts)}</svg>')
        return (f'<details open class="ccgw-diagram"><summary>{self.text(summary)}</summary>'
                f'<div style="overflow-x:auto">{svg}</div></details>')

    def _header(self, height: int) -> None:
        top = HEADER_H - 6
        bottom = height - self.footer
        self.parts.append(f'<text x="{TIME_W - 10}" y="{top - 4}" text-anchor="end" fill="{MUTED}">'
                          f'since start</text>')
        for lane in self.lanes:
            fill, stroke = COLOURS[lane.kind]
            x = self.x[lane.key]
            self.parts.append(
                f'<g class="ccgw-lane ccgw-lane-{lane.kind}"><title>{self.text(lane.label)}'
                f'{(" - " + self.text(lane.note)) if lane.note else ""}</title>'
                f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{stroke}" stroke-opacity="0.45" '
                f'stroke-dasharray="4 3"/>'
                f'<rect x="{x - GAP // 2 + 10}" y="4" width="{GAP - 20}" height="{top - 6}" rx="5" fill="{fill}" '
                f'stroke="{stroke}"/>'
                f'<text class="ccgw-lane-label" x="{x}" y="{19 if lane.note else 26}" text-anchor="middle" '
                f'font-size="12" font-weight="bold" fill="{stroke}">{self.text(_cut(lane.label, 26))}</text>')
            if lane.note:
                self.parts.append(f'<text x="{x}" y="33" text-anchor="middle" font-size="10" fill="{MUTED}">'
                                  f'{self.text(_cut(lane.note, 30))}</text>')
            self.parts.append("</g>")

    def _row(self, row: _Row, y: int, width: int) -> int:
        mid = y + ROW_H - 6
        klass = f"ccgw-{row.kind}" + (" ccgw-failed" if row.failed else "") + (" ccgw-caught" if row.caught else "")
        # Machine-readable too (reporting/audit.py): whose row it is and when, in ms since the start.
        data = f' data-agent="{self.text(row.agent)}"' if row.agent else ""
        data += f' data-ms="{(row.at - self.started).total_seconds() * 1000:.0f}"'
        self.parts.append(f'<g class="{klass}"{data}><title>{self.text(row.tip)}</title>')
        band = FAILED_BAND if row.failed else CAUGHT_BAND if row.caught else \
            SIMULATOR_BAND if row.kind == "simulator" else None
        if band:
            self.parts.append(f'<rect x="0" y="{y}" width="{width}" height="{ROW_H}" fill="{band}"/>')
        self.parts.append(f'<text x="{TIME_W - 10}" y="{mid + 3}" text-anchor="end" fill="{MUTED}">'
                          f'{self.text(_since(row.at, self.started))}</text>')
        if row.kind == "failure":
            colour = FAILED if row.failed else CAUGHT
            mark = "\u2717 " if row.failed else "\u2717 caught: "
            self.parts.append(f'<text x="{TIME_W + 6}" y="{mid + 3}" fill="{colour}" font-weight="bold">'
                              f'{self.text(mark + _cut(row.label, 140))}</text></g>')
            return y + ROW_H
        if row.kind == "simulator":
            return self._action(row, y, mid)
        agent, gateway = self.x[row.agent], self.x["gateway"]
        if row.kind == "request":
            colour = FAILED if row.failed else REQUEST
            self._arrow(agent, gateway, mid, colour, dashed=False)
        else:
            colour = EVENT
            for number in row.parties:
                far = self.x.get(number) or (self.x[self.others] if self.others else None)
                if far is None:
                    continue
                self.parts.append(f'<line x1="{far}" y1="{mid}" x2="{gateway}" y2="{mid}" stroke="#15803d" '
                                  f'stroke-dasharray="2 3"/><circle cx="{far}" cy="{mid}" r="4" fill="#15803d"/>')
            self._arrow(gateway, agent, mid, colour, dashed=True)
            if row.inspector in self.x:  # the inspector's leg: not a party of the call, drawn apart from one
                inspector = self.x[row.inspector]
                self.parts.append(f'<line class="ccgw-monitor" x1="{inspector}" y1="{mid + 4}" x2="{agent}" '
                                  f'y2="{mid + 4}" stroke="{MONITOR}" stroke-width="2" stroke-dasharray="8 3 2 3"/>'
                                  f'<circle cx="{inspector}" cy="{mid + 4}" r="4" fill="{MONITOR}"/>')
            if row.mark:
                self.parts.append(_media_mark(agent, mid, row.mark))
        weight = ' font-weight="bold"' if row.failed else ""
        # A halo in the row's background colour keeps the label readable where it crosses a lifeline.
        halo = FAILED_BAND if row.failed else "#ffffff"
        self._label(_request_label(row, _room(agent, gateway)), (agent + gateway) / 2, mid, colour, weight, halo)
        self.parts.append("</g>")
        return y + ROW_H

    def _label(self, text: str, x: float, mid: int, colour: str, weight: str, halo: str) -> None:
        self.parts.append(f'<text x="{x:.0f}" y="{mid - 4}" text-anchor="middle" fill="{colour}"{weight} '
                          f'stroke="{halo}" stroke-width="3" paint-order="stroke">{self.text(text)}</text>')

    def _action(self, row: _Row, y: int, mid: int) -> int:
        """A simulator action: an arrow from the simulator's lane to the gateway, joined by dotted lines to the
        agent and the far ends it concerns."""
        simulator, gateway = self.x[SIMULATOR_LANE], self.x["gateway"]
        colour = FAILED if row.failed else SIMULATOR
        joins = [self.x[row.agent]] if row.agent in self.x else []
        for number in row.parties:
            far = self.x.get(number) or (self.x[self.others] if self.others else None)
            if far is not None:
                joins.append(far)
        for x in joins:  # the agent's lane is left of the gateway, far ends right of the simulator
            start = gateway if x < gateway else simulator
            self.parts.append(f'<line x1="{x}" y1="{mid}" x2="{start}" y2="{mid}" stroke="{SIMULATOR}" '
                              f'stroke-dasharray="1 3" stroke-width="1.5"/>'
                              f'<path d="M{x},{mid - 5} l5,5 l-5,5 l-5,-5 z" fill="#ffffff" stroke="{SIMULATOR}"/>')
        self.parts.append(f'<path d="M{simulator},{mid - 5} l5,5 l-5,5 l-5,-5 z" fill="{colour}"/>')
        self._arrow(simulator - 6, gateway, mid, colour, dashed=False)
        weight = ' font-weight="bold"' if row.failed else ""
        self._label(_cut(row.label, _room(simulator, gateway)), (simulator + gateway) / 2, mid, colour, weight,
                    FAILED_BAND if row.failed else SIMULATOR_BAND)
        self.parts.append("</g>")
        return y + ROW_H

    def _arrow(self, start: int, end: int, y: int, colour: str, *, dashed: bool) -> None:
        # Arrow heads are drawn, not <marker>s: ids would repeat across the many diagrams of one log.html.
        if start == end:  # only when a lane is missing; draw a stub so the row still reads
            end = start + 30
        direction = 1 if end > start else -1
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        tip = end - direction * 1
        self.parts.append(
            f'<line x1="{start}" y1="{y}" x2="{tip - direction * 6}" y2="{y}" stroke="{colour}" stroke-width="1.5"'
            f'{dash}/><path d="M{tip},{y} l{-direction * 8},-4 v8 z" fill="{colour}"/>')

    def _note(self, y: int, width: int, text: str) -> int:
        self.parts.append(f'<text class="ccgw-more" x="{width / 2:.0f}" y="{y + ROW_H - 6}" text-anchor="middle" '
                          f'font-style="italic" fill="{MUTED}">{self.text(text)}</text>')
        return y + ROW_H

    def _legend_lines(self, width: int) -> list[list[tuple[Callable[[int, int], str], str, int]]]:
        """The legend's items (shape, words, x) in lines no wider than ``width``."""
        items: list[tuple[Callable[[int, int], str], str]] = [
            (lambda x, y: f'<line x1="{x}" y1="{y - 4}" x2="{x + 22}" y2="{y - 4}" stroke="{REQUEST}" '
                          f'stroke-width="1.5"/>',
             "request: keyword \u00b7 interface \u00b7 retcode \u00b7 time taken"),
            (lambda x, y: f'<line x1="{x}" y1="{y - 4}" x2="{x + 22}" y2="{y - 4}" stroke="{EVENT}" '
                          f'stroke-width="1.5" stroke-dasharray="5 3"/>', "event received by the agent"),
            (lambda x, y: f'<circle cx="{x + 11}" cy="{y - 4}" r="4" fill="#15803d"/>', "far end named in the event"),
        ]
        if SIMULATOR_LANE in self.x:
            items.append((lambda x, y: f'<rect x="{x}" y="{y - 10}" width="22" height="12" fill="{SIMULATOR_BAND}"/>'
                                       f'<path d="M{x + 4},{y - 9} l5,5 l-5,5 l-5,-5 z" fill="{SIMULATOR}"/>'
                                       f'<line x1="{x + 8}" y1="{y - 4}" x2="{x + 22}" y2="{y - 4}" '
                                       f'stroke="{SIMULATOR}" stroke-width="1.5"/>',
                          "simulator action (restart, fault, Guid, call)"))
        if self.monitors:
            items.append((lambda x, y: f'<line x1="{x}" y1="{y - 4}" x2="{x + 22}" y2="{y - 4}" stroke="{MONITOR}" '
                                       f'stroke-width="2" stroke-dasharray="8 3 2 3"/>',
                          "inspector listening, whispering or barging in"))
        if self.marks:
            items.append((lambda x, y: _media_mark(x + 11, y - 4, "\u25cf"),
                          "recording (\u25cf \u25a0) or playback (\u25b6 \u2016 \u00bb \u25a0) on the agent's lane"))
        items.append((lambda x, y: f'<rect x="{x}" y="{y - 10}" width="10" height="12" fill="{FAILED_BAND}" '
                                   f'stroke="{FAILED}"/><rect x="{x + 12}" y="{y - 10}" width="10" height="12" '
                                   f'fill="{CAUGHT_BAND}" stroke="{CAUGHT}"/>', "failed / caught"))
        lines: list[list[tuple[Callable[[int, int], str], str, int]]] = [[]]
        x = TIME_W + 6
        for shape, words in items:
            step = 28 + _text_width(words) + 18
            if lines[-1] and x + step > width:
                lines.append([])
                x = TIME_W + 6
            lines[-1].append((shape, words, x))
            x += step
        return lines

    def _legend(self, lines: list[list[tuple[Callable[[int, int], str], str, int]]], height: int) -> None:
        """Draws the legend's lines at the bottom."""
        self.parts.append('<g class="ccgw-legend">')
        for number, line in enumerate(lines):
            y = height - 9 - LEGEND_LINE_H * (len(lines) - 1 - number)
            for shape, words, x in line:
                self.parts.append(shape(x, y) + f'<text x="{x + 28}" y="{y}" fill="{MUTED}">{self.text(words)}</text>')
        self.parts.append("</g>")


def _media_mark(x: float, y: int, mark: str) -> str:
    """A recording or playback mark on a lifeline: the glyph on a white disc."""
    return (f'<g class="ccgw-media-mark"><circle cx="{x:.0f}" cy="{y}" r="7" fill="#ffffff" stroke="{MEDIA}"/>'
            f'<text x="{x:.0f}" y="{y + 4}" text-anchor="middle" font-size="10" fill="{MEDIA}">{mark}</text></g>')


def _room(x1: float, x2: float) -> int:
    """How many characters of a label fit between two lifelines (at least LABEL_CHARS: it may overhang)."""
    return max(LABEL_CHARS, int((abs(x2 - x1) - 10) / 5.4))


def _request_label(row: _Row, limit: int) -> str:
    """``Keyword · interface · retcode · ms``; when too long the keyword is cut first, so the outcome stays."""
    if not row.keyword:
        return _cut(row.label, limit)
    room = limit - len(row.label) - 3
    if room < 6:
        return _cut(row.label, limit)
    return f"{_cut(row.keyword, room)} \u00b7 {row.label}"


def _text_width(text: str, size: int = 11) -> int:
    """A generous estimate of the width of ``text`` in a sans-serif font (no font metrics at hand)."""
    return int(len(text) * size * 0.6)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
