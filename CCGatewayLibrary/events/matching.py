"""Field filters for events: ``callid=123`` looks in the content, then at the top of the event."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import CCGatewayError

MISSING = object()


@dataclass(frozen=True)
class FieldFilter:
    field: str
    expected: str
    regexp: bool = False

    @classmethod
    def parse(cls, text: str) -> FieldFilter:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise CCGatewayError(f"Event filter '{text}' must look like name=value, e.g. callid=1455885056-1095.")
        name = name.strip()
        if value.startswith("regexp:"):
            pattern = value[len("regexp:"):]
            try:
                re.compile(pattern)
            except re.error as error:
                raise CCGatewayError(f"Event filter '{text}': '{pattern}' is not a valid regular expression "
                                     f"({error.msg} at position {error.pos}). Write it as Python's re module reads "
                                     r"it, e.g. callid=regexp:\d+-\d+; a backslash is written \\ in Robot "
                                     "data.") from None
            return cls(name, pattern, regexp=True)
        return cls(name, value)

    def value_in(self, event: dict[str, Any]) -> Any:
        if "." in self.field:
            current: Any = event
            for part in self.field.split("."):
                current = current.get(part, MISSING) if isinstance(current, dict) else MISSING
            return current
        content = event.get("content")
        if isinstance(content, dict) and self.field in content:
            return content[self.field]
        if isinstance(content, str) and self.field.lower() in ("callid", "content"):
            return content  # events such as AgentEvent_Hold carry the bare call ID
        return event.get(self.field, MISSING)

    def matches(self, event: dict[str, Any]) -> bool:
        value = self.value_in(event)
        if value is MISSING:
            return False
        text = "" if value is None else str(value)
        return re.fullmatch(self.expected, text) is not None if self.regexp else text == self.expected

    def __str__(self) -> str:
        return f"{self.field}={'regexp:' if self.regexp else ''}{self.expected}"
