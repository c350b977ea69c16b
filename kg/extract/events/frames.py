"""Frame building: what one sentence says about an event — its main factual event word (the
one nearest the root of the parse), the type, and the sentence's date, place, people,
documents, organizations, countries and topics."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span

from kg.extract.dates import DateMention, find_dates
from kg.extract.documents import DocumentMention
from kg.extract.events.kinds import TYPE_PRIORITY
from kg.extract.events.participants import group_people, organizations_in, people_in
from kg.extract.events.places import event_place
from kg.extract.events.records import Frame, Scene, Trigger
from kg.extract.events.rules import Rule, Rules, always, const
from kg.extract.events.triggers import factual, find_triggers, future
from kg.extract.people import PersonRecord
from kg.extract.text import lemma
from kg.extract.topics import topics_in
from kg.model import Country

DATE_RANK = {"explicit": 4, "weekday": 3, "relative": 2, "same_day": 1, "vague": 0}


def build_frame(scene: Scene, k: int, sent: Span, pool: Sequence[PersonRecord]) -> Frame | None:
    """The frame of sentence ``k``; ``pool`` is the people of the current event (for "главы
    государств" said of them). None for a sentence that says nothing of an event."""
    ctx = scene.ctx
    triggers = find_triggers(scene, sent)
    facts = [t for t in triggers if t.factual]
    plan_ids = _plan_subtrees([t for t in triggers if not t.factual])
    main, kind = _main(facts)
    type_, sideline, new_marker = None, False, False
    if main is not None:
        type_ = frame_type(main, [t for t in facts if not t.ref] or [main])
        sideline = any(t.sideline for t in facts)
        new_marker = NEW_EVENT_MARKER.apply(scene, sent, main, kind)
    skip = plan_ids | ctx.dateline_tokens | scene.doc_tokens
    documents = tuple(d for d in scene.documents if d.sent == k and _signed(scene, d))
    people = people_in(scene, sent, k, kind, main, plan_ids)
    groups = tuple(pm for pm in scene.people.post_mentions
                   if pm.sent == k and pm.post.plural and pm.head.i not in plan_ids)
    people += group_people(scene, groups, kind, pool)
    orgs = organizations_in(scene, sent, plan_ids)
    topics = tuple(topics_in(ctx, sent))
    if kind == "addition" and not (people or documents or orgs or topics):
        return None
    if kind == "addition" and plan_ids and not documents and not people:
        topics = ()
    return Frame(k, kind, type=type_, triggers=tuple(facts), main=main, new_marker=new_marker, sideline=sideline,
                 date=_date(scene, sent, skip), place=event_place(scene, sent, skip, main), people=tuple(people),
                 groups=groups, documents=documents, orgs=tuple(orgs), topics=topics,
                 countries=tuple(_trigger_countries(scene, main)) if kind == "event" else ())


def _main(facts: list[Trigger]) -> tuple[Trigger | None, str]:
    """The main event word and the frame's kind: a new event's word nearest the root, else a
    word referring back to one, else none (the sentence may still add to the current event)."""
    candidates = [t for t in facts if not t.ref]
    if candidates:
        top = min(t.depth for t in candidates)
        main = min((t for t in candidates if t.depth <= top + 1),
                   key=lambda t: (t.depth, t.head.dep_ not in ("nsubj", "nsubj:pass", "obj", "ROOT"), t.start))
        return main, "event"
    if facts:
        return min(facts, key=lambda t: t.depth), "ref"
    return None, "addition"


def _plan_subtrees(plans: list[Trigger]) -> set[int]:
    ids = set()
    for t in plans:
        node = t.head
        while node.head.i != node.i and node.head.pos_ not in ("VERB", "AUX") and node.dep_ != "ROOT":
            node = node.head
        if node.head.pos_ in ("VERB", "AUX") and node.head.dep_ != "ROOT" or future(node.head):
            node = node.head
        ids.update(x.i for x in node.subtree)
    return ids


def frame_type(main: Trigger, triggers: list[Trigger]) -> str:
    """The frame's type by ``FRAME_TYPE``, from the main word and the event words near it."""
    types = [t.type for t in triggers if abs(t.depth - main.depth) <= 2 or t is main]
    return FRAME_TYPE.apply(main, triggers, types)


# -- the type of a frame: (main word, event words, types of those near it) → type ----------

def _summit_session(main: Trigger, triggers: list[Trigger], types: list[str]) -> bool:
    return main.type in ("Meeting", "Any") and any(t.type == "Summit" and t.head.head.i == main.head.i
                                                   for t in triggers)


def _vague(main: Trigger, triggers: list[Trigger], types: list[str]) -> bool:
    return main.type == "Any"


def _strongest_near(main: Trigger, triggers: list[Trigger], types: list[str]) -> str:
    return next((t for t in TYPE_PRIORITY if t in types and t != "Any"), "Any")


def _by_phone(main: Trigger, triggers: list[Trigger], types: list[str]) -> bool:
    return main.type in ("Meeting", "Visit") and "PhoneCall" in types


def _own_type(main: Trigger, triggers: list[Trigger], types: list[str]) -> str:
    return main.type


FRAME_TYPE = Rules("type of a frame", (
    Rule("a session of a summit", _summit_session, const("Summit"),
         "В Астане прошло заседание саммита глав государств Центральной Азии."),
    Rule("a vague word takes the strongest type near it", _vague, _strongest_near,
         "Мероприятие прошло в Астане в теплой атмосфере."),
    Rule("a meeting held by phone", _by_phone, const("PhoneCall"),
         "Президенты провели переговоры по телефону."),
    Rule("the main word's own type", always, _own_type,
         "Вчера в Ташкенте министры иностранных дел двух стран провели переговоры."),
))


# -- whether a frame marks its event as another one: (scene, sentence, main word, kind) → bool

def _later_opener(scene: Scene, sent: Span, main: Trigger, kind: str) -> bool:
    return any(lemma(t) in scene.words.new_event_openers for t in sent[:3])


def _same_day_opener(scene: Scene, sent: Span, main: Trigger, kind: str) -> bool:
    return any(lemma(sent[0]) == first and any(t.lower_ == day for t in sent[:5])
               for first, day in scene.words.day_openers)


def _other_adjective(scene: Scene, sent: Span, main: Trigger, kind: str) -> bool:
    return any(lemma(c) in scene.words.new_event_adjectives for c in main.head.children)


def _additive_opening(scene: Scene, sent: Span, main: Trigger, kind: str) -> bool:
    words = [t.lower_ for t in sent[:3] if not t.is_punct]
    return tuple(words[:2]) in scene.words.additive_openers and (
        kind == "event" or lemma(main.head.head) in scene.words.joining_nouns)  # "… принял участие во встрече"


NEW_EVENT_MARKER = Rules("marker of another event", (
    Rule("opened as later", _later_opener, const(True),
         "10 июня в Астане министры провели переговоры. Затем министр встретился с послом Японии."),
    Rule("opened as the same day", _same_day_opener, const(True),
         "10 июня в Астане министры провели переговоры. Также в этот день министр встретился с послом Японии."),
    Rule("called another", _other_adjective, const(True),
         "Вчера министр провел отдельную встречу с послом Японии."),
    Rule("opened as one more", _additive_opening, const(True),
         "10 июня в Астане министры провели переговоры. Кроме того, министр встретился с послом Японии."),
    Rule("no marker", always, const(False),
         "Вчера в Ташкенте министры иностранных дел двух стран провели переговоры."),
))


def _date(scene: Scene, sent: Span, skip: set[int]) -> DateMention | None:
    found = find_dates(sent, scene.ctx.published, skip)
    if not found:
        return None
    return max(found, key=lambda d: (DATE_RANK[d.kind], -d.start))


def _signed(scene: Scene, d: DocumentMention) -> bool:
    return d.verb is None or factual(scene.ctx, d.verb)


def _trigger_countries(scene: Scene, main: Trigger | None) -> list[Country]:
    if main is None:
        return []
    ctx = scene.ctx
    out = []
    for t in main.head.subtree:
        match = ctx.country_at.get(t.i)
        if match is not None and match.label == "Country" and t.i not in scene.people.post_tokens:
            c = Country(match.entry.label, match.entry.iri)
            if c not in out:
                out.append(c)
    return out
