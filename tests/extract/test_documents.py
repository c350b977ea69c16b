"""Document parties are the signatories: the subjects of the signing verb, "между X и Y", the
delegations' heads' organizations, resolved to what the event holds — never every
organization of the sentence. The sentences are written for these tests.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from kg.extract import extract
from kg.model import Article

pytestmark = pytest.mark.usefixtures("nlp")

SESSION = ("В Павлодаре состоялось заседание Межправительственной казахстанско-российской комиссии по "
           "сотрудничеству в энергетике. Заседание провели министр энергетики Республики Казахстан Алмасадам "
           "Саткалиев и министр энергетики Российской Федерации Сергей Цивилев. В заседании приняли участие аким "
           "Павлодарской области Асаин Байханов и представители Министерства промышленности Республики Казахстан. ")
TALKS = ("Министр иностранных дел России Сергей Лавров провел в Москве переговоры с министром иностранных дел "
         "Казахстана Муратом Нуртлеу. ")
SUMMIT = "В Ташкенте прошли переговоры президентов Узбекистана и Азербайджана. "


def parties(text: str) -> dict[str, set[str]]:
    events = extract(Article("t", text, published=datetime(2024, 6, 14))).events
    return {d.title: {p.name for p in d.parties} for e in events for d in e.documents}


@pytest.mark.parametrize("text,title,expected", [
    # a group of signers ("сопредседатели") gives one party a side: the co-chairs', not the akim's
    (SESSION + "По итогам заседания сопредседатели подписали Дорожную карту по развитию угольной отрасли.",
     "Дорожная карта по развитию угольной отрасли",
     {"Министерство энергетики Республики Казахстан", "Министерство энергетики Российской Федерации"}),
    # the protocol of an intergovernmental commission's session: the governments of the sides
    (SESSION + "По итогам заседания сопредседатели подписали Протокол заседания комиссии.",
     "Протокол заседания комиссии", {"Правительство Республики Казахстан", "Правительство Российской Федерации"}),
    # "двух стран": the organization of each side the event already holds
    (TALKS + "Министры подписали План консультаций между министерствами иностранных дел двух стран на 2025 год.",
     "План консультаций между министерствами иностранных дел двух стран на 2025 год",
     {"Министерство иностранных дел Российской Федерации", "Министерство иностранных дел Республики Казахстан"}),
    # "между X и Y", with nested quotes and a short name in brackets
    (TALKS + "Подписан Меморандум о сотрудничестве между АО «НК «Қазақстан темір жолы» и Корейским агентством "
     "по туризму (KTO).",
     "Меморандум о сотрудничестве между АО «НК «Қазақстан темір жолы» и Корейским агентством по туризму (KTO)",
     {"АО «НК «Қазақстан темір жолы»", "Корейское агентство по туризму (KTO"}),
    # "между правительствами A, B и C": each government
    (SUMMIT + "Было подписано Соглашение о транзите между правительствами Узбекистана, Азербайджана и Казахстана.",
     "Соглашение о транзите между правительствами Узбекистана, Азербайджана и Казахстана",
     {"Кабинет Министров Республики Узбекистан", "Кабинет Министров Азербайджанской Республики",
      "Правительство Республики Казахстан"}),
    # organizations as the subjects of "скрепили подписями"
    (TALKS + "Кроме того, АО «Казахтелеком» и ПАО «Ростелеком» скрепили подписями Соглашение о сотрудничестве в "
     "области связи.",
     "Соглашение о сотрудничестве в области связи", {"АО «Казахтелеком»", "ПАО «Ростелеком»"}),
    # countries as the subjects
    ("Узбекистан и Азербайджан в среду подписали межправительственное соглашение о транзите грузов.",
     "Межправительственное соглашение о транзите грузов", {"Узбекистан", "Азербайджан"}),
])
def test_parties_are_the_signatories(text, title, expected):
    found = parties(text)
    assert title in found, found
    assert found[title] == expected


@pytest.mark.parametrize("text,title,absent", [
    # negative rows: an organization present at the session is not a party of what others signed
    (SESSION + "По итогам заседания сопредседатели подписали Дорожную карту по развитию угольной отрасли.",
     "Дорожная карта по развитию угольной отрасли",
     {"Акимат Павлодарской области", "Министерство промышленности Республики Казахстан"}),
    # nor a made-up organization of "двух стран"
    (TALKS + "Министры подписали План консультаций между министерствами иностранных дел двух стран на 2025 год.",
     "План консультаций между министерствами иностранных дел двух стран на 2025 год",
     {"Министерства иностранных дел двух стран", "Министерство иностранных дел двух стран"}),
])
def test_present_organizations_are_not_parties(text, title, absent):
    found = parties(text)
    assert title in found
    assert not (found[title] & absent)


def test_documents_listed_after_a_colon_are_all_signed():
    text = (TALKS + "По итогам переговоров стороны обменялись документами: Соглашением о сотрудничестве в области "
            "туризма, Меморандумом о взаимопонимании в сфере культуры, а также Программой консультаций на 2025 год.")
    titles = set(parties(text))
    assert {"Соглашение о сотрудничестве в области туризма", "Меморандум о взаимопонимании в сфере культуры",
            "Программа консультаций на 2025 год"} <= titles


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
