"""Agent events: the journal that keeps them, the poller or push listener that fills it, filters that pick them."""

from .channel import EventChannel
from .journal import Cursor, EventJournal, RecordedEvent
from .matching import FieldFilter
from .poller import EventPoller
from .push import PushListener, PushRegistration

__all__ = ["Cursor", "EventChannel", "EventJournal", "EventPoller", "FieldFilter", "PushListener", "PushRegistration",
           "RecordedEvent"]
