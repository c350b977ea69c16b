"""Stable identities: deterministic IRIs for the people, organizations, places, documents
and events the extractor found (same input → same IRIs), gazetteer IRIs where known."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

from kg.model import Country, Document, Event, Organization, Person, Place, Topic
from kg.vocab import GRAPH, ID

TRANSLIT = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
            "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
            "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
            "э": "e", "ю": "yu", "я": "ya", "қ": "q", "ә": "a", "ғ": "gh", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u",
            "һ": "h", "і": "i"}
EVENT_GROUPS = {"Visit": "Meeting"}


@lru_cache(maxsize=100_000)
def slug(text: str, limit: int = 80) -> str:
    """An ASCII slug: transliterated, lowercase, hyphenated."""
    text = "".join(TRANSLIT.get(ch, ch) for ch in text.lower())
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
    return re.sub(r"\s+", " ", name.lower().replace("ё", "е")).strip()


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


def event_key(event: Event) -> str:
    """What makes an event itself: its kind, day, place and people."""
    people = sorted(str(person_iri(p.person)) for p in event.participants)
    place = str(place_iri(event.location)) if event.location else ""
    kind = EVENT_GROUPS.get(event.type, event.type)
    day = event.date.isoformat() if event.date else ""
    anchor = "|".join(people) if people else name_key(event.title)
    return digest(kind, day, place, anchor, size=16)


def event_iri(event: Event) -> URIRef:
    return ID[f"event/{event_key(event)}"]
