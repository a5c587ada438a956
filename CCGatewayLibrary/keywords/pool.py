from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from robot.api import logger
from robot.api.deco import keyword
from robot.libraries.BuiltIn import BuiltIn, RobotNotRunningError

from ..pool import AgentPool, PoolError, PoolState, Reservation, give_back, new_ledger, reserve, server_uri, team_member
from .base import LibraryComponent, seconds

POOL_VARIABLE = "CCGW_AGENT_POOL"
DEFAULT_DEADLINE = 30.0


def _variable(name: str) -> str | None:
    try:
        value = BuiltIn().get_variable_value(f"${{{name}}}")
    except RobotNotRunningError:  # used from Python, not from a Robot run
        return None
    return str(value) if value not in (None, "") else None


class PoolKeywords(LibraryComponent):
    """Reserving agents of a real gateway for a test, so that parallel tests never share an agent.

    Also a listener: a team goes back to the pool when the test (or the suite) that reserved it ends, after the
    teardown has signed the agents out, so a failing test frees its agents too."""

    ROBOT_LISTENER_API_VERSION = 3

    @property
    def state(self) -> PoolState:
        return self.ctx.pool

    @keyword(tags=["pool"])
    def use_agent_pool(self, path: Path) -> None:
        """Reads the agent pool file ``path`` and reserves from it from now on.

        The file is JSON: each agent has ``id``, ``phone``, ``password_env`` (the *name* of the environment
        variable holding its password; passwords are never written in the file) and optionally ``skills`` (skill
        queue IDs) and ``tags``. A file that breaks a rule is refused, naming the file, the entry and the field.

        | {"agents": [
        |   {"id": "101", "phone": "70001", "password_env": "CCGW_AGENT_PASSWORD", "skills": [1], "tags": ["sales"]},
        |   {"id": "102", "phone": "70002", "password_env": "CCGW_AGENT_PASSWORD", "tags": ["sales", "supervisor"]}
        | ]}

        Without this keyword, `Reserve Agents` reads the file that the environment variable ``CCGW_AGENT_POOL``
        names.

        | `Use Agent Pool` | ${CURDIR}/agents.json |
        """
        self.state.pool = AgentPool.load(path)
        tags = sorted(set().union(*(agent.tags for agent in self.state.pool.agents)))
        logger.info(f"Agent pool {path}: {len(self.state.pool.agents)} agents"
                    + (f", tags {', '.join(tags)}." if tags else "."))

    @keyword(tags=["pool"])
    def reserve_agents(self, count: int = 1, tags: list[str] | str | None = None,
                       deadline: timedelta = timedelta(seconds=DEFAULT_DEADLINE)) -> list[dict[str, Any]]:
        """Reserves ``count`` agents of the pool that carry every tag of ``tags`` and returns them, waiting up to
        ``deadline`` while other tests hold them.

        Each agent comes as a dictionary: ``id``, ``phone``, ``password`` (a `Secret`, read from the environment
        variable the pool file names, in this process), ``skills`` and ``tags``. ``tags`` is a list or one text
        with commas (``sales,supervisor``).

        The agents are reserved all together or not at all. Under pabot the reservation is a PabotLib lock per
        agent (``ccgw-agent:<id>``), so no other process of the run, nor another run sharing the PabotLib server
        (``CCGW_POOL_SERVER=host:port``), gets them; only lock names travel, never a password. Under plain
        ``robot`` the reservation is kept in the process.

        Beside each lock PabotLib keeps who took it (host and process, nothing secret). An agent held by a process
        of this host that has ended (killed, crashed) is taken over at once, with a warning; when the deadline
        passes, the failure names the agents still held and by whom.

        The team is given back when the test ends, after its teardown (reserved in a suite setup: when the
        suite ends), also when the test fails, so sign the agents out in the teardown (`Sign Out All Agents`).
        `Release Agents` gives them back earlier.

        | ${team} = | `Reserve Agents` | count=2 | tags=conference | deadline=1 min |
        | `Sign In Agent` | ${team}[0][id] | ${team}[0][password] | ${team}[0][phone] | alias=first |
        | `Sign In Agent` | ${team}[1][id] | ${team}[1][password] | ${team}[1][phone] | alias=second |
        """
        pool = self._pool()
        wanted = [t.strip() for t in tags.split(",")] if isinstance(tags, str) else list(tags or [])
        wanted = [t for t in wanted if t]
        if self.state.ledger is None:
            self.state.ledger = new_ledger(server_uri(_variable), _variable("CALLER_ID"))
        ledger = self.state.ledger
        started = time.monotonic()
        agents = reserve(pool, ledger, count, wanted, seconds(deadline, DEFAULT_DEADLINE), self.state.held_here())
        try:
            team = [team_member(agent, pool) for agent in agents]
        except PoolError:
            give_back(ledger, agents)
            raise
        for member in team:
            self.ctx.secrets.register(member["password"])
        suite = _variable("SUITE NAME") or ""
        scope = "test" if _variable("TEST NAME") else f"suite:{suite}"
        self.state.reservations.append(Reservation(agents, scope))
        logger.info(f"Reserved agents {', '.join(a.agent_id for a in agents)} in {ledger.where} after "
                    f"{time.monotonic() - started:.1f} s.")
        return team

    @keyword(tags=["pool"])
    def release_agents(self) -> None:
        """Gives back the agents reserved in the current test (in a suite setup or teardown: those reserved by the
        suite) before the test or suite ends, for example to let a waiting test go on sooner.

        Sign them out first: the next test that reserves an agent signs it in.
        """
        scope = "test" if _variable("TEST NAME") else f"suite:{_variable('SUITE NAME') or ''}"
        self._release(lambda r: r.scope == scope)

    def _pool(self) -> AgentPool:
        if self.state.pool is None:
            path = _variable(POOL_VARIABLE) or os.environ.get(POOL_VARIABLE)
            if not path:
                raise PoolError("No agent pool: run 'Use Agent Pool    <file>' first or set the environment variable "
                                f"{POOL_VARIABLE} to the pool file.")
            self.state.pool = AgentPool.load(path)
        return self.state.pool

    def _release(self, which: Any) -> None:
        chosen = [r for r in self.state.reservations if which(r)]
        if not chosen or self.state.ledger is None:
            return
        self.state.reservations = [r for r in self.state.reservations if r not in chosen]
        agents = [agent for reservation in chosen for agent in reservation.agents]
        still_in = sorted(h.agent_id for h in self.ctx.agents.values()
                          if h.signed_in and h.agent_id in {a.agent_id for a in agents})
        if still_in:
            logger.warn(f"Agents {', '.join(still_in)} go back to the pool still signed in; the next test that "
                        "reserves them will be refused (100-002). Sign them out in the teardown.")
        problems = give_back(self.state.ledger, agents)
        logger.info(f"Released agents {', '.join(a.agent_id for a in agents)} in {self.state.ledger.where}.")
        if problems:
            logger.warn("Giving agents back failed: " + "; ".join(problems))

    # -- listener: teams go back when their test or suite ends --------------------------------------------
    def end_test(self, data: Any, result: Any) -> None:
        self._release(lambda r: r.scope == "test")

    def end_suite(self, data: Any, result: Any) -> None:
        self._release(lambda r: r.scope == f"suite:{result.full_name}")

    def close(self) -> None:
        self._release(lambda r: True)
