from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Literal

from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import SUCCESS
from ..errors import RequestSchemaError
from .base import LibraryComponent, Retcodes, succeeded

# How a participant is named in these keywords, and the addressType each kind is sent as.
PARTICIPANT = re.compile(r"(agent|number):(\S{1,24})")
ADDRESS_TYPES = {"agent": "9", "number": "6"}
KINDS = {code: kind for kind, code in ADDRESS_TYPES.items()}
ParticipantMode = Literal["listen only", "speak only", "listen and speak", "neither"]
# changeParticipantMode's attribute per mode
MODES: dict[str, int] = {"listen only": 1, "speak only": 2, "listen and speak": 3, "neither": 4}
PLAY_FILE = 2  # playMode: play the file voicePath names, the only mode documented


def address(interface: str, participant: str) -> dict[str, str]:
    """``agent:<agent ID>`` or ``number:<phone number>`` as the request's addressType and address."""
    match = PARTICIPANT.fullmatch(participant.strip())
    if match is None:
        raise RequestSchemaError(f"{interface} request is invalid, not sent: participant '{participant}' must be "
                                 "agent:<agent ID> or number:<phone number> (at most 24 characters)")
    return {"addressType": ADDRESS_TYPES[match.group(1)], "address": match.group(2)}


def minutes(interface: str, name: str, value: timedelta) -> int:
    """A duration in whole minutes, as the conference interfaces take it."""
    seconds = value.total_seconds()
    if seconds <= 0 or seconds % 60:
        raise RequestSchemaError(f"{interface} request is invalid, not sent: {name} must be whole minutes, got "
                                 f"{seconds:g} seconds")
    return int(seconds // 60)


class ConferenceKeywords(LibraryComponent):
    """Agent-hosted conferences (the ``agentconf`` chapter): an agent starts a conference and, as its chairperson,
    adds agents and phone numbers, holds, mutes, plays announcements to and removes them, hands the chair over,
    extends and ends it; the agents invited answer or reject and leave on their own.

    A participant is named ``agent:<agent ID>`` or ``number:<phone number>``. Members who joined get
    ``AgentConf_ParticipantChanged`` for each change (``changeType`` 0 joined, 1 left, 2 chair changed, 3 muted,
    4 unmuted, 5 held, 6 unheld; ``changeReason`` says why one left: 0 on its own, 1 removed, 3 conference ended).
    Chair operations work after ``AgentConf_RequestSuccess``. These are not the voice call's three-party
    conference (`Make Three Party Call`).
    """

    @keyword(tags=["conference", "requestAgentConf"])
    def start_conference(self, seats: int = 3, duration: timedelta | None = None,
                         reminder: timedelta | None = None, caller: str | None = None, tone: str | None = None,
                         agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Applies for a conference with ``seats`` places (1 to 120, the chairperson included) that lasts
        ``duration`` (whole minutes, 4 to 1440; the gateway's default 60) and becomes its chairperson
        (``requestAgentConf``).

        ``reminder`` is how long before the end ``AgentConf_Timeout`` comes (whole minutes, default 3);
        `Extend Conference` answers it. ``caller`` is the number users called into the conference see; ``tone``
        (a file path such as ``y:/conf/120/1136287.V3``) is played when users join or leave.

        The agent must be idle or in one stable call, whose customer comes along into the conference. It gets
        ``AgentState_Busy``, ``AgentOther_PhoneAlerting`` and ``AgentOther_PhoneOffhook`` (when idle), then
        ``AgentConf_SelfJoinResult`` and ``AgentConf_RequestSuccess`` (both with the ``confId``).

        | `Start Conference` | seats=4 | duration=30 minutes |
        | `Wait For Event` | AgentConf_RequestSuccess |
        """
        body: dict[str, Any] = {"memberNum": seats}
        if duration is not None:
            body["time"] = minutes("requestAgentConf", "duration", duration)
        if reminder is not None:
            body["promptTime"] = minutes("requestAgentConf", "reminder", reminder)
        if caller is not None:
            body["confCallerNo"] = caller
        if tone is not None:
            body |= {"beepTone": True, "playMode": PLAY_FILE, "voicePath": tone}
        self._agent_call(agent, "requestAgentConf", expected_retcode, body=body)

    @keyword(tags=["conference", "answerAgentConf"])
    def answer_conference_invitation(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Joins the conference that invited the agent (``answerAgentConf``), after ``AgentConf_Ringing``. The agent
        gets ``AgentConf_SelfJoinResult``, the members ``AgentConf_ParticipantChanged`` (``changeType`` 0).

        | `Wait For Event` | AgentConf_Ringing | agent=second |
        | `Answer Conference Invitation` | agent=second |
        """
        self._agent_call(agent, "answerAgentConf", expected_retcode)

    @keyword(tags=["conference", "rejectAgentConf"])
    def reject_conference_invitation(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Turns the conference invitation down (``rejectAgentConf``): the agent gets ``AgentOther_PhoneRelease``
        and ``AgentState_Ready``, the members ``AgentConf_ParticipantChanged``.

        | `Reject Conference Invitation` | agent=second |
        """
        self._agent_call(agent, "rejectAgentConf", expected_retcode)

    @keyword(tags=["conference", "batchAddParticipant"])
    def add_conference_participants(self, *participants: str, tone: str | None = None, caller: str | None = None,
                                    agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Invites ``participants`` (``agent:<ID>`` or ``number:<phone number>``, at most 120) into the agent's
        conference (``batchAddParticipant``, chairperson only).

        An invited agent gets ``AgentConf_Ringing`` and joins with `Answer Conference Invitation`; a number joins
        when it answers. Each join reaches the members as ``AgentConf_ParticipantChanged`` (``changeType`` 0); one
        that cannot be reached reaches the chairperson with ``result`` 1. ``tone`` is a file played to each user
        who joins; ``caller`` the number the called users see.

        | `Add Conference Participants` | agent:102 | number:88880001 |
        | `Wait For Event` | AgentConf_ParticipantChanged | participant=88880001 | changeType=0 |
        """
        if not participants:
            raise RequestSchemaError("batchAddParticipant request is invalid, not sent: name at least one "
                                     "participant")
        body: dict[str, Any] = {"addresses": [address("batchAddParticipant", each) for each in participants]}
        if tone is not None:
            body |= {"beepTone": True, "playMode": PLAY_FILE, "voicePath": tone}
        if caller is not None:
            body["caller"] = caller
        self._agent_call(agent, "batchAddParticipant", expected_retcode, body=body)

    @keyword(tags=["conference", "batchRemoveParticipant"])
    def remove_conference_participants(self, *participants: str, agent: str | None = None,
                                       expected_retcode: Retcodes = SUCCESS) -> list[str] | None:
        """Removes ``participants`` (``agent:<ID>`` or ``number:<phone number>``, at most 30) from the agent's
        conference (``batchRemoveParticipant``, chairperson only) and returns those that were not in it, named
        the same way. A refusal given as ``expected_retcode`` returns None.

        The members get ``AgentConf_ParticipantChanged`` (``changeType`` 1, ``changeReason`` 1); a removed agent
        gets ``AgentOther_PhoneRelease``, ``AgentConf_SelfLeaveResult`` and ``AgentState_Ready``.

        | ${absent} = | `Remove Conference Participants` | agent:102 | number:88880001 |
        | Should Be Empty | ${absent} |
        """
        if not participants:
            raise RequestSchemaError("batchRemoveParticipant request is invalid, not sent: name at least one "
                                     "participant")
        reply = self._agent_call(agent, "batchRemoveParticipant", expected_retcode,
                                 body={"addresses": [address("batchRemoveParticipant", each) for each in participants]})
        if not succeeded(reply):
            return None
        result = reply.get("result")
        missing = result.get("noExistParticipants") if isinstance(result, dict) else None
        absent = [f"{KINDS.get(str(item.get('addressType')), 'agent')}:{item.get('address')}"
                  for item in missing or [] if isinstance(item, dict)]
        if absent:
            logger.info(f"Not in the conference: {', '.join(absent)}.")
        return absent

    @keyword(tags=["conference", "holdParticipant"])
    def hold_conference_participant(self, participant: str, voice_path: str, agent: str | None = None,
                                    expected_retcode: Retcodes = SUCCESS) -> None:
        """Holds ``participant`` (``agent:<ID>`` or ``number:<phone number>``), who hears the file ``voice_path``
        meanwhile (``holdParticipant``, chairperson only). The members get ``AgentConf_ParticipantChanged``
        (``changeType`` 5).

        | `Hold Conference Participant` | number:88880001 | y:/conf/120/1136287.V3 |
        """
        self._agent_call(agent, "holdParticipant", expected_retcode,
                         body={**address("holdParticipant", participant), "playMode": PLAY_FILE,
                               "voicePath": voice_path})

    @keyword(tags=["conference", "unholdParticipant"])
    def unhold_conference_participant(self, participant: str, agent: str | None = None,
                                      expected_retcode: Retcodes = SUCCESS) -> None:
        """Takes ``participant`` off hold (``unholdParticipant``, chairperson only). The members get
        ``AgentConf_ParticipantChanged`` (``changeType`` 6).

        | `Unhold Conference Participant` | number:88880001 |
        """
        self._agent_call(agent, "unholdParticipant", expected_retcode, body=address("unholdParticipant", participant))

    @keyword(tags=["conference", "changeParticipantMode"])
    def set_conference_participant_mode(self, participant: str, mode: ParticipantMode, agent: str | None = None,
                                        expected_retcode: Retcodes = SUCCESS) -> None:
        """Sets what ``participant`` may do (``changeParticipantMode``, chairperson only): ``listen only``,
        ``speak only``, ``listen and speak`` or ``neither``. ``listen only`` and ``listen and speak`` reach the
        members as ``AgentConf_ParticipantChanged`` (``changeType`` 3 muted, 4 unmuted); the others raise no event.

        | `Set Conference Participant Mode` | agent:102 | listen only |
        """
        if mode not in MODES:
            raise RequestSchemaError(f"changeParticipantMode request is invalid, not sent: mode '{mode}' is not a "
                                     f"participant mode; choose {', '.join(MODES)}")
        self._agent_call(agent, "changeParticipantMode", expected_retcode,
                         body={"attribute": MODES[mode], **address("changeParticipantMode", participant)})

    @keyword(tags=["conference", "applyToShiftPresident"])
    def hand_over_conference_chair(self, agent_id: str, agent: str | None = None,
                                   expected_retcode: Retcodes = SUCCESS) -> None:
        """Makes agent ``agent_id``, who joined the conference, its chairperson (``applyToShiftPresident``). The
        members get ``AgentConf_ParticipantChanged`` (``changeType`` 2), the new chairperson
        ``AgentConf_PresidentChanged``.

        | `Hand Over Conference Chair` | 102 |
        """
        if not agent_id.isdigit():
            raise RequestSchemaError(f"applyToShiftPresident request is invalid, not sent: agent_id '{agent_id}' "
                                     "must be an agent ID (digits)")
        self._agent_call(agent, "applyToShiftPresident", expected_retcode, body={"destAgentNo": int(agent_id)})

    @keyword(tags=["conference", "prolongTime"])
    def extend_conference(self, by: timedelta, agent: str | None = None,
                          expected_retcode: Retcodes = SUCCESS) -> timedelta | None:
        """Extends the conference by ``by`` (whole minutes, 1 to 1440; ``prolongTime``, chairperson only) and
        returns how much the gateway added: less when the conference would pass 1440 minutes in all. A refusal
        given as ``expected_retcode`` returns None.

        | ${added} = | `Extend Conference` | 30 minutes |
        """
        reply = self._agent_call(agent, "prolongTime", expected_retcode,
                                 body={"prolongTime": minutes("prolongTime", "by", by)})
        if not succeeded(reply):
            return None
        result = reply.get("result")
        added = result.get("applyedTime") if isinstance(result, dict) else None
        if not isinstance(added, int):
            logger.warn("prolongTime: the reply does not say how long the conference was extended (applyedTime).")
            return None
        logger.info(f"The conference was extended by {added} minute(s).")
        return timedelta(minutes=added)

    @keyword(tags=["conference", "playVoiceToConf", "playVoiceToParticipant"])
    def play_conference_announcement(self, voice_path: str, to: str | None = None, background: bool = False,
                                     agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Plays the file ``voice_path`` to the whole conference (``playVoiceToConf``; ``background=True`` plays
        it under the talk) or, with ``to`` naming a participant, to that participant only
        (``playVoiceToParticipant``). Chairperson only. When it ends the chairperson gets ``AgentConf_StopVoice``
        (``AgentConf_StopParticipantVoice`` for one participant).

        | `Play Conference Announcement` | y:/conf/120/welcome.V3 |
        | `Play Conference Announcement` | y:/conf/120/notice.V3 | to=number:88880001 |
        """
        if to is None:
            self._agent_call(agent, "playVoiceToConf", expected_retcode,
                             body={"playType": 1 if background else 0, "playMode": PLAY_FILE, "voicePath": voice_path})
        else:
            self._agent_call(agent, "playVoiceToParticipant", expected_retcode,
                             body={**address("playVoiceToParticipant", to), "playMode": PLAY_FILE,
                                   "voicePath": voice_path})

    @keyword(tags=["conference", "stopVoiceToConf", "stopVoiceToParticipant"])
    def stop_conference_announcement(self, to: str | None = None, agent: str | None = None,
                                     expected_retcode: Retcodes = SUCCESS) -> None:
        """Stops the announcement to the whole conference (``stopVoiceToConf``, no event follows) or, with ``to``,
        to that participant (``stopVoiceToParticipant``, then ``AgentConf_StopParticipantVoice``).

        | `Stop Conference Announcement` |
        | `Stop Conference Announcement` | to=number:88880001 |
        """
        if to is None:
            self._agent_call(agent, "stopVoiceToConf", expected_retcode)
        else:
            self._agent_call(agent, "stopVoiceToParticipant", expected_retcode,
                             body=address("stopVoiceToParticipant", to))

    @keyword(tags=["conference", "requestLeaveAgentConf"])
    def leave_conference(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Leaves the conference (``requestLeaveAgentConf``); the chairperson cannot (`End Conference`, or
        `Hand Over Conference Chair` first). The agent gets ``AgentOther_PhoneRelease``,
        ``AgentConf_SelfLeaveResult`` and ``AgentState_Ready``; the members ``AgentConf_ParticipantChanged``
        (``changeType`` 1, ``changeReason`` 0).

        | `Leave Conference` | agent=second |
        """
        self._agent_call(agent, "requestLeaveAgentConf", expected_retcode)

    @keyword(tags=["conference", "releaseAgentConf"])
    def end_conference(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Ends the conference for everyone in it (``releaseAgentConf``, chairperson only): each agent gets
        ``AgentOther_PhoneRelease``, ``AgentConf_SelfLeaveResult`` and ``AgentState_Ready``; the chairperson
        leaves first, so the other members also get ``AgentConf_ParticipantChanged`` with ``changeReason`` 3
        (the conference ended) for the chairperson.

        | `End Conference` |
        """
        self._agent_call(agent, "releaseAgentConf", expected_retcode)
