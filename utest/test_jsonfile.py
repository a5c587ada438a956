"""The JSON files users write are refused in words, naming the file, when they nest deeper than any of them needs,
instead of stopping with a bare RecursionError."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from CCGatewayLibrary.jsonfile import MAX_FILE_DEPTH
from CCGatewayLibrary.pool import AgentPool, PoolError
from CCGatewayLibrary.simulator.replay import RecordingError, load_recording
from CCGatewayLibrary.simulator.roster import Roster, RosterError

DEEP = "[" * 100_000 + "]" * 100_000  # deeper than Python's recursion limit


@pytest.mark.parametrize(("load", "error", "text"), [
    (AgentPool.load, PoolError, '{"agents": ' + DEEP + "}"),
    (Roster.load, RosterError, '{"agents": ' + DEEP + "}"),
    (load_recording, RecordingError, '{"kind": "header", "format": "ccgw-recording"}\n{"kind": "event", "t": 1, '
                                     '"agent": "101", "event": ' + DEEP + "}\n"),
])
def test_a_deeply_nested_file_is_refused_naming_the_file_and_the_limit(
        tmp_path: Path, load: Callable[[Path], object], error: type[Exception], text: str) -> None:
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error) as refused:
        load(path)
    assert str(path) in str(refused.value)
    assert f"nest more than {MAX_FILE_DEPTH} levels deep" in str(refused.value)

