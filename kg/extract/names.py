"""Personal names in the nominative.

Dictionaries know few Kazakh, Uzbek or Turkish names, so oblique forms are undone by
the declension patterns of Russian names and surnames (by ending, case and gender),
and pymorphy3 is consulted only for words those patterns do not cover.
"""

from __future__ import annotations

import re

# (case, ending in that case, nominative ending), tried in order; the first match wins.
FEMININE_SURNAME = [
    (None, "ской", "ская"), (None, "цкой", "цкая"), ("Acc", "скую", "ская"), ("Acc", "цкую", "цкая"),
    (None, "овой", "ова"), (None, "евой", "ева"), (None, "ёвой", "ёва"), (None, "иной", "ина"), (None, "ыной", "ына"),
    ("Acc", "ову", "ова"), ("Acc", "еву", "ева"), ("Acc", "ёву", "ёва"), ("Acc", "ину", "ина"), ("Acc", "ыну", "ына"),
]
MASCULINE_SURNAME = [
    ("Gen", "ского", "ский"), ("Acc", "ского", "ский"), ("Dat", "скому", "ский"), ("Ins", "ским", "ский"),
    ("Loc", "ском", "ский"), ("Gen", "цкого", "цкий"), ("Acc", "цкого", "цкий"), ("Dat", "цкому", "цкий"),
    ("Ins", "цким", "цкий"), ("Loc", "цком", "цкий"),
    ("Ins", "овым", "ов"), ("Ins", "евым", "ев"), ("Ins", "ёвым", "ёв"), ("Ins", "иным", "ин"), ("Ins", "ыным", "ын"),
    ("Ins", "чим", "чий"), ("Gen", "чего", "чий"), ("Dat", "чему", "чий"),
]
FEMININE_NAME = [
    ("Ins", "ией", "ия"), ("Ins", "ьей", "ья"), ("Ins", "ой", "а"), ("Ins", "ей", "я"),
    ("Gen", "ии", "ия"), ("Dat", "ии", "ия"), ("Loc", "ии", "ия"),
    ("Gen", "ьи", "ья"), ("Dat", "ье", "ья"), ("Loc", "ье", "ья"),
    ("Gen", "ы", "а"), ("Gen", "ги", "га"), ("Gen", "ки", "ка"), ("Gen", "хи", "ха"), ("Gen", "жи", "жа"),
    ("Gen", "ши", "ша"), ("Gen", "чи", "ча"), ("Gen", "щи", "ща"), ("Gen", "и", "я"),
    ("Dat", "е", "а"), ("Loc", "е", "а"), ("Acc", "у", "а"), ("Acc", "ю", "я"),
]
MASCULINE_PATRONYMIC = [("Gen", "ича", "ич"), ("Acc", "ича", "ич"), ("Dat", "ичу", "ич"), ("Ins", "ичем", "ич"),
                        ("Loc", "иче", "ич")]
FEMININE_PATRONYMIC = [("Gen", "вны", "вна"), ("Dat", "вне", "вна"), ("Acc", "вну", "вна"), ("Ins", "вной", "вна"),
                       ("Loc", "вне", "вна"), ("Gen", "чны", "чна"), ("Acc", "чну", "чна"), ("Ins", "чной", "чна")]
VOWELS = set("аеёиоуыэюя")
SIBILANTS = set("жшчщц")
INDECLINABLE_ENDINGS = ("о", "у", "ю", "и", "е", "э", "ы", "улы", "кызы", "оглы", "ко")


def _apply(word: str, table, case: str) -> str | None:
    low = word.lower()
    for rule_case, ending, nominative in table:
        if (rule_case is None or rule_case == case) and low.endswith(ending) and len(low) > len(ending) + 1:
            return word[: len(word) - len(ending)] + _match_case(word[-len(ending):], nominative)
    return None


def _match_case(source: str, target: str) -> str:
    return target.upper() if source.isupper() and len(source) > 1 else target


