"""Topics: the fields of cooperation an event covers, as short nominative phrases.

A topic needs a cooperation context: the object of a word of discussion ("обсудили
поставки газа и строительство ТЭЦ"), the field of a noun of working together
("сотрудничество в энергетике, промышленности, транспорте и логистике", "промышленная
кооперация"), or the subject of a signed document ("Соглашение о сотрудничестве в области
карантина растений"). Frame, process and measure words are looked through ("вопросы
климата", "наращивание товарооборота", "увеличение объема перевозок"); every conjunct is
a topic of its own; places, countries, dates, numbers and clauses are left out of the
phrase. The words of each role are in ``kg/lexicons/topic_words.tsv``; each phrase maps
to a concept of the cooperation-areas scheme (``topics.tsv``) by the lemmas of its words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from kg.extract.context import Context
from kg.extract.text import CLOSE_QUOTES, DASHES, NOMINAL, OPEN_QUOTES, STRAIGHT_QUOTES, agreeing, feats, \
    inflect_token, is_nominative, lemma, phrase_root, tidy
from kg.lexicon import Lexicons, read_rows
from kg.model import Topic

MAX_WORDS = 8
MAX_DEPTH = 5
LOOK_THROUGH_PREPS = {"в", "во", "по", "о", "об", "к"}  # "участие в X", "меры по X", "вопросы о X"
COOPERATION_PREPS = {"в", "во", "по"}  # "сотрудничество в энергетике", "в области", "программы по X"
KEPT_PREPS = {"к", "по", "с", "со"}  # "подготовка к саммиту", "перевозки по маршруту"
DISCUSSED_PREPS = {"о", "об", "по"}  # "обменялись мнениями о ситуации"
TIME_WORDS = {"год", "квартал", "период", "сумма", "месяц", "неделя", "день"}
OWN_DEPS = {"amod", "nummod", "nummod:gov", "det", "fixed", "compound"}
COOPERATION_WORD = "сотрудничество"  # the noun a field adjective is said with ("энергетическое сотрудничество")
NAME_DEPS = {"flat", "flat:name", "flat:foreign", "appos"}


@dataclass(frozen=True)
class TopicWords:
    """The lemmas of each role in ``topic_words.tsv``."""

    roles: dict[str, frozenset[str]]

    def of(self, token: Token) -> str | None:
        return next((role for role in self.roles if self.has(role, token)), None)

    def has(self, role: str, token: Token) -> bool:
        """By the tagger's lemma, or the dictionary's when the tagger did not know the word."""
        from kg.keys import word_key

        words = self.roles.get(role, frozenset())
        return lemma(token) in words or word_key(token.text) in words


@lru_cache(maxsize=4)
def topic_words(lex: Lexicons) -> TopicWords:
    roles: dict[str, set[str]] = {}
    for role, word in read_rows("topic_words.tsv", lex.folder):
        roles.setdefault(role, set()).add(word.replace("ё", "е"))
    return TopicWords({role: frozenset(words) for role, words in roles.items()})


@lru_cache(maxsize=4)
def concept_index(lex: Lexicons) -> dict[str, tuple[str, str]]:
    """lemma (a key word, or each word of a preferred label) → (concept id, preferred label)."""
    index: dict[str, tuple[str, str]] = {}
    for row in lex.topics:
        concept, label, words = row[0], row[1], row[2]
        for word in words.split(","):
            index.setdefault(word.strip().replace("ё", "е"), (concept, label))
    return index


def concept_of(ctx: Context, tokens: list[Token]) -> str | None:
    """The scheme's concept a phrase belongs to: the first of its words, by lemma, that a
    concept lists (a modifier before its head: "атомная энергетика" is nuclear energy)."""
    from kg.keys import word_key

    index = concept_index(ctx.lex)
    for t in tokens:
        hit = index.get(lemma(t)) or index.get(word_key(t.text))
        if hit:
            return hit[0]
    return None


@dataclass(frozen=True)
class Phrase:
    """A topic as found: its tokens, or a label composed from an adjective ("энергетическое
    сотрудничество" from "в энергетической сфере")."""

    tokens: tuple[Token, ...]
    label: str | None = None


def topics_in(ctx: Context, sent: Span) -> list[Topic]:
    """The topics a sentence names in a cooperation context."""
    words = topic_words(ctx.lex)
    seen: set[int] = set()
    out: list[Topic] = []
    for token in sent:
        if token.i in ctx.dateline_tokens:
            continue
        if words.has("indicator", token):  # "товарооборот вырос на 14%": said even in a quote
            phrases = [Phrase((token,), lemma(token))]
        elif token.i in ctx.speech:
            continue
        else:
            phrases = [p for head in _anchored(ctx, words, token) for p in _fields(ctx, words, head, 0, seen)]
        for phrase in phrases:
            topic = _topic(ctx, phrase)
            if topic is not None and topic.label not in {t.label for t in out}:
                out.append(topic)
    return out


# -- contexts ---------------------------------------------------------------------------------

def _anchored(ctx: Context, words: TopicWords, token: Token) -> list[Token]:
    """The nouns a cooperation context at this token points at (with their conjuncts)."""
    if words.has("discuss", token):
        heads = _discussed(words, token)
    elif words.has("cooperation", token) and _free_cooperation(ctx, words, token):
        heads = [token]
    elif any(m.start <= token.i < m.end for m in ctx.documents) and _signed_document(ctx, token):
        heads = _document_subjects(words, token)
    else:
        return []
    return [x for h in heads for c in coordinated(h) for x in _past_none(words, c)]


def _discussed(words: TopicWords, token: Token) -> list[Token]:
    """"обсудили X", "обсуждались вопросы X", "уделили внимание X", "обменялись мнениями о X",
    "обсуждение X", "документ предусматривает X"."""
    out = []
    for c in token.children:
        if c.pos_ not in NOMINAL:
            continue
        preps = _preps(c)
        if words.has("none", c) and c.dep_ in ("obj", "obl", "iobj", "nsubj:pass", "nsubj"):
            out.append(c)  # "обменялись мнениями о X": looked past below
        elif c.dep_ in ("obj", "nsubj:pass") and not preps:
            out.append(c)
        elif c.dep_ == "nsubj" and _passive(words, token):
            out.append(c)  # "обсуждались вопросы …"
        elif c.dep_ in ("obl", "iobj", "nmod") and preps & DISCUSSED_PREPS:
            out.append(c)
        elif c.dep_ in ("obl", "iobj") and not preps and feats(c).get("Case") == "Dat" and words.has("discuss", token):
            out.append(c)  # "уделили внимание промышленной кооперации"
        elif token.pos_ == "NOUN" and c.dep_ == "nmod" and not preps and feats(c).get("Case") == "Gen":
            out.append(c)  # "обсуждение вопросов …"
    return out


def _passive(words: TopicWords, verb: Token) -> bool:
    """"обсуждались", "рассматривались": the reflexive passive of a verb of discussion."""
    word = lemma(verb)
    return feats(verb).get("Voice") == "Pass" or word.endswith("ся") and word[:-2] in words.roles.get("discuss", ())


def _past_none(words: TopicWords, token: Token) -> list[Token]:
    """"обменялись мнениями о X", "уделили внимание вопросам X": past a noun that names nothing."""
    if not words.has("none", token):
        return [token]
    return [c for c in token.children if c.dep_ == "nmod" and c.pos_ in NOMINAL
            and (_preps(c) & DISCUSSED_PREPS or not _preps(c))]


def _free_cooperation(ctx: Context, words: TopicWords, token: Token) -> bool:
    """A noun of working together that the sentence reports, not part of a name ("Шанхайская
    организация сотрудничества", "комиссия по сотрудничеству", "Программа сотрудничества")."""
    if token.i in ctx.org_token_ids or _preps(token) & {"по"}:
        return False
    node = token
    while node.dep_ in ("nmod", "conj") and node.head.i != node.i:
        parent = node.head
        if parent.pos_ in ("VERB", "AUX"):
            return True
        if node.dep_ == "nmod" and words.of(parent) not in ("frame", "process", "measure", "cooperation", "discuss",
                                                            "stance"):
            return False
        node = parent
    return node.dep_ not in ("nmod", "appos", "flat", "flat:name")


def _signed_document(ctx: Context, token: Token) -> bool:
    from kg.extract.documents import signing_word

    match = next(m for m in ctx.documents if m.start <= token.i < m.end)
    return token.i == match.start and signing_word(ctx, token) is not None


def _document_subjects(words: TopicWords, head: Token) -> list[Token]:
    """"Соглашение о сотрудничестве в области X", "Меморандум по развитию X", "Программа
    развития сотрудничества в сфере X": what the document is about."""
    out = []
    for c in head.children:
        if c.pos_ not in NOMINAL or c.dep_ != "nmod":
            continue
        preps = _preps(c)
        if preps & DISCUSSED_PREPS or not preps and words.of(c) == "process":
            out.append(c)
        elif not preps and words.of(c) == "cooperation":  # "Программа сотрудничества в сфере X": X, not the kind
            out.extend(_inner(c, COOPERATION_PREPS))
        elif not preps and words.of(c) is None and c.i < head.i + 4:  # "Программа совместных действий по X"
            out.extend(x for x in c.children if x.dep_ == "nmod" and x.pos_ in NOMINAL and _preps(x) & DISCUSSED_PREPS)
    return out


def coordinated(token: Token) -> list[Token]:
    """The token and its conjuncts ("в энергетике, промышленности, транспорте и логистике")."""
    out, stack = [], [token]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ == "conj" and c.i > t.i and (
            c.pos_ == t.pos_ or c.pos_ in NOMINAL and t.pos_ in NOMINAL))  # (a conjunct before it is a misparse)
    return sorted(out, key=lambda t: t.i)


