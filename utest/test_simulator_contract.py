"""The simulated gateway model keeps each interface's contract in the catalogue.

Per interface with an example in the catalogue (``x-examples`` on its request and response schemas: the entry's own
``examples`` in the catalogue, or the plain success reply the catalogue gives an entry that documents no result
shape): the agent is put in a state where the interface applies, the request (the documented body where there is
one, with the world's password and call IDs put in) runs through the model by the shared harness, and the reply
must be a success, valid against the response schema, with the fields the documented replies all have; the events
it causes must be ones the catalogue lists for it. Also: the harness itself notices each kind of breach, and the
catalogue's lists cover what the simulator serves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from simulated_world import (
    AGENT,
    CATALOGUE,
    COLLEAGUES,
    CUSTOMER,
    OTHER_AGENT,
    OTHER_NUMBER,
    REST_REQUEST,
    THIRD_AGENT,
    SimulatedWorld,
    Worlds,
)

from CCGatewayLibrary.catalogue import Catalogue, read_interfaces
from CCGatewayLibrary.catalogue.gateway import SUCCESS
from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.simulator.model import Refused
from CCGatewayLibrary.simulator.server import simulated_by

Request = dict[str, Any]  # ``SimulatedWorld.do``'s keyword arguments: path, query, body
Setup = Callable[[SimulatedWorld], Request]


# -- states an interface applies in; each returns the request that goes with it -----------------------------
def _signed_out(world: SimulatedWorld) -> Request:
    return {"body": {"password": world.password()}}


def _in(state: AgentState, request: Request | None = None) -> Setup:
    def setup(world: SimulatedWorld) -> Request:
        world.agent_in(state)
        return request or {}

    return setup


def _colleagues(request: Request | None = None) -> Setup:
    def setup(world: SimulatedWorld) -> Request:
        world.sign_in_all(*COLLEAGUES)
        return request or {}

    return setup


def _ringing(request: Request | None = None) -> Setup:
    def setup(world: SimulatedWorld) -> Request:
        world.sign_in_all(*COLLEAGUES)
        world.offer_call()
        world.drain_all()
        return request or {}

    return setup


def _talking(then: Callable[[SimulatedWorld, str], Request] = lambda world, customer: {}) -> Setup:
    """101 talks with a customer; ``then`` goes on from there and gives the request."""
    def setup(world: SimulatedWorld) -> Request:
        world.sign_in_all(*COLLEAGUES)
        request = then(world, world.customer_talking_to(AGENT))
        world.timers.run_all()
        world.drain_all()
        return request

    return setup


def _held_and_talking(request: Callable[[str], Request]) -> Setup:
    """101 holds the customer and talks with OTHER_NUMBER, called out; ``request`` gets the held call's ID."""
    def then(world: SimulatedWorld, customer: str) -> Request:
        world.do("hold", AGENT)
        world.do("callout", AGENT, body={"called": OTHER_NUMBER})
        return request(customer)

    return _talking(then)


def _muted(world: SimulatedWorld, customer: str) -> Request:
    world.do("beginMute", AGENT)
    return {}


def _talk_transferred(world: SimulatedWorld, customer: str) -> Request:
    world.do("transfer", AGENT, body={"devicetype": 5, "address": OTHER_NUMBER, "mode": 3})
    return {}


def _colleague_ringing(world: SimulatedWorld) -> Request:
    world.sign_in_all(*COLLEAGUES)
    world.offer_call(OTHER_AGENT)
    world.drain_all()
    return {"query": {"destWorkNo": OTHER_AGENT}}


def _old_password(world: SimulatedWorld) -> Request:
    world.sign_in_all(*COLLEAGUES)
    return {"body": {"oldPassword": world.password(), "newPassword": "Changed-Secret-42"}}


def _custom_state_set(world: SimulatedWorld) -> Request:
    world.sign_in_all(*COLLEAGUES)
    world.do("setCustomState", AGENT, query={"customstate": "3"})
    return {}


# -- a supervisor (inspector 900 of the frontline group) at work on agent 101 --------------------------------
SUPERVISOR = "900"
WATCH = {"path": {"workNo": AGENT}}


