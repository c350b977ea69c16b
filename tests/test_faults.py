"""Fault injection for ``kg ingest``: each bad input, a store deleted mid-run, id collisions,
a worker killed under ``--jobs 2`` — and what the store holds afterwards, article by article,
with the exit code. Runs that could hang on a regression go through a subprocess with a timeout."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.store import open_store

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = {name: (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
            for name in ("same_meeting_kazinform", "same_meeting_uza", "same_people_other_day", "initials_balaeva")}
ARTICLE_IDS = ("SELECT ?id WHERE { ?a a <https://schema.org/NewsArticle> ; <https://schema.org/identifier> ?id }")
RUN_TIMEOUT = 600  # seconds; a hang is a failure, not a stuck suite


def kg(*args: str, timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess:
    proc = start(*args)
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        stop(proc)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def stored(store_dir: Path, sparql: str = ARTICLE_IDS) -> list[tuple[str, ...]]:
    with open_store(str(store_dir), create=False) as store:
        return [tuple(str(v) for v in row) for row in store.query(sparql)]


def article_field(store_dir: Path, article_id: str, prop: str) -> str | None:
    from rdflib import Literal

    with open_store(str(store_dir), create=False) as store:
        rows = list(store.query(f"SELECT ?id ?v WHERE {{ ?a <https://schema.org/identifier> ?id ; <{prop}> ?v }}",
                                {"id": Literal(article_id)}))
    return str(rows[0][1]) if rows else None


def lines(output: str, kind: str) -> dict[str, str]:
    """``failed``/``note`` lines by the path or origin they start with."""
    out = {}
    for line in output.splitlines():
        if line.startswith(kind + " "):
            origin, _, reason = line[len(kind):].strip().partition(": ")
            out[origin] = reason
    return out


# -- every bad input, one run ------------------------------------------------------------------

def bad_inputs(root: Path) -> list[str]:
    """Three good articles among every kind of bad input the issue names; returns the PATHS."""
    folder = root / "in"
    folder.mkdir()
    for name in ("same_meeting_kazinform", "same_meeting_uza", "same_people_other_day"):
        (folder / f"{name}.txt").write_text(ARTICLES[name], encoding="utf-8")
    body = ARTICLES["initials_balaeva"].encode("utf-8")
    (folder / "odd_byte.txt").write_bytes(body[:200] + b"\xff" + body[200:])  # one bad byte in UTF-8
    records = [{"id": "surrogate", "text": ARTICLES["same_meeting_uza"] + " \ud800 и \u0007звонок.",
                "published": "2024-05-16"},
               {"id": "plain-line", "text": ARTICLES["same_people_other_day"], "published": "2024-05-17"}]
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    (folder / "long.txt").write_text(("В Москве прошли переговоры министров. " * 200 + "\n") * 2, encoding="utf-8")
    (folder / "broken_link.txt").symlink_to(root / "nowhere.txt")
    (folder / "loop").symlink_to(folder)
    other = root / "other"
    other.mkdir()
    (other / "linked.txt").write_text(ARTICLES["initials_balaeva"], encoding="utf-8")
    (folder / "elsewhere").symlink_to(other)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(folder / "socket.txt"))
    listener.close()
    os.mkfifo(root / "fifo.txt")
    return [str(folder), str(root / "fifo.txt"), "/dev/zero"]


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    paths = bad_inputs(root)
    store_dir = root / "store"
    result = kg("ingest", *paths, "--store", str(store_dir), "--max-chars", "5000")
    return root, store_dir, result


@pytest.mark.slow
def test_bad_inputs_fail_alone_and_every_good_article_is_stored(faulty_run):
    root, store_dir, result = faulty_run
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    ids = {row[0] for row in stored(store_dir)}
    assert ids == {"same_meeting_kazinform", "same_meeting_uza", "same_people_other_day", "odd_byte",
                   "surrogate", "plain-line", "elsewhere/linked"}
    failed = lines(result.stderr, "failed")
    expected = {str(root / "fifo.txt"): "a FIFO", "/dev/zero": "a character device",
                str(root / "in" / "broken_link.txt"): "No such file", str(root / "in" / "long.txt"): "--max-chars"}
    for origin, reason in expected.items():
        assert reason in failed.get(origin, ""), f"{origin}: {failed.get(origin)!r}; all: {failed}"
    assert len(failed) == len(expected)
    assert "failed 4" in result.stdout and "ingested 7" in result.stdout


@pytest.mark.slow
def test_special_files_and_link_loops_are_passed_over_with_a_note(faulty_run):
    root, _, result = faulty_run
    notes = lines(result.stderr, "note")
    assert "a socket" in notes.get(str(root / "in" / "socket.txt"), "")
    assert "read already" in notes.get(str(root / "in" / "loop"), "")


@pytest.mark.slow
def test_lone_surrogates_and_control_characters_are_replaced_with_a_note(faulty_run):
    root, store_dir, result = faulty_run
    text = article_field(store_dir, "surrogate", "https://schema.org/articleBody")
    assert text is not None and "\ufffd и \ufffdзвонок" in text
    notes = lines(result.stderr, "note")
    assert "2 lone surrogate(s) or control character(s)" in notes.get(str(root / "in" / "feed.jsonl:1"), "")


@pytest.mark.slow
def test_utf8_with_one_bad_byte_stays_utf8_and_the_encoding_is_recorded(faulty_run):
    root, store_dir, result = faulty_run
    text = article_field(store_dir, "odd_byte", "https://schema.org/articleBody")
    assert text is not None and "\ufffd" in text and "Балаева" in text  # not KOI8-R mojibake
    encodings = dict(stored(store_dir, "SELECT ?id ?e WHERE { ?a <https://schema.org/identifier> ?id ; "
                                       "<https://w3id.org/kg-diplo/ontology#sourceEncoding> ?e }"))
    assert encodings["odd_byte"] == "utf-8" and encodings["same_meeting_uza"] == "utf-8"
    assert "1 undecodable byte(s)" in lines(result.stderr, "note").get(str(root / "in" / "odd_byte.txt"), "")


@pytest.mark.parametrize("encoding,expected", [("cp1251", "cp1251"), ("koi8_r", "koi8-r"), ("cp866", "cp866"),
                                               ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16")])
def test_file_encodings_are_detected_as_a_whole_and_named(tmp_path, encoding, expected):
    from kg.read import read_file

    text = ARTICLES["same_meeting_kazinform"].replace("–", "-").replace("«", '"').replace("»", '"')
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    article = read_file(tmp_path / "a.txt")
    assert article.encoding == expected and "Саткалиев" in article.text and not article.warnings


# -- long texts ----------------------------------------------------------------------------------

def test_a_text_longer_than_the_parser_limit_is_parsed_in_chunks_with_offsets_kept(tmp_path, monkeypatch, nlp):
    import kg.nlp
    from kg.pipeline import ingest

    from kg.read import read_file

    monkeypatch.setattr(kg.nlp, "CHUNK_CHARS", 400)
    body = "\n".join(read_file(FIXTURES / f"{name}.txt").text for name in ARTICLES)
    (tmp_path / "long.jsonl").write_text(json.dumps({"id": "long", "text": body, "published": "2024-02-15"}),
                                         encoding="utf-8")
    assert len(kg.nlp.chunks(body)) >= 3 and "".join(kg.nlp.chunks(body)) == body
    store = open_store(":memory:")
    report = ingest([tmp_path / "long.jsonl"], store)
    assert report.ok and report.ingested == 1 and report.events >= 2
    text = next(iter(store.query("SELECT ?t WHERE { ?a <https://schema.org/articleBody> ?t }")))[0]
    spans = list(store.query("""PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?s ?e ?x WHERE { ?t oa:hasSelector ?p , ?q . ?p oa:start ?s ; oa:end ?e . ?q oa:exact ?x }"""))
    assert len(spans) > 10
    assert all(str(text)[int(s):int(e)] == str(x) for s, e, x in spans)  # provenance points at the right characters
    assert max(int(e) for _, e, _ in spans) > len(body) - 400  # facts found in the last chunk too


def test_chunks_cut_at_line_breaks_then_sentence_ends_then_spaces():
    from kg.nlp import chunks

    rows = [("абв\nгде\nжзи", 8, ["абв\nгде\n", "жзи"]), ("Раз. Два. Три.", 10, ["Раз. Два. ", "Три."]),
            ("один два три", 9, ["один два ", "три"]), ("абвгдежзи", 4, ["абвг", "дежз", "и"])]
    for text, size, expected in rows:
        assert chunks(text, size) == expected and "".join(chunks(text, size)) == text


# -- ids --------------------------------------------------------------------------------------------

def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


HTML = ("<html><head><title>Переговоры</title></head><body><article><p>" + ARTICLES["same_meeting_uza"] +
        "</p></article></body></html>")


@pytest.fixture(scope="module")
def ids_run(tmp_path_factory):
    """Distinct sources that today's ids would merge, and true collisions, in one run."""
    root = tmp_path_factory.mktemp("ids")
    write(root / "in" / "a" / "x.txt", ARTICLES["same_meeting_kazinform"])
    write(root / "in" / "b" / "x.txt", ARTICLES["same_people_other_day"])
    write(root / "in" / "x.txt", ARTICLES["initials_balaeva"])
    write(root / "in" / "x.html", HTML)
    long_id = "id-" + "з" * 600
    records = [{"id": long_id + "1", "text": ARTICLES["same_meeting_uza"]},
               {"id": long_id + "2", "text": ARTICLES["same_meeting_kazinform"]}]
    write(root / "in" / "l.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    write(root / "two" / "a" / "x.txt", ARTICLES["same_meeting_uza"])  # "a/x" again, other text
    records = [{"id": "k", "text": ARTICLES["same_meeting_uza"]}, {"id": "k", "text": ARTICLES["initials_balaeva"]},
               {"id": "k", "text": ARTICLES["same_meeting_uza"]}]
    write(root / "k.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    result = CliRunner().invoke(main, ["ingest", str(root / "in"), str(root / "two"), str(root / "k.jsonl"),
                                       "--store", str(root / "s")])
    bodies = dict(stored(root / "s", "SELECT ?id ?t WHERE { ?a <https://schema.org/identifier> ?id ; "
                                     "<https://schema.org/articleBody> ?t }"))
    return root, result, bodies


