"""Rule families of the extractor, as tables of Russian sentences and the facts expected.

The sentences are written for these tests (not taken from the dev corpus); negative rows
show what must not become an event, a participant or a place.
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


# -- dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,published,expected", [
    ("Вчера в Ташкенте состоялись переговоры министров иностранных дел двух стран.", "2024-03-15",
     date(2024, 3, 14)),
    ("В пятницу в Бишкеке прошло заседание межправительственного совета.", "2024-06-12", date(2024, 6, 7)),
    ("В среду в Баку состоялась встреча премьер-министров.", "2024-06-12", date(2024, 6, 12)),
    ("10 октября в Душанбе прошли переговоры глав государств.", "2025-10-11", date(2025, 10, 10)),
    ("28 декабря в Москве состоялась встреча министров.", "2025-01-10", date(2024, 12, 28)),
    ("Сегодня в Астане проходит форум межрегионального сотрудничества.", "2023-11-07", date(2023, 11, 7)),
    ("В Алматы состоялись консультации заместителей министров.", "2024-02-02", date(2024, 2, 2)),
    ("В марте в Минске прошла встреча министров экономики.", "2024-06-12", None),
])
def test_event_date_resolved_against_publication(text, published, expected):
    found = events(text, published)
    assert len(found) == 1
    assert found[0].date == expected


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


@pytest.mark.parametrize("text,expected", [
    ("В Москве министр культуры РФ Ольга Любимова встретилась с Айгерим Касымовой.",
     {"Ольга Любимова", "Айгерим Касымова"}),
    ("Переговоры Президента Казахстана с Президентом Турции Реджепом Тайипом Эрдоганом прошли в Анкаре. "
     "Касым-Жомарт Токаев и Эрдоган обсудили торговлю.", {"Реджеп Тайип Эрдоган", "Касым-Жомарт Токаев"}),
    ("В Токио министр иностранных дел Узбекистана Бахтиёр Саидов провел переговоры с министром иностранных дел "
     "Японии Ёко Камикавой.", {"Бахтиёр Саидов", "Ёко Камикава"}),
    ("В Абу-Даби министр энергетики Казахстана Алмасадам Саткалиев встретился с министром экономики ОАЭ "
     "Абдуллой бин Туком аль-Марри.", {"Алмасадам Саткалиев", "Абдулла бин Тук аль-Марри"}),
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


# -- what is not an event or not a participant ----------------------------------------------

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


def test_places_discussed_are_not_the_venue():
    text = ("В Москве прошли переговоры министров энергетики. Стороны обсудили поставки газа в Узбекистан и "
            "Кыргызстан и строительство ТЭЦ в Кокшетау.")
    (event,) = events(text)
    assert event.location.name == "Москва"


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


def test_presentation_of_credentials_is_one_event_with_the_ambassadors():
    text = ("Президент Узбекистана Шавкат Мирзиёев принял верительные грамоты у вновь назначенных послов. "
            "Верительные грамоты главе государства вручили Посол Японии Такаси Хатори и Посол Италии Марко Альберти.")
    (event,) = events(text)
    assert {"Шавкат Мирзиёев", "Такаси Хатори", "Марко Альберти"} <= set(people(event))


def test_head_of_the_ministry_is_the_minister_named_before():
    text = ("В Ереване министр иностранных дел Казахстана Мурат Нуртлеу провел переговоры с министром иностранных дел "
            "Армении Араратом Мирзояном. 14 июня глава казахстанского внешнеполитического ведомства встретился с "
            "председателем Национального собрания Армении Аленом Симоняном.")
    second = [e for e in events(text, "2024-06-14") if "Ален Симонян" in people(e)]
    assert second and "Мурат Нуртлеу" in people(second[0])


def test_post_only_mention_is_not_resolved_to_a_deputy():
    text = ("В Атырау аким Атырауской области Серик Шапкенов и заместитель акима области Марат Бекетаев провели "
            "встречу с губернатором Астраханской области Игорем Бабушкиным. 14 июня аким области встретился с "
            "послом Турции в Казахстане Исмаилом Алпером Джошкуном.")
    first, second = events(text, "2024-06-14")
    assert people(first)["Марат Бекетаев"].position == "заместитель акима"
    assert "Серик Шапкенов" in people(second) and "Марат Бекетаев" not in people(second)


def test_the_reporter_of_an_event_is_not_its_participant():
    text = ("Президенты Узбекистана и Таджикистана Шавкат Мирзиёев и Эмомали Рахмон провели телефонный разговор, "
            "сообщил пресс-секретарь президента Узбекистана Шерзод Асадов.")
    (event,) = events(text)
    assert set(people(event)) == {"Шавкат Мирзиёев", "Эмомали Рахмон"}


def test_the_lead_after_a_dated_dateline_parses_as_its_own_sentence():
    from kg import nlp

    doc = nlp.parse("Будапешт, 13 февраля 2024 года – Заместитель министра иностранных дел Казахстана Роман "
                    "Василенко провел консультации.")
    starts = [s.start for s in doc.sents]
    assert len(starts) == 2 and doc[starts[1]].text == "Заместитель"


def test_undated_event_with_no_dated_story_before_it_takes_the_publication_date():
    text = "В Алматы министр энергетики Казахстана Алмасадам Саткалиев встретился с послом Японии."
    (event,) = events(text, "2024-09-05")
    assert event.date == date(2024, 9, 5)


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


def test_counted_documents_are_not_documents():
    text = "В Астане состоялись переговоры министров. По итогам встречи подписано 12 документов."
    (event,) = events(text)
    assert event.documents == ()


# -- several events in one article ------------------------------------------------------------

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
