"""What an index and an installer read: one version, a changelog that names it, the metadata Robot Framework users
search by. The build itself (wheel, sdist, twine check, a fresh venv) is .ci/package_check.py."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import CCGatewayLibrary
from CCGatewayLibrary.version import VERSION

REPO = Path(__file__).resolve().parents[1]


def _metadata() -> configparser.SectionProxy:
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg", encoding="utf-8")
    return config["metadata"]


def test_the_changelog_names_the_version_first() -> None:
    headings = re.findall(r"^## (\S+)", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert headings and headings[0] == VERSION, f"CHANGELOG.md's newest heading {headings[:1]} is not {VERSION}"


def test_the_metadata_says_what_robot_framework_users_search_for() -> None:
    metadata = _metadata()
    classifiers = [line.strip() for line in metadata["classifiers"].splitlines() if line.strip()]
    for needed in ("Framework :: Robot Framework", "Framework :: Robot Framework :: Library", "Typing :: Typed"):
        assert needed in classifiers, needed
    assert metadata["name"] == "robotframework-ccgatewaylibrary"


def test_the_package_says_it_is_typed() -> None:
    assert (Path(CCGatewayLibrary.__file__).parent / "py.typed").is_file()
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg", encoding="utf-8")
    assert "py.typed" in config["options.package_data"]["CCGatewayLibrary"]


def test_the_dev_extra_has_the_package_check_tools() -> None:
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg", encoding="utf-8")
    dev = config["options.extras_require"]["dev"]
    assert re.search(r"^build\b", dev, re.M) and re.search(r"^twine\b", dev, re.M)
