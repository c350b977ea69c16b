"""Names of countries, people, organizations and places as an analyst types them.

A query parameter or a ``kg viz --country`` value may be any name the store knows for the
entity — the gazetteer's short name, official name, abbreviations and other names, an ISO
3166-1 alpha-2 or alpha-3 code, or the name an article gives — in any case (and ``ё`` or
``е``). ``resolve`` turns it into the canonical name the library queries compare with (the
gazetteer's ``skos:prefLabel``, or the article's ``schema:name`` for entities the gazetteer
lacks). For people and organizations, whose parameters match part of a name, a part of a
known name is kept as it is. Anything else is a ``QueryError`` listing the closest known
names, never a silent empty answer. The names are read from the store (its gazetteer graph
and its articles), so this module needs neither spaCy nor the gazetteer files.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from kg.errors import KGError, QueryError
from kg.vocab import GRAPH

KINDS = ("country", "person", "organization", "party", "place")
_GAZ = f"<{GRAPH['gazetteer']}>"
_NOT_ORG = "schema:Person schema:Country schema:City diplo:Region schema:Place skos:Concept"

# Each query gives ?label (the canonical name) and ?name (one name that stands for it).
_COUNTRY = f"""
{{ GRAPH {_GAZ} {{ ?x a schema:Country ; skos:prefLabel ?label ;
                  skos:prefLabel|skos:altLabel|diplo:officialName|diplo:isoCode ?name }} }}"""
_PERSON = f"""
{{ GRAPH {_GAZ} {{ ?x a schema:Person ; skos:prefLabel ?label ; skos:prefLabel|skos:altLabel ?name }} }}
UNION {{ GRAPH ?g {{ ?x a schema:Person ; schema:name ?label }} BIND(?label AS ?name) }}"""
_ORGANIZATION = f"""
{{ GRAPH {_GAZ} {{ ?x skos:prefLabel ?label ; skos:prefLabel|skos:altLabel ?name }}
   FILTER NOT EXISTS {{ GRAPH {_GAZ} {{ VALUES ?not {{ {_NOT_ORG} }} ?x a ?not }} }} }}
UNION {{ GRAPH ?g {{ ?x a org:Organization ; schema:name ?label }} BIND(?label AS ?name) }}"""
_PLACE = f"""
{{ GRAPH {_GAZ} {{ VALUES ?t {{ schema:Country schema:City diplo:Region schema:Place }}
                  ?x a ?t ; skos:prefLabel ?label ; skos:prefLabel|skos:altLabel ?name }} }}"""
PATTERNS = {"country": _COUNTRY, "person": _PERSON, "organization": _ORGANIZATION,
            "party": _ORGANIZATION + "\nUNION" + _COUNTRY, "place": _PLACE}
PARTIAL = {"person", "organization", "party"}  # their parameters match part of a name
WHAT = {"country": "country", "person": "person", "organization": "organization",
        "party": "organization or country", "place": "place"}


def key(name: str) -> str:
    """The form names are compared in: case-folded, ``ё`` as ``е``, one space between words."""
    return re.sub(r"\s+", " ", name.casefold().replace("ё", "е")).strip().strip('"«»')


@dataclass(frozen=True)
class KnownNames:
    """Every name of one kind of entity the store knows, by comparison key."""

    kind: str
    canonical: dict[str, str]  # key(name) → canonical name

    def resolve(self, value: str, error: type[KGError] = QueryError) -> str:
        """The canonical name for ``value``, ``value`` itself where a part of a name will do,
        or an ``error`` (a ``QueryError`` unless told) with the closest known names."""
        k = key(value)
        if k in self.canonical:
            return self.canonical[k]
        if self.kind in PARTIAL and any(k in name for name in self.canonical):
            return value
        raise error(f"no {WHAT[self.kind]} {value!r} is known to the store", self.suggest(value))

    def closest(self, value: str, n: int = 5) -> list[str]:
        """Known canonical names close to ``value`` (whole names, or one of their words)."""
        words: dict[str, set[str]] = {}
        for name, label in self.canonical.items():
            for part in {name, *name.split()}:
                words.setdefault(part, set()).add(label)
        found: list[str] = []
        for match in difflib.get_close_matches(key(value), list(words), n=n * 2, cutoff=0.6):
            found += sorted(words[match] - set(found))
        return found[:n]

    def suggest(self, value: str) -> str:
        close = self.closest(value)
        if close:
            return "did you mean " + ", ".join(close) + "?"
        return f"no known {WHAT[self.kind]} name is close; names, abbreviations and ISO codes work in any case"


def known_names(store, kind: str) -> KnownNames:
    """Read the names of ``kind`` (one of ``KINDS``) from the store."""
    if kind not in PATTERNS:
        raise ValueError(f"kind is one of {', '.join(KINDS)}, not {kind!r}")
    from kg.vocab import PREFIXES

    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    rows = store.query(prefixes + f"SELECT DISTINCT ?label ?name WHERE {{ {PATTERNS[kind]} }}")
    canonical: dict[str, str] = {}
    for label, name in sorted((str(r[0]), str(r[1])) for r in rows):
        canonical.setdefault(key(name), label)
    for label in sorted(set(canonical.values())):  # a canonical name stands for itself first
        canonical[key(label)] = label
    return KnownNames(kind, canonical)


def resolve(store, kind: str, value: str, error: type[KGError] = QueryError) -> str:
    """``value`` as the canonical name of an entity of ``kind`` (see the module docstring)."""
    return known_names(store, kind).resolve(value, error)
