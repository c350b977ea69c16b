"""Names that work everywhere: every country, person, organization and place parameter of
``kg query`` and every ``kg viz --country`` takes any name, abbreviation or ISO code the
store knows, in any case; an unknown one is an error with the closest known names."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF

from kg.cli import main
from kg.config import ontology_dir
from kg.errors import InputError, QueryError
from kg.names import KnownNames, key
from kg.query import NAME_TYPES, library, run
from kg.vocab import DIPLO, SCHEMA


# -- without a store ---------------------------------------------------------------------------

def test_every_country_has_both_iso_codes():
    g = Graph().parse(ontology_dir() / "gazetteer" / "countries.ttl")
    countries = set(g.subjects(RDF.type, SCHEMA.Country))
    assert len(countries) > 100
    for c in countries:
        codes = sorted(map(str, g.objects(c, DIPLO.isoCode)), key=len)
        assert [len(x) for x in codes] == [2, 3], (c, codes)
        assert str(c).endswith("/" + codes[0])


KNOWN = KnownNames("person", {key(n): label for n, label in [
    ("Касым-Жомарт Токаев", "Касым-Жомарт Токаев"), ("Касым-Жомарт Кемелевич Токаев", "Касым-Жомарт Токаев"),
    ("Пётр Ёлкин", "Пётр Ёлкин")]})


@pytest.mark.parametrize("value, expected", [
    ("касым-жомарт кемелевич токаев", "Касым-Жомарт Токаев"),   # an alias, in another case
    ("КАСЫМ-ЖОМАРТ  ТОКАЕВ", "Касым-Жомарт Токаев"),            # case and spacing
    ("Петр Елкин", "Пётр Ёлкин"),                                # е for ё
    ("токаев", "токаев"),                                        # part of a name is kept for CONTAINS
])
def test_a_known_name_resolves(value, expected):
    assert KNOWN.resolve(value) == expected


def test_an_unknown_name_is_an_error_with_the_closest_names():
    with pytest.raises(QueryError) as e:
        KNOWN.resolve("Токаевв")
    assert "Касым-Жомарт Токаев" in e.value.hint
    with pytest.raises(InputError):
        KNOWN.resolve("Никто Никакой", InputError)


def test_name_parameters_are_typed_in_the_library():
    typed = {(name, p.name) for name, q in library().items() for p in q.params if p.type in NAME_TYPES}
    for name, q in library().items():
        for p in q.params:
            if p.name in ("country", "country_a", "country_b", "person", "organization", "party", "place"):
                assert (name, p.name) in typed, f"{name}: {p.name} is a name parameter"


# -- on the bundled sample ---------------------------------------------------------------------

def count(store, name, **params) -> int:
    return len(list(run(store, name, params)))


@pytest.mark.slow
@pytest.mark.parametrize("value", ["KZ", "kz", "KAZ", "kaz", "Республика Казахстан", "республика казахстан",
                                   "РК", "рк", "казахстан", "КАЗАХСТАН"])
def test_every_name_of_a_country_finds_its_events(sample_store, value):
    expected = count(sample_store, "events-between-countries", country_a="Казахстан", country_b="Россия")
    assert expected > 0
    assert count(sample_store, "events-between-countries", country_a=value, country_b="RUS") == expected


@pytest.mark.slow
@pytest.mark.parametrize("name, param, value", [
    ("who-met-whom", "person", "касым-жомарт кемелевич токаев"),
    ("who-met-whom", "country", "kz"),
    ("person-events", "person", "СЕРГЕЙ ВИКТОРОВИЧ ЛАВРОВ"),
    ("organization-people", "organization", "мид рф"),
    ("documents-by-party", "party", "AZ"),
    ("events-at-place", "place", "астана"),
    ("most-active-people", "country", "RUS"),
])
def test_aliases_and_codes_work_in_every_query(sample_store, name, param, value):
    assert count(sample_store, name, **{param: value, **({"min_events": "1"} if name == "who-met-whom" else {})}) > 0


@pytest.mark.slow
@pytest.mark.parametrize("name, param, value, close", [
    ("events-between-countries", "country_a", "Казахстн", "Казахстан"),
    ("who-met-whom", "person", "Лаврв", "Сергей Лавров"),
    ("organization-people", "organization", "Министрство культуры", "Министерство культуры"),
])
def test_an_unknown_name_is_never_a_silent_empty_answer(sample_store, name, param, value, close):
    with pytest.raises(QueryError) as e:
        run(sample_store, name, {param: value})
    assert value in e.value.message and close in e.value.hint


@pytest.mark.slow
def test_kg_query_with_a_timeout_resolves_names_too(sample_copy):
    result = CliRunner().invoke(main, ["query", "events-between-countries", "--store", sample_copy,
                                       "-p", "country_a=kaz", "-p", "country_b=Российская Федерация",
                                       "--timeout", "20", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) > 1


@pytest.mark.slow
def test_kg_viz_takes_any_name_of_a_country(sample_copy, tmp_path):
    pages = {}
    for value in ("Казахстан", "kaz", "Республика Казахстан"):
        out = tmp_path / f"{value}.html"
        result = CliRunner().invoke(main, ["viz", "--store", sample_copy, "--country", value, "-o", str(out)])
        assert result.exit_code == 0, result.output
        pages[value] = result.output.split("(", 1)[1]
    assert len(set(pages.values())) == 1 and not pages["kaz"].startswith("0 nodes")
    result = CliRunner().invoke(main, ["viz", "--store", sample_copy, "--country", "Казахстн", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 3 and "Казахстан" in result.output


@pytest.mark.parametrize("iri, shown", [
    ("https://w3id.org/kg-diplo/ontology#Meeting", "diplo:Meeting"),
    ("https://w3id.org/kg-diplo/id/person/sergey-lavrov", "person:sergey-lavrov"),
    ("https://w3id.org/kg-diplo/id/country/KZ", "country:KZ"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "rdf:type"),
    ("https://w3id.org/kg-diplo/id/annotation/a/b", "kgid:annotation/a/b"),  # no prefixed name: the IRI
    ("http://example.org/x", "http://example.org/x"),
])
def test_tables_show_iris_as_prefixed_names(iri, shown):
    from rdflib import URIRef

    from kg.query import short

    assert short(URIRef(iri)) == (shown if shown.startswith(("diplo", "person", "country", "rdf:")) else iri)
