"""Merging into the story: each frame starts a new event unless it refers back to one
already reported ("по итогам переговоров", "в рамках заседания", "мероприятие"), or fits the
latest compatible event (same kind, no other date or place, no new people). Frames without
an event word add people, documents and topics to the current event."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kg.extract.dates import shift
from kg.extract.documents import DocumentMention
from kg.extract.events.frames import build_frame
from kg.extract.events.kinds import rank, types_fit
from kg.extract.events.records import Draft, Frame, Scene, Story, Trigger
from kg.extract.text import lemma, mention, nominative, tidy
from kg.model import Mention, Place

SAME_SETTING_DAYS = 3  # a later event this close to the story's date, with no place of its own, shares its place
NEW = "new"  # a frame's target: a new event


def tell(scene: Scene) -> Story:
    """The story of the article: every sentence's frame merged into its event."""
    story = Story()
    for k, sent in enumerate(scene.ctx.sentences):
        f = build_frame(scene, k, sent, story.current_people())
        if f is not None:
            story = add_frame(scene, story, f)
    return story


def add_frame(scene: Scene, story: Story, f: Frame) -> Story:
    target, f = _target(scene, story, f)
    if target is None:
        return story
    drafts = story.drafts
    if target == NEW:
        drafts, target = drafts + (new_draft(scene, story, f),), len(drafts)
    drafts = drafts[:target] + (absorb(scene, story.current_draft, drafts[target], f),) + drafts[target + 1:]
    return Story(drafts, target)


def _target(scene: Scene, story: Story, f: Frame) -> tuple[int | str | None, Frame]:
    current = story.current_draft
    if f.kind == "addition" and f.documents and f.date is not None and (
            f.date.kind == "same_day" or f.date.kind in ("explicit", "weekday")
            and (current is None or date_conflict(scene, current, current, f))):
        return NEW, replace(f, type="Signing")  # "А 13 ноября в Баку … было подписано Соглашение …"
    if f.kind == "event":
        target = None if (f.new_marker or f.sideline) else compatible(scene, story, f)
        return (NEW if target is None else target), f
    if f.kind == "ref" and f.new_marker and f.type not in (None, "Any"):
        return NEW, f  # "Затем … приняли участие в церемонии запуска …"
    if f.kind == "ref" and f.main is not None and f.main.joined and f.main.factual and f.type not in (None, "Any") \
            and lemma(f.main.head) in scene.words.session_words and (current is None or current.type != "Summit") \
            and any(c.dep_ == "nmod" and c.pos_ in ("NOUN", "PROPN") for c in f.main.head.children) \
            and not any(x.main is not None and trigger_key(scene, x.main) == trigger_key(scene, f.main)
                        for d in story.drafts for x in d.frames):
        return NEW, f  # "… приняли участие в заседании делового совета": a body's session not yet reported
    if f.kind == "ref" and f.type == "Any" and not story.drafts and f.people and f.main is not None \
            and f.main.factual:
        return NEW, replace(f, type="Other")  # "С афганской стороны в церемонии принял участие …": a ceremony
    if f.kind == "ref":
        target = referenced(scene, story, f)
        if target is None and f.type not in (None, "Any") and (current is None or date_conflict(
                scene, current, current, f) or not types_fit(current.type, f.type) and f.date is not None):
            return NEW, f  # "Напомним, 7 октября … в ходе телефонного разговора …"
        return (target if target is not None else story.current), f
    return story.current, f


def compatible(scene: Scene, story: Story, f: Frame) -> int | None:
    """The latest event the frame's event may be: one of a fitting type, no other date or place,
    and no people it lacks (unless first told with the same event word)."""
    people = {id(r) for r, _ in f.people}
    for index in reversed(range(len(story.drafts))):
        draft = story.drafts[index]
        if not types_fit(draft.type, f.type):
            continue
        if date_conflict(scene, story.current_draft, draft, f) or _place_conflict(draft, f):
            continue
        known = {id(r) for r, _, _ in draft.people.values()}
        same_word = f.main is not None and any(
            x.main is not None and trigger_key(scene, x.main) == trigger_key(scene, f.main) for x in draft.frames)
        if people and known and not people <= known and not same_word:
            continue
        return index
    return None


def trigger_key(scene: Scene, t: Trigger) -> str:
    """The event words as a case-free key ("верительные грамоты" = "Верительных грамот")."""
    return " ".join(lemma(x) for x in scene.ctx.doc[t.start:t.end] if x.is_alpha)


