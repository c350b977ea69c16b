"""Date expressions and their resolution against the publication date.

"10 октября", "24–25 мая 2023 года", "вчера", "в пятницу", "накануне", "в тот же день";
"в сентябре" and "в 2024 году" are dates too vague for a day: they resolve to ``None``
but still tell that the text gave the event's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Doc, Span

from kg.extract.text import lemma

MONTHS = {"январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6, "июль": 7, "август": 8,
          "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12}
MONTH_FORMS = {"января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
               "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12}
WEEKDAYS = {"понедельник": 0, "вторник": 1, "среда": 2, "четверг": 3, "пятница": 4, "суббота": 5,
            "воскресенье": 6}
WEEKDAY_FORMS = {"понедельник": 0, "вторник": 1, "среду": 2, "среда": 2, "четверг": 3, "пятницу": 4,
                 "пятница": 4, "субботу": 5, "суббота": 5, "воскресенье": 6}
RELATIVE = {"сегодня": 0, "вчера": -1, "позавчера": -2, "завтра": 1, "послезавтра": 2, "накануне": -1}
SEASONS = ("осенью", "весной", "летом", "зимой")
SAME_DAY = (("в", "тот", "же", "день"), ("в", "этот", "же", "день"), ("в", "тот", "день"), ("в", "этот", "день"),
            ("тогда", "же"), ("в", "тот", "же", "вечер"))


STARTERS = frozenset({"в", "во", "тогда"} | set(RELATIVE) | set(SEASONS))


@dataclass(frozen=True)
class DateMention:
    start: int          # token indices [start, end)
    end: int
    kind: str           # explicit | relative | weekday | same_day | vague
    value: date | None  # resolved day, None for vague or same_day
    offset: int = 0     # for relative: days from the publication date

    def span(self, doc: Doc) -> Span:
        return doc[self.start:self.end]


def find_dates(sent: Span, published: date | None, skip: set[int] = frozenset()) -> list[DateMention]:
    """Every date expression in the sentence, resolved where possible."""
    out: list[DateMention] = []
    tokens = list(sent)
    i = 0
    while i < len(tokens):
        found = None
        word = tokens[i].lower_
        if tokens[i].i not in skip and (_number(word[:1]) or word in STARTERS):
            found = (_explicit(tokens, i, published) or _same_day(tokens, i) or _relative(tokens, i, published)
                     or _weekday(tokens, i, published) or _vague(tokens, i))
        if found:
            out.append(found)
            i = found.end - sent.start
        else:
            i += 1
    return out


def _explicit(tokens, i, published) -> DateMention | None:
    """"10 октября", "24–25 мая", "12 марта 2024 года"."""
    t = tokens[i]
    day_text = t.text.split("–")[0].split("-")[0]
    if not _number(day_text) or not 1 <= int(day_text) <= 31 or i + 1 >= len(tokens):
        return None
    j = i + 1
    if tokens[j].text in ("–", "-", "—") and j + 2 < len(tokens) and _number(tokens[j + 1].text):
        j += 2
    month = MONTH_FORMS.get(tokens[j].text.lower()) if j < len(tokens) else None
    if month is None:
        return None
    end = j + 1
    year = None
    if end < len(tokens) and _number(tokens[end].text) and len(tokens[end].text) == 4:
        year = int(tokens[end].text)
        end += 1
        if end < len(tokens) and tokens[end].text.lower() in ("года", "г", "г."):
            end += 1
    value = _make_date(year, month, int(day_text), published)
    return DateMention(t.i, tokens[end - 1].i + 1, "explicit", value)


def _number(text: str) -> bool:
    """ASCII digits only ("²" and "٣" are digits to str.isdigit, not to int)."""
    return text.isascii() and text.isdigit()


def _make_date(year: int | None, month: int, day: int, published: date | None) -> date | None:
    if year is None:
        if published is None:
            return None
        year = published.year
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if (candidate - published).days > 183:
            year -= 1
        elif (published - candidate).days > 183:
            year += 1
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _relative(tokens, i, published) -> DateMention | None:
    word = tokens[i].lower_
    if word not in RELATIVE:
        return None
    value = shift(published, RELATIVE[word])
    return DateMention(tokens[i].i, tokens[i].i + 1, "relative", value, RELATIVE[word])


def _weekday(tokens, i, published) -> DateMention | None:
    """"в пятницу", "во вторник": the last such day on or before the publication date."""
    if tokens[i].text.lower() not in ("в", "во") or i + 1 >= len(tokens):
        return None
    day = WEEKDAYS.get(lemma(tokens[i + 1]))
    if day is None:
        day = WEEKDAY_FORMS.get(tokens[i + 1].text.lower())
    if day is None:
        return None
    value = shift(published, -((published.weekday() - day) % 7)) if published else None
    return DateMention(tokens[i].i, tokens[i + 1].i + 1, "weekday", value)


def _same_day(tokens, i) -> DateMention | None:
    if tokens[i].lower_ not in ("в", "тогда"):
        return None
    words = [t.text.lower() for t in tokens[i:i + 4]]
    for pattern in SAME_DAY:
        if tuple(words[:len(pattern)]) == pattern:
            return DateMention(tokens[i].i, tokens[i].i + len(pattern), "same_day", None)
    return None


def _vague(tokens, i) -> DateMention | None:
    """"в сентябре", "в 2024 году", "осенью": the time is given but not the day."""
    t = tokens[i]
    if t.text.lower() in ("в", "во") and i + 1 < len(tokens):
        nxt = tokens[i + 1]
        if lemma(nxt) in MONTHS:
            return DateMention(t.i, nxt.i + 1, "vague", None)
        if _number(nxt.text) and len(nxt.text) == 4 and i + 2 < len(tokens) and lemma(tokens[i + 2]) == "год":
            return DateMention(t.i, tokens[i + 2].i + 1, "vague", None)
    if t.lower_ in SEASONS:
        return DateMention(t.i, t.i + 1, "vague", None)
    return None


def shift(value: date | None, days: int) -> date | None:
    """A day ``days`` after ``value`` (None when there is no such day in the calendar)."""
    if value is None:
        return None
    try:
        return value + timedelta(days=days)
    except OverflowError:
        return None
