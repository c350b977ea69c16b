"""Helpers over spaCy tokens shared by the extraction rules: nominative forms of noun
phrases, quotes, tree depth, clean spans."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from kg.model import Mention
from kg.nlp.morph import UD_CASES, UD_GENDERS, UD_NUMBERS, inflect, restore_case

OPEN_QUOTES = {"«", "„", "“"}
CLOSE_QUOTES = {"»", "“", "”"}
STRAIGHT_QUOTES = {'"', "'"}
DASHES = {"–", "—", "-", "‒", "―"}
NOMINAL = {"NOUN", "PROPN"}
AGREEING = {"ADJ", "DET", "NUM"}


def feats(token: Token) -> dict[str, str]:
    return token.morph.to_dict()


def grammemes(token: Token, keys: Iterable[str] = ("Case", "Gender", "Number")) -> frozenset[str]:
    f = feats(token)
    tables = {"Case": UD_CASES, "Gender": UD_GENDERS, "Number": UD_NUMBERS}
    return frozenset(tables[k][f[k]] for k in keys if f.get(k) in tables[k])


def is_nominative(token: Token) -> bool:
    return feats(token).get("Case") == "Nom"


def inflect_token(token: Token, target_case: str = "nomn", keep_number: bool = True) -> str:
    """The token's word in the target case, same gender and number; the word itself
    when it is already in that case or cannot be inflected."""
    f = feats(token)
    if f.get("Case") is None or UD_CASES.get(f["Case"]) == target_case:
        return token.text
    word = token.text.lower()
    required = grammemes(token, ("Case",))
    prefer = grammemes(token, ("Gender", "Number"))
    target = {target_case}
    number = UD_NUMBERS.get(f.get("Number", ""))
    if keep_number and number:
        target.add(number)
    pos_tags = {"ADJ": "ADJF", "NUM": None, "DET": None}
    required = frozenset(required | ({pos_tags[token.pos_]} if pos_tags.get(token.pos_) else set()))
    from kg.nlp.morph import parses

    if token.pos_ in NOMINAL and not any(p.is_known for p in parses(word)):
        from kg.extract.names import nominative_word  # unknown nouns decline like names: "акиматом"

        gender = "Fem" if f.get("Gender") == "Fem" else "Masc"
        return nominative_word(token.text, f.get("Case"), gender, "family")
    form = inflect(word, required, frozenset(target), prefer)
    if form is None and required:
        form = inflect(word, frozenset(), frozenset(target), prefer)
    return restore_case(token.text, form) if form else token.text


def phrase_root(tokens: Sequence[Token]) -> Token | None:
    """The token of a contiguous phrase whose head lies outside it: a noun when there is one
    (an adjective the parser hung elsewhere is not the phrase's head)."""
    if not tokens:
        return None
    ids = {t.i for t in tokens}
    outside = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    nominal = [t for t in outside if t.pos_ in NOMINAL]
    return (nominal or outside or list(tokens))[0]


def agreeing(root: Token, tokens: Sequence[Token]) -> set[int]:
    """Indices of the root and of the words that agree with it (adjectives, participles,
    ordinal numbers, coordinated heads), which change case with it."""
    ids = {t.i for t in tokens}
    keep = {root.i}
    stack = [root]
    while stack:
        head = stack.pop()
        for child in head.children:
            if child.i not in ids or child.i in keep:
                continue
            if child.dep_ in ("amod", "det", "nummod:gov") or (child.pos_ in AGREEING and child.dep_ != "nmod"
                                                                and _same_case(child, head)):
                keep.add(child.i)
                stack.append(child)
            elif child.dep_ == "conj" and child.pos_ in NOMINAL and _same_case(child, head):
                keep.add(child.i)
                stack.append(child)
    return keep


def _same_case(a: Token, b: Token) -> bool:
    ca, cb = feats(a).get("Case"), feats(b).get("Case")
    return ca is not None and ca == cb


def nominative(tokens: Sequence[Token], capitalize: bool | None = None) -> str:
    """The phrase in the nominative: its head and the words agreeing with it change case,
    dependents keep theirs ("Дорожной карты по развитию…" → "Дорожная карта по развитию…")."""
    tokens = [t for t in tokens if not t.is_space]
    root = phrase_root(tokens)
    if root is None:
        return ""
    change = agreeing(root, tokens) if not is_nominative(root) else set()
    parts = []
    for token in tokens:
        word = inflect_token(token) if token.i in change else token.text
        parts.append(word + (token.whitespace_ if token is not tokens[-1] else ""))
    text = tidy("".join(parts))
    if capitalize and text:
        text = text[0].upper() + text[1:]
    return text


def tidy(text: str) -> str:
    """Normalise quotes to «» and collapse whitespace."""
    text = re.sub(r"\s+", " ", text).strip()
    return straight_to_angle_quotes(text)


def straight_to_angle_quotes(text: str) -> str:
    out, depth = [], 0
    for i, ch in enumerate(text):
        if ch in STRAIGHT_QUOTES or ch in ("“", "”", "„"):
            opening = i == 0 or text[i - 1] in " («-–—" or (i + 1 < len(text) and text[i + 1].isalnum()
                                                             and not text[i - 1].isalnum())
            if opening:
                depth += 1
                out.append("«")
            else:
                depth = max(0, depth - 1)
                out.append("»")
        else:
            out.append(ch)
    return "".join(out)


def quoted_token_ids(sent: Span) -> set[int]:
    """Tokens inside quotation marks (direct speech or names in quotes)."""
    inside, depth, straight_open = set(), 0, False
    for token in sent:
        text = token.text
        if text in OPEN_QUOTES and text not in CLOSE_QUOTES:
            depth += 1
            continue
        if text in CLOSE_QUOTES and depth > 0 and text not in OPEN_QUOTES:
            depth -= 1
            continue
        if text in STRAIGHT_QUOTES or text in ("“", "”"):
            straight_open = not straight_open
            continue
        if depth > 0 or straight_open:
            inside.add(token.i)
    return inside


def speech_token_ids(sent: Span) -> set[int]:
    """Tokens of direct speech: long quoted stretches (more than a name in quotes)."""
    ids = sorted(quoted_token_ids(sent))
    runs, run = [], []
    for i in ids:
        if run and i != run[-1] + 1:
            runs.append(run)
            run = []
        run.append(i)
    if run:
        runs.append(run)
    return {i for r in runs if len(r) > 6 for i in r}


def depth(token: Token) -> int:
    d = 0
    while token.head.i != token.i and d < 100:
        token = token.head
        d += 1
    return d


def ancestors_within(token: Token, limit: int = 50) -> list[Token]:
    out = []
    while token.head.i != token.i and len(out) < limit:
        token = token.head
        out.append(token)
    return out


def mention(doc: Doc, start: int, end: int) -> Mention:
    """A provenance record for tokens [start, end) with their sentence."""
    span = doc[start:end]
    sent = doc[start].sent
    return Mention(span.start_char, span.end_char, span.text, sent.start_char, sent.end_char)


def strip_punct(span: Span) -> Span:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].is_space) and doc[start].text not in OPEN_QUOTES:
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space) and doc[end - 1].text not in CLOSE_QUOTES \
            and doc[end - 1].text not in STRAIGHT_QUOTES:
        end -= 1
    return doc[start:end]


def lemma(token: Token) -> str:
    return token.lemma_.lower().replace("ё", "е")
