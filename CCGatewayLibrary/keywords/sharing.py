from __future__ import annotations

from typing import Any

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword

from ..errors import AgentError
from ..transport.requests_auth import GuidAuth
from .base import LibraryComponent
from .returns import GatewayFacts


class SharingKeywords(LibraryComponent):
    """The library's facts for another HTTP library, such as RequestsLibrary."""

    @keyword(tags=["gateway"])
    def get_gateway_facts(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                          message: str | None = None, agent: str | None = None, interface: str | None = None,
                          **path_params: str) -> GatewayFacts:
        """Returns what a team already using RequestsLibrary needs to reach the gateway as the current (or
        ``agent``) agent: a dictionary with

        | = key = | = value = |
        | ``url`` | the gateway's base URL, ``https://host:8043`` |
        | ``ca_bundle`` | the CA file that verifies the gateway's certificate (``True``: requests' own CA bundle) |
        | ``guid`` | the agent's current Guid, a `Secret` |
        | ``auth`` | a requests authentication object that sends the agent's Guid (see below) |
        | ``agent_id`` | the agent's ID |
        | ``method``, ``path`` | with ``interface``: the interface's method and path, ``{agentid}`` filled in |

        ``interface`` is a log name from the catalogue; ``path_params`` fill the path's other placeholders.

        Give ``auth`` to the request keywords rather than a ``Guid`` header: RequestsLibrary logs the headers of
        every request at INFO, and a header given as an argument passes through Robot's argument log too.
        ``auth`` adds the agent's current Guid (also after the gateway rotated it) while the request is sent, and
        masks it in the request that RequestsLibrary logs afterwards. Give ``verify`` with each request as well:
        requests lets the ``REQUESTS_CA_BUNDLE`` environment variable override a session's CA (psf/requests#3829).

        | ${gw} = | `Get Gateway Facts` | interface=getAgentStatus |
        | Create Session | ccgw | ${gw}[url] | verify=${gw}[ca_bundle] |
        | ${reply} = | GET On Session | ccgw | ${gw}[path] | auth=${gw}[auth] | verify=${gw}[ca_bundle] |
        | Should Be Equal | ${reply.json()}[retcode] | 0 |

        An assertion (see `Assertions in getters`) applies to the dictionary; a failure shows the Guid in it
        masked.

        | `Get Gateway Facts` | validate | value['url'].startswith('https://') | interface=getAgentStatus |
        """

        def facts() -> GatewayFacts:
            handle = self.ctx.agent(agent)
            guid = handle.session.guid
            if guid.guid is None:
                raise AgentError(f"Get Gateway Facts: {handle.describe()} has no Guid; sign the agent in first.")
            found: GatewayFacts = {
                "url": self.ctx.gateway_url(),
                "ca_bundle": self.ctx.settings.ca_bundle,
                "guid": guid.guid,
                "auth": GuidAuth(guid, self.ctx.policy, handle.agent_id, self.ctx.secrets),
                "agent_id": handle.agent_id,
            }
            if interface:
                spec = self.ctx.catalogue.interface(interface)
                found["method"] = spec.method
                found["path"] = spec.url_path({**path_params, "agentid": handle.agent_id})
            logger.info(f"Gateway facts for {handle.describe()}: {found['url']}"
                        + (f", {found['method']} {found['path']}" if interface else "") + " (Guid kept secret).")
            return found

        return self._asserted("Get Gateway Facts", facts, assertion_operator, assertion_expected, message,
                              name="facts")
