"""Agent pool files and team reservations: the checks of a pool file, all-or-nothing reservations with a deadline,
and PabotLib locks shared by several callers, with nothing but lock names crossing to the server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from robot.api.types import Secret
from robot.libraries.Remote import Remote

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.pool import (
    AgentPool,
    Holder,
    LocalLedger,
    PabotLibLedger,
    PoolAgent,
    PoolError,
    give_back,
    reserve,
    server_uri,
    team_member,
)

REPO = Path(__file__).resolve().parents[1]
ATEST_POOL = REPO / "atest" / "resources" / "agent_pool.json"


def _agent(agent_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": agent_id, "phone": f"70{agent_id}", "password_env": "POOL_TEST_PASSWORD", **extra}


def _pool_file(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "agents.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def _pool(tmp_path: Path, *agents: dict[str, Any]) -> AgentPool:
    return AgentPool.load(_pool_file(tmp_path, {"agents": list(agents)}))


# ---------------------------------------------------------------- the pool file


def test_a_pool_file_gives_ids_phones_skills_tags_and_password_variable_names(tmp_path: Path) -> None:
    pool = _pool(tmp_path, _agent("101", skills=[1, 2], tags=["sales", "vip"]), _agent("102"))
    assert pool.agents[0] == PoolAgent("101", "70101", "POOL_TEST_PASSWORD", (1, 2), frozenset({"sales", "vip"}))
    assert pool.agents[1].skills == () and pool.agents[1].tags == frozenset()
    assert [a.agent_id for a in pool.matching(["sales"])] == ["101"]
    assert [a.agent_id for a in pool.matching([])] == ["101", "102"]


def test_the_acceptance_pool_lists_simulator_agents() -> None:
    from CCGatewayLibrary.simulator.roster import Roster

    pool, roster = AgentPool.load(ATEST_POOL), Roster.load()
    assert len(pool.agents) >= 5 and all(agent.agent_id in roster for agent in pool.agents)


@pytest.mark.parametrize(("document", "message"), [
    ({"agents": []}, "agents: a JSON array breaks the rule: a non-empty list of agents"),
    ({"agent": []}, "agents: is required but missing (rule: a non-empty list of agents)"),
    ({"agents": [_agent("101", password="hunter2")]},
     "agents[0].password: passwords are never written in a pool file; give password_env"),
    ({"agents": [_agent("101"), _agent("102", colour="red")]},
     "agents[1].colour: not a field of a pool file (allowed: $comment, id, password_env, phone, skills, tags)"),
    ({"agents": [_agent("101", phone="70-01")]},
     "agents[0].phone: '70-01' breaks the rule: phone number bound to the agent, 1 to 24 digits, as text"),
    ({"agents": [_agent("99")]}, "agents[0].id: '99' breaks the rule: agent ID, digits from 101"),
    ({"agents": [{"id": "101", "phone": "70001"}]}, "agents[0].password_env: is required but missing"),
    ({"agents": [_agent("101", password_env="MY-PASSWORD")]},
     "agents[0].password_env: the secret value breaks the rule: name of the environment variable"),
    ({"agents": [_agent("101", tags=["two words"])]},
     "agents[0].tags[0]: 'two words' breaks the rule: a tag, 1 to 64 characters"),
    ({"agents": [_agent("101", skills=["one"])]}, "agents[0].skills[0]: 'one' breaks the rule: a skill queue ID"),
    ({"agents": [_agent("101"), _agent("101")]}, "agents[1].id: agent 101 is listed twice (also agents[0])"),
])
def test_a_pool_file_that_breaks_a_rule_is_refused_naming_file_entry_and_field(
        tmp_path: Path, document: Any, message: str) -> None:
    path = _pool_file(tmp_path, document)
    with pytest.raises(PoolError) as error:
        AgentPool.load(path)
    assert str(error.value).startswith(f"Agent pool {path}: "), error.value
    assert message in str(error.value)
    assert "hunter2" not in str(error.value)


def test_an_unreadable_or_broken_pool_file_is_refused_in_words(tmp_path: Path) -> None:
    with pytest.raises(PoolError, match=r"Agent pool .*missing\.json: cannot be read"):
        AgentPool.load(tmp_path / "missing.json")
    with pytest.raises(PoolError, match=r"Agent pool .*agents\.json line 2: not JSON"):
        AgentPool.load(_pool_file(tmp_path, '{"agents":\n ['))


# ---------------------------------------------------------------- reserving


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = 0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.now += seconds


def test_a_team_is_taken_whole_and_agents_held_are_skipped(tmp_path: Path) -> None:
    pool = _pool(tmp_path, _agent("101", tags=["desk"]), _agent("102"), _agent("103", tags=["desk"]))
    ledger = LocalLedger()
    team = reserve(pool, ledger, 2, ["desk"], 1.0, set())
    assert [a.agent_id for a in team] == ["101", "103"]
    # This process holds 101 and 103 already: the same caller gets neither again.
    clock = Clock()
    with pytest.raises(PoolError, match=r"no 1 agent tagged desk free in .* within 1 s \(reservations kept by this "
                                        r"process \(no PabotLib\); this process holds 101, 103\)"):
        reserve(pool, ledger, 1, ["desk"], 1.0, {"101", "103"}, clock=clock, sleep=clock.sleep)
    assert clock.sleeps >= 2  # it waited for the deadline instead of failing at once


def test_a_partial_team_is_given_back_while_waiting(tmp_path: Path) -> None:
    pool = _pool(tmp_path, _agent("101"), _agent("102"), _agent("103"))
    ledger = LocalLedger()
    assert ledger.take("ccgw-agent:102")  # another test holds 102
    clock = Clock()
    with pytest.raises(PoolError):
        reserve(pool, ledger, 3, [], 0.5, set(), clock=clock, sleep=clock.sleep)
    # Nothing of the attempt is kept: two waiting tests never hold halves of each other's team.
    assert ledger.take("ccgw-agent:101") and ledger.take("ccgw-agent:103")


def test_a_waiting_reservation_gets_the_team_once_it_is_given_back(tmp_path: Path) -> None:
    pool = _pool(tmp_path, _agent("101"), _agent("102"))
    ledger = LocalLedger()
    first = reserve(pool, ledger, 2, [], 1.0, set())
    clock = Clock()

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if clock.sleeps == 3:
            assert give_back(ledger, first) == []

    second = reserve(pool, ledger, 2, [], 60.0, set(), clock=clock, sleep=sleep)
    assert [a.agent_id for a in second] == ["101", "102"] and clock.sleeps == 3


def test_impossible_teams_are_refused_at_once(tmp_path: Path) -> None:
    pool = _pool(tmp_path, _agent("101", tags=["desk"]), _agent("102"))
    with pytest.raises(PoolError, match=r"has 1 agent\(s\) tagged desk, 2 wanted"):
        reserve(pool, LocalLedger(), 2, ["desk"], 60.0, set(), sleep=pytest.fail)
    with pytest.raises(PoolError, match="count must be 1 or more, got 0"):
        reserve(pool, LocalLedger(), 0, [], 60.0, set(), sleep=pytest.fail)


def test_the_password_is_a_secret_read_from_this_process_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = _pool(tmp_path, _agent("101", skills=[2]))
    monkeypatch.delenv("POOL_TEST_PASSWORD", raising=False)
    with pytest.raises(PoolError, match=r"agent 101: the environment variable its password_env names is not set "
                                        "in this process") as unset:
        team_member(pool.agents[0], pool)
    assert "POOL_TEST_PASSWORD" not in str(unset.value)  # a password written there by mistake is never quoted
    monkeypatch.setenv("POOL_TEST_PASSWORD", "Pool-Pass-1")
    member = team_member(pool.agents[0], pool)
    assert isinstance(member["password"], Secret) and member["password"].value == "Pool-Pass-1"
    assert member == {"id": "101", "phone": "70101", "password": member["password"], "skills": [2], "tags": []}


def test_the_shared_server_comes_before_pabots_own(monkeypatch: pytest.MonkeyPatch) -> None:
    variables = {"PABOTLIBURI": "127.0.0.1:8270"}
    monkeypatch.delenv("CCGW_POOL_SERVER", raising=False)
    assert server_uri(variables.get) == "127.0.0.1:8270"
    monkeypatch.setenv("CCGW_POOL_SERVER", "10.0.0.5:8271")
    assert server_uri(variables.get) == "10.0.0.5:8271"
    variables["CCGW_POOL_SERVER"] = "10.0.0.6:8272"
    assert server_uri(variables.get) == "10.0.0.6:8272"
    monkeypatch.delenv("CCGW_POOL_SERVER")
    assert server_uri({}.get) is None


# ---------------------------------------------------------------- PabotLib


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def pabotlib() -> Iterator[str]:
    """A PabotLib server of its own, as `python -m pabot.pabotlib` starts one for runs that share it."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "pabot.pabotlib", "", "127.0.0.1", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uri = f"127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                Remote(uri, timeout=2).run_keyword("get_parallel_value_for_key", ["probe"], {})
                break
            except RuntimeError:
                time.sleep(0.1)
        yield uri
    finally:
        server.terminate()
        server.wait(10)


