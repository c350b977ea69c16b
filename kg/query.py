"""SPARQL for analysts: inline queries, query files, and the library of ready queries in
``kg/queries/*.rq``.

A library query starts with a header of ``#`` comment lines::

    # title: Who met whom
    # description: Pairs of people who took part in the same event, with how often.
    # param: country (string) = "Казахстан" — a country name; both people may be from anywhere when empty

Parameters are bound as RDF terms (Oxigraph substitutes them for the variables ``?name``);
they are never pasted into the query text. A ``name`` parameter is a string that also binds
``?<name>_key``, the surname key people carry as ``diplo:nameKey`` (``kg.resolve.surname_of``),
so that a query finds a person by one index look-up. This module does not import spaCy.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Literal, URIRef, Variable
from rdflib.namespace import RDF, XSD
from rdflib.query import Result

from kg.config import queries_dir
from kg.errors import QueryError
from kg.resolve import surname_of
from kg.store import Store
from kg.vocab import GRAPH, ID, PREFIXES

OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "markdown")
PARAM_TYPES = ("string", "name", "iri", "date", "integer", "decimal", "lang", "country", "person", "organization",
               "party", "place")
NAME_TYPES = ("country", "person", "organization", "party", "place")  # names resolved by kg.names
_PARAM = re.compile(r"^#\s*param:\s*(?P<name>\w+)\s*\((?P<type>\w+)\)\s*(?:=\s*(?P<default>\S.*?))?\s*(?:—|--)\s*(?P<help>.*)$")
_FIELD = re.compile(r"^#\s*(?P<key>title|description):\s*(?P<value>.*)$")


@dataclass
class Param:
    name: str
    type: str
    default: str | None
    help: str

    def term(self, value: str):
        """The parameter's value as an RDF term of its declared type."""
        try:
            if self.type == "iri":
                if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
                    raise ValueError("not an IRI")
                return URIRef(value)
            if self.type == "date":
                return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
            if self.type == "integer":
                return Literal(int(value), datatype=XSD.integer)
            if self.type == "decimal":
                return Literal(float(value), datatype=XSD.decimal)
            if self.type == "lang":
                return Literal(value, lang="ru")
            return Literal(value)
        except ValueError as e:
            raise QueryError(f"parameter {self.name}: {value!r} is not a valid {self.type}") from e


@dataclass
class LibraryQuery:
    name: str
    title: str
    description: str
    params: list[Param] = field(default_factory=list)
    text: str = ""

    def bindings(self, values: dict[str, str]) -> dict:
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            raise QueryError(f"query {self.name} has no parameter {', '.join(sorted(unknown))}",
                             f"its parameters: {', '.join(p.name for p in self.params) or 'none'}")
        out = {}
        for p in self.params:
            value = values.get(p.name, p.default)
            if value is not None and value != "":
                out[p.name] = p.term(str(value).strip('"'))
                if p.type in ("name", "person") and f"?{p.name}_key" in self.text:  # the surname's index key
                    out[f"{p.name}_key"] = Literal(surname_of(str(out[p.name])))
        return out


def parse_library_query(name: str, text: str) -> LibraryQuery:
    q = LibraryQuery(name, name, "", text=text)
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if m := _FIELD.match(line):
            setattr(q, m["key"], m["value"].strip())
        elif m := _PARAM.match(line):
            if m["type"] not in PARAM_TYPES:
                raise QueryError(f"query {name}: parameter {m['name']} has unknown type {m['type']}")
            q.params.append(Param(m["name"], m["type"], m["default"], m["help"].strip()))
    return q


