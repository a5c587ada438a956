"""The simulator's agents, their passwords, skill queues and groups, and who may inspect whom, from a JSON roster
file."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..jsonfile import read_json

DEFAULT_ROSTER = Path(__file__).resolve().parent / "roster.json"
DEFAULT_GROUP = "agents"  # the group of a roster entry that names none


@dataclass(frozen=True)
class Skill:
    id: int
    name: str
    mediatype: int

    def as_reply(self) -> dict[str, Any]:
        """The skill as queryAgentSkills lists it."""
        return {"name": self.name, "id": self.id, "mediatype": self.mediatype}


@dataclass(frozen=True)
class SkillQueue:
    """A skill queue of the VDN: the skill, the access code customers dial to reach it (may be empty)."""

    skill: Skill
    access_code: str = ""
    description: str = ""


@dataclass(frozen=True)
class Ivr:
    id: int
    access: str
    description: str = ""
    service_no: str = ""


@dataclass(frozen=True)
class RosterEntry:
    agent_id: str
    password: str
    skills: tuple[Skill, ...] = ()
    group: str = DEFAULT_GROUP
    # The groups whose agents this agent may inspect (listen to, whisper to, barge in on, force states of): a
    # supervisor's inspector rights. Empty for an agent who is no inspector.
    inspects: frozenset[str] = frozenset()


class RosterError(ValueError):
    """A roster file the simulator cannot use; the text names the file, the place in it and the rule."""


IDS = re.compile(r"^([1-9][0-9]{2,5})(?:-([1-9][0-9]{2,5}))?$")


def _inspector_rights(where: str, group: dict[str, Any]) -> tuple[str, frozenset[str]]:
    name = group.get("group", DEFAULT_GROUP)
    if not isinstance(name, str) or not name:
        raise RosterError(f"{where}.group: must be a group name (text), got {name!r}")
    inspects = group.get("inspects", [])
    if not isinstance(inspects, list) or not all(isinstance(item, str) and item for item in inspects):
        raise RosterError(f"{where}.inspects: must be a list of group names whose agents these agents may inspect, "
                          f"got {inspects!r}")
    return name, frozenset(inspects)


def _group(where: str, group: Any) -> tuple[range, str, tuple[Skill, ...]]:
    if not isinstance(group, dict):
        raise RosterError(f"{where}: must be an object with ids, password or password_env, and skills")
    ids = IDS.fullmatch(str(group.get("ids", "")))
    if ids is None:
        raise RosterError(f"{where}.ids: must be an agent ID or a range 'first-last' of IDs from 101, "
                          f"got {group.get('ids')!r}")
    first, last = int(ids.group(1)), int(ids.group(2) or ids.group(1))
    if last < first:
        raise RosterError(f"{where}.ids: the range ends before it starts ({first}-{last})")
    if ("password" in group) == ("password_env" in group):
        raise RosterError(f"{where}: give either password or password_env (the name of an environment variable "
                          "holding the password), not both or neither")
    if "password_env" in group:
        name = str(group["password_env"])
        if name not in os.environ:
            raise RosterError(f"{where}.password_env: the environment variable {name} is not set")
        password = os.environ[name]
    else:
        password = group["password"]
    if not isinstance(password, str):
        raise RosterError(f"{where}.password: must be text")
    skills = []
    for index, skill in enumerate(group.get("skills", ())):
        try:
            skills.append(Skill(int(skill["id"]), str(skill["name"]), int(skill["mediatype"])))
        except (KeyError, TypeError, ValueError):
            raise RosterError(f"{where}.skills[{index}]: needs id (a number), name and mediatype (a number)") \
                from None
    return range(first, last + 1), password, tuple(skills)


def _queues(file: Path, data: dict[str, Any], entries: dict[str, RosterEntry]) -> dict[int, SkillQueue]:
    """The VDN's skill queues: those listed under ``skills``, then any agent's skill not listed there."""
    queues: dict[int, SkillQueue] = {}
    listed = data.get("skills", [])
    if not isinstance(listed, list):
        raise RosterError(f"roster {file}: skills: must be a list of skill queues")
    for index, item in enumerate(listed):
        try:
            skill = Skill(int(item["id"]), str(item["name"]), int(item["mediatype"]))
            access = str(item.get("accessCode", ""))
            description = str(item.get("description", ""))
        except (KeyError, TypeError, ValueError):
            raise RosterError(f"roster {file}: skills[{index}]: needs id (a number), name and mediatype (a number); "
                              "accessCode and description are text") from None
        if skill.id in queues:
            raise RosterError(f"roster {file}: skills[{index}]: skill queue {skill.id} is listed twice")
        if access and any(queue.access_code == access for queue in queues.values()):
            raise RosterError(f"roster {file}: skills[{index}].accessCode: {access} already reaches another queue")
        queues[skill.id] = SkillQueue(skill, access, description)
    for entry in entries.values():
        for skill in entry.skills:
            queues.setdefault(skill.id, SkillQueue(skill))
    return queues


def _ivrs(file: Path, data: dict[str, Any]) -> tuple[Ivr, ...]:
    try:
        return tuple(Ivr(int(item["id"]), str(item["access"]), str(item.get("description", "")),
                         str(item.get("serviceNo", ""))) for item in data.get("ivrs", []))
    except (KeyError, TypeError, ValueError):
        raise RosterError(f"roster {file}: ivrs: each needs id (a number) and access (text)") from None


class Roster:
    def __init__(self, entries: dict[str, RosterEntry], queues: dict[int, SkillQueue] | None = None, *,
                 vdn: int = 1, ivrs: tuple[Ivr, ...] = ()) -> None:
        self.entries = entries
        # The VDN's skill queues by ID; without a list, every agent's skill is a queue without access code.
        self.queues = queues if queues is not None else {
            skill.id: SkillQueue(skill) for entry in entries.values() for skill in entry.skills}
        self.vdn = vdn
        self.ivrs = ivrs

    @classmethod
    def load(cls, path: str | Path | None = None) -> Roster:
        """Reads a roster file: ``{"agents": [{"ids": "101-200", "password_env": "NAME", "skills": [...],
        "group": "team-a"}, {"ids": "900", "password_env": "NAME", "group": "leads", "inspects": ["team-a"]}]}``.

        A password is given as ``password_env``, the name of an environment variable, so it is never written in
        the file; ``password`` (the text itself) is for throw-away test values. Problems raise RosterError."""
        file = Path(path or DEFAULT_ROSTER)
        data = read_json(file, f"roster {file}", RosterError)
        groups = data.get("agents") if isinstance(data, dict) else None
        if not isinstance(groups, list) or not groups:
            raise RosterError(f"roster {file}: needs a non-empty list 'agents'")
        entries: dict[str, RosterEntry] = {}
        named: set[str] = set()
        for index, group in enumerate(groups):
            where = f"roster {file}: agents[{index}]"
            numbers, password, skills = _group(where, group)
            name, inspects = _inspector_rights(where, group)
            named.add(name)
            for number in numbers:
                entries[str(number)] = RosterEntry(str(number), password, skills, name, inspects)
        for index, group in enumerate(groups):
            unknown = sorted(set(group.get("inspects", [])) - named)
            if unknown:
                raise RosterError(f"roster {file}: agents[{index}].inspects: no group is named "
                                  f"{', '.join(unknown)}; name groups with 'group' (known: {', '.join(sorted(named))})")
        vdn = data.get("vdn", 1)
        if isinstance(vdn, bool) or not isinstance(vdn, int) or vdn < 0:
            raise RosterError(f"roster {file}: vdn: must be a whole number, the VDN's ID, got {vdn!r}")
        return cls(entries, _queues(file, data, entries), vdn=vdn, ivrs=_ivrs(file, data))

    def may_inspect(self, inspector: str, agent: str) -> bool:
        """Whether ``inspector`` has inspector rights over ``agent``'s group."""
        entry, target = self.entries.get(str(inspector)), self.entries.get(str(agent))
        return entry is not None and target is not None and target.group in entry.inspects

    def password_of(self, agent_id: str) -> str:
        return self.entries[str(agent_id)].password

    def set_password(self, agent_id: str, password: str) -> None:
        entry = self.entries[str(agent_id)]
        self.entries[str(agent_id)] = RosterEntry(entry.agent_id, password, entry.skills, entry.group, entry.inspects)

    def __contains__(self, agent_id: object) -> bool:
        return str(agent_id) in self.entries

    def __len__(self) -> int:
        return len(self.entries)
