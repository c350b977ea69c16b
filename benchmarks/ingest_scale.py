"""Ingest at scale: articles/s for --jobs 1 and --jobs 2 against the bare Natasha pipeline,
in one run, on a corpus of N articles; and the peak memory of an ingest of M articles.

    python benchmarks/ingest_scale.py [--articles 2000] [--memory-articles 10000] [--out DIR]

The corpus is built from the dev and held-out articles, repeated with distinct ids (and a
varying last sentence, so every article has its own content), written as JSONL. Each `kg
ingest` runs as a fresh process (`python -m kg ingest corpus.jsonl --store NEW -q`) and is
timed from start to exit, model loading included. kg runs the models' maths on one thread
per process (``--jobs N`` = N cores); bare Natasha is timed both with numpy's default
thread pool and on one thread, each in a fresh process. Peak memory is the largest resident set
of the whole process tree (the writer and its workers), sampled from /proc.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT.parent / "shared" / "corpus" / "dev", ROOT / "benchmarks" / "heldout" / "corpus",
           ROOT / "benchmarks" / "heldout2" / "corpus"]


def build_corpus(path: Path, n: int) -> list[str]:
    from kg.read import iter_files, read_file

    base = [read_file(p) for p in iter_files([s for s in SOURCES if s.exists()])]
    texts = []
    with path.open("w", encoding="utf-8") as out:
        for k in range(n):
            a = base[k % len(base)]
            text = a.text + f"\nМатериал подготовлен редакцией, выпуск {k}."
            texts.append(text)
            record = {"id": f"{a.id}-{k:05d}", "text": text, "title": a.title,
                      "published": a.published.isoformat() if a.published else None, "source": a.source}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return texts


def bare_natasha(corpus: Path, one_thread: bool) -> float:
    """Seconds for the bare Natasha pipeline over the corpus's texts, model loading included,
    in a fresh process: with numpy's default thread pool, or on one thread as kg runs it."""
    code = ("import json, sys, time; sys.path.insert(0, sys.argv[2]); started = time.perf_counter(); "
            "from speed import natasha_pipeline; "
            "texts = [json.loads(line)['text'] for line in open(sys.argv[1], encoding='utf-8')]; "
            "natasha_pipeline()(texts); print(time.perf_counter() - started)")
    env = dict(os.environ)
    if one_thread:
        env.update({name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")})
    out = subprocess.run([sys.executable, "-c", code, str(corpus), str(Path(__file__).parent)], env=env,
                         capture_output=True, text=True, check=True).stdout
    return float(out.split()[-1])


def tree_rss(pid: int) -> int:
    """Resident set of a process and all its descendants, in bytes."""
    total, todo = 0, [pid]
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
    return total


def run_ingest(corpus: Path, store: Path, jobs: int) -> tuple[float, int, str]:
    cmd = [sys.executable, "-m", "kg", "ingest", str(corpus), "--store", str(store), "-q", "--jobs", str(jobs)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.25)
    out, err = proc.communicate()
    if proc.returncode not in (0, 2):
        raise SystemExit(f"ingest failed: {err[-2000:]}")
    return time.perf_counter() - started, peak, out.strip()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--memory-articles", type=int, default=10000)
    parser.add_argument("--out", type=Path, default=None, help="keep the corpora and stores here")
    args = parser.parse_args(argv)
    work = args.out or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"corpus-{args.articles}.jsonl"
    texts = build_corpus(corpus, args.articles)
    print(f"corpus: {args.articles} articles, {sum(map(len, texts)):,} characters, {corpus}")
    natasha = {}
    for one_thread in (False, True):
        natasha[one_thread] = args.articles / bare_natasha(corpus, one_thread)
        print(f"bare Natasha ({'one math thread' if one_thread else 'default threads'}): "
              f"{natasha[one_thread]:6.1f} articles/s")
    rates = {}
    for jobs in (1, 2):
        seconds, peak, summary = run_ingest(corpus, work / f"store-j{jobs}", jobs)
        rates[jobs] = args.articles / seconds
        print(f"kg ingest --jobs {jobs}:      {rates[jobs]:6.1f} articles/s  ({seconds:.1f}s, peak RSS "
              f"{peak / 2**20:.0f} MiB)   [{summary}]")
    print(f"--jobs 2 / --jobs 1: {rates[2] / rates[1]:.2f}×;  kg --jobs 1 / bare Natasha: "
          f"{rates[1] / natasha[False]:.2f} (default threads), {rates[1] / natasha[True]:.2f} (one thread)")
    if args.memory_articles:
        big = work / f"corpus-{args.memory_articles}.jsonl"
        build_corpus(big, args.memory_articles)
        for jobs in (1, 2):
            seconds, peak, summary = run_ingest(big, work / f"store-big-j{jobs}", jobs)
            print(f"{args.memory_articles} articles, --jobs {jobs}: peak RSS {peak / 2**20:.0f} MiB, "
                  f"{args.memory_articles / seconds:.1f} articles/s ({seconds:.0f}s)   [{summary}]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
