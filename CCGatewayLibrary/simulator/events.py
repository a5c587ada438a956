"""One factory per event the simulator sends: each builds the event's content as its schema
(``schemas/events/<event>.schema.json``) describes it, with the coded values named here.

``FACTORIES`` maps each event name to its factory; a test holds every factory's output against the event's schema.
The state table's events (``AgentState_*``, ``AgentOther_ShutdownService``) are built from the agent and the
reason the request gave, so the state machine can build any of them from a table cell.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any, Generic, NamedTuple, ParamSpec

from ..catalogue import gateway
from .world import Agent, Call, Event, Leg, Role

P = ParamSpec("P")


class Feature(IntEnum):
    """Call features, as the events' ``feature`` and the call-info queries' ``callfeature`` give them."""

    INBOUND = 0
    INTERNAL = 6
    OUTBOUND = 7
    TWO_PARTY_HELP = 51
    THREE_PARTY_HELP = 52


class PhoneState(IntEnum):
    """``AgentOther_PhoneRelease``'s ``phoneState``: why the phone went back on hook."""

    AGENT_HUNG_UP = 2
    PLATFORM_RELEASED = 3


NO_REASON = "0"  # a busy or rest reason the request did not give
REJECTED_CALL_REASON = "7"  # the busy reason of an agent who rejected a call
INSPECTOR_BUSY_REASON = "3"  # the busy reason of an agent an inspector set busy (forceBusy)
MAIN_CALL = "main"  # the "type" of the principal call (a helper's would be "assistant")
VOICE = "1"  # mediaAbility: voice
TRANSFER_SUCCEEDED = 0  # AgentEvent_SuccTransResult's result
# AgentOther_BeQcStart/Stop's qcType per inspection mode (of the two whisper codes the simulator sends the first).
QC_TYPES = {Role.LISTEN: gateway.QC_LISTEN, Role.BARGE: gateway.QC_BARGE_IN, Role.WHISPER: gateway.QC_WHISPER}

class Factory(Generic[P]):
    """Builds the event ``event``: ``build`` gives its content."""

    def __init__(self, event: str, build: Callable[P, Any]) -> None:
        self.event = event
        self.build = build
        self.__doc__ = build.__doc__

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Event:
        return Event(self.event, self.build(*args, **kwargs))


FACTORIES: dict[str, Factory[...]] = {}


def factory(event: str) -> Callable[[Callable[P, Any]], Factory[P]]:
    """Registers the decorated function (which returns the content) as the factory of ``event``."""

    def register(build: Callable[P, Any]) -> Factory[P]:
        FACTORIES[event] = made = Factory(event, build)
        return made

    return register


def _call_fields(call: Call) -> dict[str, str]:
    return {"caller": call.caller, "called": call.called, "callid": call.callid, "type": MAIN_CALL,
            "feature": str(call.feature), "mediaAbility": VOICE}


# -- the agent state table's events: (agent, reason) -----------------------------------------------------
@factory("AgentState_Ready")
def ready(agent: Agent, reason: str = NO_REASON) -> None:
    return None


@factory("AgentState_Busy")
def busy(agent: Agent, reason: str = NO_REASON) -> None:
    return None


@factory("AgentState_Work")
def work(agent: Agent, reason: str = NO_REASON) -> None:
    return None


@factory("AgentState_SetNotReady_Success")
def set_not_ready(agent: Agent, reason: str = NO_REASON) -> dict[str, str]:
    return {"reason": reason}


@factory("AgentState_CancelNotReady_Success")
def cancel_not_ready(agent: Agent, reason: str = NO_REASON) -> None:
    return None


@factory("AgentState_SetRest_Success")
def set_rest(agent: Agent, reason: str = NO_REASON) -> dict[str, str]:
    return {"reason": reason}


@factory("AgentState_CancelRest_Success")
def cancel_rest(agent: Agent, reason: str = NO_REASON) -> None:
    return None


@factory("AgentState_Rest_Timeout")
def rest_timeout(agent: Agent, reason: str = NO_REASON) -> None:
    return None


@factory("AgentState_SetWork_Success")
def set_work(agent: Agent, reason: str = NO_REASON) -> None:
    return None


@factory("AgentState_CancelWork_Success")
def cancel_work(agent: Agent, reason: str = NO_REASON) -> None:
    return None


@factory("AgentOther_ShutdownService")
def shutdown_service(agent: Agent, reason: str = NO_REASON) -> dict[str, str]:
    return {"loginTime": str(agent.login_time)}


# -- sessions and notes -------------------------------------------------------------------------------
@factory("AgentOther_InService")
def in_service() -> None:
    return None


@factory("AgentOther_Note")
def note() -> None:
    return None  # documented with no content: the text stays out


