"""Topics (``kg.extract.topics``): fields of cooperation, as tables of Russian sentences and the
topics expected present and absent.

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


# -- topics ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,present,absent", [
    ("В Астане министры обсудили поставки угля и развитие транспортных коридоров.",
     {"поставки угля", "развитие транспортных коридоров"}, set()),
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
