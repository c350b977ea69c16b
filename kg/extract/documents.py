"""Signed documents: the title span in the nominative, the type, the parties.

A document word (соглашение, меморандум, дорожная карта…) names a signed document when a
signing word governs it ("подписали План…", "подписана Дорожная карта…", "церемония
подписания Соглашения…") or when it heads an item of a list introduced by "подписаны:".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg.extract.context import Context, Match
from kg.extract.orgs import organization
from kg.extract.text import DASHES, feats, lemma, nominative, tidy
from kg.model import Country, Organization

STOP_WORDS = {";", "(", ":", "—"}
PARTY_STOP_ADP = {"о", "об", "по", "на", "в", "во", "для", "с", "со", "до"}


@dataclass
class DocumentMention:
    start: int
    end: int
    title: str
    type: str
    sent: int
    signers: list[Token] = field(default_factory=list)  # subjects of the signing verb
    parties: list[Organization | Country] = field(default_factory=list)
    anaphoric: bool = False  # "Меморандум подписали министры…": the document named before
    verb: Token | None = None


def find_documents(ctx: Context) -> list[DocumentMention]:
    out: list[DocumentMention] = []
    listed = _list_sentences(ctx)
    for match in ctx.documents:
        if any(d.start < match.start < d.end for d in out):
            continue  # "План мероприятий по реализации Соглашения …": one document
        head = _match_head(ctx, match)
        sent = head.sent
        verb = signing_word(ctx, head)
        in_list = ctx.sentence_index(head.i) in listed and match.start <= sent.start + 2
        if verb is None and not in_list:
            continue
        if _generic(ctx, head, match):
            continue
        end = _title_end(ctx, match, head)
        start = _title_start(ctx, match, head)
        tokens = [t for t in ctx.doc[start:end] if not t.is_space]
        title = tidy(nominative(tokens, capitalize=True))
        mention = DocumentMention(start, end, title, match.value, ctx.sentence_index(head.i), verb=verb,
                                  anaphoric=end == match.end)
        mention.signers = _signers(ctx, verb) if verb is not None else []
        mention.parties = _parties_in_title(ctx, match, end)
        out.append(mention)
    return out


def _title_start(ctx: Context, match: Match, head: Token) -> int:
    """"Астанинскую декларацию": adjectives agreeing with the document word open the title."""
    start = match.start
    while start > 0 and ctx.doc[start - 1].pos_ == "ADJ" and ctx.doc[start - 1].head.i == head.i \
            and ctx.doc[start - 1].i not in ctx.country_at:
        start -= 1
    return start


def _match_head(ctx: Context, match: Match) -> Token:
    """The syntactic head of a multi-word document phrase ("План мероприятий" → "План")."""
    tokens = list(ctx.doc[match.start:match.end])
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[0])


def _list_sentences(ctx: Context) -> set[int]:
    """Sentences that are items of a list introduced by a signing verb and a colon."""
    out, active = set(), False
    for k, sent in enumerate(ctx.sentences):
        text = sent.text.strip()
        if active and text[:1] in DASHES | {"•", "*"}:
            out.add(k)
            continue
        active = text.endswith(":") and any(lemma(t) in ctx.lex.sign_verbs for t in sent)
    return out


def signing_word(ctx: Context, head: Token) -> Token | None:
    """The signing verb or noun that governs the document word (through conjunctions)."""
    token, hops, through_documents = head, 0, False
    while hops < 4 and token.head.i != token.i:
        dep = token.dep_
        token = token.head
        hops += 1
        if lemma(token) == "обменяться" and (through_documents or lemma(head) == "документ"):
            return token  # "стороны обменялись документами: Соглашением …" (not "обменялись мнениями")
        through_documents = through_documents or lemma(token) == "документ"
        if lemma(token) in ctx.lex.sign_verbs or token.norm_ in ctx.lex.sign_verbs:
            if lemma(token) == "принять" and dep not in ("obj", "nsubj:pass"):
                return None
            return token
        listed = dep == "parataxis" and lemma(token) == "документ"  # "обменялись документами: Соглашением …"
        if dep not in ("conj", "obj", "iobj", "nsubj:pass", "nmod", "nsubj", "obl", "appos") and not listed \
                or token.pos_ == "VERB":
            break
    return None


def _generic(ctx: Context, head: Token, match: Match) -> bool:
    """"более 50 соглашений", "ряд документов", "Межправительственные документы": not one document."""
    if feats(head).get("Number") == "Plur":
        return True
    if any(c.dep_.startswith("nummod") for c in head.children):
        return True
    return match.value == "Other" and match.end - match.start == 1


def _title_end(ctx: Context, match: Match, head: Token) -> int:
    """Where the title ends, reading right from the document word: at the end of the clause
    (";", ":", "(", a verb, ", а также", a comma before a participle or relative clause), before
    a coordinated document ("… и Меморандум …"), or before the place or day of the signing."""
    doc = ctx.doc
    sent = head.sent
    end = match.end
    quote_depth = 0
    for i in range(match.end, sent.end):
        t = doc[i]
        if t.text == "«":
            quote_depth += 1
        elif t.text == "»":
            quote_depth = max(0, quote_depth - 1)
        if quote_depth == 0 and not _inside_name(ctx, t) and _stops_title(ctx, doc, i):
            break
        end = i + 1
    while end > match.end and (doc[end - 1].is_punct or doc[end - 1].is_space) and doc[end - 1].text not in "»\"":
        end -= 1
    return end


def _stops_title(ctx: Context, doc, i: int) -> bool:
    t = doc[i]
    if t.is_space or t.text in STOP_WORDS:
        return True
    if t.text == "," and _clause_after(doc, i):
        return True
    if t.text in DASHES and t.whitespace_ and i > 0 and doc[i - 1].whitespace_ and i + 1 < len(doc) \
            and (doc[i + 1].pos_ in ("VERB", "AUX") or doc[i + 1].is_punct):
        return True
    if t.pos_ in ("VERB", "AUX") and feats(t).get("VerbForm") in ("Fin", "Inf", None):
        return True
    if t.lower_ == "и" and _document_follows(ctx, i):
        return True
    if t.lower_ in ("в", "во") and i + 1 < len(doc):
        place = ctx.place_at.get(i + 1)
        if place is not None and place.label in ("City", "Venue") or doc[i + 1].lower_ in WEEKDAY_WORDS:
            return True
    return False


WEEKDAY_WORDS = {"понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"}


def _inside_name(ctx: Context, token: Token) -> bool:
    return token.i in ctx.org_token_ids


def _clause_after(doc, i: int) -> bool:
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    if nxt is None:
        return True
    if nxt.lower_ in ("а", "который", "которая", "которое", "которые", "что", "где", "предусматривающий"):
        return True
    return nxt.pos_ in ("VERB", "AUX") or "VerbForm=Part" in str(nxt.morph) or nxt.pos_ == "ADV"


def _document_follows(ctx: Context, i: int) -> bool:
    return any(m.start in (i + 1, i + 2) for m in ctx.documents)


def _signers(ctx: Context, verb: Token) -> list[Token]:
    """Who signed: the subject of the signing verb (with its conjuncts); when the parser
    found none for an active verb, the nearest post, name or organization before it."""
    out = []
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubj:pass") and child.pos_ in ("NOUN", "PROPN"):
            out.append(child)
            out.extend(c for c in child.children if c.dep_ == "conj")
    if out or feats(verb).get("Voice") == "Pass" or verb.pos_ != "VERB":
        return out
    starts = {m.start for m in ctx.posts} | {e.start for e in ctx.ents("PER")} | {s.start for s in ctx.org_spans}
    for i in range(verb.i - 1, verb.sent.start - 1, -1):
        if i in starts and not any(m.start <= i < m.end for m in ctx.refs):
            return [ctx.doc[i]]
    return out


def _parties_in_title(ctx: Context, match: Match, end: int) -> list[Organization | Country]:
    """"… между X и Y …" or, for statements, "Заявление X и Y" (genitive parties)."""
    doc = ctx.doc
    tokens = list(doc[match.end:end])
    between = next((k for k, t in enumerate(tokens) if t.lower_ == "между"), None)
    if between is not None:
        groups = _split_parties(ctx, tokens[between + 1:])
    elif match.value == "Declaration" and tokens and feats(tokens[0]).get("Case") == "Gen":
        groups = _split_parties(ctx, tokens)
    else:
        return []
    parties = []
    for group in groups:
        if between is None and not any(t.i in ctx.country_at or t.i in ctx.org_token_ids for t in group):
            continue  # "Заявление министров …": a genitive that names no state or organization
        party = _office_country(ctx, group) or organization(ctx, group)
        if party is not None:
            parties.append(party)
    return parties


def _office_country(ctx: Context, group: list[Token]) -> Country | None:
    """"Президента Республики Казахстан" as a party: the country it acts for."""
    if not any(m.start == group[0].i for m in ctx.posts):
        return None
    match = next((ctx.country_at[t.i] for t in group if t.i in ctx.country_at), None)
    if match is None or match.label != "Country":
        return None
    return Country(match.entry.label, match.entry.iri)


def _split_parties(ctx: Context, tokens: list[Token]) -> list[list[Token]]:
    groups: list[list[Token]] = [[]]
    depth = 0
    for t in tokens:
        if t.text == "«":
            depth += 1
        elif t.text == "»":
            depth = max(0, depth - 1)
        inside = depth > 0 or t.i in ctx.org_token_ids
        if not inside and t.pos_ == "ADP" and t.lower_ in PARTY_STOP_ADP:
            break
        if not inside and t.text == ",":
            break
        nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
        if t.lower_ == "и" and (depth == 0 and _starts_party(nxt) or nxt is not None and nxt.text in LEGAL_FORMS
                                or _same_case(groups[-1], nxt)):
            groups.append([])
            continue
        groups[-1].append(t)
    return [g for g in groups if g and any(t.is_alpha for t in g)]


LEGAL_FORMS = {"АО", "ОАО", "ПАО", "ЗАО", "ТОО", "ООО", "НАО", "АООТ", "ГУП", "ФГУП", "НК"}


def _same_case(group: list[Token], token: Token | None) -> bool:
    """"Правительством Омской области и акиматом …": a word that can be a noun in the case of
    the first party's head (the dictionary is asked too: taggers miss rare words)."""
    if not group or token is None or not token.is_alpha:
        return False
    case = feats(group[0]).get("Case")
    if case is None or case in ("Gen", "Nom"):
        return False
    if token.pos_ in ("NOUN", "PROPN") and feats(token).get("Case") == case:
        return True
    from kg.nlp.morph import UD_CASES, parses

    return any(p.tag.POS == "NOUN" and p.tag.case == UD_CASES.get(case) for p in parses(token.lower_))


def _starts_party(token: Token | None) -> bool:
    """After "и" in "между X и Y": a new party starts with a capital or a legal form."""
    return token is not None and (token.text[:1].isupper() or token.text in LEGAL_FORMS)


def document_span(ctx: Context, m: DocumentMention) -> Span:
    return ctx.doc[m.start:m.end]
