"""Keyword classes, one per topic."""

from .agent import AgentKeywords
from .calls import CallKeywords
from .events import EventKeywords
from .raw import RawKeywords
from .session import SessionKeywords
from .simulator import SimulatorKeywords
from .skills import SkillKeywords
from .states import StateKeywords

__all__ = ["AgentKeywords", "CallKeywords", "EventKeywords", "RawKeywords", "SessionKeywords", "SimulatorKeywords",
           "SkillKeywords", "StateKeywords"]