def _preps(token: Token) -> set[str]:
    return {c.lower_ for c in token.children if c.dep_ == "case"}


# -- from a noun to its fields -------------------------------------------------------------------

def _fields(ctx: Context, words: TopicWords, token: Token, depth: int, seen: set[int]) -> Iterator[Phrase]:
    """The topic phrases a noun stands for: itself, or what it frames."""
    if depth > MAX_DEPTH or token.pos_ not in NOMINAL or token.i in seen or _excluded(ctx, token):
        return
    seen.add(token.i)
    role = words.of(token)
    if role == "none":
        return
    if role in ("frame", "process", "measure", "framework", "discuss"):
        yield from _looked_through(ctx, words, token, depth, seen, role)
    elif role == "cooperation":
        found = list(_cooperation(ctx, words, token, depth, seen))
        yield from found or (_phrases(ctx, words, token) if depth else ())  # "в области энергетики и связи"
    elif role == "field":
        yield from _field(ctx, words, token, depth, seen)
    else:
        yield from _phrases(ctx, words, token)


def _inner(token: Token, preps: set[str] | None) -> list[Token]:
    """Nominal dependents of a noun: genitives (``preps`` None) or those with one of ``preps``."""
    out = []
    for c in token.children:
        if c.dep_ not in ("nmod", "obl") or c.pos_ not in NOMINAL:
            continue
        has = _preps(c) or ({"в"} if feats(c).get("Case") == "Loc" else set())  # a misplaced "в"
        if preps is None and not has and feats(c).get("Case") in ("Gen", None) or preps and has & preps:
            out.append(c)
    return out


