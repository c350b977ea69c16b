"""Snapshot the extractor's output, to prove a refactoring changes nothing.

    python benchmarks/snapshot.py --save DIR      # write DIR/<set>.events.json and DIR/<set>.nq
    python benchmarks/snapshot.py --compare DIR   # the same sets now, against DIR
    python benchmarks/snapshot.py --compare DIR dev heldout   # only some sets

Each set is ingested into a fresh temporary store with ``kg ingest`` and exported twice: as
``events-json`` (what the scorer reads) and as N-Quads (the whole graph). ``--compare``
prints, per set, ``identical`` or ``different`` with the first article whose events (or
whose quads) differ. The graphs are compared as sets of quads once the extraction run's own
stamp (the times of its ``prov:Activity``, the only quads that differ between two runs of the
same code) is set aside; the graph has
no blank nodes, so equal quad sets are isomorphic graphs. The exit code is 1 when any set
differs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SETS = {
    "dev": SHARED / "corpus" / "dev",
    "heldout": ROOT / "benchmarks" / "heldout" / "corpus",
    "heldout2": ROOT / "benchmarks" / "heldout2" / "corpus",
    "heldout3": ROOT / "benchmarks" / "heldout3" / "corpus",
    "factrueval_dev": SHARED / "datasets" / "factRuEval-2016" / "devset",
    "nerel_dev": SHARED / "datasets" / "NEREL" / "dev",
}
RUN_STAMP = ("<http://www.w3.org/ns/prov#startedAtTime>", "<http://www.w3.org/ns/prov#endedAtTime>")


def texts(folder: Path, into: Path) -> Path:
    """A folder of links to the ``.txt`` files of ``folder`` (datasets hold annotation files too)."""
    into.mkdir()
    for path in sorted(folder.glob("*.txt")):
        (into / path.name).symlink_to(path)
    return into


def run_set(folder: Path) -> tuple[dict, list[str]]:
    """The events JSON and the sorted N-Quads of one set, ingested into a fresh store."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = texts(folder, Path(tmp) / "corpus")
        store = Path(tmp) / "store"
        kg = [sys.executable, "-m", "kg"]
        subprocess.run(kg + ["ingest", str(corpus), "--store", str(store), "-q"], check=True,
                       capture_output=True)
        events, quads = Path(tmp) / "events.json", Path(tmp) / "graph.nq"
        for fmt, out in (("events-json", events), ("nquads", quads)):
            subprocess.run(kg + ["export", "--format", fmt, "-o", str(out), "--store", str(store)], check=True,
                           capture_output=True)
        lines = quads.read_text(encoding="utf-8").splitlines()
        return json.loads(events.read_text(encoding="utf-8")), sorted(x for x in lines if x.strip())


def without_stamp(quads: list[str]) -> list[str]:
    """The quads minus the extraction run's time stamps, which differ from run to run."""
    return [q for q in quads if q.split(" ", 2)[1] not in RUN_STAMP]


def by_article(data: dict) -> dict[str, list]:
    """Events keyed by the first article they come from (articles keyed by their id)."""
    out: dict[str, list] = {a["id"]: [a] for a in data["articles"]}
    for event in data["events"]:
        sources = sorted(event.get("sources") or [""])
        out.setdefault(str(sources[0]), []).append(event)
    return out


def first_difference(old: dict, new: dict) -> str | None:
    a, b = by_article(old), by_article(new)
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            return key
    return None if old == new else "(order of events)"


def first_quad_difference(old: list[str], new: list[str]) -> str | None:
    """The first named graph (one per article) holding a quad only one side has."""
    differing = set(old) ^ set(new)
    if not differing:
        return None
    return min(q.rsplit(" ", 2)[-2] for q in differing)


def run_sets(names: list[str]):
    """(name, events JSON, quads) of each set, two sets at a time (one ingest process each)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield from zip(names, *zip(*pool.map(lambda n: run_set(SETS[n]), names)))


def save(out: Path, names: list[str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for name, data, quads in run_sets(names):
        (out / f"{name}.events.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True),
                                                 encoding="utf-8")
        (out / f"{name}.nq").write_text("\n".join(quads) + "\n", encoding="utf-8")
        print(f"{name}: {len(data['articles'])} articles, {len(data['events'])} events, {len(quads)} quads saved")
    return 0


def compare(base: Path, names: list[str]) -> int:
    status = 0
    for name, data, quads in run_sets(names):
        old = json.loads((base / f"{name}.events.json").read_text(encoding="utf-8"))
        old_quads = (base / f"{name}.nq").read_text(encoding="utf-8").splitlines()
        events = first_difference(old, data)
        graph = first_quad_difference(without_stamp([q for q in old_quads if q.strip()]), without_stamp(quads))
        if events is None and graph is None:
            print(f"{name}: identical ({len(data['events'])} events, {len(quads)} quads)")
            continue
        status = 1
        print(f"{name}: different — events: first at {events or 'none'}; graph: first at {graph or 'none'}")
    return status


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, metavar="DIR")
    group.add_argument("--compare", type=Path, metavar="DIR")
    parser.add_argument("sets", nargs="*", metavar="SET", help=f"some of: {', '.join(SETS)} (default: all)")
    args = parser.parse_args(argv)
    names = args.sets or list(SETS)
    unknown = [n for n in names if n not in SETS]
    if unknown:
        parser.error(f"unknown sets: {', '.join(unknown)} (known: {', '.join(SETS)})")
    missing = [n for n in names if not SETS[n].exists()]
    if missing:
        parser.error(f"missing corpora: {', '.join(missing)} (is ../shared there?)")
    return save(args.save, names) if args.save else compare(args.compare, names)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