def _supervising(request: Callable[[str], Request] = lambda customer: {},
                 already: tuple[str, Request] | None = None, talking: bool = True) -> Setup:
    """101 talks with a customer (or is idle, ``talking=False``), supervisor 900 signed in and doing ``already``;
    ``request`` gets the customer's call ID."""
    def setup(world: SimulatedWorld) -> Request:
        world.sign_in_all(*COLLEAGUES, SUPERVISOR)
        customer = world.customer_talking_to(AGENT) if talking else ""
        if already is not None:
            world.do(already[0], SUPERVISOR, **already[1])
        world.timers.run_all()
        world.drain_all()
        return request(customer)

    return setup


LISTENING = ("addSupervise", WATCH)
WHISPERING = ("requestWhisperAgent", {"query": {"whisperagentid": AGENT}})
SUPERVISOR_SCENARIOS: dict[str, Setup] = {
    "addSupervise": _supervising(lambda customer: WATCH),
    "addInsert": _supervising(lambda customer: WATCH),
    "requestWhisperAgent": _supervising(lambda customer: WHISPERING[1]),
    "switchSuperviseOrInsert": _supervising(lambda customer: WATCH, already=LISTENING),
    "stopSuperviseOrInsert": _supervising(lambda customer: WATCH, already=LISTENING),
    "requestSwitchInsertWhisperAgent": _supervising(
        lambda customer: {"query": {"switchtype": "2", "whisperagentid": AGENT}}, already=LISTENING),
    "requestStopWhisperAgent": _supervising(lambda customer: WHISPERING[1], already=WHISPERING),
    "intercept": _supervising(lambda customer: WATCH, already=LISTENING),
    "interceptCall": _supervising(lambda customer: {"path": {"workNo": AGENT, "callId": customer}},
                                  already=LISTENING),
    "forceDropCall": _supervising(lambda customer: {"path": {"callid": customer}}),
    "forceBusy": _supervising(lambda customer: WATCH, talking=False),
    "forceIdle": _supervising(lambda customer: WATCH, talking=False),
    "forceLogOutAgent": _supervising(lambda customer: WATCH, talking=False),
    "forceRest": _supervising(lambda customer: {"path": {"workNo": AGENT, "time": "60", "reason": "4"}},
                              talking=False),
    "adjustSkill": _supervising(lambda customer: {"body": {"workNo": AGENT, "skills": [1]}}, talking=False),
    "qcSetAgentSelfRecord": _supervising(lambda customer: {"path": {"recordflag": "1", "recordbeforetalking": "0"}},
                                         talking=False),
    # listed only: a supervisor's request with nothing documented beyond method and path
    **{name: _supervising(talking=False) for name in (
        "beginMonitor", "endMonitor", "deleteQcTask", "deleteVideoTask", "qcCancelAgentSelfRecord",
        "queryQcTasks", "queryUrlInfo", "queryVideoRecordFile", "registerDataToServer",
        "startOrStopVideoPlay", "startVideoMonitor", "startVideoOperation", "stopVideoMonitor")},
}


def _call_waiting(world: SimulatedWorld) -> Request:
    """A customer waits in skill queue 3, which no agent has."""
    world.sign_in_all(*COLLEAGUES)
    world.model.queue_inbound_call(CUSTOMER, skill=3)
    return {"path": {"skillid": "3"}}


QUEUE_SCENARIOS: dict[str, Setup] = {
    "queryQueueLengthOnAgent": _colleagues(),
    "querySkillQueueOnAgentVDN": _colleagues(),
    "queryQueueLengthBySkillId": _colleagues({"path": {"skillid": "1"}}),
    "queryStatInfoOfAcd": _colleagues(),
    "queryWaitCallInfoBySkillId": _call_waiting,
    "setAgentTimeOut": _colleagues({"path": {"flag": "true"}}),
    "queryCallStatisticsInfoEx": _colleagues(),
    "setMaxChatNum": _colleagues({"path": {"vdnid": "1", "chatnum": "3"}}),
}


# -- agent 101 recording its call with a customer and playing recordings (recordplay) ---------------------------
def _recording(world: SimulatedWorld, customer: str) -> Request:
    world.do("beginRecord", AGENT, body={"mediaType": 5})
    world.clock.advance(30)
    return {}


def _recording_paused(world: SimulatedWorld, customer: str) -> Request:
    _recording(world, customer)
    world.do("pauseRecord", AGENT)
    return {}


