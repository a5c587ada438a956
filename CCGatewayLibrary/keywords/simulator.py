from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword
from robot.api.types import Secret
from robot.libraries.BuiltIn import BuiltIn, RobotNotRunningError
from robot.running.context import EXECUTION_CONTEXTS

from ..catalogue import gateway
from ..errors import AgentError, SimulatorError
from ..reporting.metadata import top_facts
from ..simulator.control import SimulatorControl
from ..simulator.faults import FAULT_KINDS, FaultError
from ..simulator.faults import table as fault_table
from ..simulator.logfile import LogFileError, SimulatorLog
from ..urls import ca_bundle as checked_ca_bundle
from ..urls import gateway_url
from ..version import VERSION
from .base import LibraryComponent, seconds


class SimulatorKeywords(LibraryComponent):
    """Choosing the gateway under test and driving the embedded simulator."""

    @keyword(tags=["gateway"])
    def use_gateway(self, url: str, ca_bundle: str | None = None, control_token: Secret | None = None) -> None:
        """Talks to the gateway at ``url`` (``https://host:8043``) from now on, for agents signed in later.

        ``ca_bundle`` is a PEM file with the CA that signed the gateway's certificate; without it the CA bundle
        of requests is used (certifi's, or the file ``REQUESTS_CA_BUNDLE`` names). TLS verification cannot be
        switched off.

        ``control_token`` is for a simulator started with ``ccgw-sim --control-token-env NAME``: the `Secret`
        the ``Simulate ...`` keywords send to its control interface. It never appears in the log.

        | `Use Gateway` | https://ccgw.example.com:8043 | ca_bundle=${CURDIR}/ca.pem |
        | `Use Gateway` | https://simhost:8043 | ca_bundle=${CURDIR}/ca.pem | control_token=${SIM_TOKEN} |
        """
        url, bundle = gateway_url(url), checked_ca_bundle(ca_bundle)
        self.ctx.secrets.register(control_token)
        self.ctx.settings.url = url
        self.ctx.settings.ca_bundle = bundle
        # A token belongs to one gateway, so choosing a gateway always replaces it (with None when not given).
        self.ctx.simulator_control_token = control_token
        guard = " (simulator control token set)" if control_token is not None else ""
        logger.info(f"Gateway under test: {self.ctx.settings.url}{guard}")
        simulator = self.ctx.simulator
        config = simulator.config if simulator is not None else None
        kind = "real gateway or ccgw-sim" if simulator is None else simulator.description
        self._describe_run({
            "Gateway": f"{url} ({kind})",
            "Auth mode": ("dynamic" if config.dynamic_auth else "static") if config is not None
            else "as recorded" if simulator is not None else "as the gateway is configured",
            "Event mode": "push (to the library's HTTPS endpoint)" if self.ctx.event_mode() == "push" else "polling",
            "Gateway version": self.ctx.settings.gateway_version or "current",
            "CCGatewayLibrary": VERSION,
        })

    @staticmethod
    def _describe_run(facts: dict[str, str]) -> None:
        """Shows the facts as metadata in report.html, for whoever reads the report: on the suite that chose the
        gateway, and on the top suite while every suite that chose one agrees (else how the suites differ)."""
        try:
            builtin = BuiltIn()
            for name, value in facts.items():
                builtin.set_suite_metadata(name, value)
        except RobotNotRunningError:  # used from Python, not from a Robot run
            return
        top, current = EXECUTION_CONTEXTS.top.suite, EXECUTION_CONTEXTS.current.suite
        if top is current:
            return
        for name, value in top_facts(top, facts).items():
            builtin.set_suite_metadata(name, value, top=True)

    @keyword(tags=["simulator"])
    def start_gateway_simulator(
        self,
        poll_wait: timedelta = timedelta(seconds=gateway.POLL_WAIT),
        auth_mode: Literal["dynamic", "static"] = "dynamic",
        guid_rotation: timedelta | None = None,
        roster: Path | None = None,
        time_scale: float = 1.0,
        ready_timeout: timedelta = timedelta(seconds=15),
        log_file: Path | None = None,
        log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING",
        replay: Path | None = None,
        process: bool = False,
    ) -> str:
        """Starts the offline gateway simulator in the background and makes it the gateway under test.

        It serves HTTPS on a free local port with a certificate from its own CA, which the library trusts
        automatically. Returns its URL. ``poll_wait`` is how long an event poll waits when nothing is queued,
        ``auth_mode`` ``dynamic`` rotates the Guid on polls every ``guid_rotation``, and ``roster`` is a JSON
        file of agents, passwords and skills (default: agents 101 to 1100, see the user guide).

        ``time_scale`` multiplies the gateway's own timers: the Guid's renewal (60 s) and lifetime (120 s), the
        sign-out of an agent nobody polls for (2 minutes) and the rest timer, so ``time_scale=0.01`` lets a
        test see a 60 s rest end in 0.6 s. ``guid_rotation`` overrides the renewal alone.

        The keyword returns once the simulator's readiness endpoint (``/ccgw-sim/v1/health``) answers, and fails
        naming that URL if it does not within ``ready_timeout``.

        ``log_file`` gets one line per request (time, agent, interface, retcode, milliseconds; no Guid, no body)
        and the simulator's own messages at ``log_level`` and above (``DEBUG``, ``INFO``, ``WARNING``,
        ``ERROR``): faults injected, agents signed out for silence, restarts.

        ``replay`` is a session recorded with the library's ``record_to`` import argument: the simulator then
        answers each agent's requests with the recorded replies, in the recorded order, and delivers the
        recorded events (see docs/simulator.md). A request the recording does not expect fails naming what it
        expected. ``roster``, ``auth_mode`` and the timers do not apply to a replay.

        ``process=True`` runs the simulator as a separate ``ccgw-sim`` process instead of in the background of
        the Robot process, with the same options; it is stopped (and prints its counters to the log) with
        `Stop Gateway Simulator`.

        | `Start Gateway Simulator` |
        | `Start Gateway Simulator` | poll_wait=2s | guid_rotation=1s |
        | `Start Gateway Simulator` | time_scale=0.01 |
        | `Start Gateway Simulator` | log_file=${OUTPUT DIR}/ccgw-sim.log | log_level=INFO |
        """
        from ..simulator import Roster, SimulatorConfig
        from ..simulator.roster import RosterError

        try:  # the server needs the [simulator] extra (aiohttp, trustme)
            from ..simulator.replay import RecordingError, ReplaySimulator
            from ..simulator.runner import SimulatorRunner
        except ImportError as missing:
            raise SimulatorError(f"The gateway simulator needs the Python package '{missing.name}': pip install "
                                 "'robotframework-ccgatewaylibrary[simulator]'.") from None

        if self.ctx.simulator is not None:
            raise SimulatorError("A gateway simulator is already running; stop it first.")
        if time_scale <= 0:
            raise SimulatorError(f"time_scale must be greater than 0, got {time_scale}.")
        config = SimulatorConfig(poll_wait=seconds(poll_wait, gateway.POLL_WAIT), dynamic_auth=auth_mode == "dynamic",
                                 guid_rotation=None if guid_rotation is None else seconds(guid_rotation, 0),
                                 time_scale=time_scale, gateway_version=self.ctx.settings.gateway_version)
        try:
            agents = Roster.load(roster)
        except RosterError as error:
            raise SimulatorError(str(error)) from None
        if replay is not None and self.ctx.event_mode() == "push":
            raise SimulatorError("A replay answers polled sessions only: run the replayed suite in poll mode "
                                 "(event_mode=poll).")
        if process:
            return self._start_process(config, roster, seconds(ready_timeout, 15), log_file, log_level, replay)
        try:
            sink = SimulatorLog(log_file, log_level) if log_file is not None else None
        except LogFileError as error:
            raise SimulatorError(str(error)) from None
        try:
            played = None if replay is None else ReplaySimulator(replay, poll_wait=config.poll_wait,
                                                                 request_log=sink.request if sink else None)
        except RecordingError as error:
            if sink is not None:
                sink.close()
            raise SimulatorError(str(error)) from None
        runner = SimulatorRunner(config, agents, request_log=sink.request if sink is not None else None,
                                 simulator=played)
        try:
            endpoint = runner.start_in_thread(seconds(ready_timeout, 15))
        except RuntimeError as error:
            if sink is not None:
                sink.close()
            raise SimulatorError(f"The gateway simulator did not start: {error}") from None
        self.ctx.simulator_log = sink  # closed with the simulator
        self.ctx.simulator = runner
        self.ctx.settings.poll_wait = config.poll_wait
        # Push mode's heartbeat keeps pace with the scaled sign-out of silent agents.
        self.ctx.settings.heartbeat_interval = gateway.HEARTBEAT_INTERVAL * time_scale
        if self.ctx.push_receiver is not None:  # the simulator trusts the push endpoint's CA, as a gateway must
            config.callback_ca = self.ctx.push_receiver.ca_file
        self.use_gateway(endpoint.url, str(endpoint.ca_file))
        try:
            self._control().wait_ready(seconds(ready_timeout, 15))
        except SimulatorError:
            self.stop_gateway_simulator()
            raise
        return endpoint.url

    def _start_process(self, config: Any, roster: Path | None, ready_timeout: float, log_file: Path | None,
                       log_level: str, replay: Path | None) -> str:
        from ..simulator.process import SimulatorProcess

        if self.ctx.event_mode() == "push":
            self.ctx.push_endpoint()  # first, so the process can be told to trust its CA
            self.ctx.settings.heartbeat_interval = gateway.HEARTBEAT_INTERVAL * config.time_scale
        options = ["--poll-wait", f"{config.poll_wait:g}", "--auth-mode", "dynamic" if config.dynamic_auth else
                   "static", "--time-scale", f"{config.time_scale:g}", "--log-level", log_level]
        given = {"--guid-rotation": config.guid_rotation, "--roster": roster, "--log-file": log_file,
                 "--replay": replay, "--gateway-version": config.gateway_version,
                 # the process trusts the push endpoint's CA, as a gateway must
                 "--callback-ca": self.ctx.push_receiver.ca_file if self.ctx.push_receiver is not None else None}
        options += [part for name, value in given.items() if value is not None for part in (name, str(value))]
        simulator = SimulatorProcess(*options, ready_timeout=ready_timeout)
        self.ctx.simulator = simulator
        self.ctx.settings.poll_wait = config.poll_wait
        self.use_gateway(simulator.url, simulator.ca_file)
        logger.info(f"ccgw-sim process {simulator.pid} serves {simulator.url}.")
        return simulator.url

    @keyword(tags=["simulator"])
    def stop_gateway_simulator(self) -> None:
        """Stops the simulator started by `Start Gateway Simulator`.

        Event polling stops and the agents signed in to it are forgotten, since their gateway is gone.
        """
        if self.ctx.simulator is None:
            logger.info("No gateway simulator running.")
            return
        self.ctx.forget_agents("gateway simulator stopped")
        counters = self.ctx.simulator.stop()
        if counters:  # a ccgw-sim process prints them as it stops
            logger.info(f"ccgw-sim counters: {counters}")
        self.ctx.simulator = None
        if self.ctx.simulator_log is not None:
            self.ctx.simulator_log.close()
            self.ctx.simulator_log = None

    @keyword(tags=["simulator"])
    def restart_gateway_simulator(self, downtime: timedelta = timedelta(seconds=0.5),
                                  ready_timeout: timedelta = timedelta(seconds=15)) -> None:
        """Restarts the gateway simulator as a gateway reboots: every connection drops (held polls too), every
        session and call is lost, the port stays closed for ``downtime``, then the simulator serves again on
        the same URL with the same CA. Returns once it is ready again, or fails after ``ready_timeout``.

        Works for `Start Gateway Simulator` and for a ``ccgw-sim`` process (through its control interface).
        The library keeps its agents: their pollers retry while the port is closed (recorded in the event
        history), then stop when the gateway no longer knows the agent's Guid, so the next `Wait For Event`
        fails naming that retcode. `Sign In Agent` again to go on.

        | `Restart Gateway Simulator` | downtime=1s |
        | `Sign In Agent` | 101 | password=${AGENT_PASSWORD} | phone=70001 |
        """
        pause = seconds(downtime, 0.5)
        control = self._control()
        before = int(control.health().get("restarts", 0))
        control.restart(pause)
        control.wait_ready(pause + seconds(ready_timeout, 15), restarts=before + 1)
        logger.info(f"Gateway simulator at {self.ctx.gateway_url()} restarted after {pause:g} s down; the sessions "
                    f"of {len(self.ctx.agents)} signed-in agent(s) are gone.")

    @keyword(tags=["simulator"])
    def simulate_inbound_call(self, caller: str, agent: str | None = None, agent_id: str | None = None,
                              skill: int | None = None, access_code: str | None = None,
                              patience: timedelta | None = None) -> str:
        """Makes a customer with number ``caller`` call in and returns the new call's ID.

        Without ``skill`` or ``access_code`` the simulator routes the call to the agent, who must be signed in and
        idle: the current one unless ``agent`` names an alias, as in every keyword, or ``agent_id`` names an
        agent by its ID, for one the library did not sign in (give ``agent`` or ``agent_id``, not both).

        With ``skill`` (a skill queue ID) or ``access_code`` (the number that reaches a skill queue) the call goes
        to that queue: to the free agent signed in to the queue who has been idle longest, or else it waits, in
        arrival order, until such an agent becomes free (ready, end of after-call work, end of a call, sign-in).
        With ``patience`` the caller gives up after waiting that long (times the simulator's ``time_scale``);
        `Simulate Caller Gives Up` makes a caller give up at once.

        | ${customer} = | `Simulate Inbound Call` | caller=88880001 | agent=first |
        | ${customer} = | `Simulate Inbound Call` | caller=88880002 | agent_id=102 |
        | ${waiting} = | `Simulate Inbound Call` | caller=88880003 | skill=2 |
        | ${waiting} = | `Simulate Inbound Call` | caller=88880004 | access_code=60002 | patience=30s |
        """
        if skill is None and access_code is None:
            if patience is not None:
                raise SimulatorError("Simulate Inbound Call: patience is for a call to a skill queue; give skill or "
                                     "access_code with it.")
            target = self._agent_id("Simulate Inbound Call", agent, agent_id)
            callid = str(self._control().offer_call(caller, target)["callid"])
            logger.info(f"Simulated inbound call {callid} from {caller} to agent {target}.")
            return callid
        if agent is not None or agent_id is not None:
            raise SimulatorError("Simulate Inbound Call: a call goes to an agent (agent or agent_id) or to a skill "
                                 "queue (skill or access_code), not both.")
        if skill is not None and access_code is not None:
            raise SimulatorError("Simulate Inbound Call: give skill (a skill queue ID) or access_code (the number "
                                 "that reaches one), not both.")
        routed = self._control().queue_call(caller, skill, access_code,
                                            None if patience is None else seconds(patience, 0))
        queue = f"skill queue {skill}" if skill is not None else f"access code {access_code}"
        where = "waits in the queue" if routed["queued"] else f"is offered to agent {routed['agent']}"
        logger.info(f"Simulated inbound call {routed['callid']} from {caller} to {queue}: it {where}.")
        return str(routed["callid"])

    @keyword(tags=["simulator"])
    def simulate_caller_gives_up(self, callid: str) -> None:
        """Makes the caller of a call waiting in a skill queue (``callid`` as `Simulate Inbound Call` returned
        it) hang up before an agent got the call: the queue counts it as abandoned. Fails when the call is not
        waiting (already offered to an agent: use `Simulate Customer Hang Up`).

        | ${waiting} = | `Simulate Inbound Call` | caller=88880003 | skill=2 |
        | `Simulate Caller Gives Up` | ${waiting} |
        """
        gone = self._control().give_up(callid)
        logger.info(f"Simulated caller of call {callid} giving up after {gone['waited']} s in skill queue "
                    f"{gone['skill']}.")

    @keyword(tags=["simulator", "text"])
    def simulate_customer_message(self, text: str, customer: str, callid: str | None = None,
                                  agent: str | None = None, agent_id: str | None = None) -> str:
        """Makes customer ``customer`` write ``text`` and returns the text session's call ID: without ``callid``
        a new session, offered to the agent (``AgentChat_Ring``); with it, in that session of the customer's. In a
        session the agent answered the agent gets ``AgentEvent_MessageData`` at once, before that on answering.

        The agent is named as in `Simulate Inbound Call`. The text can hold personal data: the library's own log
        lines leave it out and the sequence diagram shows at most its first 20 characters (Robot still logs the
        keyword's arguments as given, so write test texts, not real ones).

        | ${session} = | `Simulate Customer Message` | hello | 88880001 |
        | `Simulate Customer Message` | are you there? | 88880001 | ${session} |
        """
        target = self._agent_id("Simulate Customer Message", agent, agent_id)
        callid = str(self._control().customer_message(customer, target, text, callid)["callid"])
        logger.info(f"Customer {customer} wrote {len(text)} character(s) in text session {callid} (agent {target}).")
        return callid

    @keyword(tags=["simulator", "text"])
    def get_simulated_text_session(self, callid: str, assertion_operator: AssertionOperator | None = None,
                                   assertion_expected: Any = None, message: str | None = None) -> dict[str, Any]:
        """Returns what the simulator knows about text session ``callid``: ``customer``, the ``agent`` who holds it
        or was offered it, whether it is ``connected``, whether it ``ended`` (dropped or rejected; an ended session
        stays readable), and the ``messages`` both sides wrote (each ``from``, the customer's number or the agent's
        ID, and ``text``): what the customer received, which a real gateway does not tell.

        An assertion (see `Assertions in getters`) applies to the dictionary.

        | ${session} = | `Get Simulated Text Session` | ${callid} |
        | Should Be Equal | ${session}[messages][-1][text] | How can I help? |
        | `Get Simulated Text Session` | ${callid} | validate | value['messages'][-1]['text'] == 'How can I help?' |
        """
        control = self._control()

        def session() -> dict[str, Any]:
            found: dict[str, Any] = control.text_session(callid)
            return found

        return self._asserted("Get Simulated Text Session", session, assertion_operator, assertion_expected, message,
                              name="session")

    def _agent_id(self, keyword_name: str, agent: str | None, agent_id: str | None, *,
                  everyone: str | None = None) -> str:
        """The agent ID that ``agent`` (an alias, the current agent when None) or ``agent_id`` names; ``everyone``
        (``*``), when allowed, stands for any agent."""
        if agent_id is not None:
            if agent not in (None, everyone):
                raise SimulatorError(f"{keyword_name}: give agent (an alias) or agent_id (an agent ID), not both.")
            return agent_id
        if everyone is not None and agent in (None, everyone):
            return everyone
        try:
            return self.ctx.agent(agent).agent_id
        except AgentError as error:
            raise AgentError(f"{keyword_name}: {error} agent= takes an alias; name an agent the library did not "
                             "sign in by its ID with agent_id=.") from None

    @keyword(tags=["simulator"])
    def simulate_customer_hang_up(self, callid: str, number: str | None = None) -> None:
        """Makes a customer hang up. ``callid`` as `Simulate Inbound Call` or `Call Out` returned it names that
        customer, also after `Make Three Party Call` merged it into another call: that customer alone leaves,
        and the agent stays with the other party. With ``number``, the customer with that phone in the same
        call hangs up instead; any other call ID without ``number``: every customer of that call.

        | `Simulate Customer Hang Up` | ${customer} |
        | `Simulate Customer Hang Up` | ${third} |
        | `Simulate Customer Hang Up` | ${conference} | number=88880001 |
        """
        self._control().hang_up(callid, number)
        logger.info(f"Simulated hang-up of {'customer ' + number if number else 'the customer'} in call {callid}.")

    @keyword(tags=["simulator"])
    def simulate_far_end(self, number: str, behaviour: Literal["answer", "silent", "busy", "reject"]) -> None:
        """Sets how the phone ``number`` answers calls from now on: ``answer`` (after a moment, the default),
        ``silent`` (rings until the call is released), ``busy`` or ``reject`` (the call fails:
        ``AgentEvent_Call_Out_Fail``, ``AgentEvent_Connect_Fail``).

        | `Simulate Far End` | 88880009 | busy |
        | `Call Out` | 88880009 |
        | `Wait For Event` | AgentEvent_Call_Out_Fail |
        """
        self._control().far_end(number, behaviour)
        logger.info(f"Simulated far end {number}: {behaviour}.")

    @keyword(tags=["simulator"])
    def simulate_fault(self, interface: str,
                       fault: Literal["delay", "http", "not-json", "retcode", "drop", "restart", "duplicate",
                                      "unreachable"],
                       value: str | None = None, agent: str = "*", count: int = 1,
                       agent_id: str | None = None) -> None:
        """Makes the simulator misbehave on the next ``count`` requests to ``interface`` (a log name, or ``*``)
        from ``agent`` (an alias, or ``*`` for any agent); ``agent_id`` names the agent by its ID instead, for one
        the library did not sign in.

        | = fault = | = what the request gets = |
        {request_faults}

        In push mode ``interface`` ``push`` names the simulator's pushes of events to the library:
        | = fault = | = what the next push does = |
        {push_faults}

        | `Simulate Fault` | getAgentEvent | http | 502 | agent=first |
        | `Simulate Fault` | sayBusy | retcode | 100-007 |
        | `Simulate Fault` | getAgentEvent | drop | agent_id=101 |
        | `Simulate Fault` | push | duplicate | agent=first |
        """
        kind = FAULT_KINDS[fault]
        try:
            number = kind.value.from_text(value) if kind.value is not None else value
        except FaultError as error:
            raise SimulatorError(f"Simulate Fault {fault}: {error}.") from None
        target = self._agent_id("Simulate Fault", agent, agent_id, everyone="*")
        self._control().add_fault(fault=fault, interface=interface, agent=target, value=number, count=count)
        logger.info(f"Simulated fault: {fault} {value or ''} on the next {count} {interface} request(s) of "
                    f"{'any agent' if target == '*' else 'agent ' + target}.")

    # the tables of fault kinds come from their one declaration (faults.FAULT_KINDS)
    simulate_fault.__doc__ = (simulate_fault.__doc__ or "").format(
        request_faults=fault_table("request").replace("\n", "\n        "),
        push_faults=fault_table("push").replace("\n", "\n        "))

    @keyword(tags=["simulator"])
    def simulate_event(self, agent_id: str, event: str, content: Any = None) -> None:
        """Makes the simulator send ``event`` with ``content`` to agent ``agent_id``, as if the platform had:
        for events no simulated step produces (quality checks, preview tasks, conference requests, ...). The
        event must match its schema.

        | `Simulate Event` | 101 | AgentOther_BeQcStart | ${{ {'qcAgentId': '201'} }} |
        | `Wait For Event` | AgentOther_BeQcStart |
        """
        self.ctx.catalogue.check_event_name(event)
        self._control().queue_event(agent_id, event, content)
        logger.info(f"Simulated {event} for agent {agent_id}.")

    @keyword(tags=["simulator"])
    def simulate_guid_expiry(self, agent_id: str) -> None:
        """Makes agent ``agent_id``'s Guid stop working now, as if it had expired: the next request with it
        answers 000-003."""
        self._control().expire_guid(agent_id)
        logger.info(f"Simulated Guid expiry for agent {agent_id}.")

    @keyword(tags=["simulator"])
    def simulate_guid_rotation(self, agent_id: str, grace: timedelta = timedelta(0)) -> None:
        """Makes the gateway hand agent ``agent_id`` a new Guid on its next poll reply (push mode: heartbeat reply)
        even in static auth mode; the old Guid keeps working ``grace`` longer (default 0: refused at once).

        A request that left with the old Guid while the reply was on its way is refused; the library sends it
        again with the new Guid, so keywords keep working.

        | `Simulate Guid Rotation` | 101 |
        | `Set Agent Busy` | | # sent with the new Guid |
        """
        self._control().rotate_guid(agent_id, grace.total_seconds())
        logger.info(f"Simulated Guid rotation for agent {agent_id} on its next poll or heartbeat reply; the old Guid "
                    f"works {grace.total_seconds():g} s longer.")

    @keyword(tags=["simulator"])
    def get_simulator_counters(self, assertion_operator: AssertionOperator | None = None,
                               assertion_expected: Any = None, message: str | None = None) -> dict[str, Any]:
        """Returns the simulator's counters: ``requests``, ``answers`` (per interface, per retcode), ``openPolls``,
        ``signedIn``, ``events`` (``queued``, ``delivered``, ``dropped``) and ``contractBreaches``.

        An assertion (see `Assertions in getters`) applies to the dictionary; ``validate`` can compare with
        counters read before (``$before``), and tries again while the simulator is still counting.

        | ${counters} = | `Get Simulator Counters` |
        | Should Be Equal As Integers | ${counters}[answers][hold][200-013] | 1 |
        | `Get Simulator Counters` | validate | value['events']['lost'] == $before['events']['lost'] + 1 |
        """
        control = self._control()

        def counters() -> dict[str, Any]:
            found = control.counters()
            logger.info(f"Simulator counters: {found}")
            return found

        return self._asserted("Get Simulator Counters", counters, assertion_operator, assertion_expected, message,
                              name="counters")

    @keyword(tags=["simulator"])
    def get_simulated_agent(self, agent_id: str, assertion_operator: AssertionOperator | None = None,
                            assertion_expected: Any = None, message: str | None = None) -> dict[str, Any]:
        """Returns what the simulator knows about agent ``agent_id``: sign-in, state code and calls (each with
        ``callid``, ``state``, ``muted``, the other ``parties`` and the ``digits`` sent), and who inspects whom
        (``inspecting`` and ``inspectedBy``: lists of ``agent`` and ``mode``, one of ``listen``, ``whisper`` or
        ``barge``), and the agent-hosted ``conference`` it is in or invited to (``confId``, ``chair``, ``members``
        each with ``address``, ``state`` and ``muted``; None when none), for checks a real gateway cannot answer.

        An assertion (see `Assertions in getters`) applies to the dictionary: a wait for something only the
        simulator knows, such as the gateway signing out an agent nobody polls for.

        | ${seen} = | `Get Simulated Agent` | 101 |
        | `Get Simulated Agent` | 101 | validate | value['inspectedBy'] == [{'agent': '201', 'mode': 'listen'}] |
        | `Get Simulated Agent` | 103 | validate | not value['signedIn'] |
        """
        control = self._control()
        return self._asserted("Get Simulated Agent", lambda: control.agent(agent_id), assertion_operator,
                              assertion_expected, message, name="agent")

    @keyword(tags=["simulator"])
    def get_simulator_console_url(self) -> str:
        """Returns the address of the live console of the simulator that `Start Gateway Simulator` started: a
        web page that shows its agents (state, phone, skills, who inspects whom, calls), its calls (parties and
        their roles, hold, mute), armed faults and the latest requests and events as they change, with buttons
        that ring an agent, hang a customer up, set how a far end answers, inject a fault, expire a Guid or
        restart the simulator (see the user guide, "The simulator's console").

        The embedded simulator's console starts with the first call of this keyword, on a free port of
        127.0.0.1; a simulator started with ``process=True`` serves its console from the start. Open the
        address in a browser on the same machine while the test runs (a ``Sleep`` or a breakpoint keeps it
        alive). A ``ccgw-sim`` started from a shell prints its console's address at start.

        | ${console} = | `Get Simulator Console URL` |
        | Log To Console | Watch the simulator at ${console} |
        """
        simulator = self.ctx.simulator
        if simulator is None:
            raise SimulatorError("Get Simulator Console URL: no simulator was started with 'Start Gateway "
                                 "Simulator'; a ccgw-sim started from a shell prints its console's address at start.")
        try:
            url = simulator.console_url()
        except RuntimeError as error:
            raise SimulatorError(f"Get Simulator Console URL: {error}.") from None
        logger.info(f"Simulator console: {url}")
        return url

    def _control(self) -> SimulatorControl:
        token = self.ctx.simulator_control_token
        recorder, diagram = self.ctx.requests.recorder, self.ctx.requests.record

        def observe(call: dict[str, Any]) -> None:  # the test's diagram, and the session file of record_to
            diagram.control(call)
            if recorder is not None:
                recorder.control(call)

        return SimulatorControl(self.ctx.gateway_url(), self.ctx.settings.ca_bundle,
                                token=token.value if token is not None else None, observe=observe)