class Recording:
    """A remote that records what would cross to PabotLib."""

    def __init__(self, remote: Remote) -> None:
        self.remote = remote
        self.sent: list[Any] = []

    def run_keyword(self, name: str, args: list[str], kwargs: dict[str, Any]) -> Any:
        self.sent.append((name, args, kwargs))
        return self.remote.run_keyword(name, args, kwargs)


def test_two_callers_sharing_a_pabotlib_server_never_hold_the_same_agent(
        tmp_path: Path, pabotlib: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POOL_TEST_PASSWORD", "Planted-Pool-Pass-77")
    pool = _pool(tmp_path, _agent("301"), _agent("302"), _agent("303"))
    first = PabotLibLedger(pabotlib, "run-a-process-1", remote=Recording(Remote(pabotlib)))
    second = PabotLibLedger(pabotlib, "run-b-process-1")
    team_a = reserve(pool, first, 2, [], 1.0, set())
    clock = Clock()
    with pytest.raises(PoolError, match=f"no 2 agents free in .* within 1 s \\(reservations kept by PabotLib at "
                                        f"{pabotlib}\\)"):
        reserve(pool, second, 2, [], 1.0, set(), clock=clock, sleep=clock.sleep)
    team_b = reserve(pool, second, 1, [], 1.0, set())
    assert {a.agent_id for a in team_a} == {"301", "302"} and [a.agent_id for a in team_b] == ["303"]
    assert give_back(first, team_a) == []
    assert {a.agent_id for a in reserve(pool, second, 2, [], 1.0, {"303"})} == {"301", "302"}
    assert [team_member(agent, pool)["password"].value for agent in team_a] == ["Planted-Pool-Pass-77"] * 2
    # Only lock names, the caller's ID and who holds a lock went to the server; the password stays here.
    assert {name for name, _, _ in first._remote.sent} == {"acquire_lock", "release_lock",
                                                           "set_parallel_value_for_key"}
    for _, args, _ in first._remote.sent:
        for arg in args:
            holder = Holder.from_text(arg)
            assert (arg.startswith(("ccgw-agent:", "holder:ccgw-agent:")) or arg in ("run-a-process-1", "")
                    or (holder is not None and holder.caller == "run-a-process-1")), arg
    assert "Planted-Pool-Pass-77" not in repr(first._remote.sent)


def test_a_pabotlib_server_that_does_not_answer_is_named(tmp_path: Path) -> None:
    ledger = PabotLibLedger(f"127.0.0.1:{_free_port()}", "caller")
    with pytest.raises(PoolError, match=r"PabotLib at 127\.0\.0\.1:\d+ does not answer .*CCGW_POOL_SERVER=host:port"):
        reserve(_pool(tmp_path, _agent("101")), ledger, 1, [], 1.0, set())


def test_giving_back_what_another_caller_holds_is_reported_not_raised(tmp_path: Path, pabotlib: str) -> None:
    pool = _pool(tmp_path, _agent("311"))
    owner, other = PabotLibLedger(pabotlib, "owner"), PabotLibLedger(pabotlib, "other")
    reserve(pool, owner, 1, [], 1.0, set())
    problems = give_back(other, pool.agents)
    assert len(problems) == 1 and problems[0].startswith("agent 311: PabotLib at")
    assert give_back(owner, pool.agents) == []


# ---------------------------------------------------------------- the keywords from Python


def test_keywords_reserve_from_the_pool_and_give_back_when_the_library_closes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POOL_TEST_PASSWORD", "Pool-Pass-2")
    monkeypatch.delenv("CCGW_POOL_SERVER", raising=False)
    path = _pool_file(tmp_path, {"agents": [_agent("101", tags=["desk"]), _agent("102", tags=["desk"])]})
    monkeypatch.setenv("CCGW_AGENT_POOL", str(path))
    library = CCGatewayLibrary()
    team = library.run_keyword("reserve_agents", [], {"count": 2, "tags": "desk"})
    assert [member["id"] for member in team] == ["101", "102"]
    assert "Pool-Pass-2" in library.ctx.secrets  # masked wherever it would appear
    with pytest.raises(PoolError, match="no 1 agent tagged desk free"):
        library.run_keyword("reserve_agents", [], {"tags": "desk", "deadline": 0.3})
    for listener in library.ROBOT_LIBRARY_LISTENER:
        if hasattr(listener, "close"):
            listener.close()
    assert library.run_keyword("reserve_agents", [], {"tags": "desk"})[0]["id"] == "101"


def test_without_a_pool_the_keyword_says_how_to_give_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CCGW_AGENT_POOL", raising=False)
    with pytest.raises(PoolError, match="No agent pool: run 'Use Agent Pool    <file>' first or set the environment "
                                        "variable CCGW_AGENT_POOL"):
        CCGatewayLibrary().run_keyword("reserve_agents", [], {})


def test_a_team_reserved_in_a_suite_setup_is_held_until_that_suite_ends(tmp_path: Path) -> None:
    """Under plain robot: the first suite holds the only agent for all its tests; the next suite gets it."""
    pool = _pool_file(tmp_path, {"agents": [_agent("101")]})
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "a_holder.robot").write_text(
        "*** Settings ***\nLibrary    CCGatewayLibrary\nSuite Setup    Reserve Agents\n\n"
        "*** Test Cases ***\nThe Suite Holds The Agent\n"
        "    Run Keyword And Expect Error    *no 1 agent free*this process holds 101*\n"
        "    ...    Reserve Agents    deadline=0.3 s\n"
        "The Agent Stays With The Suite After A Test\n"
        "    Run Keyword And Expect Error    *no 1 agent free*    Reserve Agents    deadline=0.3 s\n",
        encoding="utf-8")
    (suites / "b_next.robot").write_text(
        "*** Settings ***\nLibrary    CCGatewayLibrary\n\n*** Test Cases ***\nThe Next Suite Gets It\n"
        "    ${team}=    Reserve Agents    deadline=0.3 s\n    Should Be Equal    ${team}[0][id]    101\n",
        encoding="utf-8")
    env = dict(os.environ, CCGW_AGENT_POOL=str(pool), POOL_TEST_PASSWORD="Pool-Pass-3")
    env.pop("CCGW_POOL_SERVER", None)
    run = subprocess.run([sys.executable, "-m", "robot", "--output", "NONE", "--log", "NONE", "--report", "NONE",
                          str(suites)], capture_output=True, text=True, env=env, check=False, cwd=tmp_path)
    assert run.returncode == 0 and "3 tests, 3 passed, 0 failed" in run.stdout, run.stdout[-2000:]


