"""Interactive HTML networks, self-contained and offline.

The page is rendered from the project's own template (``kg/templates/network.html``) with
vis-network's script and style inlined from pyvis's package data, so the HTML makes no
request to any other host (its Content-Security-Policy forbids them too). All text from
articles reaches the page as JSON inside ``<script type="application/json">`` with ``<``,
``>`` and ``&`` escaped; vis-network 9 shows string tooltips as text (``innerText``) and
draws labels on a canvas, and the template builds the rest with ``textContent``.

Nodes are coloured by kind or by country (with a legend), sized by weighted degree; edges
are as wide as their weight; tooltips list the events, dates and source articles behind a
node or an edge. Small graphs settle with physics from a Python layout; large ones get a
layout computed here and physics off, so that 10,000 nodes open in seconds.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import networkx as nx

ColorBy = Literal["auto", "kind", "country"]
COLOR_BY: tuple[str, ...] = ("auto", "kind", "country")
KIND_COLORS = {"event": "#e4572e", "person": "#29335c", "organization": "#669bbc", "place": "#f3a712",
               "country": "#8cb369"}
KIND_LABELS = {"event": "событие", "person": "человек", "organization": "организация", "place": "место",
               "country": "страна"}
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#393b79")
OTHER_COLOR, UNKNOWN_COLOR = "#9e9e9e", "#d0d0d0"
PHYSICS_LIMIT = 600  # up to this many nodes the labels are spaced apart (above: too costly, labels overlap)
LABEL_CHARS = 32  # longer labels are cut at a word, the full text is in the tooltip and is searched
CHAR_WIDTH, LINE_HEIGHT = 7.0, 16.0  # pixels of a label character and line at font size 12 (an estimate)
LABEL_BUDGET = 90  # labels drawn at first sight: the most connected nodes (the rest on search and hover)
ASPECT = 1.6  # width : height of the drawing, as of a screen
DENSITY = 0.35  # the share of the drawing that nodes and labels cover once spread
SPRING_LIMIT = 400  # communities up to this size get a spring layout, larger ones a disc
TOOLTIP_EVENTS = 8
VIS_VERSION = "vis-9.1.2"
TEMPLATE_FIELD = re.compile(r"\{\{(TITLE|VIS_CSS|VIS_JS|DATA)\}\}")


# -- assets and escaping --------------------------------------------------------------------------

@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's script and style from pyvis's package data, ready to inline."""
    lib = resources.files("pyvis") / "lib" / VIS_VERSION
    script = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    style = (lib / "vis-network.css").read_text(encoding="utf-8")
    return _inline_safe(_no_source_map(script)), _inline_safe(_no_source_map(style))


def _no_source_map(text: str) -> str:
    return re.sub(r"/[/*]# sourceMappingURL=\S*", "", text)


def _inline_safe(code: str) -> str:
    """Script or style text that cannot close its element early."""
    return re.sub(r"</(script|style)", r"<\\/\1", code, flags=re.I)


def safe_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: no tag can close it early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# -- tooltips -------------------------------------------------------------------------------------

def _event_lines(events: list[dict]) -> list[str]:
    lines = []
    for info in events[:TOOLTIP_EVENTS]:
        lines.append(f"• {info.get('date') or '—'} · {info.get('type') or ''} · {info.get('title') or ''}")
        lines += [f"    {a['id']}: {a.get('headline') or ''}".rstrip(": ") for a in info.get("articles", [])[:3]]
    if len(events) > TOOLTIP_EVENTS:
        lines.append(f"… и ещё {len(events) - TOOLTIP_EVENTS}")
    return lines


def node_tooltip(d: dict) -> str:
    """Plain text: label, kind and country, metrics, then the events behind the node."""
    head = [str(d.get("label") or ""), " · ".join(filter(None, (KIND_LABELS.get(d.get("kind", "")), d.get("country"))))]
    if "degree" in d:
        head.append(f"связей {d['degree']}, вес {d.get('weighted_degree', 0)}")
    signed = [f"✎ {title}" for title in (d.get("documents") or [])[:TOOLTIP_EVENTS]]
    return "\n".join(filter(None, head + _event_lines(d.get("events") or []) + signed))


def edge_tooltip(a: dict, b: dict, d: dict) -> str:
    """Plain text: the two ends, the weight and what it counts, then the events."""
    counts = f"вес {d.get('weight', 1)}: событий {d.get('event_count', 0)}, документов {d.get('document_count', 0)}"
    return "\n".join([f"{a.get('label', '')} — {b.get('label', '')}", counts, *_event_lines(d.get("events") or [])])