def _looked_through(ctx, words, token, depth, seen, role) -> Iterator[Phrase]:
    if role in ("frame", "discuss"):
        inner = _inner(token, LOOK_THROUGH_PREPS) or _inner(token, None) or _verb_objects(token)
    else:
        inner = _inner(token, None)
    for c in inner:
        for x in coordinated(c):
            yield from _fields(ctx, words, x, depth + 1, seen)


def _verb_objects(token: Token) -> list[Token]:
    """"задачу довести товарооборот до …": the object of the verb a frame noun governs."""
    return [o for c in token.children if c.pos_ == "VERB" for o in c.children if o.dep_ == "obj" and o.pos_ in NOMINAL]


def _cooperation(ctx, words, token, depth, seen) -> Iterator[Phrase]:
    """"сотрудничество в энергетике", "в области X", "в рамках X"; "промышленная кооперация"."""
    for c in _inner(token, COOPERATION_PREPS):
        for x in coordinated(c):
            yield from _fields(ctx, words, x, depth + 1, seen)
    for adjective in _field_adjectives(ctx, words, token):
        tokens = tuple(sorted([*_with_adverbs(adjective), token], key=lambda t: t.i))
        yield Phrase(tokens, _agreeing_label(adjective, token))


def _field(ctx, words, token, depth, seen) -> Iterator[Phrase]:
    """"в сфере образования" → образование; "в торгово-экономической сфере" → торгово-экономическое
    сотрудничество (the field named by its adjective)."""
    inner = _inner(token, None)
    for c in inner:
        for x in coordinated(c):
            yield from _fields(ctx, words, x, depth + 1, seen)
    if inner:
        return
    for adjective in _field_adjectives(ctx, words, token):
        label = _agreeing_label(adjective, None)
        if label:
            yield Phrase((adjective,), label)


