"""What the store already holds, asked for by key as ingest needs it: the participants with a
surname, the events of a day, an article's content hash. Each is an index look-up whose rows
grow with the article graphs that state the answer, so starting an ingest costs nothing and
adding an article costs what its own names and days cost, whatever the size of the store."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.queries import internal
from kg.resolve import graph_iri
from kg.store import Store


class StoreFacts:
    """The store's side of ``kg.resolve.KnownFacts``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def people(self, surname_key: str) -> list[tuple[str, str]]:
        rows = self.store.rows(internal("resolver-people"), {"key": Literal(surname_key)})
        return [(row[0], row[1]) for row in rows]

    def events(self, day: str) -> Iterator[tuple[str, str, str | None, set[str], set[str]]]:
        rows = self.store.rows(internal("resolver-events"), {"day": Literal(day, datatype=XSD.date)})
        for event, cls, place, person, article_id, _ in rows:
            kind = cls.rsplit("#", 1)[-1].replace("OtherEvent", "Other")
            yield event, kind, place, {person} if person else set(), {article_id}


class StoredArticles:
    """Graph name → (article id, content hash) of the article the store holds in it, looked up
    per graph (one index query, cached); what this run writes is remembered. ``in`` tells
    whether the store (or this run) holds the graph at all."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._known: dict[str, tuple[bool, tuple[str, str] | None]] = {}

    def _state(self, name) -> tuple[bool, tuple[str, str] | None]:
        key = str(name)
        if key not in self._known:
            rows = self.store.rows(internal("ingest-article-state"), {"g": URIRef(key)})
            row = rows[0] if rows else None
            article = (row[2] or "", row[1]) if row and row[1] is not None else None
            self._known[key] = (bool(rows), article)
        return self._known[key]

    def get(self, name) -> tuple[str, str] | None:
        return self._state(name)[1]

    def __contains__(self, name) -> bool:
        return self._state(name)[0]

    def __setitem__(self, name, article: tuple[str, str]) -> None:
        self._known[str(name)] = (True, article)
