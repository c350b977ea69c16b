"""The RDF store: an Oxigraph directory through rdflib (default), an in-memory Oxigraph store
(``:memory:``), or any SPARQL 1.1 Query/Update endpoint.

The code speaks rdflib (``Dataset``, ``Graph``); queries run in Oxigraph. The default graph
is the union of the named graphs, so queries need no ``GRAPH`` clause. Writing an article
replaces its named graph in one SPARQL update — one transaction — so a reader never sees
half of an article.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result

from kg.config import ENDPOINT, STORE, UPDATE_ENDPOINT
from kg.errors import QueryError, StoreError
from kg.vocab import PREFIXES

MEMORY = ":memory:"


class Store:
    """An open RDF dataset. Use ``open_store()`` to get one."""

    def __init__(self, dataset: Dataset, location: str, remote: bool = False) -> None:
        self.dataset = dataset
        self.location = location
        self.remote = remote
        for prefix, ns in PREFIXES.items():
            dataset.bind(prefix, ns)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    def close(self) -> None:
        try:
            self.dataset.close()
        except Exception:  # closing twice, or a remote store without a session
            pass

    # -- reading ------------------------------------------------------------------------------

    def query(self, sparql: str, bindings: dict | None = None, timeout: float | None = None) -> Result:
        """Run a SPARQL query; ``bindings`` are RDF terms substituted for variables (never text)."""
        try:
            return self.dataset.query(sparql, initBindings=bindings or {})
        except (SyntaxError, ValueError) as e:
            raise QueryError(f"the query failed: {_first_line(e)}", "check the SPARQL syntax") from e
        except Exception as e:
            if type(e).__name__ in ("ParseException", "ParseError"):
                raise QueryError(f"the query failed: {_first_line(e)}", "check the SPARQL syntax") from e
            raise

    def count(self) -> int:
        """Quads in the store (all named graphs and the default graph)."""
        row = next(iter(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))
        extra = next(iter(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER NOT EXISTS "
                                     "{ GRAPH ?g { ?s ?p ?o } } }")))
        return int(row[0]) + int(extra[0])

    def graph_names(self) -> list[str]:
        return sorted(str(r[0]) for r in self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))

    def graph(self, iri: str | URIRef) -> Graph:
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{URIRef(iri)}> {{ ?s ?p ?o }} }}")
        return result.graph

    # -- writing ------------------------------------------------------------------------------

    @property
    def oxigraph(self):
        """The pyoxigraph store underneath (local stores only)."""
        return None if self.remote else self.dataset.store._inner

    def update(self, sparql: str) -> None:
        """Run a SPARQL update in one transaction (natively: rdflib's own engine would parse
        and apply it triple by triple)."""
        try:
            if self.remote:
                self.dataset.store.update(sparql)
            else:
                self.oxigraph.update(sparql)
        except Exception as e:
            raise StoreError(f"the update failed: {_first_line(e)}") from e

    def replace_graph(self, graph, identifier: URIRef | str | None = None) -> int:
        """Replace a named graph with ``graph``'s triples (an rdflib Graph or a
        ``kg.rdf.ArticleGraph``) in one transaction; returns the triple count."""
        name = URIRef(identifier or graph.identifier)
        body = graph.ntriples() if hasattr(graph, "ntriples") else graph.serialize(format="nt")
        self.update(f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{body}\n}} }}")
        return len(graph)

    def drop_graph(self, identifier: URIRef | str) -> None:
        self.update(f"DROP SILENT GRAPH <{URIRef(identifier)}>")

    def serialize(self, fmt: str) -> str:
        """The whole store as Turtle, TriG, N-Quads or JSON-LD."""
        fmt = {"turtle": "turtle", "ttl": "turtle", "trig": "trig", "nquads": "nquads", "nq": "nquads",
               "json-ld": "json-ld", "jsonld": "json-ld"}[fmt]
        if fmt == "turtle":
            merged = Graph()
            for prefix, ns in PREFIXES.items():
                merged.bind(prefix, ns)
            for s, p, o, _ in self.dataset.quads((None, None, None, None)):
                merged.add((s, p, o))
            return merged.serialize(format="turtle")
        return self.dataset.serialize(format=fmt)


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def resolve_location(location: str | None = None) -> str:
    return location or STORE.value() or "./kg-store"


def open_store(location: str | None = None, endpoint: str | None = None,
               update_endpoint: str | None = None, create: bool = True) -> Store:
    """Open the store at ``location`` (a directory or ``:memory:``), or a remote endpoint.

    Defaults come from ``KG_STORE`` / ``KG_ENDPOINT`` / ``KG_UPDATE_ENDPOINT``."""
    endpoint = endpoint or ENDPOINT.value()
    if endpoint:
        return _open_remote(endpoint, update_endpoint or UPDATE_ENDPOINT.value() or endpoint)
    location = resolve_location(location)
    if location == MEMORY:
        return Store(Dataset(store="Oxigraph", default_union=True), MEMORY)
    path = Path(location)
    if not path.exists() and not create:
        raise StoreError(f"no store at {path}", "run `kg ingest` first, or pass --store DIR")
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store directory", "pass a directory to --store")
    try:
        path.mkdir(parents=True, exist_ok=True)
        dataset = Dataset(store="Oxigraph", default_union=True)
        dataset.open(str(path))
    except OSError as e:
        hint = "another process (kg or oxigraph) may hold the store open" if "lock" in str(e).lower() else None
        raise StoreError(f"cannot open the store at {path}: {_first_line(e)}", hint) from e
    return Store(dataset, str(path))


def _open_remote(query_url: str, update_url: str) -> Store:
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    store = SPARQLUpdateStore(query_endpoint=query_url, update_endpoint=update_url, context_aware=True,
                              returnFormat="json")
    dataset = Dataset(store=store, default_union=True)
    return Store(dataset, query_url, remote=True)


@contextmanager
def opened(location: str | None = None, **kwargs) -> Iterator[Store]:
    store = open_store(location, **kwargs)
    try:
        yield store
    finally:
        store.close()


def store_size_bytes(location: str) -> int:
    total = 0
    for root, _, files in os.walk(location):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total
