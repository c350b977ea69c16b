"""The founding article format and plain text."""

from datetime import datetime

import pytest

from kg.errors import InputError
from kg.read import dateline_end, parse_text

FOUNDING = """ date 2024-02-03 #Экономика #Казахстан и Китай
Бизнес

Казахстан и Китай договорились о поставках зерна

Фото - Новости Zakon.kz от 03.02.2024 09:15 Фото: пресс-служба
В Пекине состоялись переговоры министров сельского хозяйства двух стран.

Стороны обсудили экспорт зерна.

Ерлан Иванов
"""


def test_founding_format_header_byline_and_author():
    a = parse_text(FOUNDING, "x1")
    assert a.id == "x1"
    assert a.published == datetime(2024, 2, 3, 9, 15)
    assert a.tags == ("Экономика", "Казахстан и Китай")
    assert a.rubric == "Бизнес"
    assert a.title == "Казахстан и Китай договорились о поставках зерна"
    assert a.source == "Zakon.kz"
    assert a.authors == ("Ерлан Иванов",)
    assert a.text.startswith("В Пекине состоялись")
    assert "Ерлан Иванов" not in a.text and "Фото" not in a.text


def test_dateline_agency_becomes_the_source():
    text = " date 2023-05-17 #x\nВ мире\n\nЗаголовок новости\n\nМОСКВА, 17 мая – РИА Новости. Президент провел встречу.\n"
    a = parse_text(text, "x2")
    assert a.source == "РИА Новости"
    assert a.published == datetime(2023, 5, 17)
    assert a.text[dateline_end(a.text):].startswith("Президент")


@pytest.mark.parametrize("text,title,start", [
    ("Заголовок без точки\n\nПервый абзац текста.\n", "Заголовок без точки", "Первый абзац"),
    ("Просто текст одной строкой.\n", None, "Просто текст"),
])
def test_plain_text(text, title, start):
    a = parse_text(text, "plain")
    assert a.title == title
    assert a.text.startswith(start)
    assert a.published is None


def test_empty_article_is_an_input_error():
    with pytest.raises(InputError, match="empty"):
        parse_text("   \n\n", "empty")
