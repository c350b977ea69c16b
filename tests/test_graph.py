"""The knowledge graph: ontology and closed namespace, SHACL, provenance, one node per real
person and event across articles, idempotent re-ingest, golden graphs compared as graphs."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from kg.config import ontology_dir
from kg.model import DOCUMENT_CLASSES, EVENT_CLASSES, event_type, first_type
from kg.pipeline import ingest
from kg.store import open_store
from kg.vocab import DIPLO, OA, PROV, SCHEMA

FIXTURES = Path(__file__).parent / "fixtures"


def test_closed_namespace_matches_the_ontology():
    g = Graph().parse(ontology_dir() / "diplo.ttl")
    declared = {str(s) for s in g.subjects(RDF.type, None) if str(s).startswith(str(DIPLO._NS))}
    in_python = {str(DIPLO._NS) + name for name in DIPLO.__annotations__}
    assert declared == in_python


@pytest.mark.parametrize("table, parent", [(EVENT_CLASSES, "DiplomaticEvent"), (DOCUMENT_CLASSES, "SignedDocument")])
def test_type_tables_name_exactly_the_subclasses_in_the_ontology(table, parent):
    g = Graph().parse(ontology_dir() / "diplo.ttl")
    subclasses = {str(s) for s in g.subjects(RDFS.subClassOf, DIPLO[parent])}
    assert {str(DIPLO[c]) for c in table.values()} == subclasses


@pytest.mark.parametrize("classes, expected", [
    ({"Visit", "Meeting"}, "Meeting"), ({"OtherEvent"}, "Other"), ({"Signing", "OtherEvent"}, "Signing"),
    (set(), "Other"), ({"NotAClass"}, "Other")])
def test_an_event_stated_with_several_classes_takes_the_first_in_the_table(classes, expected):
    assert first_type(classes) == expected


@pytest.mark.parametrize("name, expected", [("OtherEvent", "Other"), ("Summit", "Summit"), ("Other", "Other")])
def test_event_type_of_one_class(name, expected):
    assert event_type(name) == expected


def test_unknown_ontology_term_fails_loudly():
    with pytest.raises(AttributeError):
        DIPLO.Meting  # noqa: B018 — the misspelling is the point


def test_gazetteer_entities_carry_wikidata_ids():
    from kg.gazetteer import load_gazetteer

    kz = load_gazetteer().get("https://w3id.org/kg-diplo/id/country/KZ")
    assert kz.wikidata == "http://www.wikidata.org/entity/Q232"


@pytest.fixture(scope="module")
def dev_store(shared, tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("dev") / "store"))
    report = ingest([shared / "corpus" / "dev"], store)
    assert report.ok and report.ingested == 15
    yield store
    store.close()


def test_dev_store_conforms_to_the_shapes(dev_store):
    from kg.validate import validate

    report = validate(dev_store)
    assert report.conforms, report.summary()


def test_broken_graph_fails_with_a_readable_report(dev_store):
    from kg.validate import validate_graph

    name = "https://w3id.org/kg-diplo/graph/seed_zakon_2025-10-11"
    g = dev_store.graph(name)
    event = next(g.subjects(RDF.type, DIPLO.Meeting))
    g.remove((event, PROV.wasDerivedFrom, None))                      # an event from nowhere
    g.add((event, SCHEMA.startDate, Literal("2025-10-12", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))))
    node = next(g.objects(event, DIPLO.hasParticipation))
    g.add((node, DIPLO.participant, URIRef("https://w3id.org/kg-diplo/id/person/somebody-else")))
    report = validate_graph(g)
    assert not report.conforms
    text = report.summary()
    assert "derived from at least one news article" in text
    assert "at most one start date" in text
    assert "exactly one participant" in text


def test_every_event_is_traceable_to_the_text_that_states_it(dev_store):
    rows = dev_store.query("""
        PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX schema: <https://schema.org/>
        PREFIX diplo: <https://w3id.org/kg-diplo/ontology#>
        SELECT ?e ?body ?start ?end ?exact WHERE {
          ?e a diplo:DiplomaticEvent .
          ?a oa:hasBody ?e ; oa:hasTarget ?t . ?t oa:hasSource ?art ; oa:hasSelector ?ps, ?qs .
          ?ps oa:start ?start ; oa:end ?end . ?qs oa:exact ?exact . ?art schema:articleBody ?body .
        }""")
    seen = set()
    for r in rows:
        assert str(r.body)[int(r.start):int(r.end)] == str(r.exact)
        seen.add(str(r.e))
    events = {str(r[0]) for r in dev_store.query(
        "SELECT ?e WHERE { ?e a <https://w3id.org/kg-diplo/ontology#DiplomaticEvent> }")}
    assert seen == events


def test_extraction_run_records_version_and_time(dev_store):
    rows = list(dev_store.query("""
        PREFIX diplo: <https://w3id.org/kg-diplo/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?v ?t WHERE { ?r a diplo:ExtractionRun ; diplo:extractorVersion ?v ; prov:endedAtTime ?t }"""))
    assert len(rows) == 15 and all(str(r.v).startswith("kg-extract/") for r in rows)


