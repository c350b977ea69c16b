"""Trigger finding: the event words of a sentence — lexicon event nouns, "Дни <place>", and
verbs that report an event by themselves — with whether each is factual (not a plan) and
whether it refers back to an event already reported."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.context import Context, Match
from kg.extract.events.records import Scene, Trigger
from kg.extract.events.rules import Rule, Rules, always, const
from kg.extract.text import feats, lemma


def find_triggers(scene: Scene, sent: Span) -> list[Trigger]:
    ctx = scene.ctx
    out = []
    speech = ctx.speech
    for m in ctx.events:
        if not (sent.start <= m.start < sent.end) or m.start in scene.doc_tokens or m.start in speech:
            continue
        if m.start in ctx.dateline_tokens:
            continue
        head = _head(ctx, m)
        out.append(Trigger(m.start, m.end, m.value, head, factual(ctx, head), *reference(scene, m, head),
                           joined=joined(scene, head)))
    for token in sent:
        if _days_of(scene, token) and not any(t.start <= token.i < t.end for t in out):
            out.append(Trigger(token.i, token.i + 1, "CulturalEvent", token, factual(ctx, token),
                               *reference(scene, Match(token.i, token.i + 1, "event", "CulturalEvent"), token)))
            continue
        kind = _verb_trigger(scene, token)
        if kind and token.i not in speech:
            out.append(Trigger(token.i, token.i + 1, kind, token, factual(ctx, token)))
    return out


def _head(ctx: Context, m: Match) -> Token:
    tokens = list(ctx.doc[m.start:m.end])
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[-1])


def reference(scene: Scene, m: Match, head: Token) -> tuple[bool, bool]:
    """Whether the event word refers back to an event already reported, and whether it
    is the event on whose sidelines ("на полях") another one took place (``REFERENCE``)."""
    return REFERENCE.apply(scene, m, head)


# -- whether an event word refers back: (scene, match, head) → (refers back, sidelines) -----

def _vague_word(scene: Scene, m: Match, head: Token) -> bool:
    return m.value == "Any"


def _reference_phrase(ctx: Context, m: Match) -> Match | None:
    """The reference phrase just before the event word ("по итогам", "на полях"), if any."""
    for ref in ctx.refs:
        gap = ctx.doc[ref.end:m.start]
        if ref.end <= m.start and len(gap) <= 3 and all(t.pos_ in ("ADJ", "DET", "NUM") for t in gap):
            return ref
    return None


def _after_reference_phrase(scene: Scene, m: Match, head: Token) -> bool:
    return _reference_phrase(scene.ctx, m) is not None


def _phrase_sidelines(scene: Scene, m: Match, head: Token) -> tuple[bool, bool]:
    ref = _reference_phrase(scene.ctx, m)
    return True, scene.ctx.doc[ref.start:ref.end].text.lower().startswith(scene.words.sideline_phrases)


def _on_reference_noun(scene: Scene, m: Match, head: Token) -> bool:
    return head.dep_ == "nmod" and lemma(head.head) in scene.words.reference_heads


def _noun_sidelines(scene: Scene, m: Match, head: Token) -> tuple[bool, bool]:
    return True, lemma(head.head) in scene.words.sideline_heads


def _demonstrative(scene: Scene, m: Match, head: Token) -> bool:
    return any(lemma(c) in scene.words.demonstratives for c in head.children)


def _named_under_noun(scene: Scene, m: Match, head: Token) -> bool:
    return _under_other_noun(scene.ctx, head)


def _in_speech(scene: Scene, m: Match, head: Token) -> bool:
    return _reported_in_speech(scene.ctx, head)


def _joined_event(scene: Scene, m: Match, head: Token) -> bool:
    return joined(scene, head)


REFERENCE = Rules("reference of an event word", (
    Rule("a vague word", _vague_word, const((True, False)),
         "Мероприятие прошло в Астане в теплой атмосфере."),
    Rule("after a reference phrase", _after_reference_phrase, _phrase_sidelines,
         "Вчера в Астане прошли переговоры. По итогам переговоров министры подписали меморандум."),
    Rule("on a noun of an event told", _on_reference_noun, _noun_sidelines,
         "Вчера в Астане прошли переговоры. Итоги переговоров подвели министры."),
    Rule("with a demonstrative", _demonstrative, const((True, False)),
         "Вчера в Астане прошли переговоры. Эта встреча стала первой за год."),
    # "ведущие заседания", "за участие в сессии": named, not reported
    Rule("under another noun", _named_under_noun, const((True, False)),
         "Министр поблагодарил коллег за участие в сессии."),
    # "…, – заявил X, открывая встречу"; "сообщил, что поездка …"
    Rule("reported in speech", _in_speech, const((True, False)),
         "Министр сообщил, что поездка прошла успешно."),
    # "В переговорах принял участие …": someone joined a reported event
    Rule("the event someone joined", _joined_event, const((True, False)),
         "В переговорах принял участие министр торговли."),
    Rule("a new event", always, const((False, False)),
         "Вчера в Ташкенте министры иностранных дел двух стран провели переговоры."),
))


def joined(scene: Scene, head: Token) -> bool:
    """"В переговорах принял участие …", "приняли участие в заседании …": the event taken part in."""
    ctx, words = scene.ctx, scene.words
    verb = head.head
    if head.dep_ == "nmod" and lemma(verb) in words.joining_nouns:
        verb = verb.head
    elif head.dep_ != "obl":
        return False
    return lemma(verb) in words.joining_verbs \
        and any(m.start <= head.i < m.end for m in ctx.events) and head.i > 0 \
        and ctx.doc[head.i - 1].lower_ in words.locative_prepositions


def _under_other_noun(ctx: Context, head: Token) -> bool:
    node = head
    while node.dep_ in ("nmod", "conj", "appos") and node.head.i != node.i:
        parent = node.head
        if parent.pos_ in ("VERB", "AUX"):
            return False
        if not is_trigger(ctx, parent):
            return node.dep_ == "nmod" or parent.pos_ in ("NOUN", "PROPN", "ADJ")
        node = parent
    return False


def _reported_in_speech(ctx: Context, head: Token) -> bool:
    lex = ctx.lex
    for verb in [head] + list(head.ancestors):
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        if feats(verb).get("VerbForm") == "Conv":
            return True
        if verb is not head and lemma(verb) in lex.speech_verbs:
            return True
        if verb.dep_ not in ("ccomp", "advcl", "acl", "acl:relcl", "xcomp", "conj"):
            return False
    return False


def is_trigger(ctx: Context, token: Token) -> bool:
    """Whether the token is part of a lexicon event word."""
    return any(m.start <= token.i < m.end for m in ctx.events)


def _days_of(scene: Scene, token: Token) -> bool:
    """"Дни Астраханской области", "Дни Казахстана": days of a place are a cultural event."""
    ctx = scene.ctx
    if token.text not in scene.words.festival_days or token.i + 1 >= len(ctx.doc):
        return False
    nxt = token.i + 1
    while nxt < len(ctx.doc) and ctx.doc[nxt].pos_ == "ADJ" and nxt not in ctx.place_at:
        nxt += 1
    return nxt in ctx.place_at


def _verb_trigger(scene: Scene, token: Token) -> str | None:
    """The event type a verb reports by itself (``VERB_EVENT``), if any."""
    if token.pos_ != "VERB":
        return None
    kind = scene.ctx.lex.event_verbs.get(lemma(token))
    return VERB_EVENT.apply(scene, token, kind) if kind is not None else None


# -- whether an event verb reports its event: (scene, verb, its event type) → type or None ----

def _reception(scene: Scene, token: Token, kind: str) -> bool:
    return lemma(token) in scene.words.reception_verbs


def _of_a_guest(scene: Scene, token: Token, kind: str) -> bool:
    """Received: no thing as the object, and two people in the verb's clause."""
    people = scene.people
    things = [c for c in token.children if c.dep_ == "obj" and not people.is_person(c)
              and not any(x.dep_ == "appos" and people.is_person(x) for x in c.children)]
    found = [t for t in token.subtree if people.is_person(t) and clause_verb(t) is not None
             and clause_verb(t).i == token.i]  # "…дня турецкого министра принял аким": a misparse too
    return not things and len({people.key(t) for t in found}) >= 2


