"""Ingest orchestration: read → extract → graph → store, one article at a time.

Each article is written in one transaction (all of its graph or none). A broken article
is reported with its path and a one-line reason, and the batch goes on. Unchanged
articles (same content hash) are skipped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal

from kg.errors import KGError
from kg.model import Article
from kg.queries import internal
from kg.store import Store
from kg.util import batched
from kg.vocab import DIPLO, GRAPH

ONTOLOGY_GRAPH = GRAPH["ontology"]
GAZETTEER_GRAPH = GRAPH["gazetteer"]
TOPICS_GRAPH = GRAPH["topics"]


@dataclass
class Failure:
    origin: str
    reason: str


@dataclass
class IngestReport:
    read: int = 0
    ingested: int = 0
    skipped: int = 0
    failed: list[Failure] = field(default_factory=list)
    events: int = 0
    triples: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        rate = self.ingested / self.seconds if self.seconds else 0.0
        return (f"read {self.read}, ingested {self.ingested}, skipped {self.skipped} unchanged, "
                f"failed {len(self.failed)}; {self.events} events, {self.triples} triples "
                f"in {self.seconds:.1f}s ({rate:.1f} articles/s)")


def stored_hashes(store: Store) -> dict[str, str]:
    """Article id → content hash of what the store holds."""
    return {str(r[0]): str(r[1]) for r in store.query(internal("ingest-stored-hashes"))}


def ensure_reference_graphs(store: Store) -> None:
    """Load the ontology, the gazetteers and the topic scheme once per store (reloaded when
    their files change), so analysts can query labels, classes and Wikidata ids."""
    from kg.config import ontology_dir
    from kg.gazetteer import gazetteer_files
    from kg.lexicon import load_lexicons
    from kg.rdf import topic_scheme

    sources = {ONTOLOGY_GRAPH: [ontology_dir() / "diplo.ttl"], GAZETTEER_GRAPH: gazetteer_files()}
    for name, files in sources.items():
        stamp = "|".join(f"{p.name}:{p.stat().st_size}:{int(p.stat().st_mtime)}" for p in files)
        if _stamp(store, name) == stamp:
            continue
        g = Graph(identifier=name)
        for path in files:
            g.parse(path, format="turtle")
        g = stable_blank_nodes(g, name)
        g.add((name, DIPLO.contentHash, Literal(stamp)))
        store.replace_graph(g)
    scheme = topic_scheme(load_lexicons().topics)
    if _stamp(store, TOPICS_GRAPH) != str(len(scheme)):
        scheme.add((TOPICS_GRAPH, DIPLO.contentHash, Literal(str(len(scheme)))))
        store.replace_graph(scheme, TOPICS_GRAPH)


def stable_blank_nodes(graph: Graph, name) -> Graph:
    """Blank nodes (the gazetteers' tenures) as IRIs named by their content, so that every
    load of the same files gives the same triples."""
    import hashlib

    from rdflib import BNode, URIRef

    def key(node) -> str:
        parts = sorted(f"{p} {o}" for p, o in graph.predicate_objects(node) if not isinstance(o, BNode))
        owners = sorted(f"{s} {p}" for s, p in graph.subject_predicates(node))
        return hashlib.sha1("\n".join(owners + parts).encode("utf-8")).hexdigest()[:16]

    names = {node: URIRef(f"{name}#n{key(node)}") for node in set(graph.all_nodes()) if isinstance(node, BNode)}
    out = Graph(identifier=graph.identifier)
    for s, p, o in graph:
        out.add((names.get(s, s), p, names.get(o, o)))
    return out


def _stamp(store: Store, name) -> str | None:
    rows = store.rows(internal("ingest-graph-stamp"), {"g": name})
    return rows[0][0] if rows else None


BATCH = 16


def extract_batch(articles: list[Article]):
    """Extract a batch of articles — the NLP models run over the whole batch at once — and
    yield, per article, its ``Extraction`` or the ``Exception`` that stopped it. This is the
    per-article work that parallelises; it touches no store."""
    from kg import nlp
    from kg.extract import extract

    for article, doc in zip(articles, nlp.pipe([a.text for a in articles], batch_size=len(articles) or 1)):
        try:
            yield extract(article, doc)
        except Exception as e:  # reported per article by the caller
            yield e


def load_resolver(store: Store):
    """A resolver that asks the store for what it needs — the participants with a surname, the
    events of a day — as the articles being written need it, never for all of it."""
    from kg.known import StoreFacts
    from kg.resolve import Resolver

    return Resolver(StoreFacts(store))


def ingest(paths: Iterable[str | Path], store: Store, force: bool = False, fail_fast: bool = False,
           on_article: Callable[[str, str], None] | None = None, jobs: int = 1, dask: str | None = None,
           stdin=None) -> IngestReport:
    """Ingest files, folders, JSONL files and ``-`` into the store; returns the report."""
    from kg.read import iter_sources

    return ingest_sources(iter_sources(paths, stdin=stdin), store, force, fail_fast, on_article, jobs, dask)


def ingest_sources(sources: Iterable, store: Store, force: bool = False, fail_fast: bool = False,
                   on_article: Callable[[str, str], None] | None = None, jobs: int = 1,
                   dask: str | None = None) -> IngestReport:
    """Ingest ``kg.read.Source`` items (an origin and a loader each).

    Articles are read lazily and extracted in batches — in this process, in ``jobs`` worker
    processes, or on a Dask cluster at ``dask`` — while one writer (this process) resolves
    identities and writes each article in one transaction, in input order, so the store is
    the same whatever ran the extraction."""
    started = time.perf_counter()
    with engine(jobs, dask) as run:  # workers load their models while the writer gets ready
        report = _ingest_with(run, sources, store, force, fail_fast, on_article)
    report.seconds = time.perf_counter() - started
    return report


def _ingest_with(run, sources: Iterable, store: Store, force: bool, fail_fast: bool,
                 on_article: Callable[[str, str], None] | None) -> IngestReport:
    from kg.gazetteer import load_gazetteer
    from kg.known import StoredGraphs, StoredHashes
    from kg.rdf import article_graph

    report = IngestReport()
    ensure_reference_graphs(store)
    known = StoredHashes(store, force)  # article id → stored content hash, asked per article
    present = StoredGraphs(known)  # the article graphs the store holds, asked per graph
    resolver = load_resolver(store)
    stop = False

    def fail(origin: str, e: Exception) -> None:
        nonlocal stop
        reason = e.message if isinstance(e, KGError) else f"internal error: {type(e).__name__}: {e}"
        report.failed.append(Failure(origin, reason))
        _notify(on_article, origin, "failed")
        stop = stop or fail_fast

    def articles() -> Iterator[tuple[str, Article]]:
        for source in sources:
            if stop:
                return
            try:
                article = source.load()
            except KGError as e:
                fail(source.origin, e)
                continue
            report.read += 1
            if article.published is None:
                report.warnings.append(f"{source.origin}: no publication date; relative dates stay unresolved")
            if known.get(article.id) == article.content_hash:
                report.skipped += 1
                _notify(on_article, source.origin, "skipped")
                continue
            known[article.id] = article.content_hash
            yield source.origin, article

    gazetteer = load_gazetteer()
    for origin, result in run(articles()):
        if stop:
            break
        try:
            if isinstance(result, Exception):
                raise result
            graph = article_graph(result, gazetteer=gazetteer, resolver=resolver)
            report.triples += store.replace_graph(graph, new=graph.identifier not in present)
            present.add(graph.identifier)
            report.events += len(result.events)
            report.ingested += 1
            _notify(on_article, origin, "ingested")
        except Exception as e:  # one broken article never stops the batch
            fail(origin, e)
    return report


def _notify(callback, origin: str, status: str) -> None:
    if callback is not None:
        callback(origin, status)


# -- engines: who runs the extraction ---------------------------------------------------------

def _extract_list(articles: list[Article]) -> list:
    """A batch's results as a list (what a worker sends back)."""
    return list(extract_batch(articles))


def _warm_worker() -> None:
    """Load the NLP pipeline once per worker process, before the first batch."""
    from kg import nlp

    nlp.load()


def _windowed(submit, items, window: int):
    """Submit batches, at most ``window`` in flight, and yield results in input order."""
    from collections import deque

    flight: deque = deque()
    for batch in batched(items, BATCH):
        flight.append((batch, submit([a for _, a in batch])))
        if len(flight) >= window:
            yield from _drain(flight.popleft())
    while flight:
        yield from _drain(flight.popleft())


def _drain(entry):
    batch, pending = entry
    for (origin, _), result in zip(batch, pending()):
        yield origin, result


@contextmanager
def engine(jobs: int = 1, dask: str | None = None):
    """A function mapping (origin, article) pairs to (origin, extraction-or-error), in order."""
    if dask:
        from distributed import Client

        with Client(dask) as client:
            client.run(_warm_worker)
            workers = max(1, len(client.scheduler_info().get("workers", {})))
            yield lambda items: _windowed(lambda arts: client.submit(_extract_list, arts, pure=False).result,
                                          items, 2 * workers)
        return
    if jobs <= 1:
        from concurrent.futures import ThreadPoolExecutor

        # the models run in one thread while this one writes the previous batch: the store's
        # writes release the GIL, so the disk's work overlaps the next batch's NLP
        with ThreadPoolExecutor(1, thread_name_prefix="kg-extract") as pool:
            yield lambda items: _windowed(lambda arts: pool.submit(_extract_list, arts).result, items, 2)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs, initializer=_warm_worker) as pool:
        yield lambda items: _windowed(lambda arts: pool.apply_async(_extract_list, (arts,)).get, items, 2 * jobs)
