"""The analysts' query library (``kg/queries/*.rq``) on the dev corpus.

The dev store is built once for the module. Every library query must parse, run with its
defaults and return the columns its SELECT declares; a few questions are checked against
what the dev articles say; parameters are bound as RDF terms, so hostile values change
nothing and cannot widen a result.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from kg.errors import QueryError
from kg.query import PARAM_TYPES, library, run

pytestmark = pytest.mark.slow

LIBRARY = library()
NAMES = sorted(LIBRARY)
FOUNDING = "seed_zakon_2025-10-11"


@pytest.fixture(scope="module")
def store(shared, tmp_path_factory):
    from kg.pipeline import ingest
    from kg.store import open_store

    store = open_store(str(tmp_path_factory.mktemp("dev-store")))
    report = ingest([shared / "corpus" / "dev"], store)
    assert report.ingested >= 15 and not report.failed
    yield store
    store.close()


def rows(store, name: str, **params) -> list[dict[str, str | None]]:
    result = run(store, name, params)
    header = [str(v) for v in result.vars]
    return [{h: (None if row[i] is None else str(row[i])) for i, h in enumerate(header)} for row in result]


def declared_columns(text: str) -> list[str]:
    """The variables of the query's outermost SELECT clause: plain ?x, and ?x of (… AS ?x)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    start = re.search(r"\bSELECT\b", body, re.IGNORECASE).end()
    columns, depth, i = [], 0, start
    while i < len(body):
        ch = body[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and (ch == "{" or re.match(r"WHERE\b", body[i:], re.IGNORECASE)):
            break
        elif ch == "?":
            var = re.match(r"\?(\w+)", body[i:]).group(1)
            before = body[start:i].rstrip()
            if depth == 0 or re.search(r"\bAS$", before, re.IGNORECASE):
                columns.append(var)
            i += len(var)
        i += 1
    return columns


# -- the library's files ---------------------------------------------------------------------

def test_library_is_big_enough():
    assert len(LIBRARY) >= 14


@pytest.mark.parametrize("name", NAMES)
def test_header_documents_the_query(name):
    q = LIBRARY[name]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), "file names are kebab-case"
    assert q.title and q.title != name, "a # title: line"
    assert len(q.description) > 30, "a # description: line"
    text_params = re.findall(r"^#\s*param:.*$", q.text, re.MULTILINE)
    assert len(text_params) == len(q.params), "every # param: line parses"
    for p in q.params:
        assert p.type in PARAM_TYPES
        assert len(p.help) > 10, f"parameter {p.name} has a help text"
        if p.default is not None:
            assert p.term(p.default.strip('"')) is not None, f"the default of {p.name} is a valid {p.type}"


@pytest.mark.parametrize("name", NAMES)
def test_parameters_are_projected_and_never_tested_with_bound(name):
    """Oxigraph binds a parameter only when the SELECT projects it, and folds BOUND() of a
    variable no pattern binds to false: the library must not depend on either."""
    q = LIBRARY[name]
    columns = declared_columns(q.text)
    for p in q.params:
        assert p.name in columns, f"parameter ?{p.name} is not in the projection"
        assert not re.search(rf"BOUND\(\s*\?{p.name}\s*\)", q.text, re.IGNORECASE), f"BOUND(?{p.name}) is folded away"


def test_cli_lists_every_query():
    from kg.cli import main

    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 0, result.output
    for name, q in LIBRARY.items():
        assert f"{name}: {q.title}" in result.output
        for p in q.params:
            assert f"--param {p.name}=" in result.output


# -- every query on the dev store ------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_runs_with_defaults_and_returns_declared_columns(store, name):
    """The columns its SELECT declares, in that order, less the parameters (not part of the answer)
    but for IRI parameters (the entity the rows are about)."""
    result = run(store, name)
    params = {p.name for p in LIBRARY[name].params if p.type != "iri"}
    params |= {f"{n}_key" for n in params}  # a name parameter's index key is plumbing, not answer
    assert [str(v) for v in result.vars] == [c for c in declared_columns(LIBRARY[name].text) if c not in params]
    assert len(list(result)) > 0, "the defaults find something in the dev corpus"


# -- what the dev articles say ---------------------------------------------------------------

def test_who_met_whom_lists_tokayev_and_putin(store):
    pairs = {frozenset((r["person_a"], r["person_b"])): r for r in rows(store, "who-met-whom")}
    pair = pairs[frozenset(("Касым-Жомарт Токаев", "Владимир Путин"))]
    assert int(pair["events"]) >= 3
    assert {pair["country_a"], pair["country_b"]} == {"Казахстан", "Россия"}


def test_who_met_whom_filters_by_person_and_country(store):
    with_putin = rows(store, "who-met-whom", person="путин", min_events="1")
    assert with_putin and all("Путин" in r["person_a"] + r["person_b"] for r in with_putin)
    uzbek = rows(store, "who-met-whom", country="Узбекистан", min_events="1")
    names = {frozenset((r["person_a"], r["person_b"])) for r in uzbek}
    assert frozenset(("Касым-Жомарт Токаев", "Шавкат Мирзиёев")) in names
    assert frozenset(("Аида Балаева", "Ольга Любимова")) not in names


