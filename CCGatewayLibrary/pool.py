"""Agent pools: the agents of a real gateway that tests may use, and reserving teams of them.

A gateway lets an agent be signed in only once, so tests running in parallel (pabot processes, or several
pabot runs on several machines) must not pick the same agent. A pool file lists the agents; a test reserves
a team with `Reserve Agents`, which takes one PabotLib lock per agent (``ccgw-agent:<id>``), all of the team
or none, and gives them back when the test (or the suite that reserved them) ends.

Only lock names and the caller's ID cross PabotLib: a pool file holds the *name* of the environment variable
with each password, and the password is read from this process's environment when the team is handed out.
Without PabotLib (plain ``robot``) the same reservations are kept in the process.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from robot.api import logger
from robot.api.types import Secret

from .catalogue import load_catalogue
from .catalogue.validation import SchemaValidator, describe, field_name
from .errors import CCGatewayError
from .jsonfile import read_json

POOL_SCHEMA_FILE = Path(__file__).resolve().parent / "catalogue" / "agent_pool.schema.json"
LOCK_PREFIX = "ccgw-agent:"
HOLDER_PREFIX = "holder:"  # PabotLib value beside each lock: who took it (caller, host, process), never a secret
RETRY_PAUSE = 0.2  # seconds between attempts while every matching agent is taken (plus up to as much again)
HOLDER_CHECK_PAUSE = 2.0  # seconds before asking again whether a taken agent's holder still runs


class PoolError(CCGatewayError):
    """A pool file that cannot be used, or a team that cannot be reserved; the text says which and why."""


@dataclass(frozen=True)
class PoolAgent:
    agent_id: str
    phone: str
    password_env: str
    skills: tuple[int, ...] = ()
    tags: frozenset[str] = frozenset()

    @property
    def lock(self) -> str:
        return LOCK_PREFIX + self.agent_id


@dataclass(frozen=True)
class AgentPool:
    path: Path
    agents: tuple[PoolAgent, ...]

    @classmethod
    def load(cls, path: str | Path) -> AgentPool:
        """Reads and checks a pool file; a problem raises PoolError naming the file, the entry and the field."""
        file = Path(path).resolve()
        where = f"Agent pool {file}"
        try:
            data = read_json(file, where, PoolError)
        except PoolError as error:
            raise PoolError(f"{error}.") from None
        problem = _first_problem(data)
        if problem:
            raise PoolError(f"{where}: {problem}.")
        agents = tuple(PoolAgent(entry["id"], entry["phone"], entry["password_env"], tuple(entry.get("skills", ())),
                                 frozenset(entry.get("tags", ()))) for entry in data["agents"])
        seen: dict[str, int] = {}
        for index, agent in enumerate(agents):
            if agent.agent_id in seen:
                raise PoolError(f"{where}: agents[{index}].id: agent {agent.agent_id} is listed twice "
                                f"(also agents[{seen[agent.agent_id]}]); each agent can be signed in only once.")
            seen[agent.agent_id] = index
        return cls(file, agents)

    def matching(self, tags: Iterable[str]) -> list[PoolAgent]:
        wanted = set(tags)
        return [agent for agent in self.agents if wanted <= agent.tags]


def _first_problem(data: Any) -> str | None:
    """The first rule the document breaks, in words; a password written into the file gets its own words."""
    for index, entry in enumerate(data.get("agents") or () if isinstance(data, dict) else ()):
        if isinstance(entry, dict) and "password" in entry:
            return (f"agents[{index}].password: passwords are never written in a pool file; give password_env, "
                    "the name of the environment variable that holds it")
    schema = json.loads(POOL_SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = SchemaValidator(schema, registry=load_catalogue().registry)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return None
    error = errors[0]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        return (f"{field_name([*error.absolute_path, extra[0]])}: not a field of a pool file "
                f"(allowed: {', '.join(allowed)})")
    return describe(error)


class Ledger(Protocol):
    """Who holds which agent: PabotLib's locks, or a table in this process."""

    where: str

    def take(self, name: str) -> bool: ...

    def give_back(self, name: str) -> None: ...

    def holder(self, name: str) -> Holder | None:
        """Who holds ``name``, when that was noted."""
        ...

    def reclaim(self, name: str, holder: Holder) -> bool:
        """Takes ``name`` over from a holder that ended without giving it back; True when it is now ours."""
        ...


