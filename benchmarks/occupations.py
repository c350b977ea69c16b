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


def occupations(article: Article, doc: Doc | None = None) -> list[Occupation]:
    """Every name mention that the text gives a post, with the post's organization."""
    from kg import nlp
    from kg.extract.context import Context
    from kg.extract.people import complete_post, find_people, post_organization

    ctx = Context(article, doc if doc is not None else nlp.parse(article.text))
    records, _, _ = find_people(ctx)
    out = []
    for record in records:
        for m in record.mentions:
            if m.post is None:
                continue
            post = complete_post(ctx, record, m.post)
            org, _ = post_organization(ctx, post, record.country)
            span = ctx.doc[m.start:m.end]
            out.append(Occupation(record.name, post.position or None, org,
                                  record.country.label if record.country else None, span.start_char, span.end_char))
    return sorted(out, key=lambda o: o.start)
