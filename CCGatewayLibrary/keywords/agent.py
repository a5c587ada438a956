from __future__ import annotations

from typing import Any, Literal

from robot.api import logger
from robot.api.deco import keyword
from robot.api.types import Secret

from ..catalogue.gateway import SUCCESS
from ..catalogue.states import SIGN_IN_STATUS
from ..context import AgentHandle
from ..errors import AgentError, CCGatewayError
from ..events import EventJournal
from .base import LibraryComponent, Retcodes, succeeded

# retcodes.json tag of the codes that mean the agent is out already: for a teardown, as good as a sign-out.


def sign_in_body(password: Secret, status: Literal["idle", "busy", "work"], auto_answer: bool,
                 **fields: Any) -> dict[str, Any]:
    """The body of a sign-in: the password's value, the status as its code, and the ``fields`` that are given."""
    return {"password": password.value, "status": int(SIGN_IN_STATUS[status]), "autoanswer": auto_answer,
            **{name: value for name, value in fields.items() if value is not None}}


class AgentKeywords(LibraryComponent):
    """Sign-in, sign-out and switching between agents."""

    @keyword(tags=["agent", "login", "forceLogin", "loginEx"])
    def sign_in_agent(
        self,
        agent_id: str,
        password: Secret,
        phone: str | None = None,
        alias: str | None = None,
        status: Literal["idle", "busy", "work"] = "idle",
        auto_answer: bool = False,
        force: bool = False,
        ccs_only: bool = False,
        auto_enter_idle: bool | None = None,
        release_phone: bool | None = None,
        agent_type: Literal[4, 11] | None = None,
        ip: str | None = None,
        expected_retcode: Retcodes = SUCCESS,
        **options: Any,
    ) -> dict[str, Any]:
        """Signs agent ``agent_id`` in with ``password`` on phone number ``phone`` and starts polling its events.

        ``password`` must be a `Secret` (for example ``${PASSWORD: Secret}    %{CCGW_AGENT_PASSWORD}``), so it
        never appears in the log. The agent becomes the current agent under ``alias`` (default: its ID);
        use `Switch Agent` to go back to it later.

        ``status`` is the state after sign-in: ``idle`` (default), ``busy`` or ``work``. ``auto_answer`` is
        sent explicitly and defaults to false, so offered calls ring (``AgentEvent_Ringing``) until `Answer Call`.

        Which interface signs in:
        | = Arguments = | = Interface = | = What it does = |
        | (default)     | ``login``      | signs in to the CTI server and the media servers |
        | ``force=True`` | ``forceLogin`` | takes over a session already signed in elsewhere |
        | ``ccs_only=True`` | ``loginEx`` | the CTI server only: no media server, no licence, ``phone`` optional |

        ``auto_enter_idle`` (go idle after a call; false: after-call work), ``release_phone``, ``agent_type``
        (4 PC and phone, 11 video) and ``ip`` are sent only when given, so the gateway's defaults apply
        otherwise. Further documented sign-in fields go as named arguments with the gateway's names, for
        example ``checkInWebm=false`` or ``vcPhoneNumber=70009``; a field the interface does not know is refused
        before sending, naming it.

        In push mode (see `Push mode`) the sign-in carries the library's callback URL and a new service token
        (``callBackUri``, ``serviceToken``), and a heartbeat keeps the session instead of polls; ``ccs_only``
        sign-ins poll, since ``loginEx`` has no push mode.

        Returns the ``result`` of the sign-in reply (``workno``, ``mediatype``, ``loginTime``, ...).
        ``expected_retcode`` allows negative tests, see `Retcodes and failures`.

        | `Sign In Agent` | 101 | password=${AGENT_PASSWORD} | phone=70001 |
        | `Sign In Agent` | 102 | ${AGENT_PASSWORD} | 70002 | alias=second | status=busy |
        | `Sign In Agent` | 103 | ${AGENT_PASSWORD} | ccs_only=True | auto_enter_idle=False |
        | `Sign In Agent` | 101 | ${WRONG_PASSWORD} | 70001 | expected_retcode=100-004 |
        """
        self.ctx.secrets.register(password)
        if force and ccs_only:
            raise AgentError("Sign In Agent: give force=True or ccs_only=True, not both: the gateway has no forced "
                             "sign-in to the CTI server alone.")
        if phone is None and not ccs_only:
            raise AgentError("Sign In Agent: phone is required (only ccs_only=True signs in without a phone).")
        alias = alias or agent_id
        # The same agent's earlier session (under any alias): its parked poll may take this sign-in's first
        # events, which must reach the new journal, not be lost.
        previous = next((h for h in self.ctx.agents.values() if h.agent_id == agent_id and h.poller is not None),
                        None)
        interface = "forceLogin" if force else "loginEx" if ccs_only else "login"
        body = {**sign_in_body(password, status, auto_answer, phonenum=phone, autoenteridle=auto_enter_idle,
                               releasephone=release_phone, agenttype=agent_type, ip=ip), **options}
        push = None if ccs_only else self.ctx.push_registration(agent_id)
        if push is not None:
            given = sorted(set(options) & set(push.sign_in_fields()))
            if given:
                push.close()
                raise AgentError(f"Sign In Agent: {', '.join(given)} is set by the library in push mode; leave it "
                                 "out.")
            self.ctx.secrets.register(push.token)
            body.update(push.sign_in_fields())
        elif ccs_only and self.ctx.event_mode() == "push":
            logger.info("loginEx offers no push mode: this agent's events are polled.")
        session = None
        accepted = False
        try:
            if previous is not None and previous.poller is not None:
                previous.poller.hold_events()
            session = self.ctx.new_session()
            reply = self.ctx.requests.call(session, interface, agent_id, body=body, expected_retcode=expected_retcode)
            if not succeeded(reply):
                return reply.get("result") or {}
            if session.guid.guid is None:
                raise CCGatewayError(f"{interface} for agent {agent_id} at {session.host} succeeded but the reply "
                                     "carried no Set-GUID header, so later requests cannot authenticate.")
            accepted = True
        finally:
            if not accepted:
                # A refused sign-in leaves the earlier session as it was, still polling.
                if push is not None:
                    push.close()
                if session is not None:
                    session.close()
                if previous is not None and previous.poller is not None:
                    previous.poller.resume()
        # A new sign-in is a new session: its own Guid, event journal and cursor.
        agent = AgentHandle(alias, agent_id, session, EventJournal(agent_id), phone=phone, password=password)
        if previous is not None:
            previous.retire("signed in again", successor=agent.journal)
        replaced = self.ctx.agents.get(alias)
        if replaced is not None and replaced is not previous:  # the alias named another agent until now
            replaced.stop_polling(f"alias '{alias}' now names agent {agent_id}")
            replaced.session.close()
        self.ctx.agents[alias] = agent
        self.ctx.add_session(agent)
        self.ctx.current_alias = alias
        if push is not None:
            self.ctx.start_receiving(agent, push)
        else:
            self.ctx.start_polling(agent)
        how = "receiving its pushed events" if push is not None else "polling its events"
        logger.info(f"Signed in {agent.describe()}; {how}.")
        return reply.get("result") or {}

    @keyword(tags=["agent", "logout", "forceLogout", "forceLogoutWithReason"])
    def sign_out_agent(self, agent: str | None = None, force: bool = False, reason: int | None = None,
                       expected_retcode: Retcodes = SUCCESS) -> None:
        """Signs the agent out and stops polling its events.

        The agent is the current one unless ``agent`` names an alias. ``force=True`` uses ``forceLogout``,
        which also signs out an agent who is in a call (the call is released). ``reason`` (1 to 255) signs out
        by force with that reason code (``forceLogoutWithReason``). The agent's event history stays readable
        with `Get Event History`. Polling stops with the sign-out, so ``AgentOther_ShutdownService`` is not
        awaited for the agent itself (the vendor: a self-initiated sign-out does not get it).

        When the gateway no longer takes the agent's Guid (000-003), the agent may still be signed in: it is
        signed in again by force with the password it signed in with and signed out (unless ``expected_retcode``
        names that retcode, for a negative test).

        | `Sign Out Agent` |
        | `Sign Out Agent` | agent=second | force=True |
        | `Sign Out Agent` | reason=7 |
        """
        handle = self.ctx.agent(agent)
        expected = {expected_retcode} if isinstance(expected_retcode, str) else set(expected_retcode)
        ended = self.ctx.catalogue.session_ended
        # The session is gone: verified below instead of failing, unless a negative test asked for that.
        handled = frozenset() if expected & ended else ended
        if reason is not None:
            reply = self.ctx.requests.call(handle.session, "forceLogoutWithReason", handle.agent_id,
                                           path={"reason": reason}, expected_retcode=expected_retcode,
                                           handled=handled)
        else:
            reply = self.ctx.requests.call(handle.session, "forceLogout" if force else "logout", handle.agent_id,
                                           expected_retcode=expected_retcode, handled=handled)
        retcode = str(reply.get("retcode"))
        if retcode in handled and retcode not in expected:
            self._sign_out_for_real(handle, retcode)
        elif succeeded(reply):
            self._signed_out(handle)

    def _signed_out(self, handle: AgentHandle, how: str = "") -> None:
        handle.signed_in = False
        handle.stop_polling("signed out")
        handle.session.guid.clear()
        logger.info(f"Signed out {handle.describe()}{how}.")

    def _sign_out_for_real(self, handle: AgentHandle, retcode: str) -> None:
        """The sign-out was refused because the session is gone (``retcode``). The gateway saying the agent is
        out is believed; a Guid it no longer takes says nothing about the agent, who may still be signed in, so
        the agent is signed in again by force with the password the library holds and signed out, or the
        keyword fails naming why."""
        meaning = self.ctx.catalogue.describe_retcode(retcode)
        if retcode in self.ctx.catalogue.tagged("not-signed-in"):
            self._signed_out(handle, f" (the gateway had signed it out already: {meaning})")
            return
        handle.stop_polling("session lost")
        if handle.password is None or handle.phone is None:
            raise AgentError(f"Could not sign out {handle.describe()}: the gateway refused its Guid ({meaning}) and "
                             "it may still be signed in; the library holds no password and phone to sign it in "
                             "again by force (a ccs_only sign-in).")
        session = self.ctx.new_session()
        try:
            # busy, so that no call is offered to it in the moment before it is signed out
            body = sign_in_body(handle.password, "busy", False, phonenum=handle.phone)
            try:
                self.ctx.requests.call(session, "forceLogin", handle.agent_id, body=body)
                self.ctx.requests.call(session, "forceLogout", handle.agent_id)
            except CCGatewayError as error:
                raise AgentError(f"Could not sign out {handle.describe()}: its Guid was refused ({meaning}) and "
                                 f"signing it in again by force to sign it out failed: {error}") from None
        finally:
            session.close()
        self._signed_out(handle, f" (its Guid was refused, {meaning}: signed in again by force and out)")

    @keyword(tags=["agent", "logout", "forceLogout"])
    def sign_out_all_agents(self, force: bool = True) -> None:
        """Signs out every agent the library signed in and still holds, for suite and test teardowns.

        Each agent's outcome is logged at INFO. With ``force=True`` (default) agents in a call are signed out
        too (``forceLogout``); ``force=False`` uses ``logout``. Agents the gateway reports as out already
        (100-006) count as done. An agent whose Guid the gateway no longer takes (000-003: expired, replaced)
        may still be signed in, so it is signed in again by force with the password it signed in with and then
        out. Fails only when an agent could not be signed out, after trying all of them, naming each such agent
        and why.

        | ***** Settings *****
        | Test Teardown    `Sign Out All Agents`
        """
        failures: list[str] = []
        interface = "forceLogout" if force else "logout"
        for handle in list(self.ctx.agents.values()):
            if not handle.signed_in:
                continue
            try:
                reply = self.ctx.requests.call(handle.session, interface, handle.agent_id,
                                               handled=self.ctx.catalogue.session_ended)
                if succeeded(reply):
                    self._signed_out(handle)
                else:
                    self._sign_out_for_real(handle, str(reply["retcode"]))
            except CCGatewayError as error:
                failures.append(f"{handle.describe()}: {error}")
                logger.info(f"Could not sign out {handle.describe()}: {error}")
        if failures:
            raise AgentError(f"{len(failures)} agent(s) could not be signed out: " + "; ".join(failures))

    @keyword(tags=["agent"])
    def switch_agent(self, alias: str) -> str | None:
        """Makes ``alias`` the current agent and returns the alias that was current before.

        | ${previous} = | `Switch Agent` | second |
        | `Answer Call` |
        | `Switch Agent` | ${previous} |
        """
        self.ctx.agent(alias)
        previous, self.ctx.current_alias = self.ctx.current_alias, alias
        return previous
