"""kg.network: the four views, the filters, the metrics and the tables, on a small store
built by code (four events, two of them reported by several articles) — no NLP needed."""

from __future__ import annotations

import pytest

from kg import network
from kg.errors import InputError
from kg.pipeline import ensure_reference_graphs
from kg.store import open_store

ID = "https://w3id.org/kg-diplo/id/"
# Events: e1 KZ–RU talks in Moscow (a plan signed by both foreign ministries); e2 a state
# visit to Astana, reported by two articles (an agreement between the two countries);
# e3 a KZ–UZ phone call; e4 KZ–AZ transport talks (a memorandum between the ministries).
FIXTURE = """
PREFIX diplo: <https://w3id.org/kg-diplo/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://w3id.org/kg-diplo/id/>
INSERT DATA { GRAPH <https://w3id.org/kg-diplo/graph/fixture> {
  <country/KZ> a schema:Country ; schema:name "Казахстан"@ru .
  <country/RU> a schema:Country ; schema:name "Россия"@ru .
  <country/UZ> a schema:Country ; schema:name "Узбекистан"@ru .
  <country/AZ> a schema:Country ; schema:name "Азербайджан"@ru .
  <place/moscow> a schema:City ; schema:name "Москва"@ru ; schema:containedInPlace <country/RU> .
  <place/astana> a schema:City ; schema:name "Астана"@ru ; schema:containedInPlace <country/KZ> .

  <person/lavrov> schema:name "Сергей Лавров"@ru ; diplo:country <country/RU> .
  <person/nurtleu> schema:name "Мурат Нуртлеу"@ru, "М. Нуртлеу"@ru ; diplo:country <country/KZ> .
  <person/borodavkin> schema:name "Алексей Бородавкин"@ru ; diplo:country <country/RU> .
  <person/putin> schema:name "Владимир Путин"@ru ; diplo:country <country/RU> .
  <person/tokayev> schema:name "Касым-Жомарт Токаев"@ru ; diplo:country <country/KZ> .
  <person/mirziyoyev> schema:name "Шавкат Мирзиёев"@ru ; diplo:country <country/UZ> .
  <person/karabayev> schema:name "Марат Карабаев"@ru ; diplo:country <country/KZ> .
  <person/nabiev> schema:name "Рашад Набиев"@ru ; diplo:country <country/AZ> .
  <org/ru-mfa> schema:name "МИД России"@ru ; diplo:country <country/RU> .
  <org/kz-mfa> schema:name "МИД Казахстана"@ru ; diplo:country <country/KZ> .
  <org/kz-transport> schema:name "Минтранс Казахстана"@ru ; diplo:country <country/KZ> .
  <org/az-transport> schema:name "Минтранс Азербайджана"@ru ; diplo:country <country/AZ> .

  <article/a1> schema:identifier "a1" ; schema:headline "Лавров и Нуртлеу провели переговоры"@ru .
  <article/a2> schema:identifier "a2" ; schema:headline "Путин прибыл в Астану"@ru .
  <article/a3> schema:identifier "a3" ; schema:headline "Токаев и Мирзиёев поговорили"@ru .
  <article/a4> schema:identifier "a4" ; schema:headline "Государственный визит"@ru .
  <article/a5> schema:identifier "a5" ; schema:headline "Транскаспийский маршрут"@ru .

  <topic/gas> a skos:Concept ; skos:prefLabel "поставки газа"@ru ; skos:broader <topics/energy> .
  <topics/energy> skos:prefLabel "энергетика"@ru .

  <event/e1> a diplo:Meeting, diplo:DiplomaticEvent ; schema:name "Переговоры в Москве"@ru ;
    schema:startDate "2024-03-12"^^xsd:date ; schema:location <place/moscow> ; prov:wasDerivedFrom <article/a1> ;
    diplo:cooperationBetween <country/KZ>, <country/RU> ;
    schema:attendee <person/lavrov>, <person/nurtleu>, <person/borodavkin> ;
    diplo:involvedOrganization <org/ru-mfa>, <org/kz-mfa> .
  <document/plan> diplo:signedAt <event/e1> ; schema:name "План консультаций"@ru ;
    diplo:party <org/ru-mfa>, <org/kz-mfa> .

  <event/e2> a diplo:Visit, diplo:DiplomaticEvent ; schema:name "Государственный визит"@ru ;
    schema:startDate "2024-05-27"^^xsd:date ; schema:location <place/astana> ;
    prov:wasDerivedFrom <article/a2>, <article/a4> ; diplo:cooperationBetween <country/KZ>, <country/RU> ;
    schema:attendee <person/putin>, <person/tokayev>, <person/lavrov>, <person/nurtleu> ;
    diplo:topic <topic/gas> .
  <document/treaty> diplo:signedAt <event/e2> ; schema:name "Соглашение о газе"@ru ;
    diplo:party <country/KZ>, <country/RU> .

  <event/e3> a diplo:PhoneCall, diplo:DiplomaticEvent ; schema:name "Телефонный разговор"@ru ;
    schema:startDate "2023-11-02"^^xsd:date ; prov:wasDerivedFrom <article/a3> ;
    diplo:cooperationBetween <country/KZ>, <country/UZ> ;
    schema:attendee <person/tokayev>, <person/mirziyoyev> .

  <event/e4> a diplo:Meeting, diplo:DiplomaticEvent ; schema:name "Переговоры о транспорте"@ru ;
    schema:startDate "2024-06-01"^^xsd:date ; prov:wasDerivedFrom <article/a5> ;
    diplo:cooperationBetween <country/KZ>, <country/AZ> ;
    schema:attendee <person/karabayev>, <person/nabiev> ;
    diplo:involvedOrganization <org/kz-transport>, <org/az-transport> .
  <document/memo> diplo:signedAt <event/e4> ; schema:name "Меморандум о маршруте"@ru ;
    diplo:party <org/kz-transport>, <org/az-transport> .
} }
"""


