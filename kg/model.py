"""The project's own small records. Third-party objects never leave ``kg.nlp``/``kg.extract``.

All records are frozen dataclasses of plain values, so they pickle (for ``--jobs``),
compare and hash. Character offsets always point into ``Article.text``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

EVENT_TYPES = ("Meeting", "Visit", "PhoneCall", "Summit", "Signing", "CulturalEvent", "Other")
DOCUMENT_TYPES = ("Agreement", "Memorandum", "Roadmap", "Protocol", "Declaration", "Programme",
                  "Contract", "Other")


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
