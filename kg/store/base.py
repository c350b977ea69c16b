"""What every store backend offers: queries with bindings and a time limit, one-transaction
graph writes, counts and serialisation. The backends (``local``, ``remote``) differ only in how
they run a query, an update and a bulk load."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod

from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result

from kg.queries import internal
from kg.vocab import PREFIXES

MEMORY = ":memory:"
FLUSH_EVERY = 100_000  # triples written between flushes of the on-disk store's buffers
EXPORT_FORMATS = {"turtle": "turtle", "ttl": "turtle", "trig": "trig", "nquads": "nquads", "nq": "nquads",
                  "json-ld": "json-ld", "jsonld": "json-ld"}


class Store(ABC):
    """An open RDF dataset whose default graph is the union of its named graphs. Use
    ``kg.store.open_store()`` to get one."""

    location: str

    def __init__(self, location: str) -> None:
        self.location = location
        self._written = 0

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"

    def close(self) -> None:
        """Release the store (a no-op where nothing is held)."""

    # -- what a backend provides ----------------------------------------------------------------

    @abstractmethod
    def query(self, sparql: str, bindings: dict | None = None, timeout: float | None = None) -> Result:
        """Run a SPARQL query; ``bindings`` are RDF terms given for variables (never pasted text),
        ``timeout`` seconds stop it (``kg.errors.QueryError``)."""

    def rows(self, sparql: str, bindings: dict | None = None) -> list[tuple[str | None, ...]]:
        """A SELECT query's rows as plain strings (the values' lexical forms; ``None`` where
        unbound): the cheap path for the look-ups the code runs per article."""
        return [tuple(None if v is None else str(v) for v in row) for row in self.query(sparql, bindings)]

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update in one transaction."""

    @abstractmethod
    def _write_graph(self, name: URIRef, ntriples: str, new: bool) -> None:
        """Replace the named graph ``name`` with these N-Triples in one transaction."""

    @abstractmethod
    def _dataset(self) -> Dataset:
        """The whole store as an rdflib Dataset (for serialisation)."""

    def flush(self) -> None:
        """Write buffered changes to disk (where the backend buffers them)."""
        self._written = 0

    # -- shared on top of them ------------------------------------------------------------------

    def count(self) -> int:
        """Quads in the store (all named graphs and the default graph)."""
        named = next(iter(self.query(internal("store-count-named"))))
        extra = next(iter(self.query(internal("store-count-default"))))
        return int(named[0]) + int(extra[0])

    def graph_names(self) -> list[str]:
        return sorted(str(r[0]) for r in self.query(internal("store-graph-names")))

    def graph(self, iri: str | URIRef) -> Graph:
        return self.query(internal("store-graph"), {"g": URIRef(iri)}).graph

    def replace_graph(self, graph, identifier: URIRef | str | None = None, new: bool = False) -> int:
        """Replace a named graph with ``graph``'s triples (an rdflib Graph or a
        ``kg.rdf.ArticleGraph``) in one transaction; returns the triple count.

        ``new=True`` says the graph is not in the store yet, so nothing needs dropping."""
        name = URIRef(identifier or graph.identifier)
        body = graph.ntriples() if hasattr(graph, "ntriples") else graph.serialize(format="nt")
        self._write_graph(name, body, new)
        self._written += len(graph)
        if self._written >= FLUSH_EVERY:
            self.flush()
        return len(graph)

    def drop_graph(self, identifier: URIRef | str) -> None:
        self.update(f"DROP SILENT GRAPH <{URIRef(identifier)}>")

    def serialize(self, fmt: str) -> str:
        """The whole store as Turtle, TriG, N-Quads or JSON-LD."""
        fmt = EXPORT_FORMATS[fmt]
        dataset = self._dataset()
        if fmt == "turtle":
            merged = bound(Graph())
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                merged.add((s, p, o))
            return merged.serialize(format="turtle")
        return dataset.serialize(format=fmt)


def bound(graph):
    """``graph`` with the project's prefixes bound."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def store_size_bytes(location: str) -> int:
    total = 0
    for root, _, files in os.walk(location):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total