def fixture_store(location: str = ":memory:"):
    """The small store the network and viz tests share (with the gazetteers loaded)."""
    store = open_store(location)
    ensure_reference_graphs(store)
    store.update(FIXTURE)
    return store


@pytest.fixture(scope="module")
def facts():
    with fixture_store() as store:
        yield network.load_facts(store)


def edge(g, a: str, b: str) -> dict:
    return g.edges[ID + a, ID + b]


def labels(g) -> set[str]:
    return {d["label"] for _, d in g.nodes(data=True)}


# -- views -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, weight", [
    ("person/lavrov", "person/nurtleu", 2),       # e1 and e2
    ("person/lavrov", "person/borodavkin", 1),
    ("person/putin", "person/tokayev", 1),
    ("person/tokayev", "person/mirziyoyev", 1),
    ("person/karabayev", "person/nabiev", 1),
])
def test_people_who_met_weighted_by_shared_events(facts, a, b, weight):
    g = network.build_from_facts(facts, "people")
    assert edge(g, a, b)["weight"] == weight
    assert edge(g, a, b)["event_count"] == weight


def test_people_who_never_met_are_not_linked(facts):
    g = network.build_from_facts(facts, "people")
    assert not g.has_edge(ID + "person/putin", ID + "person/mirziyoyev")
    assert not g.has_edge(ID + "person/lavrov", ID + "person/karabayev")
    assert {d["kind"] for _, d in g.nodes(data=True)} == {"person"}


def test_the_fuller_name_labels_a_person(facts):
    g = network.build_from_facts(facts, "people")
    assert g.nodes[ID + "person/nurtleu"]["label"] == "Мурат Нуртлеу"
    assert g.nodes[ID + "person/nurtleu"]["country"] == "Казахстан"


@pytest.mark.parametrize("a, b, events, documents", [
    ("org/ru-mfa", "org/kz-mfa", 1, 1),                # involved in e1, co-signed the plan
    ("org/kz-transport", "org/az-transport", 1, 1),
])
def test_organizations_cooperate_by_events_and_documents(facts, a, b, events, documents):
    d = edge(network.build_from_facts(facts, "organizations"), a, b)
    assert (d["event_count"], d["document_count"], d["weight"]) == (events, documents, events + documents)
    assert "Document" in {e["type"] for e in d["events"]}


