"""Roster files: passwords from environment variables, skills, and refusals that name file, place and rule."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from CCGatewayLibrary.simulator.roster import Roster, RosterError

REPO = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "roster.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_password_from_an_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAB_AGENT_PW", "From-The-Env-1")
    path = _write(tmp_path, {"agents": [{"ids": "201-203", "password_env": "LAB_AGENT_PW",
                                         "skills": [{"id": 7, "name": "billing", "mediatype": 5}]}]})
    roster = Roster.load(path)
    assert len(roster) == 3 and roster.password_of("202") == "From-The-Env-1"
    assert roster.entries["203"].skills[0].as_reply() == {"name": "billing", "id": 7, "mediatype": 5}
    assert "From-The-Env-1" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("data", "message"), [
    ("{not json", "line 1: not JSON"),
    ({"agents": []}, "needs a non-empty list 'agents'"),
    ({"agents": [{"ids": "12", "password": "x"}]}, "agents[0].ids: must be an agent ID or a range"),
    ({"agents": [{"ids": "300-200", "password": "x"}]}, "agents[0].ids: the range ends before it starts"),
    ({"agents": [{"ids": "101"}]}, "agents[0]: give either password or password_env"),
    ({"agents": [{"ids": "101", "password_env": "SURELY_NOT_SET_X"}]},
     "agents[0].password_env: the environment variable SURELY_NOT_SET_X is not set"),
    ({"agents": [{"ids": "101", "password": "x"}, {"ids": "102", "password": "x", "skills": [{"id": "a"}]}]},
     "agents[1].skills[0]: needs id (a number), name and mediatype"),
])
def test_bad_roster_names_file_place_and_rule(tmp_path: Path, data: object, message: str) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(RosterError) as refused:
        Roster.load(path)
    assert str(refused.value).startswith(f"roster {path}")
    assert message in str(refused.value)


def test_ccgw_sim_refuses_a_bad_roster_in_words(tmp_path: Path) -> None:
    path = _write(tmp_path, {"agents": [{"ids": "101"}]})
    run = subprocess.run([sys.executable, "-m", "CCGatewayLibrary.simulator.cli", "--roster", str(path), "--port", "0"],
                         capture_output=True, text=True, cwd=REPO, timeout=60, check=False)
    assert run.returncode == 2
    assert f"ccgw-sim: roster {path}: agents[0]: give either password or password_env" in run.stderr
    assert "Traceback" not in run.stderr


def test_ccgw_sim_refuses_a_deeply_nested_roster_without_a_traceback(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"agents": ' + "[" * 100_000 + "]" * 100_000 + "}")
    run = subprocess.run([sys.executable, "-m", "CCGatewayLibrary.simulator.cli", "--roster", str(path), "--port", "0"],
                         capture_output=True, text=True, cwd=REPO, timeout=60, check=False)
    assert run.returncode == 2
    assert f"ccgw-sim: roster {path}: arrays and objects nest more than" in run.stderr
    assert "Traceback" not in run.stderr
