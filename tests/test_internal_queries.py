"""The SPARQL kg's own code runs lives in files (``kg/queries/internal/*.rq``): each says who
runs it, declares its prefixes as ``kg.vocab`` spells them, and parses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery

from kg.config import queries_dir
from kg.queries import internal
from kg.vocab import PREFIXES

FILES = sorted((queries_dir() / "internal").glob("*.rq"))
KG_SOURCE = Path(__file__).resolve().parent.parent / "kg"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_internal_query_says_who_runs_it_and_parses(path):
    text = internal(path.stem)
    assert text.startswith("# kg.")
    prepareQuery(text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_internal_query_prefixes_are_the_vocabulary_ones(path):
    text = internal(path.stem)
    declared = dict(re.findall(r"(?m)^PREFIX\s+(\w+):\s*<([^>]*)>", text))
    used = set(re.findall(r"(?<![\w<?$])([a-z]+):[A-Za-z]", re.sub(r"<[^>]*>|#[^\n]*|\"[^\"]*\"", " ", text)))
    assert used <= set(declared), f"prefixes used but not declared: {used - set(declared)}"
    assert all(str(PREFIXES[p]) == iri for p, iri in declared.items())


@pytest.mark.parametrize("module", ["export.py", "network.py"])
def test_no_sparql_text_left_in_the_module(module):
    source = (KG_SOURCE / module).read_text(encoding="utf-8")
    assert not re.search(r"\b(SELECT|CONSTRUCT|PREFIX)\b", source)
