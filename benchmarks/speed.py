"""Ingest speed against the bare Natasha pipeline, on the same articles, in one run.

    python benchmarks/speed.py [--rounds 3] [--on-disk] [ARTICLES...]

Bare Natasha: razdel segmentation + slovnet morphology + syntax + NER over each article
(``natasha.Doc``, as Natasha's README uses it). kg: the whole ingest as ``kg ingest`` runs it —
read, the spaCy pipeline over batches of articles (the same models, batched across
articles, plus pymorphy3 lemmas and the gazetteer matcher), extraction, the RDF graph, and
the write into an in-memory Oxigraph store (with ``--on-disk``: ``kg.pipeline.ingest`` into a
new on-disk store each round, as ``kg ingest --jobs 1`` writes). Both pass over the same texts the same number
of times after one warm-up pass, in turn within each round; the best round of each is reported.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT.parent / "shared" / "corpus" / "dev", ROOT / "benchmarks" / "heldout" / "corpus"]


def natasha_pipeline():
    """The bare Natasha pipeline as its README uses it: a function over a list of texts."""
    from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    emb = NewsEmbedding()
    seg, morph, syntax, ner = Segmenter(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb)

    def run(texts: list[str]) -> None:
        for text in texts:
            doc = Doc(text)
            doc.segment(seg)
            doc.tag_morph(morph)
            doc.parse_syntax(syntax)
            doc.tag_ner(ner)

    return run


def kg_ingest_runner(paths: list[Path]):
    from kg.gazetteer import load_gazetteer
    from kg.pipeline import BATCH, extract_batch, load_resolver
    from kg.rdf import article_graph
    from kg.read import read_file
    from kg.store import open_store

    store = open_store(":memory:")
    resolver = load_resolver(store)

    def run() -> None:
        for k in range(0, len(paths), BATCH):
            for extraction in extract_batch([read_file(p) for p in paths[k:k + BATCH]]):
                store.replace_graph(article_graph(extraction, gazetteer=load_gazetteer(), resolver=resolver))

    return run


def kg_disk_runner(paths: list[Path], work: Path):
    """``kg ingest --jobs 1`` into a new on-disk store, as the CLI runs it (``kg.pipeline.ingest``:
    reading, hash look-ups, the resolver's store look-ups, one transaction per article), timed
    up to the flush of the store's buffers; the store is made with its reference graphs
    beforehand and closed afterwards, outside the time (costs of a run, not of its articles)."""
    import shutil

    from kg.pipeline import ensure_reference_graphs, ingest
    from kg.store import open_store

    template = work / "template"
    with open_store(str(template)) as store:
        ensure_reference_graphs(store)
    rounds = iter(range(1_000_000))
    stores: list = []

    def prepare() -> None:
        location = work / f"round-{next(rounds)}"
        shutil.copytree(template, location)
        stores.append(open_store(str(location)))

    def run() -> None:
        store = stores[-1]
        report = ingest(paths, store)
        store.flush()
        assert report.ok and report.ingested == len(paths), report.summary()

    def finish() -> None:
        stores.pop().close()

    run.prepare, run.finish = prepare, finish
    return run


def interleaved(runs: dict, rounds: int) -> dict[str, float]:
    """The best time of each runner over ``rounds`` rounds, run in turn within each round (so
    that a slow spell of the machine hits both), after one warm-up round."""
    for run in runs.values():
        _timed(run)  # warm-up: models loaded, caches filled
    best = {name: float("inf") for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            best[name] = min(best[name], _timed(run))
    return best


def _timed(run) -> float:
    """Seconds of one run; its ``prepare`` and ``finish`` (where it has them) are not timed."""
    getattr(run, "prepare", lambda: None)()
    started = time.perf_counter()
    run()
    elapsed = time.perf_counter() - started
    getattr(run, "finish", lambda: None)()
    return elapsed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--on-disk", action="store_true",
                        help="kg writes into an on-disk store through kg.pipeline.ingest, as `kg ingest --jobs 1`")
    args = parser.parse_args(argv)
    from kg.read import iter_files, read_file

    paths = list(iter_files([p for p in args.paths if p.exists()]))
    texts = [read_file(p).text for p in paths]
    chars = sum(len(t) for t in texts)
    natasha_run = natasha_pipeline()
    with tempfile.TemporaryDirectory(prefix="kg-speed-") as work:
        kg_run = kg_disk_runner(paths, Path(work)) if args.on_disk else kg_ingest_runner(paths)
        best = interleaved({"natasha": lambda: natasha_run(texts), "kg": kg_run}, args.rounds)
    natasha, ours = best["natasha"], best["kg"]
    print(f"{len(paths)} articles, {chars:,} characters, best of {args.rounds} interleaved rounds")
    print(f"bare Natasha (segment+morph+syntax+NER): {len(paths) / natasha:7.1f} articles/s  ({natasha:.2f}s)")
    where = "on-disk store, kg.pipeline.ingest" if args.on_disk else "in-memory store"
    print(f"kg ingest (nlp+extract+rdf+store):       {len(paths) / ours:7.1f} articles/s  ({ours:.2f}s; {where})")
    print(f"kg / Natasha speed: {natasha / ours:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
