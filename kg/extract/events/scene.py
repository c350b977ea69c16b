"""The first stage: what every later stage reads about the article, computed once — the
people (people finding), the documents, the sentences that say someone was not there in
person, and the dateline's day and city."""

from __future__ import annotations

from datetime import date

from kg.extract.context import Context, Match
from kg.extract.dates import find_dates
from kg.extract.documents import find_documents
from kg.extract.events.records import People, Scene
from kg.extract.events.words import load_words
from kg.extract.orgs import country_of_entry
from kg.extract.people import attach_stated_posts, find_people
from kg.extract.text import lemma, mention
from kg.model import Mention, Place


def read_scene(ctx: Context) -> Scene:
    people = find_people_record(ctx)
    documents = tuple(find_documents(ctx))
    doc_tokens = frozenset(i for d in documents for i in range(d.start, d.end))
    return Scene(ctx, load_words(ctx.lex.folder), people, documents, doc_tokens, _absent_sentences(ctx),
                 _dateline_date(ctx), _dateline_city(ctx))


def find_people_record(ctx: Context) -> People:
    """People finding: the people with the posts stated for them, and the lookups by token."""
    records, post_mentions, person_at = find_people(ctx)
    attach_stated_posts(records, post_mentions, ctx.published)
    posts = {i for m in person_at.values() if m.post for i in range(m.post.start, m.post.end)}
    posts |= {i for pm in post_mentions for i in range(pm.post.start, pm.post.end)}
    return People(tuple(records), tuple(post_mentions), person_at,
                  {id(m): r for r in records for m in r.mentions}, frozenset(posts))


def as_place(ctx: Context, match: Match) -> Place:
    """The place a gazetteer match names; a venue stands for the city it lies in."""
    entry = match.entry
    if entry.kind == "Venue":
        city = ctx.gaz.get(entry.prop("containedInPlace"))
        if city is not None:
            entry = city
    country = country_of_entry(ctx, entry)
    kind = {"Country": "Country", "Region": "Region"}.get(entry.kind, "City")
    return Place(entry.label, country, kind, entry.iri)


def _absent_sentences(ctx: Context) -> frozenset[int]:
    """"их обращения зачитали ведущие": sentences (by first token) with a word of absence."""
    words = ctx.lex.absence_words
    return frozenset(s.start for s in ctx.doc.sents if any(lemma(t) in words for t in s))


def _dateline_date(ctx: Context) -> date | None:
    if not ctx.dateline_tokens:
        return None
    found = find_dates(ctx.doc[0:max(ctx.dateline_tokens) + 1], ctx.published)
    return next((d.value for d in found if d.kind == "explicit" and d.value), None)


def _dateline_city(ctx: Context) -> tuple[Place, Mention] | None:
    """The city the dateline names ("АСТАНА, 27 ноября. /Казинформ/ –"), if any."""
    cities = [m for m in ctx.gazetteer_matches if m.label == "City" and m.start in ctx.dateline_tokens]
    if not cities:
        return None
    return as_place(ctx, cities[0]), mention(ctx.doc, cities[0].start, cities[0].end)
