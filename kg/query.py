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
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from kg.config import queries_dir
from kg.errors import QueryError
from kg.resolve import surname_of
from kg.store import Store
from kg.vocab import PREFIXES

OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "markdown")
PARAM_TYPES = ("string", "name", "iri", "date", "integer", "decimal", "lang")
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
                if p.type == "name":  # and the index key of the name's surname, for a point look-up
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
    raise QueryError(f"{text_or_name!r} is neither a library query, a query file nor SPARQL",
                     "see `kg queries` for the library")


def with_prefixes(sparql: str) -> str:
    declared = {m.lower() for m in re.findall(r"PREFIX\s+(\w*):", sparql, re.I)}
    missing = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p.lower() not in declared]
    return "\n".join(missing) + "\n" + sparql


def run(store: Store, text_or_name: str, params: dict[str, str] | None = None, limit: int | None = None,
        timeout: float | None = None) -> Result:
    """Run a library query, a query file or inline SPARQL; ``timeout`` seconds stop it."""
    sparql, bindings = resolve_query(text_or_name, params)
    sparql = with_prefixes(sparql)
    if limit is not None and not re.search(r"\bLIMIT\s+\d+\s*$", sparql.strip(), re.I):
        sparql = f"{sparql.rstrip()}\nLIMIT {int(limit)}"
    return store.query(sparql, bindings, timeout=timeout)


# -- formatting -------------------------------------------------------------------------------

def _cell(value) -> str:
    if value is None:
        return ""
    return str(value)


def rows(result: Result) -> tuple[list[str], list[list[str]]]:
    header = [str(v) for v in (result.vars or [])]
    return header, [[_cell(row[i]) for i in range(len(header))] for row in result]


def format_result(result: Result, fmt: str = "table") -> str:
    if result.type == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}) if fmt == "json" else str(result.askAnswer)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8")
    header, body = rows(result)
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
