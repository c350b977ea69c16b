"""Event extraction over the NLP pipeline's Doc.

``extract(article)`` → ``Extraction`` (the article and its events). The rules live in
the submodules: ``dates``, ``names``, ``people`` (names and posts), ``orgs``,
``documents``, ``topics`` and ``events`` (triggers, frames, merging); the words they
use live in ``kg/lexicons/`` and the real-world facts in ``ontology/gazetteer/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.model import Article, Extraction

if TYPE_CHECKING:
    from spacy.tokens import Doc


def extract(article: Article, doc: Doc | None = None) -> Extraction:
    """Find the events an article reports."""
    from kg import nlp
    from kg.extract.context import Context
    from kg.extract.events import extract_events

    if doc is None:
        doc = nlp.parse(article.text)
    ctx = Context(article, doc)
    return Extraction(article, tuple(extract_events(ctx)))

