"""Numbers the gateway documents about its own behaviour, each defined here once with its source.

The library's defaults, the event poller and the simulator all read them from here.
"""

from typing import Final

# The retcode of success: https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1328.html
SUCCESS: Final = "0"

# A poll with nothing queued is held AGENT_POLL_WAIT_TIMES (100) x AGENT_POLL_WAIT_INTERVAL (100 ms):
# https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1274.html
POLL_WAIT: Final = 10.0
# Clients poll again 200 to 500 ms after each reply; the developer guide's timer uses 200 ms:
# https://support.huaweicloud.com/intl/en-us/devg-ccgw-cec/cec_05_4026.html
POLL_PAUSE: Final = 0.2
# Dynamic authentication hands out a new Guid about every 60 s, and a Guid stays valid for 120 s:
# https://support.huaweicloud.com/intl/en-us/devg-ccgw-cec/cec_05_40110.html
GUID_RENEWAL: Final = 60.0
GUID_LIFETIME: Final = 120.0
# An agent whose events nobody polls (or, in push mode, who sends no heartbeat) for 2 minutes is signed out:
# https://support.huaweicloud.com/intl/en-us/devg-ccgw-cec/cec_05_4015.html
SILENCE_SIGN_OUT: Final = 120.0
# In push mode the heartbeat (handShake) is sent about every 30 s:
# https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1204.html
HEARTBEAT_INTERVAL: Final = 30.0

# transfer: who receives the call (devicetype) and, per receiver, the modes the gateway offers by name:
# https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1242.html
TRANSFER_TARGETS: Final = {"skill": 1, "agent": 2, "ivr": 3, "access code": 4, "number": 5}
TRANSFER_MODES: Final = {
    1: {"release": 0, "success": 2},
    2: {"release": 0, "success": 2, "specified": 3},
    3: {"release": 0, "suspend": 1},
    4: {"release": 0, "success": 2},
    5: {"release": 1, "success": 2, "talk": 3, "three-party": 4},
}

# Push mode: the gateway POSTs {workNo, eventList} to the sign-in's callBackUri with the headers Guid and
# service_token, and the receiver answers this: https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1275.html
PUSH_ACK: Final = {"message": "success", "retcode": SUCCESS}
# The header that carries the sign-in's serviceToken on each push and (optionally) on the heartbeat:
# https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1204.html
SERVICE_TOKEN_HEADER: Final = "service_token"

# Log names of the interfaces that carry events: the long poll, and push mode's heartbeat.
POLL_INTERFACE: Final = "getAgentEvent"
HEARTBEAT_INTERFACE: Final = "handShake"
# What the gateway does when a push fails is not documented. The simulator (inferred) tries a failed push again
# after each of these pauses, scaled by its time_scale, and then gives its events up as lost:
PUSH_RETRY_DELAYS: Final = (0.5, 1.0, 2.0)
# How long one push may take before it counts as failed (inferred):
PUSH_TIMEOUT: Final = 10.0

# AgentOther_BeQcStart/Stop's qcType: how an inspector is on the agent's call (the event's page: 8 listening,
# 9 insertion, 20172 or 20173 whispering; which whisper code when is not documented). With what the sequence
# diagram says of it.
QC_LISTEN: Final = 8
QC_BARGE_IN: Final = 9
QC_WHISPER: Final = 20172
INSPECTION_MODES: Final = {QC_LISTEN: "listening", QC_BARGE_IN: "barging in", QC_WHISPER: "whispering",
                           20173: "whispering"}

# setcalldataex: the call-associated data's original content is at most 16 KB (the interface's page).
CALL_DATA_LIMIT: Final = 16 * 1024