def _reception_of_a_guest(scene: Scene, token: Token, kind: str) -> bool:
    return _reception(scene, token, kind) and _of_a_guest(scene, token, kind)


def _visit(scene: Scene, token: Token, kind: str) -> bool:
    return kind == "Visit"


def _visit_to_a_country_or_city(scene: Scene, token: Token, kind: str) -> bool:
    place_at = scene.ctx.place_at
    return kind == "Visit" and any(c.i in place_at and place_at[c.i].label in ("Country", "City")
                                   for c in token.children if c.dep_ in ("obj", "obl"))


def _its_type(scene: Scene, token: Token, kind: str) -> str:
    return kind


VERB_EVENT = Rules("event of a verb", (
    Rule("a guest received", _reception_of_a_guest, _its_type,
         "Аким Алматы Ерболат Досаев принял посла Японии Кэндзи Ито."),
    Rule("a reception of no guest", _reception, const(None),
         "Вчера парламент принял закон о торговле."),
    Rule("a visit to a country or city", _visit_to_a_country_or_city, _its_type,
         "Вчера министр иностранных дел посетил Узбекистан."),
    Rule("a visit elsewhere", _visit, const(None),
         "Вчера министр посетил завод."),
    Rule("the verb's own event", always, _its_type,
         "Вчера министры иностранных дел встретились в Ташкенте."),
))


def factual(ctx: Context, head: Token) -> bool:
    """False for plans and intentions: a future or infinitive governing verb, or a plan
    word on the way to the root or among the event word's modifiers."""
    lex = ctx.lex
    for child in head.children:
        if lemma(child) in lex.plan_words:
            return False
        if child.dep_ in ("acl:relcl", "acl") and future(child):
            return False
    chain = [head] + list(head.ancestors)
    first_verb = True
    for token in chain:
        if lemma(token) in lex.plan_words:
            return False
        if token.pos_ in ("VERB", "AUX"):
            if first_verb and (future(token) or _modal_child(token, lex)):
                return False
            if feats(token).get("VerbForm") == "Inf" and first_verb:
                if token is head:
                    return False
                continue
            first_verb = False
    return True


def future(token: Token) -> bool:
    f = feats(token)
    return f.get("Tense") == "Fut" or (f.get("Aspect") == "Perf" and f.get("Tense") == "Pres")


def _modal_child(token: Token, lex) -> bool:
    return any(c.dep_ in ("xcomp", "aux") and lemma(c) in lex.plan_words for c in token.children)


def clause_verb(token: Token) -> Token | None:
    """The nearest verb above a token (the token's clause)."""
    node, hops = token.head, 0
    while hops < 12:
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.head.i == node.i:
            return None
        node, hops = node.head, hops + 1
    return None
