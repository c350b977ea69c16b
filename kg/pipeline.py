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

from kg.errors import InputError, KGError
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
    detail: str | None = None  # the traceback, for -v


@dataclass(frozen=True)
class Broken:
    """An article that could not be extracted, as a worker sends it back: picklable, with a
    one-line reason and the traceback."""

    reason: str
    detail: str


@dataclass
class IngestReport:
    read: int = 0
    ingested: int = 0
    replaced: int = 0  # of the ingested: articles that replaced an older version of themselves
    skipped: int = 0
    failed: list[Failure] = field(default_factory=list)
    events: int = 0
    triples: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # inputs passed over, text repaired, workers restarted

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        rate = self.ingested / self.seconds if self.seconds else 0.0
        notes = f"; {len(self.notes)} note(s)" if self.notes else ""
        return (f"read {self.read}, ingested {self.ingested} ({self.replaced} replacing an older version), "
                f"skipped {self.skipped} unchanged, failed {len(self.failed)}; {self.events} events, "
                f"{self.triples} triples in {self.seconds:.1f}s ({rate:.1f} articles/s){notes}")


def one_line(e: BaseException) -> str:
    """A failure's reason in one line: a kg error's message, else the exception's type and first line."""
    text = e.message if isinstance(e, KGError) else f"internal error: {type(e).__name__}: {e}"
    text = " ".join(text.split())
    return text[:497] + "..." if len(text) > 500 else text


