"""A real SPARQL server: `kg serve` (Oxigraph read-only behind a guard) answers over HTTP and
refuses updates; `--endpoint` ingest and query round-trip through a real `oxigraph serve`."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.pipeline import ingest
from kg.serve import ServeOptions, Server, free_port, oxigraph_binary
from kg.store import open_store

FIXTURES = Path(__file__).parent / "fixtures"
SELECT_PEOPLE = "SELECT DISTINCT ?n WHERE { ?p a <https://schema.org/Person> ; <https://schema.org/name> ?n }"


def http(url: str, data: dict | None = None, headers: dict | None = None, raw: bytes | None = None):
    body = raw if raw is not None else (urllib.parse.urlencode(data).encode() if data else None)
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    location = tmp_path_factory.mktemp("served") / "store"
    store = open_store(str(location))
    ingest([FIXTURES / "same_meeting_kazinform.txt", FIXTURES / "same_meeting_uza.txt"], store)
    store.close()
    return location


def count(location) -> int:
    store = open_store(str(location), create=False)
    try:
        return store.count()
    finally:
        store.close()


def test_served_endpoint_answers_sparql_and_refuses_updates(store_dir):
    before = count(store_dir)
    with Server(ServeOptions(str(store_dir), port=free_port())) as server:
        status, body = http(f"{server.url}/query?" + urllib.parse.urlencode({"query": SELECT_PEOPLE}),
                            headers={"Accept": "application/sparql-results+json"})
        assert status == 200
        names = {b["n"]["value"] for b in json.loads(body)["results"]["bindings"]}
        assert {"Алмасадам Саткалиев", "Журабек Мирзамахмудов"} <= names
        assert http(f"{server.url}/query", {"update": "DROP ALL"})[0] == 403
        assert http(f"{server.url}/update", {"update": "DROP ALL"})[0] == 403
        assert http(f"{server.url}/query", raw=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})[0] == 403
        status, page = http(f"{server.url}/")
        assert status == 200 and b"<textarea" in page
        assert b"src=\"http" not in page and b"href=\"http" not in page  # the query page works offline
    assert count(store_dir) == before


def test_served_endpoint_binds_to_loopback_by_default(store_dir):
    with Server(ServeOptions(str(store_dir), port=free_port())) as server:
        assert server.address[0] == "127.0.0.1"


def test_pathological_query_is_cut_off(store_dir):
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with Server(ServeOptions(str(store_dir), port=free_port(), timeout_s=1)) as server:
        started = time.monotonic()
        status, _ = http(f"{server.url}/query", {"query": cartesian})
        assert status >= 400
        assert time.monotonic() - started < 15
        status, _ = http(f"{server.url}/query", {"query": SELECT_PEOPLE})
        assert status == 200  # the endpoint still answers others


def test_oversized_answer_is_refused(store_dir):
    with Server(ServeOptions(str(store_dir), port=free_port(), max_bytes=2000)) as server:
        status, body = http(f"{server.url}/query", {"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert status == 413 and b"LIMIT" in body


@pytest.fixture()
def oxigraph_server(tmp_path):
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "remote"), "--bind",
                             f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(10)


def test_endpoint_ingest_and_query_round_trip(oxigraph_server):
    from kg.export import events_json
    from kg.query import run

    store = open_store(endpoint=f"{oxigraph_server}/query", update_endpoint=f"{oxigraph_server}/update")
    report = ingest([FIXTURES / "same_meeting_kazinform.txt", FIXTURES / "same_meeting_uza.txt"], store)
    assert report.ok and report.ingested == 2
    events = events_json(store)["events"]
    assert len(events) == 1 and events[0]["sources"] == ["same_meeting_kazinform", "same_meeting_uza"]
    names = {str(r[0]) for r in run(store, SELECT_PEOPLE)}
    assert "Журабек Мирзамахмудов" in names
    again = ingest([FIXTURES / "same_meeting_kazinform.txt"], store)
    assert again.skipped == 1


def test_kg_query_timeout_stops_a_runaway_query(store_dir):
    from click.testing import CliRunner

    from kg.cli import main

    started = time.monotonic()
    result = CliRunner().invoke(main, ["query", "--store", str(store_dir), "--timeout", "1",
                                       "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"])
    assert result.exit_code == 5
    assert "did not finish" in result.output
    assert time.monotonic() - started < 10
