"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a store directory, safe to put
on a network.

Real Oxigraph servers (``oxigraph serve-read-only``) answer the queries on private loopback
ports, one query at a time each (``kg.serve_backend``). In front of them a guard listens
where the user asked, loopback by default (``kg.serve_http`` for the HTTP bounds), and:

- answers ``GET /`` with the query page, ``GET /health`` with the backends' state,
  ``GET /api/library`` with the query library and ``POST /api/run`` with the page's queries
  (prefixes added and library parameters bound as ``kg query`` does);
- passes ``GET|POST /query`` and ``/sparql`` on, refusing ``SERVICE`` (which would make the
  server send requests to other hosts) unless ``allow_service`` names the host;
- answers only requests whose ``Host`` names the bound address or an allowed name (DNS
  rebinding), and cross-origin requests only from an allowed ``Origin`` (``cors``);
- refuses everything that would write (``/update``, ``/store``, updates sent to ``/query``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
import signal
import sys
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.errors import KGError, QueryError, StoreError
from kg.serve_backend import (AnswerTooLarge, BackendFailed, Pool, QueryTimeout, Unavailable, free_port,
                              oxigraph_binary)
from kg.serve_http import Limits, Listener, Request, Response, text
from kg.serve_sparql import RefusedQuery, bind_values, check_services

__all__ = ["ServeOptions", "Server", "free_port", "oxigraph_binary", "run"]

READ_PATHS = ("/query", "/sparql")
PAGE_PATHS = ("/", "/index.html")
WRITE_METHODS = ("POST", "PUT", "DELETE", "PATCH")
QUERY_TYPES = ("application/x-www-form-urlencoded", "application/sparql-query")
PAGE_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
PAGE_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
            "img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
WILDCARDS = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class ServeOptions:
    location: str
    host: str = "127.0.0.1"
    port: int = 7878
    timeout_s: int = 30
    max_bytes: int = 50_000_000
    workers: int = 4
    allowed_hosts: tuple[str, ...] = ()
    cors: tuple[str, ...] = ()
    allow_service: tuple[str, ...] = ()
    max_body: int = 1_000_000
    max_connections: int = 64
    read_timeout_s: float = 10.0
    max_failures: int = 5
    refresh_s: float = 2.0

    def limits(self) -> Limits:
        return Limits(self.max_connections, self.max_body, read_timeout_s=self.read_timeout_s)


# -- who may ask ----------------------------------------------------------------------------------

def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback(name: str) -> bool:
    return name == "localhost" or (_is_ip(name) and ipaddress.ip_address(name).is_loopback)


def host_name(authority: str) -> str | None:
    """The host of a ``Host`` header (``name``, ``name:port``, ``[v6]:port``), or None."""
    m = re.fullmatch(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[^:\[\]/@\s]+))(?::\d{1,5})?", authority.strip())
    if m is None:
        return None
    return (m["v6"] or m["name"]).lower().rstrip(".")


@dataclass(frozen=True)
class HostRule:
    """Which ``Host`` names a request may carry: the bound address (with the loopback names
    when it is loopback), any IP address and the loopback names when bound to all interfaces,
    and the names given."""

    bound: str
    names: tuple[str, ...] = ()

    def allows(self, name: str | None) -> bool:
        if not name:
            return False
        bound = self.bound.lower()
        if name == bound or name in (n.lower() for n in self.names):
            return True
        if (_is_loopback(bound) or bound in WILDCARDS) and _is_loopback(name):
            return True
        return bound in WILDCARDS and _is_ip(name)


def same_origin(origin: str, host: str) -> bool:
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.strip().lower() and not parts.path


# -- the guard ---------------------------------------------------------------------------------

