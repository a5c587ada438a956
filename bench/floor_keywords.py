"""A library keyword that does nothing, with the arguments of `Get Queue Length` used as a check: what Robot itself
costs for one library keyword call in a FOR loop (argument resolution, status, output.xml), the floor under any
keyword's figure in ``keyword_cost.py``."""

from __future__ import annotations

from typing import Any

ROBOT_LIBRARY_SCOPE = "GLOBAL"
__all__ = ["do_nothing"]


def do_nothing(queue: str, assertion_operator: str | None = None, assertion_expected: Any = None,
               message: str | None = None) -> None:
    """Robot keyword: takes the arguments and returns."""