def test_distinct_sources_get_distinct_ids(ids_run):
    _, _, bodies = ids_run
    assert {"a/x", "b/x", "x", "x.html", "k"} <= set(bodies) and len(bodies) == 7
    assert len({i for i in bodies if i.startswith("id-")}) == 2  # long ids sharing 500 characters stay two
    assert "Саткалиев" in bodies["a/x"] and "Балаева" in bodies["x"] and "Мирзамахмудов" in bodies["x.html"]


def test_a_true_id_collision_is_refused_never_a_silent_replacement(ids_run):
    root, result, bodies = ids_run
    assert result.exit_code == 2
    failed = lines(result.output, "failed")
    assert "already taken in this run by " + str(root / "in" / "a" / "x.txt") in failed[str(root / "two" / "a" / "x.txt")]
    assert "already taken" in failed[str(root / "k.jsonl") + ":2"] and len(failed) == 2
    assert "the same article as" in lines(result.output, "note")[str(root / "k.jsonl") + ":3"]
    assert "Саткалиев" in bodies["a/x"] and bodies["k"] == ARTICLES["same_meeting_uza"].strip()  # the first kept


def test_the_report_counts_articles_that_replaced_an_older_version(tmp_path):
    write(tmp_path / "in" / "a.txt", ARTICLES["same_meeting_kazinform"])
    write(tmp_path / "in" / "b.txt", ARTICLES["same_meeting_uza"])
    args = ["ingest", str(tmp_path / "in"), "--store", str(tmp_path / "s")]
    assert "ingested 2 (0 replacing an older version)" in CliRunner().invoke(main, args).output
    write(tmp_path / "in" / "b.txt", ARTICLES["same_meeting_uza"].replace("ТАШКЕНТ", "САМАРКАНД"))
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0 and "ingested 1 (1 replacing an older version), skipped 1" in second.output
    body = article_field(tmp_path / "s", "b", "https://schema.org/articleBody")
    assert "САМАРКАНД" in body and len(stored(tmp_path / "s")) == 2


