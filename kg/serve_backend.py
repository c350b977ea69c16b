"""The Oxigraph processes behind ``kg serve``: a supervised pool of ``oxigraph serve-read-only``
backends on private loopback ports.

Each backend answers one query at a time, so a runaway query costs only the backend it runs on:
Oxigraph cannot stop a query in progress (its ``--timeout-s`` does not interrupt a join that
is still enumerating), so that backend is killed and a fresh one started in its place while the
others go on answering. A backend that dies is noticed at once (its supervisor waits on it) and
restarted with a growing delay; after ``max_failures`` failed starts in a row the pool gives up
and says why. Backends are started with a parent-death signal, so they die with the guard even
when it is killed with SIGKILL. When the store's files change (an ingest committed), the
backends are replaced one at a time, so queries see the newest committed state within seconds.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import h11

from kg.errors import StoreError

PR_SET_PDEATHSIG = 1
STABLE_S = 10.0  # a backend that lived this long before dying was not failing to start
LONG_QUERY_S = 1.0  # a query running this long yields the CPU to the others (nice 15)
LOW_PRIORITY = 15
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if not found:
        raise StoreError("the oxigraph server is not installed", "pip install oxigraph")
    return found


def _die_with_parent(parent: int):
    """A ``preexec_fn``: the child gets SIGKILL when the thread that started it ends (Linux)."""
    prctl = _libc.prctl if _libc is not None else None

    def preexec() -> None:
        os.setpgrp()  # a Ctrl-C in the guard's terminal reaches the guard only; the guard stops us
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)
    return preexec


class StartFailed(Exception):
    pass


class Unavailable(Exception):
    """No backend can take the query now; ``retry_after`` seconds is a fair wait."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class QueryTimeout(Exception):
    pass


class AnswerTooLarge(Exception):
    pass


class BackendFailed(Exception):
    pass


@dataclass(eq=False)
class Backend:
    proc: asyncio.subprocess.Process
    port: int
    started: float
    retired: bool = False  # killed on purpose: a runaway query, or the pool closing
    demoted: bool = False  # running at a low CPU priority since a long query
    generation: int = 0  # the store's state it opened (Pool.generation when it started)

    @property
    def alive(self) -> bool:
        return self.proc.returncode is None and not self.retired


@dataclass(eq=False)
class Slot:
    index: int
    state: str = "starting"  # starting | ready | busy | backoff | failed
    backend: Backend | None = None
    retry_at: float = 0.0
    restarts: int = 0


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


