"""The simulator's console: its one snapshot of the world (what it shows, filtered and paged, and what it never
holds; skill queues from the queue chapter's own figures, recording and conferences on calls, text sessions as
counts), the activity it reads (requests and events), and its protection (the control token in the WebSocket's
first message, same origin, loopback Host), its buttons' control actions, restarts, ``ccgw-sim`` and the keyword.
The page itself is tested in Chromium: test_browser_console.py."""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import requests
from simulated_world import COLLEAGUES, CUSTOMER, SimulatedWorld, Worlds

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import SimulatorError
from CCGatewayLibrary.simulator import cli
from CCGatewayLibrary.simulator.console.server import CONSOLE_PATH, UNAUTHORIZED
from CCGatewayLibrary.simulator.console.snapshot import MAX_FILTER, WAITING_SHOWN, View, ViewError, snapshot
from CCGatewayLibrary.simulator.model import SimulatorConfig
from CCGatewayLibrary.simulator.process import SimulatorProcess
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.simulator.runner import SimulatorRunner
from CCGatewayLibrary.simulator.server import GatewaySimulator

AGENT, SUPERVISOR = "101", "900"
TOKEN = "console-unit-token-30d9be"
CALLBACK, SERVICE_TOKEN, CALL_DATA = "https://receiver.example:9443/events/101", "svcTok4242", "secret-ish-data"


# -- the snapshot -------------------------------------------------------------------------------------------
@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    return worlds()


def _simulator(world: SimulatedWorld) -> GatewaySimulator:
    """A simulator (not serving) whose world is the test's checked model."""
    simulator = GatewaySimulator(world.model.config, world.model.roster)
    simulator.model = world.model
    return simulator


def test_signed_in_agents_show_with_state_phone_skills_and_group(world: SimulatedWorld) -> None:
    world.sign_in_all(*COLLEAGUES)
    world.do("sayBusy", "102")
    snap = snapshot(_simulator(world))
    agents = snap["agents"]
    assert agents["total"] == 3 and [row["id"] for row in agents["rows"]] == list(COLLEAGUES)
    first, second = agents["rows"][:2]
    assert (first["stateName"], first["phone"], first["group"], first["signedIn"]) == ("idle", "70001", "frontline",
                                                                                       True)
    assert [skill["name"] for skill in first["skills"]] == ["defaultMediaSkill", "billingQueue"]
    assert all(skill["active"] for skill in first["skills"]) and first["mode"] == "poll"
    assert second["stateName"] == "busy"
    assert snap["simulator"]["signedIn"] == 3 and snap["simulator"]["states"] == {"idle": 2, "busy": 1}
    # the whole roster: agents never signed in are listed too, blank
    roster = snapshot(_simulator(world), View(scope="roster"))["agents"]
    assert roster["total"] == len(world.model.roster) == 1000
    assert roster["rows"][3] == {**roster["rows"][3], "id": "104", "signedIn": False, "stateName": "signed out",
                                 "phone": "", "calls": []}


def test_calls_show_parties_roles_hold_mute_and_who_inspects_whom(world: SimulatedWorld) -> None:
    world.sign_in_all(*COLLEAGUES)
    world.model.login(SUPERVISOR, {"password": world.password(SUPERVISOR), "phonenum": "70900"})
    callid = world.customer_talking_to(AGENT)
    world.do("addSupervise", SUPERVISOR, path={"workNo": AGENT})
    world.do("beginMute", AGENT)
    held = world.customer_talking_to("102")
    world.do("hold", "102")
    snap = snapshot(_simulator(world))
    calls = {row["callid"]: row for row in snap["calls"]["rows"]}
    assert set(calls) == {callid, held} and snap["calls"]["total"] == 2
    legs = {(leg["role"], leg["agent"]): leg for leg in calls[callid]["legs"]}
    assert set(legs) == {("customer", None), ("agent", AGENT), ("listen", SUPERVISOR)}
    assert legs[("customer", None)]["number"] == CUSTOMER and legs[("customer", None)]["customer"]
    assert legs[("agent", AGENT)]["muted"] and not legs[("agent", AGENT)]["held"]
    assert legs[("listen", SUPERVISOR)]["inspects"] == AGENT and not legs[("listen", SUPERVISOR)]["party"]
    assert legs[("listen", SUPERVISOR)]["heardBy"] == [] and legs[("agent", AGENT)]["heardBy"] == ["customer",
                                                                                                    "listen"]
    [agent_leg] = [leg for leg in calls[held]["legs"] if leg["role"] == "agent"]
    assert agent_leg["held"] and agent_leg["state"] == "held"
    rows = {row["id"]: row for row in snap["agents"]["rows"]}
    assert rows[AGENT]["inspectedBy"] == [{"agent": SUPERVISOR, "mode": "listen"}]
    assert rows[SUPERVISOR]["inspecting"] == [{"agent": AGENT, "mode": "listen"}]
    assert rows[SUPERVISOR]["inspects"] == ["frontline"]
    assert rows[AGENT]["calls"] == [{"callid": callid, "state": "talking", "role": "agent", "muted": True}]


