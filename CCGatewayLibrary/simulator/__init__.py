"""Offline CC-Gateway simulator. Imports the catalogue and schemas, never the keywords."""

from .model import GatewayModel, Refused, SimulationError, SimulatorConfig
from .roster import Roster

__all__ = ["GatewayModel", "Refused", "Roster", "SimulationError", "SimulatorConfig"]
