"""Which event of the story a frame fits: the latest compatible one, the one its words refer
back to, and whether its date or place says another occasion."""

from __future__ import annotations

from datetime import date

from kg.extract.dates import shift
from kg.extract.events.kinds import types_fit
from kg.extract.events.records import Draft, Frame, Scene, Story, Trigger
from kg.extract.text import lemma


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
