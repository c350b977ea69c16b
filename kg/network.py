"""networkx views of the graph, built from SPARQL results.

- ``events``: the bipartite event–actor graph (events, people, organizations, places);
- ``people``: people who took part in the same events, weighted by how many;
- ``organizations``: organizations involved in the same events or co-signing documents;
- ``countries``: country pairs, weighted by shared events and documents.

Filters: countries, a period, a topic, event types. Node attributes carry kind, label,
country, and the events, dates and source articles behind each node and edge.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from kg.export import PREFIX_BLOCK
from kg.store import Store

VIEWS = ("events", "people", "organizations", "countries")

Q_EVENTS = PREFIX_BLOCK + """
SELECT ?e ?type ?title ?date ?art WHERE {
  ?e a diplo:DiplomaticEvent ; a ?type ; prov:wasDerivedFrom/schema:identifier ?art .
  FILTER(STRSTARTS(STR(?type), STR(diplo:)) && ?type != diplo:DiplomaticEvent)
  OPTIONAL { ?e schema:name ?title }
  OPTIONAL { ?e schema:startDate ?date }
}"""

Q_ACTORS = PREFIX_BLOCK + """
SELECT ?e ?x ?kind ?name ?country WHERE {
  { ?e schema:attendee ?x . BIND("person" AS ?kind) OPTIONAL { ?x diplo:country ?c . ?c schema:name ?country } }
  UNION { ?e diplo:involvedOrganization ?x . BIND("organization" AS ?kind)
          OPTIONAL { ?x diplo:country ?c . ?c schema:name ?country } }
  UNION { ?e schema:location ?x . BIND("place" AS ?kind)
          OPTIONAL { ?x schema:containedInPlace ?c . ?c schema:name ?country } }
  UNION { ?e diplo:cooperationBetween ?x . BIND("country" AS ?kind) }
  ?x schema:name ?name .
}"""

Q_COSIGNED = PREFIX_BLOCK + """
SELECT ?d ?title ?e ?x WHERE { ?d diplo:signedAt ?e ; diplo:party ?x . OPTIONAL { ?d schema:name ?title } }"""

Q_TOPICS = PREFIX_BLOCK + """
SELECT ?e ?label WHERE { ?e diplo:topic ?t . { ?t skos:prefLabel ?label } UNION { ?t skos:broader/skos:prefLabel ?label } }"""


@dataclass
class Filters:
    countries: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    topic: str | None = None
    types: tuple[str, ...] = ()

    def keep(self, event: dict) -> bool:
        if self.types and event["type"] not in self.types:
            return False
        if self.start and (not event["date"] or event["date"] < self.start):
            return False
        if self.end and (not event["date"] or event["date"] > self.end):
            return False
        if self.countries and not {c.lower() for c in self.countries} & {c.lower() for c in event["countries"]}:
            return False
        if self.topic and not any(self.topic.lower() in t.lower() for t in event["topics"]):
            return False
        return True


@dataclass
class Facts:
    events: dict[str, dict] = field(default_factory=dict)
    actors: dict[str, dict] = field(default_factory=dict)
    links: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    documents: dict[str, dict] = field(default_factory=dict)


def load_facts(store: Store) -> Facts:
    facts = Facts()
    for r in store.query(Q_EVENTS):
        e = facts.events.setdefault(str(r.e), {"type": None, "title": str(r.title or ""), "date": None,
                                               "articles": set(), "countries": set(), "topics": set()})
        kind = str(r.type).rsplit("#", 1)[-1]
        e["type"] = kind if kind != "OtherEvent" else "Other"
        e["date"] = str(r.date) if r.date else e["date"]
        e["articles"].add(str(r.art))
    for r in store.query(Q_ACTORS):
        if str(r.e) not in facts.events:
            continue
        actor = facts.actors.setdefault(str(r.x), {"kind": str(r.kind), "label": str(r.name), "country": None})
        actor["country"] = actor["country"] or (str(r.country) if r.country else None)
        facts.links[str(r.e)].add(str(r.x))
        if str(r.kind) == "country":
            facts.events[str(r.e)]["countries"].add(str(r.name))
    for r in store.query(Q_TOPICS):
        if str(r.e) in facts.events:
            facts.events[str(r.e)]["topics"].add(str(r.label))
    for r in store.query(Q_COSIGNED):
        d = facts.documents.setdefault(str(r.d), {"title": str(r.title or ""), "event": str(r.e), "parties": set()})
        d["parties"].add(str(r.x))
    return facts


def build(store: Store, view: str = "events", filters: Filters | None = None) -> nx.Graph:
    """The networkx graph of one view, with metrics as node attributes."""
    facts = load_facts(store)
    filters = filters or Filters()
    events = {k: v for k, v in facts.events.items() if filters.keep(v)}
    builder = {"events": _events_view, "people": _projection("person"), "organizations": _projection("organization"),
               "countries": _projection("country")}.get(view)
    if builder is None:
        raise ValueError(f"unknown view {view!r}; one of {', '.join(VIEWS)}")
    graph = builder(facts, events)
    add_metrics(graph)
    return graph


def _event_info(iri: str, e: dict) -> dict:
    return {"title": e["title"], "date": e["date"], "type": e["type"], "articles": sorted(e["articles"])}


def _events_view(facts: Facts, events: dict) -> nx.Graph:
    g = nx.Graph()
    for iri, e in events.items():
        g.add_node(iri, kind="event", label=e["title"] or e["type"], type=e["type"], date=e["date"],
                   articles=sorted(e["articles"]), events=[_event_info(iri, e)])
        for x in facts.links.get(iri, ()):
            actor = facts.actors[x]
            if actor["kind"] == "country":
                continue
            if x not in g:
                g.add_node(x, kind=actor["kind"], label=actor["label"], country=actor["country"], events=[])
            g.nodes[x]["events"].append(_event_info(iri, e))
            g.add_edge(iri, x, weight=1, events=[_event_info(iri, e)])
    return g


def _projection(kind: str):
    def build_view(facts: Facts, events: dict) -> nx.Graph:
        g = nx.Graph()
        for iri, e in events.items():
            members = sorted(x for x in facts.links.get(iri, ()) if facts.actors[x]["kind"] == kind)
            for x in members:
                _ensure(g, x, facts.actors[x])
                g.nodes[x]["events"].append(_event_info(iri, e))
            for a, b in combinations(members, 2):
                _link(g, a, b, _event_info(iri, e))
        if kind == "organization":
            for d in facts.documents.values():
                if d["event"] not in events:
                    continue
                parties = sorted(p for p in d["parties"] if p in facts.actors)
                for a, b in combinations(parties, 2):
                    for x in (a, b):
                        _ensure(g, x, facts.actors[x])
                    _link(g, a, b, {"title": d["title"], "date": events[d["event"]]["date"], "type": "Document",
                                    "articles": sorted(events[d["event"]]["articles"])})
        return g
    return build_view


def _ensure(g: nx.Graph, x: str, actor: dict) -> None:
    if x not in g:
        g.add_node(x, kind=actor["kind"], label=actor["label"], country=actor["country"], events=[])


def _link(g: nx.Graph, a: str, b: str, info: dict) -> None:
    if g.has_edge(a, b):
        g[a][b]["weight"] += 1
        g[a][b]["events"].append(info)
    else:
        g.add_edge(a, b, weight=1, events=[info])


def add_metrics(g: nx.Graph) -> None:
    """Degree, weighted degree, betweenness and community as node attributes."""
    if not len(g):
        return
    weighted = dict(g.degree(weight="weight"))
    between = nx.betweenness_centrality(g, k=min(len(g), 300) if len(g) > 2000 else None, seed=7)
    communities = nx.community.greedy_modularity_communities(g, weight="weight") if g.number_of_edges() else []
    community_of = {n: k for k, members in enumerate(communities) for n in members}
    for n in g.nodes:
        g.nodes[n]["degree"] = g.degree(n)
        g.nodes[n]["weighted_degree"] = weighted[n]
        g.nodes[n]["betweenness"] = round(between.get(n, 0.0), 6)
        g.nodes[n]["community"] = community_of.get(n, -1)


def to_dataframe(g: nx.Graph):
    """Nodes with their attributes as a pandas DataFrame (for notebooks)."""
    import pandas as pd

    rows = [{"id": n, **{k: v for k, v in d.items() if k != "events"}, "events": len(d.get("events", []))}
            for n, d in g.nodes(data=True)]
    return pd.DataFrame(rows).sort_values("weighted_degree", ascending=False) if rows else pd.DataFrame()
