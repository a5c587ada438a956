"""Agent events: the journal that keeps them, the poller or push listener that fills it, filters that pick them."""

from .journal import Cursor, EventJournal, RecordedEvent
from .matching import FieldFilter
from .poller import EventPoller
from .push import PushListener, PushRegistration

__all__ = ["Cursor", "EventJournal", "EventPoller", "FieldFilter", "PushListener", "PushRegistration",
           "RecordedEvent"]
