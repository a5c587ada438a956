"""The interface catalogue: interfaces, retcodes and event schemas, loaded from the project's own data.

Facts live in data files, once: ``interfaces.json`` (what all routes share) and ``chapters/<chapter>.json`` (one
compact entry per route: method, path, field rules, result, events, retcodes, sources, and what older gateway
versions do differently), ``retcodes.json`` (what
each retcode means) and the JSON Schemas under ``schemas/`` (common definitions, envelopes, events). The
interfaces' request and response schemas are made from their entries (``build.py``). Keywords, the event
poller and the simulator all look interfaces up here instead of repeating paths or codes.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote

from referencing import Registry
from referencing.jsonschema import DRAFT202012

from ..errors import CatalogueError, RequestSchemaError, ResponseSchemaError
from .build import interface_schemas
from .gateway import SUCCESS
from .validation import SECRET_MARK, SchemaValidator, describe_all, inline_references

HERE = Path(__file__).resolve().parent
POLL_RESPONSE_SCHEMA = "urn:ccgw:schema:envelope:poll-response"
PUSH_BODY_SCHEMA = "urn:ccgw:schema:envelope:push-body"
# Documents (by schema and digest of their text) found valid, kept so the same document is not checked twice;
# emptied when full. A suite sends and receives a few hundred distinct ones.
KNOWN_VALID_LIMIT = 4096


def schema_dir() -> Path:
    """``CCGatewayLibrary/schemas`` in an installed wheel, the top-level ``schemas/`` in a checkout."""
    for candidate in (HERE.parent / "schemas", HERE.parents[1] / "schemas"):
        if (candidate / "common.schema.json").is_file():
            return candidate
    raise CatalogueError(f"JSON Schemas not found next to {HERE.parent}; reinstall the package.")


def _read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as stream:
        return json.load(stream)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are unique: ``json`` would silently keep only the last of two equal keys, and
    with it lose an interface whose id was reused."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise CatalogueError(f"the key '{key}' appears twice in one object; ids and field "
                                 "names must be unique (give a reused log name its own id and a log_name).")
        seen[key] = value
    return seen


def read_json_file(path: Path) -> Any:
    """A catalogue data file, refusing an object with a key given twice."""
    with path.open(encoding="utf-8") as stream:
        try:
            return json.load(stream, object_pairs_hook=_unique_keys)
        except CatalogueError as error:
            raise CatalogueError(f"{path.name}: {error}") from None


def read_interfaces(directory: Path | None = None) -> dict[str, Any]:
    """``interfaces.json`` with every chapter file of ``chapters/`` merged in: ``chapters`` (first path segment
    to chapter) and ``interfaces`` (entries by id). An id or path segment in two files is refused."""
    folder = directory or HERE
    data = read_json_file(folder / "interfaces.json")
    data["chapters"], data["interfaces"] = {}, {}
    found: dict[str, str] = {}
    for file in sorted((folder / "chapters").glob("*.json")):
        chapter = read_json_file(file)
        for key in ("chapters", "interfaces"):
            for name, value in chapter.get(key, {}).items():
                if name in data[key]:
                    raise CatalogueError(f"chapters/{file.name}: {key}.{name} is also in chapters/{found[name]}; "
                                         "an id or path segment belongs to one chapter file.")
                data[key][name], found[name] = value, file.name
    return data


ENTRY_KEYS = frozenset({"title", "method", "path", "log_name", "guid", "sets_guid", "events", "events_inferred",
                        "retcodes", "retcodes_inferred", "listed", "source", "request", "result", "examples",
                        "notes", "versions", "file"})
REQUEST_KEYS = frozenset({"path", "query", "query_required", "body", "body_required"})
VERSION_KEYS = frozenset({"method", "path", "log_name"})  # what a gateway version may change about a route


def path_segment(value: object) -> str:
    """``value`` quoted as one path segment; ``.`` and ``..`` too, which clients would otherwise resolve into
    another path (and send the agent's Guid there)."""
    text = quote(str(value), safe="")
    return text.replace(".", "%2E") if text.strip(".") == "" else text


@dataclass(frozen=True)
class Retcode:
    code: str
    meaning: str
    group: str
    tags: tuple[str, ...]
    source: tuple[str, ...]


@dataclass(frozen=True)
class Interface:
    name: str
    title: str
    method: str
    path: str
    guid_required: bool
    sets_guid: bool
    events: tuple[str, ...]
    retcodes: tuple[str, ...]
    source: tuple[str, ...]
    request_schema: dict[str, Any]
    response_schema: dict[str, Any]
    chapter: str = "agent"
    listed: bool = False  # only listed by the vendor: fields as far as documented
    common_retcodes: tuple[str, ...] = ()
    # The method name in the gateway's logs, for tags and log lines; the vendor reuses some, ``name`` is unique.
    log_name: str = ""
    # A download: success is the file itself with this Content-Type, only a failure is the JSON reply.
    file_type: str | None = None

    def __post_init__(self) -> None:
        if not self.log_name:
            object.__setattr__(self, "log_name", self.name)

    @property
    def possible_retcodes(self) -> tuple[str, ...]:
        """Every retcode the interface may answer: success, its own and the codes common to all interfaces."""
        return (SUCCESS, *self.retcodes, *(c for c in self.common_retcodes if c not in self.retcodes))

    @property
    def path_params(self) -> tuple[str, ...]:
        """The ``{placeholders}`` of the path, in order."""
        return tuple(re.findall(r"{(\w+)}", self.path))

    def url_path(self, path_params: Mapping[str, object]) -> str:
        """The path with its ``{placeholders}`` filled in and quoted."""
        try:
            return self.path.format(**{k: path_segment(v) for k, v in path_params.items()})
        except KeyError as missing:
            raise RequestSchemaError(f"{self.name} request is invalid: path.{missing.args[0]}: is required "
                                     "but missing") from None
        except (ValueError, IndexError):  # a path given to Send Raw Request with a stray brace
            raise RequestSchemaError(f"{self.name}: the path's braces do not name placeholders such as "
                                     "{agentid}") from None

    @property
    def has_body(self) -> bool:
        return self.request_schema["properties"]["body"].get("type") != "null"


class Catalogue:
    def __init__(self, schemas: Path | None = None, gateway_version: str | None = None) -> None:
        self.schema_path = schemas or schema_dir()
        data = read_interfaces()
        self.base_path: str = data["base_path"]
        versions = data["gateway_versions"]
        self.gateway_versions: tuple[str, ...] = tuple(versions["known"])
        self.gateway_version: str = self._known_version(gateway_version or versions["default"])
        common = data["common_retcodes"]
        # What a gateway answers when it does not accept the Guid a request carries.
        self.guid_refusals: frozenset[str] = frozenset(common["guid"])
        resources = {}
        for file in sorted(self.schema_path.rglob("*.schema.json")):
            if file.parent.name == "interfaces":  # generated from the chapter files, made afresh below
                continue
            schema = _read_json(file)
            resources[schema["$id"]] = schema
        entries: dict[str, dict[str, Any]] = data["interfaces"]
        self.chapters: dict[str, str] = data["chapters"]  # first path segment -> chapter of the reference
        for name, entry in entries.items():
            self._check_entry(name, entry)
        common_defs = frozenset(resources.get("urn:ccgw:schema:common", {}).get("$defs", {}))
        self._interface_files = interface_schemas(entries, common_defs)
        self._differences = {name: entry["versions"] for name, entry in entries.items() if "versions" in entry}
        resources.update((schema["$id"], schema) for schema in self._interface_files.values())
        self._schemas: dict[str, dict[str, Any]] = resources
        self.registry: Registry = Registry().with_resources(
            (uri, DRAFT202012.create_resource(schema)) for uri, schema in resources.items()
        )
        self.interfaces: dict[str, Interface] = {}
        routes: dict[tuple[str, str], str] = {}
        for name, entry in entries.items():
            route = {**entry, **entry.get("versions", {}).get(self.gateway_version, {})}
            interface = Interface(
                name=name,
                title=entry["title"],
                method=route["method"],
                path=self.base_path + route["path"],
                guid_required=entry.get("guid", "required") == "required",
                sets_guid=entry.get("sets_guid", False),
                events=tuple(entry.get("events", ())),
                retcodes=tuple(entry.get("retcodes", ())),
                source=tuple(entry["source"]),
                request_schema=self.schema(f"urn:ccgw:schema:interface:{name}:request"),
                response_schema=self.schema(f"urn:ccgw:schema:interface:{name}:response"),
                chapter=self.chapters[route["path"].split("/")[0]],
                listed=entry.get("listed", False),
                common_retcodes=tuple(common["any"] + (common["guid"] if entry.get("guid", "required") == "required"
                                                       else [])),
                log_name=route.get("log_name", name),
                file_type=entry.get("file"),
            )
            # aiohttp matches templates, not URLs: {agentid}/x and {agent}/x are one route.
            key = (interface.method, re.sub(r"{\w+}", "{}", interface.path))
            if key in routes:
                raise CatalogueError(f"catalogue entry {routes[key]} and {name} are both {interface.method} "
                                     f"{interface.path} on gateway version {self.gateway_version}; each route "
                                     "needs exactly one id.")
            routes[key] = name
            self.interfaces[name] = interface
        self.retcodes: dict[str, Retcode] = {
            code: Retcode(code, entry["meaning"], entry["group"], tuple(entry.get("tags", ())), tuple(entry["source"]))
            for code, entry in _read_json(HERE / "retcodes.json")["retcodes"].items()
        }
        self._validators: dict[str, Any] = {}
        self._known_valid: set[tuple[str, bytes]] = set()

    def _known_version(self, version: str) -> str:
        if version not in self.gateway_versions:
            raise CatalogueError(f"gateway_version '{version}' is not a known gateway version; use one of "
                                 f"{', '.join(self.gateway_versions)} (gateway_versions in interfaces.json).")
        return version

    def _check_entry(self, name: str, entry: dict[str, Any]) -> None:
        """Refuses keys the catalogue does not know, which would otherwise be ignored without a word."""
        for where, given, allowed in (
                (name, entry, ENTRY_KEYS), (f"{name}.request", entry.get("request", {}), REQUEST_KEYS),
                *((f"{name}.versions.{version}", change, VERSION_KEYS)
                  for version, change in entry.get("versions", {}).items())):
            unknown = sorted(set(given) - allowed)
            if unknown:
                raise CatalogueError(f"catalogue entry {where}: unknown key(s) {', '.join(unknown)}; allowed: "
                                     f"{', '.join(sorted(allowed))}.")
        for version in entry.get("versions", {}):
            if version not in self.gateway_versions:
                raise CatalogueError(f"catalogue entry {name}.versions: '{version}' is not a known gateway "
                                     f"version; use one of {', '.join(self.gateway_versions)} or add it to "
                                     "gateway_versions.")
        paths = {name: entry["path"], **{f"{name}.versions.{version}": change["path"]
                                         for version, change in entry.get("versions", {}).items() if "path" in change}}
        for where, path in paths.items():
            if path.split("/")[0] not in self.chapters:
                raise CatalogueError(f"catalogue entry {where}.path: '{path}' must be relative to the base path and "
                                     f"start with one of {', '.join(self.chapters)} (the keys of chapters).")

    def version_differences(self, name: str) -> dict[str, dict[str, str]]:
        """What each other gateway version routes differently for interface ``name`` (method, path relative to
        the base path, log name), by version; empty when all versions agree."""
        return {version: dict(change) for version, change in self._differences.get(name, {}).items()}

    def interface_schema_files(self) -> dict[str, dict[str, Any]]:
        """The interfaces' request and response schemas, by their file name under ``schemas/interfaces/``."""
        return dict(self._interface_files)

    @cached_property
    def event_names(self) -> tuple[str, ...]:
        prefix = "urn:ccgw:schema:event:"
        return tuple(sorted(uri[len(prefix):] for uri in self._schemas if uri.startswith(prefix)))

    def schemas(self) -> list[tuple[str, dict[str, Any]]]:
        """Every schema the catalogue holds, by ``$id``."""
        return list(self._schemas.items())

    def schema(self, uri: str) -> dict[str, Any]:
        try:
            return self._schemas[uri]
        except KeyError:
            raise CatalogueError(f"No schema with id '{uri}' under {self.schema_path}.") from None

    def interface(self, name: str) -> Interface:
        try:
            return self.interfaces[name]
        except KeyError:
            close = difflib.get_close_matches(name, self.interfaces, n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise CatalogueError(f"Unknown interface '{name}'.{hint} Known: {', '.join(sorted(self.interfaces))}.") \
                from None

    def ad_hoc(self, method: str, path: str) -> Interface:
        """An interface the catalogue does not know, for sending raw requests: ``path`` is absolute or relative to
        the base path, and the agent's Guid goes with it."""
        full = path if path.startswith("/") else self.base_path + path
        nothing: dict[str, Any] = {"properties": {"body": {}}}
        return Interface(name=f"{method} {full}", title="not in the catalogue", method=method, path=full,
                         guid_required=True, sets_guid=False, events=(), retcodes=(), source=(),
                         request_schema=nothing, response_schema=nothing, chapter="", listed=False)

    def check_event_name(self, name: str) -> str:
        if name not in self.event_names:
            close = difflib.get_close_matches(name, self.event_names, n=3, cutoff=0.85)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise CatalogueError(f"Unknown event '{name}'.{hint}")
        return name

    def event_fields(self, name: str) -> frozenset[str] | None:
        """Field names a filter on event ``name`` may use (top-level fields, content fields, ``callid`` for a
        bare call-ID content), or None when the vendor documents the content too loosely to say."""
        schema = self.schema(f"urn:ccgw:schema:event:{name}")
        form = schema.get("x-content-form")
        top = {key for key in schema.get("properties", {}) if key != "content"} | {"content"}
        if form == "object":
            return frozenset(top | set(schema["properties"]["content"].get("properties", {})))
        if form == "string":
            return frozenset(top | {"callid"})
        if form == "null":
            return frozenset(top)
        return None

    def tagged(self, tag: str) -> frozenset[str]:
        """The retcodes that carry ``tag`` in retcodes.json (``session-ended``, ``bad-parameter``, ...)."""
        return frozenset(code for code, entry in self.retcodes.items() if tag in entry.tags)

    @cached_property
    def session_ended(self) -> frozenset[str]:
        """Retcodes after which the agent must sign in again (tag ``session-ended``): polling and heartbeats stop."""
        return self.tagged("session-ended")

    def meaning(self, retcode: str) -> str:
        entry = self.retcodes.get(retcode)
        return entry.meaning if entry else "not in the retcode table"

    def describe_retcode(self, retcode: str) -> str:
        return f"{retcode} ({self.meaning(retcode)})"

    def validator(self, uri: str) -> Any:
        if uri not in self._validators:
            resolver = self.registry.resolver(base_uri=uri)
            self._validators[uri] = SchemaValidator(inline_references(self.schema(uri), resolver),
                                                    registry=self.registry)
        return self._validators[uri]

    def problems(self, uri: str, document: object, text: str | None = None) -> str | None:
        """None when the document matches the schema, else a readable description.

        ``text``, the document as written, lets a document found valid before skip the check: a getter that
        waits for its assertion reads the same reply again and again, and checking it costs more than the rest of
        the keyword's own work. Only a digest of the text is kept, never the text (it may hold secrets)."""
        key = (uri, hashlib.blake2b(text.encode(), digest_size=16).digest()) if text is not None else None
        if key is not None and key in self._known_valid:
            return None
        try:
            errors = list(self.validator(uri).iter_errors(document))
        except RecursionError:
            return "(whole document): nested too deeply to check"
        if errors:
            return describe_all(errors)
        if key is not None:
            if len(self._known_valid) >= KNOWN_VALID_LIMIT:
                self._known_valid.clear()
            self._known_valid.add(key)
        return None

    @cached_property
    def secret_fields(self) -> frozenset[str]:
        """Names of the fields that some schema marks ``x-secret``: their values never reach a log."""
        names: set[str] = set()

        def visit(node: object) -> None:
            if isinstance(node, dict):
                for name, sub in (node.get("properties") or {}).items():
                    if isinstance(sub, dict) and sub.get(SECRET_MARK):
                        names.add(name.lower())
                for value in node.values():
                    visit(value)
            elif isinstance(node, list):
                for value in node:
                    visit(value)

        visit(list(self._schemas.values()))
        return frozenset(names)

    def check_request(self, interface: Interface, request: dict[str, Any]) -> None:
        # Only a request without a body is remembered: a query's path and query parameters are short to write
        # out, and the same query is what a getter sends while its assertion waits.
        text = None
        if isinstance(request, dict) and request.get("body") is None:
            with contextlib.suppress(TypeError, ValueError):  # not JSON at all: checked (and refused), no memo
                text = json.dumps(request, sort_keys=True)
        problems = self.problems(interface.request_schema["$id"], request, text)
        if problems:
            raise RequestSchemaError(f"{interface.name} request is invalid, not sent: {problems}")

    def check_response(self, interface: Interface, reply: object, text: str | None = None) -> None:
        """Fails unless ``reply`` matches the interface's response schema; ``text``, the reply as the gateway wrote
        it, lets a reply seen before skip the check (see `problems`)."""
        problems = self.problems(interface.response_schema["$id"], reply, text)
        if problems:
            raise ResponseSchemaError(f"{interface.name} reply does not match its schema: {problems}")

    def event_problems(self, event: dict[str, Any]) -> str | None:
        name = event.get("eventType")
        if name not in self.event_names:
            return f"unknown event type {name!r}"
        return self.problems(f"urn:ccgw:schema:event:{name}", event)


@cache
def _catalogue(gateway_version: str | None) -> Catalogue:
    return Catalogue(gateway_version=gateway_version)


def load_catalogue(gateway_version: str | None = None) -> Catalogue:
    """The catalogue as gateway version ``gateway_version`` (default: the current reference) routes it, read once
    per process and version."""
    default = _catalogue(None)
    if gateway_version is None or gateway_version == default.gateway_version:
        return default
    return _catalogue(gateway_version)
