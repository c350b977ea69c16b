"""One writer and many readers on a store directory.

An Oxigraph (RocksDB) directory is opened read-write by one process at a time. Two things
follow, both kept here, apart from ``kg.store``'s reading and writing:

- the writer (``kg ingest``) watches that the directory it opened is still the one at that
  path — deleted or replaced mid-run, the writes go to files nobody will see again, so the
  run stops with a ``StoreError`` rather than report success — and flushes what it has
  committed at least every second (``watch``);
- readers (``kg query``, ``kg export``, ``kg viz``, ``kg validate``) that find the directory
  held by a writer read a snapshot of its last committed state: a checkpoint of the
  directory (hard links, taken in a fraction of a second) next to it, removed on close
  (``open_snapshot``). Every article is one transaction, so a snapshot holds whole articles.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kg.errors import StoreError
from kg.store import open_store
from kg.store.local import LocalStore

IDENTITY = "IDENTITY"  # RocksDB's file naming the database (a UUID)
SNAPSHOT_PREFIX = ".kg-snapshot-"
SNAPSHOT_TRIES = 5
FLUSH_SECONDS = 1.0  # how stale a reader's snapshot can be, at most, while an ingest runs


@dataclass(frozen=True)
class Identity:
    device: int
    inode: int
    name: bytes


def identity(path: Path) -> Identity | None:
    """What makes this directory this store, or None when it is gone."""
    try:
        info = path.stat()
        name = (path / IDENTITY).read_bytes() if (path / IDENTITY).exists() else b""
    except OSError:
        return None
    return Identity(info.st_dev, info.st_ino, name)


class Watch:
    """The writer's guard: its store directory is still in place, and what it committed is
    flushed to the directory's files at least every ``FLUSH_SECONDS``, where readers'
    snapshots find it (a snapshot holds what is flushed, not the write-ahead log)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.expected = identity(path)
        self.flushed = float("-inf")  # the first article is flushed at once

    def check(self, store) -> None:
        if identity(self.path) != self.expected:
            abandon(store)
            raise StoreError(f"the store directory {self.path} was deleted or replaced while this run wrote to it; "
                             "what the run wrote is not in the store",
                             "leave the store in place during kg ingest, then run it again")

    def wrote(self, store) -> None:
        """After each article: check the directory, and flush when due."""
        self.check(store)
        if time.monotonic() - self.flushed >= FLUSH_SECONDS:
            self._flush(store)

    def finish(self, store) -> None:
        """Flush the writes to disk and check, once more, that they went to the store."""
        self.check(store)
        self._flush(store)
        self.check(store)

    def _flush(self, store) -> None:
        try:
            store.flush()
        except Exception as e:
            self.check(store)  # a vanished directory explains the failure best
            raise StoreError(f"cannot write the store {self.path} to disk: {e}") from e
        self.flushed = time.monotonic()


def abandon(store) -> None:
    """Leave a store whose directory was deleted or replaced open for good. Closing it would
    have RocksDB write a new MANIFEST and CURRENT at the path — into whatever directory is
    there now, a restored backup perhaps — so its handle is kept alive on purpose."""
    import ctypes

    for attr in ("oxigraph", "dataset"):  # the Oxigraph handle and the rdflib view over it
        handle = getattr(store, attr, None)
        if handle is not None:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(handle))  # never freed, so never closed
            setattr(store, attr, None)


class _Unwatched:
    """Stores in memory or behind an endpoint: nothing on this machine to watch."""

    def check(self, store) -> None:
        return

    def wrote(self, store) -> None:
        return

    def finish(self, store) -> None:
        return


def watch(store) -> Watch | _Unwatched:
    """A guard for the store's directory (a no-op for memory stores and endpoints)."""
    if getattr(store, "remote", None) is not None or store.location == ":memory:":
        return _Unwatched()
    return Watch(Path(store.location))


def is_locked(error: BaseException) -> bool:
    return "lock" in str(error).lower()


class SnapshotStore(LocalStore):
    """A store read from a snapshot; closing it removes the snapshot."""

    def __init__(self, oxigraph, location: str, folder: Path) -> None:
        super().__init__(oxigraph, location)
        self.snapshot = folder

    def close(self) -> None:
        super().close()
        shutil.rmtree(self.snapshot, ignore_errors=True)

    def update(self, sparql: str) -> None:
        raise StoreError(f"{self.location} is being written by another process; this view is read-only")


def open_for_reading(location: str | None = None, endpoint: str | None = None,
                     update_endpoint: str | None = None, create: bool = False):
    """``kg.store.open_store`` for a reader: a directory held by a writer is read through a
    snapshot of its last committed state."""
    try:
        return open_store(location, endpoint=endpoint, update_endpoint=update_endpoint, create=create)
    except StoreError as e:
        if endpoint or not is_locked(e) or location in (None, ":memory:"):
            raise
        from kg.store import resolve_location

        return open_snapshot(Path(resolve_location(location)))


def open_snapshot(path: Path) -> SnapshotStore:
    """A read-only ``Store`` over a snapshot of the directory's last committed state, for a
    reader while a writer holds it. The snapshot lives next to the store (so that it is made
    of hard links) or, where that is not writable, in the temporary folder; it goes on close."""
    _remove_stale(path)
    folder = _snapshot_folder(path)
    try:
        _checkpoint(path, folder / "store")
        import pyoxigraph

        oxigraph = pyoxigraph.Store.read_only(str(folder / "store"))
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return SnapshotStore(oxigraph, str(path), folder)


def _snapshot_folder(path: Path) -> Path:
    prefix = f"{SNAPSHOT_PREFIX}{os.getpid()}-"
    try:
        return Path(tempfile.mkdtemp(prefix=prefix, dir=path.parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix=prefix))


def _checkpoint(path: Path, target: Path) -> None:
    """RocksDB checkpoint of a live directory; a file compacted away mid-way fails it, so retry."""
    import pyoxigraph

    for attempt in range(SNAPSHOT_TRIES):
        try:
            pyoxigraph.Store.read_only(str(path)).backup(str(target))
            return
        except OSError as e:
            error = e
        except RuntimeError as e:  # "Corruption: … No such file": a file compacted away meanwhile
            error = e
        shutil.rmtree(target, ignore_errors=True)
        time.sleep(0.05 * (attempt + 1))
    raise StoreError(f"cannot read the store at {path} while it is being written: {error}",
                     "try again in a moment")


def _remove_stale(path: Path) -> None:
    """Snapshots left by readers that died (their process is gone)."""
    for folder in path.parent.glob(SNAPSHOT_PREFIX + "*"):
        pid = folder.name[len(SNAPSHOT_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
