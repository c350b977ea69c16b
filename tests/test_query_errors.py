"""Errors that point: a query that does not parse is reported at its place in the user's own
text (line, column, the line with a caret), an unknown prefix by name with the known ones, a
mistyped keyword or library name with what was meant. No store content is needed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import QueryError
from kg.query import run


def error_of(memory_store, text: str) -> QueryError:
    with pytest.raises(QueryError) as e:
        run(memory_store, text)
    return e.value


@pytest.mark.parametrize("text, message, pointed", [
    # a missing brace in a one-line query: line 1 of the user's text, not of the prefixed query
    ("SELECT ?s WHERE { ?s ?p ?o ", "syntax error at line 1, column 28", "  SELECT ?s WHERE { ?s ?p ?o \n" + " " * 29 + "^"),
    ("SELECT ?n WHERE {\n  ?s schema:name ?n\n  FILTER(?n = ) }", "syntax error at line 3,", "  FILTER(?n = ) }\n"),
    ("SELECT ?s WHERE { ?s a shema:Person }", "unknown prefix `shema:` at line 1, column 24",
     "  SELECT ?s WHERE { ?s a shema:Person }\n" + " " * 25 + "^"),
    ("PREFIX ex: <http://e/>\nSELECT ?s WHERE { ?s ex:p <http://x/a:b> ; xx:y '1:2' }", "unknown prefix `xx:` at line 2",
     "^"),
])
def test_parse_errors_point_into_the_users_text(memory_store, text, message, pointed):
    e = error_of(memory_store, text)
    assert e.message.startswith(message), e.message
    assert pointed in e.message
    assert "error at 1" not in e.message and "\\u{" not in e.message, "no parser dump"


def test_an_unknown_prefix_lists_the_known_ones(memory_store):
    e = error_of(memory_store, "SELECT ?s WHERE { ?s a shema:Person }")
    assert e.hint.startswith("known: diplo, kgid, schema,") and "prov" in e.hint and "person" in e.hint


@pytest.mark.parametrize("text, message, hint", [
    ("SELEC ?s WHERE { ?s ?p ?o }", "looks like SPARQL, but `SELEC` at line 1, column 1 is no SPARQL keyword",
     "did you mean SELECT?"),
    ("PREFX ex: <http://e/> SELECT * WHERE { ?s ?p ?o }", "`PREFX`", "did you mean PREFIX?"),
    ("?s ?p ?o }", "looks like SPARQL but does not parse", "check the SPARQL syntax"),
    ("who-met-who", "no library query 'who-met-who'", "did you mean who-met-whom?"),
    ("events-betwen-countries", "no library query", "did you mean events-between-countries"),
    ("hello-world", "no library query 'hello-world'", "see `kg queries`"),
])
def test_mistakes_say_what_was_meant(memory_store, text, message, hint):
    e = error_of(memory_store, text)
    assert message in e.message and hint in e.hint


def test_the_command_prints_the_pointer(tmp_path):
    result = CliRunner().invoke(main, ["query", "SELECT ?s WHERE { ?s ?p ?o ", "--store", ":memory:"])
    assert result.exit_code == 5
    assert result.stderr.splitlines()[:3] == [
        'kg: error: syntax error at line 1, column 28: expected ",", ".", ";", "{", "{|", "}", "~"',
        "  SELECT ?s WHERE { ?s ?p ?o ", " " * 29 + "^"]
