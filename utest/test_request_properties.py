"""Property-based tests of the request schemas, derived from the catalogue rather than written per interface.

For every interface and every rule of its request schema (``$ref``s into ``common.schema.json`` resolved), invalid
requests are generated and must be refused before anything is sent, with a message that names the interface, the
field and the rule (for an array: too few or too many items, or one bad item among valid ones). Values of
``"x-secret"`` fields must never appear in a refusal, and valid requests must reach the session exactly as given,
path placeholders included. ``Send Raw Request`` must still send what the keywords refuse. Two consistency
properties go with them: a number field accepts ``n`` exactly when it accepts ``str(n)``, and the library reads
``pattern`` with ECMA-262's meaning.

The test oracles are independent of the library: JSON types and equality, string lengths and ECMA-262 patterns
are judged here (``satisfies``), not by ``CCGatewayLibrary.catalogue.validation``.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from hypothesis.database import InMemoryExampleDatabase

from CCGatewayLibrary.catalogue import Interface, load_catalogue
from CCGatewayLibrary.catalogue.validation import SchemaValidator
from CCGatewayLibrary.context import LibraryContext, Settings
from CCGatewayLibrary.errors import RequestSchemaError
from CCGatewayLibrary.keywords.raw import RawKeywords
from CCGatewayLibrary.transport import Exchange

CATALOGUE = load_catalogue()
Node = dict[str, Any]
Chain = tuple[tuple[Node, Node], ...]  # (schema node, the document it lives in), following $ref
Location = tuple[str | int, ...]  # names of members; an int is an array item (ITEM: any item, the first in fixed uses)
ITEM = 0

EXAMPLES: Counter[str] = Counter()  # hypothesis examples run, per property
DERIVED: Counter[str] = Counter()  # values checked in a loop inside one example
RULES_SENT_THROUGH_CALL: set[str] = set()  # rules with at least one example refused by RequestPipeline.call


# In memory: nothing is written under .hypothesis/examples. Not database=None: hypothesis's pytest plugin wraps
# the settings of a parametrized test once more for every case it runs, and with None each case looks the
# database up through all earlier wrappings (time grows with the square of the cases, and past some 950 cases
# of one test, RecursionError; hypothesis 6.170).
MEMORY = InMemoryExampleDatabase()


def _settings(examples: int) -> settings:
    # Failures still shrink to a minimal example, but skip the slow "explain" phase so that the whole file stays
    # fast even with failures.
    return settings(max_examples=examples, deadline=None, database=MEMORY, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink])


# Schema keywords the rule walker turns into rules, and the ones that only annotate. A request schema using any
# other keyword fails test_walker_understands_every_keyword, so "every rule is covered" stays true.
RULE_KEYWORDS = frozenset({"type", "enum", "minLength", "maxLength", "pattern", "minimum", "maximum",
                           "exclusiveMinimum", "exclusiveMaximum", "required", "additionalProperties",
                           "minItems", "maxItems", "items"})  # items: the item schema's rules, for every item
STRUCTURE_KEYWORDS = frozenset({"properties", "$ref"})
ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description", "x-rule", "x-secret", "x-source",
                         "x-examples", "$comment"})

# -------------------------------------------------------------------------------- independent oracles

JSON_TYPES = ("string", "integer", "number", "boolean", "null", "array", "object")


def json_types(value: object) -> set[str]:
    """The JSON Schema types ``value`` belongs to (1.0 is an integer, True is not)."""
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int):
        return {"integer", "number"}
    if isinstance(value, float):
        return {"integer", "number"} if value.is_integer() else {"number"}
    if isinstance(value, str):
        return {"string"}
    if value is None:
        return {"null"}
    if isinstance(value, list):
        return {"array"}
    if isinstance(value, dict):
        return {"object"}
    return set()


def json_equal(a: object, b: object) -> bool:
    """JSON Schema equality (``enum``): 4 == 4.0, but True != 1 and "4" != 4."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


# ECMA-262 \s: WhiteSpace and LineTerminator. Python's \s differs (it has \x1c-\x1f and \x85, lacks \ufeff).
ECMA_SPACE = "\t\n\x0b\x0c\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
ECMA_ESCAPES = set("dDwWbBtnrfv0\\/^$.*+?()[]{}|-")


