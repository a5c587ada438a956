#!/usr/bin/env python3
"""Writes the generated documentation: docs/CCGatewayLibrary.html (libdoc) and its Chinese version
docs/CCGatewayLibrary.zh_CN.html, the JSON spec and libspec (XML) for IDEs, the gateway's OpenAPI 3.1 document
docs/ccgateway-openapi.json, made from the interface catalogue, and the simulator's agent state table
docs/agent-state-table.md."""

import json
import re
import tempfile
from pathlib import Path

from robot.libdocpkg import LibraryDocumentation

from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.catalogue.openapi import build_openapi
from CCGatewayLibrary.simulator import agent_states

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
# The libspec (libdoc's XML, docs as HTML) is what editors and tools that predate the JSON spec load.
LIBDOC = {"CCGatewayLibrary.html": "HTML", "CCGatewayLibrary.json": "JSON", "CCGatewayLibrary.libspec": "XML",
          "CCGatewayLibrary.zh_CN.html": "HTML"}
# Pages of the library imported with arguments: the keyword reference in Chinese (names and docs translated).
IMPORTED_WITH = {"CCGatewayLibrary.zh_CN.html": "language=zh-CN"}
# libdoc stamps the time of generation into each file (a JSON key, an XML attribute); staleness checks ignore it.
GENERATED = re.compile(r'"generated": ?"[^"]*"|generated="[^"]*"')
OPENAPI = DOCS / "ccgateway-openapi.json"
STATE_TABLE = DOCS / "agent-state-table.md"


def openapi_text() -> str:
    return json.dumps(build_openapi(load_catalogue()), indent=1, ensure_ascii=False) + "\n"


def state_table_text() -> str:
    return ("# The simulated agent's state machine\n\n"
            "Generated from `CCGatewayLibrary/simulator/agent_states.py` by `docs/generate.py`; do not edit.\n"
            "Columns are the agent's state before the request (talking: any state with a call, held calls too);\n"
            "a cell gives the state after and the events queued, in order, or the retcode of the refusal.\n\n"
            + agent_states.as_markdown())


def _relative(source: str | None) -> str | None:
    """A source file as a path inside the repository: committed files carry no path of the machine that built
    them."""
    if not source:
        return source
    path = Path(source).resolve()
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path.name


def libdoc_texts() -> dict[str, str]:
    """The keyword documentation, HTML and JSON (keyword docs as HTML for IDEs), as libdoc writes it."""
    texts = {}
    for name, form in LIBDOC.items():
        doc = LibraryDocumentation("::".join(["CCGatewayLibrary", *filter(None, [IMPORTED_WITH.get(name)])]))
        doc.source = _relative(doc.source)
        for item in [*doc.inits, *doc.keywords]:
            item.source = _relative(item.source)
        # As the libdoc command does: the HTML page shows the docs as HTML (a table of contents, headings, tables
        # and links), not as Robot's markup, and IDEs read them as HTML from the JSON spec.
        doc.convert_docs_to_html()
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / name
            doc.save(str(target), form)
            texts[name] = target.read_text(encoding="utf-8")
    return texts


def without_timestamp(text: str) -> str:
    return GENERATED.sub('generated=""', text)


def main() -> None:
    for name, text in libdoc_texts().items():
        (DOCS / name).write_text(text, encoding="utf-8")
    OPENAPI.write_text(openapi_text(), encoding="utf-8")
    STATE_TABLE.write_text(state_table_text(), encoding="utf-8")


if __name__ == "__main__":
    main()
