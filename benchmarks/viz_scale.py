"""How ``kg viz`` pages scale: export time and file size at 1k and 10k nodes, and the time
until the page has drawn in headless Chromium.

The graphs are synthetic (networkx's powerlaw-cluster model, two edges per new node) with the
attributes ``kg.network`` gives a people view: kind, label, country, the events behind each
node and edge (date, type, title, source articles), weights, and the metrics from
``kg.network.add_metrics``. Times:

- metrics: ``add_metrics`` (degree, weighted degree, betweenness, Louvain), reported apart;
- export: ``kg.viz.write`` — layout, tooltips, JSON and template, to a file;
- drawn: in Chromium, from navigation start to the page's ``data-kg-ready`` signal (the
  page's own clock); open: the same seen from Python, from ``goto`` until the signal is seen.

Needs Chromium (``/usr/bin/chromium`` or ``KG_CHROMIUM``) and the playwright package, as the
browser tests do; without them only the export is measured.

    python benchmarks/viz_scale.py                 # 1,000 and 10,000 nodes, median of 3
    python benchmarks/viz_scale.py --sizes 1000 --runs 5 --keep /tmp/pages
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import Browser, unavailable  # noqa: E402

from kg import network, viz  # noqa: E402

COUNTRIES = ("Казахстан", "Россия", "Узбекистан", "Кыргызстан", "Китай", "Азербайджан", "Беларусь", "Турция")
TYPES = ("Meeting", "Visit", "PhoneCall", "Summit", "Signing", "CulturalEvent")


def event_ref(rng: random.Random, k: int) -> dict:
    article = f"article_{rng.randrange(10 * k + 1):06d}"
    return {"iri": f"https://w3id.org/kg-diplo/id/event/{k:08x}", "type": rng.choice(TYPES),
            "title": f"Переговоры делегаций № {k} по вопросам сотрудничества",
            "date": f"20{rng.randint(19, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "articles": [{"id": article, "headline": f"Заголовок статьи {article} о встрече"}]}


def synthetic(n: int, seed: int = 7) -> nx.Graph:
    """A people view of ``n`` nodes with the attributes and metrics kg gives it."""
    rng = random.Random(seed)
    base = nx.powerlaw_cluster_graph(n, 2, 0.1, seed=seed)
    g = network.NetworkView(view="people")
    for i in base:
        g.add_node(f"https://w3id.org/kg-diplo/id/person/p{i}", kind="person", label=f"Персона {i} Фамилия",
                   country=rng.choice(COUNTRIES) if rng.random() > 0.05 else None,
                   events=[event_ref(rng, rng.randrange(n)) for _ in range(rng.randint(1, 4))])
    nodes = list(g)
    for a, b in base.edges:
        weight = rng.choice((1, 1, 1, 2, 2, 3, 4))
        g.add_edge(nodes[a], nodes[b], weight=weight, event_count=weight, document_count=0,
                   events=[event_ref(rng, rng.randrange(n)) for _ in range(weight)])
    return g


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def measure(n: int, runs: int, folder: Path, browser: Browser | None) -> dict:
    g = synthetic(n)
    _, metrics_s = timed(network.add_metrics, g)
    path = folder / f"viz_{n}.html"
    export = [timed(viz.write, g, path, f"synthetic {n}")[1] for _ in range(runs)]
    row = {"nodes": n, "edges": g.number_of_edges(), "metrics_s": metrics_s,
           "export_s": statistics.median(export), "size_mb": path.stat().st_size / 1e6}
    if browser is not None:
        visits = [browser.open(path, timeout_ms=60_000) for _ in range(runs)]
        row["drawn_s"] = statistics.median(v.ready_ms() for v in visits) / 1000
        row["open_s"] = statistics.median(v.wall_ms for v in visits) / 1000
        row["drawn_nodes"] = visits[-1].node_count()
        row["external"] = sum(len(v.external) for v in visits)
        for v in visits:
            v.page.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="Runs per size; medians are printed.")
    parser.add_argument("--keep", type=Path, default=None, help="Keep the pages in this folder.")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kg-viz-"))
    folder.mkdir(parents=True, exist_ok=True)
    reason = unavailable()
    if reason:
        print(f"browser timings skipped: {reason}")
    header = f"{'nodes':>7} {'edges':>7} {'metrics s':>9} {'export s':>8} {'size MB':>7}"
    print(header + ("" if reason else f" {'drawn s':>7} {'open s':>6} {'drawn nodes':>11} {'external':>8}"))
    with (Browser() if not reason else _Nothing()) as browser:
        for n in args.sizes:
            r = measure(n, args.runs, folder, browser)
            line = f"{r['nodes']:>7} {r['edges']:>7} {r['metrics_s']:>9.2f} {r['export_s']:>8.2f} {r['size_mb']:>7.1f}"
            if "drawn_s" in r:
                line += f" {r['drawn_s']:>7.2f} {r['open_s']:>6.2f} {r['drawn_nodes']:>11} {r['external']:>8}"
            print(line, flush=True)


class _Nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return None


if __name__ == "__main__":
    main()