@dataclass(frozen=True)
class Holder:
    """Who took an agent: noted beside the lock, so a waiting test can name it and see whether it still runs."""

    caller: str
    host: str
    pid: int
    since: str

    def to_text(self) -> str:
        return json.dumps({"caller": self.caller, "host": self.host, "pid": self.pid, "since": self.since})

    @classmethod
    def from_text(cls, text: Any) -> Holder | None:
        try:
            data = json.loads(text) if isinstance(text, str) and text else None
            return cls(str(data["caller"]), str(data["host"]), int(data["pid"]), str(data["since"])) if data else None
        except (ValueError, TypeError, KeyError):
            return None

    @classmethod
    def this_process(cls, caller: str) -> Holder:
        return cls(caller, socket.gethostname(), os.getpid(), time.strftime("%Y-%m-%d %H:%M:%S"))

    def ended(self) -> bool:
        """True only when the holder ran on this host and its process is gone; elsewhere nobody can tell."""
        if self.host != socket.gethostname() or self.pid == os.getpid():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False  # it exists, owned by someone else
        return False

    def __str__(self) -> str:
        state = ", which has ended" if self.ended() else ""
        return f"process {self.pid} on {self.host} since {self.since}{state}"


class LocalLedger:
    """Reservations inside this process, for plain ``robot``."""

    where = "this process (no PabotLib)"

    def __init__(self) -> None:
        self._held: set[str] = set()
        self._lock = threading.Lock()

    def take(self, name: str) -> bool:
        with self._lock:
            if name in self._held:
                return False
            self._held.add(name)
            return True

    def give_back(self, name: str) -> None:
        with self._lock:
            self._held.discard(name)

    def holder(self, name: str) -> Holder | None:
        return None  # only this process takes them

    def reclaim(self, name: str, holder: Holder) -> bool:
        return False


class PabotLibLedger:
    """Locks on a PabotLib server, pabot's own or one shared by several runs (``python -m pabot.pabotlib``).

    Talks to the server's remote keywords directly, because PabotLib's own ``Acquire Lock`` waits without end."""

    def __init__(self, uri: str, caller_id: str, remote: Any = None) -> None:
        from robot.libraries.Remote import Remote

        self.where = f"PabotLib at {uri}"
        self.caller_id = caller_id
        self._remote = remote or Remote(uri, timeout=10)

    def _run(self, name: str, *args: str) -> Any:
        from robot.errors import RemoteError

        try:
            return self._remote.run_keyword(name, list(args), {})
        except RemoteError as error:
            raise PoolError(f"{self.where} refused {name} {args[0]}: {error}") from None
        except RuntimeError as error:
            raise PoolError(f"{self.where} does not answer ({error}): start pabot with PabotLib (the default), "
                            "or give the shared server as CCGW_POOL_SERVER=host:port.") from None

    def take(self, name: str) -> bool:
        if not self._run("acquire_lock", name, self.caller_id):
            return False
        self._run("set_parallel_value_for_key", HOLDER_PREFIX + name, Holder.this_process(self.caller_id).to_text())
        return True

    def give_back(self, name: str) -> None:
        self._run("release_lock", name, self.caller_id)
        self._run("set_parallel_value_for_key", HOLDER_PREFIX + name, "")

    def holder(self, name: str) -> Holder | None:
        return Holder.from_text(self._run("get_parallel_value_for_key", HOLDER_PREFIX + name))

    def reclaim(self, name: str, holder: Holder) -> bool:
        try:
            self._run("release_lock", name, holder.caller)
        except PoolError:
            return False  # given back or taken by someone else meanwhile
        return self.take(name)


@dataclass
class Reservation:
    """A team reserved together, given back together."""

    agents: tuple[PoolAgent, ...]
    scope: str  # "test" or "suite": when it is given back on its own
    taken_at: float = field(default_factory=time.time)


class PoolState:
    """The pool in use, this process's ledger and its reservations; kept by the library context."""

    def __init__(self) -> None:
        self.pool: AgentPool | None = None
        self.ledger: Ledger | None = None
        self.reservations: list[Reservation] = []

    def held_here(self) -> set[str]:
        return {agent.agent_id for reservation in self.reservations for agent in reservation.agents}


def server_uri(variable: Callable[[str], str | None]) -> str | None:
    """The PabotLib server to use: ``CCGW_POOL_SERVER`` (variable or environment) before pabot's ``PABOTLIBURI``.

    pabot 5.2 passes ``PABOTLIBURI`` as 127.0.0.1:8270 even with ``--pabotlibhost``/``--pabotlibport``
    (mkorpela/pabot#717), so runs sharing a server name it themselves."""
    return variable("CCGW_POOL_SERVER") or os.environ.get("CCGW_POOL_SERVER") or variable("PABOTLIBURI") or None


def new_ledger(uri: str | None, caller_id: str | None) -> Ledger:
    if not uri:
        return LocalLedger()
    return PabotLibLedger(uri, caller_id or f"ccgw-{uuid.uuid4()}")