def _recorded(then: Callable[[SimulatedWorld, str], Request]) -> Setup:
    """101 recorded 30 s of its call, which ended; ``then`` gets the recording's name and gives the request."""
    def setup(world: SimulatedWorld) -> Request:
        world.sign_in_all(*COLLEAGUES)
        world.customer_talking_to(AGENT)
        _recording(world, "")
        name = world.model.recording.running[AGENT].file_name
        world.do("stopRecord", AGENT)
        world.do("releaseEx", AGENT)
        request = then(world, name)
        world.timers.pending.clear()  # the end of the file would otherwise come before the request
        world.drain_all()
        return request

    return setup


def _playing(request: Request | None = None, *, paused: bool = False) -> Setup:
    def then(world: SimulatedWorld, name: str) -> Request:
        world.do("beginPlay", AGENT, body={"voicepath": name})
        if paused:
            world.do("pausePlay", AGENT)
        return request or {}

    return _recorded(then)


def _screen_recorded(world: SimulatedWorld) -> Request:
    world.sign_in_all(*COLLEAGUES)
    world.do("startRecordScreen", AGENT)
    world.drain_all()
    return {}


RECORDING_SCENARIOS: dict[str, Setup] = {
    "beginRecord": _talking(lambda world, customer: {"body": {"mediaType": 5, "fileName": ""}}),
    "beginRecordWithoutFilename": _talking(),
    "stopRecord": _talking(_recording),
    "pauseRecord": _talking(_recording),
    "resumeRecord": _talking(_recording_paused),
    "startRecordScreen": _colleagues(),
    "stopRecordScreen": _screen_recorded,
    "beginPlay": _recorded(lambda world, name: {"body": {"voicepath": name, "startpostion": 5}}),
    "beginNetPlay": _recorded(lambda world, name: {"body": {"fileName": name, "ccId": 1}}),
    "pausePlay": _playing(),
    "resumePlay": _playing(paused=True),
    "foreFastPlay": _playing({"path": {"time": "10"}}),
    "backFastPlay": _playing({"path": {"time": "10"}}),
    "playRelocation": _playing({"body": {"seekseconds": 20, "seekposition": 0}}),
    "stopPlay": _playing(),
    # listed only, nothing to set up
    **{name: _colleagues() for name in ("queryRecordFileURL", "queryRecordZipFileURL", "queryBatchRecordZipFileURL",
                                        "queryVoiceRecordScore")},
}


# -- agent 101 chairs a conference with agent 102 and (when asked) a phone number; texts with a customer ----------
PARTICIPANT = {"addressType": "9", "address": OTHER_AGENT}
NUMBER_IN_CONFERENCE = "88887946"  # playVoiceToParticipant's documented example names this number


def _conference(request: Request | None = None, *, invite: bool = True, answer: bool = True,
                number: bool = False, already: tuple[str, Request] | None = None, chair: str = AGENT) -> Setup:
    """``chair`` chairs a conference; the other of 101 and 102 invited (and joined), NUMBER_IN_CONFERENCE too when
    ``number``."""
    member = OTHER_AGENT if chair == AGENT else AGENT

    def setup(world: SimulatedWorld) -> Request:
        world.sign_in_all(*COLLEAGUES)
        world.do("requestAgentConf", chair, body={"memberNum": 4})
        addresses = [{"addressType": "9", "address": member}] if invite else []
        addresses += [{"addressType": "6", "address": NUMBER_IN_CONFERENCE}] if number else []
        if addresses:
            world.do("batchAddParticipant", chair, body={"addresses": addresses})
        if number:
            world.timers.pending.pop()()  # the number answers (the conference's own timers, set first, wait)
        if invite and answer:
            world.do("answerAgentConf", member)
        if already is not None:
            world.do(already[0], chair, **already[1])
        world.drain_all()
        return request or {}

    return setup


def _customer_writing(request: Callable[[str], Request], *, answered: bool = True) -> Setup:
    """A customer writes to 101 (who answers when ``answered``); ``request`` gets the session's call ID."""
    def setup(world: SimulatedWorld) -> Request:
        world.sign_in_all(*COLLEAGUES)
        callid = world.model.text.customer_writes(CUSTOMER, AGENT, "hello")
        if answered:
            world.do("textchatAnswer", AGENT, path={"callid": callid})
        world.drain_all()
        return request(callid)

    return setup


