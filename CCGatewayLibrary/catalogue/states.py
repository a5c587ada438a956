"""Agent state codes reported by ``getAgentStatus`` (``agentState``), from the vendor's state table.

Source: https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_0581.html (Table 1).
"""

from enum import IntEnum, StrEnum


class AgentState(IntEnum):
    UNKNOWN = 0
    SIGNED_IN = 1  # listed, not used by the gateway
    SIGNED_OUT = 2
    BUSY = 3
    IDLE = 4
    WORK = 5  # after-call work (wrap-up)
    IDLE_ALIAS = 6  # listed as "same as idle", not used
    TALKING = 7
    REST = 8
    PRE_REST = 9  # rest requested, not yet in effect

    @classmethod
    def describe(cls, code: object) -> str:
        try:
            return cls(int(str(code))).name.lower().replace("_", " ")
        except ValueError:
            return f"code {code} (not in the state table)"


# Sign-in ``status`` values: the state an agent enters after signing in.
SIGN_IN_STATUS = {"busy": AgentState.BUSY, "idle": AgentState.IDLE, "work": AgentState.WORK}


class CallState(StrEnum):
    """Where one call stands, as the simulator and the keywords' messages name it."""

    RINGING = "ringing"  # offered to the agent, not answered yet
    ALERTING = "alerting"  # placed by the agent, the far end is ringing
    TALKING = "talking"
    HELD = "held"
    CONFERENCE = "conference"