# -- colours --------------------------------------------------------------------------------------

def color_key(g: nx.Graph, color_by: str = "auto") -> str:
    """``kind`` or ``country``: ``auto`` colours by kind when a view has several kinds."""
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by is one of {', '.join(COLOR_BY)}, not {color_by!r}")
    if color_by != "auto":
        return color_by
    kinds = {d.get("kind") for _, d in g.nodes(data=True)}
    return "kind" if len(kinds) > 1 else "country"


def palette(g: nx.Graph, key: str) -> dict[str, tuple[str, str]]:
    """Group → (colour, legend label), most frequent groups first."""
    if key == "kind":
        kinds = {d.get("kind") for _, d in g.nodes(data=True)}
        order = [k for k in KIND_COLORS if k in kinds] + sorted(kinds - set(KIND_COLORS), key=str)
        return {k: (KIND_COLORS.get(k, OTHER_COLOR), KIND_LABELS.get(k, str(k))) for k in order}
    counts = Counter(d.get("country") or "" for _, d in g.nodes(data=True))
    named = [c for c, _ in counts.most_common() if c]
    groups = {c: (PALETTE[i], c) for i, c in enumerate(named[:len(PALETTE)])}
    if named[len(PALETTE):]:
        groups["*"] = (OTHER_COLOR, "другие")
    if counts.get(""):
        groups[""] = (UNKNOWN_COLOR, "страна неизвестна")
    return groups


def _group(d: dict, key: str, groups: dict) -> str:
    value = d.get(key) or ""
    return value if value in groups else "*"


# -- layout ---------------------------------------------------------------------------------------

def layout(g: nx.Graph, seed: int = 7) -> dict[Any, tuple[float, float]]:
    """Positions: communities packed on a spiral, each laid out by itself.

    Small communities get a spring layout, large ones (and all lone nodes together) a disc
    with hubs in the middle; the cost grows with the largest small community, not the graph."""
    groups: dict[Any, list] = {}
    for n, d in g.nodes(data=True):
        groups.setdefault(d.get("community", -1) if g.degree(n) else "alone", []).append(n)
    ordered = sorted(groups.values(), key=len, reverse=True)
    return _pack([_community_layout(g, members, seed) for members in ordered])


def _community_layout(g: nx.Graph, members: list, seed: int) -> tuple[float, dict]:
    """A community's positions around (0, 0) and its radius."""
    radius = 30 * math.sqrt(len(members)) + 10
    if 2 < len(members) <= SPRING_LIMIT and g.subgraph(members).number_of_edges():
        pos = nx.spring_layout(g.subgraph(members), seed=seed, iterations=30, scale=radius)
        return radius, {n: (float(x), float(y)) for n, (x, y) in pos.items()}
    ranked = sorted(members, key=lambda n: -g.nodes[n].get("weighted_degree", 0))
    return radius, {n: _phyllotaxis(j, len(ranked), radius) for j, n in enumerate(ranked)}


def _phyllotaxis(j: int, count: int, radius: float) -> tuple[float, float]:
    angle, r = j * 2.399963, radius * math.sqrt((j + 0.5) / max(1, count))  # golden angle: an even disc
    return r * math.cos(angle), r * math.sin(angle)


def _pack(discs: list[tuple[float, dict]], gap: float = 20.0) -> dict[Any, tuple[float, float]]:
    """Place discs, largest first, along an Archimedean spiral at the first spot that overlaps none."""
    placed: list[tuple[float, float, float]] = []
    pos: dict[Any, tuple[float, float]] = {}
    theta = 0.0
    for radius, members in discs:
        while True:
            r = gap * theta / math.pi
            cx, cy = r * math.cos(theta), r * math.sin(theta)
            overlap = max((radius + pr + gap - math.hypot(cx - x, cy - y) for x, y, pr in placed), default=0.0)
            if overlap <= 0:
                break
            theta += max(gap, overlap) / max(r, gap)  # move along the curve by about the overlap
        placed.append((cx, cy, radius))
        pos.update({n: (round(cx + x, 1), round(cy + y, 1)) for n, (x, y) in members.items()})
    return pos


# -- labels that keep apart -----------------------------------------------------------------------

def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit - 1]
    return cut.rstrip(" ,;:—–-«(") + "…"