def library(folder: Path | None = None) -> dict[str, LibraryQuery]:
    folder = folder or queries_dir()
    return {p.stem: parse_library_query(p.stem, p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.rq"))}


def resolve_query(text_or_name: str, params: dict[str, str] | None = None) -> tuple[str, dict]:
    """A query and its bindings from a library name, a file path or inline SPARQL."""
    params = params or {}
    lib = library()
    if text_or_name in lib:
        q = lib[text_or_name]
        return q.text, q.bindings(params)
    path = Path(text_or_name)
    if len(text_or_name) < 4096 and "\n" not in text_or_name and path.suffix in (".rq", ".sparql") and path.exists():
        return path.read_text(encoding="utf-8"), {k: Literal(v) for k, v in params.items()}
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text_or_name, re.I):
        return text_or_name, {k: Literal(v) for k, v in params.items()}
    raise not_a_query(text_or_name, lib)


SPARQL_WORDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX", "BASE")


def not_a_query(text: str, lib: dict[str, LibraryQuery]) -> QueryError:
    """The error for text that is no library query, no query file and no SPARQL: the library
    names it is close to, or, when it looks like SPARQL, where it stops parsing."""
    words = text.split() or [""]
    if re.fullmatch(r"[\w-]+", text.strip()):
        close = difflib.get_close_matches(text.strip(), list(lib), n=3, cutoff=0.6)
        if close:
            return QueryError(f"no library query {text.strip()!r}", f"did you mean {' or '.join(close)}?")
        return QueryError(f"no library query {text.strip()!r}", "see `kg queries` for the library")
    if difflib.get_close_matches(words[0].upper(), SPARQL_WORDS, n=1, cutoff=0.6) or re.search(r"[?$]\w+|\{", text):
        error = syntax_error(text, 0)
        if error is not None:
            return QueryError(f"this looks like SPARQL{error.message.removeprefix('this looks like SPARQL')}"
                              if error.message.startswith("this looks") else
                              f"this looks like SPARQL but does not parse: {error.message}", error.hint)
    if Path(text).suffix in (".rq", ".sparql"):
        return QueryError(f"no query file {text}", "give the path of an existing .rq file")
    return QueryError(f"{text!r} is neither a library query, a query file nor SPARQL",
                      "see `kg queries` for the library")


def syntax_error(text: str, line_offset: int, sparql: str | None = None) -> QueryError | None:
    """Where ``text`` (run as ``sparql``, with ``line_offset`` lines in front) fails to parse,
    as an error that shows the line and a caret in the user's own text; None if it parses."""
    import pyoxigraph as ox

    if sparql is None:
        sparql, line_offset = prefix_block(text) + text, prefix_block(text).count("\n")
    try:
        ox.Store().query(sparql)  # an empty store: parsing, and nothing to evaluate
        return None
    except SyntaxError as e:
        message = str(e)
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if m is None:
        return QueryError(f"the query does not parse: {message}", "check the SPARQL syntax")
    line, column, expected = int(m[1]) - line_offset, int(m[2]), m[3]
    misspelt = _misspelt_keyword(text)
    if misspelt:
        word, keyword, at = misspelt
        return QueryError(f"this looks like SPARQL, but `{word}` at line {_line_col(text, at)} is no SPARQL "
                          f"keyword\n{_pointer(text, at)}", f"did you mean {keyword}?")
    unknown = unknown_prefix(text)  # an undeclared prefix fails wherever the parser notices it
    if unknown:
        prefix, at = unknown
        known = ", ".join(QUERY_PREFIXES)
        return QueryError(f"unknown prefix `{prefix}:` at line {_line_col(text, at)}\n{_pointer(text, at)}",
                          f"known: {known}; or declare it: PREFIX {prefix}: <…>")
    at = _offset(text, line, column)
    return QueryError(f"syntax error at line {line}, column {column}: {_expected(expected)}\n{_pointer(text, at)}",
                      "check the SPARQL syntax")


def _misspelt_keyword(text: str) -> tuple[str, str, int] | None:
    """The query's first word when it is close to a SPARQL keyword but none (``SELEC``)."""
    m = re.search(r"\S+", _code(text))
    if m is None or m[0].upper() in SPARQL_WORDS:
        return None
    close = difflib.get_close_matches(m[0].upper(), SPARQL_WORDS, n=1, cutoff=0.6)
    return (m[0], close[0], m.start()) if close else None


def unknown_prefix(text: str) -> tuple[str, int] | None:
    """The first prefix the text uses but neither declares nor gets from ``kg``, and where."""
    code = re.sub(r"<[^<>\s]*>", lambda m: " " * len(m[0]), _code(text))
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w.-]*):", code, re.I)}
    for m in re.finditer(r"(?<![\w?$:])([A-Za-z][\w.-]*)?:(?=[\w\s])", code):
        prefix = m[1] or ""
        if prefix.lower() not in declared and prefix not in QUERY_PREFIXES:
            return prefix, m.start()
    return None


