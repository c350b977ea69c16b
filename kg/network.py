"""networkx views of the graph, built from SPARQL results.

- ``events``: the bipartite event–actor graph (events on one side; people, organizations and
  places on the other; ``bipartite`` is 0 for events, 1 for actors);
- ``people``: people who took part in the same events, weighted by how many;
- ``organizations``: organizations involved in the same events or parties to the same
  signed documents (``event_count`` + ``document_count`` = ``weight``);
- ``countries``: country pairs, weighted by the events about both and the documents whose
  parties belong to both.

``Filters`` keep events by country (name, ISO code or IRI), period, topic and event type.
Node attributes carry ``kind``, ``label``, ``country`` and ``events`` (the events, dates and
source articles behind the node); edge attributes carry ``weight`` and the same ``events``.
``add_metrics`` adds degree, weighted degree, betweenness and community. Nothing here
draws: ``kg.viz`` turns a graph into HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal
from urllib.parse import unquote

import networkx as nx

from kg.errors import InputError
from kg.model import EVENT_TYPES, event_type
from kg.queries import internal
from kg.store import Store

View = Literal["events", "people", "organizations", "countries"]
VIEWS: tuple[str, ...] = ("events", "people", "organizations", "countries")
ACTOR_KINDS = ("person", "organization", "place")
BETWEENNESS_BUDGET = 2_000_000  # (nodes + edges) × sources: betweenness is sampled beyond this


# -- records ------------------------------------------------------------------------------------

@dataclass
class Event:
    """A diplomatic event as the views need it."""

    iri: str
    type: str
    title: str = ""
    date: str | None = None
    articles: dict[str, str] = field(default_factory=dict)  # article id → headline
    countries: set[str] = field(default_factory=set)  # country IRIs
    topics: set[str] = field(default_factory=set)  # the phrases the articles use ("поставки газа")
    areas: dict[str, str] = field(default_factory=dict)  # area of cooperation: key ("energy") → label
    topic_areas: set[tuple[str, str]] = field(default_factory=set)  # (phrase, its area's label or "")
    actors: set[str] = field(default_factory=set)

    def ref(self) -> dict[str, Any]:
        """What a node or an edge says about this event (tooltips, tables)."""
        return {"iri": self.iri, "type": self.type, "title": self.title, "date": self.date,
                "articles": [{"id": k, "headline": v} for k, v in sorted(self.articles.items())]}


@dataclass(frozen=True)
class Actor:
    iri: str
    kind: str  # person | organization | place | country
    label: str
    country: str | None = None  # country IRI


@dataclass
class Document:
    iri: str
    title: str
    event: str
    parties: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)

    def ref(self, event: Event) -> dict[str, Any]:
        return {**event.ref(), "iri": self.iri, "type": "Document", "title": self.title}


@dataclass
class Facts:
    """Everything the views are built from, read from the store in a few queries."""

    events: dict[str, Event] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    country_keys: dict[str, set[str]] = field(default_factory=dict)  # country IRI → lower-case keys
    country_names: dict[str, str] = field(default_factory=dict)  # country IRI → its (short) name

    def country_name(self, iri: str | None) -> str | None:
        return self.country_names.get(iri or "")


# -- filters ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    """Which events a view keeps. Empty fields keep everything.

    ``countries``: names, ISO codes or IRIs (an event is kept when it is about any of them,
    or about all of them with ``every_country``); ``start``/``end``: ISO dates, inclusive
    (``2024`` or ``2024-03`` cover the year or month); ``topic``: part of a topic's label or
    an area key (``energy``); ``types``: event types (``Meeting``, ``Visit``, …)."""

    countries: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    topic: str | None = None
    types: tuple[str, ...] = ()
    every_country: bool = False

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            _check_date(name, getattr(self, name))
        object.__setattr__(self, "types", tuple(_event_type(t) for t in self.types))

    def describe(self) -> str:
        """The filters in a few words, for titles: `` · KZ · 2024-01-01…2024-12-31``."""
        period = f"{self.start or ''}…{self.end or ''}" if self.start or self.end else ""
        parts = [(" & " if self.every_country else ", ").join(self.countries), period, self.topic or "",
                 ", ".join(self.types)]
        return "".join(f" · {p}" for p in parts if p)

    def keep(self, event: Event, countries: set[str] | None = None) -> bool:
        """Whether ``event`` passes; ``countries`` are the IRIs ``self.countries`` resolved to."""
        return all(check(self, event, countries) for check in _CHECKS)


def _check_date(name: str, value: str | None) -> None:
    if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise InputError(f"{name} {value!r} is not a date", "write it as YYYY-MM-DD (or YYYY-MM, YYYY)")


def _event_type(name: str) -> str:
    found = {t.lower(): t for t in EVENT_TYPES}.get(name.lower())
    if found is None:
        raise InputError(f"unknown event type {name!r}", f"one of {', '.join(EVENT_TYPES)}")
    return found


def _by_type(f: Filters, e: Event, _: set[str] | None) -> bool:
    return not f.types or e.type in f.types


def _by_period(f: Filters, e: Event, _: set[str] | None) -> bool:
    if not (f.start or f.end):
        return True
    # a prefix compare makes "2024" or "2024-03" cover the whole year or month
    return bool(e.date) and (not f.start or e.date >= f.start) and (not f.end or e.date[:len(f.end)] <= f.end)


def _by_country(f: Filters, e: Event, countries: set[str] | None) -> bool:
    if not f.countries:
        return True
    return (countries or set()) <= e.countries if f.every_country else bool(e.countries & (countries or set()))


def _by_topic(f: Filters, e: Event, _: set[str] | None) -> bool:
    words = (*e.topics, *e.areas, *e.areas.values())
    return not f.topic or any(f.topic.lower() in w.lower() for w in words)


_CHECKS: tuple[Callable[[Filters, Event, set[str] | None], bool], ...] = (_by_type, _by_period, _by_country,
                                                                          _by_topic)


def resolve_countries(facts: Facts, names: Iterable[str]) -> set[str]:
    """Country IRIs for names, ISO codes or IRIs; an unknown one is an ``InputError``."""
    found = set()
    for name in names:
        hits = {iri for iri, keys in facts.country_keys.items() if name.strip().lower() in keys}
        if not hits:
            raise InputError(f"no country {name!r} in the store", "give a name (Казахстан) or an ISO code (KZ)")
        found |= hits
    return found


def select(facts: Facts, filters: Filters | None = None) -> dict[str, Event]:
    """The events that pass ``filters``, in date order (undated last)."""
    filters = filters or Filters()
    countries = resolve_countries(facts, filters.countries)
    kept = [e for e in facts.events.values() if filters.keep(e, countries)]
    return {e.iri: e for e in sorted(kept, key=lambda e: (e.date is None, e.date or "", e.iri))}


# -- reading the store --------------------------------------------------------------------------

def load_facts(store: Store) -> Facts:
    """Events, actors, documents, topics and country names from the store."""
    facts = Facts()
    _read_countries(store, facts)
    _read_events(store, facts)
    _read_actors(store, facts)
    _read_documents(store, facts)
    _read_topics(store, facts)
    return facts


def _text(term) -> str:
    return str(term) if term is not None else ""


def _better(old: str, new: str) -> str:
    """The fuller of two labels, deterministically (names come from several articles)."""
    return max(old, new, key=lambda s: (len(s), s))


def _read_events(store: Store, facts: Facts) -> None:
    for r in store.query(internal("network-events")):
        kind = str(r.type).rsplit("#", 1)[-1]
        e = facts.events.setdefault(str(r.e), Event(str(r.e), event_type(kind)))
        e.title = _better(e.title, _text(r.title))
        e.date = min(filter(None, (e.date, _text(r.date) or None)), default=None)
        e.articles[str(r.art)] = _better(e.articles.get(str(r.art), ""), _text(r.headline))


def _read_actors(store: Store, facts: Facts) -> None:
    for r in store.query(internal("network-actors")):
        event = facts.events.get(str(r.e))
        if event is None:
            continue
        _remember(facts, Actor(str(r.x), str(r.kind), str(r.name), _text(r.country) or None))
        event.actors.add(str(r.x))
        if r.country is not None and str(r.kind) in ("country", "person", "organization"):
            event.countries.add(str(r.country))


def _remember(facts: Facts, actor: Actor) -> Actor:
    old = facts.actors.get(actor.iri)
    if old is not None:
        actor = Actor(actor.iri, old.kind, _better(old.label, actor.label), old.country or actor.country)
    facts.actors[actor.iri] = actor
    return actor


def _read_documents(store: Store, facts: Facts) -> None:
    for r in store.query(internal("network-documents")):
        if str(r.e) not in facts.events:
            continue
        d = facts.documents.setdefault(str(r.d), Document(str(r.d), _text(r.title), str(r.e)))
        d.parties.add(str(r.party))
        if r.country is not None:
            d.countries.add(str(r.country))
        if r.name is not None and str(r.party) not in facts.actors:
            kind = "country" if r.country is not None and str(r.country) == str(r.party) else "organization"
            _remember(facts, Actor(str(r.party), kind, str(r.name), _text(r.country) or None))
        for c in d.countries:
            if c not in facts.actors:
                _remember(facts, Actor(c, "country", facts.country_name(c) or c.rsplit("/", 1)[-1], c))


def _read_topics(store: Store, facts: Facts) -> None:
    for r in store.query(internal("network-topics")):
        event = facts.events.get(str(r.e))
        if event is not None and r.label is not None:
            event.topics.add(str(r.label))
        if event is not None and r.area is not None:
            key = unquote(str(r.area).rsplit("/", 1)[-1])
            event.areas[key] = _text(r.areaLabel) or event.areas.get(key) or key
        if event is not None and r.label is not None:
            area = event.areas.get(unquote(str(r.area).rsplit("/", 1)[-1]), "") if r.area is not None else ""
            event.topic_areas.add((str(r.label), area))


def _read_countries(store: Store, facts: Facts) -> None:
    for r in store.query(internal("network-countries")):
        iri, key = str(r.c), str(r.key)
        facts.country_keys.setdefault(iri, {iri.lower()}).add(key.lower())
        if r.main and r.main.toPython():
            old = facts.country_names.get(iri)
            facts.country_names[iri] = min(filter(None, (old, key)), key=lambda s: (len(s), s))


# -- views --------------------------------------------------------------------------------------

class NetworkView(nx.Graph):
    """A networkx ``Graph`` that shows a summary of itself in notebooks.

    ``graph.graph`` holds ``view`` and ``filters``; see the module docstring for the
    node and edge attributes."""

    def __repr__(self) -> str:
        return f"NetworkView(view={self.graph.get('view')!r}, nodes={len(self)}, edges={self.number_of_edges()})"

    def _repr_html_(self) -> str:
        top = sorted(self.nodes(data=True), key=lambda n: -n[1].get("weighted_degree", 0))[:10]
        rows = "".join(f"<tr><td>{_esc(d.get('label'))}</td><td>{_esc(d.get('kind'))}</td>"
                       f"<td>{_esc(d.get('country') or '')}</td><td>{_esc(d.get('weighted_degree', ''))}</td></tr>"
                       for _, d in top)
        communities = len({d.get("community") for _, d in self.nodes(data=True)} - {None, -1})
        return (f"<div><b>kg network — {_esc(self.graph.get('view', ''))}</b>: {len(self)} nodes, "
                f"{self.number_of_edges()} edges, {communities} communities"
                f"<table><tr><th>label</th><th>kind</th><th>country</th><th>weighted degree</th></tr>{rows}</table></div>")


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def build(store: Store, view: str = "events", filters: Filters | None = None, metrics: bool = True) -> NetworkView:
    """The networkx graph of one view, with metrics as node attributes."""
    return build_from_facts(load_facts(store), view, filters, metrics)


def build_from_facts(facts: Facts, view: str = "events", filters: Filters | None = None,
                     metrics: bool = True) -> NetworkView:
    """``build`` on facts already read (to draw several views from one read)."""
    if view not in VIEWS:
        raise InputError(f"unknown view {view!r}", f"one of {', '.join(VIEWS)}")
    events = select(facts, filters)
    graph = NetworkView(view=view, filters=filters or Filters())
    _BUILDERS[view](graph, facts, events)
    if metrics:
        add_metrics(graph)
    return graph


def _add_actor(g: nx.Graph, facts: Facts, iri: str) -> None:
    if iri not in g:
        a = facts.actors[iri]
        g.add_node(iri, kind=a.kind, label=a.label, country=facts.country_name(a.country), bipartite=1, events=[])


def _events_view(g: nx.Graph, facts: Facts, events: dict[str, Event]) -> None:
    for iri, e in events.items():
        g.add_node(iri, kind="event", label=e.title or e.type, type=e.type, date=e.date, bipartite=0,
                   country=None, articles=sorted(e.articles), events=[e.ref()], documents=_signed_at(facts, iri))
        for x in sorted(e.actors):
            if facts.actors[x].kind in ACTOR_KINDS:
                _add_actor(g, facts, x)
                g.nodes[x]["events"].append(e.ref())
                g.add_edge(iri, x, weight=1, event_count=1, document_count=0, events=[e.ref()])


def _signed_at(facts: Facts, event: str) -> list[str]:
    return sorted(d.title for d in facts.documents.values() if d.event == event)


def _link(g: nx.Graph, a: str, b: str, ref: dict[str, Any], count: str) -> None:
    if not g.has_edge(a, b):
        g.add_edge(a, b, weight=0, event_count=0, document_count=0, events=[])
    edge = g[a][b]
    edge["weight"] += 1
    edge[count] += 1
    edge["events"].append(ref)


def _co_occurrence(kind: str) -> Callable[[nx.Graph, Facts, dict[str, Event]], None]:
    """Actors of one kind linked by the events they share."""
    def build_view(g: nx.Graph, facts: Facts, events: dict[str, Event]) -> None:
        for e in events.values():
            members = sorted(x for x in e.actors if facts.actors[x].kind == kind)
            for x in members:
                _add_actor(g, facts, x)
                g.nodes[x]["events"].append(e.ref())
            for a, b in combinations(members, 2):
                _link(g, a, b, e.ref(), "event_count")
    return build_view


def _co_signed(parties: Callable[[Document, Facts], set[str]]) -> Callable[[nx.Graph, Facts, dict[str, Event]], None]:
    """Actors linked by the documents they are parties to (or whose parties they hold)."""
    def build_view(g: nx.Graph, facts: Facts, events: dict[str, Event]) -> None:
        for d in facts.documents.values():
            if d.event in events:
                members = sorted(parties(d, facts))
                for x in members:
                    _add_actor(g, facts, x)
                    g.nodes[x]["events"].append(d.ref(events[d.event]))
                for a, b in combinations(members, 2):
                    _link(g, a, b, d.ref(events[d.event]), "document_count")
    return build_view


def _organization_parties(d: Document, facts: Facts) -> set[str]:
    return {p for p in d.parties if p in facts.actors and facts.actors[p].kind == "organization"}


def _country_parties(d: Document, facts: Facts) -> set[str]:
    return {c for c in d.countries if c in facts.actors}


def _both(*builders: Callable[[nx.Graph, Facts, dict[str, Event]], None]):
    def build_view(g: nx.Graph, facts: Facts, events: dict[str, Event]) -> None:
        for b in builders:
            b(g, facts, events)
    return build_view


_BUILDERS: dict[str, Callable[[nx.Graph, Facts, dict[str, Event]], None]] = {
    "events": _events_view,
    "people": _co_occurrence("person"),
    "organizations": _both(_co_occurrence("organization"), _co_signed(_organization_parties)),
    "countries": _both(_co_occurrence("country"), _co_signed(_country_parties)),
}


# -- metrics ------------------------------------------------------------------------------------

def add_metrics(g: nx.Graph, seed: int = 7) -> None:
    """Degree, weighted degree, betweenness and Louvain community as node attributes.

    Betweenness ignores weights (they count meetings, not distances); on large graphs it is
    estimated from as many pivots as ``BETWEENNESS_BUDGET`` allows (at least 32). Communities
    are numbered by size."""
    if not len(g):
        return
    nx.set_node_attributes(g, dict(g.degree()), "degree")
    nx.set_node_attributes(g, dict(g.degree(weight="weight")), "weighted_degree")
    nx.set_node_attributes(g, _betweenness(g, seed), "betweenness")
    nx.set_node_attributes(g, _communities(g, seed), "community")


def _betweenness(g: nx.Graph, seed: int) -> dict[Any, float]:
    size = len(g) + g.number_of_edges()
    k = None if len(g) * size <= BETWEENNESS_BUDGET else min(len(g), max(32, BETWEENNESS_BUDGET // size))
    return {n: round(v, 6) for n, v in nx.betweenness_centrality(g, k=k, seed=seed).items()}


def _communities(g: nx.Graph, seed: int) -> dict[Any, int]:
    groups = nx.community.louvain_communities(g, weight="weight", seed=seed) if g.number_of_edges() else []
    ranked = sorted(groups, key=lambda c: (-len(c), min(map(str, c))))
    found = {n: k for k, members in enumerate(ranked) for n in members}
    return {n: found.get(n, -1) for n in g}


# -- tables (pandas is needed only here) ----------------------------------------------------------

def _node_row(n: Any, d: dict[str, Any]) -> dict[str, Any]:
    row = {"id": n, **{k: v for k, v in d.items() if k not in ("events", "articles", "documents")}}
    row["events"] = len(d.get("events", []))
    return row


def _edge_row(a: Any, b: Any, d: dict[str, Any], g: nx.Graph) -> dict[str, Any]:
    dates = sorted(filter(None, (e.get("date") for e in d.get("events", []))))
    return {"source": a, "target": b, "source_label": g.nodes[a].get("label"),
            "target_label": g.nodes[b].get("label"), **{k: v for k, v in d.items() if k != "events"},
            "first": dates[0] if dates else None, "last": dates[-1] if dates else None}


def to_dataframe(g: nx.Graph, part: Literal["nodes", "edges"] = "nodes"):
    """Nodes (by weighted degree) or edges (by weight) with their attributes, as a pandas DataFrame."""
    import pandas as pd

    if part == "nodes":
        rows, key = [_node_row(n, d) for n, d in g.nodes(data=True)], "weighted_degree"
    elif part == "edges":
        rows, key = [_edge_row(a, b, d, g) for a, b, d in g.edges(data=True)], "weight"
    else:
        raise ValueError(f"part is 'nodes' or 'edges', not {part!r}")
    frame = pd.DataFrame(rows)
    return frame.sort_values(key, ascending=False, kind="stable").reset_index(drop=True) if key in frame else frame


def events_dataframe(source: Store | Facts, filters: Filters | None = None):
    """One row per event that passes ``filters``: type, title, date, countries, topics (the
    phrases the articles use), areas (the labels of their areas of cooperation), articles."""
    import pandas as pd

    facts = source if isinstance(source, Facts) else load_facts(source)
    rows = [{"iri": e.iri, "type": e.type, "title": e.title, "date": pd.to_datetime(e.date),
             "countries": sorted(filter(None, map(facts.country_name, e.countries))),
             "topics": sorted(e.topics), "areas": sorted(set(e.areas.values())), "articles": sorted(e.articles)}
            for e in select(facts, filters).values()]
    columns = ["iri", "type", "title", "date", "countries", "topics", "areas", "articles"]
    return pd.DataFrame(rows, columns=columns)


def topics_dataframe(source: Store | Facts, filters: Filters | None = None):
    """One row per event and topic phrase, with the phrase's own area of cooperation (its label;
    empty when the phrase is outside the topic scheme): date, type, title, topic, area."""
    import pandas as pd

    facts = source if isinstance(source, Facts) else load_facts(source)
    rows = [{"iri": e.iri, "date": pd.to_datetime(e.date), "type": e.type, "title": e.title, "topic": phrase,
             "area": area} for e in select(facts, filters).values() for phrase, area in sorted(e.topic_areas)]
    return pd.DataFrame(rows, columns=["iri", "date", "type", "title", "topic", "area"])


def query_dataframe(store: Store, sparql: str, params: dict[str, str] | None = None):
    """A SPARQL query's rows (inline text, a .rq file or a library query name) as a DataFrame."""
    import pandas as pd

    from kg.query import run

    result = run(store, sparql, params)
    names = [str(v) for v in result.vars or []]
    return pd.DataFrame([[None if v is None else v.toPython() for v in row] for row in result], columns=names)