def _field_adjectives(ctx: Context, words: TopicWords, noun: Token) -> list[Token]:
    """The adjectives of a noun that name a field (not "двустороннее", "стратегическое",
    "казахстанское"), each conjunct on its own."""
    out = []
    for c in noun.children:
        if c.dep_ == "amod" and c.pos_ in ("ADJ", "VERB"):  # (a rare adjective is tagged a participle)
            out.extend(x for x in coordinated(c) if x.pos_ in ("ADJ", "VERB"))
    return [a for a in out if _names_field(ctx, words, a) and not (
        words.has("empty", a) or words.has("relation", a) or a.i in ctx.country_at or _country_pair(ctx, a))]


def _names_field(ctx: Context, words: TopicWords, adjective: Token) -> bool:
    """An adjective of a field: a key word of the topic scheme or a field adjective of the lexicon
    ("энергетическое", "межпарламентское"; not "отдельное", "системное")."""
    return words.has("field_adjective", adjective) or concept_of(ctx, [adjective]) is not None


def _country_pair(ctx: Context, adjective: Token) -> bool:
    """"казахстанско-индонезийское", "российско-китайские": the relations of two countries, not a field."""
    from kg.keys import word_key

    parts = adjective.text.lower().split("-")
    return len(parts) > 1 and bool(ctx.gaz.lookup(word_key(parts[-1]), {"Country"}))


def _agreeing_label(adjective: Token, noun: Token | None) -> str | None:
    """An adjective and its noun in the nominative, the adjective agreeing with the noun
    ("торгово-экономического сотрудничества" → "торгово-экономическое сотрудничество"); with no
    noun, the field named by the adjective as a cooperation ("энергетическая сфера")."""
    from kg.nlp.morph import inflect, parses

    head = inflect_token(noun) if noun is not None else COOPERATION_WORD
    reading = next((p for p in parses(head.lower()) if p.tag.POS == "NOUN" and "nomn" in p.tag), None)
    if reading is None:
        return None
    target = {"nomn", reading.tag.number or "sing"} | ({reading.tag.gender} if reading.tag.number != "plur" else set())
    form = inflect(adjective.text.lower(), frozenset({"ADJF"}), frozenset(target))
    if form is None:
        return None
    adverbs = [t.text.lower() for t in _with_adverbs(adjective)[1:]]
    return " ".join([*adverbs, form, head.lower()])