def test_a_snapshot_never_holds_a_guid_password_service_token_callback_or_call_data(world: SimulatedWorld) -> None:
    world.sign_in_all(*COLLEAGUES)
    world.sign_in(SUPERVISOR, callBackUri=CALLBACK, serviceToken=SERVICE_TOKEN)
    callid = world.customer_talking_to(AGENT)
    world.model.calls[callid].data = CALL_DATA
    simulator = _simulator(world)
    for view in (View(), View(scope="roster", size=200), View(filter=AGENT)):
        text = json.dumps(snapshot(simulator, view))
        secrets = [world.password(AGENT), world.password(SUPERVISOR), SERVICE_TOKEN, CALLBACK, CALL_DATA,
                   *world.model.issued_guids]
        assert len(world.model.issued_guids) >= 4
        assert [secret for secret in secrets if secret in text] == []
    assert {row["id"]: row["mode"] for row in snapshot(simulator)["agents"]["rows"]}[SUPERVISOR] == "push"


def test_a_thousand_agents_come_one_page_at_a_time_and_the_filter_finds_one(world: SimulatedWorld) -> None:
    ids = list(world.model.roster.entries)
    for agent_id in ids:
        world.model.login(agent_id, {"password": world.password(agent_id), "phonenum": "7" + agent_id})
    simulator = _simulator(world)
    first = snapshot(simulator, View(size=50))["agents"]
    assert first["total"] == 1000 and [row["id"] for row in first["rows"]] == ids[:50]
    last = snapshot(simulator, View(size=50, page=19))["agents"]
    assert [row["id"] for row in last["rows"]] == ids[950:]
    assert snapshot(simulator, View(size=50, page=20))["agents"]["rows"] == []
    found = snapshot(simulator, View(filter="71099"))["agents"]  # a phone
    assert found["total"] == 1 and found["rows"][0]["id"] == "1099"
    both = snapshot(simulator, View(filter="BACKOFFICE 109"))["agents"]  # every word, in any field, any case
    assert [row["id"] for row in both["rows"]] == [str(number) for number in range(1090, 1100)]


@pytest.mark.parametrize(("given", "problem"), [
    ([], "view must be a JSON object"),
    ({"filter": 5}, f"filter must be text of at most {MAX_FILTER} characters"),
    ({"filter": "x" * (MAX_FILTER + 1)}, "filter must be text"),
    ({"scope": "everyone"}, "scope must be one of signed-in, known, roster"),
    ({"size": 0}, "size must be a whole number from 1 to 200"),
    ({"size": 201}, "size must be a whole number from 1 to 200"),
    ({"page": -1}, "page must be a whole number"),
    ({"page": True}, "page must be a whole number"),
    ({"calls_page": "2"}, "calls_page must be a whole number"),
])
def test_a_view_that_breaks_a_rule_is_refused_naming_the_field(given: Any, problem: str) -> None:
    with pytest.raises(ViewError, match=problem):
        View.parse(given)


def test_a_view_keeps_what_it_was_given() -> None:
    assert View.parse({"filter": "idle", "scope": "known", "page": 2, "size": 10, "calls_page": 1, "type": "view"}) \
        == View("idle", "known", 2, 10, 1)


BILLING, NOBODYS = 2, 3  # roster skill queues: billing (every agent has it), sales (no agent has it)


