"""Score the extractor end to end on the dev set and the held-out set.

    python benchmarks/score_sets.py [dev|heldout|heldout2|heldout3 ...] [--explain]

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
}


def score(name: str, corpus: Path, gold: Path, explain: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store, out = Path(tmp) / "store", Path(tmp) / "events.json"
        subprocess.run([sys.executable, "-m", "kg", "ingest", str(corpus), "--store", str(store), "-q"], check=True)
        subprocess.run([sys.executable, "-m", "kg", "export", "--format", "events-json", "-o", str(out),
                        "--store", str(store)], check=True, capture_output=True)
        args = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(out)] + (["--explain"] if explain else [])
        print(f"== {name}: {corpus}")
        print(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def main(argv: list[str]) -> int:
    chosen = [a for a in argv if not a.startswith("--")] or list(SETS)
    for name, (corpus, gold) in SETS.items():
        if name in chosen and corpus.exists() and gold.exists():
            score(name, corpus, gold, "--explain" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
