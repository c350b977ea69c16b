"""``kg query`` and ``kg viz`` as an analyst meets them on the bundled sample: answers without
noise, and filters that match nothing say so."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kg.cli import main

pytestmark = pytest.mark.slow


def kg(*args: str):
    return CliRunner().invoke(main, list(args))


# -- filters that match nothing ----------------------------------------------------------------

def test_kg_query_says_when_no_events_match(sample_copy):
    result = kg("query", "events-by-topic", "--store", sample_copy, "-p", "topic=космос", "-p", "since=2024-01-01")
    assert result.exit_code == 0
    assert "no events match: topic=космос, since=2024-01-01" in result.stderr
    assert kg("query", "events-by-topic", "--store", sample_copy, "-p", "topic=").stderr == ""


def test_kg_viz_says_when_no_events_match_and_the_page_says_so_too(sample_copy, tmp_path):
    out = tmp_path / "empty.html"
    result = kg("viz", "--store", sample_copy, "--country", "KZ", "--topic", "космос", "-o", str(out))
    assert result.exit_code == 0
    assert "no events match: Казахстан · космос" in result.stderr
    page = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)[1])
    assert data["nodes"] == [] and data["note"] == "no events match: Казахстан · космос"
    full = kg("viz", "--store", sample_copy, "-o", str(tmp_path / "full.html"))
    assert full.exit_code == 0 and full.stderr == ""


# -- answers without noise -----------------------------------------------------------------------

def test_a_library_table_shows_the_answer_only(sample_copy):
    table = kg("query", "who-met-whom", "--store", sample_copy, "-p", "min_events=1", "-p", "country=KZ")
    assert table.exit_code == 0, table.output
    header = table.stdout.splitlines()[0].split()
    assert header == ["person_a", "country_a", "person_b", "country_b", "events", "first_met", "last_met",
                      "id_a", "id_b"], "parameters are not columns"
    assert "https://" not in table.stdout and "person:sergey-lavrov" in table.stdout
    csv = kg("query", "who-met-whom", "--store", sample_copy, "-f", "csv")
    assert csv.stdout.splitlines()[0] == "person_a,country_a,person_b,country_b,events,first_met,last_met,id_a,id_b"
    assert "https://w3id.org/kg-diplo/id/person/sergey-lavrov" in csv.stdout


def test_types_show_as_prefixed_names_in_tables_and_full_iris_in_json(sample_copy):
    sparql = "SELECT DISTINCT ?type WHERE { ?e a diplo:DiplomaticEvent, ?type }"
    table = kg("query", sparql, "--store", sample_copy)
    assert "diplo:Meeting" in table.stdout and "https://" not in table.stdout
    answer = json.loads(kg("query", sparql, "--store", sample_copy, "-f", "json").stdout)
    assert {"type": "uri", "value": "https://w3id.org/kg-diplo/ontology#Meeting"} in [
        b["type"] for b in answer["results"]["bindings"]]


@pytest.mark.parametrize("sparql, header", [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "s p o"),
    ("SELECT * WHERE { ?event schema:name ?name ; a diplo:Meeting } LIMIT 1", "event name"),
    ("SELECT ?o ?s WHERE { ?s schema:name ?o } LIMIT 1", "o s"),
])
def test_columns_come_in_the_query_order(sample_copy, sparql, header):
    for extra in ([], ["--timeout", "20"]):
        result = kg("query", sparql, "--store", sample_copy, *extra)
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[0].split() == header.split()


@pytest.mark.parametrize("sparql, fmt, out, code", [
    ("ASK { ?p a schema:Person }", "table", "true\n", 0),
    ("ASK { ?p a schema:Starship }", "table", "false\n", 1),
    ("ASK { ?p a schema:Starship }", "json", '{"head": {}, "boolean": false}\n', 1),
])
def test_ask_prints_true_or_false_and_sets_the_exit_code(sample_copy, sparql, fmt, out, code):
    result = kg("query", sparql, "--store", sample_copy, "-f", fmt)
    assert (result.stdout, result.exit_code) == (out, code)
