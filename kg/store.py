"""The RDF store: an Oxigraph directory through rdflib (default), an in-memory Oxigraph store
(``:memory:``), or any SPARQL 1.1 Query/Update endpoint.

The code speaks rdflib (``Dataset``, ``Graph``); queries run in Oxigraph. The default graph
is the union of the named graphs, so queries need no ``GRAPH`` clause. Writing an article
replaces its named graph in one SPARQL update — one transaction — so a reader never sees
half of an article.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result

from kg.config import ENDPOINT, STORE, UPDATE_ENDPOINT
from kg.errors import QueryError, StoreError
from kg.vocab import PREFIXES

MEMORY = ":memory:"
FLUSH_EVERY = 100_000  # triples written between flushes of the on-disk store's buffers


class RemoteEndpoint:
    """A SPARQL 1.1 Protocol server (Oxigraph server, Fuseki, Virtuoso, GraphDB), spoken to
    over HTTP. Its default graph should be the union of the named graphs (Oxigraph:
    ``--union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph true``)."""

    def __init__(self, query_url: str, update_url: str, timeout: float = 300) -> None:
        self.query_url, self.update_url, self.timeout = query_url, update_url, timeout

    def _post(self, url: str, field: str, text: str, accept: str) -> bytes:
        import urllib.error
        import urllib.parse
        import urllib.request

        data = urllib.parse.urlencode({field: text}).encode("utf-8")
        request = urllib.request.Request(url, data=data, headers={"Accept": accept,
                                                                  "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(f"{url} answered {e.code}: {detail[0] if detail else e.reason}") from e
        except (urllib.error.URLError, OSError) as e:
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {getattr(e, 'reason', e)}",
                             "is the server running? check --endpoint") from e

    def query(self, sparql: str) -> Result:
        import io

        if re.search(r"\b(CONSTRUCT|DESCRIBE)\b", _strip_prologue(sparql), re.I):
            data = self._post(self.query_url, "query", sparql, "application/n-triples")
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=data.decode("utf-8"), format="nt")
            return result
        data = self._post(self.query_url, "query", sparql, "application/sparql-results+json")
        return Result.parse(io.BytesIO(data), format="json")

    def update(self, sparql: str) -> None:
        self._post(self.update_url, "update", sparql, "*/*")


def _strip_prologue(sparql: str) -> str:
    return re.sub(r"(?im)^\s*(PREFIX|BASE)\b[^\n]*$|#[^\n]*", "", sparql)


def inline_bindings(sparql: str, bindings: dict) -> str:
    """For a remote server: give the values as ``VALUES`` data at the start of the query's
    group (terms in N-Triples syntax, never pasted text)."""
    if not bindings:
        return sparql
    from kg.rdf import nt

    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(nt(term) for term in bindings.values())
    match = re.search(r"\bWHERE\s*\{", sparql, re.I) or re.search(r"\{", sparql)
    if match is None:
        raise QueryError("cannot bind parameters: the query has no group")
    return f"{sparql[:match.end()]} VALUES ({names}) {{ ({values}) }} {sparql[match.end():]}"


class Store:
    """An open RDF dataset. Use ``open_store()`` to get one."""

    def __init__(self, dataset: Dataset | None, location: str, remote: RemoteEndpoint | None = None) -> None:
        self.dataset = dataset
        self.location = location
        self.remote = remote
        self._written = 0
        if dataset is not None:
            for prefix, ns in PREFIXES.items():
                dataset.bind(prefix, ns)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    def close(self) -> None:
        if self.dataset is None:
            return
        try:
            self.dataset.close()
        except Exception:  # closing twice
            pass
        self.dataset = None
        import gc

        gc.collect()  # query results still referencing the Oxigraph store hold its lock until collected

    # -- reading ------------------------------------------------------------------------------

    def query(self, sparql: str, bindings: dict | None = None, timeout: float | None = None) -> Result:
        """Run a SPARQL query; ``bindings`` are RDF terms substituted for variables (never text)."""
        try:
            if self.remote is not None:
                return self.remote.query(inline_bindings(sparql, bindings or {}))
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
        return None if self.remote is not None else self.dataset.store._inner

    def update(self, sparql: str) -> None:
        """Run a SPARQL update in one transaction (natively: rdflib's own engine would parse
        and apply it triple by triple)."""
        if self.remote is not None:
            self.remote.update(sparql)
            return
        try:
            self.oxigraph.update(sparql)
        except Exception as e:
            raise StoreError(f"the update failed: {_first_line(e)}") from e

    def replace_graph(self, graph, identifier: URIRef | str | None = None, new: bool = False) -> int:
        """Replace a named graph with ``graph``'s triples (an rdflib Graph or a
        ``kg.rdf.ArticleGraph``) in one transaction; returns the triple count.

        ``new=True`` says the graph is not in the store yet: a local store then loads the
        N-Triples in one transaction without going through the SPARQL parser."""
        name = URIRef(identifier or graph.identifier)
        body = graph.ntriples() if hasattr(graph, "ntriples") else graph.serialize(format="nt")
        if new and self.remote is None:
            self._load(body, name)
        else:
            self.update(f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{body}\n}} }}")
        self._written += len(graph)
        if self._written >= FLUSH_EVERY:
            self.flush()
        return len(graph)

    def _load(self, ntriples: str, name: URIRef) -> None:
        import pyoxigraph

        try:
            self.oxigraph.load(ntriples.encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES,
                               to_graph=pyoxigraph.NamedNode(str(name)))
        except Exception as e:
            raise StoreError(f"the write failed: {_first_line(e)}") from e

    def flush(self) -> None:
        """Write the store's in-memory buffers to disk. RocksDB keeps every write in memory
        until then, so a long ingest flushes every ``FLUSH_EVERY`` triples to stay small."""
        self._written = 0
        if self.remote is None and self.location != MEMORY:
            self.oxigraph.flush()

    def drop_graph(self, identifier: URIRef | str) -> None:
        self.update(f"DROP SILENT GRAPH <{URIRef(identifier)}>")

    def serialize(self, fmt: str) -> str:
        """The whole store as Turtle, TriG, N-Quads or JSON-LD."""
        fmt = {"turtle": "turtle", "ttl": "turtle", "trig": "trig", "nquads": "nquads", "nq": "nquads",
               "json-ld": "json-ld", "jsonld": "json-ld"}[fmt]
        dataset = self.dataset if self.remote is None else self._fetch_all()
        if fmt == "turtle":
            merged = Graph()
            for prefix, ns in PREFIXES.items():
                merged.bind(prefix, ns)
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                merged.add((s, p, o))
            return merged.serialize(format="turtle")
        return dataset.serialize(format=fmt)

    def _fetch_all(self) -> Dataset:
        dataset = Dataset()
        for prefix, ns in PREFIXES.items():
            dataset.bind(prefix, ns)
        for row in self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            dataset.graph(row[3]).add((row[0], row[1], row[2]))
        return dataset


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def resolve_location(location: str | None = None) -> str:
    return location or STORE.value() or "./kg-store"


def open_store(location: str | None = None, endpoint: str | None = None,
               update_endpoint: str | None = None, create: bool = True, reader: bool = False) -> Store:
    """Open the store at ``location`` (a directory or ``:memory:``), or a remote endpoint.

    A ``reader`` that finds the directory held by a writer gets a read-only snapshot of its
    last committed state (``kg.access``). Defaults come from ``KG_STORE`` / ``KG_ENDPOINT`` /
    ``KG_UPDATE_ENDPOINT``."""
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
        from kg.access import is_locked, open_snapshot

        if reader and is_locked(e):
            return open_snapshot(path)
        hint = "another process (kg or oxigraph) may hold the store open" if "lock" in str(e).lower() else None
        raise StoreError(f"cannot open the store at {path}: {_first_line(e)}", hint) from e
    return Store(dataset, str(path))


def _open_remote(query_url: str, update_url: str) -> Store:
    return Store(None, query_url, remote=RemoteEndpoint(query_url, update_url))


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