def _boxes(nodes: list[dict]):
    """Half-width, top and bottom (relative to the node's centre) of each node with its label,
    which vis-network draws under the dot."""
    import numpy as np

    size = np.array([n["size"] for n in nodes], dtype=float)
    width = np.array([len(n["label"]) * CHAR_WIDTH for n in nodes], dtype=float)
    lines = np.array([LINE_HEIGHT if n["label"] else 0.0 for n in nodes])
    return np.maximum(width / 2, size) + 4, size + 2, size + 4 + lines


def spread(nodes: list[dict], rounds: int = 800) -> None:
    """Move the nodes (with ``x``, ``y``, ``size`` and ``label``) apart until no node's box — its
    dot and its label — overlaps another's: each round pushes every overlapping pair apart
    along the axis where they overlap least. Deterministic; O(n²) memory per round."""
    import numpy as np

    if len(nodes) < 2:
        return
    half, top, bottom = _boxes(nodes)
    x = np.array([n["x"] for n in nodes], dtype=float)
    y = np.array([n["y"] for n in nodes], dtype=float)
    # first make room: as wide as a screen (labels are wide), then large enough for the boxes
    # to cover DENSITY of it
    if np.ptp(y) > 0 and np.ptp(x) < ASPECT * np.ptp(y):
        x = x * ASPECT * np.ptp(y) / max(float(np.ptp(x)), 1.0)
    need = float((2 * half * (top + bottom)).sum()) / DENSITY
    have = max(float(np.ptp(x) * np.ptp(y)), 1.0)
    if need > have:
        x, y = x * math.sqrt(need / have), y * math.sqrt(need / have)
    for _ in range(rounds):
        # candidate pairs (i < j) whose boxes meet sideways, then those that meet up and down too
        i, j = np.nonzero(np.triu(np.abs(x[:, None] - x[None, :]) < half[:, None] + half[None, :], 1))
        dx, dy = x[i] - x[j], y[i] - y[j]
        over_x = half[i] + half[j] - np.abs(dx)
        # i above j (dy < 0): i's bottom meets j's top, and the other way round
        over_y = np.where(dy < 0, bottom[i] + top[j], top[i] + bottom[j]) - np.abs(dy)
        hit = over_y > 0
        if not hit.any():
            break
        i, j, dx, dy, over_x, over_y = i[hit], j[hit], dx[hit], dy[hit], over_x[hit], over_y[hit]
        sideways = over_x * 0.6 <= over_y  # labels are wide: moving sideways costs more
        sign_x = np.where(dx == 0, -1.0, np.sign(dx))  # i < j: ties part the same way each time
        sign_y = np.where(dy == 0, -1.0, np.sign(dy))
        push_x = np.where(sideways, over_x, 0) * sign_x * 0.5
        push_y = np.where(sideways, 0, over_y) * sign_y * 0.5
        np.add.at(x, i, push_x)
        np.add.at(x, j, -push_x)
        np.add.at(y, i, push_y)
        np.add.at(y, j, -push_y)
    for n, nx_, ny_ in zip(nodes, x, y):
        n["x"], n["y"] = round(float(nx_), 1), round(float(ny_), 1)


# -- page data ------------------------------------------------------------------------------------

def vis_nodes(g: nx.Graph, color_by: str = "auto", positions: dict | None = None) -> tuple[list[dict], list[dict]]:
    """vis-network nodes (id, label, title, colour, size, group, position) and the legend."""
    key = color_key(g, color_by)
    groups = palette(g, key)
    top = max((d.get("weighted_degree", 1) for _, d in g.nodes(data=True)), default=1) or 1
    nodes = []
    for n, d in g.nodes(data=True):
        group = _group(d, key, groups)
        full = str(d.get("label") or n)
        node = {"id": str(n), "label": short_label(full), "kgFull": full, "title": node_tooltip(d),
                "color": groups[group][0], "size": round(8 + 22 * math.sqrt(d.get("weighted_degree", 1) / top), 1),
                "kgGroup": group}
        if positions and n in positions:
            node["x"], node["y"] = positions[n]
        nodes.append(node)
    _label_budget(nodes)
    legend = [{"group": k, "label": label, "color": colour} for k, (colour, label) in groups.items()]
    return nodes, legend


def _label_budget(nodes: list[dict], budget: int = LABEL_BUDGET) -> None:
    """Labels for the ``budget`` most connected nodes only; every node keeps its short label as
    ``kgLabel`` (shown when a search finds it) and its full name in the tooltip."""
    for node in nodes:
        node["kgLabel"] = node["label"]
    if len(nodes) <= budget:
        return
    rank = sorted(range(len(nodes)), key=lambda i: (-nodes[i]["size"], i))  # size grows with weighted degree
    for i in rank[budget:]:
        nodes[i]["label"] = ""


