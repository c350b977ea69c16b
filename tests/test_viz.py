"""kg.viz and ``kg viz``: the page is self-contained, escapes article text, and draws in a
real headless Chromium (the ``browser`` tests) without reaching any other host."""

from __future__ import annotations

import json
from pathlib import Path
import re
from html.parser import HTMLParser

import networkx as nx
import pytest
from click.testing import CliRunner

from browser import Browser, unavailable
from kg import network, viz
from kg.cli import main
from test_network import ID, fixture_store

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "</script><script>window.__xss=2</script>"
XSS = f"{IMG} {SCRIPT}"
# An article that puts the two payloads into a headline, a person's name, an event's title
# and a document's title. What the extractor keeps is checked below; what it drops is put
# into the store with SPARQL, so the page meets every payload either way.
XSS_ARTICLE = f""" date 2025-03-05 #Казахстан #Россия
Политика

Встреча {IMG} в Астане{SCRIPT}

5 марта в Астане Министр иностранных дел Республики Казахстан Мурат Нуртлеу провел переговоры с Министром иностранных дел Российской Федерации Сергеем Лавровым {IMG}{SCRIPT}.

По итогам встречи стороны подписали Меморандум о сотрудничестве в области {IMG} культуры {SCRIPT}.

В переговорах принял участие Посол {IMG} Алексей Бородавкин.
"""
XSS_PERSON = ID + "person/xss-person"
PREFIXES = ("PREFIX schema: <https://schema.org/>\nPREFIX diplo: <https://w3id.org/kg-diplo/ontology#>\n"
            "PREFIX prov: <http://www.w3.org/ns/prov#>\n")

browser = pytest.mark.browser
needs_chromium = pytest.mark.skipif(unavailable() is not None, reason=unavailable() or "")


@pytest.fixture(scope="module")
def facts():
    with fixture_store() as store:
        yield network.load_facts(store)


def data_of(page: str) -> dict:
    """The JSON the page draws from, as the browser's JSON.parse would read it."""
    text = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S).group(1)
    return json.loads(text)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <style> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)

    def handle_endtag(self, tag):
        self._in_style = False


