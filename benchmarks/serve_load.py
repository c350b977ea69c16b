"""A bounded load test of ``kg serve`` on loopback: honest clients run the query library while
hostile ones send runaway queries and hold slow and idle connections.

    python benchmarks/serve_load.py                          # 60 s, synthetic 100,000-triple store
    python benchmarks/serve_load.py --duration 20 --triples 20000
    python benchmarks/serve_load.py --store ./kg-store       # an existing store

What runs, all against one ``kg serve`` process (a real listener, real Oxigraph backends):

- ``--honest`` clients, each going round the library (``kg/queries/*.rq`` with their default
  parameters, through ``POST /api/run`` as the query page sends them, one request at a time);
- two runaway clients, each sending a five-way cartesian product again as soon as the last
  one was stopped (``--timeout`` seconds);
- a slow-loris client: ``--slow`` connections, each sending one header line a second and
  never finishing its request, reopened when the server closes them;
- an idle client: ``--idle`` connections opened and left silent, reopened when closed.

It stops by itself after ``--duration`` seconds (every client loop checks the clock, every
socket has a timeout) and prints, per kind of client, requests, failures (for honest clients:
any answer but 200; for runaway ones: any answer but 504), p50 and p99 latency; then how often
the server closed slow and idle connections, and the backends' restarts from ``/health``.
Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def row(self, name: str, ok: int) -> str:
        n = len(self.latencies)
        failures = n - self.statuses.get(ok, 0)
        q = sorted(self.latencies)
        p50 = statistics.median(q) * 1000 if q else 0.0
        p99 = q[min(n - 1, int(0.99 * n))] * 1000 if q else 0.0
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return f"| {name} | {n} | {failures} | {p50:.0f} | {p99:.0f} | {codes} |"


def post(url: str, fields: dict, timeout: float) -> int:
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        e.read()
        return e.code
    except OSError:
        return 0  # no answer at all: refused, reset or timed out


def honest(base: str, names: list[str], offset: int, until: float, tally: Tally) -> None:
    k = offset
    while time.monotonic() < until:
        started = time.monotonic()
        tally.add(post(base + "/api/run", {"name": names[k % len(names)]}, 120), time.monotonic() - started)
        k += 1


def runaway(base: str, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        started = time.monotonic()
        tally.add(post(base + "/query", {"query": RUNAWAY}, 120), time.monotonic() - started)


def holder(address: tuple[str, int], count: int, until: float, trickle: bool, closed: list[int]) -> None:
    """Keep ``count`` connections open; a trickling one sends a header line a second."""
    socks: list[socket.socket | None] = [None] * count
    while time.monotonic() < until:
        for i in range(count):
            s = socks[i]
            if s is None:
                try:
                    s = socks[i] = socket.create_connection(address, timeout=2)
                    if trickle:
                        s.sendall(f"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: {address[0]}:{address[1]}\r\n".encode())
                except OSError:
                    socks[i] = None
                    continue
            try:
                if trickle:
                    s.sendall(b"X-Slow: 1\r\n")
                s.setblocking(False)
                if s.recv(4096) == b"":
                    raise ConnectionResetError
            except BlockingIOError:
                pass
            except OSError:
                closed[0] += 1
                s.close()
                socks[i] = None
                continue
            finally:
                if socks[i] is not None:
                    socks[i].setblocking(True)
        time.sleep(1.0)
    for s in socks:
        if s is not None:
            s.close()


def synthetic_store(workdir: Path, triples: int) -> Path:
    """A store of about ``triples`` quads shaped like kg's output (benchmarks/queries_1m.py)."""
    import pyoxigraph as ox

    from benchmarks.queries_1m import generate

    nq = workdir / "synth.nq"
    generate(nq, triples, seed=1)
    location = workdir / "store"
    store = ox.Store(str(location))
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return location


def start_server(store: Path, port: int, args) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port),
           "--workers", str(args.workers), "--timeout", str(args.timeout)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if "serving" not in line:
        raise SystemExit(f"kg serve did not start: {proc.stderr.read()}")
    return proc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, help="an existing store (default: a synthetic one)")
    ap.add_argument("--triples", type=int, default=100_000, help="size of the synthetic store (default 100,000)")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    ap.add_argument("--honest", type=int, default=4, help="honest clients (default 4)")
    ap.add_argument("--workers", type=int, default=4, help="kg serve --workers (default 4)")
    ap.add_argument("--timeout", type=int, default=5, help="kg serve --timeout, seconds (default 5)")
    ap.add_argument("--slow", type=int, default=20, help="slow-loris connections (default 20)")
    ap.add_argument("--idle", type=int, default=20, help="idle connections (default 20)")
    ap.add_argument("--no-hostile", action="store_true", help="honest clients only: the baseline")
    args = ap.parse_args()

    from kg.query import library
    from kg.serve import free_port

    with tempfile.TemporaryDirectory(prefix="kg-serve-load-") as tmp:
        store = args.store or synthetic_store(Path(tmp), args.triples)
        port = free_port()
        proc = start_server(store, port, args)
        base, address = f"http://127.0.0.1:{port}", ("127.0.0.1", port)
        names = [n for n in library() if n != "event-sources"]  # its key parameter has no default
        try:
            tallies = {"honest": Tally(), "runaway": Tally()}
            closed = {"slow": [0], "idle": [0]}
            until = time.monotonic() + args.duration
            threads = [threading.Thread(target=honest, args=(base, names, 5 * i, until, tallies["honest"]))
                       for i in range(args.honest)]
            if not args.no_hostile:
                threads += [threading.Thread(target=runaway, args=(base, until, tallies["runaway"])) for _ in range(2)]
                threads += [threading.Thread(target=holder, args=(address, args.slow, until, True, closed["slow"])),
                            threading.Thread(target=holder, args=(address, args.idle, until, False, closed["idle"]))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            health = json.loads(urllib.request.urlopen(base + "/health", timeout=10).read())
        finally:
            proc.terminate()
            rc = proc.wait(30)
    hostile = "no hostile clients" if args.no_hostile else (
        f"2 runaway clients, {args.slow} slow-loris and {args.idle} idle connections")
    print(f"kg serve load test: {args.duration:g} s on loopback, {args.honest} honest clients over "
          f"{len(names)} library queries, {hostile}; --workers {args.workers} --timeout {args.timeout}; store "
          f"{'given' if args.store else f'synthetic, {args.triples:,} triples'}; {os.cpu_count()} cores")
    print("\n| clients | requests | failures | p50 ms | p99 ms | answers |\n|---|---:|---:|---:|---:|---|")
    print(tallies["honest"].row("honest (library)", 200))
    print(tallies["runaway"].row("runaway (cartesian)", 504))
    print(f"\nslow-loris connections closed by the server: {closed['slow'][0]}; idle ones: {closed['idle'][0]}")
    print(f"backend restarts: {health['restarts']}; health at the end: {health['status']}; "
          f"kg serve exit code after SIGTERM: {rc}")


if __name__ == "__main__":
    main()
