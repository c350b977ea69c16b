"""Interactive HTML networks with pyvis, self-contained and offline.

pyvis assembles the nodes, edges and options; the page is rendered from the project's own
template with vis-network's script and style inlined (pyvis ships them), so the HTML makes
no request to any other host. All text from articles reaches the page as JSON data, with
``<``, ``>`` and ``&`` escaped, and vis-network shows tooltips as text, never as markup.
Large graphs get a layout computed in Python and physics off, so they open quickly.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path

import networkx as nx

KIND_COLORS = {"event": "#e4572e", "person": "#29335c", "organization": "#669bbc", "place": "#f3a712",
               "country": "#8cb369"}
KIND_LABELS = {"event": "событие", "person": "человек", "organization": "организация", "place": "место",
               "country": "страна"}
PHYSICS_LIMIT = 1500


def _vis_assets() -> tuple[str, str]:
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def _tooltip(data: dict) -> str:
    lines = [data.get("label") or ""]
    if data.get("country"):
        lines.append(f"Страна: {data['country']}")
    events = data.get("events") or []
    for info in events[:8]:
        lines.append(f"• {info.get('date') or '—'} {info.get('title') or info.get('type') or ''} "
                     f"[{', '.join(info.get('articles') or [])}]")
    if len(events) > 8:
        lines.append(f"… и ещё {len(events) - 8}")
    return "\n".join(lines)


def layout(g: nx.Graph) -> dict:
    """Positions for large graphs: communities on a circle, members spread around them."""
    if len(g) <= PHYSICS_LIMIT:
        return {}
    groups: dict[int, list] = {}
    for n, d in g.nodes(data=True):
        groups.setdefault(d.get("community", -1), []).append(n)
    pos = {}
    order = sorted(groups.values(), key=len, reverse=True)
    radius = 40 * math.sqrt(len(g))
    for k, members in enumerate(order):
        angle = 2 * math.pi * k / max(1, len(order))
        cx, cy = radius * math.cos(angle), radius * math.sin(angle)
        r = 12 * math.sqrt(len(members))
        for j, n in enumerate(members):
            a = j * 2.399963  # golden angle: an even disc
            d = r * math.sqrt(j / max(1, len(members)))
            pos[n] = (cx + d * math.cos(a), cy + d * math.sin(a))
    return pos


def to_pyvis(g: nx.Graph, title: str = "kg"):
    """A pyvis Network of the graph: colour by kind, size by weighted degree, width by weight."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line", heading=title)
    positions = layout(g)
    max_w = max((d.get("weighted_degree", 1) for _, d in g.nodes(data=True)), default=1) or 1
    for n, d in g.nodes(data=True):
        kind = d.get("kind", "event")
        extra = {"x": positions[n][0], "y": positions[n][1]} if n in positions else {}
        net.add_node(str(n), label=str(d.get("label") or n)[:60], title=_tooltip(d), color=KIND_COLORS.get(kind, "#999"),
                     size=8 + 22 * math.sqrt(d.get("weighted_degree", 1) / max_w), group=kind, **extra)
    for a, b, d in g.edges(data=True):
        net.add_edge(str(a), str(b), value=d.get("weight", 1), title=_tooltip({"label": f"вес {d.get('weight', 1)}",
                                                                              "events": d.get("events", [])}))
    net.physics = len(g) <= PHYSICS_LIMIT
    return net


def render(g: nx.Graph, title: str = "kg") -> str:
    """The HTML page for a graph."""
    net = to_pyvis(g, title)
    nodes = [{k: v for k, v in n.items() if k in ("id", "label", "title", "color", "size", "group", "x", "y")}
             for n in net.nodes]
    edges = [{"from": e["from"], "to": e["to"], "value": e.get("value", 1), "title": e.get("title", "")}
             for e in net.edges]
    options = {
        "physics": {"enabled": net.physics, "solver": "forceAtlas2Based",
                    "stabilization": {"enabled": True, "iterations": 300, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": len(nodes) > 2000},
        "nodes": {"shape": "dot", "font": {"size": 12}},
        "edges": {"color": {"opacity": 0.5}, "smooth": False, "scaling": {"min": 1, "max": 8}},
        "layout": {"improvedLayout": len(nodes) <= 300},
    }
    data = {"nodes": nodes, "edges": edges, "options": options,
            "legend": [{"kind": KIND_LABELS.get(k, k), "color": c} for k, c in KIND_COLORS.items()
                       if any(n.get("group") == k for n in nodes)]}
    script, style = _vis_assets()
    template = resources.files("kg") / "templates" / "network.html"
    page = template.read_text(encoding="utf-8")
    return (page.replace("{{TITLE}}", _html_escape(title))
                .replace("{{VIS_CSS}}", style)
                .replace("{{VIS_JS}}", script.replace("</script", "<\\/script"))
                .replace("{{DATA}}", safe_json(data)))


def safe_json(value) -> str:
    """JSON that can sit inside a <script> element: no tag can close it early."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _html_escape(text: str) -> str:
    from html import escape

    return escape(text, quote=True)


def write(g: nx.Graph, path: str | Path, title: str = "kg") -> Path:
    path = Path(path)
    path.write_text(render(g, title), encoding="utf-8")
    return path