@dataclass(eq=False)
class Pool:
    location: str
    size: int = 4
    timeout_s: float = 30.0
    max_failures: int = 5
    backoff_s: tuple[float, float] = (0.25, 10.0)
    start_timeout_s: float = 20.0
    refresh_s: float = 2.0  # how often to look for a newer committed state of the store (0: never)
    slots: list[Slot] = field(default_factory=list)
    fatal: str | None = None
    last_error: str | None = None

    def __post_init__(self) -> None:
        self.slots = [Slot(i) for i in range(self.size)]
        self._idle: asyncio.Queue[Backend] = asyncio.Queue()
        self._tasks: list[asyncio.Task] = []
        self._first: list[asyncio.Future] = []
        self._closing = False
        self._failed = asyncio.Event()
        self.generation = 0

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Start every backend; returns when each has had its first try, raises StoreError
        when none of them could start."""
        loop = asyncio.get_running_loop()
        self._first = [loop.create_future() for _ in self.slots]
        self._tasks = [asyncio.create_task(self._supervise(s, f)) for s, f in zip(self.slots, self._first)]
        if self.refresh_s > 0:
            self._tasks.append(asyncio.create_task(self._watch()))
        await asyncio.gather(*self._first)
        if not any(s.state == "ready" for s in self.slots):
            await self.close()
            raise StoreError(f"oxigraph could not serve {self.location}: {self.last_error}")

    async def failed(self) -> str:
        """Wait until the pool gives up; the reason."""
        await self._failed.wait()
        return self.fatal or "the query backends failed"

    async def close(self) -> None:
        self._closing = True
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for slot in self.slots:
            if slot.backend is not None:
                await _stop(slot.backend)

    # -- supervision --------------------------------------------------------------------------

    async def _supervise(self, slot: Slot, first: asyncio.Future) -> None:
        failures = 0
        try:
            while not self._closing:
                try:
                    backend = await self._launch()
                except StartFailed as e:
                    failures += 1
                    self.last_error = str(e)
                    if not first.done():
                        first.set_result(None)
                    if not await self._back_off(slot, failures):
                        return
                    continue
                slot.backend, slot.state = backend, "ready"
                if not first.done():
                    first.set_result(None)
                self._idle.put_nowait(backend)
                rc = await backend.proc.wait()
                slot.backend = None
                slot.restarts += 1
                if self._closing:
                    return
                if backend.retired:
                    failures = 0
                    slot.state = "starting"
                    continue
                failures = failures + 1 if time.monotonic() - backend.started < STABLE_S else 1
                self.last_error = f"an oxigraph backend exited with code {rc}"
                print(f"kg serve: {self.last_error}; restarting it", file=sys.stderr)
                if not await self._back_off(slot, failures):
                    return
        finally:
            if not first.done():
                first.set_result(None)

    async def _back_off(self, slot: Slot, failures: int) -> bool:
        """Wait before the next start; False (and the pool failed) after too many failures."""
        if failures >= self.max_failures:
            slot.state = "failed"
            self.fatal = f"oxigraph failed {failures} times in a row: {self.last_error}"
            self._failed.set()
            return False
        low, high = self.backoff_s
        delay = min(high, low * 2 ** (failures - 1))
        slot.state, slot.retry_at = "backoff", time.monotonic() + delay
        await asyncio.sleep(delay)
        slot.state = "starting"
        return True

    async def _launch(self) -> Backend:
        if not Path(self.location).is_dir():
            raise StartFailed(f"the store directory {self.location} is gone")
        port, generation = free_port(), self.generation
        cmd = [oxigraph_binary(), "serve-read-only", "--location", self.location, "--bind", f"127.0.0.1:{port}",
               "--union-default-graph", "--timeout-s", str(max(1, int(self.timeout_s)))]
        with tempfile.TemporaryFile() as log:
            proc = await asyncio.create_subprocess_exec(
                *cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                preexec_fn=_die_with_parent(os.getpid()))
            deadline = time.monotonic() + self.start_timeout_s
            while proc.returncode is None and time.monotonic() < deadline:
                if await _answers(port):
                    return Backend(proc, port, time.monotonic(), generation=generation)
                await asyncio.sleep(0.05)
            if proc.returncode is None:
                await _stop(Backend(proc, port, 0.0))
                raise StartFailed(f"oxigraph did not start in {self.start_timeout_s:g} s")
            await proc.wait()
            log.seek(0)
            tail = log.read().decode("utf-8", "replace").strip().splitlines()
            raise StartFailed(tail[-1][-300:] if tail else f"oxigraph exited with code {proc.returncode}")

    async def _watch(self) -> None:
        """Follow the store: when its files change (an ingest committed), replace the backends,
        one idle backend a tick while another answers, so that queries see the newest committed
        state within seconds and the service never stops for it."""
        seen = _signature(self.location)
        while not self._closing:
            await asyncio.sleep(self.refresh_s)
            now = _signature(self.location)
            if now != seen:
                seen, self.generation = now, self.generation + 1
            stale = [s.backend for s in self.slots
                     if s.state == "ready" and s.backend is not None and s.backend.generation < self.generation]
            up = sum(s.state in ("ready", "busy") for s in self.slots)
            if stale and (up > 1 or self.size == 1):
                self.retire(stale[0])

    # -- queries ------------------------------------------------------------------------------

    def _any_alive(self) -> bool:
        return any(s.state in ("ready", "busy", "starting") for s in self.slots)

    def _retry_after(self) -> int:
        waits = [s.retry_at - time.monotonic() for s in self.slots if s.state == "backoff"]
        return int(min(waits, default=1.0)) + 1

    async def acquire(self, wait_s: float) -> Backend:
        """An idle backend, waiting up to ``wait_s`` for one; Unavailable when there is none."""
        deadline = time.monotonic() + wait_s
        while True:
            if self.fatal or not self._any_alive():
                raise Unavailable("the query service is restarting", self._retry_after())
            try:
                backend = await asyncio.wait_for(self._idle.get(), max(0.0, deadline - time.monotonic()))
            except (asyncio.TimeoutError, TimeoutError):
                raise Unavailable(f"all {self.size} query workers are busy", 1) from None
            if backend.alive:
                self._slot_of(backend).state = "busy"
                return backend

    def release(self, backend: Backend) -> None:
        if backend.alive and backend.generation < self.generation:
            self.retire(backend)  # it reads an older state of the store: a fresh one in its place
        elif backend.alive:
            self._slot_of(backend).state = "ready"
            self._idle.put_nowait(backend)

    def retire(self, backend: Backend) -> None:
        """Kill a backend stuck on a query; its supervisor starts a fresh one."""
        backend.retired = True
        if backend.proc.returncode is None:
            backend.proc.kill()

    def _slot_of(self, backend: Backend) -> Slot:
        return next(s for s in self.slots if s.backend is backend)

    async def query(self, form: dict[str, list[str]], host: str, accept: str, wait_s: float,
                    max_bytes: int) -> Answer:
        """Run one query (SPARQL Protocol form fields) on an idle backend, within the timeout."""
        backend = await self.acquire(wait_s)
        demote = asyncio.create_task(_demote_later(backend, LONG_QUERY_S))
        try:
            answer = await asyncio.wait_for(_ask(backend.port, form, host, accept, max_bytes), self.timeout_s)
            return _scrubbed(answer, backend.port) if answer.status >= 400 else answer
        except (asyncio.TimeoutError, TimeoutError):
            self.retire(backend)
            raise QueryTimeout from None
        except AnswerTooLarge:
            self.retire(backend)
            raise
        except (OSError, h11.ProtocolError) as e:
            raise BackendFailed(type(e).__name__) from e
        finally:
            demote.cancel()
            if backend.demoted and backend.alive and not _renice(backend.proc.pid, 0):
                self.retire(backend)  # a process may not raise its own priority again: a fresh one
            backend.demoted = False
            self.release(backend)

    def health(self) -> dict:
        states = [s.state for s in self.slots]
        counts = {state: states.count(state) for state in ("ready", "busy", "starting", "backoff", "failed")}
        up = counts["ready"] + counts["busy"]
        status = "failed" if self.fatal else "ok" if up == self.size else "degraded" if up else "down"
        return {"status": status, "workers": self.size, **counts, "restarts": sum(s.restarts for s in self.slots)}


async def _demote_later(backend: Backend, after_s: float) -> None:
    """A query still running after ``after_s`` gives way: the honest short queries on the other
    backends get the CPU first, while it goes on until its timeout."""
    await asyncio.sleep(after_s)
    backend.demoted = _renice(backend.proc.pid, LOW_PRIORITY) or backend.demoted


def _renice(pid: int, value: int) -> bool:
    """Set the CPU priority of every thread of a process (Linux keeps one per thread)."""
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            os.setpriority(os.PRIO_PROCESS, int(tid), value)
    except OSError:
        return False
    return True


def _signature(location: str) -> tuple:
    """What changes when a writer commits to the store directory: its files' names, sizes and
    modification times."""
    try:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(location)
                            if e.is_file()))
    except OSError:
        return ()


def _scrubbed(answer: Answer, port: int) -> Answer:
    """An error message without the backend's private address."""
    body = re.sub(rb"(127\.0\.0\.1|localhost|\[::1\]):%d\b" % port, b"the query engine", answer.body)
    return Answer(answer.status, answer.content_type, body)


