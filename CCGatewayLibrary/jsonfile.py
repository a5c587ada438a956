"""Reading the JSON files a user writes (agent pools, simulator rosters) with errors that name file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_json(file: Path, where: str, error: type[Exception]) -> Any:
    """The document in ``file``; ``error`` names ``where`` (and the line) when it cannot be read or parsed."""
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except OSError as problem:
        raise error(f"{where}: cannot be read ({problem.strerror or problem})") from None
    except ValueError as problem:
        line = f" line {problem.lineno}" if isinstance(problem, json.JSONDecodeError) else ""
        raise error(f"{where}{line}: not JSON ({getattr(problem, 'msg', problem)})") from None
