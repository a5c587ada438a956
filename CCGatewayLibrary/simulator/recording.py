"""Recording and playback (the ``recordplay`` chapter) and recording files (``recordfile``).

Recording: an agent records its call in progress (``beginRecord``), pauses and resumes it and stops it; the call
ending stops it too. Each recording is kept with its name (the ``fileName`` of ``AgentMediaEvent_Record``, which a
download takes as ``recordId``), its start and end times and the seconds recorded (pauses left out). A download
serves a WAV file of one second of tone, made with the standard library, as the documented file stream.

Playback: an agent plays a file to itself (``beginPlay``, ``beginNetPlay``), pauses, resumes, skips forward or back,
moves to a position and stops it; at the end of the file it stops by itself. The files it can play are the
simulator's recordings (a recording is as long as the seconds recorded); any other path fails to play, as a file
that is missing does. Not in a call, the platform calls the agent's phone for the playback (developer guide
https://support.huaweicloud.com/intl/en-us/devg-ccgw-cec/cec_05_4050.html, in a call cec_05_4051.html).

Time: seconds of recording and of playback are the simulated world's, so with ``time_scale`` 0.1 a file of 30 s
plays in 3 s, and 3 s of recording count as 30.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import struct
import wave
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from ..catalogue.states import CallState
from . import events
from .agent_states import AgentStateMachine
from .events import PhoneState
from .operations import FileReply, Request, serves
from .world import Agent, Leg, Refused, Role, World

# Refusals: the third-party labels of the 500 codes ("<operation>: state does not allow it"); see the catalogue notes.
REWIND_REFUSED, FAST_FORWARD_REFUSED, PAUSE_PLAY_REFUSED = "500-001", "500-002", "500-003"
PAUSE_RECORD_REFUSED, RESUME_PLAY_REFUSED, RESUME_RECORD_REFUSED = "500-004", "500-005", "500-006"
PLAY_REFUSED, RECORD_REFUSED, STOP_PLAY_REFUSED = "500-007", "500-008", "500-009"
NOTHING_TO_STOP = "100-007"  # stopRecord with no recording: no code names it (inferred)
NO_PLAYBACK_TO_MOVE, OUTSIDE_THE_FILE = "500-012", "500-013"  # playRelocation's codes, meanings not documented
BAD_FILE_NAME, NO_SUCH_FILE = "104-003", "104-005"
MONITORS = (Role.LISTEN, Role.WHISPER, Role.BARGE)
DEFAULT_FORMAT = "0"  # recordFormat: the system's default
LOCATION = "0"  # locationId: the simulator is one node
DRIVE_PATH = re.compile(r"^[A-Za-z]:[/\\]")  # how the gateway's recording names begin (y:/1/0/...)
# The file a download serves: one second of a 440 Hz tone, 8 kHz 16-bit mono PCM.
SAMPLE_RATE, TONE_HZ, FILE_SECONDS = 8000, 440, 1


class StopCause(IntEnum):
    """``AgentMediaEvent_StopPlayDone``'s ``cause``."""

    FINISHED = 0
    STOPPED = 1
    FAILED = 2


def tone_wav() -> bytes:
    """A valid WAV file: one second of a quiet tone."""
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * TONE_HZ * n / SAMPLE_RATE)))
                      for n in range(SAMPLE_RATE * FILE_SECONDS))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(frames)
    return buffer.getvalue()


@dataclass(eq=False)
class Recording:
    file_name: str  # the recording's name: AgentMediaEvent_Record's fileName, a download's recordId
    serial: str  # recordID
    task_id: int
    agent_id: str
    leg: Leg | None  # the agent's leg recorded, while the recording runs
    callid: str
    caller: str
    called: str
    begin: float  # world time
    end: float | None = None
    paused_since: float | None = None
    paused: float = 0.0  # world seconds spent paused

    def task(self) -> events.RecordTask:
        """What the recording events tell of it."""
        return events.RecordTask(self.task_id, self.serial, self.file_name, self.callid, int(self.begin * 1000),
                                 int(self.end * 1000) if self.end is not None else 0, LOCATION, DEFAULT_FORMAT)

    @property
    def state(self) -> str:
        return "stopped" if self.end is not None else "paused" if self.paused_since is not None else "recording"

    def recorded(self, now: float, time_scale: float) -> float:
        """Seconds recorded, pauses left out, in the simulated world's seconds."""
        until = self.end if self.end is not None else self.paused_since if self.paused_since is not None else now
        return max(0.0, until - self.begin - self.paused) / time_scale

    def describe(self, now: float, time_scale: float) -> dict[str, Any]:
        return {"fileName": self.file_name, "recordID": self.serial, "callId": self.callid, "workNo": self.agent_id,
                "caller": self.caller, "called": self.called, "beginTime": int(self.begin * 1000),
                "endTime": None if self.end is None else int(self.end * 1000),
                "duration": round(self.recorded(now, time_scale), 3), "state": self.state}


