"""The remote backend: a SPARQL 1.1 Protocol server (Oxigraph server, Fuseki, Virtuoso,
GraphDB), spoken to over HTTP. Its default graph should be the union of the named graphs
(Oxigraph: ``--union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph true``)."""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.parse
import urllib.request

from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result

from kg.errors import QueryError, StoreError
from kg.queries import internal
from kg.store.base import Store, bound

TIMEOUT = 300.0  # seconds, for a request with no time limit of its own


class RemoteStore(Store):
    """A SPARQL endpoint: queries to ``query_url``, updates to ``update_url``."""

    def __init__(self, query_url: str, update_url: str | None = None) -> None:
        super().__init__(query_url)
        self.query_url, self.update_url = query_url, update_url or query_url

    def query(self, sparql: str, bindings: dict | None = None, timeout: float | None = None) -> Result:
        sparql = inline_bindings(sparql, bindings or {})
        if re.search(r"\b(CONSTRUCT|DESCRIBE)\b", _strip_prologue(sparql), re.I):
            data = self._post(self.query_url, "query", sparql, "application/n-triples", timeout)
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=data.decode("utf-8"), format="nt")
            return result
        data = self._post(self.query_url, "query", sparql, "application/sparql-results+json", timeout)
        return Result.parse(io.BytesIO(data), format="json")

    def update(self, sparql: str) -> None:
        self._post(self.update_url, "update", sparql, "*/*", None)

    def _write_graph(self, name: URIRef, ntriples: str, new: bool) -> None:
        self.update(f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{ntriples}\n}} }}")

    def _dataset(self) -> Dataset:
        dataset = bound(Dataset())
        for row in self.query(internal("store-quads")):
            dataset.graph(row[3]).add((row[0], row[1], row[2]))
        return dataset

    def _post(self, url: str, field: str, text: str, accept: str, timeout: float | None) -> bytes:
        data = urllib.parse.urlencode({field: text}).encode("utf-8")
        request = urllib.request.Request(url, data=data, headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=timeout or TIMEOUT) as response:
                return response.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(f"{url} answered {e.code}: {detail[0] if detail else e.reason}") from e
        except (urllib.error.URLError, OSError) as e:
            if isinstance(e, TimeoutError) or isinstance(getattr(e, "reason", None), TimeoutError):
                raise QueryError(f"the endpoint did not answer in {timeout or TIMEOUT:g} s",
                                 "narrow the query down, add a LIMIT, or raise --timeout") from e
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {getattr(e, 'reason', e)}",
                             "is the server running? check --endpoint") from e


def _strip_prologue(sparql: str) -> str:
    return re.sub(r"(?im)^\s*(PREFIX|BASE)\b[^\n]*$|#[^\n]*", "", sparql)


def inline_bindings(sparql: str, bindings: dict) -> str:
    """Give the values as ``VALUES`` data at the start of the query's group (terms in
    N-Triples syntax, never pasted text): the server has no other way to receive them."""
    if not bindings:
        return sparql
    from kg.vocab import nt

    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(nt(term) for term in bindings.values())
    match = re.search(r"\bWHERE\s*\{", sparql, re.I) or re.search(r"\{", sparql)
    if match is None:
        raise QueryError("cannot bind parameters: the query has no group")
    return f"{sparql[:match.end()]} VALUES ({names}) {{ ({values}) }} {sparql[match.end():]}"