def test_ingesting_twice_keeps_the_triple_count(dev_store, shared):
    before = dev_store.count()
    report = ingest([shared / "corpus" / "dev"], dev_store, force=True)
    assert report.ingested == 15
    assert dev_store.count() == before


def test_two_reports_of_one_meeting_make_one_event_with_two_sources(memory_store):
    ingest([FIXTURES / "same_meeting_kazinform.txt", FIXTURES / "same_meeting_uza.txt",
            FIXTURES / "same_people_other_day.txt"], memory_store)
    from kg.export import events_json

    events = events_json(memory_store)["events"]
    merged = [e for e in events if e["date"] == "2024-02-14"]
    assert len(merged) == 1
    assert merged[0]["sources"] == ["same_meeting_kazinform", "same_meeting_uza"]
    other = [e for e in events if e["date"] == "2024-03-19"]
    assert len(other) == 1 and other[0]["sources"] == ["same_people_other_day"]
    assert other[0]["id"] != merged[0]["id"]


def test_one_person_node_across_articles_and_name_forms(memory_store, seed):
    ingest([seed, FIXTURES / "initials_balaeva.txt"], memory_store)
    rows = list(memory_store.query("""
        PREFIX schema: <https://schema.org/>
        SELECT DISTINCT ?p WHERE { ?e schema:attendee ?p . ?p schema:name ?n FILTER(CONTAINS(STR(?n), "Балаева")) }"""))
    assert len(rows) == 1
    putin = list(memory_store.query(f"""PREFIX schema: <https://schema.org/>
        SELECT DISTINCT ?w WHERE {{ ?p schema:name "Владимир Путин"@ru ; <{OWL.sameAs}> ?w }}"""))
    assert [str(r[0]) for r in putin] == ["http://www.wikidata.org/entity/Q7747"]


def test_reingesting_a_changed_article_replaces_its_facts(memory_store, tmp_path):
    path = tmp_path / "changing.txt"
    text = (FIXTURES / "same_people_other_day.txt").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    ingest([path], memory_store)
    path.write_text(text.replace("в Астане", "в Алматы"), encoding="utf-8")
    report = ingest([path], memory_store)
    assert report.ingested == 1
    places = {str(r[0]) for r in memory_store.query(
        "PREFIX schema: <https://schema.org/> SELECT ?n WHERE { ?e schema:location/schema:name ?n }")}
    assert places == {"Алматы"}


def golden_graph(article_path: Path) -> Graph:
    from kg.extract import extract
    from kg.gazetteer import load_gazetteer
    from kg.rdf import article_graph
    from kg.read import read_file

    extraction = extract(read_file(article_path))
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return article_graph(extraction, extracted_at=when, gazetteer=load_gazetteer()).to_graph()


def test_golden_graph_of_a_diplomatic_article():
    """The whole graph of one article, compared as a graph. After a deliberate change to the
    extractor or the model, regenerate with `python tests/fixtures/make_golden.py` and review the diff."""
    expected = Graph().parse(FIXTURES / "golden" / "same_meeting_kazinform.ttl")
    actual = golden_graph(FIXTURES / "same_meeting_kazinform.txt")
    iso_a, iso_e = to_isomorphic(actual), to_isomorphic(expected)
    if iso_a != iso_e:
        _, only_actual, only_expected = graph_diff(iso_a, iso_e)
        pytest.fail("graph differs from the golden graph:\n+ " +
                    "\n+ ".join(sorted(f"{s} {p} {o}" for s, p, o in only_actual))[:3000] + "\n- " +
                    "\n- ".join(sorted(f"{s} {p} {o}" for s, p, o in only_expected))[:3000])


def test_annotations_use_web_annotation_selectors(memory_store):
    ingest([FIXTURES / "same_meeting_kazinform.txt"], memory_store)
    kinds = {str(r[0]) for r in memory_store.query(
        f"SELECT DISTINCT ?k WHERE {{ ?a <{OA.hasTarget}>/<{OA.hasSelector}> ?s . ?s a ?k }}")}
    assert kinds == {str(OA.TextPositionSelector), str(OA.TextQuoteSelector)}