async def _answers(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    return True


async def _stop(backend: Backend) -> None:
    backend.retired = True
    if backend.proc.returncode is None:
        backend.proc.terminate()
        try:
            await asyncio.wait_for(backend.proc.wait(), 5)
        except (asyncio.TimeoutError, TimeoutError):
            backend.proc.kill()
            await backend.proc.wait()


async def _ask(port: int, form: dict[str, list[str]], host: str, accept: str, max_bytes: int) -> Answer:
    """POST the form to the backend's /query; the answer, refused past ``max_bytes``. The
    client's Host is passed on, so that relative IRIs resolve against the public address."""
    from urllib.parse import urlencode

    body = urlencode([(k, v) for k, values in form.items() for v in values]).encode("utf-8")
    conn = h11.Connection(h11.CLIENT)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(conn.send(h11.Request(method="POST", target="/query", headers=[
            ("Host", host), ("Accept", accept), ("Content-Type", "application/x-www-form-urlencoded"),
            ("Content-Length", str(len(body))), ("Connection", "close")])))
        writer.write(conn.send(h11.Data(data=body)) + conn.send(h11.EndOfMessage()))
        await writer.drain()
        return await _read_answer(conn, reader, max_bytes)
    finally:
        writer.close()


async def _read_answer(conn: h11.Connection, reader: asyncio.StreamReader, max_bytes: int) -> Answer:
    response, chunks, size = None, [], 0
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(await reader.read(65536))
        elif isinstance(event, h11.Response):
            response = event
        elif isinstance(event, h11.Data):
            size += len(event.data)
            if size > max_bytes:
                raise AnswerTooLarge
            chunks.append(bytes(event.data))
        elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
            break
    if response is None:
        raise BackendFailed("no answer")
    headers = {k.decode().lower(): v.decode("latin-1") for k, v in response.headers}
    return Answer(response.status_code, headers.get("content-type", "application/octet-stream"), b"".join(chunks))
