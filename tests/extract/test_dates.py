"""Dates (``kg.extract.dates``): relative dates resolved against the publication date, as tables
of Russian sentences and the date expected.

The sentences are written for these tests (not taken from the dev corpus); negative rows
show what must not be found."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kg.extract import extract
from kg.model import Article

pytestmark = pytest.mark.usefixtures("nlp")


def events(text: str, published: str = "2024-06-12"):
    return extract(Article("t", text, published=datetime.fromisoformat(published))).events


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
