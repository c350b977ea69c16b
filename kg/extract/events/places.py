"""Where a sentence's event happened: a city (else a venue, region or country) in the
locative ("в Москве"), or the destination of an arrival ("прибывшим в Астану")."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.context import Match
from kg.extract.events.records import Scene, Trigger
from kg.extract.events.rules import Rule, Rules, always, const
from kg.extract.events.scene import as_place
from kg.extract.events.triggers import is_trigger
from kg.extract.text import feats, lemma, mention, nominative
from kg.model import Mention, Place



def event_place(scene: Scene, sent: Span, skip: set[int], main: Trigger | None) -> tuple[Place, Mention] | None:
    ctx = scene.ctx
    best, rank = None, -1
    seen = set()
    for i in range(sent.start, sent.end):
        match = ctx.place_at.get(i)
        if match is None or match.start in seen or i in skip or i in scene.people.post_tokens:
            continue
        seen.add(match.start)
        level = VENUE.apply(scene, match, main)
        if level is not None and level > rank:
            best, rank = match, level
    if best is None:
        return _unknown_place(scene, sent, skip)
    return as_place(ctx, best), mention(ctx.doc, best.start, best.end)


def _unknown_place(scene: Scene, sent: Span, skip: set[int]) -> tuple[Place, Mention] | None:
    """"в Северодвинске": a place the tagger names in the locative after "в"/"на" that the
    gazetteer does not know is still the event's place (a city, by its nominative name)."""
    ctx = scene.ctx
    for span in ctx.ents("LOC"):
        if not (sent.start <= span.start < sent.end) or span.start in skip or \
                any(i in ctx.place_at or i in ctx.org_token_ids for i in range(span.start, span.end)):
            continue
        prep = ctx.doc[span.start - 1] if span.start > sent.start else None
        head = ctx.doc[span.end - 1]
        if prep is None or prep.lower_ not in scene.words.locative_prepositions or feats(head).get("Case") != "Loc":
            continue
        governor = _governor(head)
        if governor is not None and governor.pos_ in ("NOUN", "PROPN") and not is_trigger(ctx, governor):
            continue
        name = nominative(list(span), capitalize=True)
        if name:
            return Place(name, None, "City"), mention(ctx.doc, span.start, span.end)
    return None


# -- whether a place named is where the event was: (scene, place, main word) → rank or None --

def _in_organization(scene: Scene, match: Match, main: Trigger | None) -> bool:
    # (a venue is often tagged ORG: "в Акорде", "в Кремле")
    return match.label != "Venue" and any(j in scene.ctx.org_token_ids for j in range(match.start, match.end))


def _not_locative(scene: Scene, match: Match, main: Trigger | None) -> bool:
    prep = scene.ctx.doc[match.start - 1] if match.start > 0 else None
    return prep is None or prep.lower_ not in scene.words.locative_prepositions


def _destination_of_no_arrival(scene: Scene, match: Match, main: Trigger | None) -> bool:
    head = scene.ctx.doc[match.end - 1]
    governor = _governor(head)
    return feats(head).get("Case") == "Acc" and not (governor is not None
                                                     and lemma(governor) in scene.words.arrival_verbs)


def _place_of_a_thing(scene: Scene, match: Match, main: Trigger | None) -> bool:
    governor = _governor(scene.ctx.doc[match.end - 1])
    return governor is not None and governor.pos_ in ("NOUN", "PROPN") \
        and (main is None or governor.i != main.head.i) and not scene.people.is_person(governor) \
        and not is_trigger(scene.ctx, governor)


def _rank(scene: Scene, match: Match, main: Trigger | None) -> int:
    return {"City": 3, "Venue": 3, "Region": 1, "Country": 0}.get(match.label, 0)


VENUE = Rules("venue of an event", (
    Rule("part of an organization's name", _in_organization, const(None),
         "В Баку прошел форум, организованный Агентством по инвестициям Индии (Invest India)."),
    Rule("not after a locative preposition", _not_locative, const(None),
         "Вчера в Алматы прошла встреча с делегацией Узбекистана."),
    Rule("a destination, not of an arrival", _destination_of_no_arrival, const(None),
         "Вчера в Астане министры провели переговоры и передали приглашение в Ташкент."),
    Rule("the place of a thing, not of the event", _place_of_a_thing, const(None),
         "Вчера министры провели переговоры и обсудили проекты компании в Казахстане."),
    Rule("a place of the event, city and venue first", always, _rank,
         "Вчера в Ташкенте министры иностранных дел двух стран провели переговоры."),
))


def _governor(token: Token) -> Token | None:
    node = token
    while node.dep_ in ("flat", "flat:name", "conj", "appos", "amod") and node.head.i != node.i:
        node = node.head
    return node.head if node.head.i != node.i else None