def test_a_ledger_that_fails_half_way_gets_back_what_was_taken(tmp_path: Path) -> None:
    pool = _pool(tmp_path, _agent("101"), _agent("102"))

    class Failing(LocalLedger):
        def take(self, name: str) -> bool:
            if name.endswith("102"):
                raise PoolError("PabotLib went away")
            return super().take(name)

    ledger = Failing()
    with pytest.raises(PoolError, match="PabotLib went away"):
        reserve(pool, ledger, 2, [], 1.0, set(), sleep=pytest.fail)
    assert LocalLedger.take(ledger, pool.agents[0].lock)  # 101 was given back


_HOLD_AND_DIE = """
import sys, time
from CCGatewayLibrary.pool import PabotLibLedger
ledger = PabotLibLedger(sys.argv[1], "killed-process")
assert ledger.take("ccgw-agent:" + sys.argv[2])
print("held", flush=True)
time.sleep(60)
"""


def _holding_process(pabotlib: str, agent_id: str) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", _HOLD_AND_DIE, pabotlib, agent_id], stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_an_agent_held_by_a_killed_process_of_this_host_is_taken_over_at_once(
        tmp_path: Path, pabotlib: str, monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr("CCGatewayLibrary.pool.logger.warn", warnings.append)
    pool = _pool(tmp_path, _agent("321"))
    process = _holding_process(pabotlib, "321")
    process.kill()
    process.wait(10)
    clock = Clock()
    team = reserve(pool, PabotLibLedger(pabotlib, "survivor"), 1, [], 60.0, set(), clock=clock, sleep=clock.sleep)
    assert [a.agent_id for a in team] == ["321"] and clock.sleeps == 0
    assert len(warnings) == 1 and f"process {process.pid}" in warnings[0] and "taken over" in warnings[0]


