"""The records the event stages pass on, all frozen: what people finding found (``People``),
what every stage may read about the article (``Scene``), an event word (``Trigger``), what
one sentence says (``Frame``), an event being told (``Draft``) and the story so far
(``Story``). A stage that changes a record returns a new one (``dataclasses.replace``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Token

from kg.extract.context import Context
from kg.extract.dates import DateMention
from kg.extract.documents import DocumentMention
from kg.extract.events.words import Words
from kg.extract.people import PersonMention, PersonRecord, PostMention
from kg.extract.text import depth
from kg.model import Country, Mention, Organization, Place, Topic


@dataclass(frozen=True)
class People:
    """Everyone the article names: the people, the posts said without a name, and lookups."""

    records: tuple[PersonRecord, ...]
    post_mentions: tuple[PostMention, ...]
    person_at: dict[int, PersonMention]  # name mentions by their first token
    record_of: dict[int, PersonRecord]  # id(name mention) → its person
    post_tokens: frozenset[int]  # tokens of the posts, of named people and said alone

    def is_person(self, token: Token) -> bool:
        """Whether the token is part of a name or the head of a post said without one."""
        if any(m.start <= token.i < m.end for m in self.person_at.values()):
            return True
        return any(pm.head.i == token.i for pm in self.post_mentions)

    def key(self, token: Token) -> int:
        """One key per person (the token's own index for a token of no name)."""
        for m in self.person_at.values():
            if m.start <= token.i < m.end:
                return id(self.record_of[id(m)])
        return token.i


@dataclass(frozen=True)
class Scene:
    """What every stage may read about one article, computed once before the stages run."""

    ctx: Context
    words: Words
    people: People
    documents: tuple[DocumentMention, ...]
    doc_tokens: frozenset[int]  # tokens of document names
    absent: frozenset[int]  # first tokens of the sentences saying someone sent words only
    dateline_date: date | None
    dateline_city: tuple[Place, Mention] | None


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    type: str
    head: Token
    factual: bool
    ref: bool = False
    sideline: bool = False
    joined: bool = False  # "приняли участие в заседании …": the object of taking part

    @property
    def depth(self) -> int:
        return depth(self.head)


@dataclass(frozen=True)
class Frame:
    sent: int
    kind: str  # event | ref | addition
    type: str | None = None
    triggers: tuple[Trigger, ...] = ()
    main: Trigger | None = None
    new_marker: bool = False
    sideline: bool = False
    date: DateMention | None = None
    place: tuple[Place, Mention] | None = None
    people: tuple[tuple[PersonRecord, Mention], ...] = ()
    groups: tuple[PostMention, ...] = ()
    documents: tuple[DocumentMention, ...] = ()
    orgs: tuple[tuple[Organization, Mention], ...] = ()
    countries: tuple[Country, ...] = ()
    topics: tuple[Topic, ...] = ()


@dataclass(frozen=True)
class Draft:
    """An event being told: the frames merged into it and what they say."""

    type: str
    title: str
    frames: tuple[Frame, ...] = ()
    date: date | None = None
    date_known: bool = False
    date_mention: Mention | None = None
    place: Place | None = None
    place_mention: Mention | None = None
    eve_of: int | None = None  # the story (its index) this event came the day before, when its place came from it
    people: dict[int, tuple[PersonRecord, int, Mention]] = field(default_factory=dict)  # never changed: replaced
    documents: tuple[DocumentMention, ...] = ()
    orgs: tuple[tuple[Organization, Mention], ...] = ()
    countries: tuple[Country, ...] = ()
    topics: tuple[Topic, ...] = ()
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Story:
    """The events told so far, in the order they were first told, and the current one."""

    drafts: tuple[Draft, ...] = ()
    current: int | None = None

    @property
    def current_draft(self) -> Draft | None:
        return self.drafts[self.current] if self.current is not None else None

    def current_people(self) -> tuple[PersonRecord, ...]:
        draft = self.current_draft
        return tuple(r for r, _, _ in draft.people.values()) if draft is not None else ()