def _translate(regex: str) -> str:
    """ECMA-262 regex text as Python regex text with the same meaning (the subset schemas plausibly use)."""
    out: list[str] = []
    in_class, index = False, 0
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            escape = regex[index + 1]
            if escape in "sS":
                assert not (in_class and escape == "S"), f"{regex!r}: [\\S] is not understood; extend _translate"
                out.append(ECMA_SPACE if in_class else f"[{'^' if escape == 'S' else ''}{ECMA_SPACE}]")
            elif escape in "ux":
                width = 4 if escape == "u" else 2
                out.append(regex[index:index + 2 + width])
                index += width
            else:
                assert escape in ECMA_ESCAPES, f"{regex!r}: escape \\{escape} is not understood; extend _translate"
                out.append(regex[index:index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
        elif char == "[":
            assert regex[index + 1:index + 2] != "]" and regex[index + 1:index + 3] != "^]", f"{regex!r}: empty class"
            in_class = True
            out.append(char)
        elif char == "(" and regex[index + 1:index + 2] == "?":
            assert regex[index + 2:index + 3] in (":", "=", "!"), f"{regex!r}: group kind not understood"
            out.append(char)
        elif char == "$":
            out.append(r"\Z")  # ECMA $ matches only at the very end, never before a final newline
        elif char == ".":
            out.append("[^\n\r\u2028\u2029]")
        else:
            out.append(char)
        index += 1
    return "".join(out)


def _top_level_alternation(regex: str) -> bool:
    depth, in_class, escaped = 0, False, False
    for char in regex:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


def _anchored(pattern: str) -> bool:
    """``^X$`` with X free of top-level ``|``: the pattern matches exactly the strings X matches whole."""
    inner = pattern[1:-1]
    return (pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$")
            and not _top_level_alternation(inner) and "^" not in inner.replace("[^", "").replace("\\^", "")
            and "$" not in inner.replace("\\$", ""))


@cache
def ecma_oracle(pattern: str) -> re.Pattern[str]:
    """Python twin of an ECMA-262 pattern; for ``^X$`` patterns it is X alone, used with fullmatch."""
    body = _translate(pattern[1:-1] if _anchored(pattern) else pattern)
    return re.compile(body, re.ASCII)  # ECMA \d and \w are ASCII-only


def ecma_matches(pattern: str, text: str) -> bool:
    """JSON Schema ``pattern``: an ECMA-262 search, not anchored unless the pattern says so."""
    oracle = ecma_oracle(pattern)
    return (oracle.fullmatch(text) if _anchored(pattern) else oracle.search(text)) is not None


# -------------------------------------------------------------------------------- walking the schemas


def deref(node: Node, document: Node) -> Chain:
    """``node`` and every schema its ``$ref`` chain points to; JSON Schema 2020-12 applies all of them."""
    chain = [(node, document)]
    while "$ref" in node:
        uri, _, pointer = node["$ref"].partition("#")
        document = CATALOGUE.schema(uri) if uri else document
        node = document
        for part in filter(None, pointer.split("/")):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        chain.append((node, document))
    return tuple(chain)


@dataclass(eq=False, repr=False)
class Field:
    """A place in a request that a schema constrains: the whole request, a section or a field in one."""

    interface: Interface
    location: Location
    chain: Chain

    def __repr__(self) -> str:
        return f"Field({self.interface.name}: {self.label})"

    @property
    def dotted(self) -> str:
        """As refusals name it: ``body.agentIds[0]`` for the first item."""
        return dotted(self.location)

    @property
    def label(self) -> str:
        """As rule ids name it: ``body.agentIds[]`` for any item."""
        return dotted(self.location, any_item=True)

    def holder(self, keyword: str) -> Node | None:
        return next((node for node, _ in self.chain if keyword in node), None)

    def get(self, keyword: str, default: Any = None) -> Any:
        node = self.holder(keyword)
        return default if node is None else node[keyword]

    @property
    def types(self) -> tuple[str, ...]:
        declared = self.get("type")
        if declared is None:
            return tuple(JSON_TYPES)
        return (declared,) if isinstance(declared, str) else tuple(declared)

    @property
    def secret(self) -> bool:
        return any(node.get("x-secret") for node, _ in self.chain)

    @property
    def required_names(self) -> list[str]:
        return [name for node, _ in self.chain for name in node.get("required", [])]

    @property
    def is_object(self) -> bool:
        return self.get("properties") is not None

    def children(self) -> list[Field]:
        return [Field(self.interface, (*self.location, name), deref(sub, document))
                for node, document in self.chain for name, sub in node.get("properties", {}).items()]

    @cached_property
    def item(self) -> Field | None:
        """An array's items, as the field of its first item (their rules hold for every item)."""
        schemas = [(node["items"], document) for node, document in self.chain if "items" in node]
        chain = tuple(link for items, document in schemas for link in deref(items, document))
        assert all(isinstance(node, dict) for node, _ in chain), f"{self.dotted}: boolean items schemas not understood"
        return Field(self.interface, (*self.location, ITEM), chain) if chain else None


def dotted(location: Location, any_item: bool = False) -> str:
    """Field names as the library writes them: ``body.agentIds[3]``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += "[]" if any_item else f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(whole document)"


def root_field(interface: Interface) -> Field:
    schema = interface.request_schema
    return Field(interface, (), deref(schema, schema))


def walk(field: Field) -> Iterator[Field]:
    yield field
    for child in field.children():
        yield from walk(child)
    if field.item is not None:
        yield from walk(field.item)


def satisfies(field: Field, keyword: str, value: object) -> bool:
    """Whether ``value`` keeps the field's ``keyword`` (the test's own reading of JSON Schema 2020-12)."""
    rule = field.get(keyword)
    if rule is None:
        return True
    text = value if isinstance(value, str) else None
    number = value if "number" in json_types(value) else None
    items = value if isinstance(value, list) else None
    item = field.item
    checks: dict[str, Callable[[], bool]] = {
        "type": lambda: bool(json_types(value) & set(field.types)),
        "enum": lambda: any(json_equal(value, member) for member in rule),
        "minLength": lambda: text is None or len(text) >= rule,
        "maxLength": lambda: text is None or len(text) <= rule,
        "pattern": lambda: text is None or ecma_matches(rule, text),
        "minimum": lambda: number is None or number >= rule,
        "maximum": lambda: number is None or number <= rule,
        "exclusiveMinimum": lambda: number is None or number > rule,
        "exclusiveMaximum": lambda: number is None or number < rule,
        "minItems": lambda: items is None or len(items) >= rule,
        "maxItems": lambda: items is None or len(items) <= rule,
        "items": lambda: items is None or item is None or all(accepts(item, member) for member in items),
    }
    return checks[keyword]()


LEAF_KEYWORDS = ("type", "enum", "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
                 "exclusiveMaximum", "minItems", "maxItems", "items")


def accepts(field: Field, value: object) -> bool:
    return all(satisfies(field, keyword, value) for keyword in LEAF_KEYWORDS)


def is_blank_id(field: Field) -> bool:
    """An ID field that refuses the empty string: a blank (whitespace-only) ID must be refused as well."""
    name = field.location[-1] if field.location else None
    return (not field.is_object and isinstance(name, str) and name.lower().endswith("id")
            and "string" in field.types and not accepts(field, ""))


# -------------------------------------------------------------------------------- request editing


def put(request: Any, location: Location, value: object) -> Any:
    """``request`` with ``value`` at ``location`` (an item index one past the end appends)."""
    if not location:
        return value
    result = copy.deepcopy(request)
    parent = result
    for part in location[:-1]:
        parent = parent[part]
    if isinstance(parent, list) and location[-1] == len(parent):
        parent.append(value)
    else:
        parent[location[-1]] = value
    return result


def some_item(request: Any, location: Location, seed: int) -> Location:
    """``location`` with each item index replaced by one of the items there (or the first free place)."""
    concrete: list[str | int] = []
    node = request
    for part in location:
        if isinstance(part, int):
            part = seed % len(node) if node else 0
        concrete.append(part)
        node = node[part] if isinstance(node, dict) or part < len(node) else None
    return tuple(concrete)


def without(request: Any, location: Location) -> Any:
    result = copy.deepcopy(request)
    parent = result
    for part in location[:-1]:
        parent = parent[part]
    del parent[location[-1]]
    return result


# -------------------------------------------------------------------------------- strategies: valid values

UNICODE = st.characters(codec="utf-8")  # every code point JSON can carry, control characters included
SIMPLE_CLASS = re.compile(r"\^\[((?:\\.|[^\]\\])+)\]([*+])\$")


def repeat_to(chunk: Sequence, size: int) -> Any:
    """``chunk`` (a text or a list) repeated and cut to ``size``; a list's items are copies, so a rule broken in one
    object item does not break the others that repeat it."""
    repeated = (chunk * (size // len(chunk) + 1))[:size]
    return repeated if isinstance(repeated, str) else [copy.deepcopy(item) for item in repeated]


def class_alphabet(pattern: str | None) -> tuple[st.SearchStrategy[str], int] | None:
    """For ``^[class]*$`` / ``^[class]+$``: the characters of the class and the minimum length."""
    match = SIMPLE_CLASS.fullmatch(pattern or "")
    if not match:
        return None
    return st.from_regex(f"[{match.group(1)}]", fullmatch=True), 1 if match.group(2) == "+" else 0


def sized_text(alphabet: st.SearchStrategy[str], low: int, high: int | None) -> st.SearchStrategy[str]:
    """Short texts, and texts of exactly the maximum length (built by repetition, so 16 KB stays cheap)."""
    cap = low + 24 if high is None else min(high, low + 24)
    short = st.text(alphabet, min_size=low, max_size=cap)
    if high is None or high <= cap:
        return short
    return st.one_of(short, st.text(alphabet, min_size=1, max_size=8).map(lambda chunk: repeat_to(chunk, high)))


def sized_list(items: st.SearchStrategy[Any], low: int, high: int | None) -> st.SearchStrategy[list[Any]]:
    """Short lists, and lists of exactly the maximum length (built by repetition, so 100 items stay cheap)."""
    cap = low + 6 if high is None else min(high, low + 6)
    short = st.lists(items, min_size=low, max_size=cap)
    if high is None or high <= cap:
        return short
    return st.one_of(short, st.lists(items, min_size=1, max_size=8).map(lambda chunk: repeat_to(chunk, high)))


def valid_strings(field: Field) -> st.SearchStrategy[str]:
    low, high, pattern = field.get("minLength", 0), field.get("maxLength"), field.get("pattern")
    if pattern is None:
        return sized_text(UNICODE, low, high)
    simple = class_alphabet(pattern)
    if simple is not None:
        alphabet, plus = simple
        return sized_text(alphabet, max(low, plus), high)
    return st.from_regex(ecma_oracle(pattern), fullmatch=_anchored(pattern)).filter(
        lambda s: low <= len(s) <= (high if high is not None else len(s)) and ecma_matches(pattern, s))


def valid_value(field: Field, everything: bool = False) -> st.SearchStrategy[Any]:
    """Values the field accepts; for objects, required members always and optional ones sometimes
    (``everything``: all of them at every level, so a request has path, query and body, and a rule about an
    optional field, or an item of an optional array, has its place in the request)."""
    enum = field.get("enum")
    if enum is not None:
        return st.sampled_from(enum).filter(lambda v: accepts(field, v))
    options: list[st.SearchStrategy[Any]] = []
    for kind in field.types:
        if kind == "object":
            assert field.get("additionalProperties") is False, f"{field.dotted}: open objects are not generated"
            required = set(field.required_names)
            children = field.children()
            options.append(st.fixed_dictionaries(
                {c.location[-1]: valid_value(c, everything) for c in children
                 if everything or c.location[-1] in required},
                optional={c.location[-1]: valid_value(c) for c in children
                          if not everything and c.location[-1] not in required}))
        elif kind == "null":
            options.append(st.none())
        elif kind == "string":
            options.append(valid_strings(field))
        elif kind == "integer":
            options.append(st.integers(min_value=field.get("minimum"), max_value=field.get("maximum")))
        elif kind == "boolean":
            options.append(st.booleans())
        elif kind == "array":
            assert field.item is not None, f"{field.dotted}: arrays without an items schema are not generated"
            # everything: at least one item, with all its members, so a rule inside an item has its place
            low = max(field.get("minItems", 0), 1 if everything else 0)
            options.append(sized_list(valid_value(field.item, everything), low, field.get("maxItems")))
        else:
            raise AssertionError(f"{field.dotted}: generating valid {kind} values is not implemented")
    strategy = st.one_of(options)
    return strategy if "object" in field.types else strategy.filter(lambda v: accepts(field, v))


@cache
def valid_request(interface_name: str, complete: bool = True) -> st.SearchStrategy[Any]:
    """Valid requests; ``complete`` ones have path, query and body, as RequestPipeline.call builds them."""
    return valid_value(root_field(CATALOGUE.interface(interface_name)), everything=complete)


# -------------------------------------------------------------------------------- strategies: invalid values

# Look-alike digits: Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, Thai, Myanmar, fullwidth, math bold.
LOOKALIKE_ZEROS = (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1040, 0xFF10, 0x1D7CE)
# Control and invisible characters, trailing newlines first: "101\n" must not pass ^...$.
CONTROL = ("\n", "\r\n", "\x00", "\r", "\t", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", " ",
           "\u00a0", "\u200b", "\ufeff")
# ECMA-262 white space and line terminators: what a schema's "\\S" pattern calls blank (\x85 is not among them).
BLANKS = " \t\n\r\x0b\x0c\u00a0\u1680\u2003\u2028\u2029\u202f\u3000"


def lookalike(text: str, zero: int, only: int | None = None) -> str:
    """``text`` with its ASCII digits (or only the ``only``-th one) written in another script."""
    out, seen = [], 0
    for char in text:
        if "0" <= char <= "9" and (only is None or seen == only % max(1, sum("0" <= c <= "9" for c in text))):
            out.append(chr(zero + int(char)))
        else:
            out.append(char)
        seen += "0" <= char <= "9"
    return "".join(out)


SAMPLES: dict[str, st.SearchStrategy[Any]] = {
    "string": st.one_of(st.sampled_from(["", "101", "true", "4", "null", " ", "\n"]), st.text(max_size=8)),
    "integer": st.one_of(st.sampled_from([0, 1, 4, 101, -1, 2**63]), st.integers()),
    "number": st.one_of(st.sampled_from([0.5, 101.5, -0.25, 1e-9]),
                        st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer())),
    "boolean": st.booleans(),
    "null": st.none(),
    "array": st.lists(st.sampled_from(["101", 101, None]), max_size=3),
    "object": st.dictionaries(st.sampled_from(["agentid", "callid", "x"]), st.sampled_from(["101", 1]), max_size=2),
}
JSON_SCALARS = st.one_of(SAMPLES["string"], SAMPLES["integer"], SAMPLES["number"], SAMPLES["boolean"], st.none())


def type_breakers(field: Field) -> st.SearchStrategy[Any]:
    allowed = set(field.types)
    kinds = [kind for kind in JSON_TYPES
             if kind not in allowed and not (kind == "integer" and "number" in allowed)]
    return st.one_of([SAMPLES[kind] for kind in kinds]).filter(lambda v: not satisfies(field, "type", v))


def enum_breakers(field: Field) -> st.SearchStrategy[Any]:
    near: list[Any] = [None, [], {}, ""]
    for member in field.get("enum"):
        text = member if isinstance(member, str) else json.dumps(member)
        near += [text, f" {text}", f"{text} ", f"{text}\n", f"{text}\r\n", f"{text}\x00", text.upper(),
                 text.capitalize(), f"0{text}", lookalike(text, LOOKALIKE_ZEROS[0]), [member]]
        if isinstance(member, bool):
            near += [int(member), float(member), str(member)]
        elif isinstance(member, int):
            near += [member + 0.5, -member, member + 1, member + 100, f"{member}.0", True, False]
        elif text.lstrip("-").isdigit():
            near += [int(text) + 1, float(text) + 0.5]
    return st.one_of(st.sampled_from(near), JSON_SCALARS).filter(lambda v: not satisfies(field, "enum", v))


def pattern_breakers(field: Field) -> st.SearchStrategy[str]:
    pattern = field.get("pattern")
    if not _anchored(pattern):  # such as \S ("not blank"): only blank text breaks it
        return st.text(BLANKS, min_size=1, max_size=4).filter(lambda s: not ecma_matches(pattern, s))
    valid = valid_strings(field)
    return st.one_of(
        st.tuples(valid, st.sampled_from(CONTROL)).map("".join),  # trailing "\n", "\r\n", "\x00", ...
        st.tuples(st.sampled_from(CONTROL), valid).map("".join),
        st.tuples(valid, st.sampled_from(LOOKALIKE_ZEROS), st.integers(0, 30)).map(lambda t: lookalike(*t)),
        st.tuples(valid, st.sampled_from(LOOKALIKE_ZEROS)).map(lambda t: lookalike(*t)),
        st.integers(-1000, 10**7).map(str),
        st.lists(st.sampled_from(CONTROL + tuple(BLANKS)), max_size=4).map("".join),  # for patterns such as \S
        st.text(max_size=12),
    ).filter(lambda s: not ecma_matches(pattern, s))


def length_breakers(field: Field, keyword: str) -> st.SearchStrategy[str]:
    limit = field.get(keyword)
    simple = class_alphabet(field.get("pattern"))
    alphabet = simple[0] if simple else UNICODE
    if keyword == "minLength":
        return st.text(alphabet, max_size=limit - 1)
    return st.tuples(st.text(alphabet, min_size=1, max_size=8), st.integers(limit + 1, limit + 40)).map(
        lambda t: repeat_to(*t))


def count_breakers(field: Field, keyword: str) -> st.SearchStrategy[list[Any]]:
    """Arrays of valid items, one item short of ``minItems`` or up to 40 beyond ``maxItems``."""
    limit = field.get(keyword)
    items = valid_value(field.item) if field.item is not None else JSON_SCALARS
    if keyword == "minItems":
        return st.lists(items, max_size=limit - 1)
    chunk_and_size = st.tuples(st.lists(items, min_size=1, max_size=8), st.integers(limit + 1, limit + 40))
    return chunk_and_size.map(lambda t: repeat_to(*t))


def bound_breakers(field: Field, keyword: str) -> st.SearchStrategy[Any]:
    limit = field.get(keyword)
    if keyword in ("minimum", "exclusiveMinimum"):
        values = st.integers(max_value=int(limit)) | st.floats(max_value=limit, allow_nan=False)
    else:
        values = st.integers(min_value=int(limit)) | st.floats(min_value=limit, allow_nan=False)
    return values.filter(lambda v: not satisfies(field, keyword, v))


def extra_names(field: Field) -> st.SearchStrategy[str]:
    known = [child.location[-1] for child in field.children()]
    near = [variant for name in known for variant in (name.upper(), name.capitalize(), f"{name} ", f" {name}",
                                                      f"{name}\n", f"{name}_", name[:-1], f"{name}\x00")]
    near += ["headers", "guid", "Guid", "agentId", "callId", "password", "extra"]
    return st.one_of(st.sampled_from(near), st.text(min_size=1, max_size=10)).filter(lambda n: n not in known)


# -------------------------------------------------------------------------------- rules


@dataclass(eq=False, repr=False)
class Rule:
    """One rule of one request schema and the requests that break it (and the field the refusal must name)."""

    field: Field
    keyword: str
    holder: Node
    cases: st.SearchStrategy[tuple[Any, str]]

    def __repr__(self) -> str:
        return f"Rule({self.id})"

    @property
    def interface(self) -> Interface:
        return self.field.interface

    @property
    def id(self) -> str:
        return f"{self.interface.name}:{self.field.label}:{self.keyword}"

    def texts(self) -> tuple[str, ...]:
        """What names the rule in the refusal: its x-rule text, or the broken keyword."""
        if self.keyword == "required":
            return ("is required but missing",)
        if self.keyword == "additionalProperties":
            return ("not a field of this interface",)
        if self.holder.get("x-rule"):
            return (self.holder["x-rule"],)
        options = [f"'{self.keyword}'"] + (["is not of type"] if self.keyword == "type" else [])
        return (*options, self.holder["description"]) if self.holder.get("description") else tuple(options)


def _breaking(field: Field, values: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, str]]:
    base = valid_request(field.interface.name)
    if not any(isinstance(part, int) for part in field.location):
        return st.tuples(base, values).map(lambda t: (put(t[0], field.location, t[1]), field.dotted))

    def bad_item(request: Any, value: object, seed: int) -> tuple[Any, str]:  # one bad item among valid ones
        location = some_item(request, field.location, seed)
        return put(request, location, value), dotted(location)

    return st.tuples(base, values, st.integers(0, 2**16)).map(lambda t: bad_item(*t))


def rules_of(field: Field) -> Iterator[Rule]:
    name = field.interface.name
    leaf_breakers: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
        "type": lambda: type_breakers(field),
        "enum": lambda: enum_breakers(field),
        "minLength": lambda: length_breakers(field, "minLength"),
        "maxLength": lambda: length_breakers(field, "maxLength"),
        "pattern": lambda: pattern_breakers(field),
        "minimum": lambda: bound_breakers(field, "minimum"),
        "maximum": lambda: bound_breakers(field, "maximum"),
        "exclusiveMinimum": lambda: bound_breakers(field, "exclusiveMinimum"),
        "exclusiveMaximum": lambda: bound_breakers(field, "exclusiveMaximum"),
        "minItems": lambda: count_breakers(field, "minItems"),
        "maxItems": lambda: count_breakers(field, "maxItems"),
    }  # "items": the item field's own rules, from walk()
    for keyword, breakers in leaf_breakers.items():
        holder = field.holder(keyword)
        if holder is not None and not (keyword in ("minLength", "minItems") and holder[keyword] == 0):
            yield Rule(field, keyword, holder, _breaking(field, breakers()))
    if is_blank_id(field):
        # Named by the rule of the pattern that refuses blanks, also when a $ref to it has an x-rule of its own.
        ruled_pattern = next((node for node, _ in field.chain if node.get("x-rule") and "pattern" in node), None)
        holder = ruled_pattern or field.holder("x-rule") or field.holder("minLength") or field.holder("pattern")
        blanks = st.lists(st.sampled_from(BLANKS), min_size=1, max_size=4).map("".join)  # shrinks to " "
        yield Rule(field, "blank", holder or {}, _breaking(field, blanks))
    if not field.is_object:
        return
    for child in field.children():
        if child.location[-1] in field.required_names:
            base = valid_request(name)
            yield Rule(child, "required", field.holder("required") or {},
                       base.map(lambda r, c=child: (without(r, c.location), c.dotted)))
    if field.get("additionalProperties") is False:
        extra = st.tuples(valid_request(name), extra_names(field), JSON_SCALARS).map(
            lambda t: (put(t[0], (*field.location, t[1]), t[2]), dotted((*field.location, t[1]))))
        yield Rule(field, "additionalProperties", field.holder("additionalProperties") or {}, extra)


INTERFACE_NAMES = sorted(CATALOGUE.interfaces)  # whatever the catalogue holds, nothing hard-coded
FIELDS = [field for name in INTERFACE_NAMES for field in walk(root_field(CATALOGUE.interface(name)))]
RULES = [rule for field in FIELDS for rule in rules_of(field)]
RULE_BY_ID = {rule.id: rule for rule in RULES}  # examples draw rule ids, which hypothesis prints briefly
SECRET_FIELDS = [field for field in FIELDS if field.secret]

# -------------------------------------------------------------------------------- the library under test


@dataclass
class Sent:
    method: str
    path: str
    query: Any
    body: Any
    send_guid: Any


class FakeSession:
    """Stands in for GatewaySession: records what would go on the wire and answers retcode 0."""

    host = "gateway.invalid:8043"

    def __init__(self) -> None:
        self.sent: list[Sent] = []

    def send(self, method: str, path: str, *, query: Any = None, body: Any = None, send_guid: Any = True,
             headers: dict[str, str] | None = None, read_timeout: float | None = None) -> Exchange:
        self.sent.append(Sent(method, path, query, body, send_guid))
        reply = {"retcode": "0", "message": "success"}
        return Exchange(method=method, url=f"https://{self.host}{path}", status=200, reason="OK", request_headers={},
                        request_body=body, response_headers={}, text=json.dumps(reply), elapsed_ms=1.0, json=reply)

    def close(self) -> None:
        pass


def refusal(interface: Interface, request: Any) -> str:
    try:
        CATALOGUE.check_request(interface, request)
    except RequestSchemaError as error:
        return str(error)
    raise AssertionError(f"{interface.name}: check_request accepted {request!r}")


def call_args(request: Any) -> tuple[Any, dict[str, str], dict[str, str], Any] | None:
    """(agent_id, path, query, body) when RequestPipeline.call builds exactly this request from them, else None;
    ``path`` holds the path's placeholders other than ``agentid``."""
    if not isinstance(request, dict) or set(request) != {"path", "query", "body"}:
        return None
    path, query = request["path"], request["query"]
    if not (isinstance(path, dict) and "agentid" in path and isinstance(query, dict)):
        return None
    others = {k: v for k, v in path.items() if k != "agentid"}
    if not all(type(k) is str and type(v) is str for k, v in (*query.items(), *others.items())):
        return None  # call() turns query and path values into text, so other values cannot arrive as they are
    return path["agentid"], others, query, request["body"]


def refused_by_call(interface: Interface, request: Any) -> str | None:
    """The refusal RequestPipeline.call raises for ``request`` (None when call cannot build it); nothing sent."""
    args = call_args(request)
    if args is None:
        return None
    agent_id, path, query, body = args
    session = FakeSession()
    try:
        LibraryContext(Settings()).requests.call(session, interface.name, agent_id, path=path, query=query, body=body)
    except RequestSchemaError as error:
        assert session.sent == [], f"a refused {interface.name} request was sent: {session.sent}"
        return str(error)
    raise AssertionError(f"{interface.name}: RequestPipeline.call sent {request!r}")


def names(message: str, interface: Interface, field: str, texts: tuple[str, ...]) -> None:
    prefix = f"{interface.name} request is invalid, not sent: "
    assert message.startswith(prefix), message
    clauses = message[len(prefix):]
    assert clauses.startswith(f"{field}: ") or f"; {field}: " in clauses, f"field {field!r} not named: {message}"
    assert any(text in clauses for text in texts), f"rule not named (expected one of {texts}): {message}"


# -------------------------------------------------------------------------------- properties


def test_walker_understands_every_keyword() -> None:
    known = RULE_KEYWORDS | STRUCTURE_KEYWORDS | ANNOTATIONS
    for field in FIELDS:
        for node, _ in field.chain:
            assert set(node) <= known, f"{field.interface.name} {field.dotted}: {sorted(set(node) - known)}"
    assert {rule.interface.name for rule in RULES} == set(INTERFACE_NAMES)


@pytest.mark.parametrize("rule_id", list(RULE_BY_ID))
@_settings(4)
@given(data=st.data())
def test_request_breaking_a_rule_is_refused_before_sending(rule_id: str, data: st.DataObject) -> None:
    EXAMPLES["invalid requests"] += 1
    rule = RULE_BY_ID[rule_id]
    request, field = data.draw(rule.cases, label="request")
    message = refusal(rule.interface, request)
    names(message, rule.interface, field, rule.texts())
    through_call = refused_by_call(rule.interface, request)
    if through_call is not None:
        RULES_SENT_THROUGH_CALL.add(rule.id)
        assert through_call == message


PATTERN_RULES = [rule.id for rule in RULES if rule.keyword == "pattern"]


@pytest.mark.parametrize("rule_id", PATTERN_RULES)
@_settings(4)
@given(data=st.data())
def test_pattern_refuses_control_characters_and_lookalike_digits(rule_id: str, data: st.DataObject) -> None:
    """Not left to chance: every valid value with each control character around it, and with its digits in each
    look-alike script, is refused (ECMA-262 ``$`` does not match before a final newline)."""
    EXAMPLES["pattern variants"] += 1
    rule = RULE_BY_ID[rule_id]
    field, pattern = rule.field, rule.field.get("pattern")
    wants_digit = "0-9" in pattern or "\\d" in pattern
    value = data.draw(valid_strings(field).filter(lambda s: not wants_digit or any(c in "0123456789" for c in s)),
                      label="valid value")
    base = data.draw(valid_request(field.interface.name), label="base")
    variants = [value + char for char in CONTROL] + [char + value for char in CONTROL] + [
        lookalike(value, zero, only) for zero in LOOKALIKE_ZEROS for only in (None, 0)]
    for variant in dict.fromkeys(v for v in variants if not ecma_matches(pattern, v)):
        DERIVED["pattern variants"] += 1
        request = put(base, field.location, variant)
        message = refusal(field.interface, request)
        names(message, field.interface, field.dotted, rule.texts())
        assert refused_by_call(field.interface, request) in (None, message)


def native_value(text: str) -> object:
    """The value a test would write for a path text: 60 for "60", True for "true"; other texts as they are."""
    if text.isascii() and text.isdigit() and str(int(text)) == text:
        return int(text)
    return {"true": True, "false": False}.get(text, text)


@pytest.mark.parametrize("name", INTERFACE_NAMES)
@_settings(25)
@given(data=st.data())
def test_valid_request_is_sent_unchanged(name: str, data: st.DataObject) -> None:
    EXAMPLES["valid requests"] += 1
    interface = CATALOGUE.interface(name)
    CATALOGUE.check_request(interface, data.draw(valid_request(name, complete=False), label="partial request"))
    request = data.draw(valid_request(name), label="request")
    CATALOGUE.check_request(interface, request)
    args = call_args(request)
    assert args is not None, f"RequestPipeline.call cannot build the valid request {request!r}"
    agent_id, path, query, body = args
    assert set(path) == set(interface.path_params) - {"agentid"}  # every placeholder filled, through path=
    before = copy.deepcopy(request)
    session = FakeSession()
    reply = LibraryContext(Settings()).requests.call(session, name, agent_id, path=path, query=query, body=body)
    assert reply["retcode"] == "0"
    assert len(session.sent) == 1
    sent = session.sent[0]
    assert (sent.method, sent.path) == (interface.method, interface.url_path(before["path"]))
    assert sent.body is body and repr(sent.body) == repr(before["body"])  # the very object, not altered
    assert sent.query == query and all(sent.query[k] is v for k, v in query.items())
    assert sent.send_guid == interface.guid_required
    # Documented: path values are converted with str, booleans lowercased; 60 and True fill {time} and {flag}.
    native = {k: native_value(v) for k, v in path.items()}
    if native != path:
        LibraryContext(Settings()).requests.call(session, name, agent_id, path=native, query=query, body=body)
        assert session.sent[1].path == sent.path


# -- the regex dialect itself

# Probes whose ECMA-262 meaning differs from Python's re: \d and \w are ASCII-only, \s is ECMA white space
# (U+FEFF yes, U+0085 and U+001C no), "." stops at U+2028. No request schema uses them yet; a fix such as
# "pattern": "\\S" for "must not be blank" would.
DIALECT_PROBES = (r"^\d+$", r"\S", r"^\w+$", r"^.$", r"^\s$")
SCHEMA_PATTERNS = sorted({RULE_BY_ID[rule_id].holder["pattern"] for rule_id in PATTERN_RULES})
DIALECT_PATTERNS = sorted({*SCHEMA_PATTERNS, *DIALECT_PROBES})
TRICKY = ("0", "1", "9", "a", "_", "\u00e9", ".", "-", " ", "\n", "\r", "\t", "\x00", "\x1c", "\x85", "\u00a0",
          "\u2028", "\u3000", "\ufeff", *(chr(zero + 1) for zero in LOOKALIKE_ZEROS))


@pytest.mark.parametrize("pattern", DIALECT_PATTERNS)
def test_library_reads_patterns_as_ecma_262_on_tricky_characters(pattern: str) -> None:
    """Exhaustive over the tricky characters, alone and in pairs, so that the verdict does not depend on luck."""
    validator = SchemaValidator({"pattern": pattern})
    texts = ["", *TRICKY, *(a + b for a in TRICKY for b in TRICKY)]
    DERIVED["pattern dialect"] += len(texts)
    wrong = [text for text in texts if validator.is_valid(text) != ecma_matches(pattern, text)]
    assert not wrong, (f"{pattern!r} is read with Python's re meaning, not ECMA-262's, for {len(wrong)} texts, e.g. "
                       + ", ".join(f"{text!r} {'accepted' if validator.is_valid(text) else 'refused'}"
                                   for text in wrong[:4]))


@pytest.mark.parametrize("pattern", SCHEMA_PATTERNS)
@_settings(20)
@given(text=st.text(max_size=8))
def test_library_reads_patterns_as_ecma_262(pattern: str, text: str) -> None:
    EXAMPLES["pattern dialect"] += 1
    assert SchemaValidator({"pattern": pattern}).is_valid(text) == ecma_matches(pattern, text)


# -- secrets

# Unmistakable beginnings; their repr/JSON forms differ from the text (quotes, backslash, non-ASCII).
HEADS = ('Pa"ss', "Pa\\ss", "Pa'ss", "\u041f\u0430\u0440\u043e\u043b\u044c", "\u5bc6\u7801\u53e3\u4ee4",
         "T\u00f6k\u20acn", "ZqX7Tok", "QvW3Key")
BAD_SECRET_CHARS = ('"', "'", "\\", "\u00e9", "\u20ac", "\n", "\r\n", "\x00", " ", "\u0663", "-", "=", "/", "+")
SECRET_NUMBER = "975318642"


def distinctive(field: Field, low: int, high: int) -> st.SearchStrategy[str]:
    """Texts of ``low`` to ``high`` characters that the field's pattern allows, each starting with a HEAD."""
    pattern = field.get("pattern")
    simple = class_alphabet(pattern)
    alphabet = simple[0] if simple else UNICODE
    heads = [head for head in HEADS if pattern is None or ecma_matches(pattern, head)]
    assert heads, f"{field.dotted}: no distinctive secret fits {pattern!r}"
    return st.sampled_from(heads).flatmap(lambda head: st.text(
        alphabet, min_size=max(0, low - len(head)), max_size=max(0, high - len(head))).map(lambda tail: head + tail))


def secret_values(field: Field) -> dict[str, st.SearchStrategy[Any]]:
    """Distinctive values for an x-secret field: one valid kind and one kind per rule it can break."""
    high = field.get("maxLength", 64)
    kinds = {"valid": distinctive(field, max(8, field.get("minLength", 0)), high),
             "type": st.one_of(
                 st.integers(0, 99999).map(lambda n: int(f"{SECRET_NUMBER}{n}")),
                 st.integers(0, 99).map(lambda n: float(f"{SECRET_NUMBER}.{n}5")),
                 st.lists(distinctive(field, 8, high), min_size=1, max_size=2),
                 st.dictionaries(distinctive(field, 8, high), distinctive(field, 8, high), min_size=1, max_size=1),
                 st.booleans(), st.none()).filter(lambda v: not satisfies(field, "type", v))}
    if field.get("maxLength") is not None:
        kinds["maxLength"] = distinctive(field, high + 1, high + 48)
    if field.get("pattern") is not None:
        kinds["pattern"] = st.tuples(kinds["valid"], st.sampled_from(BAD_SECRET_CHARS), st.integers(0, 64)).map(
            lambda t: t[0][: t[2]] + t[1] + t[0][t[2]:]).filter(lambda s: not ecma_matches(field.get("pattern"), s))
    return kinds


def texts_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in texts_in(item)]
    if isinstance(value, dict):
        return [text for pair in value.items() for text in texts_in(list(pair))]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [repr(value)]
    return []


