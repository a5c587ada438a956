"""What an index and an installer read: one version, a changelog that names it, the metadata Robot Framework users
search by. The build itself (wheel, sdist, twine check, a fresh venv) is .ci/package_check.py."""

from __future__ import annotations

import configparser
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

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


def _minimum_versions() -> ModuleType:
    spec = importlib.util.spec_from_file_location("minimum_versions", REPO / ".ci" / "minimum_versions.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_minimum_versions_run_pins_every_declared_dependency() -> None:
    pins = dict(line.split("==") for line in _minimum_versions().minimum_constraints())
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg", encoding="utf-8")
    declared = re.findall(r"^\s*([A-Za-z0-9_.-]+) >= ([0-9.]+)", config["options"]["install_requires"], re.M)
    assert declared and all(pins.get(name) == version for name, version in declared), (declared, pins)
    assert {"aiohttp", "trustme", "pytest", "robotframework"} <= set(pins)


def test_a_dependency_without_a_minimum_is_refused(tmp_path: Path) -> None:
    text = (REPO / "setup.cfg").read_text(encoding="utf-8").replace("requests >= 2.32.2", "requests")
    (tmp_path / "setup.cfg").write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit, match=r"setup.cfg: requests has no single '>=' minimum"):
        _minimum_versions().minimum_constraints(tmp_path / "setup.cfg")


def test_no_declared_minimum_is_a_withdrawn_release() -> None:
    """requests 2.32.0 and 2.32.1 were yanked from the index (CVE-2024-35195 fix conflicts): pip warns and a user
    never gets them, so a minimum below 2.32.2 is not one anybody tests."""
    pins = dict(line.split("==") for line in _minimum_versions().minimum_constraints())
    assert tuple(map(int, pins["requests"].split("."))) >= (2, 32, 2)