def test_events_between_kazakhstan_and_russia_in_2024(store):
    events = rows(store, "events-between-countries", since="2024-01-01", until="2024-12-31")
    assert events and all(r["date"].startswith("2024-") for r in events)
    astana = [r for r in events if r["date"] == "2024-11-27" and r["place"] == "Астана"]
    assert astana and astana[0]["type"] == "Meeting"
    assert "Владимир Путин" in astana[0]["participants"]
    assert not any(r["date"] == "2024-11-27" for r in rows(store, "events-between-countries", since="2025-01-01"))


def test_documents_of_type_roadmap_include_the_founding_roadmap(store):
    roadmaps = rows(store, "documents-by-party", party="", doc_type="Roadmap")
    assert roadmaps and {r["type"] for r in roadmaps} == {"Roadmap"}
    founding = [r for r in roadmaps if r["title"].startswith("Дорожная карта по повышению эффективности")]
    assert founding and "ГИТИС" in founding[0]["parties"]
    by_label = rows(store, "documents-by-party", party="", doc_type="дорожная карта")
    assert [r["document"] for r in by_label] == [r["document"] for r in roadmaps]


def test_provenance_of_the_founding_meeting(store):
    event = next(r["event"] for r in rows(store, "person-events", person="Балаева")
                 if r["date"] == "2025-10-11" and r["type"] == "Meeting")
    sources = rows(store, "event-sources", event=event)
    assert {r["article_id"] for r in sources} == {FOUNDING}
    assert all(r["event"] == event and r["outlet"] == "Zakon.kz" for r in sources)
    assert any("«Москве» [location]" in r["quotes"] for r in sources)
    assert all(r["sentence"] and "\n" not in r["sentence"] for r in sources)


def test_person_events_and_posts(store):
    tokayev = rows(store, "person-events", person="токаев")
    assert {r["name"] for r in tokayev} == {"Касым-Жомарт Токаев"}
    assert any(r["date"] == "2024-11-27" and r["place"] == "Астана" for r in tokayev)
    posts = rows(store, "person-posts", person="Любимова")
    assert {r["position"] for r in posts} == {"министр культуры"}
    assert "gazetteer" in {r["source"] for r in posts} and FOUNDING in {r["source"] for r in posts}


def test_rankings_timelines_and_topics(store):
    assert rows(store, "most-active-people")[0]["name"] == "Касым-Жомарт Токаев"
    months = {r["month"]: r for r in rows(store, "bilateral-timeline")}
    assert int(months["2024-11"]["meetings"]) >= 1
    assert int(months["2025-10"]["cultural_events"]) >= 1
    areas = {r["area"] for r in rows(store, "topics-by-year")}
    assert {"энергетика", "образование", "(без области)"} <= areas
    partners = [r["partner"] for r in rows(store, "country-partners")]
    assert partners[0] == "Россия"
    wikidata = {r["name"]: r["wikidata_id"] for r in rows(store, "people-wikidata")}
    assert wikidata["Владимир Путин"] == "Q7747"
    astana = rows(store, "events-at-place")
    assert astana and all(r["location"] == "Астана" for r in astana)
    in_kazakhstan = rows(store, "events-at-place", place="Казахстан")
    assert len(in_kazakhstan) >= len(astana)


# -- parameters are RDF terms, never text ----------------------------------------------------

HOSTILE = ['"} ; DROP ALL ; #', 'x" . ?s ?p ?o . FILTER("1"="1', "\u0000", "я" * 10_000, "<http://evil/>",
           "Токаев\" } UNION { ?s ?p ?o"]


def rows_or_refused(store, name: str, **params) -> list[dict[str, str | None]]:
    """The rows, or [] when the value is refused as no known name (a clear error, not a widening)."""
    try:
        return rows(store, name, **params)
    except QueryError as e:
        assert "is known to the store" in e.message
        return []


@pytest.mark.parametrize("value", HOSTILE, ids=["drop-all", "filter-true", "nul", "10kb", "iri", "union"])
def test_hostile_string_parameters_change_nothing(store, value):
    before = store.count()
    everyone = rows(store, "person-events", person="")
    found = rows_or_refused(store, "person-events", person=value)
    assert store.count() == before
    assert found == [] or found == rows(store, "person-events")
    assert len(found) < len(everyone)
    pairs = rows_or_refused(store, "who-met-whom", person=value, min_events="1")
    assert pairs == [] and store.count() == before
    found = rows(store, "event-sources", title=value)  # a plain string parameter: bound, never pasted
    assert found == [] and store.count() == before


@pytest.mark.parametrize("value", ["not an iri", "<http://evil/>", "http://x/> } ; DROP ALL ; #",
                                   'http://x/" . ?s ?p ?o', "", "\u0000"])
def test_malformed_iri_parameters_are_refused(store, value):
    before = store.count()
    if value == "":
        # empty means "not given": every event's provenance
        assert len(rows(store, "event-sources", event=value)) > 0
    else:
        with pytest.raises(QueryError):
            run(store, "event-sources", {"event": value})
    assert store.count() == before


def test_typed_parameters_are_checked(store):
    for name, params in [("who-met-whom", {"since": "2024-13-01"}), ("who-met-whom", {"min_events": "two"}),
                         ("who-met-whom", {"nope": "x"})]:
        with pytest.raises(QueryError):
            run(store, name, params)
