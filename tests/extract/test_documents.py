"""Signed documents (``kg.extract.documents``): titles in the nominative with their type and
parties, as tables of Russian sentences and the documents expected.

The sentences are written for these tests (not taken from the dev corpus); negative rows
show what must not be found."""

from __future__ import annotations

from datetime import datetime

import pytest

from kg.extract import extract
from kg.model import Article

pytestmark = pytest.mark.usefixtures("nlp")


def events(text: str, published: str = "2024-06-12"):
    return extract(Article("t", text, published=datetime.fromisoformat(published))).events


# -- documents ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,title,kind,parties", [
    ("По итогам переговоров была подписана Дорожная карта по развитию туризма между Министерством туризма и "
     "спорта Республики Казахстан и Комитетом по туризму Республики Узбекистан.",
     "Дорожная карта по развитию туризма между Министерством туризма и спорта Республики Казахстан и "
     "Комитетом по туризму Республики Узбекистан", "Roadmap",
     {"Министерство туризма и спорта Республики Казахстан", "Комитет по туризму Республики Узбекистан"}),
    ("В ходе визита стороны заключили Соглашение о сотрудничестве в сфере образования.",
     "Соглашение о сотрудничестве в сфере образования", "Agreement", None),
    ("Министры подписали Программу совместных действий на 2025–2027 годы и Меморандум о взаимопонимании.",
     "Программа совместных действий на 2025–2027 годы", "Programme", None),
])
def test_signed_document_title_in_the_nominative(text, title, kind, parties):
    text = "В Астане состоялись переговоры министров. " + text
    (event,) = events(text)
    docs = {d.title: d for d in event.documents}
    assert title in docs
    assert docs[title].type == kind
    if parties is not None:
        assert {p.name for p in docs[title].parties} == parties


def test_documents_exchanged_are_signed_documents():
    text = ("В Астане состоялись переговоры министров. По итогам переговоров стороны обменялись документами: "
            "Меморандумом о взаимопонимании в области культуры и Программой сотрудничества в сфере туризма на "
            "2025–2027 годы.")
    (event,) = events(text)
    titles = {d.title for d in event.documents}
    assert "Меморандум о взаимопонимании в области культуры" in titles


def test_counted_documents_are_not_documents():
    text = "В Астане состоялись переговоры министров. По итогам встречи подписано 12 документов."
    (event,) = events(text)
    assert event.documents == ()
