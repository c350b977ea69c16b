"""Topics: the fields of cooperation in a cooperation context, every conjunct a topic.

The sentences are written for these tests; negative rows show words that are not topics
(no cooperation context, a frame or process word alone, a place, a name of a body).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from kg.extract import extract
from kg.model import Article

pytestmark = pytest.mark.usefixtures("nlp")

LEAD = "Министры иностранных дел Казахстана и Узбекистана провели переговоры в Ташкенте. "


def topics(text: str) -> dict[str, str | None]:
    events = extract(Article("t", LEAD + text, published=datetime(2024, 6, 12))).events
    return {t.label: t.concept for e in events for t in e.topics}


@pytest.mark.parametrize("text,present,absent", [
    # coordinated fields of a cooperation noun: every conjunct
    ("Стороны обсудили сотрудничество в медицине, фармацевтике, туризме и спорте.",
     {"медицина", "фармацевтика", "туризм", "спорт"}, {"сотрудничество"}),
    ("Министры рассмотрели взаимодействие в области энергетики и связи.", {"энергетика", "связь"}, set()),
    # objects of discussion with process and frame words looked through
    ("Собеседники обсудили наращивание экспорта мяса, расширение авиасообщения и вопросы таможенного контроля.",
     {"экспорт мяса", "авиасообщение", "таможенный контроль"}, {"наращивание", "расширение", "вопросы"}),
    ("Особое внимание было уделено увеличению объема грузовых перевозок.", {"грузовые перевозки"},
     {"объем грузовых перевозок", "внимание"}),
    # coordinated genitives and adjectives make a phrase each
    ("Стороны обсудили поставки пшеницы и хлопка.", {"поставки пшеницы", "поставки хлопка"}, set()),
    ("Обсуждалось научное и образовательное сотрудничество.",
     {"научное сотрудничество", "образовательное сотрудничество"}, set()),
    ("Стороны отметили перспективы сотрудничества в торговой и инвестиционной сферах.",
     {"торговое сотрудничество", "инвестиционное сотрудничество"}, set()),
    # places, countries and dates are left out of the phrase
    ("Стороны обсудили поставки казахстанского угля в Узбекистан в зимний период.", {"поставки угля"},
     {"поставки казахстанского угля в Узбекистан в зимний период"}),
    # names in quotes and routes stay whole
    ("Министры обсудили развитие транспортного коридора «Восток – Запад».",
     {"транспортный коридор «Восток – Запад»"}, set()),
    # the subject of a signed document
    ("По итогам переговоров подписано Соглашение о сотрудничестве в области ветеринарии.", {"ветеринария"},
     {"сотрудничество", "взаимопонимание"}),
    # negative rows: no cooperation context, relation adjectives, names of bodies, things alone
    ("Министр рассказал журналистам о погоде и поблагодарил за гостеприимство.", set(),
     {"погода", "гостеприимство"}),
    ("Стороны подтвердили стратегическое партнерство и союзнические отношения.", set(),
     {"стратегическое партнерство", "союзнические отношения"}),
    ("Министры обсудили работу Шанхайской организации сотрудничества.", {"Шанхайская организация сотрудничества"},
     {"сотрудничество"}),
    ("Стороны обсудили подготовку и дальнейшее сотрудничество.", set(), {"подготовка", "дальнейшее сотрудничество"}),
    ("Стороны обсудили казахстанско-узбекское сотрудничество.", set(), {"казахстанско-узбекское сотрудничество"}),
])
def test_topics_are_the_fields_of_a_cooperation_context(text, present, absent):
    found = topics(text)
    assert present <= set(found)
    assert not (absent & set(found))


@pytest.mark.parametrize("text,label,concept", [
    ("Стороны обсудили сотрудничество в атомной энергетике.", "атомная энергетика", "nuclear"),
    ("Стороны обсудили развитие железнодорожных перевозок.", "железнодорожные перевозки", "transport"),
    ("Стороны обсудили сотрудничество в сфере образования.", "образование", "education"),
])
def test_each_topic_maps_to_a_concept_of_the_scheme_by_lemma(text, label, concept):
    assert topics(text).get(label) == concept


def events(text: str, published: str = "2024-06-12"):
    return extract(Article("t", text, published=datetime.fromisoformat(published))).events


# -- topics ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,present,absent", [
    ("В Астане министры обсудили поставки угля и развитие транспортных коридоров.",
     {"поставки угля", "транспортные коридоры"}, {"развитие транспортных коридоров"}),
    ("В Минске стороны уделили особое внимание промышленной кооперации.", {"промышленная кооперация"},
     {"особое внимание"}),
    ("В Бишкеке стороны обсудили дальнейшее сотрудничество, достигнутые договоренности и вопросы энергетики.",
     {"энергетика"}, {"дальнейшее сотрудничество", "достигнутые договоренности", "вопросы"}),
])
def test_topics_are_fields_of_cooperation(text, present, absent):
    text = "Министры иностранных дел Казахстана и Узбекистана провели переговоры. " + text
    topics = {t.label for e in events(text) for t in e.topics}
    assert present <= topics
    assert not (absent & topics)
