"""The simulator's agents, their passwords and skill queues, from a JSON roster file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_ROSTER = Path(__file__).resolve().parent / "roster.json"


@dataclass(frozen=True)
class Skill:
    id: int
    name: str
    mediatype: int

    def as_reply(self) -> dict[str, Any]:
        """The skill as queryAgentSkills lists it."""
        return {"name": self.name, "id": self.id, "mediatype": self.mediatype}


@dataclass(frozen=True)
class RosterEntry:
    agent_id: str
    password: str
    skills: tuple[Skill, ...] = ()


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
            skills = tuple(Skill(int(s["id"]), str(s["name"]), int(s["mediatype"])) for s in group.get("skills", ()))
            for number in range(int(first), int(last or first) + 1):
                entries[str(number)] = RosterEntry(str(number), group["password"], skills)
        return cls(entries)

    def password_of(self, agent_id: str) -> str:
        return self.entries[str(agent_id)].password

    def set_password(self, agent_id: str, password: str) -> None:
        entry = self.entries[str(agent_id)]
        self.entries[str(agent_id)] = RosterEntry(entry.agent_id, password, entry.skills)

    def __contains__(self, agent_id: object) -> bool:
        return str(agent_id) in self.entries

    def __len__(self) -> int:
        return len(self.entries)
