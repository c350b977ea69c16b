"""pymorphy3 helpers for the rules: parses, inflection, letter case, UD ↔ pymorphy3 grammemes.

The analyzer is ``kg.keys.analyzer`` (one per process); context-free keys of words and
phrases are ``kg.keys``.
"""

from __future__ import annotations

from functools import lru_cache

from kg.keys import analyzer

UD_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct",
            "Par": "gen2", "Voc": "voct"}
UD_GENDERS = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}
UD_NUMBERS = {"Sing": "sing", "Plur": "plur"}


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
