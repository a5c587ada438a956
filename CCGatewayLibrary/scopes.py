"""Settings changed for a test or a suite, and put back when it ends (as Browser's scoped settings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import CCGatewayError

Scope = Literal["Global", "Suite", "Test"]


@dataclass
class _Frame:
    kind: Literal["Suite", "Test"]
    saved: dict[str, Any] = field(default_factory=dict)  # setting -> value to put back


class SettingScopes:
    """Follows Robot's suites and tests (through the library's listener) and restores settings on leaving them."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self._frames: list[_Frame] = []

    def enter(self, kind: Literal["Suite", "Test"]) -> None:
        self._frames.append(_Frame(kind))

    def leave(self) -> dict[str, Any]:
        """Pops the innermost suite or test and puts its settings back; returns what was restored."""
        if not self._frames:
            return {}
        frame = self._frames.pop()
        for name, value in frame.saved.items():
            setattr(self.settings, name, value)
        return frame.saved

    def set(self, name: str, value: Any, scope: Scope) -> Any:
        """Sets ``name`` for ``scope`` and returns the value it had."""
        old = getattr(self.settings, name)
        if scope == "Global":
            for frame in self._frames:  # nothing scoped may put an older value back later
                frame.saved.pop(name, None)
        else:
            found = next((f for f in reversed(self._frames) if f.kind == scope), None)
            if found is None:
                raise CCGatewayError(f"scope={scope} needs a running {scope.lower()}: "
                                     f"{'use it inside a test' if scope == 'Test' else 'no suite is running'}.")
            found.saved.setdefault(name, old)
        setattr(self.settings, name, value)
        return old