def tags_of(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    return parser


def synthetic(n: int, seed: int = 1) -> nx.Graph:
    """A graph of ``n`` people with the attributes ``kg.network`` gives them."""
    g = nx.relabel_nodes(nx.powerlaw_cluster_graph(n, 2, 0.1, seed=seed), lambda i: f"{ID}person/p{i}")
    for i, (_, d) in enumerate(g.nodes(data=True)):
        d.update(kind="person", label=f"Человек {i}", country=("Казахстан", "Россия", "Китай")[i % 3], events=[])
    for _, _, d in g.edges(data=True):
        d.update(weight=1, event_count=1, document_count=0, events=[])
    network.add_metrics(g)
    return g


# -- the page, without a browser -------------------------------------------------------------------

@pytest.mark.parametrize("view", network.VIEWS)
def test_page_is_self_contained(facts, view):
    page = viz.render(network.build_from_facts(facts, view), f"kg — {view}")
    tags = tags_of(page)
    assert [t for t, a in tags.tags if t in ("link", "img", "iframe", "object", "embed", "base")] == []
    assert [(t, a) for t, a in tags.tags if {"src", "href", "action", "srcset"} & set(a)] == []
    assert "sourceMappingURL" not in page
    assert not re.search(r"url\(\s*(?!['\"]?data:)", "".join(tags.styles)), "a style loads something"
    assert not re.search(r"@import", "".join(tags.styles))
    csp = [a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "connect-src" not in csp[0]


def test_page_data_round_trips(facts):
    g = network.build_from_facts(facts, "people")
    data = data_of(viz.render(g))
    assert {n["id"] for n in data["nodes"]} == set(g.nodes)
    assert {n["label"] for n in data["nodes"]} >= {"Сергей Лавров", "Мурат Нуртлеу"}
    assert len(data["edges"]) == g.number_of_edges()


def test_article_text_cannot_escape_the_data(facts):
    g = network.build_from_facts(facts, "people")
    node = g.nodes[ID + "person/lavrov"]
    node["label"], node["country"] = XSS, XSS
    node["events"][0]["title"] = XSS
    page = viz.render(g, title=XSS)
    assert IMG not in page and SCRIPT not in page and "</script><script>" not in page
    assert "<title>&lt;img src=x onerror=window.__xss=1&gt;" in page
    lavrov = next(n for n in data_of(page)["nodes"] if n["id"] == ID + "person/lavrov")
    assert lavrov["label"] == viz.short_label(XSS) and lavrov["kgFull"] == XSS and XSS in lavrov["title"]


@pytest.mark.parametrize("text", ["</script>", "</SCRIPT >", "<!--", "-->", "&amp;", "\u2028", "\u2029", "'\"\\"])
def test_safe_json(text):
    out = viz.safe_json({"t": text})
    assert not set("<>&") & set(out) and "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == {"t": text}


def test_inlined_vis_network_cannot_close_its_element():
    script, style = viz.vis_assets()
    assert "vis" in script and len(script) > 100_000
    assert not re.search(r"</script", script, re.I) and not re.search(r"</style", style, re.I)


def test_colour_by_kind_with_a_legend(facts):
    nodes, legend = viz.vis_nodes(network.build_from_facts(facts, "events"))
    assert [item["group"] for item in legend] == ["event", "person", "organization", "place"]
    assert {n["color"] for n in nodes if n["kgGroup"] == "person"} == {viz.KIND_COLORS["person"]}


def test_colour_by_country_with_a_legend(facts):
    g = network.build_from_facts(facts, "people")
    nodes, legend = viz.vis_nodes(g)  # auto: one kind, so by country
    assert [item["label"] for item in legend][:2] == ["Казахстан", "Россия"]  # most people first
    colour = {item["group"]: item["color"] for item in legend}
    lavrov = next(n for n in nodes if n["id"] == ID + "person/lavrov")
    assert lavrov["color"] == colour["Россия"] != colour["Казахстан"]
    _, by_kind = viz.vis_nodes(g, "kind")
    assert [item["group"] for item in by_kind] == ["person"]


def test_many_countries_share_one_other_colour():
    g = synthetic(40)
    for i, (_, d) in enumerate(g.nodes(data=True)):
        d["country"] = f"Страна {i % 14}" if i % 10 else None
    _, legend = viz.vis_nodes(g, "country")
    assert len(legend) == len(viz.PALETTE) + 2
    assert [item["label"] for item in legend[-2:]] == ["другие", "страна неизвестна"]


def test_size_follows_weighted_degree_and_width_follows_weight(facts):
    g = network.build_from_facts(facts, "people")
    nodes, _ = viz.vis_nodes(g)
    size = {n["id"]: n["size"] for n in nodes}
    by_degree = sorted(g.nodes, key=lambda n: g.nodes[n]["weighted_degree"])
    assert [size[n] for n in by_degree] == sorted(size[n] for n in by_degree)
    edges = {(e["from"], e["to"]): e["value"] for e in viz.vis_edges(g)}
    assert edges[(ID + "person/lavrov", ID + "person/nurtleu")] == 2


def test_tooltips_list_events_dates_and_articles(facts):
    g = network.build_from_facts(facts, "people")
    tip = viz.node_tooltip(g.nodes[ID + "person/putin"])
    assert tip.splitlines()[0] == "Владимир Путин" and "человек · Россия" in tip
    assert "2024-05-27 · Visit · Государственный визит" in tip
    assert "a2: Путин прибыл в Астану" in tip and "a4: Государственный визит" in tip
    a, b = ID + "person/lavrov", ID + "person/nurtleu"
    tip = viz.edge_tooltip(g.nodes[a], g.nodes[b], g.edges[a, b])
    assert tip.startswith("Сергей Лавров — Мурат Нуртлеу\nвес 2") and "2024-03-12" in tip


def test_long_tooltips_are_cut():
    events = [{"date": f"2024-01-{i + 1:02d}", "type": "Meeting", "title": "t", "articles": []} for i in range(20)]
    tip = viz.node_tooltip({"label": "x", "kind": "person", "events": events})
    assert tip.count("•") == viz.TOOLTIP_EVENTS and tip.endswith("… и ещё 12")


def test_the_layout_is_final_and_every_node_has_a_position(facts):
    for g in (network.build_from_facts(facts, "events"), synthetic(viz.PHYSICS_LIMIT + 50)):
        data = data_of(viz.render(g))
        assert not data["options"]["physics"]["enabled"]
        assert all("x" in n and "y" in n for n in data["nodes"])


@pytest.mark.parametrize("text, label", [
    ("Встреча", "Встреча"),
    ("Заседание подкомиссии по культурно-гуманитарному сотрудничеству", "Заседание подкомиссии по…"),
    ("Переговоры Министра иностранных дел Российской Федерации", "Переговоры Министра иностранных…"),
    ("Соглашение «О сотрудничестве в области культуры»", "Соглашение «О сотрудничестве в…"),
    ("Оченьдлинноеслововкотороминетпробеловвообщесовсем", "Оченьдлинноеслововкотороминетпр…"),
])
def test_long_labels_are_cut_at_a_word(text, label):
    assert viz.short_label(text) == label and len(label) <= viz.LABEL_CHARS


def test_labels_are_short_with_the_full_title_in_the_tooltip_and_the_search(facts):
    data = data_of(viz.render(network.build_from_facts(facts, "events")))
    for n in data["nodes"]:
        assert len(n["label"]) <= viz.LABEL_CHARS
        assert n["title"].startswith(n["kgFull"]) and n["kgLabel"] == viz.short_label(n["kgFull"])


def boxes_meet(a: dict, b: dict) -> bool:
    """Whether two spread nodes' boxes (dot and label under it, as ``viz`` estimates them) meet."""
    ha, hb = (max(len(n["label"]) * viz.CHAR_WIDTH / 2, n["size"]) for n in (a, b))
    if abs(a["x"] - b["x"]) >= ha + hb:
        return False
    upper, lower = (a, b) if a["y"] <= b["y"] else (b, a)
    return lower["y"] - upper["y"] < upper["size"] + (viz.LINE_HEIGHT if upper["label"] else 0) + lower["size"]


@pytest.mark.parametrize("n", [50, 200, 500])
def test_spread_keeps_nodes_and_labels_apart(n):
    g = synthetic(n)
    for _, d in g.nodes(data=True):
        d["label"] = f"Переговоры министров иностранных дел {d['label']}"
    nodes = data_of(viz.render(g))["nodes"]
    labelled = [x for x in nodes if x["label"]]
    assert len(labelled) == min(n, viz.LABEL_BUDGET), "the most connected nodes are labelled at first sight"
    assert all(x["kgLabel"] for x in nodes), "every node can show its label when found"
    meeting = sum(boxes_meet(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:])
    assert meeting == 0


def test_layout_is_deterministic_and_keeps_communities_apart():
    g = synthetic(600)
    g.add_nodes_from([(f"alone{i}", {"kind": "person", "label": "x", "community": 99 + i}) for i in range(30)])
    first, second = viz.layout(g), viz.layout(g)
    assert first == second and set(first) == set(g)
    centre = {}
    for n, (x, y) in first.items():
        centre.setdefault(g.nodes[n].get("community") if g.degree(n) else "alone", []).append((x, y))
    assert len(centre) > 2
    assert len({(round(sum(x for x, _ in p) / len(p)), round(sum(y for _, y in p) / len(p))) for p in centre.values()}) \
        == len(centre)


def test_empty_graph_renders():
    data = data_of(viz.render(network.NetworkView()))
    assert data["nodes"] == [] and data["legend"] == []


def test_inline_network_for_notebooks(facts):
    html = viz.show(network.build_from_facts(facts, "people"), title=XSS)._repr_html_()
    assert html.startswith("<iframe srcdoc=\"") and 'sandbox="allow-scripts"' in html
    assert "<script" not in html and "&lt;script" in html


# -- the command -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    location = tmp_path_factory.mktemp("viz") / "store"
    fixture_store(str(location)).close()
    return location


@pytest.mark.parametrize("args, nodes", [
    (["--view", "people"], 8),
    (["--view", "countries", "--country", "UZ"], 2),
    (["--view", "people", "--country", "KZ", "--country", "RU", "--every-country"], 5),
    (["--view", "organizations", "--since", "2024-06-01"], 2),
    (["--view", "events", "--type", "PhoneCall", "--color-by", "country"], 3),
])
def test_kg_viz_writes_a_page(store_dir, tmp_path, args, nodes):
    out = tmp_path / "net.html"
    result = CliRunner().invoke(main, ["viz", "--store", str(store_dir), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    assert f"({nodes} nodes" in result.output
    assert len(data_of(out.read_text(encoding="utf-8"))["nodes"]) == nodes


@pytest.mark.parametrize("args, message", [
    (["--country", "Атлантида"], "no country 'Атлантида'"),
    (["--type", "Banquet"], "unknown event type"),
    (["--since", "March"], "not a date"),
])
def test_kg_viz_rejects_bad_filters(store_dir, tmp_path, args, message):
    result = CliRunner().invoke(main, ["viz", "--store", str(store_dir), "-o", str(tmp_path / "x.html"), *args])
    assert result.exit_code == 3 and message in result.output


# -- in a browser ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium():
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    with Browser() as b:
        yield b


def open_graph(chromium, g, tmp_path, name="net.html", **kwargs):
    return chromium.open(viz.write(g, tmp_path / name, **kwargs))


@browser
@needs_chromium
@pytest.mark.parametrize("view", network.VIEWS)
def test_page_draws_offline(chromium, facts, tmp_path, view):
    g = network.build_from_facts(facts, view)
    visit = open_graph(chromium, g, tmp_path, title=f"kg — {view}")
    assert visit.node_count() == len(g)
    assert visit.drawn_fraction() > 0.002, "the canvas is blank"
    assert visit.external == []
    assert visit.evaluate("document.getElementById('legend').children.length") >= 1


@browser
@needs_chromium
def test_large_page_draws_with_the_python_layout(chromium, tmp_path):
    g = synthetic(2000)
    visit = open_graph(chromium, g, tmp_path)
    assert visit.node_count() == 2000
    assert visit.evaluate("window.kgNetwork.physics.options.enabled") is False
    assert visit.drawn_fraction() > 0.01 and visit.external == []


@browser
@needs_chromium
def test_the_recorder_sees_requests_to_other_hosts(chromium, tmp_path):
    """The blocking is real: a page that asks for something elsewhere is caught."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><img src="http://example.invalid/pixel.png"><body data-kg-ready="1">')
    assert chromium.open(page).external == ["http://example.invalid/pixel.png"]
    strict = tmp_path / "strict.html"
    strict.write_text("<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"
                      '<img src="http://example.invalid/pixel.png"><body data-kg-ready="1">')
    assert [u for u in chromium.open(strict).external if u.startswith("csp: ")]


@browser
@needs_chromium
def test_search_and_legend_hide_nodes(chromium, facts, tmp_path):
    visit = open_graph(chromium, network.build_from_facts(facts, "events"), tmp_path)
    hidden = "window.kgNetwork.body.data.nodes.get({filter: n => n.hidden}).length"
    g = network.build_from_facts(facts, "events")
    visit.page.check("#only")
    visit.page.fill("#search", "лавров")
    assert visit.evaluate("window.kgNetwork.getSelectedNodes()") == [ID + "person/lavrov"]
    # "only found" keeps the found node and its neighbours: Lavrov's events
    shown = visit.evaluate("window.kgNetwork.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert sorted(shown) == sorted([ID + "person/lavrov", *g.neighbors(ID + "person/lavrov")])
    assert visit.evaluate(hidden) == visit.node_count() - 1 - g.degree(ID + "person/lavrov")
    visit.page.fill("#search", "")
    assert visit.evaluate(hidden) == 0
    visit.page.click("#legend button:has-text('место')")
    assert visit.evaluate(hidden) == 2  # Moscow and Astana


# -- an article that tries to run a script -----------------------------------------------------------

@pytest.fixture(scope="module")
def xss_store(tmp_path_factory, nlp):
    """The XSS article ingested, plus the payloads the extractor dropped, put in by SPARQL.

    At the time of writing the headline and the memorandum's title keep both payloads
    verbatim; the extractor finds no person or event title in them, so those are inserted."""
    from kg.pipeline import ingest

    folder = tmp_path_factory.mktemp("xss")
    (folder / "xss_article.txt").write_text(XSS_ARTICLE, encoding="utf-8")
    store = fixture_store(str(folder / "store"))
    assert ingest([folder / "xss_article.txt"], store).ok
    [event] = [str(r[0]) for r in store.query(
        PREFIXES + "SELECT ?e WHERE { ?e prov:wasDerivedFrom/schema:identifier 'xss_article' }")]
    missing = {kind: not carried(store, pattern) for kind, pattern in CARRIERS.items()}
    inserts = {
        "person": f"""<{XSS_PERSON}> a schema:Person ; schema:name "Мурат {XSS}"@ru ; diplo:country <{ID}country/KZ> .
                      <{event}> schema:attendee <{XSS_PERSON}> .""",
        "event": f"""<{event}> schema:name "Переговоры министров иностранных дел в Астане {XSS}"@ru .""",
        "document": f"""<{ID}document/xss> schema:name "Меморандум {XSS}"@ru ; diplo:signedAt <{event}> ;
                        diplo:party <{ID}country/KZ>, <{ID}country/RU> .""",
    }
    body = "\n".join(text for kind, text in inserts.items() if missing[kind])
    if body:
        store.update(PREFIXES + f"INSERT DATA {{ GRAPH <{ID}xss-extra> {{ {body} }} }}")
    yield store, event
    store.close()


CARRIERS = {
    "person": "?x a schema:Person ; schema:name ?o .",
    "event": "?x a diplo:DiplomaticEvent ; schema:name ?o .",
    "document": "?x diplo:signedAt ?e ; schema:name ?o .",
    "headline": "?x schema:headline ?o .",
}


def carried(store, pattern: str) -> bool:
    """Whether some literal matched by ``pattern`` (binding ?o) holds both payloads."""
    return any(IMG in str(r[0]) and SCRIPT in str(r[0])
               for r in store.query(PREFIXES + f"SELECT ?o WHERE {{ {pattern} }}"))


@pytest.mark.slow
def test_the_payloads_reach_every_kind_of_text(xss_store):
    store, _ = xss_store
    assert {kind: carried(store, pattern) for kind, pattern in CARRIERS.items()} == dict.fromkeys(CARRIERS, True)


@pytest.mark.slow
@pytest.mark.parametrize("view", network.VIEWS)
def test_xss_payloads_stay_out_of_the_html(xss_store, view):
    store, _ = xss_store
    page = viz.render(network.build(store, view), title=XSS)
    assert IMG not in page and "<script>window.__xss" not in page


@browser
@needs_chromium
@pytest.mark.slow
@pytest.mark.parametrize("view", network.VIEWS)
def test_xss_does_not_run_and_shows_as_text(chromium, xss_store, tmp_path, view):
    store, _ = xss_store
    g = network.build(store, view)
    visit = open_graph(chromium, g, tmp_path, title=XSS)
    assert visit.evaluate("typeof window.__xss") == "undefined"
    assert visit.evaluate("document.querySelectorAll('img').length") == 0
    assert visit.evaluate("document.scripts.length") == 3  # the data, vis-network, the page's own
    assert visit.evaluate("document.title") == XSS
    assert visit.evaluate("document.getElementById('title').textContent") == XSS
    assert visit.external == []
    target = next((n for n, d in g.nodes(data=True) if IMG in d["label"]), None) or \
        next(n for n, d in g.nodes(data=True) if any(SCRIPT in e["title"] for e in d["events"]))
    tip = visit.tooltip_of(target)
    assert IMG in tip and SCRIPT in tip
    assert visit.evaluate("document.querySelectorAll('img').length") == 0
    assert visit.evaluate("typeof window.__xss") == "undefined"


# -- the demo page, readable at first sight ----------------------------------------------------------

# Every drawn label's box and every dot's box, in page pixels, as vis-network laid them out.
DRAWN_BOXES = """() => {
  const net = window.kgNetwork, scale = net.getScale(), out = {labels: [], dots: [], scale: scale};
  for (const id of net.body.nodeIndices) {
    const n = net.body.nodes[id];
    if (n.options.hidden) continue;
    const c = net.canvasToDOM({x: n.x, y: n.y}), r = n.options.size * scale;
    out.dots.push([c.x - r, c.y - r, c.x + r, c.y + r, id]);
    const s = n.labelModule.size;
    if (!n.options.label || !s || !s.width) continue;
    const a = net.canvasToDOM({x: s.left, y: s.top}), b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    out.labels.push([a.x, a.y, b.x, b.y, id]);
  }
  return out;
}"""


def overlapping(boxes_a, boxes_b, pad: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of boxes from the two lists that overlap by more than ``pad`` pixels (not a node with itself)."""
    def meet(a, b):
        return a[0] + pad < b[2] and b[0] + pad < a[2] and a[1] + pad < b[3] and b[1] + pad < a[3]
    return sorted({tuple(sorted((a[4], b[4]))) for a in boxes_a for b in boxes_b if a[4] != b[4] and meet(a, b)})


@browser
@needs_chromium
def test_demo_events_page_draws_no_label_over_another_or_over_a_node(chromium, sample_store, tmp_path):
    import os

    g = network.build(sample_store, "events")
    assert len(g) >= 40
    visit = open_graph(chromium, g, tmp_path, "demo.html", title="kg — demo")
    drawn = visit.evaluate(DRAWN_BOXES)
    shots = Path(os.environ.get("KG_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=str(shots / "events-demo.png"))
    print(f"screenshot: {shots / 'events-demo.png'}; {len(drawn['labels'])} labels at scale {drawn['scale']:.2f}")
    assert len(drawn["labels"]) == len(g), "every node of a small page is labelled"
    assert overlapping(drawn["labels"], drawn["labels"]) == []
    assert overlapping(drawn["labels"], drawn["dots"]) == []
    assert drawn["scale"] * 12 >= 7, "labels are big enough to read without zooming"
