"""Incremental ingest: what adding articles costs when the store already holds many.

    python benchmarks/incremental.py                        # all three parts
    python benchmarks/incremental.py --skip-big             # only the 100-reports part
    python benchmarks/incremental.py --big-nq /tmp/big.nq --keep   # keep the synthetic N-Quads

1. **One event told by 100 articles.** The bundled seed article (``data/``) copied 100 times
   with distinct ids, each with one extra closing line, so all of them report the same
   events (one event node, 100 article graphs); ingested into an on-disk store. Then one
   more copy is added, and the same copy is added to an empty store (one holding only the
   reference graphs, as after any first ingest). Each add opens the store and runs
   ``kg.pipeline.ingest`` in this process, models and lexicons loaded beforehand; median of
   ``--repeats`` adds (a new copy each time, a fresh empty store each time).
2. **Ten articles into a store of 20,000.** The store is synthetic: the N-Quads generator of
   ``benchmarks/queries_1m.py`` (article graphs shaped like ``kg ingest`` output: events of
   every type over ten years, the gazetteer's people and generated Russian and Kazakh names,
   a fifth of the events told by two or three articles), ``--big-triples`` quads (10 M by
   default, about 21,000 articles), bulk-loaded into an on-disk store through
   ``kg.store``. Then ten real articles (the first ten of the dev set) are added, and the
   same ten to an empty store, as in part 1.
3. **Start-up on the big store.** In a fresh process with the models loaded: the wall time
   from opening the store to the first article written (``kg.pipeline.ingest`` of one new
   article, timed to its ``on_article`` callback), on the big store and on an empty one, and
   the growth of the process's resident memory over that span (VmRSS from ``/proc``).

The script prints measured numbers only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
SEED = ROOT / "data" / "seed_zakon_2025-10-11.txt"
DEV = ROOT.parent / "shared" / "corpus" / "dev"


def copies(folder: Path, start: int, n: int) -> list[Path]:
    """Copies ``start .. start+n-1`` of the seed article, each with its own closing line."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8").rstrip("\n")
    paths = []
    for k in range(start, start + n):
        path = folder / f"seed_copy_{k:04d}.txt"
        path.write_text(f"{text}\nМатериал подготовлен редакцией, выпуск {k}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def empty_store(location: Path) -> Path:
    """A store holding only the reference graphs (ontology, gazetteer, topics)."""
    from kg.pipeline import ensure_reference_graphs
    from kg.store import open_store

    with open_store(str(location)) as store:
        ensure_reference_graphs(store)
    return location


def timed_ingest(location: Path, paths: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds (this process, all its threads) to open the store, ingest
    ``paths`` and close it, models already loaded."""
    from kg.pipeline import ingest
    from kg.store import open_store

    wall, cpu = time.perf_counter(), time.process_time()
    with open_store(str(location)) as store:
        report = ingest(paths, store)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert report.ok and report.ingested == len(paths), report.summary()
    return wall, cpu


def compare(label: str, big: Path, empty_template: Path, batches: list[list[Path]], work: Path) -> None:
    """Adds each batch to the big store and to a fresh copy of the empty store, in turn."""
    on_big, on_empty = [], []
    for k, batch in enumerate(batches):
        fresh = work / f"empty-{label}-{k}"
        shutil.copytree(empty_template, fresh)
        on_empty.append(timed_ingest(fresh, batch))
        on_big.append(timed_ingest(big, batch))
        shutil.rmtree(fresh)
    for i, clock in enumerate(("wall", "CPU")):
        b, e = statistics.median(t[i] for t in on_big), statistics.median(t[i] for t in on_empty)
        print(f"  {clock}: into the large store {b:.2f} s, into an empty store {e:.2f} s — difference "
              f"{b - e:+.2f} s, ratio {b / e:.2f} (medians of {len(batches)}: "
              f"{', '.join(f'{t[i]:.2f}' for t in on_big)} | {', '.join(f'{t[i]:.2f}' for t in on_empty)})",
              flush=True)


def part_reports(work: Path, reports: int, repeats: int) -> None:
    store = work / "reports-store"
    empty = empty_store(work / "empty-template")
    step = max(1, reports // 10)
    times = [timed_ingest(store, copies(work / "reports", k, step))[0] for k in range(0, reports, step)]
    from kg.store import open_store

    with open_store(str(store)) as s:
        quads = s.count()
    print(f"1. one event told by {reports} articles: the copies ingested {step} at a time, each run "
          f"{', '.join(f'{t:.1f}' for t in times)} s ({quads:,} quads in the end)")
    print(f"  adding one more copy ({repeats} times):")
    compare("reports", store, empty, [copies(work / "more", reports + k, 1) for k in range(repeats)], work)


def warm_up(work: Path) -> None:
    """Load every model and lexicon once (the first article of a process pays for them)."""
    from kg.pipeline import ingest
    from kg.store import open_store

    with open_store(":memory:") as store:
        ingest(copies(work / "warm-up", 0, 2), store)


def build_big(work: Path, nq: Path, triples: int, reuse: bool, prepared: Path | None = None) -> tuple[Path, dict]:
    import pyoxigraph

    from kg.store import open_store
    from queries_1m import generate

    counts: dict = {}
    if prepared is not None:  # a store built by an earlier run (--keep): copied, not rebuilt
        location = work / "big-store"
        shutil.copytree(prepared, location)
        with open_store(str(location)) as store:
            counts["quads"] = len(store.oxigraph)
            counts["articles"] = int(next(iter(store.query(
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a a <https://schema.org/NewsArticle> } }")))[0])
        counts["load"] = 0.0
        return location, counts
    if not (reuse and nq.exists()):
        t = time.perf_counter()
        counts = generate(nq, triples, seed=1)
        counts["seconds"] = time.perf_counter() - t
    location = work / "big-store"
    t = time.perf_counter()
    with open_store(str(location)) as store:
        store.oxigraph.bulk_load(path=str(nq), format=pyoxigraph.RdfFormat.N_QUADS)
        counts["quads"] = len(store.oxigraph)
        counts["articles"] = int(next(iter(store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a a <https://schema.org/NewsArticle> } }")))[0])
    counts["load"] = time.perf_counter() - t
    return location, counts


STARTUP = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from incremental import warm_up
warm_up(Path(sys.argv[4]))
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
from kg.pipeline import ingest
from kg.store import open_store
before, started, cpu, first = rss(), time.perf_counter(), time.process_time(), []
store = open_store(sys.argv[1])
ingest([sys.argv[2]], store, on_article=lambda o, s: first.append((time.perf_counter(), time.process_time(), rss())))
store.close()
print(json.dumps({"seconds": first[0][0] - started, "cpu": first[0][1] - cpu, "rss_growth": first[0][2] - before}))
"""


def startup(location: Path, article: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", STARTUP, str(location), str(article), str(ROOT / "benchmarks"),
                          str(location.parent / "warm-up-startup")],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def part_big(work: Path, nq: Path, triples: int, reuse: bool, repeats: int, prepared: Path | None) -> None:
    big, counts = build_big(work, nq, triples, reuse, prepared)
    made = f"generated in {counts['seconds']:.0f} s, " if "seconds" in counts else ""
    how = f"a copy of {prepared}" if prepared else f"{made}bulk-loaded in {counts['load']:.0f} s"
    print(f"2. a synthetic store of {counts['articles']:,} articles, {counts['quads']:,} quads ({how})")
    dev = sorted(DEV.glob("*.txt"))[:10]
    empty = work / "empty-template"
    if not empty.exists():
        empty_store(empty)
    batches = []
    for k in range(repeats):   # the same ten articles under new ids each time, so each add is new
        folder = work / f"ten-{k}"
        folder.mkdir()
        for path in dev:
            (folder / f"{path.stem}-{work.name}-r{k}.txt").write_bytes(path.read_bytes())  # new in any store
        batches.append(sorted(folder.glob("*.txt")))
    print(f"  adding ten dev articles ({repeats} times):")
    compare("ten", big, empty, batches, work)
    article = work / "startup" / "seed_startup.txt"
    article.parent.mkdir()
    shutil.copy(SEED, article)
    rows = {}
    for label, location in (("large", big), ("empty", empty)):
        shutil.rmtree(work / "probe", ignore_errors=True)
        shutil.copytree(location, work / "probe")
        rows[label] = startup(work / "probe", article)
        shutil.rmtree(work / "probe")
    print("3. from opening the store to the first article written, models loaded, fresh process:")
    for label, r in rows.items():
        print(f"  {label} store: {r['seconds']:.2f} s wall, {r['cpu']:.2f} s CPU, resident memory grew "
              f"{r['rss_growth']:.0f} MiB")
    large, empty_ = rows["large"], rows["empty"]
    print(f"  difference {large['seconds'] - empty_['seconds']:+.2f} s wall, {large['cpu'] - empty_['cpu']:+.2f} s CPU, "
          f"{large['rss_growth'] - empty_['rss_growth']:+.0f} MiB")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=100, help="articles telling the one event (default 100)")
    ap.add_argument("--repeats", type=int, default=3, help="adds timed in each part (default 3)")
    ap.add_argument("--big-triples", type=int, default=10_000_000, help="quads of the large store (default 10 M)")
    ap.add_argument("--big-nq", type=Path, help="where the synthetic N-Quads go (default: a temporary folder)")
    ap.add_argument("--reuse", action="store_true", help="use --big-nq as it is when it exists")
    ap.add_argument("--big-store", type=Path, help="copy this store (the big-store of a kept run) instead of building one")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--skip-big", action="store_true", help="only part 1")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kg-incremental-"))
    try:
        warm_up(work)
        part_reports(work, args.reports, args.repeats)
        if not args.skip_big:
            part_big(work, args.big_nq or work / "big.nq", args.big_triples, args.reuse, args.repeats, args.big_store)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
