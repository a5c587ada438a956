#!/usr/bin/env python3
"""Writes the keyword documentation: docs/CCGatewayLibrary.html (libdoc) and its JSON spec for IDEs."""

from pathlib import Path

from robot.libdoc import libdoc

DOCS = Path(__file__).resolve().parent


def main() -> None:
    for name in ("CCGatewayLibrary.html", "CCGatewayLibrary.json"):
        libdoc("CCGatewayLibrary", str(DOCS / name), specdocformat="HTML" if name.endswith(".json") else None)


if __name__ == "__main__":
    main()