@pytest.mark.parametrize("a, b, events, documents", [
    ("country/KZ", "country/RU", 2, 2),   # e1, e2; the plan (through its parties) and the treaty
    ("country/KZ", "country/UZ", 1, 0),
    ("country/AZ", "country/KZ", 1, 1),
])
def test_country_pairs_count_events_and_documents(facts, a, b, events, documents):
    g = network.build_from_facts(facts, "countries")
    d = g.edges[ID + a, ID + b]
    assert (d["event_count"], d["document_count"], d["weight"]) == (events, documents, events + documents)
    assert not g.has_edge(ID + "country/RU", ID + "country/UZ")


def test_events_view_is_bipartite_between_events_and_actors(facts):
    g = network.build_from_facts(facts, "events")
    events = {n for n, d in g.nodes(data=True) if d["bipartite"] == 0}
    assert events == {ID + f"event/e{i}" for i in range(1, 5)}
    assert all(g.nodes[n]["kind"] == "event" for n in events)
    for a, b in g.edges:
        assert {g.nodes[a]["bipartite"], g.nodes[b]["bipartite"]} == {0, 1}
    assert set(g[ID + "event/e1"]) == {ID + x for x in ("person/lavrov", "person/nurtleu", "person/borodavkin",
                                                        "org/ru-mfa", "org/kz-mfa", "place/moscow")}
    assert "country" not in {d["kind"] for _, d in g.nodes(data=True)}


def test_nodes_and_edges_carry_events_dates_and_articles(facts):
    g = network.build_from_facts(facts, "people")
    [visit] = [e for e in edge(g, "person/putin", "person/tokayev")["events"]]
    assert visit["date"] == "2024-05-27" and visit["type"] == "Visit"
    assert visit["articles"] == [{"id": "a2", "headline": "Путин прибыл в Астану"},
                                 {"id": "a4", "headline": "Государственный визит"}]
    assert [e["date"] for e in g.nodes[ID + "person/lavrov"]["events"]] == ["2024-03-12", "2024-05-27"]


def test_unknown_view_is_an_input_error(facts):
    with pytest.raises(InputError, match="unknown view"):
        network.build_from_facts(facts, "treaties")


# -- filters ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("filters, kept", [
    (network.Filters(), {1, 2, 3, 4}),
    (network.Filters(countries=("UZ",)), {3}),
    (network.Filters(countries=("узбекистан",)), {3}),
    (network.Filters(countries=(ID + "country/AZ", "UZ")), {3, 4}),
    (network.Filters(countries=("RU",)), {1, 2}),
    (network.Filters(countries=("KZ", "RU")), {1, 2, 3, 4}),
    (network.Filters(countries=("KZ", "RU"), every_country=True), {1, 2}),
    (network.Filters(countries=("UZ", "RU"), every_country=True), set()),
    (network.Filters(start="2024-01-01"), {1, 2, 4}),
    (network.Filters(start="2024"), {1, 2, 4}),
    (network.Filters(end="2024-03"), {1, 3}),
    (network.Filters(start="2024-05-01", end="2024-05-31"), {2}),
    (network.Filters(topic="energy"), {2}),
    (network.Filters(topic="газ"), {2}),
    (network.Filters(topic="энергетика"), {2}),
    (network.Filters(topic="culture"), set()),
    (network.Filters(types=("Meeting",)), {1, 4}),
    (network.Filters(types=("phonecall", "visit")), {2, 3}),
    (network.Filters(countries=("KZ",), types=("Meeting",), start="2024-04-01"), {4}),
])
def test_filters_keep_events(facts, filters, kept):
    assert set(network.select(facts, filters)) == {ID + f"event/e{i}" for i in kept}


def test_filters_shape_the_views(facts):
    g = network.build_from_facts(facts, "people", network.Filters(countries=("UZ",)))
    assert labels(g) == {"Касым-Жомарт Токаев", "Шавкат Мирзиёев"}
    g = network.build_from_facts(facts, "countries", network.Filters(types=("Meeting",)))
    assert edge(g, "country/KZ", "country/RU")["weight"] == 2  # e1 and the plan signed there


