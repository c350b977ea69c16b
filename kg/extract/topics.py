"""Topics: what the sides discussed ("обсудили X, Y и Z"), as short nominative phrases,
each mapped to a concept of the cooperation-areas scheme where its words point to one."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span, Token

from kg.extract.context import Context
from kg.extract.text import feats, lemma, nominative, tidy
from kg.lexicon import Lexicons
from kg.model import Topic

DISCUSS = {"обсудить", "обсуждаться", "обсуждать", "коснуться", "затронуть", "рассмотреть", "уделить", "обменяться"}
TOPIC_HEADS_SKIP = {"вопрос", "ход", "перспектива", "круг", "ряд", "тема", "аспект", "проблематика", "повестка",
                    "реализация", "выполнение"}
NOT_TOPICS = {"внимание", "договоренность", "договорённость", "встреча", "переговоры", "итог", "результат",
              "возможность", "состояние", "мнение", "сторона", "вопрос", "тема"}  # words that name no field
MAX_WORDS = 6


@lru_cache(maxsize=4)
def concept_index(lex: Lexicons) -> dict[str, tuple[str, str]]:
    """keyword lemma → (concept id, preferred label)."""
    index = {}
    for row in lex.topics:
        concept, label, words = row[0], row[1], row[2]
        for word in words.split(","):
            index.setdefault(word.strip(), (concept, label))
    return index


def concept_of(ctx: Context, tokens: list[Token]) -> str | None:
    index = concept_index(ctx.lex)
    for t in tokens:
        hit = index.get(lemma(t))
        if hit:
            return hit[0]
    return None


def topics_in(ctx: Context, sent: Span) -> list[Topic]:
    """Topic phrases governed by a verb of discussion in the sentence."""
    out: list[Topic] = []
    for verb in sent:
        if lemma(verb) not in DISCUSS:
            continue
        for obj in _objects(verb):
            for head in _expand([obj] + [c for c in obj.subtree if c.dep_ == "conj" and c.head.i in _chain(obj)]):
                if lemma(head) in NOT_TOPICS:
                    continue
                phrase = _phrase(head)
                if phrase and not _empty(phrase, head):
                    out.append(Topic(tidy(nominative(phrase)).lower() if not _proper(phrase) else
                                     tidy(nominative(phrase)), concept_of(ctx, phrase)))
    return list(dict.fromkeys(out))


def _objects(verb: Token) -> list[Token]:
    objs = [c for c in verb.children if c.dep_ in ("obj", "nsubj:pass", "obl", "iobj") and c.pos_ in ("NOUN", "PROPN")]
    attention = lemma(verb) == "уделить"  # "уделили внимание развитию транспорта": the dative is the topic
    out = []
    for obj in objs:
        if attention and feats(obj).get("Case") == "Dat" and not any(c.dep_ == "case" for c in obj.children):
            out.append(obj)
            continue
        if obj.dep_ in ("obl", "iobj") and not any(c.lower_ in ("о", "об") for c in obj.children):
            continue
        if lemma(obj) in TOPIC_HEADS_SKIP:
            inner = [c for c in obj.children if c.dep_ == "nmod" and c.pos_ in ("NOUN", "PROPN")]
            out.extend(inner or [])
        else:
            out.append(obj)
    return out


def _expand(heads: list[Token]) -> list[Token]:
    """"вопросы энергетики", "внимание кооперации": the field is the word the frame noun governs."""
    out = []
    for head in heads:
        if lemma(head) in TOPIC_HEADS_SKIP or lemma(head) == "внимание":
            out.extend(c for c in head.children if c.dep_ == "nmod" and c.pos_ in ("NOUN", "PROPN"))
        else:
            out.append(head)
    return out


def _chain(token: Token) -> set[int]:
    ids = {token.i}
    for t in token.subtree:
        if t.dep_ == "conj" and t.head.i in ids:
            ids.add(t.i)
    return ids


def _phrase(head: Token) -> list[Token]:
    """The head with its modifiers, without coordinated phrases and clauses."""
    skip = set()
    for child in head.children:
        if child.dep_ in ("conj", "cc", "punct", "acl", "acl:relcl", "parataxis"):
            skip.update(t.i for t in child.subtree)
    tokens = [t for t in head.subtree if t.i not in skip and not t.is_space]
    ids = {t.i for t in tokens}
    start, end = head.i, head.i  # only the unbroken run around the head: a phrase with a hole reads wrong
    while start - 1 in ids:
        start -= 1
    while end + 1 in ids:
        end += 1
    tokens = [t for t in tokens if start <= t.i <= end]
    tokens = [t for t in tokens if not (t.pos_ in ("CCONJ", "PUNCT") and (t is tokens[0] or t is tokens[-1]))]
    if not tokens or len(tokens) > MAX_WORDS or feats(head).get("Case") is None and head.pos_ != "PROPN":
        return tokens[:0] if not tokens or len(tokens) > MAX_WORDS else tokens
    return tokens


PROCESS_WORDS = {"развитие", "использование", "сотрудничество", "взаимодействие", "укрепление", "расширение",
                 "углубление", "продвижение", "работа", "партнерство", "отношение"}
EMPTY_MODIFIERS = {"совместный", "двусторонний", "взаимный", "дальнейший", "всесторонний", "двустороннее",
                   "многосторонний", "активный", "тесный", "взаимовыгодный"}


def _empty(tokens: list[Token], head: Token) -> bool:
    """"развитие", "совместное использование", "дальнейшее сотрудничество": a process with no field."""
    if lemma(head) not in PROCESS_WORDS:
        return False
    return all(t.i == head.i or lemma(t) in EMPTY_MODIFIERS or t.pos_ in ("PUNCT", "CCONJ") for t in tokens)


def _proper(tokens: list[Token]) -> bool:
    return any(t.pos_ == "PROPN" or (t.text.isupper() and len(t.text) > 1) for t in tokens)
