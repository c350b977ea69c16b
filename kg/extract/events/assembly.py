"""Assembly: drafts become ``Event`` records — participants with their posts and
organizations, documents with their parties, the organizations and countries involved."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.documents import DocumentMention, signatories
from kg.extract.events.records import Draft, Scene
from kg.extract.orgs import from_entry, is_media, organization
from kg.extract.events.rules import Rule, Rules, always, const
from kg.extract.people import PersonRecord, PostMention, complete_post, post_organization
from kg.extract.text import lemma, mention
from kg.model import Country, Document, Event, Mention, Organization, Participation, Person



def event(scene: Scene, draft: Draft) -> Event:
    participations = [participation(scene, r, sent, m) for r, sent, m in draft.people.values()]
    documents = [document(scene, draft, d, participations) for d in draft.documents]
    orgs = organizations(scene, draft, participations, documents)
    found = countries(scene, draft, participations, documents)
    return Event(type=draft.type if draft.type != "Any" else "Other", title=draft.title, date=draft.date,
                 location=draft.place, countries=tuple(found), participants=tuple(participations),
                 organizations=tuple(orgs), documents=tuple(documents), topics=tuple(draft.topics),
                 mentions=tuple(draft.mentions), date_mention=draft.date_mention,
                 location_mention=draft.place_mention)


def participation(scene: Scene, record: PersonRecord, sent: int, m: Mention) -> Participation:
    ctx = scene.ctx
    country = record.country
    post = record.post_for(sent)
    if post is not None:
        post = complete_post(ctx, record, post)
    org_name, org_entry = post_organization(ctx, post, country) if post else (None, None)
    org = None
    if org_entry is not None:
        org = from_entry(ctx, org_entry)
    elif org_name:
        org = Organization(org_name, kind=_org_kind(post.kind, post.template),
                           country=Country(country.label, country.iri) if country else None)
    c = Country(country.label, country.iri) if country else None
    person = Person(record.name, record.aliases, record.gender, c, record.entry.iri if record.entry else None)
    mentions = tuple(dict.fromkeys([m] + [mention(ctx.doc, x.start, x.end) for x in record.mentions]))
    return Participation(person, post.position if post and post.position else None, org, c, mentions)


def document(scene: Scene, draft: Draft, d: DocumentMention, people: list[Participation]) -> Document:
    parties = list(d.parties) or _signer_parties(scene, draft, d, people)
    parties = signatories(scene.ctx, d, parties, people, countries(scene, draft, people, []))
    return Document(d.title, d.type, tuple(dict.fromkeys(parties)), (mention(scene.ctx.doc, d.start, d.end),))


def _signer_parties(scene: Scene, draft: Draft, d: DocumentMention, people: list[Participation]):
    """Parties from who signed: the organizations of the people who signed, the
    organizations named as signers, or the group a plural post names ("министры")."""
    ctx = scene.ctx
    out = []
    by_name = {p.person.name: p for p in people}
    for token in d.signers:
        ids = {t.i for t in token.subtree}
        persons = [r for r in scene.people.records if any(m.start in ids for m in r.mentions)]
        if persons:
            for r in persons:
                out.extend(_party_of(by_name.get(r.name)))
            continue
        spans = [span for span in ctx.org_spans if span.start in ids]
        if spans:
            out.extend(organization(ctx, list(span)) for span in spans)
            continue
        out.extend(_group_parties(scene, draft, d, token, people))
    return [p for p in out if p is not None]


def _party_of(p: Participation | None):
    if p is None:
        return []
    if p.organization is not None:
        return [p.organization]
    return [Country(p.country.name, p.country.gid)] if p.country else []


def _group_parties(scene: Scene, draft: Draft, d: DocumentMention, token: Token, people: list[Participation]):
    """The parties a group of signers stands for (``SIGNING_GROUP``): "министры подписали",
    "главы правительств двух стран скрепили подписями", "стороны подписали"."""
    so_far = {r.name for r, sent, _ in draft.people.values() if sent <= d.sent}
    group = Group(token, next((x for x in scene.people.post_mentions if x.post.start <= token.i < x.post.end), None),
                  [p for p in people if p.person.name in so_far], people)
    return SIGNING_GROUP.apply(scene, draft, group)


@dataclass(frozen=True)
class Group:
    """Signers named as a group: the word, the plural post it is part of (if any), the
    participants present when the document was signed, and all the event's participants."""

    token: Token
    post: PostMention | None
    present: list[Participation]
    people: list[Participation]


