"""Variables for the acceptance suites: where the gateway is and which password the agents have.

``GATEWAY_URL`` selects the gateway: ``simulator`` (default) starts the embedded simulator, anything else
is a real gateway's URL (then ``GATEWAY_CA_BUNDLE`` names its CA file). The agent password comes from
the environment variable ``CCGW_AGENT_PASSWORD``; against the simulator it defaults to the simulator
roster's password. ``CCGW_SIM_ROSTER`` gives the simulator another roster file (the secret-leak test
plants distinctive passwords that way).
"""

import os

from robot.api.types import Secret

from CCGatewayLibrary.simulator.roster import Roster

GATEWAY_URL = os.environ.get("CCGW_GATEWAY_URL", "simulator")
GATEWAY_CA_BUNDLE = os.environ.get("CCGW_GATEWAY_CA_BUNDLE", "")
FIRST_AGENT = os.environ.get("CCGW_FIRST_AGENT", "101")
SIM_ROSTER = os.environ.get("CCGW_SIM_ROSTER") or None
# The agent pool (agent_pool.json) names CCGW_AGENT_PASSWORD for its agents' password: give it the same value.
if not os.environ.get("CCGW_AGENT_PASSWORD"):
    os.environ["CCGW_AGENT_PASSWORD"] = Roster.load(SIM_ROSTER).password_of(FIRST_AGENT)
AGENT_PASSWORD = Secret(os.environ["CCGW_AGENT_PASSWORD"])
WRONG_PASSWORD = Secret("not-the-password-" + "x" * 8)
WRONG_GUID = Secret("00000000-0000-0000-0000-000000000000.NotIssued")