# -- the store vanishing, readers during an ingest, a killed worker --------------------------------------

def corpus(root: Path, copies: int) -> list[str]:
    """``copies`` copies of each fixture article under distinct names; returns their ids."""
    root.mkdir()
    ids = []
    for k in range(copies):
        for name, text in ARTICLES.items():
            write(root / f"{k:02d}_{name}.txt", text)
            ids.append(f"{k:02d}_{name}")
    return ids


def start(*args: str) -> subprocess.Popen:
    """``kg ARGS`` in its own process group, so that ``stop`` ends it with its workers."""
    return subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def wait_for_ingested(proc: subprocess.Popen, count: int = 1) -> list[str]:
    seen, deadline = [], time.monotonic() + RUN_TIMEOUT
    while sum(line.startswith("ingested") for line in seen) < count and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
    return seen


def finish(proc: subprocess.Popen, seen: list[str]) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=RUN_TIMEOUT)
    finally:
        stop(proc)
    return proc.returncode, out, "".join(seen) + err


@pytest.mark.slow
def test_store_directory_replaced_mid_run_is_an_error_not_a_success(tmp_path):
    """(A deleted directory: ``test_watch_notices_a_deleted_store``.)"""
    corpus(tmp_path / "in", 4)
    store_dir = tmp_path / "store"
    proc = start("ingest", str(tmp_path / "in"), "--store", str(store_dir), "-v")
    try:
        seen = wait_for_ingested(proc)
    except BaseException:
        stop(proc)
        raise
    while store_dir.exists():  # the writer may add a file while the folder is being removed
        shutil.rmtree(store_dir, ignore_errors=True)
    store_dir.mkdir()
    code, out, err = finish(proc, seen)
    assert code == 4, (out, err)
    assert "deleted or replaced" in err and "Traceback" not in err and "ingested" not in out
    assert not (store_dir / "CURRENT").exists() and not list(store_dir.glob("*.sst"))  # the new directory left alone