def renderings(text: str) -> set[str]:
    """How a text may appear in a message: as is, repr'd, ascii'd, JSON-encoded, escaped."""
    return {text, repr(text)[1:-1], ascii(text)[1:-1], json.dumps(text)[1:-1],
            json.dumps(text, ensure_ascii=False)[1:-1], text.encode("unicode_escape").decode("ascii")}


def canary(value: object) -> object:
    """A value of the same shape and validity that shares no character with ``value``."""
    if isinstance(value, str):
        return "".join("Q" if char.isascii() and char.isalnum() else "\u2603" for char in value)
    if isinstance(value, list):
        return [canary(item) for item in value]
    if isinstance(value, dict):
        return {f"k{index}": canary(item) for index, item in enumerate(value.values())}
    if isinstance(value, float):
        return 0.5
    if isinstance(value, int) and not isinstance(value, bool):
        return 1
    return value


SECRET_INTERFACES = sorted({field.interface.name for field in SECRET_FIELDS})


@pytest.mark.parametrize("name", SECRET_INTERFACES)
@_settings(60)
@given(data=st.data())
def test_refusal_never_quotes_a_secret(name: str, data: st.DataObject) -> None:
    EXAMPLES["secret refusals"] += 1
    interface = CATALOGUE.interface(name)
    secrets = [field for field in SECRET_FIELDS if field.interface.name == name]
    chosen: dict[Field, tuple[str, Any]] = {}
    for field in secrets:
        kinds = secret_values(field)
        kind = data.draw(st.sampled_from(sorted(kinds)), label=f"{field.dotted} kind")
        chosen[field] = (kind, data.draw(kinds[kind], label=field.dotted))
    # Another rule of the interface broken at the same time, unless it replaces or removes a secret.
    others = [rule.id for rule in RULES if rule.interface is interface and not any(
        secret.location[: len(rule.field.location)] == rule.field.location
        and (rule.keyword == "type" or rule.field.location == secret.location) for secret in secrets)]
    any_secret_broken = any(kind != "valid" for kind, _ in chosen.values())
    other = data.draw(st.one_of(st.none(), st.sampled_from(others)) if any_secret_broken else st.sampled_from(others),
                      label="other rule")
    request = data.draw(valid_request(name), label="base") if other is None else data.draw(RULE_BY_ID[other].cases)[0]
    masked = request
    for field, (_, value) in chosen.items():
        request = put(request, field.location, value)
        masked = put(masked, field.location, canary(value))
    for field, (_, value) in chosen.items():  # the canary breaks exactly the rules the secret breaks
        assume(all(satisfies(field, k, value) == satisfies(field, k, canary(value)) for k in LEAF_KEYWORDS))

    message = refusal(interface, request)
    through_call = refused_by_call(interface, request)
    assert through_call in (None, message)
    for field, (kind, value) in chosen.items():
        for text in texts_in(value):
            for form in renderings(text):
                assert form[:8] not in message, f"{field.dotted} ({kind}) leaked as {form[:8]!r}: {message}"
        if kind != "valid" and not message.endswith("more"):
            names(message, interface, field.dotted, Rule(field, kind, field.holder(kind) or {}, st.nothing()).texts())
    # The message cannot depend on a secret's value at all: same-shape canaries give the same message.
    assert refusal(interface, masked) == message


