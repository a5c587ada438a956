from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from assertionengine import AssertionOperator, verify_assertion
from robot.api import logger
from robot.utils import secs_to_timestr

from ..catalogue.gateway import SUCCESS
from ..context import LibraryContext

# One retcode or a list of them: what a keyword accepts as its reply's retcode (a negative test names the refusal).
Retcodes = str | list[str]
T = TypeVar("T")
ASSERTION_PAUSE = 0.2  # seconds between a getter's attempts while its assertion does not hold yet


class LibraryComponent:
    """Base of the keyword classes: they reach shared state only through ``ctx``."""

    def __init__(self, ctx: LibraryContext) -> None:
        self.ctx = ctx

    def _agent_call(self, agent: str | None, interface: str, expected_retcode: Retcodes,
                    query: dict[str, Any] | None = None, body: Any = None, path: dict[str, Any] | None = None,
                    headers: dict[str, str] | None = None) -> dict[str, Any]:
        """Calls ``interface`` for the agent (the current one unless ``agent`` names an alias)."""
        handle = self.ctx.agent(agent)
        return self.ctx.requests.call(handle.session, interface, handle.agent_id, path=path, query=query, body=body,
                                      headers=headers, expected_retcode=expected_retcode)

    def _asserted(self, getter: str, fetch: Callable[[], T], operator: AssertionOperator | None, expected: Any,
                  message: str | None, what: Callable[[T], Any] = lambda value: value,
                  name: str = "value") -> T:
        """``fetch``es the getter's value; with an ``operator``, fetches again until ``what`` of it passes the
        assertion or the assertion timeout passes, then fails naming the getter, the last value and the
        expected one. Returns the last value fetched, or with ``then`` what its expression gave."""
        value = fetch()
        if operator is None:
            return value
        deadline = time.monotonic() + self.ctx.settings.assertion_timeout
        attempts = 1
        while True:
            try:
                checked = verify_assertion(what(value), operator, expected, f"{getter}: {name}", message)
                # ``then`` never fails: like Browser's getters, the keyword returns what its expression gave.
                return checked if operator is AssertionOperator["then"] else value
            except AssertionError as error:
                if time.monotonic() + ASSERTION_PAUSE > deadline:
                    waited = f" (tried {attempts} times in {robot_time(self.ctx.settings.assertion_timeout)})" \
                        if attempts > 1 else ""
                    raise AssertionError(f"{self.ctx.requests.safe(str(error))}{waited}") from None
            time.sleep(ASSERTION_PAUSE)
            attempts += 1
            logger.debug(f"{getter}: attempt {attempts}, the assertion did not hold yet.")
            value = fetch()


def succeeded(reply: dict[str, Any]) -> bool:
    return str(reply.get("retcode")) == SUCCESS


def seconds(value: timedelta | float | None, default: float) -> float:
    if value is None:
        return default
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def robot_time(secs: float) -> str:
    return secs_to_timestr(secs)


def as_list(result: Any) -> list[Any]:
    """A result the gateway gives as a list, as one object or as nothing (null, empty), always as a list."""
    if isinstance(result, list):
        return list(result)
    return [result] if result else []
