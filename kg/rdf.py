"""The one module that writes triples: an ``Extraction`` becomes the named graph of its article.

Everything an article says lives in its own graph (``kg.resolve.graph_iri``), so re-ingesting
an article replaces exactly its facts. Provenance: each event ``prov:wasDerivedFrom`` its
article; each event, participation, document, date and place has a Web Annotation whose
target selects the characters (and the sentence) that state it; the extraction run records
the extractor's version and time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as _ns

from kg import model, resolve, vocab
from kg.model import (EXTRACTOR_VERSION, Country, Document, Event, Extraction, Mention, Organization, Participation,
                      Place, Topic)
from kg.vocab import ID, PREFIXES, nt


class _Terms:
    """A namespace whose terms are looked up once: rdflib resolves ``NS.term`` anew on every
    access (and a closed namespace checks it), which is most of the cost of writing a graph.
    Unknown terms still fail loudly, on first use."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return self._namespace[name]


DIPLO, OA, ORG, SCHEMA, SEM = (_Terms(n) for n in (vocab.DIPLO, vocab.OA, vocab.ORG, vocab.SCHEMA, vocab.SEM))
OWL, PROV, RDF, SKOS, XSD = (_Terms(n) for n in (_ns.OWL, _ns.PROV, _ns.RDF, _ns.SKOS, _ns.XSD))

EVENT_CLASSES = {t: DIPLO[c] for t, c in model.EVENT_CLASSES.items()}
DOCUMENT_CLASSES = {t: DIPLO[c] for t, c in model.DOCUMENT_CLASSES.items()}
ORG_CLASSES = {"Ministry": [DIPLO.Ministry, SCHEMA.GovernmentOrganization],
               "Government": [DIPLO.Government, SCHEMA.GovernmentOrganization],
               "IntlOrg": [DIPLO.InternationalOrganization], "Company": [SCHEMA.Corporation],
               "Media": [SCHEMA.NewsMediaOrganization]}
SOFTWARE = ID["software/kg"]
RU = "ru"


def new_graph(identifier: URIRef | None = None) -> Graph:
    g = Graph(identifier=identifier)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


class ArticleGraph:
    """The triples of one named graph, kept as a plain ordered set: cheaper to build than an
    rdflib Graph, written to the store as N-Triples, and turned into a Graph on demand."""

    def __init__(self, identifier: URIRef) -> None:
        self.identifier = identifier
        self._triples: dict[tuple, None] = {}

    def add(self, triple: tuple) -> None:
        self._triples[triple] = None

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self):
        return iter(self._triples)

    def ntriples(self) -> str:
        return "\n".join(f"{nt(s)} {nt(p)} {nt(o)} ." for s, p, o in self._triples)

    def to_graph(self) -> Graph:
        g = new_graph(self.identifier)
        for triple in self._triples:
            g.add(triple)
        return g


