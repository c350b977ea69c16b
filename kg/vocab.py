"""Namespaces, their prefixes, and terms in N-Triples syntax (``nt``). ``DIPLO`` is closed: it
lists exactly the terms of ``ontology/diplo.ttl`` (a test keeps the two in step), so a misspelt
term fails loudly at import or use."""

from __future__ import annotations

from rdflib import Literal, Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace, URIRef

BASE = "https://w3id.org/kg-diplo/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
DCT = Namespace("http://purl.org/dc/terms/")
WD = Namespace("http://www.wikidata.org/entity/")
SH = Namespace("http://www.w3.org/ns/shacl#")

__all__ = ["BASE", "ID", "GRAPH", "SCHEMA", "SEM", "ORG", "OA", "DCT", "WD", "SH", "DIPLO", "OWL", "PROV",
           "RDF", "RDFS", "SKOS", "XSD", "PREFIXES", "nt"]


class DIPLO(DefinedNamespace):
    """Terms of the kg diplomatic-events ontology (``ontology/diplo.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    DiplomaticEvent: URIRef
    Meeting: URIRef
    Visit: URIRef
    PhoneCall: URIRef
    Summit: URIRef
    Signing: URIRef
    CulturalEvent: URIRef
    OtherEvent: URIRef
    Participation: URIRef
    Tenure: URIRef
    SignedDocument: URIRef
    Agreement: URIRef
    Memorandum: URIRef
    Roadmap: URIRef
    Protocol: URIRef
    Declaration: URIRef
    Programme: URIRef
    Contract: URIRef
    OtherDocument: URIRef
    Ministry: URIRef
    Government: URIRef
    InternationalOrganization: URIRef
    Region: URIRef
    ExtractionRun: URIRef
    # properties
    hasParticipation: URIRef
    participant: URIRef
    positionTitle: URIRef
    onBehalfOf: URIRef
    country: URIRef
    cooperationBetween: URIRef
    involvedOrganization: URIRef
    signedAt: URIRef
    party: URIRef
    topic: URIRef
    attestedOn: URIRef
    tenure: URIRef
    statesProperty: URIRef
    inSentence: URIRef
    contentHash: URIRef
    nameKey: URIRef
    sourceEncoding: URIRef
    extractorVersion: URIRef
    officialName: URIRef
    officialNameGenitive: URIRef
    officialNameLocative: URIRef
    shortNameGenitive: URIRef
    shortNameLocative: URIRef
    adjective: URIRef
    isoCode: URIRef
    capital: URIRef
    government: URIRef
    portfolio: URIRef
    adminCentre: URIRef


PREFIXES = {"diplo": DIPLO._NS, "kgid": ID, "schema": SCHEMA, "sem": SEM, "org": ORG, "oa": OA, "prov": PROV,
            "skos": SKOS, "owl": OWL, "xsd": XSD, "rdfs": RDFS, "dct": DCT, "wd": WD}


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt(term) -> str:
    """A term in N-Triples syntax (rdflib's ``n3()`` abbreviates numbers, which changes types).
    The project's IRIs are built only from safe characters (``kg.resolve``), so they are
    written as they are."""
    if type(term) is URIRef:
        return f"<{term}>"
    if isinstance(term, Literal):
        text = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^<{term.datatype}>" if term.datatype else text
    return term.n3()
