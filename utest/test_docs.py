"""The documentation stays true: generated keyword docs are current and carry no path of the machine that built
them, and every Robot Framework example in the user guide runs against the simulator."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from robot.api import ExecutionResult

from CCGatewayLibrary.simulator.roster import Roster

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
sys.path.insert(0, str(DOCS))
from generate import LIBDOC, libdoc_texts, without_timestamp  # noqa: E402

GUIDE = DOCS / "user-guide.md"
EXAMPLE = re.compile(r"```robotframework\n(.*?)```", re.S)


def test_keyword_documentation_is_regenerated() -> None:
    fresh = libdoc_texts()
    for name in LIBDOC:
        committed = (DOCS / name).read_text(encoding="utf-8")
        assert without_timestamp(committed) == without_timestamp(fresh[name]), \
            f"docs/{name} is stale: run python docs/generate.py"


def test_the_staleness_check_ignores_only_the_timestamp() -> None:
    text = '{"generated": "2026-01-01T00:00:00+00:00", "doc": "x"}'
    assert without_timestamp(text) == without_timestamp(text.replace("2026-01-01", "2027-02-02"))
    assert without_timestamp(text) != without_timestamp(text.replace('"x"', '"y"'))
    xml = '<keywordspec name="CCGatewayLibrary" generated="2026-01-01T00:00:00+00:00" specversion="6">'
    assert without_timestamp(xml) == without_timestamp(xml.replace("2026-01-01", "2027-02-02"))
    assert without_timestamp(xml) != without_timestamp(xml.replace('"6"', '"7"'))


def test_the_libspec_for_editors_is_published_with_every_keyword() -> None:
    import xml.etree.ElementTree as ET

    spec = json.loads((DOCS / "CCGatewayLibrary.json").read_text(encoding="utf-8"))
    root = ET.parse(DOCS / "CCGatewayLibrary.libspec").getroot()
    assert root.tag == "keywordspec" and root.get("name") == "CCGatewayLibrary" and root.get("format") == "HTML"
    assert [kw.get("name") for kw in root.iter("kw") if kw.get("name") != "__init__"] == \
        [kw["name"] for kw in spec["keywords"]]
    assert {doc.get("name") for doc in root.iter("type") if doc.get("type") == "TypedDict"} >= {"AgentStatus"}


def test_generated_files_carry_no_path_of_the_build_machine() -> None:
    spec = json.loads((DOCS / "CCGatewayLibrary.json").read_text(encoding="utf-8"))
    sources = {spec["source"]} | {item["source"] for item in spec["inits"] + spec["keywords"]}
    assert sources and all(source and not Path(source).is_absolute() and (REPO / source).is_file()
                           for source in sources), sources
    home = str(Path.home())
    for name in [*LIBDOC, "ccgateway-openapi.json", "agent-state-table.md"]:
        text = (DOCS / name).read_text(encoding="utf-8")
        assert str(REPO) not in text and f"{home}/" not in text, name


def _examples() -> list[str]:
    return EXAMPLE.findall(GUIDE.read_text(encoding="utf-8"))


def test_the_guide_has_runnable_examples_for_its_topics() -> None:
    examples = "\n".join(_examples())
    for keyword in ("Reserve Agents", "Get Gateway Facts", "Simulate Guid Expiry", "Send Raw Request",
                    "expected_retcode=100-004"):
        assert keyword in examples, keyword


def test_every_robot_example_in_the_user_guide_runs_against_the_simulator(tmp_path: Path) -> None:
    """Each ```robotframework block is one suite file; all run in one robot run. A block without tests (settings
    or variables only) gets one that does nothing, so that its imports and variables are still resolved."""
    examples = _examples()
    assert len(examples) >= 7
    folder = tmp_path / "guide"
    folder.mkdir()
    for index, text in enumerate(examples, 1):
        if "*** Test Cases ***" not in text:
            text += "\n*** Test Cases ***\nThe Example Loads\n    No Operation\n"
        (folder / f"example_{index:02d}.robot").write_text(text, encoding="utf-8")
    env = dict(os.environ, CCGW_AGENT_PASSWORD=Roster.load().password_of("101"),
               CCGW_AGENT_POOL=str(REPO / "atest" / "resources" / "agent_pool.json"))
    for name in ("CCGW_SIM_ROSTER", "CCGW_POOL_SERVER"):
        env.pop(name, None)
    run = subprocess.run([sys.executable, "-m", "robot", "--outputdir", str(tmp_path / "out"),
                          "--console", "dotted", str(folder)],
                         capture_output=True, text=True, env=env, check=False, cwd=tmp_path, timeout=600)
    assert "[ ERROR ]" not in run.stdout + run.stderr, run.stdout + run.stderr
    result = ExecutionResult(str(tmp_path / "out" / "output.xml"))
    failed = [f"{test.full_name}: {test.message}" for test in result.suite.all_tests if not test.passed]
    assert failed == [] and run.returncode == 0, failed or run.stdout[-3000:]
    ran = {suite.name for suite in result.suite.suites}
    assert len(ran) == len(examples), ran


@pytest.mark.parametrize("name", ["LICENSE"])
def test_the_licence_file_matches_the_package_metadata(name: str) -> None:
    text = (REPO / name).read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text and "END OF TERMS AND CONDITIONS" in text
    assert re.search(r"^license = Apache-2\.0$", (REPO / "setup.cfg").read_text(encoding="utf-8"), re.M)


def test_the_wheel_holds_the_package_its_data_and_the_licence(tmp_path: Path) -> None:
    """``pip wheel`` from a copy of the sources (so no build folder lands in the checkout)."""
    import shutil
    import zipfile

    source = tmp_path / "src"
    for name in ("CCGatewayLibrary", "schemas"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("setup.cfg", "pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"),
                          str(source)], capture_output=True, text=True, check=False, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    [wheel] = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    info = next(name.split("/")[0] for name in names if name.endswith(".dist-info/METADATA"))
    assert f"{info}/licenses/LICENSE" in names
    metadata = zipfile.ZipFile(wheel).read(f"{info}/METADATA").decode()
    assert "License: Apache-2.0" in metadata or "License-Expression: Apache-2.0" in metadata
    for needed in ("CCGatewayLibrary/catalogue/interfaces.json", "CCGatewayLibrary/catalogue/chapters/agent.json",
                   "CCGatewayLibrary/catalogue/agent_pool.schema.json",
                   "CCGatewayLibrary/schemas/common.schema.json", "CCGatewayLibrary/simulator/roster.json",
                   "CCGatewayLibrary/keywords/pool.py", "CCGatewayLibrary/py.typed",
                   "CCGatewayLibrary/translations/zh_CN.json"):
        assert needed in names, needed
    assert not [name for name in names if name.endswith(".pyc") or name.split("/")[0] in ("utest", "atest", "bench")]


def test_the_readme_counts_the_routes_and_chapters_the_catalogue_has() -> None:
    from CCGatewayLibrary.catalogue import load_catalogue

    catalogue = load_catalogue()
    said = re.search(r"every route of the gateway's API reference, (\d+) in (\d+) chapters",
                     (REPO / "README.md").read_text(encoding="utf-8").replace("\n", " "))
    assert said is not None, "README.md no longer says how many routes it covers"
    chapters = {interface.chapter for interface in catalogue.interfaces.values()}
    assert (int(said.group(1)), int(said.group(2))) == (len(catalogue.interfaces), len(chapters))
