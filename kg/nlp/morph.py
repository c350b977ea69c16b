"""pymorphy3 helpers: one analyzer per process, context-free keys, inflection.

``word_key`` gives every word form a context-free key (the normal form of its most
likely parse, lowercase, ё→е); the gazetteer and lexicon matchers compare keys, so
"Министерства культуры" and "министерство культура" meet whatever the case.
"""

from __future__ import annotations

from functools import lru_cache

import pymorphy3

UD_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct",
            "Par": "gen2", "Voc": "voct"}
UD_GENDERS = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}
UD_NUMBERS = {"Sing": "sing", "Plur": "plur"}


@lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def fold(text: str) -> str:
    return text.lower().replace("ё", "е")


@lru_cache(maxsize=300_000)
def word_key(word: str) -> str:
    """A context-free key for matching: the first, alphabetically, of the normal forms the
    dictionary allows for the word (as a noun when it can be one, else as an adjective).
    Every form of a word usually allows the same normal forms, so "Астану", "Астане" and
    "Астана" share a key even where the likeliest parse differs."""
    low = fold(word)
    if not any(c.isalpha() for c in low) or not _is_cyrillic(low):
        return low
    if low.startswith("экс-") and len(low) > 6:
        return word_key(low[4:])  # "экс-президент" is a post word
    readings = analyzer().parse(low)
    if not any(p.is_known for p in readings):
        return crude_stem(low)
    readings = [p for p in readings if p.is_known]
    for pos in ({"NOUN"}, {"ADJF", "ADJS", "PRTF", "PRTS"}):
        forms = {fold(p.normal_form) for p in readings if p.tag.POS in pos}
        if forms:
            return min(forms)
    forms = {fold(p.normal_form) for p in readings}
    return min(forms) if forms else low


ENDINGS = sorted({"ого", "его", "ому", "ему", "ой", "ей", "ая", "яя", "ую", "юю", "ое", "ее", "ые", "ие", "ых", "их",
                  "ым", "им", "ыми", "ими", "ом", "ем", "ами", "ями", "ах", "ях", "ам", "ям", "ов", "ев", "ы", "и",
                  "а", "я", "у", "ю", "е", "о", "ь", "ий", "ый", "ой"}, key=len, reverse=True)


def crude_stem(word: str) -> str:
    """For words the dictionary does not know ("Атырауской", "акиматом"): the word without its
    longest inflectional ending, so that every case form of it meets."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def phrase_key(words: list[str] | tuple[str, ...]) -> str:
    return " ".join(word_key(w) for w in words if w.strip())


def _is_cyrillic(word: str) -> bool:
    return any("а" <= c <= "я" or c == "ё" for c in word)


@lru_cache(maxsize=100_000)
def parses(word: str) -> tuple:
    return tuple(analyzer().parse(word))


def ud_to_grammemes(feats: dict[str, str]) -> set[str]:
    out = set()
    for key, table in (("Case", UD_CASES), ("Gender", UD_GENDERS), ("Number", UD_NUMBERS)):
        if feats.get(key) in table:
            out.add(table[feats[key]])
    return out


@lru_cache(maxsize=100_000)
def inflect(word: str, required: frozenset[str], target: frozenset[str],
            prefer: frozenset[str] = frozenset()) -> str | None:
    """Inflect ``word`` to the ``target`` grammemes, choosing a parse that has all of
    ``required`` (and preferably ``prefer``); ``None`` when no parse fits."""
    candidates = [p for p in parses(word) if required <= p.tag.grammemes]
    if prefer:
        candidates.sort(key=lambda p: -len(prefer & p.tag.grammemes))
    for parse in candidates:
        form = parse.inflect(set(target))
        if form is not None:
            return form.word
    return None


def restore_case(source: str, word: str) -> str:
    """Give ``word`` the letter case of ``source`` (Title, UPPER or lower)."""
    if source.isupper() and len(source) > 1:
        return word.upper()
    if source[:1].isupper():
        parts = word.split("-")
        src_parts = source.split("-")
        return "-".join(p[:1].upper() + p[1:] if i >= len(src_parts) or src_parts[i][:1].isupper() else p
                        for i, p in enumerate(parts))
    return word