ANNOUNCEMENT = {"voicePath": "y:/conf/120/1136287.V3"}
CONFERENCE_SCENARIOS: dict[str, Setup] = {
    "requestAgentConf": _colleagues(),
    "answerAgentConf": _conference(answer=False, chair=OTHER_AGENT),
    "rejectAgentConf": _conference(answer=False, chair=OTHER_AGENT),
    "requestLeaveAgentConf": _conference(chair=OTHER_AGENT),
    "releaseAgentConf": _conference(),
    "holdParticipant": _conference({"body": {**PARTICIPANT, **ANNOUNCEMENT}}),
    "unholdParticipant": _conference({"body": PARTICIPANT},
                                     already=("holdParticipant", {"body": {**PARTICIPANT, **ANNOUNCEMENT}})),
    "prolongTime": _conference(),
    "applyToShiftPresident": _conference({"body": {"destAgentNo": OTHER_AGENT}}),
    "batchAddParticipant": _conference({"body": {"addresses": [{"addressType": "9", "address": THIRD_AGENT}]}},
                                       invite=False),
    "changeParticipantMode": _conference({"body": {"attribute": 1, **PARTICIPANT}}),
    "playVoiceToConf": _conference({"body": ANNOUNCEMENT}),
    "stopVoiceToConf": _conference(already=("playVoiceToConf", {"body": ANNOUNCEMENT})),
    "playVoiceToParticipant": _conference(number=True),
}
TEXT_SCENARIOS: dict[str, Setup] = {
    "textchatAnswer": _customer_writing(lambda callid: {"path": {"callid": callid}}, answered=False),
    "textchatDrop": _customer_writing(lambda callid: {"path": {"callid": callid}}),
    "textchatReject": _customer_writing(lambda callid: {"path": {"callid": callid}}, answered=False),
    "sendMessage": _customer_writing(lambda callid: {"body": {"callid": callid, "data": "How can I help?"}}),
    "mediaTransfer": _customer_writing(
        lambda callid: {"body": {"callid": callid, "devicetype": 2, "mode": 0, "address": OTHER_AGENT}}),
    "chat": _customer_writing(lambda callid: {"body": {"callid": callid, "content": "How can I help?"}}),
    "tranfser": _customer_writing(lambda callid: {"body": {"callid": callid, "destaddr": OTHER_AGENT}}),
    "setCallNums": _colleagues(),
    "setCallNumsByMediaType": _colleagues({"body": {"totalCallNum": 5, "agentMediaCallNums": [{"mediaType": 53}]}}),
}


