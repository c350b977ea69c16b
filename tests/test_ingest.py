"""Ingest like a real pipeline: every input format, bad input isolated and reported, nothing
lost or duplicated, parallel and distributed runs equal to a single one, resumable after kill -9."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.config import sample_dir
from kg.pipeline import ingest
from kg.store import open_store

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = (FIXTURES / "same_meeting_kazinform.txt").read_text(encoding="utf-8")
PLAIN = "В Минске министр иностранных дел Беларуси Максим Рыженков встретился с послом Казахстана."
HTML = """<!DOCTYPE html><html><head><title>Переговоры в Баку</title>
<meta property="og:site_name" content="Тестовое агентство"><meta name="author" content="Иван Петров">
<meta name="date" content="2024-05-16"><link rel="canonical" href="https://example.org/news/baku-talks"></head>
<body><nav>Главная | Новости</nav><article><h1>Переговоры в Баку</h1>
<p>В среду в Баку министр транспорта Республики Казахстан Марат Карабаев провел переговоры с министром цифрового
развития и транспорта Азербайджанской Республики Рашадом Набиевым.</p>
<p>Стороны обсудили развитие Транскаспийского международного транспортного маршрута и модернизацию портов.</p>
<p>По итогам переговоров министры подписали Меморандум о взаимопонимании по развитию маршрута.</p>
</article><footer>© 2024</footer></body></html>"""


def bad_and_good_folder(root: Path) -> dict[str, str]:
    """One of each bad input plus good articles; returns bad file name → expected reason."""
    root.mkdir()
    (root / "good_utf8.txt").write_text(GOOD, encoding="utf-8")
    (root / "good_bom.txt").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("Казинформ", "КазТАГ").encode("utf-8"))
    (root / "good_cp1251.txt").write_bytes(GOOD.replace("Вчера", "Сегодня").encode("cp1251"))
    (root / "good_koi8.txt").write_bytes(GOOD.replace("Вчера", "Позавчера").replace("–", "-").encode("koi8_r"))
    (root / "good_plain_no_date.txt").write_text(PLAIN, encoding="utf-8")
    (root / "good_page.html").write_text(HTML, encoding="utf-8")
    records = [{"id": "jsonl-1", "text": PLAIN, "published": "2024-03-01"}, "{not json",
               {"id": "jsonl-3", "title": "без текста"}, {"id": "jsonl-4", "text": GOOD.split("\n\n", 3)[-1],
                                                         "published": "2024-02-15T10:00", "source": "Казинформ"}]
    (root / "batch.jsonl").write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                                                for r in records) + "\n", encoding="utf-8")
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (root / "broken.html").write_text("<html><body><div><p>", encoding="utf-8")
    (root / "english.txt").write_text("The ministers met in London to discuss trade.", encoding="utf-8")
    (root / "huge.txt").write_bytes(("Москва. " * 800_000).encode("utf-8"))
    return {"empty.txt": "empty", "binary.txt": "binary", "broken.html": "no article text",
            "english.txt": "no Russian text", "huge.txt": "limit", "batch.jsonl:2": "not a JSON object",
            "batch.jsonl:3": "no \"text\""}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed") / "in"
    expected = bad_and_good_folder(root)
    store_dir = root.parent / "store"
    result = CliRunner().invoke(main, ["ingest", str(root), "--store", str(store_dir), "-v"])
    return root, store_dir, expected, result


def test_every_bad_input_is_reported_with_its_reason(mixed):
    root, _, expected, result = mixed
    assert result.exit_code == 2
    failed = {line.split(": ", 1)[0].split(str(root) + os.sep)[-1]: line
              for line in result.output.splitlines() if line.startswith("failed ")}
    failed = {k.replace("failed    ", ""): v for k, v in failed.items()}
    for name, reason in expected.items():
        assert name in failed, f"{name} not reported; got {sorted(failed)}"
        assert reason in failed[name]
    assert "failed 7" in result.output


def test_every_good_article_is_ingested_and_the_store_is_consistent(mixed):
    _, store_dir, _, result = mixed
    assert "ingested 8" in result.output
    store = open_store(str(store_dir), create=False)
    try:
        ids = {str(r[0]) for r in store.query(
            "SELECT ?id WHERE { ?a a <https://schema.org/NewsArticle> ; <https://schema.org/identifier> ?id }")}
        assert ids == {"good_utf8", "good_bom", "good_cp1251", "good_koi8", "good_plain_no_date", "good_page.html",
                       "jsonl-1", "jsonl-4"}
        from kg.validate import validate

        assert validate(store).conforms
        # decoded right: the Windows-1251 and KOI8-R files read as Russian
        names = {str(r[0]) for r in store.query("SELECT ?n WHERE { ?p a <https://schema.org/Person> ; "
                                                "<https://schema.org/name> ?n }")}
        assert "Журабек Мирзамахмудов" in names
    finally:
        store.close()


def test_article_without_a_date_is_ingested_with_a_warning(mixed):
    _, _, _, result = mixed
    assert "warning   " in result.output and "good_plain_no_date" in result.output


def test_html_page_gives_text_title_and_metadata():
    from kg.read import parse_html

    a = parse_html(HTML.encode("utf-8"), "page")
    assert a.title == "Переговоры в Баку"
    assert "Главная" not in a.text and "Рашадом Набиевым" in a.text
    assert a.url == "https://example.org/news/baku-talks"


def test_stdin_is_an_input(tmp_path):
    store = open_store(":memory:")
    report = ingest(["-"], store, stdin=io.BytesIO(GOOD.encode("utf-8")))
    assert report.ingested == 1 and report.ok


def test_fail_fast_stops_at_the_first_failure(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "a_empty.txt").write_text("", encoding="utf-8")
    (root / "b_good.txt").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(root), "--store", ":memory:", "--fail-fast"])
    assert result.exit_code == 2 and "ingested 0" in result.output


def quads_without_run_times(store_dir: Path) -> list[str]:
    store = open_store(str(store_dir), create=False)
    try:
        return sorted(line for line in store.serialize("nquads").splitlines() if "endedAtTime" not in line)
    finally:
        store.close()


CORPUS_SIZE = len(list(sample_dir().glob("*.txt"))) + len(list(FIXTURES.glob("*.txt")))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The bundled sample articles (data/) and the fixtures: CORPUS_SIZE articles, no ../shared needed."""
    root = tmp_path_factory.mktemp("corpus")
    for path in list(sample_dir().glob("*.txt")) + list(FIXTURES.glob("*.txt")):
        (root / path.name).write_bytes(path.read_bytes())
    return root


