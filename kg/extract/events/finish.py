"""The final pass over the story: events with nothing of their own dropped, the eve's place
undone, the dateline's day and city given to the story, phone calls split by side."""

from __future__ import annotations

from dataclasses import replace

from kg.extract.events.records import Draft, Scene, Story
from kg.extract.events.drafts import story_place
from kg.extract.text import lemma, mention


def finish(scene: Scene, story: Story) -> list[Draft]:
    full = list(story.drafts)
    keep = [k for k, d in enumerate(full) if d.type != "Any" or d.people or d.documents]
    for k in keep:
        d = full[k]
        if d.eve_of is None or d.place is None or set(d.people) & set(full[d.eve_of].people):
            continue
        place = story_place(scene, full[d.eve_of], d.eve_of == 0)[0]
        if place is not None and d.place.name == place.name:
            full[k] = replace(d, place=None, place_mention=None)  # "накануне, 26 ноября, заседание комиссии провели …"
    drafts = _dateline_place(scene, [full[k] for k in keep])
    drafts = _repeated_mentions(scene, [d for d in drafts if _concrete(d)])
    return [part for d in drafts for part in _split_calls(d)]


def _concrete(d: Draft) -> bool:
    """GUIDELINES §1: an event told with no one taking part, no document, no organization and no
    place nor date of its own ("переговоры продолжатся", "после встречи") is not a concrete event."""
    return bool(d.people or d.documents or d.orgs or d.place is not None or d.date_known)


def _event_word(scene: Scene, start_char: int, end_char: int) -> str:
    span = scene.ctx.doc.char_span(start_char, end_char, alignment_mode="expand")
    return " ".join(lemma(x) for x in span if x.is_alpha) if span is not None else ""


def _repeated_mentions(scene: Scene, drafts: list[Draft]) -> list[Draft]:
    """"… дают концерт в Карнеги-холле. … Концерт откроет серию выступлений": an event word
    repeated later, in a sentence that made no event of its own, names the latest event first
    told with that word; it is one more mention of that event (provenance, not new facts)."""
    ctx = scene.ctx
    taken = {(m.start, m.end) for d in drafts for m in d.mentions}
    words = [(k, _event_word(scene, d.mentions[0].start, d.mentions[0].end), d.mentions[0].start)
             for k, d in enumerate(drafts) if d.mentions]
    extra: dict[int, list] = {}
    for match in ctx.events:
        here = mention(ctx.doc, match.start, match.end)
        if (here.start, here.end) in taken:
            continue
        word = _event_word(scene, here.start, here.end)
        before = [(start, k) for k, w, start in words if w == word and start < here.start]
        if before:
            extra.setdefault(max(before)[1], []).append(here)
    return [replace(d, mentions=d.mentions + tuple(extra[k])) if k in extra else d for k, d in enumerate(drafts)]


def _dateline_place(scene: Scene, drafts: list[Draft]) -> list[Draft]:
    """"МИНСК, 12 апреля. /Казинформ/ – … приняли участие в заседании …": with no place in
    the text, the news event of the article took place in the dateline's city."""
    return [_on_dateline(scene, d) for d in drafts]


def _on_dateline(scene: Scene, draft: Draft) -> Draft:
    day = scene.dateline_date
    if not draft.date_known and day is not None:
        draft = replace(draft, date=day)  # "Астана, 7 июня 2023 года – …" published the next morning: the story's day
    if draft.type == "PhoneCall" or scene.dateline_city is None:
        return draft
    city, city_mention = scene.dateline_city
    vague = draft.place is None or (draft.place.kind == "Country" and city.country is not None
                                    and city.country.gid == draft.place.gid)  # "находящимся в Казахстане"
    on_the_day = draft.date == scene.ctx.published or draft.date is not None and draft.date == day
    if vague and (not draft.date_known or on_the_day):
        draft = replace(draft, place=city, place_mention=city_mention)
    return draft


def _split_calls(draft: Draft) -> list[Draft]:
    """"X поздравили по телефону A и B": a phone call is between two sides, so conjoined
    callers on one side make one call each with the other side."""
    if draft.type != "PhoneCall" or len(draft.people) < 3 or not draft.frames or draft.frames[0].main is None:
        return [draft]
    verb = draft.frames[0].main.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    subject_ids = {t.i for c in subjects for t in c.subtree}
    side = [key for key, (r, _, m) in draft.people.items()
            if any(x.start in subject_ids for x in r.mentions if x.sent == draft.frames[0].sent)]
    others = [key for key in draft.people if key not in side]
    if len(side) < 2 or len(others) != 1:
        return [draft]
    return [replace(draft, people={k: draft.people[k] for k in (key, others[0])}) for key in side]