@dataclass(eq=False)
class Playback:
    agent_id: str
    session: int  # the agent's sign-in it belongs to
    path: str
    file_length: float  # seconds of the file
    plays: int  # how often the file is played; 0: over and over until stopped
    phone_called: bool  # not in a call: the platform called the agent's phone for it
    offset: float = 0.0  # seconds played when it last started or stopped moving
    since: float | None = None  # world time it last started moving; None while paused
    timer: int = 0  # bumped on every change, so a superseded end-of-file timer does nothing

    @property
    def length(self) -> float:
        """Seconds the whole playback lasts, every play of the file counted."""
        return self.file_length * self.plays if self.plays else math.inf

    def position(self, now: float, time_scale: float) -> float:
        """Seconds played so far, every play of the file counted."""
        moved = (now - self.since) / time_scale if self.since is not None else 0.0
        return min(self.length, self.offset + moved)

    def play_start(self, now: float, time_scale: float) -> float:
        """Where the play of the file now going on began, in seconds played."""
        if self.file_length <= 0:
            return 0.0
        start = math.floor(self.position(now, time_scale) / self.file_length) * self.file_length
        return min(start, self.length - self.file_length)  # at the very end: the last play


class RecordingChapter:
    """The recordplay and recordfile interfaces: recordings per agent's call, playback per agent."""

    def __init__(self, world: World, states: AgentStateMachine) -> None:
        self.world = world
        self.states = states
        self.recordings: list[Recording] = []
        self.running: dict[str, Recording] = {}  # agent ID -> its recording that has not stopped
        self.playbacks: dict[str, Playback] = {}
        self.screens: set[str] = set()  # agents whose screen is being recorded
        self._tasks = itertools.count(5000)
        self._file = tone_wav()
        world.leg_ended.append(self._leg_ended)

    # -- helpers ------------------------------------------------------------------------------------
    @property
    def _scale(self) -> float:
        return self.world.config.time_scale

    def _party_leg(self, agent: Agent) -> Leg | None:
        return next((leg for leg in agent.calls if leg.role is Role.AGENT), None)

    def _inspecting(self, agent: Agent) -> bool:
        return any(leg.role in MONITORS for leg in agent.calls)

    def find(self, file_name: str) -> Recording | None:
        return next((rec for rec in self.recordings if rec.file_name.lower() == file_name.lower()), None)

    # -- recording ----------------------------------------------------------------------------------
    def _begin_record(self, agent: Agent, file_name: str) -> None:
        if self._inspecting(agent):
            raise Refused(RECORD_REFUSED, f"agent {agent.agent_id} inspects another agent's call and cannot record")
        if agent.agent_id in self.running:
            raise Refused(RECORD_REFUSED, f"agent {agent.agent_id} is already recording "
                                          f"({self.running[agent.agent_id].file_name})")
        leg = next((leg for leg in agent.calls if leg.role is Role.AGENT
                    and leg.state in (CallState.TALKING, CallState.CONFERENCE)), None)
        if leg is None:
            raise Refused(RECORD_REFUSED, f"agent {agent.agent_id} has no call in progress to record")
        now = self.world.now()
        stamp = datetime.fromtimestamp(now, UTC)
        task = next(self._tasks)
        day, time_of_day = stamp.strftime("%Y%m%d"), f"{stamp.strftime('%H%M%S')}{task % 10}"
        # The gateway's own naming: drive:/VDN/media type/yyyymmdd/agent ID/name (beginRecord's page); a WAV here.
        name = file_name or f"Y:/1/0/{day}/{agent.agent_id}/{time_of_day}.wav"
        if self.find(name) is not None:  # recordMode 0 overwrites; the simulator keeps each recording apart
            name = f"{name.rsplit('.', 1)[0]}-{task}.wav"
        call = leg.call
        recording = Recording(name, f"Yc1v1a{agent.agent_id}d{day}t{time_of_day}", task, agent.agent_id, leg,
                              call.callid, call.caller, call.called, now)
        self.recordings.append(recording)
        self.running[agent.agent_id] = recording
        self.world.send(agent, events.record_started(call, recording.task()))

    def _stop_record(self, agent: Agent, recording: Recording) -> None:
        now = self.world.now()
        if recording.paused_since is not None:
            recording.paused += now - recording.paused_since
            recording.paused_since = None
        recording.end, recording.leg = now, None
        del self.running[agent.agent_id]
        self.world.send(agent, events.record_stopped(recording.task()))

    def _leg_ended(self, leg: Leg) -> None:
        """A call ended for the agent: its recording of it stops, and a playback into its last call ends (cause 0,
        inferred); the platform's doing."""
        if leg.agent_id is None:
            return
        agent = self.world.agents[leg.agent_id]
        with self.world.caused_by(None):
            recording = self.running.get(agent.agent_id)
            if recording is not None and recording.leg is leg:
                self._stop_record(agent, recording)
            playback = self.playback(agent)
            if playback is not None and not playback.phone_called and self._party_leg(agent) is None:
                self._finish(agent, playback, StopCause.FINISHED)

    @serves("beginRecord")
    def begin_record(self, agent: Agent, request: Request) -> None:
        self._begin_record(agent, str((request.get("body") or {}).get("fileName") or ""))

    @serves("beginRecordWithoutFilename")
    def begin_record_without_name(self, agent: Agent, request: Request) -> None:
        self._begin_record(agent, "")

    @serves("stopRecord")
    def stop_record(self, agent: Agent, request: Request) -> None:
        recording = self.running.get(agent.agent_id)
        if recording is None:
            raise Refused(NOTHING_TO_STOP, f"agent {agent.agent_id} is not recording")
        self._stop_record(agent, recording)

    @serves("pauseRecord")
    def pause_record(self, agent: Agent, request: Request) -> None:
        recording = self.running.get(agent.agent_id)
        if recording is None or recording.paused_since is not None:
            raise Refused(PAUSE_RECORD_REFUSED, f"agent {agent.agent_id} has no running recording to pause")
        recording.paused_since = self.world.now()

    @serves("resumeRecord")
    def resume_record(self, agent: Agent, request: Request) -> None:
        recording = self.running.get(agent.agent_id)
        if recording is None or recording.paused_since is None:
            raise Refused(RESUME_RECORD_REFUSED, f"agent {agent.agent_id} has no paused recording to resume")
        recording.paused += self.world.now() - recording.paused_since
        recording.paused_since = None

    @serves("startRecordScreen")
    def start_screen(self, agent: Agent, request: Request) -> None:
        if agent.agent_id in self.screens:
            self.world.send(agent, events.screen_start_failed())
            return
        self.screens.add(agent.agent_id)
        self.world.send(agent, events.screen_started())

    @serves("stopRecordScreen")
    def stop_screen(self, agent: Agent, request: Request) -> None:
        if agent.agent_id not in self.screens:
            self.world.send(agent, events.screen_stop_failed())
            return
        self.screens.discard(agent.agent_id)
        self.world.send(agent, events.screen_stopped())

    # -- recording files ----------------------------------------------------------------------------
    def _listing(self, found: list[Recording]) -> list[dict[str, Any]]:
        return [recording.describe(self.world.now(), self._scale) for recording in found]

    @serves("queryRecordFile", "querySelfRecordFile")
    def own_recordings(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        return self._listing([rec for rec in self.recordings if rec.agent_id == agent.agent_id])

    @serves("queryRecordFileByCallId")
    def call_recordings(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        callid = str(request["query"]["callId"])
        named = self.world.handles.get(callid)  # a party's handle names the call it is in now
        ids = {callid} | ({named.callid} if named is not None else set())
        return self._listing([rec for rec in self.recordings if rec.callid in ids])

    @serves("queryRecordFileFromRecordID")
    def recording_by_name(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        found = self.find(str(request["query"]["recordId"]))
        return self._listing([found] if found is not None else [])

    @serves("queryRecordFileURL", "queryRecordZipFileURL", "queryBatchRecordZipFileURL", "queryVoiceRecordScore")
    def undocumented(self, agent: Agent, request: Request) -> None:
        return None  # only the routes are known: success with an empty result

    def _file_of(self, recording: Recording | None, what: str) -> FileReply:
        if recording is None or recording.end is None:
            raise Refused(NO_SUCH_FILE, f"{what} is not a finished recording of the simulator")
        return FileReply(self._file, recording.file_name.replace("\\", "/").rsplit("/", 1)[-1])

    @serves("downloadRecordFile")
    def download(self, agent: Agent, request: Request) -> FileReply:
        query = request["query"]
        record_id = str(query["recordId"])
        if not DRIVE_PATH.match(record_id):
            raise Refused(BAD_FILE_NAME, "recordId must be a recording's path, drive:/VDN/...")
        if str(query.get("filetype", "1")) != "1":
            raise Refused(NO_SUCH_FILE, "the simulator keeps no IVR or third-party voice messages")
        return self._file_of(self.find(record_id), f"recording {record_id}")

    @serves("recordfiledownloadEx")
    def download_by_call(self, agent: Agent, request: Request) -> FileReply:
        query = request["query"]
        callid = str(query["callId"])
        if query.get("hwFileName"):
            raise Refused(NO_SUCH_FILE, "the simulator records no video")
        finished = [rec for rec in self.recordings if rec.callid == callid and rec.end is not None]
        return self._file_of(finished[-1] if finished else None, f"call {callid}")

    @serves("downloadVideoFile", "downloadVideoFileEx")
    def download_video(self, agent: Agent, request: Request) -> None:
        raise Refused(NO_SUCH_FILE, "the simulator records no video")

    # -- playback -----------------------------------------------------------------------------------
    def playback(self, agent: Agent) -> Playback | None:
        """The agent's playback in this session, playing or paused."""
        playback = self.playbacks.get(agent.agent_id)
        return playback if playback is not None and playback.session == agent.session else None

    def _play(self, agent: Agent, path: str, start: float, plays: int, *, network: bool) -> None:
        if self.playback(agent) is not None:
            raise Refused(PLAY_REFUSED, f"agent {agent.agent_id} is already playing a file")
        if self._inspecting(agent):
            raise Refused(PLAY_REFUSED, f"agent {agent.agent_id} inspects another agent's call")
        leg = self._party_leg(agent)
        if network and leg is not None and leg.state == CallState.CONFERENCE:
            raise Refused(PLAY_REFUSED, "netplay is not allowed in a three-party call")
        phone_called = leg is None
        if phone_called:  # the platform calls the agent's phone for the playback
            self.states.call_began(agent, announced=True)
            if agent.release_phone:
                self.world.send(agent, events.phone_alerting())
                self.world.send(agent, events.phone_offhook())
        recording = self.find(path)
        if recording is None or recording.end is None:
            if phone_called:
                self.world.send(agent, events.phone_release(PhoneState.PLATFORM_RELEASED))
                self.states.calls_ended(agent)
            self.world.send(agent, events.play_failed())
            self.world.send(agent, events.play_stopped(StopCause.FAILED))
            return
        length = recording.recorded(self.world.now(), self._scale)
        playback = Playback(agent.agent_id, agent.session, path, length, plays if length > 0 else 1, phone_called,
                            offset=min(start, length))
        self.playbacks[agent.agent_id] = playback
        self.world.send(agent, events.play_succeeded())
        self.world.send(agent, events.play_started())
        self._run(agent, playback)

    def _run(self, agent: Agent, playback: Playback) -> None:
        """The playback moves on from its offset; the end of the file stops it."""
        playback.since = self.world.now()
        playback.timer += 1
        timer = playback.timer

        def end_of_file() -> None:
            if self.playbacks.get(agent.agent_id) is playback and playback.timer == timer and agent.signed_in:
                with self.world.caused_by(None):  # the file ended: the platform's doing
                    self._finish(agent, playback, StopCause.FINISHED)

        if playback.plays:  # a loop plays until it is stopped
            self.world.later((playback.length - playback.offset) * self._scale, end_of_file)

    def _hold(self, playback: Playback) -> None:
        playback.offset = playback.position(self.world.now(), self._scale)
        playback.since = None
        playback.timer += 1

    def _finish(self, agent: Agent, playback: Playback, cause: StopCause) -> None:
        del self.playbacks[agent.agent_id]
        playback.timer += 1
        if playback.phone_called:
            why = PhoneState.AGENT_HUNG_UP if cause is StopCause.STOPPED else PhoneState.PLATFORM_RELEASED
            self.world.send(agent, events.phone_release(why))
            self.states.calls_ended(agent)
        self.world.send(agent, events.play_stopped(cause))

    def _playing(self, agent: Agent, code: str) -> Playback:
        playback = self.playback(agent)
        if playback is None:
            raise Refused(code, f"agent {agent.agent_id} is not playing a file")
        return playback

    def _jump(self, agent: Agent, playback: Playback, to: float) -> None:
        moving = playback.since is not None
        self._hold(playback)
        playback.offset = max(0.0, min(playback.length, to))
        if moving:
            self._run(agent, playback)

    @serves("beginPlay")
    def play(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        times = int(body.get("times") or 1)
        self._play(agent, str(body["voicepath"]), float(body.get("startpostion") or 0), times if times >= 1 else 1,
                   network=False)

    @serves("beginNetPlay")
    def net_play(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        loop = str(body.get("playTime", "1")) == "0"
        self._play(agent, str(body["fileName"]), float(body.get("position") or 0), 0 if loop else 1, network=True)

    @serves("pausePlay")
    def pause_play(self, agent: Agent, request: Request) -> None:
        playback = self._playing(agent, PAUSE_PLAY_REFUSED)
        if playback.since is None:
            raise Refused(PAUSE_PLAY_REFUSED, f"agent {agent.agent_id}'s playback is already paused")
        self._hold(playback)
        self.world.send(agent, events.play_paused())

    @serves("resumePlay")
    def resume_play(self, agent: Agent, request: Request) -> None:
        playback = self._playing(agent, RESUME_PLAY_REFUSED)
        if playback.since is not None:
            raise Refused(RESUME_PLAY_REFUSED, f"agent {agent.agent_id}'s playback is not paused")
        self._run(agent, playback)
        self.world.send(agent, events.play_resumed())

    @serves("foreFastPlay")
    def fast_forward(self, agent: Agent, request: Request) -> None:
        playback = self._playing(agent, FAST_FORWARD_REFUSED)
        to = playback.position(self.world.now(), self._scale) + int(request["path"]["time"])
        self._jump(agent, playback, to)
        self.world.send(agent, events.play_jumped())
        if to >= playback.length:  # skipped past the end: the file has ended
            self._finish(agent, playback, StopCause.FINISHED)

    @serves("backFastPlay")
    def rewind(self, agent: Agent, request: Request) -> None:
        playback = self._playing(agent, REWIND_REFUSED)
        self._jump(agent, playback, playback.position(self.world.now(), self._scale) - int(request["path"]["time"]))
        self.world.send(agent, events.play_jumped())

    @serves("playRelocation")
    def relocate(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        playback = self._playing(agent, NO_PLAYBACK_TO_MOVE)
        seconds, origin = int(body["seekseconds"]), str(body["seekposition"])
        now = self.world.now()
        if origin == "1":
            backwards = str(body.get("seekdirection", "0")) == "1"
            to = playback.position(now, self._scale) + (-seconds if backwards else seconds)
            if not 0 <= to <= playback.length:
                raise Refused(OUTSIDE_THE_FILE, f"moving {seconds} s leaves the playback")
        else:  # from the start or the end of the file, in the play of it now going on
            if seconds > playback.file_length:
                raise Refused(OUTSIDE_THE_FILE, f"position {seconds} s is outside the file "
                                                f"({playback.file_length:g} s)")
            start = playback.play_start(now, self._scale)
            to = start + (seconds if origin == "0" else playback.file_length - seconds)
        self._jump(agent, playback, to)

    @serves("stopPlay")
    def stop_play(self, agent: Agent, request: Request) -> None:
        self._finish(agent, self._playing(agent, STOP_PLAY_REFUSED), StopCause.STOPPED)

    # -- what the control interface tells ---------------------------------------------------------
    def describe(self, agent: Agent) -> dict[str, Any]:
        """The agent's running recording and playback, for the control interface's agent view."""
        recording = self.running.get(agent.agent_id)
        playback = self.playback(agent)
        now = self.world.now()
        return {"recording": recording.describe(now, self._scale) if recording else None,
                "playback": None if playback is None else {
                    "path": playback.path, "length": round(playback.file_length, 3), "plays": playback.plays,
                    "position": round(playback.position(now, self._scale) - playback.play_start(now, self._scale), 3),
                    "state": "paused" if playback.since is None else "playing"}}
