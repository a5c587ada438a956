"""The simulator's agents and their passwords, from a JSON roster file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ROSTER = Path(__file__).resolve().parent / "roster.json"


@dataclass(frozen=True)
class RosterEntry:
    agent_id: str
    password: str


class Roster:
    def __init__(self, entries: dict[str, RosterEntry]) -> None:
        self.entries = entries

    @classmethod
    def load(cls, path: str | Path | None = None) -> Roster:
        with Path(path or DEFAULT_ROSTER).open(encoding="utf-8") as stream:
            data = json.load(stream)
        entries: dict[str, RosterEntry] = {}
        for group in data["agents"]:
            first, _, last = str(group["ids"]).partition("-")
            for number in range(int(first), int(last or first) + 1):
                entries[str(number)] = RosterEntry(str(number), group["password"])
        return cls(entries)

    def password_of(self, agent_id: str) -> str:
        return self.entries[str(agent_id)].password

    def __contains__(self, agent_id: object) -> bool:
        return str(agent_id) in self.entries

    def __len__(self) -> int:
        return len(self.entries)