def _expected(text: str) -> str:
    """pyoxigraph's list of expected tokens without its character classes."""
    tokens = re.findall(r'"[^"]*"|\b[A-Za-z]\w*\b', re.sub(r"\[[^\]]*\]", "", text))
    tokens = [t for t in tokens if t not in ("expected", "one", "of", "Prefix", "not", "found")]
    return "expected " + ", ".join(tokens) if tokens else text


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    line = min(max(line, 1), len(lines))
    return sum(len(x) + 1 for x in lines[:line - 1]) + max(column - 1, 0)


def _line_col(text: str, at: int) -> str:
    line = text.count("\n", 0, at) + 1
    return f"{line}, column {at - (text.rfind(chr(10), 0, at) + 1) + 1}"


def _pointer(text: str, at: int) -> str:
    """The line of ``text`` around offset ``at``, with a caret under it (indented two spaces)."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    shown = text[start:end if end >= 0 else len(text)]
    return f"  {shown}\n  {' ' * (at - start)}^"


# Entity namespaces under kgid:, as short prefixes for reading and writing queries
# (``person:sergey-lavrov``); the gazetteer files use the same ones.
ENTITY_PREFIXES = {name: str(ID) + path for name, path in (
    ("person", "person/"), ("country", "country/"), ("place", "place/"), ("agent", "org/"), ("event", "event/"),
    ("document", "document/"), ("article", "article/"), ("topic", "topic/"), ("graph", "graph/"))}
ENTITY_PREFIXES["graph"] = str(GRAPH)
QUERY_PREFIXES = {**{p: str(ns) for p, ns in PREFIXES.items()}, "rdf": str(RDF), **ENTITY_PREFIXES}
_PREFIX_OF = {ns: p for p, ns in QUERY_PREFIXES.items()}


def with_prefixes(sparql: str) -> str:
    """The query with a PREFIX line for every prefix ``kg`` knows that it does not declare."""
    return prefix_block(sparql) + sparql


def prefix_block(sparql: str) -> str:
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w.-]*):", sparql, re.I)}
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in QUERY_PREFIXES.items() if p.lower() not in declared)


def canonical_params(store: Store, text_or_name: str, params: dict[str, str] | None = None) -> dict[str, str]:
    """A library query's name parameters (countries, people, organizations, places) as the
    canonical names its SPARQL compares with; an unknown name is a ``QueryError``."""
    from kg.names import known_names

    params = dict(params or {})
    q = library().get(text_or_name)
    for p in q.params if q else ():
        value = str(params.get(p.name) or "").strip('"')
        if p.type in NAME_TYPES and value and p.name in params:
            params[p.name] = known_names(store, p.type).resolve(value)
    return params


@dataclass(frozen=True)
class Prepared:
    """A query ready to run: the text that runs, its bindings, and how to read the answer."""

    text: str  # the user's text (or the library query's)
    sparql: str  # what runs: the prefixes kg adds, the text, a LIMIT
    bindings: dict
    hidden: tuple[str, ...] = ()  # a library query's parameter columns, not part of the answer
    line_offset: int = 0  # lines in front of the text (error positions are given in the text)


def prepare(text_or_name: str, params: dict[str, str] | None = None, limit: int | None = None) -> Prepared:
    text, bindings = resolve_query(text_or_name, params)
    prefixes = prefix_block(text)
    sparql = prefixes + text
    if limit is not None and not re.search(r"\bLIMIT\s+\d+\s*$", sparql.strip(), re.I):
        sparql = f"{sparql}\nLIMIT {int(limit)}"
    q = library().get(text_or_name)
    # parameters are columns only because Oxigraph binds nothing else; an IRI parameter names
    # the entity the rows are about (event-sources' event) and stays
    hidden = tuple(n for p in q.params if p.type != "iri"
                   for n in (p.name, f"{p.name}_key") if n == p.name or f"?{n}" in q.text) if q else ()
    return Prepared(text, sparql, bindings, hidden, prefixes.count("\n"))


def finish(result: Result, prepared: Prepared) -> Result:
    """The answer as the query asks for it: its own columns only, in the query's order."""
    if result.type != "SELECT":
        return result
    names = [str(v) for v in result.vars or []]
    if re.search(r"\bSELECT\s+(DISTINCT\s+|REDUCED\s+)?\*", _code(prepared.text), re.I):
        names.sort(key=_first_use(prepared.text))
    keep = [n for n in names if n not in prepared.hidden]
    if keep == [str(v) for v in result.vars or []]:
        return result
    out = Result("SELECT")
    out.vars = [Variable(n) for n in keep]
    out.bindings = [{v: b[v] for v in out.vars if v in b} for b in result.bindings]
    return out