# -- Send Raw Request

RAW_RULES = [rule.id for rule in RULES if rule.field.location[:1] in (("query",), ("body",))
             or (rule.field.location[:1] == ("path",) and len(rule.field.location) == 2
                 and rule.keyword not in ("type", "required"))]  # a path takes texts, and has all its placeholders
# Per interface: one draw among some 300 rules would leave the interfaces late in the alphabet to chance.
RAW_RULES_BY_INTERFACE: dict[str, list[str]] = {name: [] for name in INTERFACE_NAMES}
for _rule_id in RAW_RULES:
    RAW_RULES_BY_INTERFACE[RULE_BY_ID[_rule_id].interface.name].append(_rule_id)


@pytest.mark.parametrize("name", INTERFACE_NAMES)
@_settings(8)
@given(data=st.data())
def test_send_raw_request_sends_what_keywords_refuse(name: str, data: st.DataObject) -> None:
    EXAMPLES["raw requests"] += 1
    rule = RULE_BY_ID[data.draw(st.sampled_from(RAW_RULES_BY_INTERFACE[name]), label="rule")]
    request, _ = data.draw(rule.cases, label="request")
    agent_id = request["path"].get("agentid")
    assume(isinstance(agent_id, str) and agent_id)  # an empty agent_id means "the current agent's"
    try:
        CATALOGUE.check_request(rule.interface, request)
    except RequestSchemaError:
        pass  # a keyword would refuse it: this is what Send Raw Request is for
    else:
        assume(False)  # accepted by a schema defect; test_request_breaking_a_rule_... reports those
    ctx = LibraryContext(Settings())
    session = FakeSession()
    ctx.new_session = lambda: session  # type: ignore[method-assign]
    body, query = request.get("body"), request.get("query")
    others = {k: v for k, v in request["path"].items() if k != "agentid"}
    reply = RawKeywords(ctx).send_raw_request(rule.interface.name, body=body, query=query, agent_id=agent_id,
                                              path_params=others)
    assert reply == {"retcode": "0", "message": "success"}
    assert len(session.sent) == 1
    sent = session.sent[0]
    assert sent.query is query
    assert sent.path == rule.interface.url_path(request["path"])
    not_json = object()  # not None: the text "null" is JSON, and describes None
    try:  # documented: text that is JSON goes as the JSON it describes, other text and documents as they are
        described = json.loads(body) if isinstance(body, str) else not_json
    except ValueError:
        described = not_json
    if not isinstance(body, str):
        assert sent.body is body
    elif described is not_json or described is None:
        # text that is not JSON goes out byte for byte, and so does JSON null (None would mean "no body")
        assert sent.body == body.encode("utf-8")
    else:
        assert repr(sent.body) == repr(described)


