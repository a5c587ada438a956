"""Request and response schemas of the interfaces, made from their compact entries in ``chapters/*.json``.

An entry names only what sets the interface apart: the rules of its fields besides the usual path placeholders,
the shape of its result when that is not the reserved field, and its documented examples. Everything else (the
request's three parts, the body-less request, the reply envelope) is the same for every interface and is
written here once. The catalogue builds the schemas in memory when it loads; ``python -m
CCGatewayLibrary.catalogue.build`` also writes them to ``schemas/interfaces/`` for readers of the design card
(``--check`` only reports whether those files are stale; a unit test runs it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from ..errors import CatalogueError

DRAFT = "https://json-schema.org/draft/2020-12/schema"
COMMON = "urn:ccgw:schema:common"
NO_BODY: dict[str, Any] = {"type": "null", "x-rule": "this interface takes no message body"}
RESERVED_RESULT: dict[str, Any] = {"$ref": f"{COMMON}#/$defs/reserved"}
# What the API pages show for an interface whose result is the reserved field.
SUCCESS_REPLY: dict[str, Any] = {"form": "reply", "value": {"result": {}, "message": "success", "retcode": "0"}}
GENERATED_NOTE = ("Generated from its entry in CCGatewayLibrary/catalogue/chapters/ by "
                  "'python -m CCGatewayLibrary.catalogue.build'; edit the entry there, not this file.")


def placeholders(path: str) -> list[str]:
    """The ``{placeholders}`` of a path, in order."""
    return re.findall(r"{(\w+)}", path)


def _examples(entry: dict[str, Any], form: str) -> list[dict[str, Any]]:
    if "examples" in entry:
        return [example for example in entry["examples"] if example["form"] == form]
    # A download's success is the file, not a reply.
    return [SUCCESS_REPLY] if form == "reply" and "result" not in entry and "file" not in entry else []


def request_schema(name: str, entry: dict[str, Any], common_defs: set[str] | frozenset[str]) -> dict[str, Any]:
    """The schema of what a client sends to interface ``name``: path parameters, query parameters, body."""
    fields = entry.get("request", {})
    given_path = fields.get("path", {})
    path_properties: dict[str, Any] = {}
    for placeholder in placeholders(entry["path"]):
        if placeholder in given_path:
            path_properties[placeholder] = given_path[placeholder]
        elif placeholder in common_defs:
            path_properties[placeholder] = {"$ref": f"{COMMON}#/$defs/{placeholder}"}
        else:
            raise CatalogueError(f"catalogue entry {name}.request.path.{placeholder}: the path placeholder "
                                 f"{{{placeholder}}} has no rule; give one there or define '{placeholder}' in "
                                 "schemas/common.schema.json $defs.")
    stray = sorted(set(given_path) - set(path_properties))
    if stray:
        raise CatalogueError(f"catalogue entry {name}.request.path: {', '.join(stray)} not a placeholder of the "
                             f"path '{entry['path']}'; remove it or add the placeholder to the path.")
    body = NO_BODY
    if "body" in fields:
        body = {"type": "object", "required": fields.get("body_required", []), "properties": fields["body"],
                "additionalProperties": False}
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": f"urn:ccgw:schema:interface:{name}:request",
        "$comment": GENERATED_NOTE,
        "title": f"{name} request",
        "description": f"What a client sends to {name} ({entry['title'][:1].lower()}{entry['title'][1:]}): "
                       "path parameters, query parameters and message body.",
        "x-source": entry["source"],
        "type": "object",
        "required": ["path"],
        "properties": {
            "path": {"type": "object", "required": list(path_properties), "properties": path_properties,
                     "additionalProperties": False},
            "query": {"type": "object", "required": fields.get("query_required", []),
                      "properties": fields.get("query", {}), "additionalProperties": False},
            "body": body,
        },
        "additionalProperties": False,
    }
    examples = _examples(entry, "body")
    if examples:
        schema["x-examples"] = examples
    return schema


def response_schema(name: str, entry: dict[str, Any]) -> dict[str, Any]:
    """The schema of interface ``name``'s reply: the common envelope and the shape of its ``result``."""
    return {
        "$schema": DRAFT,
        "$id": f"urn:ccgw:schema:interface:{name}:response",
        "$comment": GENERATED_NOTE,
        "title": f"{name} response",
        "description": f"Reply of {name}. Every documented variant is accepted; unknown extra fields are allowed."
                       + (f" Success is the file itself ({entry['file']}); this is the reply of a failure."
                          if "file" in entry else ""),
        "x-source": entry["source"],
        "allOf": [{"$ref": f"{COMMON}#/$defs/reply"}],
        "properties": {"result": entry.get("result", RESERVED_RESULT)},
        "x-examples": _examples(entry, "reply"),
    }


def interface_schemas(interfaces: dict[str, dict[str, Any]],
                      common_defs: set[str] | frozenset[str]) -> dict[str, dict[str, Any]]:
    """Every interface's request and response schema, by file name under ``schemas/interfaces/``."""
    schemas: dict[str, dict[str, Any]] = {}
    for name, entry in interfaces.items():
        schemas[f"{name}.request.schema.json"] = request_schema(name, entry, common_defs)
        schemas[f"{name}.response.schema.json"] = response_schema(name, entry)
    return schemas


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def stale_files(target: Path, wanted: dict[str, str]) -> list[str]:
    """Files under ``target`` that differ from ``wanted``, are missing, or should not be there."""
    present = {path.name for path in target.glob("*.schema.json")}
    differing = [name for name, text in wanted.items()
                 if name not in present or (target / name).read_text(encoding="utf-8") != text]
    return sorted(differing + sorted(present - set(wanted)))


def main(argv: list[str] | None = None) -> int:
    from . import load_catalogue  # the catalogue module imports this one

    parser = argparse.ArgumentParser(prog="python -m CCGatewayLibrary.catalogue.build", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale files; exit 1 when there are any")
    options = parser.parse_args(argv)
    catalogue = load_catalogue()
    target = catalogue.schema_path / "interfaces"
    wanted = {name: schema_text(schema) for name, schema in catalogue.interface_schema_files().items()}
    stale = stale_files(target, wanted)
    if options.check:
        if stale:
            more = f" and {len(stale) - 5} more" if len(stale) > 5 else ""
            print(f"{len(stale)} stale file(s) under {target}: {', '.join(stale[:5])}{more}; run "
                  "'python -m CCGatewayLibrary.catalogue.build'.", file=sys.stderr)
        return 1 if stale else 0
    target.mkdir(exist_ok=True)
    for name in stale:
        if name in wanted:
            (target / name).write_text(wanted[name], encoding="utf-8")
        else:
            (target / name).unlink()
    print(f"{len(stale)} file(s) written or removed under {target}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