# Where each interface with a documented example applies, and what it is asked.
SCENARIOS: dict[str, Setup] = {
    "login": _signed_out,
    "loginEx": _signed_out,
    "logout": _colleagues(),
    "forceLogout": _colleagues(),
    "forceLogoutWithReason": _colleagues({"path": {"reason": "7"}}),
    "sayFree": _in(AgentState.BUSY),
    "sayBusy": _colleagues({"query": {"reason": "201"}}),
    "cancelBusy": _in(AgentState.BUSY),
    "cancelWork": _in(AgentState.WORK),
    "rest": _colleagues(REST_REQUEST),
    "getAgentStatus": _colleagues(),
    "queryAgentSkills": _colleagues(),
    "handShake": _colleagues(),
    "sendNoteletEx": _colleagues({"body": {"agentIds": [int(OTHER_AGENT)], "content": "back in five"}}),
    "setAgentAutoAnswer": _colleagues({"path": {"isautoanswer": "true"}}),
    "setAgentAutoEnterIdle": _colleagues({"path": {"flag": "false"}}),
    "modifyAccountPwdEx": _old_password,
    "loginInfo": _colleagues(),
    "setCustomState": _colleagues({"query": {"customstate": "3"}}),
    "queryCustomState": _colleagues(),
    "cancelSetCustomState": _custom_state_set,
    "updateGuid": _colleagues(),
    "syncagentinfo": _colleagues(),
    "answer": _ringing(),
    "reject": _ringing({"body": {"mode": 1}}),
    "snatchpickup": _colleague_ringing,
    "confJoin": _held_and_talking(lambda customer: {"body": {"callid": customer}}),
    "connectHold": _held_and_talking(lambda customer: {"path": {"callid": customer}}),
    "disconnect": _held_and_talking(lambda customer: {"path": {"number": OTHER_NUMBER}}),
    "transfer": _talking(lambda world, customer: {"body": {"devicetype": 2, "address": OTHER_AGENT, "mode": 0}}),
    "cancelTransfer": _talking(_talk_transferred),
    "beginMute": _talking(),
    "endMute": _talking(_muted),
    "secondDialEx": _talking(lambda world, customer: {"query": {"number": "12#"}}),
    "dropCall": _talking(lambda world, customer: {"path": {"callid": customer}}),
    "releaseEx": _talking(),
    **SUPERVISOR_SCENARIOS,
    **QUEUE_SCENARIOS,
    # agent and group queries, call data
    "queryAgentInfoByWorkNo": _colleagues({"path": {"workno": OTHER_AGENT}}),
    "queryCallNumsOnAgent": _talking(),
    "setCallAppDataEx": _talking(lambda world, customer: {"body": {"callid": customer, "calldata": "order 42"}}),
    "setCallAppData": _talking(lambda world, customer: {"query": {"calldata": "order 42"}}),
    "setCallBusinessData": _talking(lambda world, customer: {"body": {"businessdata": "case 7"}}),
    **RECORDING_SCENARIOS,
    **CONFERENCE_SCENARIOS,
    **TEXT_SCENARIOS,
}
# Listed-only interfaces the simulator answers with a documented refusal whatever the state (see
# test_what_the_simulator_has_not_got_is_refused_with_a_documented_code): no success to run an example to.
NOT_SERVED = frozenset({"mediaSwitch", "adjustVideoMode", "requestAppointedCall", "phonepickup", "phonehangup",
                        "thirdPartyConfTransmitNum", "startASR",
                        # H5 video and chats between agents, which the simulator has not got (documented or not)
                        "imageCapture", "textchatInternalCall"})
# What a documented example names that only the simulated world knows: the agent's password, the call's ID, the
# agent a supervisor acts on and the skills configured for it, the members of a conference.
FROM_THE_WORLD = ("password", "callid", "workNo", "skills", "address", "addressType", "destAgentNo", "destaddr")
# The catalogue's example replies: the entry's own ``examples`` or, for an entry that documents no result shape,
# the gateway's plain success reply (catalogue/build.py).
DOCUMENTED = sorted(name for name, interface in CATALOGUE.interfaces.items()
                    if interface.response_schema.get("x-examples") or interface.request_schema.get("x-examples"))
OWN_EXAMPLES = sorted(name for name, entry in read_interfaces()["interfaces"].items() if entry.get("examples"))


def _documented_replies(name: str) -> list[dict[str, Any]]:
    return [example["value"] for example in CATALOGUE.interface(name).response_schema.get("x-examples", ())]


def _documented_bodies(name: str) -> list[dict[str, Any]]:
    return [example["value"] for example in CATALOGUE.interface(name).request_schema.get("x-examples", ())]


def _fields(result: Any) -> set[str] | None:
    """The field names of a result (of its first item, for a list), or None when it has none to compare."""
    item = result[0] if isinstance(result, list) and result else result
    return set(item) if isinstance(item, dict) and item else None


def _contract_params() -> list[Any]:
    params = []
    for name in DOCUMENTED:
        if name in NOT_SERVED:
            params.append(pytest.param(name, id=f"{name}-not-served", marks=pytest.mark.skip(
                reason=f"{name} is listed only: the simulator refuses it in every state, so no example can succeed")))
        else:
            params.append(pytest.param(name, id=name))
    return params



@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    return worlds()


def test_each_documented_interface_has_a_scenario_or_a_reason() -> None:
    assert set(DOCUMENTED) == set(SCENARIOS) | NOT_SERVED
    assert not set(SCENARIOS) & NOT_SERVED
    assert set(OWN_EXAMPLES) <= set(DOCUMENTED)
    assert len(DOCUMENTED) >= 40  # the catalogue has this many; fewer means the examples went missing