def test_queues_show_the_queue_chapters_own_figures_and_the_calls_waiting(world: SimulatedWorld) -> None:
    world.sign_in(AGENT, status="3", autoanswer="true")  # busy: nobody free for the billing queue
    simulator = _simulator(world)
    chapter = world.model.queues
    queued = world.model.queue_inbound_call(CUSTOMER, BILLING)
    world.clock.advance(2.5)
    world.model.queue_inbound_call("88880002", BILLING)
    world.clock.advance(1)
    rows = {row["skillId"]: row for row in snapshot(simulator)["queues"]}
    assert list(rows) == list(chapter.queues)
    billing = rows[BILLING]
    assert billing == {**chapter.statistics(BILLING), "waiting": billing["waiting"]}  # the chapter's numbers
    assert (billing["name"], billing["queueSize"], billing["longestWait"]) == ("billingQueue", 2, 3.5)
    assert (billing["loggedOnAgents"], billing["availAgents"], billing["offered"]) == (1, 0, 2)
    assert billing["waiting"] == [{"callid": queued["callid"], "caller": CUSTOMER, "waited": 3.5},
                                  {"callid": billing["waiting"][1]["callid"], "caller": "88880002", "waited": 1.0}]
    assert rows[NOBODYS]["queueSize"] == 0 and rows[NOBODYS]["waiting"] == []
    assert [[leg["queued"] for leg in call["legs"]] for call in snapshot(simulator)["calls"]["rows"]] == [
        ["billingQueue"], ["billingQueue"]]
    # the agent becoming ready takes the oldest call: the queue shortens, the call shows with the agent on it
    world.do("sayFree", AGENT)
    after = snapshot(simulator)
    billing = next(row for row in after["queues"] if row["skillId"] == BILLING)
    assert (billing["queueSize"], billing["availAgents"]) == (1, 0)
    assert [call["caller"] for call in billing["waiting"]] == ["88880002"]
    calls = {row["caller"]: {leg["agent"] for leg in row["legs"]} for row in after["calls"]["rows"]}
    assert calls == {CUSTOMER: {None, AGENT}, "88880002": {None}}
    assert {row["caller"]: row["legs"][0]["queued"] for row in after["calls"]["rows"]} == {
        CUSTOMER: None, "88880002": "billingQueue"}


def test_a_queue_lists_its_oldest_waiting_calls_only_and_counts_them_all(world: SimulatedWorld) -> None:
    for number in range(WAITING_SHOWN + 5):
        world.model.queue_inbound_call(f"8888{number:04d}", NOBODYS)
        world.clock.advance(1)
    sales = next(row for row in snapshot(_simulator(world))["queues"] if row["skillId"] == NOBODYS)
    assert sales["queueSize"] == WAITING_SHOWN + 5 and sales["longestWait"] == WAITING_SHOWN + 5
    assert [call["caller"] for call in sales["waiting"]] == [f"8888{number:04d}" for number in range(WAITING_SHOWN)]


def test_calls_show_their_recording_and_conference_membership(world: SimulatedWorld) -> None:
    world.sign_in_all(*COLLEAGUES)
    simulator = _simulator(world)
    callid = world.customer_talking_to(AGENT)

    def agent_leg(agent_id: str = AGENT) -> dict[str, Any]:
        rows = snapshot(simulator)["calls"]["rows"]
        return next(leg for row in rows for leg in row["legs"] if leg["agent"] == agent_id)

    assert agent_leg()["recording"] is None
    world.do("beginRecord", AGENT, body={"mediaType": 5})
    assert agent_leg()["recording"] == "recording"
    world.do("pauseRecord", AGENT)
    assert agent_leg()["recording"] == "paused"
    world.do("stopRecord", AGENT)
    assert agent_leg()["recording"] is None
    [call] = snapshot(simulator)["calls"]["rows"]
    assert call["callid"] == callid and call["conference"] is None
    # 102 applies for a conference and 103 joins it: the conference's call shows who chairs it
    world.do("requestAgentConf", "102", body={"memberNum": 4})
    world.do("batchAddParticipant", "102", body={"addresses": [{"addressType": "9", "address": "103"}]})
    world.do("answerAgentConf", "103")
    conference = next(row for row in snapshot(simulator)["calls"]["rows"] if row["conference"])
    assert conference["conference"] == {"id": conference["conference"]["id"], "chair": "102", "seats": 4,
                                        "joined": 2}
    assert {leg["agent"]: leg["chair"] for leg in conference["legs"]} == {"102": True, "103": False}
    assert snapshot(simulator, View(filter="conference"))["calls"]["total"] == 1


