"""The RDF store: an Oxigraph directory (default) or an in-memory Oxigraph store
(``:memory:``) in this process — ``kg.store.local`` — or any SPARQL 1.1 Query/Update
endpoint — ``kg.store.remote``. Both are a ``kg.store.base.Store``.

The code speaks rdflib (results, graphs); queries run in Oxigraph or on the server. The
default graph is the union of the named graphs, so queries need no ``GRAPH`` clause. Writing
an article replaces its named graph in one transaction, so a reader never sees half of an
article.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kg.config import ENDPOINT, STORE, UPDATE_ENDPOINT
from kg.store.base import FLUSH_EVERY, MEMORY, Store, store_size_bytes

__all__ = ["FLUSH_EVERY", "MEMORY", "Store", "open_store", "opened", "resolve_location", "store_size_bytes"]


def resolve_location(location: str | None = None) -> str:
    return location or STORE.value() or "./kg-store"


def open_store(location: str | None = None, endpoint: str | None = None,
               update_endpoint: str | None = None, create: bool = True) -> Store:
    """Open the store at ``location`` (a directory or ``:memory:``), or a remote endpoint.

    Defaults come from ``KG_STORE`` / ``KG_ENDPOINT`` / ``KG_UPDATE_ENDPOINT``."""
    endpoint = endpoint or ENDPOINT.value()
    if endpoint:
        from kg.store.remote import RemoteStore

        return RemoteStore(endpoint, update_endpoint or UPDATE_ENDPOINT.value() or endpoint)
    from kg.store.local import open_local

    return open_local(resolve_location(location), create)


@contextmanager
def opened(location: str | None = None, **kwargs) -> Iterator[Store]:
    store = open_store(location, **kwargs)
    try:
        yield store
    finally:
        store.close()
