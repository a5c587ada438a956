"""Keyword classes, one per topic."""

from .agent import AgentKeywords
from .calldata import CallDataKeywords
from .calls import CallKeywords
from .conference import ConferenceKeywords
from .events import EventKeywords
from .groups import GroupKeywords
from .pool import PoolKeywords
from .queues import QueueKeywords
from .raw import RawKeywords
from .session import SessionKeywords
from .sharing import SharingKeywords
from .simulator import SimulatorKeywords
from .skills import SkillKeywords
from .states import StateKeywords
from .supervisor import SupervisorKeywords
from .text import TextKeywords
from .transfers import TransferKeywords

__all__ = [
    "AgentKeywords",
    "CallDataKeywords",
    "CallKeywords",
    "ConferenceKeywords",
    "EventKeywords",
    "GroupKeywords",
    "PoolKeywords",
    "QueueKeywords",
    "RawKeywords",
    "SessionKeywords",
    "SharingKeywords",
    "SimulatorKeywords",
    "SkillKeywords",
    "StateKeywords",
    "SupervisorKeywords",
    "TextKeywords",
    "TransferKeywords",
]
