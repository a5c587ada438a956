"""The shapes of the dictionaries getters return, as TypedDicts: libdoc documents their keys and editors
(RobotCode) complete them. Keys that come from the gateway are optional (``total=False``): a gateway may leave a
field out, and the getter passes on what it sent; the types are what the interface schemas allow."""

# No `from __future__ import annotations`: TypedDict tells NotRequired keys apart only from evaluated annotations.
from typing import Any, NotRequired, TypedDict

from robot.api.types import Secret

from ..transport.requests_auth import GuidAuth


class AgentStatus(TypedDict, total=False):
    """What `Get Agent Status` returns: the gateway's ``agentState`` code and ``isWorking`` (true while in a
    call), and ``state``, the code's name (``idle``, ``busy``, ``work``, ``rest``, ``talking``, ...)."""

    agentState: int | str
    isWorking: bool | str
    state: str


class CallInfo(TypedDict, total=False):
    """A call as `Get Call Info` and `Get Held Calls` return it: ``callfeature`` is the call type (0 inbound,
    6 internal, 7 outbound, ...), ``begintime`` epoch milliseconds."""

    callid: str
    caller: int | str
    called: int | str
    callfeature: int | str
    callskill: str | None
    callskillid: int | str | None
    calldata: str | None
    begintime: int | str | None


class SkillQueue(TypedDict, total=False):
    """A skill queue in the list `Get Agent Skills` returns."""

    id: int | str
    name: str
    mediatype: int | str


class PushEndpoint(TypedDict):
    """What `Get Push Endpoint` returns: the endpoint's base ``url``, the ``ca_file`` a gateway must trust and,
    for an agent signed in in push mode, its ``callback`` address."""

    url: str
    ca_file: str
    callback: NotRequired[str]


class GatewayFacts(TypedDict):
    """What `Get Gateway Facts` returns for RequestsLibrary: ``url``, ``ca_bundle`` (a file, or True for requests'
    own CA bundle), the agent's ``guid`` (a `Secret`), ``auth`` (sends that Guid), ``agent_id`` and, for an
    ``interface``, its ``method`` and ``path``."""

    url: str
    ca_bundle: str | bool
    guid: Secret
    auth: GuidAuth
    agent_id: str
    method: NotRequired[str]
    path: NotRequired[str]


class GatewayEvent(TypedDict):
    """An event as the gateway sent it, as `Wait For Event` returns it: ``eventType``, the agent's ``workNo``,
    ``content`` (nothing, a bare call ID, or the event's fields) and, from newer gateways, ``eventGenTime``."""

    eventType: str
    workNo: NotRequired[str]
    content: NotRequired[dict[str, Any] | str | None]
    eventGenTime: NotRequired[int | str]


class EventRecord(TypedDict):
    """An event in the list `Get Event History` returns: ``seq`` (1, 2, ... in arrival order), ``eventType``,
    ``received`` (local time, ISO 8601) and ``event``, the event as the gateway sent it."""

    seq: int
    eventType: str
    received: str
    event: GatewayEvent
