"""Exports of the store: RDF serializations and the ``events.json`` view.

``events_json`` is produced by SPARQL over the store — never from the extractor's memory —
in the shape ``../shared/eval/SCHEMA.md`` fixes.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from kg.model import DOCUMENT_CLASSES, first_type
from kg.queries import internal
from kg.store import Store
from kg.vocab import DIPLO

RDF_FORMATS = ("turtle", "trig", "nquads", "json-ld")
FORMATS = ("events-json",) + RDF_FORMATS


def _local(iri: Any) -> str:
    return str(iri).rsplit("#", 1)[-1]


def _minutes(stamp: str) -> str:
    """"2025-10-11T11:58:00" → "2025-10-11T11:58", as SCHEMA.md writes it."""
    return stamp[:16] if len(stamp) >= 16 and stamp[16:] in ("", ":00") else stamp


def _pick(values: Counter) -> str | None:
    """The most frequent name, then the longest, then the first alphabetically."""
    if not values:
        return None
    return sorted(values.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]


def _names(store: Store, query: str = "export-names") -> dict[str, str]:
    """Resource → its name, by ``_pick``, from the internal query named ``query``."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in store.query(internal(query)):
        counts[str(row[0])][str(row[1])] += 1
    return {k: _pick(v) for k, v in counts.items()}


def events_json(store: Store) -> dict:
    """The SCHEMA.md view of the store: articles and events, merged events with all sources."""
    names = _names(store)
    names.update(_names(store, "export-topic-labels"))
    return {"articles": _articles(store), "events": _events(store, names)}


def _articles(store: Store) -> list[dict]:
    rows: dict[str, dict] = {}
    for r in store.query(internal("export-articles")):
        a = rows.setdefault(str(r.a), {"id": str(r.id), "title": None, "published": None, "source": None,
                                        "url": None, "authors": [], "tags": []})
        a["title"] = a["title"] or (str(r.title) if r.title else None)
        a["published"] = a["published"] or (_minutes(str(r.published)) if r.published else None)
        a["source"] = a["source"] or (str(r.source) if r.source else None)
        a["url"] = a["url"] or (str(r.url) if r.url else None)
        for key, value in (("authors", r.author), ("tags", r.tag)):
            if value is not None and str(value) not in a[key]:
                a[key].append(str(value))
    return sorted(rows.values(), key=lambda a: a["id"])


def _events(store: Store, names: dict[str, str]) -> list[dict]:
    place_country = {str(r.place): str(r.country) for r in store.query(internal("export-place-countries"))}
    events: dict[str, dict] = {}
    types: dict[str, set] = defaultdict(set)
    for r in store.query(internal("export-events")):
        e = events.setdefault(str(r.e), {"id": str(r.e), "type": None, "sources": [], "title": None, "date": None,
                                          "location": None, "countries": [], "participants": [],
                                          "organizations": [], "documents": [], "topics": []})
        types[str(r.e)].add(_local(r.type))
        if str(r.art) not in e["sources"]:
            e["sources"].append(str(r.art))
        e["title"] = e["title"] or (str(r.title) if r.title else None)
        e["date"] = e["date"] or (str(r.date) if r.date else None)
        if r.place is not None and e["location"] is None:
            country = place_country.get(str(r.place))
            e["location"] = {"name": names.get(str(r.place)), "country": names.get(country) if country else None}
    for iri, e in events.items():
        e["type"] = first_type(types[iri])
        e["sources"].sort()
    _add_participants(store, events, names)
    _add_links(store, events, names)
    _add_documents(store, events, names)
    return sorted(events.values(), key=lambda e: (e["sources"][0] if e["sources"] else "", e["date"] or "", e["id"]))


def _add_participants(store: Store, events: dict, names: dict) -> None:
    nodes: dict[str, dict] = {}
    for r in store.query(internal("export-participants")):
        e = events.get(str(r.e))
        if e is None:
            continue
        key = str(r.node)
        p = nodes.get(key)
        if p is None:
            p = nodes[key] = {"name": names.get(str(r.person)), "position": None, "organization": None,
                              "country": None}
            e["participants"].append(p)
        p["position"] = p["position"] or (str(r.position) if r.position else None)
        p["organization"] = p["organization"] or (names.get(str(r.org)) if r.org else None)
        p["country"] = p["country"] or (names.get(str(r.country)) if r.country else None)
    for e in events.values():
        e["participants"].sort(key=lambda p: p["name"] or "")


def _add_links(store: Store, events: dict, names: dict) -> None:
    slots = {str(DIPLO.involvedOrganization): "organizations", str(DIPLO.cooperationBetween): "countries",
             str(DIPLO.topic): "topics"}
    for r in store.query(internal("export-links")):
        e = events.get(str(r.e))
        name = names.get(str(r.o))
        if e is not None and name and name not in e[slots[str(r.p)]]:
            e[slots[str(r.p)]].append(name)
    for e in events.values():
        for slot in slots.values():
            e[slot].sort()


def _add_documents(store: Store, events: dict, names: dict) -> None:
    docs: dict[tuple[str, str], dict] = {}
    doc_types: dict[tuple[str, str], set] = defaultdict(set)
    for r in store.query(internal("export-documents")):
        e = events.get(str(r.e))
        if e is None:
            continue
        key = (str(r.e), str(r.d))
        d = docs.get(key)
        if d is None:
            d = docs[key] = {"title": str(r.title) if r.title else None, "type": "Other", "parties": []}
            e["documents"].append(d)
        doc_types[key].add(_local(r.type))
        party = names.get(str(r.party)) if r.party else None
        if party and party not in d["parties"]:
            d["parties"].append(party)
    for key, d in docs.items():
        d["type"] = first_type(doc_types[key], DOCUMENT_CLASSES)
        d["parties"].sort()


def dumps_events(store: Store) -> str:
    return json.dumps(events_json(store), ensure_ascii=False, indent=2)


def export(store: Store, fmt: str) -> str:
    """The store in one of ``FORMATS``."""
    if fmt == "events-json":
        return dumps_events(store)
    return store.serialize(fmt)
