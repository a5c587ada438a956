from __future__ import annotations

from typing import Any

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword
from robot.api.types import Secret

from ..catalogue import gateway
from ..catalogue.gateway import SUCCESS
from ..errors import CCGatewayError
from ..secrets import MASK
from .base import LibraryComponent, Retcodes, succeeded


class SecretText(str):
    """A secret's text for an assertion: it compares, measures and matches as the text, but a failure message
    shows it as ``<secret>`` (the assertion engine quotes values with repr()), also for a value too short to be
    registered and masked."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(MASK)

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return format(MASK, spec)


class SessionKeywords(LibraryComponent):
    """The agent's session with the gateway: heartbeat, Guid, password, softphone token, state re-sync."""

    @keyword(tags=["agent", "session", "handShake"])
    def send_heartbeat(self, service_token: Secret | None = None, agent: str | None = None,
                       expected_retcode: Retcodes = SUCCESS) -> None:
        """Sends the agent's heartbeat (``handShake``), optionally with a new ``service_token`` (a `Secret`).

        In push mode the gateway signs out an agent without a heartbeat for 2 minutes; about every 30 s is the
        documented rhythm. In polling mode the event polls are the heartbeat, which the library sends anyway.
        A renewed Guid in the reply is taken over.
        """
        headers = None
        if service_token is not None:
            self.ctx.secrets.register(service_token)
            headers = {gateway.SERVICE_TOKEN_HEADER: service_token.value}
        self._agent_call(agent, "handShake", expected_retcode, headers=headers)

    @keyword(tags=["agent", "session", "updateGuid"])
    def refresh_guid(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Asks the gateway for a new Guid (``updateGuid``) and uses it from now on, for requests and polls.

        The Guid stays a secret: it is masked wherever it would appear.
        """
        handle = self.ctx.agent(agent)
        reply = self.ctx.requests.call(handle.session, "updateGuid", handle.agent_id, expected_retcode=expected_retcode)
        if not succeeded(reply):
            return
        guid = (reply.get("result") or {}).get("guid")
        if not isinstance(guid, str) or not guid:
            raise CCGatewayError(f"updateGuid for {handle.describe()} succeeded but its reply carried no guid.")
        handle.session.guid.adopt(guid)
        logger.info(f"{handle.describe().capitalize()} uses a new Guid.")

    @keyword(tags=["agent", "session", "syncagentinfo"])
    def sync_agent_info(self, agent: str | None = None,
                        expected_retcode: Retcodes = SUCCESS) -> dict[str, Any] | None:
        """Re-reads the agent's state and current call (``syncagentinfo``) and returns the reply's ``result``.

        The gateway empties the agent's event queue when answering, so events not yet polled are lost: the
        vendor meant it for a browser refresh. Use `Get Agent Status` to read the state in tests. For that
        reason it takes no assertion: trying it again and again would throw events away each time.
        A refusal given as ``expected_retcode`` (a negative test) returns None.
        """
        reply = self._agent_call(agent, "syncagentinfo", expected_retcode)
        return dict(reply.get("result") or {}) if succeeded(reply) else None

    @keyword(tags=["agent", "session", "loginInfo"])
    def get_softphone_token(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                            message: str | None = None, agent: str | None = None,
                            expected_retcode: Retcodes = SUCCESS) -> Secret | None:
        """Returns the temporary password the agent's softphone registers with (``loginInfo``), as a `Secret`.
        A refusal given as ``expected_retcode`` (a negative test) returns None.

        An assertion (see `Assertions in getters`) applies to the token's text (None after a refusal), so a test
        can check its shape or that it changed without reading it; an expected value given as a `Secret` is
        compared by its value. A failure shows the token, and an expected `Secret`, as ``<secret>``. ``then`` is
        refused: it would return what its expression makes of the token, outside the `Secret`.

        | ${token} = | `Get Softphone Token` |
        | `Get Softphone Token` | validate | len(value) >= 8 |
        | `Get Softphone Token` | ``!=`` | ${token} |
        """
        if assertion_operator is AssertionOperator["then"]:
            raise CCGatewayError("Get Softphone Token: assertion_operator 'then' is not available: it would return "
                                 "what its expression makes of the token outside the Secret; use validate to check "
                                 "the token.")
        if isinstance(assertion_expected, Secret):
            self.ctx.secrets.register(assertion_expected)
            assertion_expected = SecretText(assertion_expected.value)

        def token() -> Secret | None:
            reply = self._agent_call(agent, "loginInfo", expected_retcode)
            if not succeeded(reply):
                return None
            found = (reply.get("result") or {}).get("phonetoken")
            if not isinstance(found, str) or not found:
                raise CCGatewayError("loginInfo succeeded but its reply carried no phonetoken.")
            self.ctx.secrets.register(found)
            return Secret(found)

        return self._asserted("Get Softphone Token", token, assertion_operator, assertion_expected, message,
                              lambda found: None if found is None else SecretText(found.value), name="token")

    @keyword(tags=["agent", "session", "modifyAccountPwdEx"])
    def change_agent_password(self, old_password: Secret, new_password: Secret, agent: str | None = None,
                              expected_retcode: Retcodes = SUCCESS) -> None:
        """Changes the agent's password (``modifyAccountPwdEx``); both are `Secret` values.

        The gateway asks for 8 to 32 characters, no character twice in a row, no 3 characters of the agent ID
        in a row, 3 of 4 character classes and none of the last 5 passwords; the library checks the length.
        A sign-in whose reply says ``isForceChange`` is ``true`` must change the password first.
        """
        self.ctx.secrets.register(old_password)
        self.ctx.secrets.register(new_password)
        reply = self._agent_call(agent, "modifyAccountPwdEx", expected_retcode,
                                 body={"oldPassword": old_password.value, "newPassword": new_password.value})
        if succeeded(reply):
            logger.info("Password changed.")