class Guard:
    """The application behind the listener: who may ask, and what is answered."""

    def __init__(self, options: ServeOptions, pool: Pool) -> None:
        self.options, self.pool = options, pool
        self.hosts = HostRule(options.host, options.allowed_hosts)

    # before the body is read
    def check(self, request: Request) -> Response | None:
        if "host" in request.repeated:
            return text(400, "more than one Host header")
        host = request.headers.get("host", "")
        target_host = urlsplit(request.target).netloc if "://" in request.target[:8] else host
        if not (self.hosts.allows(host_name(host)) and self.hosts.allows(host_name(target_host))):
            return text(421, f"this server does not answer for the host {host[:100]!r}")
        refusal = self._origin_refusal(request, host)
        if refusal is not None:
            return refusal
        return self._route_refusal(request)

    def _origin_refusal(self, request: Request, host: str) -> Response | None:
        origin = request.headers.get("origin")
        site = request.headers.get("sec-fetch-site", "")
        if origin is None:
            navigation = request.headers.get("sec-fetch-mode") == "navigate" and request.method in ("GET", "HEAD")
            if site in ("cross-site", "same-site") and not (navigation and request.path in PAGE_PATHS):
                return text(403, "cross-origin requests are refused (the operator can allow an origin with --cors)")
            return None
        if same_origin(origin, host) or self._cors_allows(origin):
            return None
        return text(403, f"requests from the origin {origin[:100]} are refused "
                         "(the operator can allow it with --cors ORIGIN)")

    def _cors_allows(self, origin: str | None) -> bool:
        return origin is not None and ("*" in self.options.cors or origin in self.options.cors)

    def _route_refusal(self, request: Request) -> Response | None:
        method, path = request.method, request.path
        if method == "OPTIONS":
            return None
        if path in READ_PATHS and method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "application/sparql-update":
                return text(403, "this endpoint is read-only")
            if kind not in QUERY_TYPES:
                return text(415, f"send the query as {' or '.join(QUERY_TYPES)}")
            return None
        if method in WRITE_METHODS and not (path == "/api/run" and method == "POST"):
            return text(403, "this endpoint is read-only")
        if method not in ("GET", "HEAD", "POST"):
            return text(405, f"method {method[:20]} is not allowed", ("Allow", "GET, HEAD, POST, OPTIONS"))
        return None

    def extra_headers(self, request: Request | None) -> list[tuple[str, str]]:
        headers = [("Cache-Control", "no-store"), ("Referrer-Policy", "no-referrer")]
        origin = request.headers.get("origin") if request else None
        if request is not None and self._cors_allows(origin) and not same_origin(origin, request.headers.get("host", "")):
            headers += [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
        return headers

    # after the body is read
    async def handle(self, request: Request) -> Response:
        method, path = request.method, request.path
        if method == "OPTIONS":
            return self._preflight(request)
        if path in PAGE_PATHS and method in ("GET", "HEAD"):
            return Response(200, query_page(), "text/html; charset=utf-8",
                            (("Content-Security-Policy", PAGE_CSP), ("X-Frame-Options", "DENY")))
        if path == "/health":
            health = self.pool.health()
            return Response(200 if health["ready"] + health["busy"] else 503, json.dumps(health).encode(),
                            "application/json")
        if path == "/api/library":
            return Response(200, json.dumps(library_json(), ensure_ascii=False).encode("utf-8"), "application/json")
        if path == "/api/run" and method == "POST":
            return await self._run_page_query(request)
        if path in READ_PATHS:
            return await self._protocol_query(request)
        return text(404, "not found; the SPARQL endpoint is /query")

    def _preflight(self, request: Request) -> Response:
        if not self._cors_allows(request.headers.get("origin")):
            return text(403, "cross-origin requests are refused (the operator can allow an origin with --cors)")
        return Response(204, headers=(("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                                      ("Access-Control-Allow-Headers", "Content-Type, Accept"),
                                      ("Access-Control-Max-Age", "600")))

    async def _protocol_query(self, request: Request) -> Response:
        try:
            form = protocol_form(request)
        except RefusedQuery as e:
            return text(403 if "read-only" in str(e) else 400, str(e))
        accept = request.headers.get("accept") or "*/*"
        return await self._query(form, request.headers["host"], accept)

    async def _run_page_query(self, request: Request) -> Response:
        """The page's queries: library parameters bound, prefixes added, error positions
        given in the user's own text."""
        try:
            fields = _parse_form(request.body)
            sparql, added = page_query(fields)
        except (RefusedQuery, KGError) as e:
            return text(400, getattr(e, "message", None) or str(e))
        response = await self._query({"query": [sparql]}, request.headers["host"], PAGE_ACCEPT)
        if response.status == 400 and added:
            return Response(400, shift_error_lines(response.body, added), response.content_type, response.headers)
        return response

    async def _query(self, form: dict[str, list[str]], host: str, accept: str) -> Response:
        try:
            for query in form.get("query", []):
                check_services(query, tuple(h.lower() for h in self.options.allow_service))
            answer = await self.pool.query(form, host, accept, wait_s=self.options.timeout_s,
                                           max_bytes=self.options.max_bytes)
        except RefusedQuery as e:
            return text(400, str(e))
        except Unavailable as e:
            return text(503, f"{e}; retry in {e.retry_after} s", ("Retry-After", str(e.retry_after)))
        except QueryTimeout:
            return text(504, f"the query was stopped after {self.options.timeout_s} s; narrow it down or add a LIMIT")
        except AnswerTooLarge:
            return text(413, f"the answer exceeds {self.options.max_bytes} bytes; add a LIMIT")
        except BackendFailed:
            return text(502, "the query engine failed on this query")
        return Response(answer.status, answer.body, answer.content_type)


def _parse_form(body: bytes) -> dict[str, list[str]]:
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=200)
    except (UnicodeDecodeError, ValueError) as e:
        raise RefusedQuery(f"the form cannot be read: {e}") from e


def protocol_form(request: Request) -> dict[str, list[str]]:
    """The SPARQL 1.1 Protocol fields of a query request (query, default-graph-uri,
    named-graph-uri), from the URL, a form body or a ``application/sparql-query`` body."""
    fields = _parse_form(request.query.encode("latin-1"))
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            try:
                fields["query"] = [request.body.decode("utf-8")]
            except UnicodeDecodeError as e:
                raise RefusedQuery("the query is not UTF-8 text") from e
        else:
            fields = {**fields, **_parse_form(request.body)}
    if "update" in fields:
        raise RefusedQuery("this endpoint is read-only")
    if len(fields.get("query", [])) != 1:
        raise RefusedQuery("send exactly one query (SPARQL 1.1 Protocol: ?query=… or a POST body)")
    return {k: v for k, v in fields.items() if k in ("query", "default-graph-uri", "named-graph-uri")}


def page_query(fields: dict[str, list[str]]) -> tuple[str, int]:
    """The SPARQL the page asked for, and how many lines of prefixes were put before it:
    ``query`` (text) and/or ``name`` (a library query, whose declared parameters are read from
    ``param.NAME`` fields and bound as RDF terms)."""
    from kg.query import library, with_prefixes

    name = (fields.get("name") or [""])[0]
    sparql = (fields.get("query") or [""])[0]
    bindings = {}
    if name:
        lib = library()
        if name not in lib:
            raise QueryError(f"no library query {name!r}")
        values = {k[len("param."):]: v[0] for k, v in fields.items() if k.startswith("param.")}
        sparql = sparql or lib[name].text
        bindings = lib[name].bindings(values)
    if not sparql.strip():
        raise QueryError("the query is empty")
    bound = bind_values(sparql, bindings)
    full = with_prefixes(bound)
    return full, full.count("\n") - bound.count("\n")


def shift_error_lines(body: bytes, added: int) -> bytes:
    """``error at 14:55`` in the prefixed text is ``error at 1:55`` in the user's."""
    def shift(m: re.Match) -> str:
        return f"error at {max(1, int(m[1]) - added)}:{m[2]}"
    return re.sub(r"error at (\d+):(\d+)", shift, body.decode("utf-8", "replace")).encode("utf-8")


def library_json() -> dict:
    from kg.query import library
    from kg.vocab import PREFIXES

    queries = [{"name": q.name, "title": q.title, "description": q.description, "text": q.text,
                "params": [{"name": p.name, "type": p.type, "default": (p.default or "").strip('"'), "help": p.help}
                           for p in q.params]}
               for q in library().values()]
    return {"prefixes": {p: str(ns) for p, ns in PREFIXES.items()}, "queries": queries}


def query_page() -> bytes:
    """The page, with the syntax highlighter it ships with (Prism, ``kg/templates/vendor``) inlined,
    so that it is one self-contained document."""
    templates = resources.files("kg") / "templates"
    prism = (templates / "vendor" / "prism-sparql.js").read_text(encoding="utf-8")
    if "</script" in prism.lower():
        raise RuntimeError("the vendored highlighter would end its script element")
    page = (templates / "query.html").read_text(encoding="utf-8")
    return page.replace("<!-- kg:prism -->", f"<script>\n{prism}</script>", 1).encode("utf-8")


# -- running it ---------------------------------------------------------------------------------

class Server:
    """The endpoint: Oxigraph backends behind the guard, on an event loop of its own thread.
    ``start()``, ``stop()``, or use as a context; ``run()`` is the command line's way."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.address: tuple[str, int] | None = None
        self.thread: threading.Thread | None = None
        self.exit_reason: str | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop = asyncio.Event()  # bound to the serving loop when first awaited
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        host = self.options.host if ":" not in self.options.host else f"[{self.options.host}]"
        if host in WILDCARDS or host == "[::]":
            host = "127.0.0.1"
        return f"http://{host}:{self.address[1] if self.address else self.options.port}"

    async def serve(self, on_ready=None) -> str | None:
        """Run until ``stop()`` (None) or until the backends fail for good (the reason)."""
        if not self.options.location or not Path(self.options.location).is_dir():
            raise StoreError(f"no store at {self.options.location}", "run `kg ingest` first, or pass --store DIR")
        self._loop = asyncio.get_running_loop()
        pool = Pool(self.options.location, self.options.workers, self.options.timeout_s, self.options.max_failures,
                    refresh_s=self.options.refresh_s)
        await pool.start()
        listener = Listener(Guard(self.options, pool), self.options.limits())
        try:
            try:
                self.address = await listener.start(self.options.host, self.options.port)
            except OSError as e:
                raise StoreError(f"cannot listen on {self.options.host}:{self.options.port}: {e.strerror}",
                                 "choose another --port") from e
            if on_ready:
                on_ready(self)
            stopped, failed = asyncio.create_task(self._stop.wait()), asyncio.create_task(pool.failed())
            await asyncio.wait([stopped, failed], return_when=asyncio.FIRST_COMPLETED)
            self.exit_reason = failed.result() if failed.done() else None
            stopped.cancel(), failed.cancel()
            await listener.close()
        finally:
            await pool.close()
        return self.exit_reason

    def start(self) -> Server:
        self.thread = threading.Thread(target=self._thread, daemon=True, name="kg-serve")
        self.thread.start()
        self._ready.wait()
        if self._error is not None:
            self.thread.join()
            raise self._error
        return self

    def _thread(self) -> None:
        try:
            asyncio.run(self.serve(on_ready=lambda _: self._ready.set()))
        except BaseException as e:  # reported to start()
            self._error = e
        finally:
            self._ready.set()

    def stop(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            try:
                self._loop.call_soon_threadsafe(self._stop.set)
            except RuntimeError:  # the loop has ended already
                pass
        if self.thread is not None:
            self.thread.join(30)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def run(options: ServeOptions, announce=print) -> int:
    """Serve in the foreground until SIGTERM, SIGINT or SIGHUP (0), or until the backends fail
    for good (4, after saying why)."""
    server = Server(options)

    async def main() -> str | None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.add_signal_handler(sig, server._stop.set)
        return await server.serve(on_ready=lambda s: announce(
            f"serving {options.location} read-only at {s.url}/ (SPARQL: {s.url}/query); Ctrl-C stops"))

    reason = asyncio.run(main())
    if reason:
        print(f"kg: error: {reason}; kg serve stops", file=sys.stderr)
        return StoreError.exit_code
    return 0
