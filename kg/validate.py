"""SHACL validation of the store (pySHACL) against ``ontology/shapes.ttl``.

The data graph is every article's named graph plus the topic scheme; the ontology is mixed
in so that class hierarchies count (a ``diplo:Meeting`` is a ``diplo:DiplomaticEvent``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.config import ontology_dir
from kg.errors import ModelError
from kg.store import Store
from kg.vocab import GRAPH, SCHEMA, SH


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str
    value: str | None = None


@dataclass
class Report:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    checked_triples: int = 0

    def summary(self, limit: int = 20) -> str:
        if self.conforms:
            return f"conforms: {self.checked_triples} triples checked, no violation"
        lines = [f"does not conform: {len(self.violations)} violations in {self.checked_triples} triples"]
        for message, n in Counter(v.message for v in self.violations).most_common():
            lines.append(f"  {n:5} × {message}")
        lines.append("first violations:")
        for v in self.violations[:limit]:
            value = f" (value {v.value})" if v.value else ""
            lines.append(f"  {v.severity}: {v.focus} {v.path}: {v.message}{value}")
        return "\n".join(lines)


def data_graph(store: Store) -> Graph:
    """The union of the article graphs and the topic scheme (not the gazetteers)."""
    skip = {str(GRAPH["gazetteer"]), str(GRAPH["ontology"])}
    g = Graph()
    for name in store.graph_names():
        if name not in skip:
            g += store.graph(name)
    return g


def load_shapes(path: Path | None = None) -> Graph:
    path = path or ontology_dir() / "shapes.ttl"
    try:
        return Graph().parse(path, format="turtle")
    except Exception as e:  # rdflib raises several parser exception types
        raise ModelError(f"cannot read the SHACL shapes {path}: {e}", "fix ontology/shapes.ttl") from e


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    from pyshacl import validate as shacl

    ontology = Graph().parse(ontology_dir() / "diplo.ttl", format="turtle")
    conforms, results, _ = shacl(data, shacl_graph=shapes if shapes is not None else load_shapes(),
                                 ont_graph=ontology, inference="none", allow_warnings=True, advanced=True)
    return Report(bool(conforms), _violations(results), len(data))


def validate(store: Store, shapes: Graph | None = None) -> Report:
    """Validate everything the articles put in the store."""
    return validate_graph(data_graph(store), shapes)


def _violations(results: Graph) -> list[Violation]:
    out = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        value = results.value(result, SH.value)
        out.append(Violation(str(results.value(result, SH.focusNode)), _path(results, result),
                             str(results.value(result, SH.resultMessage) or "constraint violated"),
                             str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                             str(value) if value is not None else None))
    return sorted(out, key=lambda v: (v.message, v.focus))


def _path(results: Graph, result) -> str:
    path = results.value(result, SH.resultPath)
    if isinstance(path, URIRef):
        return _short(str(path))
    return "(path)"


def _short(iri: str) -> str:
    for prefix, ns in (("schema:", str(SCHEMA)), ("diplo:", "https://w3id.org/kg-diplo/ontology#")):
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return f"<{iri}>"