class GraphWriter:
    """Writes one article's extraction into a fresh rdflib Graph."""

    def __init__(self, extraction: Extraction, extracted_at: datetime | None = None,
                 extractor_version: str | None = None, gazetteer=None, resolver: resolve.Resolver | None = None) -> None:
        self.resolver = resolver or resolve.Resolver()
        self.resolver.begin_article()
        self.x = extraction
        self.article = extraction.article
        self.art = resolve.article_iri(self.article.id)
        self.g = ArticleGraph(resolve.graph_iri(self.article.id))
        self._sentences: dict[int, URIRef] = {}
        self.when = extracted_at or datetime.now(timezone.utc).replace(microsecond=0)
        self.version = extractor_version or EXTRACTOR_VERSION
        self.gaz = gazetteer
        self._annotations = 0
        self._written: set[URIRef] = set()

    def add(self, s, p, o) -> None:
        if o is not None and o != "":
            self.g.add((s, p, o))

    def text(self, value: str | None) -> Literal | None:
        return Literal(value, lang=RU) if value else None

    def build(self) -> ArticleGraph:
        self.write_article()
        for event in self.x.events:
            self.write_event(event)
        return self.g

    # -- article and provenance ------------------------------------------------------------

    def write_article(self) -> None:
        a, art = self.article, self.art
        self.add(art, RDF.type, SCHEMA.NewsArticle)
        self.add(art, SCHEMA.identifier, Literal(a.id))
        self.add(art, SCHEMA.headline, self.text(a.title))
        self.add(art, SCHEMA.articleBody, Literal(a.text, lang=RU))
        self.add(art, SCHEMA.articleSection, self.text(a.rubric))
        self.add(art, DIPLO.contentHash, Literal(a.content_hash))
        if a.encoding:
            self.add(art, DIPLO.sourceEncoding, Literal(a.encoding))
        if a.published:
            self.add(art, SCHEMA.datePublished, Literal(a.published.isoformat(timespec="minutes"),
                                                        datatype=XSD.dateTime))
        if a.url:
            self.add(art, SCHEMA.url, Literal(a.url, datatype=XSD.anyURI))
        for tag in a.tags:
            self.add(art, SCHEMA.keywords, Literal(tag, lang=RU))
        if a.source:
            publisher = self.organization(Organization(a.source, kind="Media"))
            self.add(art, SCHEMA.publisher, publisher)
        for author in a.authors:
            person = ID[f"person/{resolve.slug(author)}"]
            self.add(person, RDF.type, SCHEMA.Person)
            self.add(person, SCHEMA.name, self.text(author))
            self.add(art, SCHEMA.author, person)
        run = ID[f"run/{resolve.safe_id(a.id)}"]
        self.add(run, RDF.type, DIPLO.ExtractionRun)
        self.add(run, RDF.type, PROV.Activity)
        self.add(run, PROV.used, art)
        self.add(run, PROV.wasAssociatedWith, SOFTWARE)
        self.add(run, PROV.endedAtTime, Literal(self.when.isoformat(), datatype=XSD.dateTime))
        self.add(run, DIPLO.extractorVersion, Literal(self.version))
        self.add(art, PROV.wasGeneratedBy, run)  # the article's graph, strictly; kept simple
        self.add(SOFTWARE, RDF.type, PROV.SoftwareAgent)
        self.add(SOFTWARE, SCHEMA.name, Literal("kg"))

    def annotate(self, body: URIRef, m: Mention | None, prop: URIRef | None = None) -> None:
        """A Web Annotation: this body (or this property of it) is stated by these characters."""
        if m is None:
            return
        self._annotations += 1
        ann = ID[f"annotation/{resolve.safe_id(self.article.id)}/{self._annotations}"]
        target = URIRef(f"{ann}#target")
        self.add(ann, RDF.type, OA.Annotation)
        self.add(ann, OA.hasBody, body)
        self.add(ann, DIPLO.statesProperty, prop)
        self.add(ann, OA.hasTarget, target)
        self.selectors(target, m.start, m.end, m.text)
        self.add(ann, DIPLO.inSentence, self.sentence(m.sentence_start, m.sentence_end))

    def sentence(self, start: int, end: int) -> URIRef:
        """One resource per sentence of the article, shared by the annotations it supports."""
        iri = self._sentences.get(start)
        if iri is None:
            iri = self._sentences[start] = ID[f"sentence/{resolve.safe_id(self.article.id)}/{start}-{end}"]
            self.selectors(iri, start, end, self.article.text[start:end])
        return iri

    def selectors(self, target: URIRef, start: int, end: int, exact: str) -> None:
        self.add(target, RDF.type, OA.SpecificResource)
        self.add(target, OA.hasSource, self.art)
        position, quote = URIRef(f"{target}-position"), URIRef(f"{target}-quote")
        self.add(target, OA.hasSelector, position)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(start, datatype=XSD.integer))
        self.add(position, OA.end, Literal(end, datatype=XSD.integer))
        self.add(target, OA.hasSelector, quote)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(exact))

    # -- entities --------------------------------------------------------------------------

    def first_time(self, iri: URIRef) -> bool:
        """Whether the entity's description is still to be written in this graph."""
        if iri in self._written:
            return False
        self._written.add(iri)
        return True

    def country(self, c: Country | None) -> URIRef | None:
        if c is None:
            return None
        iri = resolve.country_iri(c)
        if not self.first_time(iri):
            return iri
        self.add(iri, RDF.type, SCHEMA.Country)
        self.add(iri, SCHEMA.name, self.text(c.name))
        self.same_as(iri, c.gid)
        return iri

    def place(self, p: Place) -> URIRef:
        iri = resolve.place_iri(p)
        self.add(iri, RDF.type, {"Country": SCHEMA.Country, "Region": DIPLO.Region}.get(p.kind, SCHEMA.City))
        self.add(iri, RDF.type, SCHEMA.Place)
        self.add(iri, SCHEMA.name, self.text(p.name))
        self.add(iri, SCHEMA.containedInPlace, self.country(p.country))
        self.same_as(iri, p.gid)
        return iri

    def organization(self, o: Organization) -> URIRef:
        iri = resolve.org_iri(o)
        if not self.first_time(iri):
            return iri
        self.add(iri, RDF.type, ORG.Organization)
        for cls in ORG_CLASSES.get(o.kind, [SCHEMA.Organization]):
            self.add(iri, RDF.type, cls)
        self.add(iri, SCHEMA.name, self.text(o.name))
        self.add(iri, DIPLO.nameKey, Literal(resolve.name_key(o.name)))
        for alias in o.aliases:
            self.add(iri, SKOS.altLabel, self.text(alias))
        self.add(iri, DIPLO.country, self.country(o.country))
        self.same_as(iri, o.gid)
        return iri

    def party(self, p: Organization | Country) -> URIRef | None:
        return self.country(p) if isinstance(p, Country) else self.organization(p)

    def same_as(self, iri: URIRef, gid: str | None) -> None:
        """Gazetteer entities carry their Wikidata id."""
        if not gid or self.gaz is None:
            return
        entry = self.gaz.get(gid)
        if entry is not None and entry.wikidata:
            self.add(iri, OWL.sameAs, URIRef(entry.wikidata))

    # -- events ----------------------------------------------------------------------------

    def write_event(self, e: Event) -> None:
        ev = self.resolver.event(e, self.article.id)
        self.add(ev, RDF.type, EVENT_CLASSES.get(e.type, DIPLO.OtherEvent))
        self.add(ev, RDF.type, DIPLO.DiplomaticEvent)
        self.add(ev, SCHEMA.name, self.text(e.title))
        self.add(ev, PROV.wasDerivedFrom, self.art)
        if e.date:
            self.add(ev, SCHEMA.startDate, Literal(e.date.isoformat(), datatype=XSD.date))
            self.annotate(ev, e.date_mention, SCHEMA.startDate)
        if e.location:
            self.add(ev, SCHEMA.location, self.place(e.location))
            self.annotate(ev, e.location_mention, SCHEMA.location)
        for m in e.mentions:
            self.annotate(ev, m)
        for c in e.countries:
            self.add(ev, DIPLO.cooperationBetween, self.country(c))
        for p in e.participants:
            self.write_participation(ev, e, p)
        for o in e.organizations:
            self.add(ev, DIPLO.involvedOrganization, self.organization(o))
        for d in e.documents:
            self.write_document(ev, d)
        for t in e.topics:
            self.add(ev, DIPLO.topic, self.topic(t))
        self.resolver.know_event(str(ev), e.type, e.date.isoformat() if e.date else None,
                                 str(resolve.place_iri(e.location)) if e.location else None,
                                 {str(self.resolver.person(p.person)) for p in e.participants}, {self.article.id})

    def write_participation(self, ev: URIRef, e: Event, p: Participation) -> None:
        person = self.resolver.person(p.person)
        self.resolver.know_person(str(person), p.person.name)
        node = URIRef(f"{ev}/participant/{resolve.slug(p.person.name)}")
        self.add(person, RDF.type, SCHEMA.Person)
        self.add(person, SCHEMA.name, self.text(p.person.name))
        self.add(person, DIPLO.nameKey, Literal(resolve.surname_of(p.person.name)))
        for alias in p.person.aliases:
            self.add(person, SKOS.altLabel, self.text(alias))
        if p.person.gender:
            self.add(person, SCHEMA.gender, SCHEMA.Female if p.person.gender == "Fem" else SCHEMA.Male)
        self.add(person, DIPLO.country, self.country(p.person.country))
        self.same_as(person, p.person.gid)
        self.add(ev, SCHEMA.attendee, person)
        self.add(ev, SEM.hasActor, person)
        self.add(ev, DIPLO.hasParticipation, node)
        self.add(node, RDF.type, DIPLO.Participation)
        self.add(node, DIPLO.participant, person)
        self.add(node, DIPLO.positionTitle, self.text(p.position))
        org = self.organization(p.organization) if p.organization else None
        self.add(node, DIPLO.onBehalfOf, org)
        self.add(node, DIPLO.country, self.country(p.country))
        if p.position:
            self.write_tenure(person, p, org, e)
        for m in p.mentions[:1]:
            self.annotate(node, m)

    def write_tenure(self, person: URIRef, p: Participation, org: URIRef | None, e: Event) -> None:
        """The post as a W3C ORG membership, attested on the event's date."""
        key = resolve.digest(p.position or "", str(org or ""), e.date.isoformat() if e.date else "", size=8)
        tenure = URIRef(f"{person}/tenure/{key}")
        self.add(tenure, RDF.type, DIPLO.Tenure)
        self.add(tenure, RDF.type, ORG.Membership)
        self.add(tenure, ORG.member, person)
        self.add(tenure, ORG.organization, org)
        self.add(tenure, DIPLO.positionTitle, self.text(p.position))
        if e.date:
            self.add(tenure, DIPLO.attestedOn, Literal(e.date.isoformat(), datatype=XSD.date))
        self.add(person, DIPLO.tenure, tenure)

    def write_document(self, ev: URIRef, d: Document) -> None:
        doc = resolve.document_iri(d)
        self.add(doc, RDF.type, DOCUMENT_CLASSES.get(d.type, DIPLO.OtherDocument))
        self.add(doc, RDF.type, DIPLO.SignedDocument)
        self.add(doc, SCHEMA.name, self.text(d.title))
        self.add(doc, DIPLO.signedAt, ev)
        for party in d.parties:
            self.add(doc, DIPLO.party, self.party(party))
        for m in d.mentions:
            self.annotate(doc, m)

    def topic(self, t: Topic) -> URIRef:
        iri = resolve.topic_iri(t)
        self.add(iri, RDF.type, SKOS.Concept)
        self.add(iri, SKOS.prefLabel, self.text(t.label))
        self.add(iri, SKOS.inScheme, resolve.TOPIC_SCHEME)
        if t.concept:
            self.add(iri, SKOS.broader, resolve.concept_iri(t.concept))
        return iri


def article_graph(extraction: Extraction, extracted_at: datetime | None = None, gazetteer=None,
                  resolver: resolve.Resolver | None = None) -> ArticleGraph:
    """The named graph holding everything one article states (``.to_graph()`` for rdflib).
    With a ``resolver`` that knows the store, people and events other articles reported
    get their existing IRIs."""
    return GraphWriter(extraction, extracted_at, gazetteer=gazetteer, resolver=resolver).build()


def topic_scheme(rows: Iterable[list[str]]) -> Graph:
    """The SKOS scheme of cooperation areas, from the topics lexicon."""
    g = new_graph()
    g.add((resolve.TOPIC_SCHEME, RDF.type, SKOS.ConceptScheme))
    g.add((resolve.TOPIC_SCHEME, SKOS.prefLabel, Literal("Области сотрудничества", lang=RU)))
    for row in rows:
        concept = resolve.concept_iri(row[0])
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.prefLabel, Literal(row[1], lang=RU)))
        g.add((concept, SKOS.inScheme, resolve.TOPIC_SCHEME))
        g.add((concept, SKOS.topConceptOf, resolve.TOPIC_SCHEME))
    return g

