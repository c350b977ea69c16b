"""Who takes part in a sentence's event: everyone named in a sentence that reports a new
event, and in other sentences those linked to a participation word ("провели", "принял
участие"); groups said by a plural post ("главы государств"); organizations that take part."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from kg.extract.events.records import Scene, Trigger
from kg.extract.events.triggers import factual, is_trigger
from kg.extract.orgs import is_media, organization
from kg.extract.people import PersonMention, PersonRecord, PostMention, post_at, resolve_post_mention
from kg.extract.text import feats, lemma, mention, phrase_root
from kg.model import Mention, Organization



def people_in(scene: Scene, sent: Span, k: int, kind: str, main: Trigger | None,
              plan_ids: set[int]) -> list[tuple[PersonRecord, Mention]]:
    """People taking part, named or said by a singular post without a name."""
    ctx, people = scene.ctx, scene.people
    out = []
    for m in people.person_at.values():
        if not (sent.start <= m.start < sent.end) or m.in_quote or m.start in plan_ids or m.start in scene.doc_tokens:
            continue
        if kind != "event" and not (_cued(scene, m) or _argument(scene, m, main)) or \
                kind == "event" and not _attached(scene, m, main):
            continue
        out.append((people.record_of[id(m)], mention(ctx.doc, m.start, m.end)))
    for pm in people.post_mentions:
        if pm.sent != k or pm.post.plural or pm.head.i in plan_ids:
            continue
        if kind != "event" and not (cued_token(scene, pm.head) or main is not None and _beside(scene, pm.head, main)):
            continue
        for record in resolve_post_mention(people.records, pm, pm.head.i):
            out.append((record, mention(ctx.doc, pm.post.start, pm.post.end)))
    return out


def group_people(scene: Scene, groups: Sequence[PostMention], kind: str,
                 pool: Sequence[PersonRecord]) -> list[tuple[PersonRecord, Mention]]:
    """"главы государств приняли участие": the current event's people (``pool``) with that post;
    "встреча президентов Казахстана и Азербайджана": the people named before with that post
    and one of those countries."""
    records = scene.people.records
    out = []
    for pm in groups:
        if kind != "event" and not cued_token(scene, pm.head):
            continue
        m = mention(scene.ctx.doc, pm.post.start, pm.post.end)
        if pm.post.countries:
            wanted = {c.iri for c in pm.post.countries}
            fits = [r for r in resolve_post_mention(records, pm, pm.head.i)
                    if r.country is not None and r.country.iri in wanted]
            fits += [r for r in records if r not in fits and r.country is not None
                     and r.country.iri in wanted and min(x.start for x in r.mentions) < pm.head.i
                     and r.post_for() is not None and r.post_for().kind == pm.post.kind]
            out.extend((r, m) for r in fits)
            continue
        members = [r for r in pool if r.post_for() is not None and r.post_for().kind == pm.post.kind]
        if not members and kind == "event":
            members = resolve_post_mention(records, pm, pm.head.i)
        out.extend((r, m) for r in members)
    return out


ARGUMENT_DEPS = ("nmod", "conj", "appos", "obl")


def _argument(scene: Scene, m: PersonMention, main: Trigger | None) -> bool:
    """"по итогам встречи А.Вебера и канцлера ФРГ А.Меркель", "после переговоров с Х": a name
    that depends on the frame's own event word (through names, posts and "и") is a participant
    of that event, wherever the event word stands in the sentence; so is the subject of the
    verb the event word is an adverbial of."""
    if main is None:
        return False
    ctx, people = scene.ctx, scene.people
    node, hops = ctx.doc[m.start], 0
    while node.head.i != node.i and hops < 6:
        parent, hops = node.head, hops + 1
        if main.start <= parent.i < main.end:
            return node.dep_ in ARGUMENT_DEPS
        if not (people.is_person(parent) or parent.i in people.post_tokens or post_at(ctx, parent) is not None
                or node.dep_ in ("conj", "flat:name", "appos")):
            break
        node = parent
    return _subject_beside(scene, m, main)


def _subject_beside(scene: Scene, m: PersonMention, main: Trigger) -> bool:
    """"После переговоров с Си Цзиньпином Владимир Путин заявил": the subject of the verb whose
    adverbial is the event (after, following, during it) took part in it."""
    return _beside(scene, scene.ctx.doc[m.start], main)


def _beside(scene: Scene, token: Token, main: Trigger) -> bool:
    node = token
    while node.head.i != node.i and node.dep_ in ("flat:name", "appos"):
        node = node.head
    trigger = main.head
    return node.dep_ == "nsubj" and trigger.dep_ == "obl" and trigger.head.i == node.head.i \
        and any(c.dep_ == "case" and lemma(c).lower() in scene.words.adverbial_preps for c in trigger.children)


def _cued(scene: Scene, m: PersonMention) -> bool:
    return cued_token(scene, scene.ctx.doc[m.end - 1])


def cued_token(scene: Scene, token: Token) -> bool:
    """Whether a person is linked to a word of taking part ("провели", "приняли участие",
    "в присутствии", "скрепили подписями") — unless the sentence says they sent words only."""
    lex = scene.ctx.lex
    if token.sent.start in scene.absent:
        return False
    node, hops = token, 0
    while hops < 5 and node.head.i != node.i:
        node = node.head
        hops += 1
        if lemma(node) in lex.sign_verbs or node.norm_ in lex.sign_verbs \
                or lemma(node) in scene.words.participation_nouns:
            return True
        if node.pos_ in ("VERB", "AUX"):
            return lemma(node) in lex.participation_verbs and factual(scene.ctx, node) \
                and feats(node).get("VerbForm") != "Inf"
    return False


def _reporter(scene: Scene, node: Token, verb: Token, main: Trigger | None) -> bool:
    """"Президенты созвонились, сообщил пресс-секретарь Берик Уали": the subject of a verb of
    saying whose clause does not hold the event is the source, not a participant ("На
    встрече министр отметил …" holds it: the minister took part)."""
    if not node.dep_.startswith("nsubj") or verb.pos_ not in ("VERB", "AUX") or main is None \
            or lemma(verb) not in scene.ctx.lex.speech_verbs:
        return False
    node, hops = main.head, 0  # is the verb over the event? (walk the heads: the edges
    while node.i != verb.i and node.head.i != node.i and hops < 50:  # of a non-projective tree lie)
        node, hops = node.head, hops + 1
    return node.i != verb.i


def _attached(scene: Scene, m: PersonMention, main: Trigger | None) -> bool:
    """A person named in a sentence that reports an event takes part unless the name hangs
    on a plain noun on its way to the verb ("показом драмы Адильхана Ержанова")."""
    ctx, people = scene.ctx, scene.people
    node, hops = ctx.doc[m.start], 0
    while node.head.i != node.i and hops < 8 and node.head.pos_ not in ("VERB", "AUX"):
        node, hops = node.head, hops + 1
    if node.head.i < m.start and _reporter(scene, node, node.head, main):  # "…, сообщил пресс-секретарь X"
        return False
    node, hops = ctx.doc[m.start], 0
    while node.head.i != node.i and hops < 8:
        parent, hops = node.head, hops + 1
        if parent.pos_ in ("VERB", "AUX") or is_trigger(ctx, parent) or parent.i in people.post_tokens \
                or lemma(parent) in scene.words.participation_nouns:
            return True
        if parent.pos_ in ("NOUN", "PROPN") and not people.is_person(parent) and \
                lemma(parent) not in ctx.lex.agent_nouns and node.dep_ in ("nmod",):
            return False
        node = parent
    return True


def organizations_in(scene: Scene, sent: Span, plan_ids: set[int]) -> list[tuple[Organization, Mention]]:
    """Organizations that take part: "представители X", "солисты X", or the subject of a
    participation or signing verb."""
    ctx = scene.ctx
    out = []
    for span in ctx.org_spans:
        if not (sent.start <= span.start < sent.end) or span.start in plan_ids or span.start in scene.doc_tokens:
            continue
        root = phrase_root(list(span))
        node = root
        while node.dep_ == "conj" and node.head.i != node.i:
            node = node.head  # "представители X и Y": Y hangs on X
        anchor = node.head
        agent = lemma(anchor) in ctx.lex.agent_nouns
        verb = _governor_verb(root) if root.dep_ in ("nsubj", "conj") else None
        signed = any(d.sent == ctx.sentence_index(span.start) for d in scene.documents)
        subject = verb is not None and (lemma(verb) in ctx.lex.participation_verbs
                                        or signed and lemma(verb) in ctx.lex.sign_verbs)
        if not (agent or subject):
            continue
        org = organization(ctx, list(span))
        if isinstance(org, Organization) and not is_media(ctx, org):
            out.append((org, mention(ctx.doc, span.start, span.end)))
    return out


def _governor_verb(token: Token) -> Token | None:
    node = token
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    head = node.head
    return head if head.pos_ in ("VERB", "AUX") else None
