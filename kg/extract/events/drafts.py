"""Events being told: a new event from a frame (with the date and place it inherits from the
story), and a frame merged into an event."""

from __future__ import annotations

from dataclasses import replace

from kg.extract.documents import DocumentMention
from kg.extract.events.fitting import frame_date, referenced
from kg.extract.events.kinds import rank, types_fit
from kg.extract.events.records import Draft, Frame, Scene, Story
from kg.extract.events.rules import Rule, Rules, always, const
from kg.extract.text import mention, nominative, tidy
from kg.model import Mention, Place

SAME_SETTING_DAYS = 3  # a later event this close to the story's date, with no place of its own, shares its place


def new_draft(scene: Scene, story: Story, f: Frame) -> Draft:
    """A new event of the frame, with the date and place it inherits from the story."""
    draft = Draft(f.type or "Other", title(scene, f))
    inherit = _inherited(scene, story, f)
    draft = replace(draft, **NEW_EVENT_DATE.apply(scene, story, f, inherit))
    return replace(draft, **NEW_EVENT_PLACE.apply(scene, story, f, inherit, draft))


def _inherited(scene: Scene, story: Story, f: Frame) -> Draft | None:
    """The event a new one may take its day and place from: the current one, when the frame
    names no day of its own or marks a new event; on the sidelines, the latest event."""
    current = story.current_draft
    inherit = current if (f.new_marker or f.sideline or f.date is None or f.date.kind == "same_day") else None
    if f.sideline:
        ref = referenced(scene, story, Frame(f.sent, "ref", type="Any"))
        inherit = story.drafts[ref] if ref is not None else inherit
    return inherit


# -- the date of a new event: (scene, story, frame, inherited event) → Draft fields -----------

def _own_date(scene: Scene, story: Story, f: Frame, inherit: Draft | None) -> bool:
    return f.date is not None and f.date.kind != "same_day"


def _frame_day(scene: Scene, story: Story, f: Frame, inherit: Draft | None) -> dict:
    return {"date": frame_date(scene, story.current_draft, f), "date_known": True,
            "date_mention": mention(scene.ctx.doc, f.date.start, f.date.end)}


def _follows(scene: Scene, story: Story, f: Frame, inherit: Draft | None) -> bool:
    return inherit is not None and (f.new_marker or f.sideline or f.date is not None)


def _inherited_day(scene: Scene, story: Story, f: Frame, inherit: Draft | None) -> dict:
    return {"date": inherit.date, "date_known": inherit.date_known, "date_mention": inherit.date_mention}


def _dated_story(scene: Scene, story: Story, f: Frame, inherit: Draft | None) -> bool:
    return story.current_draft is not None and story.current_draft.date_known


def _story_day(scene: Scene, story: Story, f: Frame, inherit: Draft | None) -> dict:
    return {"date": story.current_draft.date, "date_mention": story.current_draft.date_mention}


def _publication_day(scene: Scene, story: Story, f: Frame, inherit: Draft | None) -> dict:
    return {"date": scene.ctx.published}


NEW_EVENT_DATE = Rules("date of a new event", (
    Rule("its own date", _own_date, _frame_day,
         "10 июня в Астане прошла встреча министров иностранных дел Казахстана и Узбекистана."),
    Rule("the day of the event it follows", _follows, _inherited_day,
         "10 июня в Астане прошли переговоры министров. Затем министр встретился с послом Японии."),
    Rule("the story's day so far", _dated_story, _story_day,  # the day is not known to be its own
         "10 июня в Астане прошел форум регионов. Министр встретился с губернатором Омской области."),
    Rule("the publication day", always, _publication_day,
         "В Астане прошла встреча министров иностранных дел Казахстана и Узбекистана."),
))


# -- the place of a new event: (scene, story, frame, inherited event, draft) → Draft fields ---

def _follows_in_person(scene: Scene, story: Story, f: Frame, inherit: Draft | None, draft: Draft) -> bool:
    return f.place is None and inherit is not None and f.type != "PhoneCall"


def _inherited_place(scene: Scene, story: Story, f: Frame, inherit: Draft | None, draft: Draft) -> dict:
    return {"place": inherit.place, "place_mention": inherit.place_mention}


def _in_the_setting(scene: Scene, story: Story, f: Frame, inherit: Draft | None, draft: Draft) -> bool:
    return f.place is None and _same_setting(scene, story, draft, f)


def _setting_place(scene: Scene, story: Story, f: Frame, inherit: Draft | None, draft: Draft) -> dict:
    place, place_mention = story_place(scene, story.current_draft, story.current == 0)
    return {"place": place, "place_mention": place_mention,
            "eve_of": story.current if _on_the_eve(scene, f) else None}


NEW_EVENT_PLACE = Rules("place of a new event", (
    Rule("the place of the event it follows", _follows_in_person, _inherited_place,
         "10 июня в Астане прошли переговоры министров. Затем министр встретился с послом Японии."),
    # "На полях сессии ГА ООН в Нью-Йорке министр провел ряд встреч. 19 сентября он встретился с …":
    # a later event of the same days, with no place of its own, happened where the story is
    Rule("where the story is", _in_the_setting, _setting_place,
         "17 сентября в Нью-Йорке открылся форум регионов. 19 сентября министр встретился с послом Японии."),
    Rule("its own place, if any", always, const({}),  # given when the frame is merged in
         "В Астане прошла встреча министров иностранных дел Казахстана и Узбекистана."),
))


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
