"""Stable identities: deterministic IRIs for the people, organizations, places, documents
and events the extractor found (same input → same IRIs), gazetteer IRIs where known."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol
from urllib.parse import quote

from rdflib import URIRef

from kg.config import lexicon_dir
from kg.keys import fold, surname_key
from kg.model import Country, Document, Event, Organization, Person, Place, Topic
from kg.util import read_rows
from kg.vocab import GRAPH, ID

EVENT_GROUPS = {"Visit": "Meeting"}


@lru_cache(maxsize=1)
def _transliteration() -> dict[str, str]:
    return {row[0]: row[1] if len(row) > 1 else "" for row in read_rows(lexicon_dir() / "transliteration.tsv")}


@lru_cache(maxsize=100_000)
def slug(text: str, limit: int = 80) -> str:
    """An ASCII slug: transliterated, lowercase, hyphenated."""
    letters = _transliteration()
    text = "".join(letters.get(ch, ch) for ch in text.lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:limit].rstrip("-") or "x"


@lru_cache(maxsize=100_000)
def digest(*parts: str, size: int = 10) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:size]


@lru_cache(maxsize=100_000)
def safe_id(article_id: str) -> str:
    """An article id made safe for an IRI path segment: readable when it is, hashed when not."""
    cleaned = re.sub(r"[^A-Za-z0-9._~-]", "_", article_id)[:120].strip("._") or "article"
    if cleaned == article_id:
        return cleaned
    return f"{cleaned}-{digest(article_id, size=8)}"


def article_iri(article_id: str) -> URIRef:
    return ID[f"article/{safe_id(article_id)}"]


def graph_iri(article_id: str) -> URIRef:
    return GRAPH[safe_id(article_id)]


def name_key(name: str) -> str:
    return re.sub(r"\s+", " ", fold(name)).strip()


def person_iri(person: Person) -> URIRef:
    return URIRef(person.gid) if person.gid else ID[f"person/{slug(person.name)}"]


def org_iri(org: Organization) -> URIRef:
    return URIRef(org.gid) if org.gid else ID[f"org/{slug(org.name, 70)}-{digest(name_key(org.name), size=6)}"]


def country_iri(country: Country) -> URIRef:
    return URIRef(country.gid) if country.gid else ID[f"country/{slug(country.name)}"]


def place_iri(place: Place) -> URIRef:
    return URIRef(place.gid) if place.gid else ID[f"place/{slug(place.name)}"]


def party_iri(party: Organization | Country) -> URIRef:
    return country_iri(party) if isinstance(party, Country) else org_iri(party)


def document_iri(doc: Document) -> URIRef:
    return ID[f"document/{slug(doc.title, 60)}-{digest(name_key(doc.title), size=8)}"]


def topic_iri(topic: Topic) -> URIRef:
    return ID[f"topic/{slug(topic.label, 60)}"]


def concept_iri(concept: str) -> URIRef:
    return ID[f"topics/{quote(concept)}"]


TOPIC_SCHEME = ID["topics"]


def event_iri(event: Event) -> URIRef:
    """What makes an event itself: its kind, day, place and people."""
    return event_iri_for(event)


# -- across articles ------------------------------------------------------------------------

def surname_of(name: str) -> str:
    """The gender-neutral key of a name's last word: "Аида Балаева", "А. Балаева" → "балаев"."""
    words = re.findall(r"[\w-]+", name)
    return surname_key(words[-1]) if words else ""


def first_names(name: str) -> tuple[str, ...]:
    words = re.findall(r"[\w-]+", name)
    return tuple(w.lower() for w in words[:-1])


def names_compatible(a: str, b: str) -> bool:
    """Same surname and no contradiction in first names ("А. Балаева" ~ "Аида Балаева")."""
    if surname_of(a) != surname_of(b):
        return False
    fa, fb = first_names(a), first_names(b)
    if not fa or not fb:
        return True
    return fa[0] == fb[0] or (len(fa[0]) == 1 or len(fb[0]) == 1) and fa[0][0] == fb[0][0]


