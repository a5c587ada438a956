#!/usr/bin/env python3
"""Writes the generated documentation: docs/CCGatewayLibrary.html (libdoc), its JSON spec for IDEs, and the
gateway's OpenAPI 3.1 document docs/ccgateway-openapi.json, made from the interface catalogue, and the
simulator's agent state table docs/agent-state-table.md."""

import json
from pathlib import Path

from robot.libdoc import libdoc

from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.catalogue.openapi import build_openapi
from CCGatewayLibrary.simulator import agent_states

DOCS = Path(__file__).resolve().parent
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


def main() -> None:
    for name in ("CCGatewayLibrary.html", "CCGatewayLibrary.json"):
        libdoc("CCGatewayLibrary", str(DOCS / name), specdocformat="HTML" if name.endswith(".json") else None)
    OPENAPI.write_text(openapi_text(), encoding="utf-8")
    STATE_TABLE.write_text(state_table_text(), encoding="utf-8")


if __name__ == "__main__":
    main()