def _with_adverbs(token: Token) -> list[Token]:
    """An adjective with its adverbs ("критически важное")."""
    return [token] + [c for c in token.children if c.dep_ == "advmod" and c.pos_ == "ADV" and c.i < token.i]


# -- the phrase itself ---------------------------------------------------------------------------

def _phrases(ctx: Context, words: TopicWords, head: Token) -> Iterator[Phrase]:
    """The noun with its modifiers; coordinated modifiers make a phrase each ("поставки угля и
    электроэнергии" → "поставки угля", "поставки электроэнергии")."""
    keep = [head]
    variants: list[list[Token]] = []
    for c in head.children:
        part = _modifier(ctx, words, c)
        if not part:
            continue
        conj = [x for x in coordinated(c) if x is not c and feats(x).get("Case") == feats(c).get("Case")]
        alternatives = [part] + [p for x in conj if (p := _modifier(ctx, words, x, as_conjunct=True))]
        if len(alternatives) > 1 and not variants and c.dep_ in ("amod", "nmod") and not _named(head):
            variants = alternatives
        else:
            keep.extend(part)
    for variant in variants or [[]]:
        tokens = sorted({t.i: t for t in keep + variant}.values(), key=lambda t: t.i)
        tokens = _balanced(tokens + _trailing_name(tokens[-1]))
        if len(tokens) == 1 and (words.has("incomplete", head) or any(m.start == head.i for m in ctx.documents)):
            continue  # "подготовка", "поставки", "ситуация": a topic only with what it is of
        if tokens and len([t for t in tokens if t.is_alpha or t.like_num]) <= MAX_WORDS:
            yield Phrase(tuple(tokens))


def _named(head: Token) -> bool:
    """A capitalised head inside a sentence names one thing ("Центр ядерной науки и технологий")."""
    return head.text[:1].isupper() and head.i != head.sent.start


def _modifier(ctx: Context, words: TopicWords, c: Token, as_conjunct: bool = False) -> list[Token]:
    """The tokens a dependent adds to its head's phrase (none for places, dates, numbers,
    clauses, empty adjectives and prepositional phrases that are not of the topic)."""
    dep = "amod" if as_conjunct and c.pos_ == "ADJ" else ("nmod" if as_conjunct else c.dep_)
    if c.i in ctx.speech:
        return []
    if dep == "amod":
        if c.pos_ not in ("ADJ", "VERB") or words.has("empty", c) or c.i in ctx.country_at:
            return []
        return _with_adverbs(c)
    if dep in NAME_DEPS:
        if c.i > 0 and c.doc[c.i - 1].text in OPEN_QUOTES | STRAIGHT_QUOTES or c.doc[c.i + 1:c.i + 2].text in DASHES:
            return []  # a quoted name or a route: read off the text (``_trailing_name``)
        sub = list(c.subtree)
        if any(_excluded(ctx, t) for t in sub if t.is_alpha):
            return []
        return sub
    if dep == "nmod" and c.pos_ in NOMINAL:
        preps = _preps(c)
        if words.has("situation", c.head) and preps and not _dated(c):
            return [c] + [x for x in c.children if x.dep_ in ("case", "amod", "flat", "flat:name")]  # "в Афганистане"
        if preps and not preps <= KEPT_PREPS or _excluded(ctx, c) or _dated(c):
            return []
        inner = [c] + [x for x in c.children if x.dep_ == "case"]
        for x in c.children:
            if x.dep_ != "case" and x.dep_ != "conj" and x.dep_ != "cc":
                inner.extend(_modifier(ctx, words, x))
        return inner
    if dep == "punct" and c.text in OPEN_QUOTES | CLOSE_QUOTES | STRAIGHT_QUOTES:
        return [c]
    return []


