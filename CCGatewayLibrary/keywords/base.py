from __future__ import annotations

from datetime import timedelta
from typing import Any

from robot.utils import secs_to_timestr

from ..catalogue.gateway import SUCCESS
from ..context import LibraryContext

# One retcode or a list of them: what a keyword accepts as its reply's retcode (a negative test names the refusal).
Retcodes = str | list[str]


class LibraryComponent:
    """Base of the keyword classes: they reach shared state only through ``ctx``."""

    def __init__(self, ctx: LibraryContext) -> None:
        self.ctx = ctx

    def _agent_call(self, agent: str | None, interface: str, expected_retcode: Retcodes,
                    query: dict[str, Any] | None = None, body: Any = None, path: dict[str, Any] | None = None,
                    headers: dict[str, str] | None = None) -> dict[str, Any]:
        """Calls ``interface`` for the agent (the current one unless ``agent`` names an alias)."""
        handle = self.ctx.agent(agent)
        return self.ctx.call(handle.session, interface, handle.agent_id, path=path, query=query, body=body,
                             headers=headers, expected_retcode=expected_retcode)


def succeeded(reply: dict[str, Any]) -> bool:
    return str(reply.get("retcode")) == SUCCESS


def seconds(value: timedelta | float | None, default: float) -> float:
    if value is None:
        return default
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def robot_time(secs: float) -> str:
    return secs_to_timestr(secs)
