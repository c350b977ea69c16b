"""What `kg serve` reads in a query: SERVICE found wherever SPARQL lets it hide and nowhere
else, and library parameters bound over HTTP as Oxigraph's substitutions bind them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.serve_sparql import RefusedQuery, bind_values, check_services, services

FIXTURES = Path(__file__).parent / "fixtures"

SERVICES = [
    ("SELECT * { SERVICE <http://a.example/s> { ?s ?p ?o } }", ["http://a.example/s"]),
    ("select * { service silent <http://a.example/s> { ?s ?p ?o } }", ["http://a.example/s"]),
    ("SELECT * { ?s ?p ?o .SERVICE<http://a.example/>{} }", ["http://a.example/"]),
    ("SELECT * { SERVICE ?x { } }", [None]),
    ("SELECT * { SERVICE ex:x { } }", [None]),
    ("SELECT * { ?s ?p ex:a\\#b . SERVICE <http://a.example/> {} }", ["http://a.example/"]),  # \# is no comment
    ("SELECT * { \\u0053ERVICE <http://a.example/> {} }", ["http://a.example/"]),  # escapes decoded too
    ("SELECT * { ?s ?p ex:o.SERVICE }", [None]),  # a dotted name is read as a keyword: refused, not let through
    ("SELECT ?service { ?service ex:SERVICE \"SERVICE <http://a/> {}\" } # SERVICE <http://a/>", []),
    ("SELECT * { ?s ?p '''it's a ''SERVICE'' ''' ; ?q \"\"\"SERVICE\"\"\" }", []),
    ("SELECT * { ?s <urn:x#SERVICE> _:SERVICE ; ?p \"x\"^^SERVICE:y }", []),
]


@pytest.mark.parametrize("sparql,expected", SERVICES)
def test_service_targets_are_found(sparql, expected):
    assert services(sparql) == expected


@pytest.mark.parametrize("sparql,allowed,ok", [
    ("SELECT * { SERVICE <http://a.example/s> {} }", (), False),
    ("SELECT * { SERVICE <http://a.example/s> {} }", ("a.example",), True),
    ("SELECT * { SERVICE <http://A.EXAMPLE:8080/s> {} }", ("a.example",), True),
    ("SELECT * { SERVICE <http://b.example/s> {} }", ("a.example",), False),
    ("SELECT * { SERVICE ?x {} }", ("a.example",), False),
    ("SELECT * { SERVICE <file:///etc/passwd> {} }", ("a.example",), False),
    ("SELECT * { ?s ?p ?o }", (), True),
])
def test_check_services(sparql, allowed, ok):
    if ok:
        check_services(sparql, allowed)
    else:
        with pytest.raises(RefusedQuery):
            check_services(sparql, allowed)


BIND_CASES = [
    # the scope's WHERE group and every group in it that names the parameter (not { ?s ?o ?x })
    ("SELECT ?p WHERE { { ?s ?o ?p } UNION { ?s ?o ?x } OPTIONAL { ?s ?q ?p } }", 3),
    # a sub-select that does not project the parameter is a scope of its own
    ("SELECT ?a ?p WHERE { { SELECT ?p ?x WHERE { ?x ?y ?z FILTER(?z = ?p) } } { SELECT ?y WHERE { ?y ?p ?q } } }", 2),
    # not into VALUES data, a CONSTRUCT template, or the braces around a sub-select
    ("SELECT ?p WHERE { VALUES ?x { 1 2 } { SELECT ?p WHERE { ?s ?o ?p } } }", 2),
    ("CONSTRUCT { ?s ?o ?p } WHERE { ?s ?o ?p }", 1),
    ("ASK { ?s ?o ?p FILTER EXISTS { ?p ?o ?s } }", 2),
    # a parameter the query does not project is not bound
    ("SELECT ?s WHERE { ?s ?o ?p }", 0),
]


@pytest.mark.parametrize("sparql,groups", BIND_CASES)
def test_values_go_into_every_group_where_the_parameter_is_in_scope(sparql, groups):
    import pyoxigraph as ox
    from rdflib import Literal

    bound = bind_values(sparql, {"p": Literal("v")})
    assert bound.count('VALUES (?p) { ("v") }') == groups
    ox.Store().query(bound)  # still SPARQL


@pytest.fixture(scope="module")
def oxstore(tmp_path_factory, nlp):
    from kg.pipeline import ingest
    from kg.store import open_store

    location = tmp_path_factory.mktemp("bind") / "store"
    store = open_store(str(location))
    ingest(sorted(FIXTURES.glob("*.txt")), store)
    store.close()
    import pyoxigraph as ox

    return ox.Store.read_only(str(location))


def library_cases():
    from kg.query import library

    cases = []
    for name, q in library().items():
        cases.append((name, {}))
        for p in q.params:
            value = {"date": "2024-06-01", "integer": "1", "decimal": "1",
                     "iri": "https://w3id.org/kg-diplo/id/none"}.get(p.type, "Казахстан")
            cases.append((name, {p.name: value}))
    return cases


@pytest.mark.slow
@pytest.mark.parametrize("name,params", library_cases())
def test_bound_as_values_the_library_answers_as_with_substitutions(oxstore, name, params):
    import pyoxigraph as ox

    from kg.query import library, with_prefixes
    from kg.store.local import _to_ox

    q = library()[name]
    bindings = q.bindings(params)
    store = oxstore
    sparql = with_prefixes(q.text)
    expected = store.query(sparql, use_default_graph_as_union=True,
                           substitutions={ox.Variable(k): _to_ox(v) for k, v in bindings.items()})
    got = store.query(bind_values(sparql, bindings), use_default_graph_as_union=True)
    assert iris(got) == iris(expected)


def iris(solutions) -> list[tuple[str, ...]]:
    """Each row's IRIs: what a binding decides (SAMPLE and GROUP_CONCAT orders are the engine's)."""
    import pyoxigraph as ox

    return sorted(tuple(str(v) for v in row if isinstance(v, ox.NamedNode)) for row in solutions)