def referenced(scene: Scene, story: Story, f: Frame) -> int | None:
    """The latest event the frame's words can refer to: one of a compatible kind, or one
    first reported with the same event word ("ведущие пленарного заседания")."""
    words = {lemma(t.head) for t in f.triggers}
    for index in reversed(range(len(story.drafts))):
        draft = story.drafts[index]
        if date_conflict(scene, story.current_draft, draft, f):
            continue
        same_word = any(x.main is not None and lemma(x.main.head) in words for x in draft.frames)
        if types_fit(draft.type, f.type) or f.type in ("Any", None) or same_word:
            return index
    return None


def date_conflict(scene: Scene, current: Draft | None, draft: Draft, f: Frame) -> bool:
    """Whether the frame's date says another day than the event's."""
    if f.date is None or f.date.kind == "same_day":
        return False
    value = frame_date(scene, current, f)
    if not draft.date_known:
        # "Накануне, 2 февраля, …", "Напомним, … в мае прошлого года": said to be earlier, another occasion
        return f.date.kind in ("explicit", "vague") and _looks_back(scene, f) and value != draft.date
    return value != draft.date


def _looks_back(scene: Scene, f: Frame) -> bool:
    sent = scene.ctx.sentences[f.sent]
    words = {t.lower_ for t in sent[:6]}
    return bool(words & (scene.words.background_openers | scene.words.earlier_day_words))


def _place_conflict(draft: Draft, f: Frame) -> bool:
    if f.place is None or draft.place is None:
        return False
    return f.place[0].name != draft.place.name and f.place[0].kind == draft.place.kind


def frame_date(scene: Scene, current: Draft | None, f: Frame) -> date | None:
    """The day the frame's date says; "накануне заседания" counts from the current event."""
    if f.date is None:
        return None
    if f.date.kind == "relative" and f.date.offset == -1 and current is not None \
            and _anchored_on_event(scene, f):
        return current.date and shift(current.date, -1)
    return f.date.value


def _anchored_on_event(scene: Scene, f: Frame) -> bool:
    """"Накануне заседания": the day before the event, not before the publication."""
    ctx = scene.ctx
    token = ctx.doc[f.date.start]
    nxt = ctx.doc[token.i + 1] if token.i + 1 < len(ctx.doc) else None
    return nxt is not None and any(m.start == nxt.i for m in ctx.events)


def new_draft(scene: Scene, story: Story, f: Frame) -> Draft:
    """A new event of the frame, with the date and place it inherits from the story."""
    current = story.current_draft
    draft = Draft(f.type or "Other", title(scene, f))
    inherit = current if (f.new_marker or f.sideline or f.date is None or f.date.kind == "same_day") else None
    if f.sideline:
        ref = referenced(scene, story, Frame(f.sent, "ref", type="Any"))
        inherit = story.drafts[ref] if ref is not None else inherit
    if f.date is not None and f.date.kind != "same_day":
        draft = replace(draft, date=frame_date(scene, current, f), date_known=True,
                        date_mention=mention(scene.ctx.doc, f.date.start, f.date.end))
    elif inherit is not None and (f.new_marker or f.sideline or f.date is not None):
        draft = replace(draft, date=inherit.date, date_known=inherit.date_known, date_mention=inherit.date_mention)
    elif current is not None and current.date_known:
        # no date of its own: the story's time so far ("4 сентября прошел форум … Министр
        # также встретился с …")
        draft = replace(draft, date=current.date, date_mention=current.date_mention)
    else:
        draft = replace(draft, date=scene.ctx.published)
    if f.place is None and inherit is not None and f.type != "PhoneCall":
        draft = replace(draft, place=inherit.place, place_mention=inherit.place_mention)
    elif f.place is None and _same_setting(scene, story, draft, f):
        # "На полях сессии ГА ООН в Нью-Йорке министр провел ряд встреч. 19 сентября он встретился
        # с …": a later event of the same days, with no place of its own, happened where the story is
        place, place_mention = story_place(scene, current, story.current == 0)
        draft = replace(draft, place=place, place_mention=place_mention,
                        eve_of=story.current if _on_the_eve(scene, f) else None)
    return draft


def story_place(scene: Scene, story: Draft, first: bool) -> tuple[Place | None, Mention | None]:
    """Where the story is: its own place, or for the article's first event (``first``), the
    dateline's city (which the final pass gives it)."""
    if story.place is not None or not first or story.type == "PhoneCall":
        return story.place, story.place_mention
    return scene.dateline_city or (None, None)


