"""`kg serve` as a hostile client and an unlucky operator would meet it, against a real listener
on loopback with real Oxigraph backends: no outbound request for SERVICE, Host and Origin
rules, body and header bounds, the connection bound, a runaway query that costs no one else,
a supervised backend, and signals that leave no process behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from kg.serve import ServeOptions, Server, free_port
from kg.store import open_store

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
HONEST = "SELECT ?o WHERE { <urn:s0> <urn:p> ?o }"
pytestmark = pytest.mark.slow


# -- helpers ------------------------------------------------------------------------------------

def raw(url: str, data: bytes, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; the status, headers and body of the answer (0 when none came)."""
    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, TimeoutError, socket.timeout):
            pass
    answer = b"".join(chunks)
    if not answer.startswith(b"HTTP/1.1 "):
        return 0, {}, answer
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def request(url: str, method: str = "GET", path: str = "/query", body: bytes = b"", headers: dict | None = None,
            host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    parts = urllib.parse.urlsplit(url)
    head = {"Host": host if host is not None else parts.netloc, "Connection": "close", **(headers or {})}
    if method in ("POST", "PUT") and "Content-Length" not in head:
        head["Content-Length"] = str(len(body))
    lines = [f"{method} {path} HTTP/1.1"] + [f"{k}: {v}" for k, v in head.items() if v is not None]
    return raw(url, ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body)


def get_query(url: str, sparql: str, **kw):
    return request(url, path="/query?" + urllib.parse.urlencode({"query": sparql}), **kw)


def post_form(url: str, fields: dict, path: str = "/query", **kw):
    headers = {"Content-Type": "application/x-www-form-urlencoded", **kw.pop("headers", {})}
    return request(url, "POST", path, urllib.parse.urlencode(fields).encode(), headers=headers, **kw)


class Recorder:
    """A listener on loopback that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.sock.settimeout(0.2)
        while self.sock.fileno() != -1:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    self.hits.append(conn.recv(65536))
                    conn.sendall(b"HTTP/1.1 500 Recorded\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    self.hits.append(b"")

    def close(self) -> None:
        self.sock.close()


def children_of(pid: int) -> list[int]:
    """Live oxigraph processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid and b"serve-read-only" in cmdline and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def nice(pid: int) -> int | None:
    """The nice value of a process's main thread."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat[stat.rindex(")") + 2:].split()[16])


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


def wait_until(condition, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    location = tmp_path_factory.mktemp("serve") / "store"
    store = open_store(str(location))
    triples = " ".join(f"<urn:s{i}> <urn:p> \"value {i}\" ; <https://schema.org/name> \"name {i}\" ." for i in range(60))
    store.update("INSERT DATA { GRAPH <urn:g> { " + triples + " } }")
    store.close()
    return location


@pytest.fixture(scope="module")
def server(store_dir):
    with Server(ServeOptions(str(store_dir), port=free_port(), workers=2, max_body=10_000, read_timeout_s=2,
                             max_connections=8)) as running:
        yield running


# -- SERVICE ------------------------------------------------------------------------------------

SERVICE_FORMS = [
    ("get", "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}"),
    ("form", "SELECT * WHERE {{ service silent <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}"),
    ("body", "SELECT * WHERE {{ ?s ?p ?o . SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}"),
    ("form", "PREFIX ex: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE ex:x {{ ?s ?p ?o }} }}"),
    ("form", "SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/x> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}"),
    ("form", "SELECT * WHERE {{ ?s ?p <urn:a\\#b> . SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}"),
    ("page", "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}"),
]


def send(url: str, how: str, sparql: str):
    if how == "get":
        return get_query(url, sparql)
    if how == "body":
        return request(url, "POST", "/query", sparql.encode(), headers={"Content-Type": "application/sparql-query"})
    return post_form(url, {"query": sparql}, path="/api/run" if how == "page" else "/query")


@pytest.mark.parametrize("how,template", SERVICE_FORMS)
def test_service_is_refused_and_nothing_goes_out(server, how, template):
    recorder = Recorder()
    try:
        status, _, body = send(server.url, how, template.format(port=recorder.port))
        time.sleep(0.2)
        assert status == 400 and b"SERVICE" in body
        assert recorder.hits == []
    finally:
        recorder.close()


def test_the_word_service_in_strings_comments_and_names_is_no_keyword(server):
    sparql = ("SELECT ?service WHERE { # SERVICE <http://127.0.0.1:1/>\n"
              " ?service <urn:service> \"SERVICE <http://x/> {}\" } LIMIT 1")
    status, _, _ = get_query(server.url, sparql)
    assert status == 200


def test_allow_service_lets_named_hosts_only(store_dir):
    recorder = Recorder()
    try:
        with Server(ServeOptions(str(store_dir), port=free_port(), workers=1, allow_service=("127.0.0.1",))) as s:
            status, _, body = get_query(s.url, f"SELECT * WHERE {{ SERVICE <http://localhost:{recorder.port}/x> {{ ?s ?p ?o }} }}")
            assert status == 400 and b"localhost" in body
            assert recorder.hits == []
            get_query(s.url, f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{recorder.port}/x> {{ ?s ?p ?o }} }}")
            assert wait_until(lambda: recorder.hits, 5)  # the recorder does see what is let through
    finally:
        recorder.close()


# -- Host and Origin ------------------------------------------------------------------------------

@pytest.mark.parametrize("host,expected", [
    ("evil.example", 421), ("evil.example:{port}", 421), ("127.0.0.1.evil.example:{port}", 421), ("", 421),
    ("127.0.0.1:{port}", 200), ("localhost:{port}", 200), ("LOCALHOST:{port}", 200),
])
def test_host_must_name_the_bound_address(server, host, expected):
    status, _, body = get_query(server.url, HONEST, host=host.format(port=server.address[1]))
    assert status == expected, body


def test_an_absolute_target_must_name_the_server_too(server):
    netloc = urllib.parse.urlsplit(server.url).netloc
    assert request(server.url, path="http://evil.example/query?query=ASK%7B%7D")[0] == 421
    assert request(server.url, path=f"http://{netloc}/query?query=ASK%7B%7D")[0] == 200


def test_a_request_without_host_is_refused(server):
    status, _, _ = raw(server.url, b"GET /query?query=ASK%7B%7D HTTP/1.0\r\n\r\n")
    assert status == 421


def test_allowed_host_names_are_answered(store_dir):
    with Server(ServeOptions(str(store_dir), port=free_port(), workers=1, allowed_hosts=("kg.example.org",))) as s:
        assert get_query(s.url, HONEST, host="kg.example.org")[0] == 200
        assert get_query(s.url, HONEST, host="other.example.org")[0] == 421


@pytest.mark.parametrize("headers,expected", [
    ({"Origin": "http://evil.example"}, 403),
    ({"Origin": "null"}, 403),
    ({"Origin": "http://127.0.0.1:1"}, 403),  # another port of the same machine is another origin
    ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}, 403),
    ({"Origin": "http://{netloc}"}, 200),
    ({"Sec-Fetch-Site": "same-origin"}, 200),
    ({}, 200),
])
def test_cross_origin_form_posts_are_refused(server, headers, expected):
    netloc = urllib.parse.urlsplit(server.url).netloc
    status, _, _ = post_form(server.url, {"query": HONEST}, headers={k: v.format(netloc=netloc) for k, v in headers.items()})
    assert status == expected


def test_cors_opts_an_origin_in(store_dir):
    origin = "http://app.example:8080"
    with Server(ServeOptions(str(store_dir), port=free_port(), workers=1, cors=(origin,))) as s:
        status, headers, _ = post_form(s.url, {"query": HONEST}, headers={"Origin": origin})
        assert status == 200 and headers["access-control-allow-origin"] == origin
        status, headers, _ = request(s.url, "OPTIONS", headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
        assert status == 204 and "POST" in headers["access-control-allow-methods"]
        assert request(s.url, "OPTIONS", headers={"Origin": "http://evil.example"})[0] == 403
        assert post_form(s.url, {"query": HONEST}, headers={"Origin": "http://evil.example"})[0] == 403


# -- bounds on what a client may send --------------------------------------------------------------

def test_a_body_over_the_limit_is_refused_before_it_is_read(server):
    started = time.monotonic()
    head = (f"POST /query HTTP/1.1\r\nHost: {urllib.parse.urlsplit(server.url).netloc}\r\n"
            "Content-Type: application/sparql-query\r\nContent-Length: 200000000\r\n\r\n")
    status, _, body = raw(server.url, head.encode())  # not a byte of the 200 MB is sent
    assert status == 413 and b"10000" in body
    assert time.monotonic() - started < 2  # answered at once, not after the read timeout


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "", "5, 5"])
def test_a_bad_content_length_is_400(server, length):
    status, _, _ = request(server.url, "POST", body=b"query", headers={"Content-Type": "application/sparql-query",
                                                                    "Content-Length": length})
    assert status == 400


def test_a_post_without_content_length_is_400(server):
    netloc = urllib.parse.urlsplit(server.url).netloc
    status, _, body = raw(server.url, f"POST /query HTTP/1.1\r\nHost: {netloc}\r\nContent-Type: "
                                      "application/sparql-query\r\nConnection: close\r\n\r\n".encode())
    assert status == 400 and b"Content-Length" in body
    chunked = (f"POST /query HTTP/1.1\r\nHost: {netloc}\r\nContent-Type: application/sparql-query\r\n"
               "Transfer-Encoding: chunked\r\n\r\n5\r\nASK{}\r\n0\r\n\r\n")
    assert raw(server.url, chunked.encode())[0] == 400


def test_a_slow_client_is_cut_off_after_the_read_timeout(server):
    netloc = urllib.parse.urlsplit(server.url).netloc
    with socket.create_connection(server.address, timeout=10) as s:
        s.sendall(f"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: {netloc}\r\n".encode())  # the head never ends
        started = time.monotonic()
        for _ in range(8):  # one header line a while, as a slow-loris client does
            time.sleep(0.4)
            try:
                s.sendall(b"X-Slow: 1\r\n")
            except OSError:
                break
        answer = s.recv(65536)
    assert answer.startswith(b"HTTP/1.1 408") or answer == b""
    assert time.monotonic() - started < 5


def test_an_oversized_head_is_refused(server):
    status, _, _ = request(server.url, headers={"X-Big": "x" * 70_000})
    assert status == 431


def test_the_connection_bound_answers_503_beyond_it(server):
    idle = [socket.create_connection(server.address, timeout=5) for _ in range(8)]
    try:
        time.sleep(0.2)
        status, headers, _ = get_query(server.url, HONEST)
        assert status == 503 and headers.get("retry-after")
    finally:
        for s in idle:
            s.close()
    assert wait_until(lambda: get_query(server.url, HONEST)[0] == 200, 5)


def test_idle_connections_are_closed_after_the_read_timeout(server):
    idle = [socket.create_connection(server.address, timeout=10) for _ in range(8)]
    try:
        time.sleep(2.5)  # the server's read timeout is 2 s
        assert get_query(server.url, HONEST)[0] == 200
        assert all(s.recv(10) == b"" for s in idle)  # closed by the server
    finally:
        for s in idle:
            s.close()


# -- what the endpoint says and does not say --------------------------------------------------------

def test_answers_and_errors_do_not_reveal_the_backend_ports(server):
    ports = [str(p) for p in backend_ports(os.getpid())]
    assert ports
    answers = [get_query(server.url, "SELECT (<x> AS ?b) WHERE {}"),
               get_query(server.url, "SELECT * WHERE { ?s ?p "),
               post_form(server.url, {"query": "SELECT * WHERE { ?s ?p "}, path="/api/run"),
               request(server.url, path="/health")]
    for status, headers, body in answers:
        assert not any(port.encode() in body or port in str(headers) for port in ports)
    assert urllib.parse.urlsplit(server.url).netloc.encode() in answers[0][2]  # relative IRIs: the public address


def backend_ports(pid: int) -> list[int]:
    ports = []
    for child in children_of(pid):
        args = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        ports.append(int(args[args.index(b"--bind") + 1].rsplit(b":", 1)[1]))
    return ports


def test_updates_are_refused(server):
    assert post_form(server.url, {"update": "DROP ALL"})[0] == 403
    assert post_form(server.url, {"update": "DROP ALL"}, path="/update")[0] == 403
    assert request(server.url, "POST", "/query", b"DROP ALL", headers={"Content-Type": "application/sparql-update"})[0] == 403
    assert request(server.url, "PUT", "/store?default", b"<urn:a> <urn:b> <urn:c> .")[0] == 403
    assert request(server.url, "DELETE", "/store?default")[0] == 403


# -- the backend: runaway queries, deaths, failures -----------------------------------------------------

def test_a_runaway_query_costs_no_other_query(store_dir):
    with Server(ServeOptions(str(store_dir), port=free_port(), workers=3, timeout_s=2)) as s:
        runaway = []
        threads = [threading.Thread(target=lambda: runaway.append(get_query(s.url, RUNAWAY)[0])) for _ in range(2)]
        for t in threads:
            t.start()
        honest, demoted = [], set()
        while any(t.is_alive() for t in threads):
            honest.append(get_query(s.url, HONEST)[0])
            demoted |= {pid for pid in children_of(os.getpid()) if nice(pid) == 15}
        for t in threads:
            t.join()
        assert runaway == [504, 504]
        assert len(honest) > 5 and set(honest) == {200}
        assert len(demoted) == 2  # past a second, the runaway queries' backends yielded the CPU
        assert wait_until(lambda: json.loads(request(s.url, path="/health")[2])["ready"] == 3)


def test_a_dead_backend_is_noticed_and_replaced(server):
    before = set(children_of(os.getpid()))
    victim = sorted(before)[0]
    os.kill(victim, signal.SIGKILL)
    assert wait_until(lambda: len(set(children_of(os.getpid())) - before) == 1)
    assert wait_until(lambda: json.loads(request(server.url, path="/health")[2])["status"] == "ok")
    assert get_query(server.url, HONEST)[0] == 200


def test_what_a_writer_commits_is_answered_within_seconds(store_dir, tmp_path):
    import shutil

    store = tmp_path / "store"
    shutil.copytree(store_dir, store)
    fresh = "ASK { <urn:fresh> <urn:p> \"committed while serving\" }"
    with Server(ServeOptions(str(store), port=free_port(), workers=2, refresh_s=0.5)) as s:
        assert b"false" in get_query(s.url, fresh)[2]
        writer = open_store(str(store))  # as `kg ingest` does, while the server reads
        writer.update('INSERT DATA { GRAPH <urn:g2> { <urn:fresh> <urn:p> "committed while serving" } }')
        writer.close()
        answers = []
        assert wait_until(lambda: answers.append(get_query(s.url, fresh)) or b"true" in answers[-1][2], 15)
        assert {status for status, _, _ in answers} == {200}  # the service never stopped for it


def serve_cli(store: Path, *args: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert "serving" in line, proc.stderr.read()
    return proc, f"http://127.0.0.1:{port}"


def test_repeated_backend_failures_answer_503_then_exit_non_zero(store_dir, tmp_path):
    import shutil

    store = tmp_path / "store"
    shutil.copytree(store_dir, store)
    proc, url = serve_cli(store, "--workers", "1")
    try:
        shutil.rmtree(store)
        for pid in children_of(proc.pid):
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.3)
        status, headers, _ = get_query(url, HONEST)
        assert status == 503 and int(headers["retry-after"]) >= 1
        health = request(url, path="/health")
        assert health[0] == 503 and json.loads(health[2])["status"] in ("down", "failed")
        assert proc.wait(30) == 4
        assert "failed" in proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_signals_stop_the_guard_and_its_backends(store_dir, sig):
    proc, url = serve_cli(store_dir, "--workers", "2")
    backends = children_of(proc.pid)
    assert len(backends) == 2 and get_query(url, HONEST)[0] == 200
    proc.send_signal(sig)
    assert proc.wait(15) == 0
    assert wait_until(lambda: not any(alive(pid) for pid in backends), 5)


def test_the_backends_die_with_a_killed_guard(store_dir):
    proc, url = serve_cli(store_dir, "--workers", "2")
    backends = children_of(proc.pid)
    assert len(backends) == 2
    proc.kill()
    proc.wait()
    assert wait_until(lambda: not any(alive(pid) for pid in backends), 5)


def test_no_store_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kg", "serve", "--store", str(tmp_path / "none"), "--port",
                             str(free_port())], capture_output=True, text=True, timeout=30)
    assert result.returncode == 4 and "no store" in result.stderr


@pytest.mark.parametrize("bound,names,host,ok", [
    ("127.0.0.1", (), "127.0.0.1", True), ("127.0.0.1", (), "localhost", True), ("127.0.0.1", (), "::1", True),
    ("127.0.0.1", (), "10.0.0.5", False), ("127.0.0.1", (), "evil.example", False), ("127.0.0.1", (), None, False),
    ("0.0.0.0", (), "192.0.2.7", True), ("0.0.0.0", (), "localhost", True), ("0.0.0.0", (), "evil.example", False),
    ("192.0.2.7", (), "192.0.2.7", True), ("192.0.2.7", (), "localhost", False),
    ("0.0.0.0", ("kg.example.org",), "kg.example.org", True), ("0.0.0.0", ("kg.example.org",), "example.org", False),
])
def test_host_rule(bound, names, host, ok):
    from kg.serve import HostRule

    assert HostRule(bound, names).allows(host) is ok


@pytest.mark.parametrize("authority,name", [
    ("127.0.0.1:7878", "127.0.0.1"), ("[::1]:7878", "::1"), ("Example.ORG.", "example.org"), ("a b", None),
    ("evil.example@127.0.0.1", None), ("x:y:z", None), ("", None),
])
def test_host_name(authority, name):
    from kg.serve import host_name

    assert host_name(authority) == name