def vis_edges(g: nx.Graph) -> list[dict]:
    return [{"from": str(a), "to": str(b), "value": d.get("weight", 1),
             "title": edge_tooltip(g.nodes[a], g.nodes[b], d)} for a, b, d in g.edges(data=True)]


def stabilization_iterations(node_count: int) -> int:
    """Fewer physics steps for more nodes: they start from the Python layout already."""
    return max(25, min(150, 12000 // max(1, node_count)))


def vis_options(node_count: int, physics: bool) -> dict:
    big = node_count > PHYSICS_LIMIT
    return {
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -40, "springLength": 80, "avoidOverlap": 0.2},
                    "stabilization": {"enabled": physics, "iterations": stabilization_iterations(node_count),
                                      "updateInterval": 50, "fit": True}},
        "interaction": {"hover": not big, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
        "nodes": {"shape": "dot", "font": {"size": 12}, "borderWidth": 1},
        "edges": {"color": {"color": "#8da0b3", "highlight": "#29335c", "opacity": 0.6}, "smooth": False,
                  "scaling": {"min": 1, "max": 8}},
        "layout": {"improvedLayout": False, "randomSeed": 7},
    }


def to_pyvis(g: nx.Graph, color_by: str = "auto"):
    """The graph as a pyvis ``Network``: nodes, edges and options as vis-network reads them.
    (Nodes go in with pyvis's bulk ``add_nodes``; edges are set at once, since ``add_edge``
    checks for duplicates one by one and slows down badly with size.)"""
    from pyvis.network import Network

    physics = False  # the layout is final: positions from kg, labels spaced apart
    nodes, legend = vis_nodes(g, color_by, layout(g))
    if len(nodes) <= PHYSICS_LIMIT:
        spread(nodes)
    net = Network(height="100%", width="100%", cdn_resources="in_line")
    if nodes:
        extra = {key: [node.get(key) for node in nodes] for key in ("label", "title", "color", "size", "x", "y")
                 if all(key in node for node in nodes)}
        net.add_nodes([node["id"] for node in nodes], **extra)
        for pyvis_node, node in zip(net.nodes, nodes):
            pyvis_node.update({k: v for k, v in node.items() if k not in pyvis_node})
            pyvis_node["label"] = node["label"]  # pyvis puts the id where a label is empty
    net.edges = vis_edges(g)
    net.options = vis_options(len(g), physics)
    net.kg_legend = legend
    return net


def page_data(g: nx.Graph, color_by: str = "auto", note: str | None = None) -> dict:
    """Everything the template draws, as one JSON-able value (from the pyvis network);
    ``note`` is a message the page shows over the network ("no events match: …")."""
    net = to_pyvis(g, color_by)
    keep = ("id", "label", "kgLabel", "kgFull", "title", "color", "size", "x", "y", "kgGroup")
    nodes = [{k: node[k] for k in keep if k in node} for node in net.nodes]
    return {"nodes": nodes, "edges": net.edges, "legend": net.kg_legend, "options": net.options, "note": note}


# -- the page -------------------------------------------------------------------------------------

def render(g: nx.Graph, title: str = "kg", color_by: str = "auto", note: str | None = None) -> str:
    """The HTML page for a graph: one file, no request to any other host."""
    script, style = vis_assets()
    fields = {"TITLE": html.escape(title, quote=True), "VIS_CSS": style, "VIS_JS": script,
              "DATA": safe_json(page_data(g, color_by, note))}
    page = (resources.files("kg") / "templates" / "network.html").read_text(encoding="utf-8")
    return TEMPLATE_FIELD.sub(lambda m: fields[m.group(1)], page)


def write(g: nx.Graph, path: str | Path, title: str = "kg", color_by: str = "auto", note: str | None = None) -> Path:
    """Write ``render(g)`` to ``path``."""
    path = Path(path)
    path.write_text(render(g, title, color_by, note), encoding="utf-8")
    return path


class Inline:
    """A network that draws itself in a notebook: the page in a sandboxed iframe."""

    def __init__(self, g: nx.Graph, title: str = "kg", color_by: str = "auto", height: int = 560) -> None:
        self.page = render(g, title, color_by)
        self.height = height

    def __repr__(self) -> str:
        return f"Inline({len(self.page):,} characters of HTML)"

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" sandbox="allow-scripts" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd"></iframe>')


def show(g: nx.Graph, title: str = "kg", color_by: str = "auto", height: int = 560) -> Inline:
    """The interactive network, inline in a notebook cell."""
    return Inline(g, title, color_by, height)