def _code(sparql: str) -> str:
    """The query without comments and string literals (a rough cut, for finding keywords)."""
    return re.sub(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*', " ", sparql)


def _first_use(sparql: str):
    code = _code(sparql)

    def position(name: str) -> int:
        m = re.search(rf"[?$]{re.escape(name)}\b", code)
        return m.start() if m else len(code)
    return position


def run(store: Store, text_or_name: str, params: dict[str, str] | None = None, limit: int | None = None,
        timeout: float | None = None) -> Result:
    """Run a library query (by name), a .rq file or inline SPARQL on ``store``; ``timeout``
    seconds stop it."""
    prepared = prepare(text_or_name, canonical_params(store, text_or_name, params), limit)
    try:
        return finish(store.query(prepared.sparql, prepared.bindings, timeout=timeout), prepared)
    except QueryError as e:
        raise syntax_error(prepared.text, prepared.line_offset, prepared.sparql) or e from e


# -- formatting -------------------------------------------------------------------------------

def short(term) -> str:
    """A term as a table shows it: an IRI as a prefixed name where a prefix fits
    (``diplo:Meeting``, ``person:sergey-lavrov``), a literal as its text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        best = max((ns for ns in QUERY_PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
        if best is not None and re.fullmatch(r"[\w.-]*", iri[len(best):]) and not iri[len(best):].endswith("."):
            return f"{_PREFIX_OF[best]}:{iri[len(best):]}"
    return str(term)


def _cell(value) -> str:
    return "" if value is None else str(value)


def rows(result: Result, cell=_cell) -> tuple[list[str], list[list[str]]]:
    header = [str(v) for v in (result.vars or [])]
    return header, [[cell(row[i]) for i in range(len(header))] for row in result]


def format_result(result: Result, fmt: str = "table") -> str:
    """Text for ``result``: a table or markdown for people (prefixed names), csv, tsv or SPARQL
    results JSON for programs (full IRIs); CONSTRUCT/DESCRIBE as Turtle (JSON-LD with json);
    ASK as ``true``/``false``."""
    if result.type == "ASK":
        answer = bool(result.askAnswer)
        return json.dumps({"head": {}, "boolean": answer}) + "\n" if fmt == "json" else f"{str(answer).lower()}\n"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8") + "\n"
    header, body = rows(result, short if fmt in ("table", "markdown") else _cell)
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
        return out.getvalue()
    if fmt == "markdown":
        esc = [[c.replace("|", "\\|") for c in r] for r in body]
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in esc]) + "\n"
    return table(header, body)


def table(header: list[str], body: list[list[str]], max_width: int = 60) -> str:
    cut = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in r] for r in body]
    widths = [max([len(h)] + [len(r[i]) for r in cut]) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(header), line(["-" * w for w in widths])] + [line(r) for r in cut]
    out.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(out) + "\n"