def _trailing_name(last: Token) -> list[Token]:
    """A name right after the phrase: in quotes ("коридора «Север – Юг»") or a route of names
    joined by dashes ("линии Ченнай – Владивосток", "Баку – Тбилиси – Джейхан")."""
    doc, i = last.doc, last.i + 1
    sent_end = last.sent.end
    if i < sent_end and doc[i].text in OPEN_QUOTES:
        depth = 0
        for j in range(i, min(sent_end, i + MAX_WORDS + 4)):
            depth += (doc[j].text in OPEN_QUOTES) - (doc[j].text in CLOSE_QUOTES)
            if depth == 0:
                return list(doc[i:j + 1])
        return []
    end = i
    while end + 2 < sent_end + 1 and end < sent_end and doc[end].text[:1].isupper() and end + 1 < sent_end \
            and doc[end + 1].text in DASHES and end + 2 < sent_end and doc[end + 2].text[:1].isupper():
        end += 2
    return list(doc[i:end + 1]) if end > i else []


def _excluded(ctx: Context, token: Token) -> bool:
    """Places, countries and people are not topics (nor parts of one)."""
    if token.i in ctx.place_at or token.i in ctx.country_at:
        return True
    return any(e.start <= token.i < e.end for e in ctx.ents("PER")) or any(
        e.start <= token.i < e.end for e in ctx.ents("LOC"))


def _dated(token: Token) -> bool:
    """"до 2026 года", "во втором квартале", "на сумму": a time or an amount (the noun with
    its own modifiers, not the phrases that hang on it)."""
    own = [token] + [t for c in token.children if c.dep_ in OWN_DEPS for t in c.subtree]
    return any(t.like_num or lemma(t) in TIME_WORDS for t in own)


def _balanced(tokens: list[Token]) -> list[Token]:
    """Quotes kept only in pairs; no punctuation at either end."""
    quotes = [t for t in tokens if t.text in OPEN_QUOTES | CLOSE_QUOTES | STRAIGHT_QUOTES]
    opening = sum(t.text in OPEN_QUOTES for t in quotes)
    closing = sum(t.text in CLOSE_QUOTES for t in quotes)
    straight = sum(t.text in STRAIGHT_QUOTES for t in quotes)
    if opening != closing or straight % 2:
        tokens = [t for t in tokens if t not in quotes]
    while tokens and tokens[0].is_punct and tokens[0].text not in OPEN_QUOTES | STRAIGHT_QUOTES:
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and tokens[-1].text not in CLOSE_QUOTES | STRAIGHT_QUOTES:
        tokens = tokens[:-1]
    return tokens


def _topic(ctx: Context, phrase: Phrase) -> Topic | None:
    tokens = list(phrase.tokens)
    if phrase.label is not None:
        return Topic(phrase.label, concept_of(ctx, tokens))
    text = _render(tokens)
    if not text or not any(t.is_alpha for t in tokens):
        return None
    label = text if _proper(tokens) else text.lower()
    return Topic(label, concept_of(ctx, tokens))


def _render(tokens: list[Token]) -> str:
    """The phrase in the nominative (its head and the words agreeing with it), its words
    spaced as in the text where they were adjacent."""
    root = phrase_root(tokens)
    change = agreeing(root, tokens) if root is not None and not is_nominative(root) else set()
    ids = {t.i for t in tokens}
    parts = []
    for t in tokens:
        word = inflect_token(t) if t.i in change else t.text
        space = t.whitespace_ if t.i + 1 in ids else " "
        parts.append(word + space)
    return tidy("".join(parts))


def _proper(tokens: list[Token]) -> bool:
    """A name: a proper noun, an abbreviation, quotes, or a capital inside the sentence."""
    return _named(tokens[0]) or any(t.pos_ == "PROPN" or (t.text.isupper() and len(t.text) > 1)
                                    or t.text in OPEN_QUOTES for t in tokens)
