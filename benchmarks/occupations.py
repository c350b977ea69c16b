"""Occupations for the benchmarks (``factrueval.py``, ``nerel.py``): every name mention the text
gives a post, with the post's organization — the shape their gold Occupation / WORKS_AS facts
have. Built on ``kg.extract.people``; kg itself reports posts only as participations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.model import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Occupation:
    """A person named with a post: "министр культуры РФ Ольга Любимова" (offsets of the name)."""

    name: str
    position: str | None
    organization: str | None
    country: str | None
    start: int
    end: int


def _restates(record, post) -> bool:
    """Whether a post without a name restates one the person was given by name: the same title
    word ("премьер" after "премьер-министр"), or the same kind of post of the same country."""
    from kg.keys import word_key
    title = word_key(post.position.split()[0]) if post.position else ""
    for m in record.mentions:
        if m.post is None or m.post.kind != post.kind:
            continue
        own = word_key(m.post.position.split()[0]) if m.post.position else ""
        if title and (own == title or own.split("-")[0] == title.split("-")[0]):
            return True
        if post.country is not None and m.post.country is not None and post.country.iri == m.post.country.iri:
            return True
    return False


def occupations(article: Article, doc: Doc | None = None) -> list[Occupation]:
    """Every name mention that the text gives a post, with the post's organization; and every
    post without a name that refers to one person named before it ("Премьер уже на этой
    неделе…" after "премьер-министр Борис Джонсон")."""
    from kg import nlp
    from kg.extract.context import Context
    from kg.extract.people import (anaphoric_referent, complete_post, find_people, post_organization,
                                   resolve_post_mention)

    ctx = Context(article, doc if doc is not None else nlp.parse(article.text))
    records, post_mentions, _ = find_people(ctx)
    out = []

    def add(record, post, start: int, end: int) -> None:
        post = complete_post(ctx, record, post)
        org, _ = post_organization(ctx, post, record.country)
        span = ctx.doc[start:end]
        out.append(Occupation(record.name, post.position or None, org,
                              record.country.label if record.country else None, span.start_char, span.end_char))

    for record in records:
        for m in record.mentions:
            for post in ([m.post] if m.post is not None else []) + m.said_posts:
                add(record, post, m.start, m.end)
    for pm in post_mentions:
        referents = resolve_post_mention(records, pm, pm.head.i)
        if len(referents) == 1 and _restates(referents[0], pm.post):
            add(referents[0], pm.post, pm.post.start, pm.post.end)
        elif not referents and (record := anaphoric_referent(ctx, records, pm)) is not None:
            add(record, pm.post, pm.post.start, pm.post.end)
    return sorted(out, key=lambda o: o.start)
