"""What the library adds to Robot's log beyond one line per request: the per-test sequence diagram."""

from .diagram import DiagramData, Lane, render_diagram
from .record import RecordedRequest, RequestRecorder

__all__ = ["DiagramData", "Lane", "RecordedRequest", "RequestRecorder", "render_diagram"]
