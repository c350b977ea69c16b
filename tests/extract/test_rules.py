"""The ordered rule tables of the event stages (``kg.extract.events``): each rule's example
is a text on which that rule decides, and this test runs every one of them through the whole
extractor, so a rule whose example no longer reaches it fails here. Tables are found by
looking through the package's modules, so a new table is tested without being listed."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from datetime import datetime

import pytest

import kg.extract.events as events
from kg.extract import extract
from kg.extract.events.rules import Rule, Rules, always, const
from kg.lexicon import LEXICON_DIR
from kg.model import Article

PUBLISHED = datetime(2024, 9, 20)


def _tables() -> list[Rules]:
    found = []
    for info in pkgutil.iter_modules(events.__path__):
        module = importlib.import_module(f"{events.__name__}.{info.name}")
        found += [value for value in vars(module).values() if isinstance(value, Rules)]
    return found


TABLES = _tables()
RULES = [(table, rule) for table in TABLES for rule in table.rules]


def test_tables_are_found_and_named_once():
    names = [t.name for t in TABLES]
    assert names and len(names) == len(set(names))


@pytest.mark.parametrize("table", TABLES, ids=[t.name for t in TABLES])
def test_a_table_ends_in_a_rule_that_always_holds(table):
    assert table.rules[-1].when is always
    assert not any(rule.when is always for rule in table.rules[:-1])  # a rule after it could never decide
    names = [rule.name for rule in table.rules]
    assert len(names) == len(set(names))
    assert all(rule.example.strip() for rule in table.rules)


@pytest.mark.usefixtures("nlp")
@pytest.mark.parametrize("table,rule", RULES, ids=[f"{t.name}: {r.name}" for t, r in RULES])
def test_each_rule_decides_its_example(table, rule, caplog):
    with caplog.at_level(logging.DEBUG, logger="kg.extract.events.rules"):
        extract(Article("example", rule.example, published=PUBLISHED))
    decided = {(r.table, r.rule) for r in caplog.records if hasattr(r, "table")}
    assert (table.name, rule.name) in decided, \
        f"decided by other rules: {sorted(name for t, name in decided if t == table.name)}"


# -- the interpreter -------------------------------------------------------------------------

SIGN = Rules("sign", (
    Rule("negative", lambda x: x < 0, const("-"), "-1"),
    Rule("zero", lambda x: x == 0, const("0"), "0"),
    Rule("small", lambda x: x < 10, lambda x: f"+{x}", "3"),
    Rule("positive", always, const("+"), "12"),
))


@pytest.mark.parametrize("value,rule,result", [
    (-5, "negative", "-"), (0, "zero", "0"), (3, "small", "+3"), (12, "positive", "+"),
])
def test_the_first_rule_that_holds_decides(value, rule, result):
    assert SIGN.first(value).name == rule
    assert SIGN.apply(value) == result


def test_a_table_with_no_rule_holding_says_so():
    partial = Rules("partial", (Rule("negative", lambda x: x < 0, const("-"), "-1"),))
    with pytest.raises(LookupError, match="partial"):
        partial.apply(1)


def test_every_lexicon_file_says_what_it_holds():
    files = sorted(p for p in LEXICON_DIR.iterdir() if p.suffix in (".txt", ".tsv"))
    assert files
    headless = [p.name for p in files if not p.read_text(encoding="utf-8").startswith("#")]
    assert headless == []
