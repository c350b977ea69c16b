"""The embedded backend: an Oxigraph store (a directory, or in memory) in this process.

Queries go through rdflib (``oxrdflib`` over the same ``pyoxigraph.Store``), so they return
rdflib results; updates and bulk loads go to Oxigraph natively, each in one transaction. A
query with a time limit runs in a child process, which can be stopped — Oxigraph cannot
interrupt a query in progress.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.query import Result

from kg.errors import QueryError, StoreError
from kg.store.base import MEMORY, Store, bound, first_line
from kg.vocab import PREFIXES


class LocalStore(Store):
    """An Oxigraph store in this process: ``oxigraph`` is the ``pyoxigraph.Store``,
    ``dataset`` the rdflib view of it."""

    def __init__(self, oxigraph: ox.Store, location: str) -> None:
        super().__init__(location)
        self._dirty = False  # written since the last flush
        self.oxigraph: ox.Store | None = oxigraph
        self.dataset: Dataset | None = bound(Dataset(store=OxigraphStore(store=oxigraph), default_union=True))
        # rdflib rebuilds this table on every query it is not given (~50 terms, most of a point look-up's time)
        self._namespaces = dict(self.dataset.namespaces())
        self._prefixes = {prefix: str(ns) for prefix, ns in self._namespaces.items()}

    def close(self) -> None:
        """Close the store, writing its buffers first: RocksDB would otherwise replay its
        write-ahead log at every later open (a second and more after a small ingest)."""
        if self.oxigraph is None:
            return
        try:
            if self._dirty and self.location != MEMORY:
                self.oxigraph.flush()
        except OSError as e:  # the directory was deleted or replaced under the writer
            raise StoreError(f"cannot write the store {self.location} to disk (deleted or replaced during the run?): "
                             f"{first_line(e)}",
                             "leave the store in place during kg ingest, then run it again") from e
        finally:
            self.dataset = self.oxigraph = None
        import gc

        gc.collect()  # query results still referencing the Oxigraph store hold its lock until collected

    def query(self, sparql: str, bindings: dict | None = None, timeout: float | None = None) -> Result:
        if timeout:
            return self._query_in_child(sparql, bindings or {}, timeout)
        try:
            result = self.dataset.query(sparql, initNs=self._namespaces, initBindings=bindings or {})
        except (SyntaxError, ValueError) as e:
            raise QueryError(f"the query failed: {first_line(e)}", "check the SPARQL syntax") from e
        if result.type == "SELECT":
            _ = result.bindings  # read every row now: Oxigraph's cursor must be freed in the thread that made it
        return result

    def rows(self, sparql: str, bindings: dict | None = None) -> list[tuple[str | None, ...]]:
        """Straight from Oxigraph, without making rdflib terms (a third of a point look-up)."""
        subs = {ox.Variable(name): _to_ox(term) for name, term in (bindings or {}).items()}
        try:
            solutions = self.oxigraph.query(sparql, use_default_graph_as_union=True, substitutions=subs,
                                            prefixes=self._prefixes)
        except (SyntaxError, ValueError) as e:
            raise QueryError(f"the query failed: {first_line(e)}", "check the SPARQL syntax") from e
        return [tuple(None if v is None else v.value for v in solution) for solution in solutions]

    def update(self, sparql: str) -> None:
        self._dirty = True
        try:
            self.oxigraph.update(sparql)
        except Exception as e:
            raise StoreError(f"the update failed: {first_line(e)}") from e

    def _write_graph(self, name: URIRef, ntriples: str, new: bool) -> None:
        if not new:
            self.update(f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{ntriples}\n}} }}")
            return
        self._dirty = True
        try:  # one transaction, without the SPARQL parser
            self.oxigraph.load(ntriples.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
        except Exception as e:
            raise StoreError(f"the write failed: {first_line(e)}") from e

    def flush(self) -> None:
        """RocksDB keeps writes in memory until flushed, so a long ingest flushes every
        ``FLUSH_EVERY`` triples to stay small."""
        super().flush()
        if self.location != MEMORY:
            self.oxigraph.flush()
        self._dirty = False

    def _dataset(self) -> Dataset:
        return self.dataset

    # -- queries with a time limit --------------------------------------------------------------

    def _query_in_child(self, sparql: str, bindings: dict, timeout: float) -> Result:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child_query, args=(self._reader, sparql, list(bindings.items()), child),
                           daemon=True)
        proc.start()
        child.close()
        if not parent.poll(timeout):
            proc.kill()
            proc.join()
            raise QueryError(f"the query did not finish in {timeout:g} s and was stopped",
                             "narrow it down, add a LIMIT, or raise --timeout")
        kind, payload = parent.recv()
        proc.join()
        return _result(kind, payload)

    def _reader(self) -> ox.Store:
        """The store as the child process reads it: the inherited memory store, or the
        directory opened read-only (RocksDB's threads do not survive a fork)."""
        return self.oxigraph if self.location == MEMORY else ox.Store.read_only(self.location)


def _child_query(reader, sparql: str, bindings: list, conn) -> None:
    """Child process: run the query, send the answer back serialised."""
    try:
        subs = {ox.Variable(name): _to_ox(term) for name, term in bindings}
        result = reader().query(sparql, use_default_graph_as_union=True, substitutions=subs,
                                prefixes={p: str(ns) for p, ns in PREFIXES.items()})
        if isinstance(result, ox.QueryTriples):
            conn.send(("nt", result.serialize(format=ox.RdfFormat.N_TRIPLES)))
        elif isinstance(result, ox.QueryBoolean):
            conn.send(("ask", bool(result)))
        else:
            conn.send(("json", result.serialize(format=ox.QueryResultsFormat.JSON)))
    except Exception as e:  # sent back and raised as a QueryError in the parent
        conn.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def _result(kind: str, payload) -> Result:
    if kind == "error":
        raise QueryError(f"the query failed: {payload}")
    if kind == "json":
        return Result.parse(io.BytesIO(payload), format="json")
    if kind == "ask":
        result = Result("ASK")
        result.askAnswer = payload
        return result
    result = Result("CONSTRUCT")
    result.graph = Graph().parse(data=payload.decode("utf-8"), format="nt")
    return result


def _to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal) and term.language:
        return ox.Literal(str(term), language=term.language)
    if isinstance(term, Literal) and term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def open_local(location: str, create: bool = True) -> LocalStore:
    """The store at ``location``: a directory (made when ``create``) or ``:memory:``."""
    if location == MEMORY:
        return LocalStore(ox.Store(), MEMORY)
    path = Path(location)
    if not path.exists() and not create:
        raise StoreError(f"no store at {path}", "run `kg ingest` first, or pass --store DIR")
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store directory", "pass a directory to --store")
    try:
        path.mkdir(parents=True, exist_ok=True)
        return LocalStore(ox.Store(str(path)), str(path))
    except OSError as e:
        hint = "another process (kg or oxigraph) may hold the store open" if "lock" in str(e).lower() else None
        raise StoreError(f"cannot open the store at {path}: {first_line(e)}", hint) from e
