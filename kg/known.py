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


class StoredHashes:
    """Article id → the content hash the store holds for it, looked up per article (one query
    that also tells whether the article's graph exists, for ``StoredGraphs``); what this run
    sets is remembered. With ``force`` the store's hashes are ignored."""

    def __init__(self, store: Store, force: bool = False) -> None:
        self.store, self.force = store, force
        self._set: dict[str, str] = {}
        self._stored: dict[str, tuple[bool, str | None]] = {}

    def get(self, article_id: str) -> str | None:
        if article_id in self._set:
            return self._set[article_id]
        return None if self.force else self.stored(graph_iri(article_id))[1]

    def __setitem__(self, article_id: str, content_hash: str) -> None:
        self._set[article_id] = content_hash

    def stored(self, graph) -> tuple[bool, str | None]:
        """Whether the store holds the graph, and the content hash of the article in it."""
        key = str(graph)
        if key not in self._stored:
            rows = self.store.rows(internal("ingest-article-state"), {"g": URIRef(graph)})
            self._stored[key] = (bool(rows), rows[0][1] if rows else None)
        return self._stored[key]


class StoredGraphs:
    """The named graphs the store holds, asked per graph (through the hash look-up's answer
    where it was asked already); ``add`` records one this run wrote."""

    def __init__(self, hashes: StoredHashes) -> None:
        self.hashes = hashes
        self._added: set[str] = set()

    def __contains__(self, name) -> bool:
        return str(name) in self._added or self.hashes.stored(name)[0]

    def add(self, name) -> None:
        self._added.add(str(name))