@pytest.mark.parametrize("kwargs, message", [
    ({"countries": ("Атлантида",)}, "no country"),
    ({"start": "12.03.2024"}, "not a date"),
    ({"types": ("Banquet",)}, "unknown event type"),
])
def test_bad_filters_are_input_errors(facts, kwargs, message):
    with pytest.raises(InputError, match=message):
        network.select(facts, network.Filters(**kwargs))


def test_filters_describe_themselves():
    assert network.Filters().describe() == ""
    assert network.Filters(("KZ",), "2024-01-01", None, "energy").describe() == " · KZ · 2024-01-01… · energy"
    assert network.Filters(("KZ", "RU"), every_country=True).describe() == " · KZ & RU"


# -- metrics and tables ----------------------------------------------------------------------------

def test_metrics_are_node_attributes(facts):
    g = network.build_from_facts(facts, "people")
    for _, d in g.nodes(data=True):
        assert {"degree", "weighted_degree", "betweenness", "community"} <= set(d)
    lavrov = g.nodes[ID + "person/lavrov"]
    assert (lavrov["degree"], lavrov["weighted_degree"]) == (4, 5)  # Nurtleu twice
    top = max(g.nodes, key=lambda n: g.nodes[n]["betweenness"])
    assert top == ID + "person/tokayev"  # the only link to Mirziyoyev
    assert g.nodes[ID + "person/karabayev"]["community"] == g.nodes[ID + "person/nabiev"]["community"]
    assert g.nodes[ID + "person/karabayev"]["community"] != g.nodes[ID + "person/putin"]["community"]


def test_metrics_can_be_left_out(facts):
    g = network.build_from_facts(facts, "people", metrics=False)
    assert "degree" not in g.nodes[ID + "person/lavrov"]


def test_build_reads_the_store():
    with fixture_store() as store:
        g = network.build(store, "countries")
    assert labels(g) == {"Казахстан", "Россия", "Узбекистан", "Азербайджан"}
    assert g.graph["view"] == "countries"


def test_the_graph_renders_itself_with_text_escaped(facts):
    g = network.build_from_facts(facts, "people")
    g.nodes[ID + "person/lavrov"]["label"] = "<b>Лавров</b>"
    page = g._repr_html_()
    assert "people" in page and "8 nodes" in page
    assert "&lt;b&gt;Лавров&lt;/b&gt;" in page and "<b>Лавров" not in page


pd = pytest.importorskip("pandas", reason="pandas is optional (the notebooks use it)")


def test_nodes_dataframe(facts):
    frame = network.to_dataframe(network.build_from_facts(facts, "people"))
    assert frame.iloc[0]["label"] == "Сергей Лавров"  # highest weighted degree first
    assert {"id", "label", "country", "degree", "weighted_degree", "betweenness", "community", "events"} <= set(frame)
    assert frame.set_index("label").loc["Сергей Лавров", "events"] == 2


def test_edges_dataframe(facts):
    frame = network.to_dataframe(network.build_from_facts(facts, "countries"), "edges")
    first = frame.iloc[0]
    assert {first["source_label"], first["target_label"]} == {"Казахстан", "Россия"}
    assert (first["weight"], first["event_count"], first["document_count"]) == (4, 2, 2)
    assert (first["first"], first["last"]) == ("2024-03-12", "2024-05-27")


def test_events_dataframe(facts):
    frame = network.events_dataframe(facts, network.Filters(countries=("KZ",), start="2024"))
    assert sorted(frame["type"]) == ["Meeting", "Meeting", "Visit"]
    visit = frame.set_index("type").loc["Visit"]
    assert visit["articles"] == ["a2", "a4"] and visit["countries"] == ["Казахстан", "Россия"]
    assert str(visit["date"].date()) == "2024-05-27"


def test_query_dataframe():
    with fixture_store() as store:
        frame = network.query_dataframe(store, "SELECT ?name WHERE { ?p diplo:country ?c ; schema:name ?name . "
                                               "?c schema:name 'Узбекистан'@ru } ")
    assert list(frame["name"]) == ["Шавкат Мирзиёев"]
