"""Event rules end to end, as tables of Russian sentences and the events expected: what is not
an event or not a participant, where and when an event was, and how sentences make one event
or several (``kg.extract.events``). The sentences are written for these tests.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kg.extract import extract
from kg.model import Article

pytestmark = pytest.mark.usefixtures("nlp")


def events(text: str, published: str = "2024-06-12"):
    return extract(Article("t", text, published=datetime.fromisoformat(published))).events


def people(event) -> dict:
    return {p.person.name: p for p in event.participants}


# -- what is not an event or not a participant ---------------------------------------------

@pytest.mark.parametrize("text", [
    "В следующем году планируется визит президента Узбекистана в Казахстан.",
    "Стороны договорились провести следующее заседание комиссии в Ташкенте.",
    "Завтра в Астане пройдет саммит Организации тюркских государств.",
    "Осенью в Казахстане планируется провести очередной форум ректоров.",
    "Президент пригласил коллегу посетить Казахстан с официальным визитом.",
])
def test_plans_and_intentions_are_not_events(text):
    assert events(text) == ()


def test_quoted_speaker_is_not_a_participant():
    text = ("В Минске министр иностранных дел Беларуси Максим Рыженков провел переговоры с министром иностранных "
            "дел Казахстана Муратом Нуртлеу. «Это важный шаг», – отметил политолог Андрей Суздальцев.")
    (event,) = events(text)
    assert set(people(event)) == {"Максим Рыженков", "Мурат Нуртлеу"}


# -- where the event was, and when ---------------------------------------------------------

def test_places_discussed_are_not_the_venue():
    text = ("В Москве прошли переговоры министров энергетики. Стороны обсудили поставки газа в Узбекистан и "
            "Кыргызстан и строительство ТЭЦ в Кокшетау.")
    (event,) = events(text)
    assert event.location.name == "Москва"


def test_a_venue_tagged_as_an_organization_places_the_event_in_its_city():
    text = "В Акорде состоялись переговоры Главы государства с Президентом Монголии Ухнаагийн Хурэлсухом."
    (event,) = events(text)
    assert event.location is not None and event.location.name == "Астана"


def test_the_place_of_a_thing_discussed_is_not_the_venue():
    text = ("В Риме Касым-Жомарт Токаев встретился с Президентом Италии Серджо Маттареллой. Обсуждены проекты "
            "итальянских компаний в Казахстане.")
    (event,) = events(text)
    assert event.location.name == "Рим"


def test_dateline_is_neither_the_date_nor_the_venue():
    text = "АСТАНА, 16 мая. /Казинформ/ – В среду в Баку министры транспорта двух стран провели переговоры."
    (event,) = events(text, "2024-05-16")
    assert event.location.name == "Баку"
    assert event.date == date(2024, 5, 15)


def test_dateline_day_and_city_hold_for_every_undated_event_of_the_story():
    text = ("Астана, 4 марта 2024 года – Министр иностранных дел Республики Казахстан Мурат Нуртлеу провел "
            "переговоры с министром иностранных дел Туркменистана Рашидом Мередовым, находящимся в Казахстане с "
            "официальным визитом. Затем Рашид Мередов встретился с премьер-министром Казахстана Олжасом Бектеновым.")
    talks, meeting = events(text, "2024-03-05")
    assert talks.date == meeting.date == date(2024, 3, 4)
    assert talks.location.name == meeting.location.name == "Астана"


def test_undated_later_event_keeps_the_story_date_not_the_publication_date():
    text = ("3 сентября в Алматы прошел Казахстанско-турецкий бизнес-форум. Премьер-министр Казахстана Олжас "
            "Бектенов провел встречу с вице-президентом Турции Джевдетом Йылмазом.")
    found = events(text, "2024-09-05")
    assert [e.date for e in found] == [date(2024, 9, 3)] * len(found)
    assert any({"Олжас Бектенов", "Джевдет Йылмаз"} <= set(people(e)) for e in found)


def test_later_event_of_the_same_days_happens_where_the_story_is():
    text = ("На полях саммита ШОС в Астане 3 июля президент Казахстана Касым-Жомарт Токаев провел ряд встреч. "
            "4 июля Касым-Жомарт Токаев встретился с премьер-министром Пакистана Шахбазом Шарифом во Дворце "
            "Независимости. Напомним, Касым-Жомарт Токаев и Шахбаз Шариф впервые встретились в 2022 году.")
    found = [e for e in events(text, "2024-07-05") if e.date == date(2024, 7, 4)]
    assert found and found[0].location.name == "Астана"


def test_eve_event_of_other_people_does_not_take_the_story_place():
    text = ("В Астане 27 ноября президент Казахстана Касым-Жомарт Токаев провел переговоры с президентом России "
            "Владимиром Путиным. Документы накануне, 26 ноября, одобрила межправительственная комиссия, заседание "
            "которой провели вице-премьер Казахстана Серик Жумангарин и вице-премьер России Алексей Оверчук.")
    found = {e.date: e for e in events(text, "2024-11-27")}
    assert found[date(2024, 11, 27)].location.name == "Астана"
    assert found[date(2024, 11, 26)].location is None


# -- one event or several ------------------------------------------------------------------

def test_reception_by_another_host_is_its_own_meeting():
    text = ("22 мая в Алматы министр торговли и интеграции Казахстана Арман Шаккалиев провел переговоры с министром "
            "торговли Турции Омером Болатом. Вечером того же дня турецкого министра принял аким Алматы Ерболат Досаев.")
    found = events(text, "2024-05-23")
    assert len(found) == 2
    assert {"Ерболат Досаев", "Омер Болат"} <= set(people(found[1]))
    assert "Ерболат Досаев" not in people(found[0])


def test_receiving_a_named_company_head_is_a_meeting():
    text = ("В Астане Глава государства Касым-Жомарт Токаев принял главного исполнительного директора компании Eni "
            "Клаудио Дескальци.")
    (event,) = events(text)
    assert {"Касым-Жомарт Токаев", "Клаудио Дескальци"} <= set(people(event))


def test_session_of_the_summit_is_the_summit():
    text = ("Вчера в Астане состоялся саммит Организации тюркских государств. В заседании Совета глав государств "
            "приняли участие Президент Казахстана Касым-Жомарт Токаев и Президент Турции Реджеп Тайип Эрдоган.")
    (event,) = events(text)
    assert event.type == "Summit"


def test_recalled_session_of_last_year_is_not_merged_into_the_news():
    text = ("АСТАНА, 23 мая. /Казинформ/ – Председатель Сената Казахстана Маулен Ашимбаев провел переговоры с "
            "Председателем Сената Олий Мажлиса Узбекистана Танзилой Нарбаевой. Напомним, первое заседание "
            "Межпарламентского совета под председательством Маулена Ашимбаева и Танзилы Нарбаевой прошло в мае "
            "прошлого года.")
    found = events(text, "2024-05-23")
    assert any(e.date == date(2024, 5, 23) and {"Маулен Ашимбаев", "Танзила Нарбаева"} <= set(people(e))
               for e in found)


def test_eve_meeting_of_the_story_people_is_in_the_dateline_city():
    text = ("Алма-Ата, 3 февраля. Председатель Правительства России Михаил Мишустин принял участие в заседании "
            "Евразийского межправительственного совета. Накануне, 2 февраля, Михаил Мишустин встретился с "
            "Премьер-министром Казахстана Алиханом Смаиловым.")
    eve = [e for e in events(text, "2023-02-03") if e.date == date(2023, 2, 2)]
    assert eve and eve[0].location is not None and eve[0].location.name == "Алматы"


def test_a_ceremony_taken_part_in_is_an_event_when_nothing_came_before():
    text = ("В Хайратане состоялась передача гуманитарной помощи. В церемонии принял участие заместитель губернатора "
            "провинции Балх Абдул Басир Ахмади.")
    found = events(text)
    assert len(found) == 1 and found[0].type == "Other" and "Абдул Басир Ахмади" in people(found[0])


@pytest.mark.parametrize("text", [
    # a body's session taken part in, not reported before
    "В Ашхабаде Касым-Жомарт Токаев провел переговоры с Президентом Туркменистана Сердаром Бердымухамедовым. "
    "Во второй половине дня Токаев и Бердымухамедов приняли участие в заседании Казахстанско-туркменского "
    "делового совета.",
    # "Кроме того, …"
    "Вчера в Нью-Йорке министр иностранных дел Казахстана Мурат Нуртлеу провел переговоры с министром "
    "иностранных дел Японии Ёко Камикавой. Кроме того, вчера казахстанский министр принял участие в "
    "неформальной встрече министров иностранных дел стран Центральной Азии.",
])
def test_a_second_event_taken_part_in_is_its_own_event(text):
    assert len(events(text)) == 2


def test_presentation_of_credentials_is_one_event_with_the_ambassadors():
    text = ("Президент Узбекистана Шавкат Мирзиёев принял верительные грамоты у вновь назначенных послов. "
            "Верительные грамоты главе государства вручили Посол Японии Такаси Хатори и Посол Италии Марко Альберти.")
    (event,) = events(text)
    assert {"Шавкат Мирзиёев", "Такаси Хатори", "Марко Альберти"} <= set(people(event))


def test_the_reporter_of_an_event_is_not_its_participant():
    text = ("Президенты Узбекистана и Таджикистана Шавкат Мирзиёев и Эмомали Рахмон провели телефонный разговор, "
            "сообщил пресс-секретарь президента Узбекистана Шерзод Асадов.")
    (event,) = events(text)
    assert set(people(event)) == {"Шавкат Мирзиёев", "Эмомали Рахмон"}


def test_undated_event_with_no_dated_story_before_it_takes_the_publication_date():
    text = "В Алматы министр энергетики Казахстана Алмасадам Саткалиев встретился с послом Японии."
    (event,) = events(text, "2024-09-05")
    assert event.date == date(2024, 9, 5)


def test_background_event_is_its_own_event():
    text = ("Вчера в Москве министр энергетики РК Алмасадам Саткалиев встретился с министром энергетики РФ "
            "Сергеем Цивилевым. Министры обсудили поставки газа. Напомним, 7 октября Касым-Жомарт Токаев провел "
            "телефонный разговор с Владимиром Путиным.")
    meeting, call = events(text, "2024-10-16")
    assert meeting.type == "Meeting" and meeting.date == date(2024, 10, 15)
    assert call.type == "PhoneCall" and call.date == date(2024, 10, 7)
    assert set(people(call)) == {"Касым-Жомарт Токаев", "Владимир Путин"}


def test_meeting_described_over_several_sentences_is_one_event():
    text = ("В Ташкенте состоялось заседание межправительственной комиссии. Его провели вице-премьер Казахстана "
            "Серик Жумангарин и заместитель премьер-министра Узбекистана Жамшид Ходжаев. Участники заседания "
            "обсудили торговлю. По итогам заседания подписан протокол.")
    (event,) = events(text)
    assert set(people(event)) == {"Серик Жумангарин", "Жамшид Ходжаев"}