def reserve(
    pool: AgentPool,
    ledger: Ledger,
    count: int,
    tags: Sequence[str],
    deadline: float,
    held_here: set[str],
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[PoolAgent, ...]:
    """``count`` agents with all ``tags``, taken together or not at all, waiting up to ``deadline`` seconds.

    Agents this process holds already are skipped (PabotLib's locks would let the same caller take them again).
    Taking all or none keeps two tests that each hold half of what the other needs from waiting on each other."""
    if count < 1:
        raise PoolError(f"Reserve Agents: count must be 1 or more, got {count}.")
    suited = pool.matching(tags)
    tagged = f" tagged {', '.join(tags)}" if tags else ""
    if len(suited) < count:
        raise PoolError(f"Reserve Agents: agent pool {pool.path} has {len(suited)} agent(s){tagged}, {count} wanted.")
    wanted = f"{count} agent{'s' if count > 1 else ''}{tagged}"
    candidates = [agent for agent in suited if agent.agent_id not in held_here]
    end = clock() + deadline
    next_check: dict[str, float] = {}  # lock -> when to ask again whether its holder still runs
    while True:
        taken: list[PoolAgent] = []
        refused: list[PoolAgent] = []
        try:
            for agent in candidates:
                if ledger.take(agent.lock) or _reclaimed_now(ledger, agent, next_check, clock()):
                    taken.append(agent)
                    if len(taken) == count:
                        return tuple(taken)
                else:
                    refused.append(agent)
        except BaseException:  # the ledger failed half-way: what was taken goes back before the error does
            for agent in taken:
                with contextlib.suppress(Exception):
                    ledger.give_back(agent.lock)
            raise
        for agent in taken:
            ledger.give_back(agent.lock)
        if clock() >= end:
            mine = f"; this process holds {', '.join(sorted(held_here))}" if held_here else ""
            raise PoolError(f"Reserve Agents: no {wanted} free in {pool.path} within {deadline:g} s "
                            f"(reservations kept by {ledger.where}{mine}){_held_elsewhere(ledger, refused)}.")
        sleep(RETRY_PAUSE * (1 + random.random()))  # jitter: two waiters do not retry in step


def _reclaimed_now(ledger: Ledger, agent: PoolAgent, next_check: dict[str, float], now: float) -> bool:
    """`_reclaimed`, asked at most every HOLDER_CHECK_PAUSE seconds per agent while a reservation waits."""
    if now < next_check.get(agent.lock, 0.0):
        return False
    next_check[agent.lock] = now + HOLDER_CHECK_PAUSE
    return _reclaimed(ledger, agent)


def _reclaimed(ledger: Ledger, agent: PoolAgent) -> bool:
    """Takes ``agent`` over when the process holding it ran on this host and has ended (killed, crashed)."""
    holder = ledger.holder(agent.lock)
    if holder is None or not holder.ended() or not ledger.reclaim(agent.lock, holder):
        return False
    logger.warn(f"Agent {agent.agent_id} was held by {holder}, which never gave it back; taken over. It may "
                "still be signed in at the gateway: sign it in with force=True.")
    return True


def _held_elsewhere(ledger: Ledger, refused: Sequence[PoolAgent]) -> str:
    """Who holds the agents that could not be taken, so a stuck run names its cause."""
    if not refused:
        return ""
    named = []
    for agent in refused:
        holder = ledger.holder(agent.lock)
        named.append(f"{agent.agent_id} by {holder}" if holder else agent.agent_id)
    return (f". Held: {'; '.join(named)}. An agent whose holder was killed on another host stays held until the "
            "PabotLib server restarts")


def give_back(ledger: Ledger, agents: Iterable[PoolAgent]) -> list[str]:
    """Gives the agents back; returns the problems (a teardown releases what it can and reports the rest)."""
    problems = []
    for agent in agents:
        try:
            ledger.give_back(agent.lock)
        except (PoolError, AssertionError, KeyError) as error:
            problems.append(f"agent {agent.agent_id}: {error}")
    return problems


def team_member(agent: PoolAgent, pool: AgentPool) -> dict[str, Any]:
    """What a test needs of a reserved agent; the password as a `Secret`, read here from its variable."""
    value = os.environ.get(agent.password_env)
    if not value:
        # The name is not repeated: a password written there by mistake would be quoted.
        raise PoolError(f"Agent pool {pool.path}: agent {agent.agent_id}: the environment variable its password_env "
                        "names is not set in this process.")
    return {"id": agent.agent_id, "phone": agent.phone, "password": Secret(value), "skills": list(agent.skills),
            "tags": sorted(agent.tags)}
