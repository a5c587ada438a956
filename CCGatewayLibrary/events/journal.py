"""Every event of one agent, in arrival order, with a sequence number each.

The poller thread appends; keywords read. A waiter holds a cursor (the sequence number of the last
event it was given), so it never gets the same event twice and never misses one that arrived while
it was not looking.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class RecordedEvent:
    seq: int
    name: str
    event: dict[str, Any]
    received: datetime
    schema_problem: str | None = None

    def describe(self) -> str:
        return f"{self.name} (#{self.seq})"


@dataclass
class Cursor:
    """How far one waiter has read; ``position`` is the last sequence number it was given."""

    position: int = 0


@dataclass
class PollProblem:
    when: datetime
    text: str
    # A failed poll that may have taken an event with it (its reply was lost after it reached the gateway):
    # ``after`` is the number of events received before it.
    gap: bool = False
    after: int = 0


TALLY_SAMPLES = 3  # refusals of one kind quoted as examples: the newest, enough to see who and when


@dataclass
class Tally:
    """Refusals of one kind, counted instead of noted one by one, so a flood of them keeps the journal small."""

    one: str  # what one of them is, for the message: "push refused (wrong service token)"
    many: str
    count: int = 0
    samples: deque[str] = field(default_factory=lambda: deque(maxlen=TALLY_SAMPLES))
    problem: PollProblem | None = None  # the journal's note that says so, replaced as the count grows

    def text(self) -> str:
        return f"{self.count} {self.one if self.count == 1 else self.many}, e.g. {'; '.join(self.samples)}"


@dataclass
class EventJournal:
    owner: str
    _events: list[RecordedEvent] = field(default_factory=list)
    _problems: list[PollProblem] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _tallies: dict[str, Tally] = field(default_factory=dict)
    closed_reason: str | None = None

    def append(self, event: dict[str, Any], schema_problem: str | None = None) -> RecordedEvent:
        with self._changed:
            recorded = RecordedEvent(len(self._events) + 1, str(event.get("eventType")), event, datetime.now(),
                                     schema_problem)
            self._events.append(recorded)
            self._changed.notify_all()
            return recorded

    def problem(self, text: str, *, gap: bool = False) -> None:
        with self._changed:
            self._problems.append(PollProblem(datetime.now(), text, gap, len(self._events)))
            self._changed.notify_all()

    def count(self, one: str, many: str, sample: str, times: int = 1) -> None:
        """Counts ``times`` refusals of a kind (named by ``many``) in one note, the newest of the problems, which
        quotes the last few samples."""
        with self._changed:
            tally = self._tallies.setdefault(many, Tally(one, many))
            tally.count += times
            tally.samples.append(sample)
            if tally.problem is not None:  # usually the last one: looked for from the end
                index = next(i for i in range(len(self._problems) - 1, -1, -1) if self._problems[i] is tally.problem)
                del self._problems[index]
            tally.problem = PollProblem(datetime.now(), tally.text(), False, len(self._events))
            self._problems.append(tally.problem)
            self._changed.notify_all()

    def tally(self, many: str) -> Tally | None:
        with self._changed:
            return self._tallies.get(many)

    def gaps(self, after: int = 0) -> list[PollProblem]:
        """Failed polls after event number ``after`` that may have lost an event."""
        with self._changed:
            return [p for p in self._problems if p.gap and p.after >= after]

    def close(self, reason: str) -> None:
        with self._changed:
            self.closed_reason = reason
            self._changed.notify_all()

    def reopen(self) -> None:
        with self._changed:
            self.closed_reason = None

    @property
    def last_seq(self) -> int:
        with self._changed:
            return len(self._events)

    def events(self, after: int = 0) -> list[RecordedEvent]:
        with self._changed:
            return self._events[after:]

    def problems(self, since: datetime | None = None) -> list[PollProblem]:
        with self._changed:
            return [p for p in self._problems if since is None or p.when >= since]

    def wait_for_all(self, cursor: Cursor, wanted: list[Callable[[RecordedEvent], bool]], timeout: float) -> \
            tuple[list[RecordedEvent] | None, list[RecordedEvent]]:
        """Events after the cursor that match ``wanted``, a different event for each, in any order: returned in the
        order of ``wanted``, the cursor moved past the last of them. On timeout ``(None, the events after the
        cursor)`` and the cursor stays where it was."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                after = self._events[cursor.position:]
                found = _one_each(after, wanted)
                if found is not None:
                    cursor.position = max(recorded.seq for recorded in found)
                    return found, after
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closed_reason is not None:
                    return None, after
                self._changed.wait(remaining)

    def wait_for(self, cursor: Cursor, matches: Callable[[RecordedEvent], bool], timeout: float) -> \
            tuple[RecordedEvent | None, list[RecordedEvent]]:
        """The first matching event after the cursor, moving the cursor past it.

        Returns ``(event, passed)`` where ``passed`` are the events looked at and not matching. On
        timeout ``event`` is None and the cursor stays where it was.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                passed: list[RecordedEvent] = []
                for recorded in self._events[cursor.position:]:
                    if matches(recorded):
                        cursor.position = recorded.seq
                        return recorded, passed
                    passed.append(recorded)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closed_reason is not None:
                    return None, passed
                self._changed.wait(remaining)


def _one_each(events: list[RecordedEvent], wanted: list[Callable[[RecordedEvent], bool]]) -> list[RecordedEvent] | None:
    """A different event for each of ``wanted`` (a bipartite matching by augmenting paths: a greedy pick could
    give the only event one filter accepts to a filter that accepts others too), or None when there is none."""
    taken: dict[int, int] = {}  # index of an event -> index of the filter it is given to

    def give(want: int, seen: set[int]) -> bool:
        for index, recorded in enumerate(events):
            if index not in seen and wanted[want](recorded):
                seen.add(index)
                if index not in taken or give(taken[index], seen):
                    taken[index] = want
                    return True
        return False

    if not all(give(want, set()) for want in range(len(wanted))):
        return None
    by_filter = {want: events[index] for index, want in taken.items()}
    return [by_filter[want] for want in range(len(wanted))]