def _masculine_consonant(word: str, case: str) -> str | None:
    """Masculine names and surnames ending in a consonant or -й/-ь: Мурата → Мурат,
    Сергеем → Сергей, Игоря → Игорь, Дмитрия → Дмитрий."""
    low = word.lower()
    endings = {"Gen": ("а", "я"), "Acc": ("а", "я"), "Dat": ("у", "ю"), "Ins": ("ом", "ем"), "Loc": ("е",)}.get(case, ())
    for ending in endings:
        if not low.endswith(ending) or len(low) <= len(ending) + 1:
            continue
        stem = word[: len(word) - len(ending)]
        last = stem[-1].lower()
        if ending in ("я", "ю", "ем") or (ending == "е" and last in VOWELS):
            if last == "и" or last in VOWELS:
                return stem + "й"
            if ending == "ем" and last in SIBILANTS:
                return stem
            return stem + "ь" if ending != "е" else stem + "й"
        if last in VOWELS:
            return None
        return stem
    return None


def nominative_word(word: str, case: str | None, gender: str | None, role: str) -> str:
    """One word of a personal name (role: given, patronymic or family) in the nominative."""
    if not case or case == "Nom" or not word[:1].isalpha():
        return word
    low = word.lower()
    if "-" in word and role != "given":
        head, _, tail = word.rpartition("-")
        return head + "-" + nominative_word(tail, case, gender, role)
    fem = gender == "Fem"
    if role == "patronymic":
        return _apply(word, FEMININE_PATRONYMIC if fem else MASCULINE_PATRONYMIC, case) or word
    if fem:
        if role == "family":
            return _apply(word, FEMININE_SURNAME, case) or _feminine_name(word, case) or word
        # the tagger often mistakes the case of a rare first name ("Танзилы" as instrumental):
        # then its ending says which oblique case it is in
        return _feminine_name(word, case) or next(
            (n for c in ("Gen", "Ins", "Acc", "Dat") if (n := _feminine_name(word, c))), word)
    if role == "family":
        result = _apply(word, MASCULINE_SURNAME, case)
        if result:
            return result
    if role in ("given", "family") and case == "Ins" and low.endswith(("ой", "ей")) and len(low) > 4:
        return word[:-2] + ("а" if low.endswith("ой") else "я")  # Абдуллой → Абдулла, Маттареллой → Маттарелла
    if low.endswith(INDECLINABLE_ENDINGS) and not low.endswith(("ю", "у", "е")) or _indeclinable(low, case):
        return word
    return _masculine_consonant(word, case) or word


def _feminine_name(word: str, case: str) -> str | None:
    low = word.lower()
    if low[-1] not in VOWELS and not low.endswith(("ой", "ей")):
        return None  # Айгерим, Асель, Ким: feminine words ending in a consonant do not decline
    return _apply(word, FEMININE_NAME, case)


def _indeclinable(low: str, case: str) -> bool:
    """Masculine words that cannot carry the case ending they would need (Нуртлеу, Хоценко)."""
    if low.endswith(("ко", "о", "э", "и", "ы")):
        return True
    return case in ("Gen", "Acc") and low.endswith("у") or case == "Dat" and low.endswith(("уу", "еу", "оу"))


PATRONYMIC = re.compile(r"(ович|евич|ич|овна|евна|ична|инична|улы|кызы|оглы)(а|у|ем|е|ы|ой|ну)?$", re.I)


FEMININE_ONLY_ENDINGS = ("овой", "евой", "ёвой", "иной", "ыной")  # oblique forms of -ова, -ева, -ина


def feminine_surname(word: str) -> bool:
    """Whether a surname form can only be a woman's (Нарбаевой; not Иванова, which is also his genitive)."""
    low = word.lower()
    return low.endswith(FEMININE_ONLY_ENDINGS) and len(low) > 5


def looks_like_patronymic(word: str) -> bool:
    return bool(PATRONYMIC.search(word)) and len(word) > 5