# -- numbers that may be sent as integers or as decimal strings


def takes_both_forms(field: Field) -> bool:
    """A field that accepts some integers and some strings (by its type or its enum members)."""
    if not field.location or field.is_object:
        return False
    enum = field.get("enum")
    if enum is not None:
        return any(type(m) is int for m in enum) and any(isinstance(m, str) for m in enum)
    declared = set(field.types) if field.get("type") is not None else set()
    return bool(declared & {"integer", "number"}) and "string" in declared


FORM_FIELDS = {f"{field.interface.name}:{field.label}": field for field in FIELDS if takes_both_forms(field)}


@pytest.mark.parametrize("field_id", list(FORM_FIELDS))
@_settings(30)
@given(data=st.data())
def test_integer_and_decimal_string_forms_agree(field_id: str, data: st.DataObject) -> None:
    """A field taking a number as integer or as string must accept n exactly when it accepts str(n)."""
    EXAMPLES["number forms"] += 1
    field = FORM_FIELDS[field_id]
    members = [m for m in field.get("enum") or [] if type(m) is int]
    number = data.draw(st.one_of(st.sampled_from([-1, 0, 1, -(2**31), 2**31, *members]), st.integers()),
                       label="number")
    base = data.draw(valid_request(field.interface.name), label="base")

    def accepted(value: object) -> bool:
        try:
            CATALOGUE.check_request(field.interface, put(base, field.location, value))
        except RequestSchemaError:
            return False
        return True

    as_int, as_text = accepted(number), accepted(str(number))
    assert as_int == as_text, (f"{field.interface.name} {field.dotted}: {number!r} is "
                               f"{'accepted' if as_int else 'refused'} but {str(number)!r} is "
                               f"{'accepted' if as_text else 'refused'}")


# -------------------------------------------------------------------------------- summary


@pytest.fixture(scope="module", autouse=True)
def _report_examples(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    kinds = Counter(rule.keyword for rule in RULES)
    on_items = sum(any(isinstance(part, int) for part in rule.field.location) for rule in RULES)
    per_property = ", ".join(f"{kind} {count}" for kind, count in EXAMPLES.items())
    per_keyword = ", ".join(f"{keyword} {count}" for keyword, count in sorted(kinds.items()))
    derived = ", ".join(f"{kind} {count}" for kind, count in DERIVED.items())
    line = (f"hypothesis examples run: {sum(EXAMPLES.values())} ({per_property}; plus derived values: {derived}); "
            f"{len(RULES)} rules over "
            f"{len(INTERFACE_NAMES)} interfaces ({per_keyword}; {on_items} on array items); "
            f"{len(RULES_SENT_THROUGH_CALL)} rules also refused "
            "through RequestPipeline.call")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        print(f"\n{line}")