class Resolver:
    """Deterministic IRIs that also reach what other articles already put in the store: the
    same person under another form of the name, the same event reported by another outlet
    (same kind, day and place, and people in common).

    ``known`` (a ``KnownFacts``: ``people(surname_key)`` and ``events(day)``) answers for the
    store, asked once per surname and per day the articles need, never for all of it; what
    this run writes is added as it is written. A person's resolution is kept for one article
    (``begin_article``), so an article resolves the same in one run as in an increment."""

    def __init__(self, known: KnownFacts | None = None) -> None:
        self.known = known
        self.people: dict[str, list[tuple[str, str]]] = {}   # surname key → (iri, name)
        self.events: dict[str, list[dict]] = {}              # day → events
        self._asked: set[tuple[str, str]] = set()
        self._person_cache: dict[tuple, URIRef] = {}

    def begin_article(self) -> None:
        self._person_cache.clear()

    # what the store knows ----------------------------------------------------------------
    def know_person(self, iri: str, name: str) -> None:
        bucket = self.people.setdefault(surname_of(name), [])
        if (iri, name) not in bucket:
            bucket.append((iri, name))

    def know_event(self, iri: str, kind: str, day: str | None, place: str | None, people: set[str],
                   sources: set[str]) -> None:
        if not day:
            return
        kind = EVENT_GROUPS.get(kind, kind)
        for known in self.events.setdefault(day, []):
            if known["iri"] == iri:
                known["kinds"].add(kind)
                known["people"] |= people
                known["sources"] |= sources
                places = {p for p in (known["place"], place) if p}
                known["place"] = min(places) if places else None  # the same whatever the order of reports
                return
        self.events[day].append({"iri": iri, "kinds": {kind}, "place": place, "people": set(people),
                                 "sources": set(sources)})

    def _people_named(self, key: str) -> list[tuple[str, str]]:
        if self.known is not None and ("person", key) not in self._asked:
            self._asked.add(("person", key))
            for iri, name in self.known.people(key):
                self.know_person(iri, name)
        return self.people.get(key, [])

    def _events_on(self, day: str) -> list[dict]:
        if self.known is not None and ("day", day) not in self._asked:
            self._asked.add(("day", day))
            for iri, kind, place, people, sources in self.known.events(day):
                self.know_event(iri, kind, day, place, people, sources)
        return self.events.get(day, [])

    # resolution ---------------------------------------------------------------------------
    def person(self, person: Person) -> URIRef:
        if person.gid:
            return URIRef(person.gid)
        key = (person.name, person.aliases)
        if key not in self._person_cache:
            self._person_cache[key] = self._find_person(person) or person_iri(person)
        return self._person_cache[key]

    def _find_person(self, person: Person) -> URIRef | None:
        names = (person.name,) + tuple(person.aliases)
        candidates = self._people_named(surname_of(person.name))
        fits = {iri for iri, known in candidates if any(names_compatible(n, known) for n in names)}
        exact = {iri for iri, known in candidates if known == person.name}
        if len(exact) == 1:
            return URIRef(exact.pop())
        return URIRef(fits.pop()) if len(fits) == 1 else None

    def event(self, event: Event, article_id: str) -> URIRef:
        """An event another article reported (same kind, day, place, shared people), else a
        new deterministic IRI. Among equally good candidates the first IRI in order wins."""
        own = event_iri_for(event, self.person)
        if event.date is None or not event.participants:
            return own
        people = {str(self.person(p.person)) for p in event.participants}
        place = str(place_iri(event.location)) if event.location else None
        kind = EVENT_GROUPS.get(event.type, event.type)
        best, overlap = None, 0
        for known in sorted(self._events_on(event.date.isoformat()), key=lambda k: k["iri"]):
            if known["iri"] == str(own) or article_id in known["sources"] and known["sources"] == {article_id}:
                continue
            if kind not in known["kinds"] or (place and known["place"] and place != known["place"]):
                continue
            shared = len(people & known["people"])
            if shared > overlap:
                best, overlap = known["iri"], shared
        return URIRef(best) if best else own


class KnownFacts(Protocol):
    """What a store already holds, asked for by key (``kg.known.StoreFacts``)."""

    def people(self, surname_key: str) -> Iterable[tuple[str, str]]:
        """(IRI, name) of the event participants whose name has this surname key."""

    def events(self, day: str) -> Iterable[tuple[str, str, str | None, set[str], set[str]]]:
        """(IRI, kind, place IRI, participant IRIs, source article ids) of the events of a day."""


def event_iri_for(event: Event, person=person_iri) -> URIRef:
    people = sorted(str(person(p.person)) for p in event.participants)
    place = str(place_iri(event.location)) if event.location else ""
    kind = EVENT_GROUPS.get(event.type, event.type)
    day = event.date.isoformat() if event.date else ""
    anchor = "|".join(people) if people else name_key(event.title)
    return ID[f"event/{digest(kind, day, place, anchor, size=16)}"]