@pytest.fixture(scope="module")
def single_run(corpus, tmp_path_factory):
    store_dir = tmp_path_factory.mktemp("single") / "store"
    store = open_store(str(store_dir))
    report = ingest([corpus], store)
    store.close()
    assert report.ok
    return quads_without_run_times(store_dir)


def test_two_jobs_give_the_same_store_as_one(corpus, single_run, tmp_path):
    store = open_store(str(tmp_path / "store"))
    report = ingest([corpus], store, jobs=2)
    store.close()
    assert report.ok and report.ingested == CORPUS_SIZE
    assert quads_without_run_times(tmp_path / "store") == single_run


def test_dask_cluster_gives_the_same_store_as_one_process(corpus, single_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        store = open_store(str(tmp_path / "store"))
        report = ingest([corpus], store, dask=cluster.scheduler_address)
        store.close()
    assert report.ok and report.ingested == CORPUS_SIZE
    assert quads_without_run_times(tmp_path / "store") == single_run


def test_ten_increments_give_the_same_store_as_one_run(corpus, single_run, tmp_path):
    """The daily feed: the same articles in ten separate runs (the store closed and reopened
    between them) give the same events and the same merges as one run."""
    files = sorted(corpus.glob("*.txt"))
    for k in range(10):
        store = open_store(str(tmp_path / "store"))
        report = ingest(files[len(files) * k // 10: len(files) * (k + 1) // 10], store)
        store.close()
        assert report.ok
    assert quads_without_run_times(tmp_path / "store") == single_run


def test_kill_9_midway_then_rerun_gives_the_same_store(corpus, single_run, tmp_path):
    store_dir = tmp_path / "store"
    cmd = [sys.executable, "-m", "kg", "ingest", str(corpus), "--store", str(store_dir), "-v"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    ingested = 0
    deadline = time.monotonic() + 120
    while ingested < 3 and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        ingested += line.startswith("ingested")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert ingested >= 3, "the run ended before it could be killed midway"
    partial = open_store(str(store_dir), create=False)
    try:
        articles = {str(r[0]) for r in partial.query("SELECT ?g WHERE { GRAPH ?g { ?a a <https://schema.org/NewsArticle> } }")}
        graphs = {g for g in partial.graph_names() if "/graph/" in g and not g.endswith(("gazetteer", "ontology", "topics"))}
        assert graphs == articles  # only whole articles: every article graph has its article record
        assert 3 <= len(articles) < CORPUS_SIZE
    finally:
        partial.close()
    rerun = subprocess.run(cmd[:-1] + ["-q"], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "skipped" in rerun.stdout
    assert quads_without_run_times(store_dir) == single_run


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        return


def test_fetch_pages_and_feeds_from_a_local_server(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "page.html").write_text(HTML, encoding="utf-8")
    (site / "other.html").write_text(HTML.replace("Баку", "Астане").replace("Набиевым", "Ивановым"), encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _QuietHandler(*a, directory=str(site)))
    Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (site / "feed.xml").write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
        <link>{base}/</link><item><title>a</title><link>{base}/page.html</link></item>
        <item><title>b</title><link>{base}/other.html</link></item><item><title>c</title>
        <link>{base}/missing.html</link></item></channel></rss>""", encoding="utf-8")
    try:
        result = CliRunner().invoke(main, ["fetch", f"{base}/feed.xml", "--store", str(tmp_path / "store")])
    finally:
        server.shutdown()
    assert "ingested 2" in result.output and "failed 1" in result.output
    assert "404" in result.output
    assert result.exit_code == 2