def test_a_deadline_that_passes_names_the_agents_still_held_and_by_whom(
        tmp_path: Path, pabotlib: str) -> None:
    pool = _pool(tmp_path, _agent("331"), _agent("332"))
    process = _holding_process(pabotlib, "332")
    try:
        waiter = PabotLibLedger(pabotlib, "waiter")
        clock = Clock()
        with pytest.raises(PoolError) as raised:
            reserve(pool, waiter, 2, [], 1.0, set(), clock=clock, sleep=clock.sleep)
    finally:
        process.kill()
        process.wait(10)
    text = str(raised.value)
    assert f"Held: 332 by process {process.pid} on {socket.gethostname()} since " in text, text
    # agent 331 is not among the held ones (a process ID may contain the digits 331: compare the entries' agents)
    held = text.partition("Held: ")[2].partition(". An agent whose")[0].split("; ")
    assert "which has ended" not in text and [entry.split(" by ")[0] for entry in held] == ["332"], held
    assert waiter.take("ccgw-agent:331")  # the free agent of the failed attempt went back


class Permissive:
    """A ledger that hands out every lock again, as PabotLib does to the caller that already holds it."""

    where = "a permissive ledger"

    def take(self, name: str) -> bool:
        return True

    def give_back(self, name: str) -> None:
        pass

    def holder(self, name: str) -> None:
        return None

    def reclaim(self, name: str, holder: Holder) -> bool:
        return False


