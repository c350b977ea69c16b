"""People (``kg.extract.people``, ``names``, ``orgs``): names in the nominative, posts, the
organizations and countries they imply, as tables of Russian sentences and the facts expected.

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


def people(event) -> dict:
    return {p.person.name: p for p in event.participants}


# -- participants, posts, organizations, countries ------------------------------------------

@pytest.mark.parametrize("text,name,position,organization,country", [
    ("Вчера в Ташкенте министр иностранных дел Казахстана Мурат Нуртлеу встретился с министром иностранных дел "
     "Узбекистана Бахтиёром Саидовым.", "Бахтиёр Саидов", "министр иностранных дел",
     "Министерство иностранных дел Республики Узбекистан", "Узбекистан"),
    ("В Астане вице-министр культуры и информации РК Елена Смирнова провела встречу с делегацией Монголии.",
     "Елена Смирнова", "вице-министр культуры и информации",
     "Министерство культуры и информации Республики Казахстан", "Казахстан"),
    ("В Москве прошли переговоры Посла Казахстана в России Даурена Абаева с заместителем министра "
     "иностранных дел РФ Михаилом Галузиным.", "Даурен Абаев", "посол",
     "Посольство Республики Казахстан в Российской Федерации", "Казахстан"),
    ("В Актобе аким Актюбинской области Асхат Шахаров провел встречу с губернатором Оренбургской области "
     "Денисом Паслером.", "Денис Паслер", "губернатор", "Правительство Оренбургской области", "Россия"),
    ("В Караганде ректор Карагандинского технического университета Ержан Ахметов встретился с делегацией "
     "Томского политехнического университета.", "Ержан Ахметов", "ректор",
     "Карагандинский технический университет", None),
    ("В Баку премьер-министр Азербайджана Али Асадов встретился с вице-премьером РФ Алексеем Оверчуком.",
     "Алексей Оверчук", "вице-премьер", "Правительство Российской Федерации", "Россия"),
])
def test_participant_post_organization_country(text, name, position, organization, country):
    (event,) = events(text)
    p = people(event)[name]
    assert p.position == position
    assert (p.organization.name if p.organization else None) == organization
    assert (p.country.name if p.country else None) == country


def test_country_words_the_tagger_calls_a_verb_stay_in_the_post():
    text = ("В Абу-Даби Сергей Лавров встретился с министром иностранных дел Объединенных Арабских Эмиратов "
            "Абдаллой бен Заидом Аль Нахайяном.")
    (event,) = events(text)
    p = people(event)["Абдалла бен Заид Аль Нахайян"]
    assert p.position == "министр иностранных дел"
    assert p.organization.name == "Министерство иностранных дел Объединенных Арабских Эмиратов"


def test_portfolio_enumerated_with_commas_stays_one_post():
    text = ("В Ташкенте министр просвещения Казахстана Гани Бейсембаев встретился с министром высшего образования, "
            "науки и инноваций Узбекистана Конгратбаем Шариповым.")
    (event,) = events(text)
    p = people(event)["Конгратбай Шарипов"]
    assert p.position == "министр высшего образования, науки и инноваций"


@pytest.mark.parametrize("text,expected", [
    ("В Москве министр культуры РФ Ольга Любимова встретилась с Айгерим Касымовой.",
     {"Ольга Любимова", "Айгерим Касымова"}),
    ("Переговоры Президента Казахстана с Президентом Турции Реджепом Тайипом Эрдоганом прошли в Анкаре. "
     "Касым-Жомарт Токаев и Эрдоган обсудили торговлю.", {"Реджеп Тайип Эрдоган", "Касым-Жомарт Токаев"}),
    ("В Токио министр иностранных дел Узбекистана Бахтиёр Саидов провел переговоры с министром иностранных дел "
     "Японии Ёко Камикавой.", {"Бахтиёр Саидов", "Ёко Камикава"}),
    ("В Абу-Даби министр энергетики Казахстана Алмасадам Саткалиев встретился с министром экономики ОАЭ "
     "Абдуллой бин Туком аль-Марри.", {"Алмасадам Саткалиев", "Абдулла бин Тук аль-Марри"}),
    ("В Риме Касым-Жомарт Токаев встретился с Президентом Италии Серджо Маттареллой.",
     {"Касым-Жомарт Токаев", "Серджо Маттарелла"}),
])
def test_names_in_the_nominative_with_their_gender(text, expected):
    found = events(text)
    assert set(people(found[0])) == expected


def test_surname_only_mention_resolves_to_the_full_name():
    text = ("В Анкаре министр энергетики РК Алмасадам Саткалиев провел переговоры с министром энергетики Турции "
            "Алпарсланом Байрактаром. По итогам встречи Саткалиев и Байрактар подписали Меморандум о "
            "сотрудничестве в области атомной энергетики.")
    (event,) = events(text)
    assert set(people(event)) == {"Алмасадам Саткалиев", "Алпарслан Байрактар"}


def test_post_without_a_name_refers_to_the_person_named_before():
    text = ("В Баку министр транспорта Казахстана Марат Карабаев провел переговоры с министром цифрового развития "
            "и транспорта Азербайджана Рашадом Набиевым. Также в тот день казахстанского министра принял "
            "премьер-министр Азербайджана Али Асадов.")
    first, second = events(text, "2024-05-16")
    assert set(people(second)) == {"Марат Карабаев", "Али Асадов"}
    assert second.location.name == "Баку"
