"""Keyword classes, one per topic."""

from .agent import AgentKeywords
from .calls import CallKeywords
from .events import EventKeywords
from .raw import RawKeywords
from .simulator import SimulatorKeywords

__all__ = ["AgentKeywords", "CallKeywords", "EventKeywords", "RawKeywords", "SimulatorKeywords"]