@pytest.mark.parametrize("name", _contract_params())
def test_documented_example_runs_through_the_model(world: SimulatedWorld, name: str) -> None:
    replies = _documented_replies(name)
    assert replies, f"{name} has examples in the catalogue but no documented reply"
    assert all(reply["retcode"] == SUCCESS for reply in replies), "the examples document success cases"
    request = SCENARIOS[name](world)
    for documented in _documented_bodies(name):
        from_the_world = request.get("body", {})
        assert set(from_the_world) <= set(FROM_THE_WORLD), "only what the world knows replaces the example's values"
        request["body"] = {**documented, **from_the_world}
    world.caused.clear()

    result = world.do(name, SUPERVISOR if name in SUPERVISOR_SCENARIOS else AGENT, **request)

    reply = world.last_reply
    assert reply is not None and reply["retcode"] == SUCCESS
    assert CATALOGUE.problems(CATALOGUE.interface(name).response_schema["$id"], reply) is None
    documented_fields = [fields for example in replies if (fields := _fields(example.get("result"))) is not None]
    if documented_fields:
        assert set.intersection(*documented_fields) <= (_fields(result) or set()), \
            f"{name}'s result lacks fields every documented reply has"
    caused = [event for cause, event in world.caused if cause == name]
    assert set(caused) <= set(CATALOGUE.interface(name).events)
    assert world.breaches == []


# -- the harness notices each kind of breach ----------------------------------------------------------------
def _narrowed(name: str, **changes: Any) -> Catalogue:
    catalogue = Catalogue()
    catalogue.interfaces[name] = dataclasses.replace(catalogue.interfaces[name], **changes)
    return catalogue


def test_the_harness_notices_an_unlisted_event(worlds: Worlds) -> None:
    world = worlds(catalogue=_narrowed("sayFree", events=()))
    world.agent_in(AgentState.BUSY)
    world.do("sayFree", AGENT)
    assert world.breaches == ["sayFree caused AgentState_CancelNotReady_Success, which the catalogue does not list "
                              "for it", "sayFree caused AgentState_Ready, which the catalogue does not list for it"]
    world.breaches.clear()


def test_the_harness_notices_an_unlisted_retcode(worlds: Worlds) -> None:
    world = worlds(catalogue=_narrowed("sayFree", retcodes=(), common_retcodes=()))
    world.agent_in(AgentState.TALKING)
    with pytest.raises(Refused):
        world.do("sayFree", AGENT)
    assert world.breaches == ["sayFree answered retcode 100-009, which the catalogue does not list for it"]
    world.breaches.clear()


def test_the_harness_notices_a_reply_that_breaks_its_schema(worlds: Worlds) -> None:
    # getAgentStatus judged by the schema of a reply whose result is a list
    world = worlds(catalogue=_narrowed("getAgentStatus",
                                       response_schema=CATALOGUE.interface("queryAgentSkills").response_schema))
    world.sign_in()
    world.do("getAgentStatus", AGENT)
    assert [breach.split(":")[0] for breach in world.breaches] == ["getAgentStatus reply breaks its schema"]
    world.breaches.clear()


def test_the_harness_notices_an_event_that_breaks_its_schema(world: SimulatedWorld) -> None:
    agent, _ = world.sign_in()
    world.model.emit(agent, "AgentEvent_Talking", {"callid": 5})
    assert [breach.split(":")[0] for breach in world.breaches] == ["AgentEvent_Talking breaks its schema"]
    world.breaches.clear()


def test_the_harness_refuses_an_invalid_request(world: SimulatedWorld) -> None:
    world.sign_in()
    with pytest.raises(AssertionError, match="the test's transfer request is invalid"):
        world.do("transfer", AGENT, body={"address": CUSTOMER})


def test_the_harness_sends_polls_to_drain(world: SimulatedWorld) -> None:
    world.sign_in()
    with pytest.raises(AssertionError, match="getAgentEvent does not run through do; take events with drain"):
        world.do("getAgentEvent", AGENT)


# -- the catalogue's lists cover what the simulator serves ------------------------------------------------------
def test_every_catalogue_interface_is_simulated() -> None:
    missing = [name for name, interface in CATALOGUE.interfaces.items() if simulated_by(interface) is None]
    assert missing == []


def test_common_retcodes_depend_on_the_guid_rule() -> None:
    assert {"000-003", "100-006"} <= set(CATALOGUE.interface("sayFree").possible_retcodes)
    assert "000-003" not in CATALOGUE.interface("login").possible_retcodes
    assert CATALOGUE.interface("login").possible_retcodes[0] == SUCCESS
