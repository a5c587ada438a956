"""Agent events: the journal that keeps them, the poller that fills it, filters that pick them."""

from .journal import Cursor, EventJournal, RecordedEvent
from .matching import FieldFilter
from .poller import EventPoller

__all__ = ["Cursor", "EventJournal", "EventPoller", "FieldFilter", "RecordedEvent"]
