"""Rules for real news text (issue 12): posts said by copulas, coordinations and pronouns,
titles inside name spans, plural posts across asides; participants of events told inside a
phrase; places the gazetteer does not know; names whose gender the case decides.

The sentences are written for these tests in the style of real news (not taken from NEREL or
the dev corpus); negative rows show what must not be found."""

from __future__ import annotations

from datetime import datetime

import pytest

from kg.extract import extract
from kg.extract.context import Context
from kg.extract.people import find_people
from kg.model import Article

pytestmark = pytest.mark.usefixtures("nlp")


def posts(text: str) -> dict[str, set[str]]:
    """Person name → every post the text gives them (with the name, by a copula, by a pronoun)."""
    from kg import nlp

    article = Article("t", text, published=datetime(2024, 6, 12))
    records, _, _ = find_people(Context(article, nlp.parse(text)))
    out: dict[str, set[str]] = {}
    for r in records:
        for m in r.mentions:
            for p in ([m.post] if m.post else []) + m.said_posts:
                out.setdefault(r.name, set()).add(p.position)
    return out


def events(text: str):
    return extract(Article("t", text, published=datetime(2024, 6, 12))).events


@pytest.mark.parametrize("text,name,wanted", [
    ("Вчера Сергей Иванов стал губернатором области.", "Сергей Иванов", {"губернатор"}),
    ("Кит Флинт — вокалист группы The Prodigy.", "Кит Флинт", {"вокалист"}),
    ("Его сменил Игорь Петров, который является советником президента.", "Игорь Петров", {"советник"}),
    ("Вячеслав Тимченко занимает должность руководителя совета партии.", "Вячеслав Тимченко", {"руководитель"}),
    ("Писатель, поэт и журналист Дмитрий Быков родился в Москве.", "Дмитрий Быков",
     {"писатель", "поэт", "журналист"}),
    ("Вечером выступили музыканты Юрий Царёв (проект «Метро»), Алексей Борисов и Павел Шевелёв.",
     "Алексей Борисов", {"музыкант"}),
    ("Император Акихито отрёкся от престола.", "Акихито", {"император"}),
    ("Андрей Варичев возглавляет компанию с 2013 года. С 2006 года он работал коммерческим директором.",
     "Андрей Варичев", {"коммерческий директор"}),
])
def test_posts_said_of_a_person(text, name, wanted):
    assert wanted <= posts(text).get(name, set())


@pytest.mark.parametrize("text,name,unwanted", [
    ("Сергей Иванов встретился с губернатором области.", "Сергей Иванов", {"губернатор"}),
    ("Мария Петрова поблагодарила советника посольства.", "Мария Петрова", {"советник"}),
    ("Ольга Смирнова рассказала, что он работал послом.", "Ольга Смирнова", {"посол"}),  # "он" is not she
])
def test_posts_not_said_of_a_person(text, name, unwanted):
    assert not (unwanted & posts(text).get(name, set()))


def test_a_name_in_the_accusative_comes_out_in_the_nominative_with_its_gender():
    assert "Юлия Савичева" in posts("Северодвинск носил Юлию Савичеву на руках. Певица Юлия Савичева улыбалась.")


@pytest.mark.parametrize("text,wanted,unwanted", [
    ("После переговоров с Си Цзиньпином Владимир Путин назвал их полезными.",
     {"Си Цзиньпин", "Владимир Путин"}, set()),
    ("Представитель правительства Штефан Зайберт, сославшись на итоги встречи Акселя Вебера и канцлера ФРГ "
     "Ангелы Меркель, сообщил об отставке.", {"Аксель Вебер", "Ангела Меркель"}, {"Штефан Зайберт"}),
])
def test_participants_of_an_event_told_inside_a_phrase(text, wanted, unwanted):
    people = {p.person.name for e in events(text) for p in e.participants}
    assert wanted <= people and not (unwanted & people)


def test_a_place_the_gazetteer_does_not_know_is_the_events_city():
    (event,) = events("Вчера в Северодвинске прошёл концерт певицы Юлии Савичевой.")
    assert event.location is not None and event.location.name == "Северодвинск"


@pytest.mark.parametrize("text", [
    "Стороны отметили важность переговоров.",
    "Эксперты напомнили, что встречи такого рода полезны.",
])
def test_an_event_word_with_nothing_concrete_is_no_event(text):
    assert not events(text)
