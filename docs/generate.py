#!/usr/bin/env python3
"""Writes the generated documentation: docs/CCGatewayLibrary.html (libdoc), its JSON spec for IDEs, and the
gateway's OpenAPI 3.1 document docs/ccgateway-openapi.json, made from the interface catalogue."""

import json
from pathlib import Path

from robot.libdoc import libdoc

from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.catalogue.openapi import build_openapi

DOCS = Path(__file__).resolve().parent
OPENAPI = DOCS / "ccgateway-openapi.json"


def openapi_text() -> str:
    return json.dumps(build_openapi(load_catalogue()), indent=1, ensure_ascii=False) + "\n"


def main() -> None:
    for name in ("CCGatewayLibrary.html", "CCGatewayLibrary.json"):
        libdoc("CCGatewayLibrary", str(DOCS / name), specdocformat="HTML" if name.endswith(".json") else None)
    OPENAPI.write_text(openapi_text(), encoding="utf-8")


if __name__ == "__main__":
    main()