def test_text_sessions_show_who_and_how_many_messages_never_their_text(world: SimulatedWorld) -> None:
    world.sign_in_all(*COLLEAGUES)
    simulator = _simulator(world)
    text = world.model.text
    answered = text.customer_writes(CUSTOMER, AGENT, "my account number is 4242-9999")
    text.customer_writes(CUSTOMER, AGENT, "are you there?", answered)
    world.do("textchatAnswer", AGENT, path={"callid": answered})
    world.do("sendMessage", AGENT, body={"callid": answered, "data": "one moment please"})
    offered = text.customer_writes("88880002", "102", "hello from the other customer")
    sessions = snapshot(simulator)["textSessions"]
    assert sessions["total"] == 2
    assert sessions["rows"] == [
        {"callid": answered, "customer": CUSTOMER, "agent": AGENT, "connected": True, "fromCustomer": 2,
         "fromAgents": 1, "unread": 0},
        {"callid": offered, "customer": "88880002", "agent": "102", "connected": False, "fromCustomer": 1,
         "fromAgents": 0, "unread": 1}]
    assert [row["callid"] for row in snapshot(simulator, View(filter="102"))["textSessions"]["rows"]] == [offered]
    page = json.dumps(snapshot(simulator))
    assert not [words for words in ("4242-9999", "are you there", "one moment", "other customer") if words in page]
    world.do("logout", "102")  # a session does not outlive its agent's sign-in
    assert [row["callid"] for row in snapshot(simulator)["textSessions"]["rows"]] == [answered]


# -- the activity: requests and events -----------------------------------------------------------------------
def test_each_event_is_recorded_with_its_agent_and_cause_and_a_wake_is_a_change_only() -> None:
    simulator = GatewaySimulator(SimulatorConfig())
    changes: list[int] = []
    simulator.activity.listen(lambda: changes.append(1))
    agent = simulator.model.agent(AGENT)
    simulator.model.emit(agent, "AgentOther_Note")
    simulator.model.wake(agent)
    simulator.model.emit(simulator.model.agent("102"), "AgentOther_InService")
    assert [(event["event"], event["agent"], event["cause"]) for event in simulator.activity.events] == [
        ("AgentOther_Note", AGENT, "-"), ("AgentOther_InService", "102", "-")]
    assert len(changes) == 3


# -- the console served: protection, pushes, buttons -------------------------------------------------------------
@pytest.fixture(scope="module")
def guarded() -> Iterator[SimulatorRunner]:
    runner = SimulatorRunner(SimulatorConfig(poll_wait=0.5), control_token=TOKEN)
    runner.endpoint = runner.start_in_thread()  # type: ignore[attr-defined]
    runner.console_url()
    yield runner
    runner.stop()