def _same_setting(scene: Scene, story: Story, draft: Draft, f: Frame) -> bool:
    current = story.current_draft
    place = story_place(scene, current, story.current == 0)[0] if current is not None else None
    if current is None or place is None or place.kind not in ("City", "Venue") \
            or f.type == "PhoneCall" or current.type == "PhoneCall":
        return False
    if current.date is None or draft.date is None or abs((draft.date - current.date).days) > SAME_SETTING_DAYS:
        return False
    first_words = {t.lower_ for t in scene.ctx.sentences[f.sent][:6]}
    return not first_words & (scene.words.background_openers | scene.words.first_time_words)  # background


def _on_the_eve(scene: Scene, f: Frame) -> bool:
    """"накануне, 26 ноября,": held where the story is only if someone of the story took part."""
    return f.date is not None and any(t.lower_ in scene.words.eve_words
                                      for t in scene.ctx.doc[max(0, f.date.start - 2):f.date.end])


def absorb(scene: Scene, current: Draft | None, draft: Draft, f: Frame) -> Draft:
    """The event with the frame merged in (``current`` is the story's current event before it)."""
    doc = scene.ctx.doc
    kind, mentions = draft.type, draft.mentions
    if f.main is not None:
        mentions += (mention(doc, f.main.start, f.main.end),)
        if kind == "Any" and f.type not in (None, "Any"):
            kind = f.type
        elif f.kind == "event" and rank(f.type) < rank(kind) and types_fit(kind, f.type):
            kind = kind if kind in ("Meeting", "Visit") else f.type
    draft = replace(draft, frames=draft.frames + (f,), mentions=mentions, type=kind)
    if f.date is not None and not draft.date_known and f.date.kind not in ("same_day",):
        draft = replace(draft, date=frame_date(scene, current, f), date_known=True,
                        date_mention=mention(doc, f.date.start, f.date.end))
    if f.place is not None and (draft.place is None or _rank_place(f.place[0]) > _rank_place(draft.place)):
        draft = replace(draft, place=f.place[0], place_mention=f.place[1])
    people = dict(draft.people)
    for record, m in f.people:
        people.setdefault(id(record), (record, f.sent, m))
    documents = draft.documents
    for d in f.documents:
        documents = _add_document(documents, d)
    orgs = draft.orgs
    for org, m in f.orgs:
        if org.name not in {o.name for o, _ in orgs}:
            orgs += ((org, m),)
    return replace(draft, people=people, documents=documents, orgs=orgs,
                   countries=draft.countries + tuple(_new(draft.countries, f.countries)),
                   topics=draft.topics + tuple(_new(draft.topics, f.topics)))


def _new(have: tuple, items: tuple) -> list:
    """The items not had yet, each once, in order."""
    out = []
    for x in items:
        if x not in have and x not in out:
            out.append(x)
    return out


def _add_document(documents: tuple[DocumentMention, ...], d: DocumentMention) -> tuple[DocumentMention, ...]:
    if d.anaphoric:
        at = next((k for k in reversed(range(len(documents))) if documents[k].type == d.type), None)
        if at is not None:
            previous = documents[at]
            return documents[:at] + (replace(previous, signers=previous.signers or d.signers),) + documents[at + 1:]
        if len(d.title.split()) <= 1:
            return documents
    if d.title not in {x.title for x in documents}:
        documents += (d,)
    return documents


def title(scene: Scene, f: Frame) -> str:
    if f.main is None:
        return ""
    doc = scene.ctx.doc
    head = f.main.head
    if head.pos_ in ("VERB", "ADP") or doc[f.main.start].pos_ == "ADP":
        names = [r.name for r, _ in f.people]
        titles = scene.words.verb_titles
        word = titles.get(f.type, titles["*"])
        return f"{word}: {(' ' + titles['&'] + ' ').join(names)}" if names else word
    tokens = [t for t in doc[f.main.start:head.right_edge.i + 1]][:16]
    cut = next((k for k, t in enumerate(tokens) if k and t.text in (",", "(", ";", ":", "–", "—")), len(tokens))
    return tidy(nominative(tokens[:cut], capitalize=True))


def _rank_place(place: Place) -> int:
    return {"City": 2, "Region": 1, "Country": 0}.get(place.kind, 0)
