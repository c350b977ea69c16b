"""Where a sentence's event happened: a city (else a venue, region or country) in the
locative ("в Москве"), or the destination of an arrival ("прибывшим в Астану")."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.events.records import Scene, Trigger
from kg.extract.events.scene import as_place
from kg.extract.events.triggers import is_trigger
from kg.extract.text import feats, lemma, mention
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
        if match.label != "Venue" and any(j in ctx.org_token_ids for j in range(match.start, match.end)):
            continue  # (a venue is often tagged ORG: "в Акорде", "в Кремле")
        prep = ctx.doc[match.start - 1] if match.start > 0 else None
        if prep is None or prep.lower_ not in scene.words.locative_prepositions:
            continue
        head = ctx.doc[match.end - 1]
        case = feats(head).get("Case")
        governor = _governor(head)
        if case == "Acc" and not (governor is not None and lemma(governor) in scene.words.arrival_verbs):
            continue
        if governor is not None and governor.pos_ in ("NOUN", "PROPN") and (main is None or governor.i != main.head.i) \
                and not scene.people.is_person(governor) and not is_trigger(ctx, governor):
            continue  # "проектов компании в Казахстане": the place of a thing, not of the event
        level = {"City": 3, "Venue": 3, "Region": 1, "Country": 0}.get(match.label, 0)
        if level > rank:
            best, rank = match, level
    if best is None:
        return None
    return as_place(ctx, best), mention(ctx.doc, best.start, best.end)


def _governor(token: Token) -> Token | None:
    node = token
    while node.dep_ in ("flat", "flat:name", "conj", "appos", "amod") and node.head.i != node.i:
        node = node.head
    return node.head if node.head.i != node.i else None
