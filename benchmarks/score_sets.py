"""Score the extractor end to end on the dev set and the held-out set.

    python benchmarks/score_sets.py [dev|heldout|heldout2|heldout3|real|real_aside ...] [--explain]

``real`` and ``real_aside`` are real news (NEREL train, Russian Wikinews) with blind gold
(``benchmarks/real/README.md``); their texts stay in ``../shared`` and are read through
``benchmarks/real/manifest.tsv``. ``real_aside`` is kept out of development: run it to
measure, never to study. The default runs every set but ``real_aside``.

Each set is ingested into a fresh temporary store with ``kg ingest``, exported with
``kg export --format events-json`` (so the figures are those of the graph, not of the
extractor's memory), and scored with ``../shared/eval/score.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SETS = {
    "dev": (SHARED / "corpus" / "dev", SHARED / "eval" / "dev"),
    "heldout": (ROOT / "benchmarks" / "heldout" / "corpus", ROOT / "benchmarks" / "heldout" / "gold"),
    "heldout2": (ROOT / "benchmarks" / "heldout2" / "corpus", ROOT / "benchmarks" / "heldout2" / "gold"),
    "heldout3": (ROOT / "benchmarks" / "heldout3" / "corpus", ROOT / "benchmarks" / "heldout3" / "gold"),
    "real": ("dev", ROOT / "benchmarks" / "real" / "gold"),
    "real_aside": ("aside", ROOT / "benchmarks" / "real_aside" / "gold"),
}
MANIFEST = ROOT / "benchmarks" / "real" / "manifest.tsv"
DEFAULT = [name for name in SETS if name != "real_aside"]


def manifest_corpus(split: str, folder: Path) -> Path:
    """Link the texts of one split of the manifest into ``folder`` (named by article id)."""
    folder.mkdir()
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        article, path, part = line.split("\t")
        if part == split:
            (folder / f"{article}.txt").symlink_to(SHARED / path)
    return folder


def score(name: str, corpus, gold: Path, explain: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if isinstance(corpus, str):
            corpus = manifest_corpus(corpus, Path(tmp) / "corpus")
        store, out = Path(tmp) / "store", Path(tmp) / "events.json"
        subprocess.run([sys.executable, "-m", "kg", "ingest", str(corpus), "--store", str(store), "-q"], check=True)
        subprocess.run([sys.executable, "-m", "kg", "export", "--format", "events-json", "-o", str(out),
                        "--store", str(store)], check=True, capture_output=True)
        args = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(out)] + (["--explain"] if explain else [])
        print(f"== {name}: {corpus}")
        print(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def main(argv: list[str]) -> int:
    chosen = [a for a in argv if not a.startswith("--")] or DEFAULT
    for name, (corpus, gold) in SETS.items():
        if name in chosen and (isinstance(corpus, str) or corpus.exists()) and gold.exists():
            score(name, corpus, gold, "--explain" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
