"""Which chapter method carries out which interface: filled by ``@serves``, read by the model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Request = dict[str, Any]  # {"path": {...}, "query": {...}, "body": ...} as checked against the request schema
Operation = Callable[..., Any]  # (chapter, agent, request) -> result

OPERATIONS: dict[str, Operation] = {}


@dataclass(frozen=True)
class FileReply:
    """What a download operation returns: the file, which the server sends as the interface's file type."""

    content: bytes
    name: str


def serves(*interfaces: str) -> Callable[[Operation], Operation]:
    """Marks a chapter method as what the simulator runs for these interfaces."""

    def mark(method: Operation) -> Operation:
        for name in interfaces:
            OPERATIONS[name] = method
        return method

    return mark
