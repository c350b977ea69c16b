"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a store directory.

The real Oxigraph server (``oxigraph serve-read-only``, from the ``oxigraph`` package) answers
the queries, on a private loopback port, with a query timeout. In front of it a small guard
listens where the user asked (loopback by default):

- ``GET /`` — a self-contained query page (no script or style from any other host);
- ``GET|POST /query`` and ``/sparql`` — SPARQL queries, passed to Oxigraph, with the answer
  refused when it exceeds a size limit, so one runaway query cannot exhaust the machine;
- everything that would write (``/update``, ``/store`` with a method other than GET) — 403.
"""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from kg.errors import StoreError

READ_PATHS = ("/query", "/sparql")
FORWARDED_HEADERS = ("Content-Type", "Accept")


@dataclass(frozen=True)
class ServeOptions:
    location: str
    host: str = "127.0.0.1"
    port: int = 7878
    timeout_s: int = 30
    max_bytes: int = 50_000_000


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if not found:
        raise StoreError("the oxigraph server is not installed", "pip install oxigraph")
    return found


def start_oxigraph(location: str, port: int, timeout_s: int) -> subprocess.Popen:
    """Oxigraph in read-only mode on a private loopback port; returns once it answers."""
    if not Path(location).is_dir():
        raise StoreError(f"no store at {location}", "run `kg ingest` first, or pass --store DIR")
    cmd = [oxigraph_binary(), "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{port}",
           "--union-default-graph", "--timeout-s", str(timeout_s)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StoreError(f"oxigraph could not serve {location}: {proc.stderr.read().decode()[-500:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise StoreError("oxigraph did not start in 20 s")


def query_page() -> bytes:
    return (resources.files("kg") / "templates" / "query.html").read_bytes()


def make_handler(server: "Server"):
    max_bytes = server.options.max_bytes

    class Guard(BaseHTTPRequestHandler):
        server_version = "kg-serve"

        def log_message(self, fmt, *args):  # quiet; errors still reach stderr
            return

        def do_GET(self):
            path = urlsplit(self.path).path
            if path in ("/", "/index.html"):
                return self.reply(200, query_page(), "text/html; charset=utf-8")
            if path in READ_PATHS:
                return self.forward("GET", None)
            return self.reply(404, b"not found\n", "text/plain")

        def do_POST(self):
            path = urlsplit(self.path).path
            if path in READ_PATHS:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.headers.get("Content-Type", "").startswith("application/sparql-update") or \
                        b"update=" in body[:16]:
                    return self.reply(403, b"this endpoint is read-only\n", "text/plain")
                return self.forward("POST", body)
            return self.reply(403, b"this endpoint is read-only\n", "text/plain")

        do_PUT = do_DELETE = do_PATCH = do_POST

        def forward(self, method: str, body: bytes | None):
            """Pass the query on; stop it when it runs past the timeout (the Oxigraph process
            is replaced, since a query in progress cannot be cancelled) or answers too much."""
            timeout = server.options.timeout_s
            port = server.backend_port
            backend = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            headers = {h: self.headers[h] for h in FORWARDED_HEADERS if self.headers.get(h)}
            path = "/query" + (("?" + urlsplit(self.path).query) if urlsplit(self.path).query else "")
            deadline = time.monotonic() + timeout
            chunks, size = [], 0
            try:
                backend.request(method, path, body=body, headers=headers)
                answer = backend.getresponse()
                while True:
                    chunk = answer.read(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > max_bytes:
                        server.restart_backend(port)
                        return self.reply(413, f"the answer exceeds {max_bytes} bytes; add a LIMIT\n".encode(),
                                          "text/plain")
                    if time.monotonic() > deadline:
                        raise TimeoutError
            except (TimeoutError, socket.timeout):
                server.restart_backend(port)
                return self.reply(504, f"the query was stopped after {timeout} s\n".encode(), "text/plain")
            except (OSError, http.client.HTTPException) as e:
                return self.reply(502, f"the query failed: {e}\n".encode(), "text/plain")
            finally:
                backend.close()
            return self.reply(answer.status, b"".join(chunks),
                              answer.getheader("Content-Type", "application/octet-stream"))

        def reply(self, status: int, data: bytes, content_type: str):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(data)

    return Guard


class Server:
    """The endpoint: Oxigraph behind the guard. ``start()``, ``stop()``, or use as a context."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.backend: subprocess.Popen | None = None
        self.backend_port = 0
        self.http: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def restart_backend(self, port: int) -> None:
        """Replace the Oxigraph process that is stuck on a query (once per stuck process)."""
        with self._lock:
            if port != self.backend_port:
                return  # another request already replaced it
            old = self.backend
            old.kill()
            old.wait()
            self.backend_port = free_port()
            self.backend = start_oxigraph(self.options.location, self.backend_port, self.options.timeout_s)

    @property
    def url(self) -> str:
        host = self.options.host if ":" not in self.options.host else f"[{self.options.host}]"
        return f"http://{host}:{self.http.server_address[1] if self.http else self.options.port}"

    def start(self) -> Server:
        self.backend_port = free_port()
        self.backend = start_oxigraph(self.options.location, self.backend_port, self.options.timeout_s)
        try:
            self.http = ThreadingHTTPServer((self.options.host, self.options.port), make_handler(self))
        except OSError as e:
            self.backend.kill()
            raise StoreError(f"cannot listen on {self.options.host}:{self.options.port}: {e.strerror}",
                             "choose another --port") from e
        self.http.daemon_threads = True
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.http is not None:
            self.http.shutdown()
            self.http.server_close()
        if self.backend is not None:
            self.backend.terminate()
            try:
                self.backend.wait(5)
            except subprocess.TimeoutExpired:
                self.backend.kill()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
