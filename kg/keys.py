"""Context-free keys for words and phrases, the one way kg compares words.

``word_key`` gives every word form a key (the normal form of its most likely parse,
lowercase, ё→е); ``text_key`` keys a phrase as the NLP tokenizer splits it. The gazetteer,
the lexicons and the NLP matchers compare these keys, so "Министерства культуры" and
"министерство культура" meet whatever the case. ``surname_key`` folds a surname's gender.

This room sits below both ``kg.nlp`` and the gazetteer and lexicon loaders: it imports
nothing of kg but the lexicon files' reader. pymorphy3 and razdel load on first use.
"""

from __future__ import annotations

from functools import lru_cache

from kg.config import lexicon_dir
from kg.util import read_rows


@lru_cache(maxsize=1)
def analyzer():
    """The process-wide pymorphy3 analyzer (``kg.nlp.morph`` parses with it too)."""
    import pymorphy3

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


@lru_cache(maxsize=1)
def endings() -> tuple[str, ...]:
    """``inflection_endings.txt``, longest first."""
    return tuple(sorted({row[0] for row in read_rows(lexicon_dir() / "inflection_endings.txt")}, key=len,
                        reverse=True))


def crude_stem(word: str) -> str:
    """For words the dictionary does not know ("Атырауской", "акиматом"): the word without its
    longest inflectional ending, so that every case form of it meets."""
    for ending in endings():
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def phrase_key(words: list[str] | tuple[str, ...]) -> str:
    """The key of a phrase already split into words (tokens of a Doc, say)."""
    return " ".join(word_key(w) for w in words if w.strip())


def words(phrase: str) -> list[str]:
    """The words of a phrase as the NLP pipeline's tokenizer (razdel) splits them, punctuation included."""
    from razdel import tokenize

    return [t.text for t in tokenize(phrase)]


def text_key(phrase: str) -> str:
    """The key of a phrase written as text: "Министерства иностранных дел" → "министерство иностранный дело"."""
    return phrase_key(words(phrase))


def _is_cyrillic(word: str) -> bool:
    return any("а" <= c <= "я" or c == "ё" for c in word)


@lru_cache(maxsize=1)
def _surname_genders() -> tuple[tuple[str, str], ...]:
    return tuple((row[0], row[1]) for row in read_rows(lexicon_dir() / "surname_genders.tsv"))


def surname_key(family: str) -> str:
    """A gender-neutral key for a surname in the nominative: Балаева and Балаев meet."""
    low = fold(family)
    for fem, masc in _surname_genders():
        if low.endswith(fem):
            return low[: -len(fem)] + masc
    return low