# -- the phone ------------------------------------------------------------------------------------------
@factory("AgentOther_PhoneAlerting")
def phone_alerting() -> None:
    return None


@factory("AgentOther_PhoneOffhook")
def phone_offhook() -> dict[str, str]:
    return {"type": MAIN_CALL}


@factory("AgentOther_PhoneRelease")
def phone_release(why: PhoneState) -> dict[str, int]:
    return {"phoneState": int(why)}


# -- calls ----------------------------------------------------------------------------------------------
def _offered(call: Call, transfer_from: str) -> dict[str, str]:
    return {**_call_fields(call), "transfer": "yes" if transfer_from else "no", "transfrom": transfer_from}


@factory("AgentEvent_Ringing")
def ringing(call: Call, transfer_from: str = "") -> dict[str, str]:
    return _offered(call, transfer_from)


@factory("AgentEvent_Auto_Answer")
def auto_answer(call: Call, transfer_from: str = "") -> dict[str, str]:
    return _offered(call, transfer_from)


@factory("AgentEvent_Customer_Alerting")
def customer_alerting(call: Call, other: Leg) -> dict[str, str]:
    return {"callid": call.callid, "otherPhoneWorkno": other.agent_id or "", "otherPhone": other.number,
            "type": MAIN_CALL}


@factory("AgentEvent_Talking")
def talking(call: Call) -> dict[str, str]:
    return _call_fields(call)


@factory("AgentEvent_Hold")
def hold(call: Call) -> str:
    return call.callid


@factory("AgentEvent_Conference")
def conference(call: Call, partners: list[Leg]) -> dict[str, str]:
    return {"callid": call.callid, "partner": ",".join(leg.number for leg in partners)}


@factory("AgentEvent_Call_Release")
def call_release(call: Call) -> str:
    return call.callid


@factory("AgentEvent_Customer_Release")
def customer_release(call: Call, number: str) -> dict[str, str]:
    return {"callid": call.callid, "number": number}


@factory("AgentEvent_No_Answer")
def no_answer(call: Call) -> str:
    return call.callid


@factory("AgentEvent_Call_Out_Fail")
def call_out_fail(call: Call) -> str:
    return call.callid


@factory("AgentEvent_Connect_Fail")
def connect_fail(call: Call) -> str:
    return call.callid


@factory("AgentEvent_Inside_Call_Fail")
def inside_call_fail(call: Call) -> str:
    return call.callid


@factory("AgentEvent_Consult_Fail")
def consult_fail(call: Call) -> str:
    return call.callid


@factory("AgentEvent_SuccTransResult")
def transfer_result(call: Call) -> dict[str, Any]:
    return {"result": TRANSFER_SUCCEEDED, "callId": call.callid}


@factory("AgentEvent_ReturnFromIvr")
def return_from_ivr(call: Call) -> str:
    return call.callid


# -- real-time inspection -------------------------------------------------------------------------------
@factory("AgentOther_BeQcStart")
def inspection_started(inspector: Agent, mode: Role) -> dict[str, int]:
    # qcAgentId: the inspector, as the Chinese pages put it (the English 2025 page says the inspected agent, who
    # receives the event and would learn nothing from its own ID; see docs/spec-research.md).
    return {"qcType": QC_TYPES[mode], "qcAgentId": int(inspector.agent_id)}


@factory("AgentOther_BeQcStop")
def inspection_stopped(inspector: Agent, mode: Role) -> dict[str, int]:
    return {"qcType": QC_TYPES[mode], "qcAgentId": int(inspector.agent_id)}


# -- recording and playback (recordplay) ---------------------------------------------------------------
VOICE_MEDIA = "1"  # fileMediaType: audio


class RecordTask(NamedTuple):
    """What the recording events tell of one recording."""

    task_id: int
    serial: str  # recordID
    file_name: str
    callid: str
    begin_ms: int
    end_ms: int = 0
    location: str = "0"  # the simulator is one node
    record_format: str = "0"  # the system's default format


@factory("AgentMediaEvent_Record")
def record_started(call: Call, task: RecordTask) -> dict[str, Any]:
    return {"taskId": task.task_id, "caller": call.caller, "recordID": task.serial, "called": call.called,
            "locationId": task.location, "fileName": task.file_name, "fileMediaType": VOICE_MEDIA,
            "callId": task.callid}


@factory("AgentMediaEvent_StopRecordDone")
def record_stopped(task: RecordTask) -> dict[str, Any]:
    return {"beginTime": task.begin_ms, "endTime": task.end_ms, "fileMediaType": VOICE_MEDIA,
            "recordFormat": task.record_format, "taskId": task.task_id, "callId": task.callid}


@factory("AgentMediaEvent_Play_Succ")
def play_succeeded() -> None:
    return None


@factory("AgentMediaEvent_Play")
def play_started() -> None:
    return None


