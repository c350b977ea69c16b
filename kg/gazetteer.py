"""Gazetteers of real-world facts (``ontology/gazetteer/*.ttl``), loaded once per process.

Countries, cities, regions and venues; heads of state and government, ministers; governments,
ministries, international organizations, companies, universities, news media — each with
its Russian names and, where known, its Wikidata id. Lookups go by context-free keys
(``kg.keys.text_key``), so any inflected form finds its entry.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from kg.config import ontology_dir
from kg.errors import ModelError
from kg.keys import phrase_key, text_key, word_key, words
from kg.vocab import DIPLO, ORG, SCHEMA

KIND_BY_TYPE = [  # most specific first
    (DIPLO.Ministry, "Ministry"), (DIPLO.Government, "Government"), (SCHEMA.Country, "Country"),
    (SCHEMA.City, "City"), (DIPLO.Region, "Region"), (SCHEMA.Person, "Person"),
    (DIPLO.InternationalOrganization, "IntlOrg"), (SCHEMA.NewsMediaOrganization, "Media"),
    (SCHEMA.Corporation, "Company"), (SCHEMA.Place, "Venue"),
]
ORG_KINDS = {"Ministry", "Government", "IntlOrg", "Media", "Company", "Organization"}


@dataclass(frozen=True)
class Tenure:
    position: str
    organization: str | None = None
    start: date | None = None
    end: date | None = None

    def held_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(eq=False)
class Entry:
    """One gazetteer entity; entries are unique per IRI, so identity is equality."""

    iri: str
    kind: str
    label: str
    aliases: tuple[str, ...] = ()
    props: dict[str, list[str]] = field(default_factory=dict)
    tenures: tuple[Tenure, ...] = ()

    def prop(self, name: str) -> str | None:
        values = self.props.get(name)
        return values[0] if values else None

    @property
    def country(self) -> str | None:
        return self.prop("country") or self.prop("containedInPlace")

    @property
    def wikidata(self) -> str | None:
        return self.prop("sameAs")

    def names(self) -> list[str]:
        names = [self.label, *self.aliases]
        if self.kind == "Country":
            names += [n for n in (self.prop("officialName"),) if n]
        return list(dict.fromkeys(names))

    def patterns(self):
        """(label, phrase) pairs for the matcher."""
        for name in self.names():
            yield self.kind, name
        for adjective in self.props.get("adjective", []):
            yield "CountryAdj", adjective


_PROPS = {
    SKOS.prefLabel: "prefLabel", SKOS.altLabel: "altLabel", DIPLO.officialName: "officialName",
    DIPLO.officialNameGenitive: "officialNameGenitive", DIPLO.officialNameLocative: "officialNameLocative",
    DIPLO.shortNameGenitive: "shortNameGenitive", DIPLO.shortNameLocative: "shortNameLocative",
    DIPLO.adjective: "adjective", DIPLO.isoCode: "isoCode", DIPLO.capital: "capital", DIPLO.government: "government",
    DIPLO.portfolio: "portfolio", DIPLO.country: "country", SCHEMA.containedInPlace: "containedInPlace",
    DIPLO.adminCentre: "adminCentre", OWL.sameAs: "sameAs", ORG.subOrganizationOf: "subOrganizationOf",
    SCHEMA.givenName: "givenName", SCHEMA.familyName: "familyName", SCHEMA.additionalName: "additionalName",
    SCHEMA.gender: "gender", SCHEMA.dissolutionDate: "dissolutionDate",
}


class Gazetteer:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.entries: dict[str, Entry] = {}
        for subject in sorted(set(graph.subjects(SKOS.prefLabel, None))):  # a stable order in every process
            if isinstance(subject, URIRef):
                self.entries[str(subject)] = self._entry(subject)

    def _entry(self, subject: URIRef) -> Entry:
        types = set(self.graph.objects(subject, RDF.type))
        kind = next((k for t, k in KIND_BY_TYPE if t in types), "Organization")
        props: dict[str, list[str]] = defaultdict(list)
        for p, o in sorted(self.graph.predicate_objects(subject)):
            name = _PROPS.get(p)
            if name:
                props[name].append(str(o))
        tenures = tuple(sorted((self._tenure(node) for node in self.graph.objects(subject, DIPLO.tenure)),
                               key=lambda t: (t.start or date.min, t.position, t.organization or "")))
        label = props.pop("prefLabel")[0]
        aliases = tuple(props.pop("altLabel", []))
        return Entry(str(subject), kind, label, aliases, dict(props), tenures)

    def _tenure(self, node) -> Tenure:
        g = self.graph
        position = g.value(node, DIPLO.positionTitle)
        org = g.value(node, ORG.organization)
        start, end = g.value(node, SCHEMA.startDate), g.value(node, SCHEMA.endDate)
        return Tenure(str(position or ""), str(org) if org else None, _date(start), _date(end))

    # -- indexes --------------------------------------------------------------------

    @cached_property
    def by_key(self) -> dict[str, list[Entry]]:
        index: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries.values():
            for _, name in entry.patterns():
                key = text_key(name)
                if entry not in index[key]:
                    index[key].append(entry)
        return dict(index)

    @cached_property
    def by_surname(self) -> dict[str, list[Entry]]:
        index: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries.values():
            family = entry.prop("familyName")
            if entry.kind == "Person" and family:
                index[word_key(family)].append(entry)
        return dict(index)

    @cached_property
    def ministries(self) -> dict[tuple[str, str], Entry]:
        index = {}
        for entry in self.entries.values():
            for portfolio in entry.props.get("portfolio", []):
                key = phrase_key([w for w in words(portfolio) if w not in ",;"])
                index.setdefault((entry.country or "", key), entry)
        return index

    def lookup(self, key: str, kinds: set[str] | None = None) -> list[Entry]:
        return [e for e in self.by_key.get(key, []) if kinds is None or e.kind in kinds]

    def get(self, iri: str | None) -> Entry | None:
        return self.entries.get(iri) if iri else None

    def country_of(self, iri: str | None, depth: int = 4) -> Entry | None:
        """The country an entry belongs to, following place containment."""
        entry = self.get(iri)
        while entry is not None and depth > 0:
            if entry.kind == "Country":
                return entry
            entry = self.get(entry.country)
            depth -= 1
        return None

    def countries(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == "Country"]

    def government_of(self, country_iri: str) -> Entry | None:
        country = self.get(country_iri)
        return self.get(country.prop("government")) if country else None


def _date(value) -> date | None:
    if isinstance(value, Literal):
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    return None


_LOCK = threading.Lock()
_GAZETTEER: Gazetteer | None = None


def gazetteer_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or ontology_dir() / "gazetteer").glob("*.ttl"))


def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, parsed on first use."""
    global _GAZETTEER
    with _LOCK:
        if _GAZETTEER is None:
            graph = Graph()
            for path in gazetteer_files():
                try:
                    graph.parse(path, format="turtle")
                except Exception as e:  # rdflib raises several parser exception types
                    raise ModelError(f"cannot parse gazetteer {path.name}: {e}",
                                     "fix the Turtle syntax of that file") from e
            _GAZETTEER = Gazetteer(graph)
        return _GAZETTEER