def worker_pids(parent: int) -> list[int]:
    """The parent's children that run the same command (forked workers)."""
    own = Path(f"/proc/{parent}/cmdline").read_bytes()
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent and (stat.parent / "cmdline").read_bytes() == own:
                pids.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return sorted(pids)


@pytest.fixture(scope="module")
def killed_worker_run(tmp_path_factory):
    """``--jobs 2`` over 64 articles (4 batches); at the first article written, a reader queries
    the store, and one worker is killed while the others' batches are in progress."""
    root = tmp_path_factory.mktemp("jobs")
    ids = corpus(root / "in", 16)
    store_dir = root / "store"
    proc, seen = start("ingest", str(root / "in"), "--store", str(store_dir), "--jobs", "2", "-v"), []
    try:
        seen = wait_for_ingested(proc)
        workers = worker_pids(proc.pid)
        os.kill(workers[0], signal.SIGKILL)
        reader = CliRunner().invoke(main, ["query", "--store", str(store_dir), "-f", "csv",
                                           "SELECT (COUNT(?a) AS ?n) WHERE { ?a a schema:NewsArticle }"])
        export = CliRunner().invoke(main, ["export", "--store", str(store_dir), "--format", "nquads"])
    finally:
        code, out, err = finish(proc, seen)
    return ids, store_dir, workers, reader, export, code, out, err


@pytest.mark.slow
def test_a_killed_worker_costs_no_article(killed_worker_run):
    ids, store_dir, workers, _, _, code, out, err = killed_worker_run
    assert len(workers) == 2
    assert code == 0, err
    assert "a worker process died" in err and "ingested 64" in out
    counts = dict(stored(store_dir, """PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?id (COUNT(?e) AS ?n)
        WHERE { ?a <https://schema.org/identifier> ?id . OPTIONAL { ?e prov:wasDerivedFrom ?a } } GROUP BY ?id"""))
    assert set(counts) == set(ids)
    for name in ARTICLES:  # article by article: every copy holds what the first copy (before the kill) holds
        assert {counts[i] for i in ids if i.endswith(name)} == {counts["00_" + name]}, name


@pytest.mark.slow
def test_readers_see_the_last_committed_state_during_an_ingest(killed_worker_run):
    _, store_dir, _, reader, export, _, _, _ = killed_worker_run
    assert reader.exit_code == 0, reader.output
    assert 1 <= int(reader.output.split()[1]) <= 64
    assert export.exit_code == 0, export.output
    assert "<https://schema.org/NewsArticle>" in export.output
    assert not list(store_dir.parent.glob(".kg-snapshot-*"))  # the readers' snapshots are gone


def test_watch_notices_a_deleted_store(tmp_path):
    from kg.access import watch
    from kg.errors import StoreError

    store = open_store(str(tmp_path / "s"))
    guard = watch(store)
    guard.wrote(store)
    shutil.rmtree(tmp_path / "s")
    (tmp_path / "s").mkdir()
    with pytest.raises(StoreError, match="deleted or replaced"):
        guard.finish(store)
    store.close()
    import gc

    gc.collect()
    assert not list((tmp_path / "s").iterdir())  # nothing written into the directory that took its place
