"""Ingest orchestration: read → extract → graph → store, one article at a time.

Each article is written in one transaction (all of its graph or none). A broken article
is reported with its path and a one-line reason, and the batch goes on. Unchanged
articles (same content hash) are skipped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal

from kg.errors import KGError
from kg.model import Article
from kg.store import Store
from kg.vocab import DIPLO, GRAPH, SCHEMA

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
    q = (f"PREFIX schema: <{SCHEMA}> PREFIX diplo: <{DIPLO._NS}> "
         "SELECT ?id ?h WHERE { ?a a schema:NewsArticle ; schema:identifier ?id ; diplo:contentHash ?h }")
    return {str(r[0]): str(r[1]) for r in store.query(q)}


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
        g.add((name, DIPLO.contentHash, Literal(stamp)))
        store.replace_graph(g)
    scheme = topic_scheme(load_lexicons().topics)
    if _stamp(store, TOPICS_GRAPH) != str(len(scheme)):
        scheme.add((TOPICS_GRAPH, DIPLO.contentHash, Literal(str(len(scheme)))))
        store.replace_graph(scheme, TOPICS_GRAPH)


def _stamp(store: Store, name) -> str | None:
    rows = list(store.query(f"SELECT ?h WHERE {{ GRAPH <{name}> {{ <{name}> <{DIPLO.contentHash}> ?h }} }}"))
    return str(rows[0][0]) if rows else None


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
    """A resolver that knows the people and events already in the store."""
    from kg.resolve import Resolver

    resolver = Resolver()
    q_people = (f"PREFIX schema: <{SCHEMA}> SELECT ?p ?n WHERE {{ ?p a schema:Person ; schema:name ?n . "
                f"FILTER EXISTS {{ ?e schema:attendee ?p }} }}")
    for row in store.query(q_people):
        resolver.know_person(str(row[0]), str(row[1]))
    q_events = (f"PREFIX schema: <{SCHEMA}> PREFIX diplo: <{DIPLO._NS}> PREFIX prov: <http://www.w3.org/ns/prov#> "
                "SELECT ?e ?t ?d ?place ?p ?id WHERE { ?e a diplo:DiplomaticEvent ; a ?t ; schema:startDate ?d ; "
                "prov:wasDerivedFrom/schema:identifier ?id . FILTER(?t != diplo:DiplomaticEvent) "
                "OPTIONAL { ?e schema:location ?place } OPTIONAL { ?e schema:attendee ?p } }")
    for row in store.query(q_events):
        kind = str(row[1]).rsplit("#", 1)[-1].replace("OtherEvent", "Other")
        resolver.know_event(str(row[0]), kind, str(row[2]), str(row[3]) if row[3] else None,
                            {str(row[4])} if row[4] else set(), {str(row[5])})
    return resolver


def ingest(paths: Iterable[str | Path], store: Store, force: bool = False, fail_fast: bool = False,
           on_article: Callable[[str, str], None] | None = None) -> IngestReport:
    """Ingest files and folders into the store; returns the report."""
    from kg.read import iter_files, read_file

    from kg.gazetteer import load_gazetteer
    from kg.rdf import article_graph

    started = time.perf_counter()
    report = IngestReport()
    ensure_reference_graphs(store)
    known = {} if force else stored_hashes(store)
    resolver = load_resolver(store)
    pending: list[tuple[str, Article]] = []

    def fail(origin: str, e: Exception) -> None:
        reason = e.message if isinstance(e, KGError) else f"internal error: {type(e).__name__}: {e}"
        report.failed.append(Failure(origin, reason))
        _notify(on_article, origin, "failed")

    def flush() -> bool:
        for (origin, _), result in zip(pending, extract_batch([a for _, a in pending])):
            try:
                if isinstance(result, Exception):
                    raise result
                extraction = result
                graph = article_graph(extraction, gazetteer=load_gazetteer(), resolver=resolver)
                report.triples += store.replace_graph(graph)
                report.events += len(extraction.events)
                report.ingested += 1
                _notify(on_article, origin, "ingested")
            except Exception as e:  # one broken article never stops the batch
                fail(origin, e)
                if fail_fast:
                    return False
        pending.clear()
        return True

    for path in iter_files(paths):
        origin = str(path)
        try:
            article = read_file(path)
        except KGError as e:
            fail(origin, e)
            if fail_fast:
                break
            continue
        report.read += 1
        if known.get(article.id) == article.content_hash:
            report.skipped += 1
            _notify(on_article, origin, "skipped")
            continue
        pending.append((origin, article))
        if len(pending) >= BATCH and not flush():
            break
    if pending and not (fail_fast and report.failed):
        flush()
    report.seconds = time.perf_counter() - started
    return report


def _notify(callback, origin: str, status: str) -> None:
    if callback is not None:
        callback(origin, status)

