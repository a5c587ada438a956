"""Secret values (passwords, Guids) and the listener that keeps them out of Robot's outputs.

Keywords take and return ``robot.api.types.Secret``; the transport redacts what it logs. The
scrubber is the safety net: every secret value is registered the moment the library receives it
and replaced in any log message, keyword or test message that might still carry it.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from robot.api.types import Secret

MASK = "<secret>"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary text


class SecretRegistry:
    def __init__(self) -> None:
        self._values: set[str] = set()
        self._longest_first: tuple[str, ...] = ()  # rebuilt on register; scrub runs for every log message
        self._lock = threading.Lock()

    def register(self, value: str | Secret | None) -> None:
        text = value.value if isinstance(value, Secret) else value
        if text and len(text) >= MIN_SECRET_LENGTH:
            with self._lock:
                if text not in self._values:
                    self._values.add(text)
                    self._longest_first = tuple(sorted(self._values, key=len, reverse=True))

    def scrub(self, text: str) -> str:
        if not text:
            return text
        for value in self._longest_first:
            if value in text:
                text = text.replace(value, MASK)
        return text

    def __contains__(self, value: str) -> bool:
        with self._lock:
            return value in self._values


class SecretScrubber:
    """Library listener (API v3) that masks registered secrets in everything Robot records."""

    ROBOT_LISTENER_API_VERSION = 3

    def __init__(self, registry: SecretRegistry) -> None:
        self.registry = registry

    def log_message(self, message: Any) -> None:
        message.message = self.registry.scrub(message.message)

    def end_library_keyword(self, data: Any, implementation: Any, result: Any) -> None:
        result.message = self.registry.scrub(result.message)

    def end_test(self, data: Any, result: Any) -> None:
        result.message = self.registry.scrub(result.message)

    def end_suite(self, data: Any, result: Any) -> None:
        result.message = self.registry.scrub(result.message)


# Guids as the gateway issues them: a UUID followed by the gateway node name.
GUID_PATTERN = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\.AgentGateway\w*")


def find_leaks(text: str, known_secrets: list[str]) -> list[str]:
    """Secret values found in ``text``: the given ones and anything shaped like a Guid (shown shortened)."""
    found = [f"{value[:3]}... (known secret)" for value in known_secrets if value and value in text]
    found += [f"{match[:8]}... (Guid)" for match in sorted(set(GUID_PATTERN.findall(text)))]
    return found