# -- the parties of a group of signers: (scene, draft, group) → parties ----------------------

def _members(scene: Scene, group: Group) -> list[Participation]:
    return [p for p in group.present if _kind_of(scene, p) == group.post.post.kind]


def _post_held_by_participants(scene: Scene, draft: Draft, group: Group) -> bool:
    return group.post is not None and bool(_members(scene, group))


def _their_parties(scene: Scene, draft: Draft, group: Group) -> list:
    return [x for p in _members(scene, group) for x in _party_of(p)]


def _heads_of_government(scene: Scene, draft: Draft, group: Group) -> bool:
    return group.post is not None and group.post.post.kind == "head_of_government"


def _the_governments(scene: Scene, draft: Draft, group: Group) -> list[Organization]:
    return _governments(scene, draft, group.people)


def _the_sides(scene: Scene, draft: Draft, group: Group) -> bool:
    return lemma(group.token) in scene.words.group_words or group.post is not None


def _everyone_present(scene: Scene, draft: Draft, group: Group) -> list:
    return [x for p in group.present for x in _party_of(p)]


SIGNING_GROUP = Rules("parties of a group of signers", (
    Rule("the participants with that post", _post_held_by_participants, _their_parties,
         "Вчера в Астане министр иностранных дел Казахстана Мурат Нуртлеу встретился с министром иностранных дел "
         "Узбекистана Бахтиёром Саидовым. Министры подписали Меморандум о сотрудничестве в области туризма."),
    Rule("heads of government, none of them named", _heads_of_government, _the_governments,
         "Вчера в Астане прошло заседание межправительственного совета Казахстана и Киргизии. Главы правительств "
         "двух стран подписали Соглашение о сотрудничестве в области транспорта."),
    Rule("the sides", _the_sides, _everyone_present,
         "Вчера в Астане министр иностранных дел Казахстана Мурат Нуртлеу встретился с министром иностранных дел "
         "Узбекистана Бахтиёром Саидовым. Стороны подписали Меморандум о сотрудничестве в области туризма."),
    Rule("no group", always, const([]),
         "Вчера в Астане прошли переговоры министров. Казахстан и Узбекистан подписали Соглашение о "
         "сотрудничестве в области транспорта."),
))


def _governments(scene: Scene, draft: Draft, people: list[Participation]) -> list[Organization]:
    govs = []
    for c in countries(scene, draft, people, []):
        gov = scene.ctx.gaz.government_of(c.gid) if c.gid else None
        if gov is not None:
            govs.append(from_entry(scene.ctx, gov))
    return govs


def _kind_of(scene: Scene, p: Participation) -> str | None:
    record = next((r for r in scene.people.records if r.name == p.person.name), None)
    post = record.post_for() if record else None
    return post.kind if post else None


def organizations(scene: Scene, draft: Draft, people: list[Participation], documents: list[Document]):
    out: list[Organization] = []
    for p in people:
        if p.organization is not None:
            out.append(p.organization)
    for d in documents:
        out.extend(x for x in d.parties if isinstance(x, Organization))
    out.extend(o for o, _ in draft.orgs)
    seen, result = set(), []
    for org in out:
        if org.kind == "Government" or org.name.lower() in seen or is_media(scene.ctx, org):
            continue
        seen.add(org.name.lower())
        result.append(org)
    return result


def countries(scene: Scene, draft: Draft, people: list[Participation], documents: list[Document]) -> list[Country]:
    out: list[Country] = []
    for p in people:
        if p.country:
            out.append(p.country)
    for d in documents:
        for party in d.parties:
            if isinstance(party, Country):
                out.append(party)
            elif party.country:
                out.append(party.country)
    out.extend(draft.countries)
    seen, result = set(), []
    for c in out:
        key = c.gid or c.name
        if key not in seen:
            seen.add(key)
            result.append(Country(_short(scene, c), c.gid))
    return result


def _short(scene: Scene, c: Country) -> str:
    entry = scene.ctx.gaz.get(c.gid)
    return entry.label if entry else c.name


def _org_kind(kind: str, template: str) -> str:
    if "{government}" in template:
        return "Government"
    if kind in ("minister", "deputy_minister"):
        return "Ministry"
    return "Organization"