def test_agents_this_process_holds_are_skipped_even_when_the_ledger_would_hand_them_out(tmp_path: Path) -> None:
    pool = _pool(tmp_path, _agent("101"), _agent("102"), _agent("103"))
    team = reserve(pool, Permissive(), 2, [], 1.0, {"101"})
    assert [a.agent_id for a in team] == ["102", "103"]


def test_every_tag_asked_for_must_be_on_the_agent(tmp_path: Path) -> None:
    pool = _pool(tmp_path, _agent("101", tags=["desk"]), _agent("102", tags=["desk", "sales"]),
                 _agent("103", tags=["sales"]))
    assert [a.agent_id for a in pool.matching(["desk", "sales"])] == ["102"]
    team = reserve(pool, LocalLedger(), 1, ["sales", "desk"], 1.0, set())
    assert [a.agent_id for a in team] == ["102"]


class Counting(Permissive):
    """A ledger whose agents are all taken by a holder that still runs; counts the questions about it."""

    def __init__(self) -> None:
        self.asked = 0

    def take(self, name: str) -> bool:
        return False

    def holder(self, name: str) -> Holder:
        self.asked += 1
        return Holder("someone", "another-host", 1, "2026-12-06 10:00:00")


def test_a_waiting_reservation_asks_after_a_holder_only_every_few_seconds(tmp_path: Path) -> None:
    pool = _pool(tmp_path, _agent("101"))
    ledger, clock = Counting(), Clock()
    with pytest.raises(PoolError, match="Held: 101 by process 1 on another-host"):
        reserve(pool, ledger, 1, [], 10.0, set(), clock=clock, sleep=clock.sleep)
    # about 30 attempts in 10 s; the holder asked about every 2 s, plus once more to name it in the failure
    assert clock.sleeps >= 20 and ledger.asked <= 10 / 2 + 2
