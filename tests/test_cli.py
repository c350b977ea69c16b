"""End to end through the CLI: the founding article into a store, checked with SPARQL."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import main

PREFIXES = """PREFIX schema: <https://schema.org/>
PREFIX diplo: <https://w3id.org/kg-diplo/ontology#>
"""


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, seed):
    store = tmp_path_factory.mktemp("store") / "kg"
    result = CliRunner().invoke(main, ["ingest", str(seed), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "ingested 1" in result.output
    return store


def query(store, sparql: str) -> list[dict]:
    result = CliRunner().invoke(main, ["query", PREFIXES + sparql, "--store", str(store), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


def test_meeting_in_moscow_with_both_ministers(seed_store):
    rows = query(seed_store, """
        SELECT ?name ?position ?org WHERE {
          ?e a diplo:Meeting ; schema:location/schema:name "Москва"@ru ; diplo:hasParticipation ?p .
          ?p diplo:participant/schema:name ?name ; diplo:positionTitle ?position ; diplo:onBehalfOf/schema:name ?org .
        }""")
    found = {r["name"]: (r["position"], r["org"]) for r in rows}
    assert found["Аида Балаева"] == ("министр культуры и информации",
                                     "Министерство культуры и информации Республики Казахстан")
    assert found["Ольга Любимова"] == ("министр культуры", "Министерство культуры Российской Федерации")


def test_roadmap_between_the_academy_and_gitis(seed_store):
    rows = query(seed_store, """
        SELECT ?title ?party WHERE {
          ?d a diplo:Roadmap ; schema:name ?title ; diplo:party/schema:name ?party ; diplo:signedAt ?e .
        }""")
    assert rows and all(r["title"].startswith("Дорожная карта по повышению эффективности сотрудничества") for r in rows)
    parties = {r["party"] for r in rows}
    assert "Казахская национальная академия искусств имени Темирбека Жургенова" in parties
    assert any("ГИТИС" in p for p in parties)


def test_tokayev_met_putin_in_dushanbe_on_10_october(seed_store):
    rows = query(seed_store, """
        SELECT ?date WHERE {
          ?e a diplo:Meeting ; schema:startDate ?date ; schema:location/schema:name "Душанбе"@ru ;
             schema:attendee/schema:name "Касым-Жомарт Токаев"@ru, "Владимир Путин"@ru .
        }""")
    assert [r["date"] for r in rows] == ["2025-10-10"]


def test_export_events_json_follows_the_schema(seed_store, tmp_path):
    out = tmp_path / "e.json"
    result = CliRunner().invoke(main, ["export", "--format", "events-json", "-o", str(out), "--store", str(seed_store)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [a["id"] for a in data["articles"]] == ["seed_zakon_2025-10-11"]
    assert data["articles"][0]["published"] == "2025-10-11T11:58"
    assert data["articles"][0]["authors"] == ["Айсулу Омарова"]
    types = sorted(e["type"] for e in data["events"])
    assert types == ["CulturalEvent", "Meeting", "Meeting"]
    for e in data["events"]:
        assert e["sources"] == ["seed_zakon_2025-10-11"]
        assert set(e) >= {"id", "type", "sources", "title", "date", "location", "countries", "participants",
                          "organizations", "documents", "topics"}


def test_reingest_skips_unchanged_and_keeps_the_count(seed_store, seed):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = query(seed_store, count)[0]["n"]
    result = CliRunner().invoke(main, ["ingest", str(seed), "--store", str(seed_store)])
    assert "skipped 1" in result.output
    result = CliRunner().invoke(main, ["ingest", str(seed), "--store", str(seed_store), "--force"])
    assert "ingested 1" in result.output
    assert query(seed_store, count)[0]["n"] == before


def test_turtle_and_nquads_exports_parse(seed_store):
    import rdflib

    for fmt, parser in (("turtle", "turtle"), ("nquads", "nquads"), ("trig", "trig"), ("json-ld", "json-ld")):
        result = CliRunner().invoke(main, ["export", "--format", fmt, "--store", str(seed_store)])
        assert result.exit_code == 0, result.output
        if parser in ("nquads", "trig", "json-ld"):
            graph = rdflib.Dataset()
            graph.parse(data=result.output, format=parser)
            assert len(list(graph.quads((None, None, None, None)))) > 1000
        else:
            graph = rdflib.Graph()
            graph.parse(data=result.output, format=parser)
            assert len(graph) > 1000


def test_every_command_has_help_with_an_example():
    for name, command in main.commands.items():
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output and "kg " in result.output.split("Example:")[1], name


def test_missing_store_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["query", "SELECT * WHERE { ?s ?p ?o }", "--store", str(tmp_path / "nope")])
    assert result.exit_code == 4
    assert "no store at" in result.output
