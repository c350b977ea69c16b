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