def broken(e: BaseException) -> Broken:
    """The failure record of an exception; a traceback only for the unexpected (not a kg error)."""
    import traceback

    return Broken(one_line(e), "" if isinstance(e, KGError) else "".join(traceback.format_exception(e)))


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
    yield, per article, its ``Extraction`` or a ``Broken`` record saying why not. This is the
    per-article work that parallelises; it touches no store. When the batch cannot be parsed
    together, each article is parsed alone, so one bad text costs only itself."""
    from kg import nlp

    try:
        docs = list(nlp.pipe([a.text for a in articles], batch_size=len(articles) or 1))
    except Exception:
        yield from (_extract_one(article) for article in articles)
        return
    yield from (_extract_one(article, doc) for article, doc in zip(articles, docs))


def _extract_one(article: Article, doc=None):
    from kg import nlp
    from kg.extract import extract

    try:
        return extract(article, doc if doc is not None else nlp.parse(article.text))
    except Exception as e:  # reported per article by the writer
        return broken(e)


def load_resolver(store: Store):
    """A resolver that asks the store for what it needs — the participants with a surname, the
    events of a day — as the articles being written need it, never for all of it."""
    from kg.known import StoreFacts
    from kg.resolve import Resolver

    return Resolver(StoreFacts(store))


def ingest(paths: Iterable[str | Path], store: Store, force: bool = False, fail_fast: bool = False,
           on_article: Callable[[str, str], None] | None = None, jobs: int = 1, dask: str | None = None,
           stdin=None, max_chars: int | None = None) -> IngestReport:
    """Ingest files, folders, JSONL files and ``-`` into the store; returns the report.
    Articles longer than ``max_chars`` characters (``kg.read.MAX_CHARS``) fail."""
    from kg.read import MAX_CHARS, byte_limit, iter_sources

    max_chars = max_chars or MAX_CHARS
    return ingest_sources(iter_sources(paths, stdin=stdin, max_bytes=byte_limit(max_chars)), store, force,
                          fail_fast, on_article, jobs, dask, max_chars=max_chars)


def ingest_sources(sources: Iterable, store: Store, force: bool = False, fail_fast: bool = False,
                   on_article: Callable[[str, str], None] | None = None, jobs: int = 1,
                   dask: str | None = None, max_chars: int | None = None) -> IngestReport:
    """Ingest ``kg.read.Source`` items (an origin and a loader each).

    Articles are read lazily and extracted in batches — in this process, in ``jobs`` worker
    processes, or on a Dask cluster at ``dask`` — while one writer (this process) resolves
    identities and writes each article in one transaction, in input order, so the store is
    the same whatever ran the extraction. Every failure of one article is reported with its
    origin and the rest go on; the store directory vanishing ends the run (``StoreError``)."""
    from kg.access import watch
    from kg.read import MAX_CHARS

    started = time.perf_counter()
    report = IngestReport()
    guard = watch(store)
    with engine(jobs, dask, note=report.notes.append) as run:  # workers load their models meanwhile
        _ingest_with(run, sources, store, force, fail_fast, on_article, report, max_chars or MAX_CHARS, guard)
    report.seconds = time.perf_counter() - started
    return report


def _ingest_with(run, sources: Iterable, store: Store, force: bool, fail_fast: bool,
                 on_article: Callable[[str, str], None] | None, report: IngestReport, max_chars: int,
                 guard) -> None:
    from kg.errors import SkippedInput
    from kg.gazetteer import load_gazetteer
    from kg.known import StoredArticles
    from kg.rdf import article_graph
    from kg.resolve import graph_iri

    ensure_reference_graphs(store)
    stored = StoredArticles(store)  # graph name → (id, hash) of what the store holds, asked per article
    claimed: dict = {}  # graph name → (origin, hash) of the articles read in this run
    replacing: set = set()  # graph names whose stored version this run replaces
    resolver = load_resolver(store)
    stop = False

    def fail(origin: str, e: BaseException) -> None:
        nonlocal stop
        failure = broken(e) if not isinstance(e, Broken) else e
        report.failed.append(Failure(origin, failure.reason, failure.detail))
        _notify(on_article, origin, "failed")
        stop = stop or fail_fast

    def admit(origin: str, article: Article) -> bool:
        """Whether to extract the article (False: unchanged or a duplicate; raises on a collision)."""
        if len(article.text) > max_chars:
            raise InputError(f"{origin}: {len(article.text):,} characters is over the limit of {max_chars:,} "
                             "per article (--max-chars)", "split the article, or raise --max-chars")
        name, digest = graph_iri(article.id), article.content_hash
        first = claimed.get(name)
        if first is not None and first[1] != digest:
            raise InputError(f"{origin}: the id {article.id!r} is already taken in this run by {first[0]}; "
                             "not stored", "give one of them a distinct id")
        old = stored.get(name)
        if old is not None and old[0] and old[0] != article.id:
            raise InputError(f"{origin}: the id {article.id!r} names the same graph as the stored article "
                             f"{old[0]!r}; not stored", "give it a distinct id")
        if first is not None:
            report.notes.append(f"{origin}: the same article as {first[0]}; read once")
            return False
        claimed[name] = (origin, digest)
        if old is not None and old[1] == digest and not force:
            return False
        if old is not None and old[1] != digest:
            replacing.add(name)
        return True

    def articles() -> Iterator[tuple[str, Article]]:
        for source in sources:
            if stop:
                return
            try:
                article = source.load()
            except SkippedInput as e:
                report.notes.append(e.message)
                continue
            except Exception as e:  # reading, decoding, size, parsing: the article's own failure
                fail(source.origin, e)
                continue
            report.read += 1
            report.notes.extend(article.warnings)
            if article.published is None:
                report.warnings.append(f"{source.origin}: no publication date; relative dates stay unresolved")
            try:
                wanted = admit(source.origin, article)
            except Exception as e:
                fail(source.origin, e)
                continue
            if wanted:
                yield source.origin, article
            else:
                report.skipped += 1
                _notify(on_article, source.origin, "skipped")

    gazetteer = load_gazetteer()
    for origin, result in run(articles()):
        if stop:
            break
        if isinstance(result, Broken):
            fail(origin, result)
            continue
        try:
            graph = article_graph(result, gazetteer=gazetteer, resolver=resolver)
            report.triples += store.replace_graph(graph, new=graph.identifier not in stored)
        except Exception as e:  # RDF building and writing: one broken article never stops the batch
            fail(origin, e)
            guard.wrote(store)
            continue
        stored[graph.identifier] = (result.article.id, result.article.content_hash)
        report.replaced += graph.identifier in replacing
        report.events += len(result.events)
        report.ingested += 1
        guard.wrote(store)  # flushed when due, so readers see it; the directory still there
        _notify(on_article, origin, "ingested")
    guard.finish(store)


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


WORKER_DIED = "the worker process extracting it died (killed, or out of memory)"
MAX_RESTARTS = 20


class Workers:
    """``jobs`` worker processes that outlive the death of one: the batches it took with it
    are extracted again in fresh workers, a batch that kills its worker twice is taken one
    article at a time, and an article that kills its worker alone fails with ``WORKER_DIED``."""

    def __init__(self, jobs: int, note: Callable[[str], None]) -> None:
        self.jobs, self.note, self.restarts = jobs, note, 0
        self.pool = self._start()

    def _start(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_warm_worker)
        pool.submit(int)  # start the workers now: they load their models while the writer gets ready
        return pool

    def submit(self, articles: list[Article]):
        from concurrent.futures.process import BrokenProcessPool

        pool = self.pool
        try:
            future = pool.submit(_extract_list, articles)
        except BrokenProcessPool:  # a worker died before this batch was given out
            future = None
        return lambda: self._result(pool, future, articles)

    def _result(self, pool, future, articles: list[Article]) -> list:
        from concurrent.futures.process import BrokenProcessPool

        try:
            if future is not None:
                return future.result()
        except BrokenProcessPool:
            pass
        self._restart(pool)
        try:
            return self.pool.submit(_extract_list, articles).result()
        except BrokenProcessPool:
            self._restart(self.pool)
        return [self._alone(article) for article in articles]

    def _alone(self, article: Article):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(_extract_list, [article]).result()[0]
        except BrokenProcessPool:
            self._restart(self.pool)
            return Broken(WORKER_DIED, WORKER_DIED)

    def _restart(self, broken_pool) -> None:
        if broken_pool is not self.pool:
            return  # restarted already, for another batch that was in flight
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            raise KGError(f"worker processes died {self.restarts} times; stopping",
                          "check the machine's memory (dmesg) or run with fewer --jobs")
        self.note(f"a worker process died; its articles are extracted again (restart {self.restarts})")
        self.stop(broken_pool)
        self.pool = self._start()

    @staticmethod
    def stop(pool) -> None:
        """Stop a pool at once: its queued batches are dropped and its workers end."""
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def engine(jobs: int = 1, dask: str | None = None, note: Callable[[str], None] | None = None):
    """A function mapping (origin, article) pairs to (origin, extraction-or-Broken), in order."""
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
    workers = Workers(jobs, note or (lambda message: None))
    try:
        yield lambda items: _windowed(workers.submit, items, 2 * jobs)
    finally:
        workers.stop(workers.pool)
