"""The contributor's tools say what CI does: the pre-commit hooks run the linters of the README's test command, and
the files CONTRIBUTING.md names exist."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _readme_test_command() -> str:
    blocks = re.findall(r"```bash\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    return blocks[1]


def test_the_pre_commit_hooks_run_the_linters_ci_runs() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "mypy", "robocop-check", "robocop-format"} <= hooks.keys()
    command = _readme_test_command()
    for name in ("ruff", "mypy", "robocop-check", "robocop-format"):
        assert hooks[name]["entry"] in command, f"hook {name} runs {hooks[name]['entry']!r}, which CI does not"


def test_the_files_contributing_names_exist() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    named = {path for path in re.findall(r"`([\w./-]+\.(?:py|json|md|yaml|toml|cfg))`", text) if "<" not in path}
    named |= {word for command in re.findall(r"`([^`]+)`", text)
              for word in command.split() if re.fullmatch(r"(utest|atest|docs|\.ci)/[\w./-]+\.py", word)}
    missing = sorted(path for path in named if not (REPO / path).exists() and not (REPO / "docs" / path).exists())
    assert len(named) >= 10 and missing == [], missing