def _run(test: Callable[[aiohttp.ClientSession], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with aiohttp.ClientSession() as session:
            return await asyncio.wait_for(test(session), 30)

    return asyncio.run(main())


async def _open(session: aiohttp.ClientSession, runner: SimulatorRunner, hello: dict[str, Any] | None,
                **options: Any) -> tuple[aiohttp.ClientWebSocketResponse, dict[str, Any]]:
    """A WebSocket to the console that said ``hello``; returns it with the console's first answer."""
    socket = await session.ws_connect(runner.console_url() + "ws", **options)
    if hello is not None:
        await socket.send_json(hello)
    message = await socket.receive()
    return socket, json.loads(message.data) if message.type == aiohttp.WSMsgType.TEXT else {"closed": message.data}


async def _next(socket: aiohttp.ClientWebSocketResponse, kind: str,
                until: Callable[[dict[str, Any]], bool] = lambda _: True) -> dict[str, Any]:
    while True:
        message = await socket.receive_json()
        if message["type"] == kind and until(message):
            return message


def _sign_in(runner: SimulatorRunner, agent_id: str) -> None:
    reply = requests.put(f"{runner.endpoint.url}/agentgateway/resource/onlineagent/{agent_id}/forcelogin",  # type: ignore[attr-defined]
                         json={"password": Roster.load().password_of(agent_id), "phonenum": "7" + agent_id},
                         verify=str(runner.ca_file), timeout=5)
    assert reply.json()["retcode"] == "0"


def test_the_page_and_its_files_are_served_without_the_token_hold_no_data_and_forbid_framing(
        guarded: SimulatorRunner) -> None:
    _sign_in(guarded, "105")
    console = guarded.console_url()
    assert console.startswith("http://127.0.0.1:") and console.endswith(CONSOLE_PATH)
    for name in ("", "console.js", "console.css"):
        reply = requests.get(console + name, timeout=5)
        assert reply.status_code == 200, name
        assert "105" not in reply.text and "70105" not in reply.text
        assert "frame-ancestors 'none'" in reply.headers["Content-Security-Policy"]
        assert reply.headers["Cache-Control"] == "no-store" and reply.headers["Referrer-Policy"] == "no-referrer"
    assert requests.get(console + "index.html", timeout=5).status_code == 404
    moved = requests.get(console.rstrip("/"), allow_redirects=False, timeout=5)
    assert moved.status_code == 302 and moved.headers["Location"] == CONSOLE_PATH


@pytest.mark.parametrize(("hello", "error"), [
    ({"type": "hello"}, "needs the simulator's control token"),
    ({"type": "hello", "token": "guess"}, "not the simulator's control token"),
    ({"type": "hello", "token": TOKEN[:-1]}, "not the simulator's control token"),
    ({"type": "hello", "token": 42}, "not the simulator's control token"),
])
def test_without_the_right_token_the_websocket_is_refused_and_closed(guarded: SimulatorRunner,
                                                                     hello: dict[str, Any], error: str) -> None:
    async def test(session: aiohttp.ClientSession) -> None:
        socket, first = await _open(session, guarded, hello)
        assert first == {"type": "refused", "error": first["error"]} and error in first["error"]
        assert TOKEN not in first["error"]
        closing = await socket.receive()
        assert closing.type == aiohttp.WSMsgType.CLOSE and closing.data == UNAUTHORIZED

    _run(test)


def test_a_token_in_the_url_query_counts_for_nothing(guarded: SimulatorRunner) -> None:
    async def test(session: aiohttp.ClientSession) -> None:
        socket = await session.ws_connect(guarded.console_url() + f"ws?token={TOKEN}")
        await socket.send_json({"type": "hello"})
        assert (await socket.receive_json())["type"] == "refused"

    _run(test)


def test_a_first_message_that_is_no_hello_closes_the_websocket(guarded: SimulatorRunner) -> None:
    async def test(session: aiohttp.ClientSession) -> None:
        _, first = await _open(session, guarded, {"type": "view"})
        assert first == {"closed": 4400}

    _run(test)


def test_another_sites_page_and_another_host_name_are_refused(guarded: SimulatorRunner) -> None:
    console = guarded.console_url()
    port = console.split(":")[2].split("/")[0]
    foreign = requests.get(console + "ws", headers={"Origin": "https://evil.example", "Connection": "Upgrade",
                                                    "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                                                    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}, timeout=5)
    assert foreign.status_code == 403
    rebound = requests.get(console, headers={"Host": f"evil.example:{port}"}, timeout=5)
    assert rebound.status_code == 421 and "loopback" in rebound.text
    assert requests.get(console, headers={"Host": f"localhost:{port}"}, timeout=5).status_code == 200


def test_with_the_token_the_page_gets_the_facts_then_a_snapshot_after_each_change(guarded: SimulatorRunner) -> None:
    async def test(session: aiohttp.ClientSession) -> float:
        socket, welcome = await _open(session, guarded, {"type": "hello", "token": TOKEN})
        assert welcome["type"] == "welcome" and welcome["protected"] is True
        assert "offer_call" in welcome["actions"] and "health" not in welcome["actions"]
        assert welcome["faultKinds"]["retcode"]["valueType"] == "text"
        assert welcome["faultKinds"]["http"]["valueType"] == "number"
        assert welcome["behaviours"] == ["answer", "silent", "busy", "reject"]
        await _next(socket, "snapshot")
        started = time.monotonic()
        await asyncio.get_running_loop().run_in_executor(None, _sign_in, guarded, "106")
        changed = await _next(socket, "snapshot", lambda message: any(
            row["id"] == "106" for row in message["snapshot"]["agents"]["rows"]))
        assert any(request["interface"] == "forceLogin" and request["agent"] == "106"
                   for request in changed["snapshot"]["requests"])
        assert any(event["event"] == "AgentState_Ready" and event["agent"] == "106" and event["cause"] == "forceLogin"
                   for event in changed["snapshot"]["events"])
        return time.monotonic() - started

    assert _run(test) < 1.0


def test_buttons_run_control_actions_as_the_control_interface_does(guarded: SimulatorRunner) -> None:
    _sign_in(guarded, "107")

    async def test(session: aiohttp.ClientSession) -> None:
        socket, _ = await _open(session, guarded, {"type": "hello", "token": TOKEN})

        async def act(action: Any, arguments: Any) -> dict[str, Any]:
            await socket.send_json({"type": "action", "id": 7, "action": action, "arguments": arguments})
            return await _next(socket, "result")

        rang = await act("offer_call", {"caller": "88880007", "agent": "107"})
        assert rang["status"] == 201 and rang["id"] == 7 and "callid" in rang["reply"]
        assert (await act("offer_call", {"caller": "88880007", "agent": "108"}))["reply"] == {
            "error": "agent 108 is not signed in"}
        assert (await act("offer_call", {"caller": "8" * 30, "agent": "107"}))["reply"]["error"].startswith(
            "caller must be text (or a whole number) of 1 to 24 characters")
        assert (await act("health", {}))["status"] == 400
        assert (await act("drop_database", {}))["reply"]["error"].startswith("action must be one of counters, restart")
        assert (await act("far_end", ["88880001", "busy"]))["reply"] == {"error": "arguments must be a JSON object"}
        hung = await act("hang_up", {"callid": rang["reply"]["callid"]})
        assert hung["status"] == 200
        await socket.send_json({"type": "view", "size": 500})
        assert (await _next(socket, "error"))["error"] == "size must be a whole number from 1 to 200"
        await socket.send_str("[not json")
        assert "type is view or action" in (await _next(socket, "error"))["error"]
        logged = await _next(socket, "snapshot", lambda message: any(
            request["interface"] == "hang_up" for request in message["snapshot"]["requests"]))
        controls = [(request["interface"], request["agent"], request["retcode"])
                    for request in logged["snapshot"]["requests"] if request["kind"] == "control"]
        assert ("offer_call", "107", "201") in controls and ("offer_call", "108", "409") in controls

    _run(test)


def test_the_queue_buttons_queue_a_call_at_once_and_let_its_caller_give_up(guarded: SimulatorRunner) -> None:
    def sales(message: dict[str, Any]) -> dict[str, Any]:
        return next(row for row in message["snapshot"]["queues"] if row["skillId"] == NOBODYS)

    async def test(session: aiohttp.ClientSession) -> float:
        socket, _ = await _open(session, guarded, {"type": "hello", "token": TOKEN})

        async def act(action: str, arguments: dict[str, Any]) -> dict[str, Any]:
            await socket.send_json({"type": "action", "id": 9, "action": action, "arguments": arguments})
            return await _next(socket, "result")

        abandoned = sales(await _next(socket, "snapshot"))["abandoned"]
        started = time.monotonic()
        queued = await act("queue_call", {"caller": "88880003", "skill": NOBODYS})
        assert queued["status"] == 201 and queued["reply"]["queued"] is True
        callid = queued["reply"]["callid"]
        shown = await _next(socket, "snapshot", lambda message: sales(message)["queueSize"] == 1)
        appeared = time.monotonic() - started
        assert [call["callid"] for call in sales(shown)["waiting"]] == [callid]
        gave_up = await act("give_up", {"callid": callid})
        assert gave_up["status"] == 200 and gave_up["reply"]["gaveUp"] == callid
        emptied = await _next(socket, "snapshot", lambda message: sales(message)["queueSize"] == 0)
        assert sales(emptied)["waiting"] == [] and sales(emptied)["abandoned"] == abandoned + 1
        again = await act("give_up", {"callid": callid})
        assert (again["status"], again["reply"]) == (404, {"error": f"no call {callid} is waiting in a skill queue"})
        assert (await act("queue_call", {"caller": "88880003", "skill": 99}))["reply"]["error"].startswith(
            "the VDN has no skill queue 99")
        return appeared

    assert _run(test) < 1.0


def test_a_restart_from_the_console_keeps_the_console_and_shows_the_port_closed_meanwhile(
        guarded: SimulatorRunner) -> None:
    async def test(session: aiohttp.ClientSession) -> None:
        socket, _ = await _open(session, guarded, {"type": "hello", "token": TOKEN})
        before = (await _next(socket, "snapshot"))["snapshot"]["simulator"]["restarts"]
        await socket.send_json({"type": "action", "action": "restart", "arguments": {"downtime": 0.5}})
        assert (await _next(socket, "result"))["status"] == 202
        down = await _next(socket, "snapshot", lambda message: not message["snapshot"]["simulator"]["serving"])
        assert down["snapshot"]["simulator"]["restarts"] == before + 1
        await _next(socket, "snapshot", lambda message: message["snapshot"]["simulator"]["serving"])

    _run(test)


# -- ccgw-sim and the keyword ------------------------------------------------------------------------------------
def test_get_simulator_console_url_starts_the_embedded_simulators_console_once(
        simulated: CCGatewayLibrary) -> None:
    url = simulated.get_simulator_console_url()
    assert url.startswith("http://127.0.0.1:") and url.endswith(CONSOLE_PATH)
    assert simulated.get_simulator_console_url() == url
    assert requests.get(url, timeout=5).status_code == 200


def test_get_simulator_console_url_without_a_simulator_says_where_the_address_is() -> None:
    with pytest.raises(SimulatorError, match="ccgw-sim started from a shell prints its console's address"):
        CCGatewayLibrary().get_simulator_console_url()


def test_a_ccgw_sim_process_serves_its_console_unless_told_not_to() -> None:
    library = CCGatewayLibrary()
    library.start_gateway_simulator(process=True)
    try:
        url = library.get_simulator_console_url()
        assert url.endswith(CONSOLE_PATH) and "ccgw-sim console" in requests.get(url, timeout=5).text
        printed = library.ctx.simulator.stdout.read_text(encoding="utf-8")  # type: ignore[union-attr]
        assert f"ccgw-sim console on {url}\n" in printed
    finally:
        library.stop_gateway_simulator()
    with SimulatorProcess("--no-console") as process:
        assert process.console is None
        assert "console" not in process.stdout.read_text(encoding="utf-8")
        with pytest.raises(SimulatorError, match="serves no console"):
            process.console_url()


def test_a_console_port_in_use_stops_ccgw_sim_naming_the_option(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["--port", "0", "--ca-file", str(tmp_path / "ca.pem"), "--console-port", str(port)]) == 1
    error = capsys.readouterr().err
    assert f"ccgw-sim: cannot serve the console on 127.0.0.1:{port}: " in error and "(--console-port)" in error


def test_beyond_loopback_the_console_is_served_over_tls_with_the_simulators_certificate() -> None:
    runner = SimulatorRunner(SimulatorConfig(poll_wait=0.5), host="0.0.0.0", control_token=TOKEN)
    runner.start_in_thread()
    try:
        console = runner.console_url()
        assert console.startswith("https://0.0.0.0:")
        context = ssl.create_default_context(cafile=str(runner.ca_file))
        context.check_hostname = False  # the certificate names 0.0.0.0, reached here as 127.0.0.1
        local = console.replace("0.0.0.0", "127.0.0.1")
        with urllib.request.urlopen(local, context=context, timeout=5) as reply:
            assert reply.status == 200 and b"ccgw-sim console" in reply.read()
        with pytest.raises((urllib.error.URLError, ConnectionError)):  # no plain HTTP
            urllib.request.urlopen(local.replace("https:", "http:"), timeout=5)
    finally:
        runner.stop()


def test_a_snapshot_that_fails_is_reported_to_the_page_which_goes_on_watching(
        guarded: SimulatorRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from CCGatewayLibrary.simulator.console import server as console_server

    def broken(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise KeyError("queue 7")

    async def test(session: aiohttp.ClientSession) -> None:
        socket, _ = await _open(session, guarded, {"type": "hello", "token": TOKEN})
        await _next(socket, "snapshot")
        monkeypatch.setattr(console_server, "snapshot", broken)
        await socket.send_json({"type": "view", "page": 1})
        error = await _next(socket, "error")
        assert error["error"] == "the console cannot show the simulator's state: KeyError: 'queue 7'"
        monkeypatch.undo()
        await socket.send_json({"type": "view", "page": 0})
        await _next(socket, "snapshot")

    _run(test)
