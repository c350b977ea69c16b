"""The project's own small records. Third-party objects never leave ``kg.nlp``/``kg.extract``.

All records are frozen dataclasses of plain values, so they pickle (for ``--jobs``),
compare and hash. Character offsets always point into ``Article.text``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from kg import __version__

EXTRACTOR_VERSION = f"kg-extract/{__version__}"

# An event's type, as the records name it → its class in ``ontology/diplo.ttl`` (local name).
# The order decides when the articles behind one merged event disagree: the first type wins.
EVENT_CLASSES = {"Meeting": "Meeting", "Visit": "Visit", "PhoneCall": "PhoneCall", "Summit": "Summit",
                 "Signing": "Signing", "CulturalEvent": "CulturalEvent", "Other": "OtherEvent"}
DOCUMENT_CLASSES = {"Agreement": "Agreement", "Memorandum": "Memorandum", "Roadmap": "Roadmap",
                    "Protocol": "Protocol", "Declaration": "Declaration", "Programme": "Programme",
                    "Contract": "Contract", "Other": "OtherDocument"}
EVENT_TYPES = tuple(EVENT_CLASSES)
DOCUMENT_TYPES = tuple(DOCUMENT_CLASSES)
_EVENT_TYPE_OF = {c: t for t, c in EVENT_CLASSES.items()}


def event_type(class_name: str) -> str:
    """The event type of one class ("OtherEvent" → "Other"); a name outside the table as it is."""
    return _EVENT_TYPE_OF.get(class_name, class_name)


def first_type(class_names: Iterable[str], table: dict[str, str] = EVENT_CLASSES) -> str:
    """The type of something stated with these classes: the first of ``table`` among them, else "Other"."""
    names = set(class_names)
    return next((t for t, c in table.items() if c in names), "Other")


@dataclass(frozen=True)
class Article:
    """One news article: its body text and what is known about it."""

    id: str
    text: str
    title: str | None = None
    published: datetime | None = None
    source: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    rubric: str | None = None
    path: str | None = None
    encoding: str | None = None  # the character encoding the source was read in
    warnings: tuple[str, ...] = ()  # what reading had to repair (never part of the content hash)

    @property
    def date(self) -> date | None:
        return self.published.date() if self.published else None

    @property
    def content_hash(self) -> str:
        """A digest of everything the extractor reads, to skip unchanged articles."""
        parts = [self.id, self.text, self.title or "", self.published.isoformat() if self.published else "",
                 self.source or "", self.url or "", "|".join(self.authors), "|".join(self.tags)]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def _repr_html_(self) -> str:
        from html import escape
        meta = ", ".join(escape(x) for x in (self.source, str(self.published or ""), *self.authors) if x)
        return f"<b>{escape(self.title or self.id)}</b><br><small>{meta}</small><p>{escape(self.text[:500])}…</p>"


@dataclass(frozen=True)
class Mention:
    """A span of the article's text that states a fact, with its sentence."""

    start: int
    end: int
    text: str
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True)
class Country:
    name: str
    gid: str | None = None


@dataclass(frozen=True)
class Place:
    name: str
    country: Country | None = None
    kind: str = "City"
    gid: str | None = None


@dataclass(frozen=True)
class Organization:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "Organization"
    country: Country | None = None
    gid: str | None = None


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
    gender: str | None = None
    country: Country | None = None
    gid: str | None = None


@dataclass(frozen=True)
class Participation:
    """A person taking part in an event, in a post, on behalf of an organization."""

    person: Person
    position: str | None = None
    organization: Organization | None = None
    country: Country | None = None
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Document:
    title: str
    type: str = "Other"
    parties: tuple[Organization | Country, ...] = ()
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Topic:
    label: str
    concept: str | None = None


@dataclass(frozen=True)
class Event:
    type: str
    title: str
    date: date | None = None
    location: Place | None = None
    countries: tuple[Country, ...] = ()
    participants: tuple[Participation, ...] = ()
    organizations: tuple[Organization, ...] = ()
    documents: tuple[Document, ...] = ()
    topics: tuple[Topic, ...] = ()
    mentions: tuple[Mention, ...] = ()
    date_mention: Mention | None = None
    location_mention: Mention | None = None


@dataclass(frozen=True)
class Extraction:
    """What the extractor found in one article."""

    article: Article
    events: tuple[Event, ...] = ()
    warnings: tuple[str, ...] = field(default=())