@factory("AgentMediaEvent_Play_Fail")
def play_failed() -> None:
    return None


@factory("AgentMediaEvent_StopPlayDone")
def play_stopped(cause: int) -> dict[str, int]:
    return {"cause": int(cause)}


@factory("AgentMediaEvent_PausePlayDone")
def play_paused() -> None:
    return None


@factory("AgentMediaEvent_ResumePlayDone")
def play_resumed() -> None:
    return None


@factory("AgentMediaEvent_JumpPlayDone")
def play_jumped() -> None:
    return None


# The screen-recording events' content is not documented: the simulator sends none.
@factory("AgentMediaEvent_StartRecordScreen_Succ")
def screen_started() -> None:
    return None


@factory("AgentMediaEvent_StartRecordScreen_Fail")
def screen_start_failed() -> None:
    return None


@factory("AgentMediaEvent_StopRecordScreen_Succ")
def screen_stopped() -> None:
    return None


@factory("AgentMediaEvent_StopRecordScreen_Fail")
def screen_stop_failed() -> None:
    return None


# -- agent-hosted conferences (agentconf) ---------------------------------------------------------------
class ConfChange(IntEnum):
    """``AgentConf_ParticipantChanged``'s ``changeType``."""

    JOINED = 0
    LEFT = 1
    CHAIR_CHANGED = 2
    MUTED = 3
    UNMUTED = 4
    HELD = 5
    UNHELD = 6


class LeftWhy(IntEnum):
    """``AgentConf_ParticipantChanged``'s ``changeReason``: why a member left (changeType 1)."""

    BY_ITSELF = 0
    REMOVED_BY_CHAIR = 1
    HUNG_UP = 2
    CONFERENCE_ENDED = 3
    SIGNED_OUT = 4
    REMOVED_OTHERWISE = 6  # removed for a reason other than the chairperson's
    NOT_LEFT = 255  # what the documented example carries for a change other than leaving


AGENT_ADDRESS, PHONE_ADDRESS = 9, 6  # participantType (the requests' addressType, as text there)
TEXT = "5"  # mediaAbility: text


@factory("AgentConf_SelfJoinResult")
def conference_joined(conf_id: int) -> dict[str, int]:
    return {"confId": conf_id}


@factory("AgentConf_RequestSuccess")
def conference_granted(conf_id: int) -> dict[str, int]:
    return {"confId": conf_id}


@factory("AgentConf_Ringing")
def conference_ringing(conf_id: int) -> dict[str, int]:
    return {"confId": conf_id}


@factory("AgentConf_Timeout")
def conference_ending_soon(conf_id: int) -> dict[str, int]:
    return {"confId": conf_id}


@factory("AgentConf_SelfLeaveResult")
def conference_left(conf_id: int) -> dict[str, int]:
    return {"confId": conf_id}


@factory("AgentConf_PresidentChanged")
def made_chair(conf_id: int) -> dict[str, int]:
    return {"confId": conf_id}


@factory("AgentConf_ParticipantChanged")
def participant_changed(conf_id: int, other: Leg, change: ConfChange, left_why: LeftWhy = LeftWhy.NOT_LEFT,
                        failed: bool = False, device: tuple[int, int] = (0, 0)) -> dict[str, Any]:
    return {"result": int(failed), "changeReason": int(left_why), "changeType": int(change), "confId": conf_id,
            "participant": other.agent_id or other.number,
            "participantType": AGENT_ADDRESS if other.agent_id else PHONE_ADDRESS,
            "deviceCallType": device[0], "deviceType": device[1]}


@factory("AgentConf_StopVoice")
def announcement_ended(failed: bool = False) -> dict[str, int]:
    return {"result": int(failed)}


@factory("AgentConf_StopParticipantVoice")
def participant_announcement_ended(failed: bool = False) -> dict[str, int]:
    return {"result": int(failed)}


# -- text sessions (mediacall; the older textchat routes' AgentChat_* events) -----------------------------
@factory("AgentEvent_MessageData")
def message_data(call: Call, text: str) -> dict[str, Any]:
    # feature as a number and mediaAbility 5, as the event page's example gives them
    return {"callid": call.callid, "caller": call.caller, "called": call.called, "feature": call.feature,
            "type": MAIN_CALL, "message": text, "mediaAbility": TEXT}


@factory("AgentChat_Ring")
def chat_ring(call: Call) -> dict[str, Any]:
    return {"callId": call.callid, "caller": call.caller, "called": call.called, "isInnerCall": False,
            "attachData": call.data}


@factory("AgentChat_Connected")
def chat_connected(call: Call) -> dict[str, str]:
    return {"callId": call.callid}


@factory("AgentChat_Disconnected")
def chat_disconnected(call: Call) -> dict[str, str]:
    return {"callId": call.callid}
