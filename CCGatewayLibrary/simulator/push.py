"""Push mode, the simulator's side: each push-mode agent's queued events are POSTed to its callback.

A sign-in that gives both ``callBackUri`` and ``serviceToken`` starts one pusher task for that session. It sends
what is queued, oldest first, as ``{workNo, eventList}`` with the headers ``Guid`` and ``service_token``, one push
at a time so the order holds, and counts a push as delivered when the callback answers HTTP 200 with retcode 0.
The callback's certificate is verified against ``SimulatorConfig.callback_ca`` (or the system's CAs).

What a gateway does with a push that fails is not documented; the simulator's choice (inferred): the same push
is tried again after each pause of ``gateway.PUSH_RETRY_DELAYS`` (scaled by time_scale), later events waiting
behind it; after the last try its events are given up and counted as ``lost``, like an event in a dropped poll
reply. Faults on the pseudo-interface ``push`` (see faults.py) delay, drop, duplicate or fail a push.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
from aiohttp import web

from ..catalogue import PUSH_BODY_SCHEMA, Catalogue, gateway
from ..catalogue.gateway import SUCCESS
from .faults import PUSH, PUSH_KINDS, Fault
from .model import Agent, GatewayModel, SimulatorConfig

log = logging.getLogger("ccgw-sim")
IDLE_CHECK = 1.0  # how often an idle pusher looks whether its session is over


class Pusher:
    """Pushes events for every push-mode agent of one simulator."""

    def __init__(self, model: GatewayModel, config: SimulatorConfig, catalogue: Catalogue,
                 wakeup: Callable[[str], asyncio.Event], faults: Callable[[], list[Fault]]) -> None:
        self.model = model
        self.config = config
        self.catalogue = catalogue
        self._wakeup = wakeup
        self._faults = faults
        self.counts: Counter[str] = Counter({"sent": 0, "retried": 0, "failed": 0, "duplicated": 0, "dropped": 0,
                                             "delayed": 0})
        self._client: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def lifecycle(self, app: web.Application) -> AsyncIterator[None]:
        """aiohttp cleanup context: pushers stop and the client closes with the server."""
        yield
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._client is not None:
            await self._client.close()
            self._client = None  # a restarted simulator opens a new one

    def start(self, agent: Agent) -> None:
        """A push-mode sign-in: its session's events go to its callback from now on."""
        task = asyncio.get_running_loop().create_task(self._run(agent, agent.session))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _client_session(self) -> aiohttp.ClientSession:
        if self._client is None:
            # Built at the first push, so a CA given after the simulator started (the library's) is used.
            context = ssl.create_default_context(cafile=str(self.config.callback_ca) if self.config.callback_ca
                                                 else None)
            self._client = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context),
                                                 timeout=aiohttp.ClientTimeout(total=gateway.PUSH_TIMEOUT))
        return self._client

    def _take(self, agent_id: str, kinds: tuple[str, ...]) -> Fault | None:
        """The next push fault of these kinds for the agent; only faults named for ``push`` apply."""
        faults = self._faults()
        for fault in faults:
            if fault.interface == PUSH and fault.kind in kinds and fault.matches(PUSH, agent_id):
                fault.count -= 1
                if not fault.count:
                    faults.remove(fault)
                return fault
        return None

    async def _run(self, agent: Agent, session: int) -> None:
        wakeup = self._wakeup(agent.agent_id)
        while agent.session == session:
            if not agent.queue:
                if not agent.signed_in:
                    return  # what the sign-out produced was pushed; nothing more comes for this session
                wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wakeup.wait(), IDLE_CHECK)
                continue
            batch = []
            while agent.queue:
                event = self.model.next_event(agent)
                if event is not None:
                    batch.append(event)
            await self._push(agent, session, batch)

    async def _push(self, agent: Agent, session: int, batch: list[dict[str, Any]]) -> None:
        body = {"workNo": agent.agent_id, "eventList": batch}
        problems = self.catalogue.problems(PUSH_BODY_SCHEMA, body)
        if problems:  # a simulator bug: nothing a gateway would send
            log.error("push for agent %s breaks the push envelope: %s", agent.agent_id, problems)
        fault = self._take(agent.agent_id, tuple(k for k in PUSH_KINDS if k != "unreachable"))
        if fault is not None and fault.kind == "drop":
            log.info("injecting fault %s: %d event(s) of agent %s dropped", fault.describe(), len(batch),
                     agent.agent_id)
            self.counts["dropped"] += 1
            self.model.events["lost"] += len(batch)
            return
        if fault is not None and fault.kind == "delay":
            self.counts["delayed"] += 1
            await asyncio.sleep(float(fault.value))
        text = json.dumps(body)
        for attempt, pause in enumerate((*gateway.PUSH_RETRY_DELAYS, None)):
            if await self._send(agent, session, text):
                break
            if agent.session != session:  # a new sign-in: the callback and token are no longer this batch's
                self.model.events["dropped"] += len(batch)
                return
            if pause is None:
                self.counts["failed"] += 1
                # After a sign-out nobody wants them (as a poll-mode queue dropped at sign-out); else they are lost.
                self.model.events["lost" if agent.signed_in else "dropped"] += len(batch)
                log.info("push of %d event(s) to agent %s failed %d time(s): given up", len(batch), agent.agent_id,
                         attempt + 1)
                return
            self.counts["retried"] += 1
            await asyncio.sleep(pause * self.config.time_scale)
        if fault is not None and fault.kind == "duplicate":
            self.counts["duplicated"] += 1
            await self._send(agent, session, text)

    async def _send(self, agent: Agent, session: int, text: str) -> bool:
        """One POST to the callback of the agent's sign-in ``session``; True when it answered success."""
        if agent.session != session or agent.callback is None or agent.service_token is None:
            return False
        if not agent.callback.lower().startswith("https://"):  # events and the token never travel in clear text
            log.info("push to agent %s's callback refused: not an https:// URL", agent.agent_id)
            return False
        if self._take(agent.agent_id, ("unreachable",)) is not None:
            log.info("injecting fault: agent %s's callback unreachable", agent.agent_id)
            return False
        headers = {"Content-Type": "application/json;charset=UTF-8", gateway.SERVICE_TOKEN_HEADER: agent.service_token,
                   "Guid": agent.guid or ""}
        try:
            client = self._client_session()  # OSError: a --callback-ca file that cannot be read
            async with client.post(agent.callback, data=text.encode("utf-8"), headers=headers) as response:
                reply = await response.json(content_type=None) if response.status == 200 else None
        except (aiohttp.ClientError, TimeoutError, ValueError, OSError) as error:  # ssl.SSLError is an OSError
            log.info("push to agent %s's callback failed: %s", agent.agent_id, type(error).__name__)
            return False
        self.counts["sent"] += 1
        return isinstance(reply, dict) and str(reply.get("retcode")) == SUCCESS
