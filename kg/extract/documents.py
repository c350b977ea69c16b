"""Signed documents: the title span in the nominative, the type, the parties.

A document word (соглашение, меморандум, дорожная карта…) names a signed document when a
signing word governs it ("подписали План…", "подписана Дорожная карта…", "церемония
подписания Соглашения…") or when it heads an item of a list introduced by "подписаны:".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span, Token

from kg.extract.context import Context, Match
from kg.extract.orgs import from_entry, organization
from kg.extract.text import DASHES, feats, lemma, nominative, tidy
from kg.lexicon import Lexicons, read_rows
from kg.model import Country, Organization, Participation
from kg.keys import phrase_key, word_key

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
    """The signing verb or noun that governs the document word (through conjunctions), or
    the one that governs the "документами:" a list of documents follows."""
    return _governing_signature(ctx, head) or _listed_after_colon(ctx, head)


def _listed_after_colon(ctx: Context, head: Token) -> Token | None:
    """"стороны обменялись документами: Соглашением …, Меморандумом …, а также Программой …"."""
    sent = head.sent
    for t in ctx.doc[sent.start:head.i]:
        if lemma(t) == "документ" and t.i + 1 < head.i and ctx.doc[t.i + 1].text == ":":
            return _governing_signature(ctx, t)
    return None


def _governing_signature(ctx: Context, head: Token) -> Token | None:
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
        quote_depth = _quote_depth(t, quote_depth)
        if quote_depth == 0 and not _inside_name(ctx, t) and _stops_title(ctx, doc, i):
            break
        end = i + 1
    while end > match.end and (doc[end - 1].is_punct or doc[end - 1].is_space) and doc[end - 1].text not in "»\")":
        end -= 1
    return end


def _stops_title(ctx: Context, doc, i: int) -> bool:
    t = doc[i]
    if t.text == "(" and _abbreviation_in_brackets(doc, i):
        return False  # "… агентством по содействию торговле и инвестициям (KOTRA)"
    if t.is_space or t.text in STOP_WORDS:
        return True
    if t.text == "," and (_clause_after(doc, i) or _document_follows(ctx, i)):
        return True  # "…, Меморандумом о взаимопонимании …": the next document of a list
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


def _abbreviation_in_brackets(doc, i: int) -> bool:
    """"(KOTRA)", "(DEİK)": a short name in brackets right after a name."""
    inner = doc[i + 1:i + 4]
    close = next((t.i for t in inner if t.text == ")"), None)
    return close is not None and close > i + 1 and all(
        t.text.isupper() or not t.is_alpha and t.text != "," for t in doc[i + 1:close])


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
    if verb.pos_ == "NOUN" and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head  # "скрепили подписями": the subjects are the verb's
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubj:pass") and child.pos_ in ("NOUN", "PROPN") \
                and not any(m.start <= child.i < m.end for m in ctx.documents):  # ("подписан Меморандум")
            out.append(child)
            out.extend(c for c in child.children if c.dep_ == "conj")
    by_signature = verb.pos_ == "NOUN" and feats(verb).get("Case") == "Ins"  # "скрепили подписями" misparsed
    if out or feats(verb).get("Voice") == "Pass" or verb.pos_ != "VERB" and not by_signature:
        return out
    starts = {m.start for m in ctx.posts} | {e.start for e in ctx.ents("PER")} | {s.start for s in ctx.org_spans}
    for i in range(verb.i - 1, verb.sent.start - 1, -1):
        if i in starts and not any(m.start <= i < m.end for m in ctx.refs):
            first = ctx.doc[i]
            while first.dep_ == "conj" and first.head.i < first.i and first.head.i >= verb.sent.start:
                first = first.head  # "АО «X» и ПАО «Y» скрепили …": the whole coordination
            return [first] + [c for c in first.children if c.dep_ == "conj"]
    return out


def _parties_in_title(ctx: Context, match: Match, end: int) -> list[Organization | Country]:
    """"… между X и Y …" or, for statements, "Заявление X и Y" (genitive parties)."""
    doc = ctx.doc
    tokens = list(doc[match.end:end])
    between = next((k for k, t in enumerate(tokens) if t.lower_ == "между"), None)
    if between is not None:
        plural = _plural_governments(ctx, tokens[between + 1:])
        if plural:
            return plural
        groups = _split_parties(ctx, tokens[between + 1:])
    elif match.value == "Declaration" and tokens and feats(tokens[0]).get("Case") == "Gen":
        groups = _split_parties(ctx, tokens)
    else:
        return []
    parties = []
    for group in groups:
        if between is None and (not any(t.i in ctx.country_at or t.i in ctx.org_token_ids for t in group)
                                or _post_or_event(ctx, group[0])):
            continue  # "Заявление министров …", "Декларация саммита …": not a state or an organization
        party = _office_country(ctx, group) or organization(ctx, group)
        if party is not None:
            parties.append(party)
    return parties


def _post_or_event(ctx: Context, token: Token) -> bool:
    return any(m.start == token.i for m in ctx.posts) or any(m.start <= token.i < m.end for m in ctx.events)


def _plural_governments(ctx: Context, tokens: list[Token]) -> list[Party]:
    """"между правительствами Азербайджана, Казахстана и Узбекистана": the government of each country."""
    if not tokens or tokens[0].lemma_ != "правительство" or feats(tokens[0]).get("Number") != "Plur":
        return []
    countries: list[Country] = []
    for t in tokens:
        country = _country_named_at(ctx, t)
        if country is None and not (t.text == "," or t.lower_ == "и" or t is tokens[0]):
            break
        if country is not None and country.gid not in {c.gid for c in countries}:
            countries.append(country)
    return _governments(ctx, countries) if len(countries) >= 2 else []


def _country_named_at(ctx: Context, token: Token) -> Country | None:
    """The country a token names, by itself or inside a government's name ("правительствами Азербайджана")."""
    match = ctx.country_at.get(token.i) or ctx.gazetteer_org_at.get(token.i)
    if match is None or match.label not in ("Country", "Government"):
        return None
    entry = match.entry if match.label == "Country" else ctx.gaz.country_of(match.entry.country)
    return Country(entry.label, entry.iri) if entry is not None else None


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
        depth = _quote_depth(t, depth)
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


def _quote_depth(token: Token, depth: int) -> int:
    """Quotation depth after a token. One closing quote ends every open one unless another
    follows it: "АО «НК «Қазақстан темір жолы»" is closed by its last quote."""
    if token.text == "«":
        return depth + 1
    if token.text == "»":
        nxt = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        return depth - 1 if nxt is not None and nxt.text == "»" else 0
    return depth


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


# -- the signatories, resolved against the event ------------------------------------------------

Party = Organization | Country


@lru_cache(maxsize=4)
def party_words(lex: Lexicons) -> dict[str, frozenset[str]]:
    """role → lemmas, from ``party_words.tsv``."""
    roles: dict[str, set[str]] = {}
    for role, word in read_rows("party_words.tsv", lex.folder):
        roles.setdefault(role, set()).add(word)
    return {role: frozenset(words) for role, words in roles.items()}


def signatories(ctx: Context, d: DocumentMention, parties: list[Party], people: list[Participation],
                sides: list[Country]) -> list[Party]:
    """The parties of a document as the text says who signed it, resolved to what the event
    holds: a protocol of an intergovernmental commission's session or an intergovernmental
    agreement with no party named is the governments' of the sides; a party named for both
    sides ("министерства иностранных дел двух стран") is that organization of each side; the
    subjects of the signing verb, when countries, are the parties; signers named as a group
    ("стороны", "сопредседатели") give one party a side; an organization the event already
    holds keeps the name it has there."""
    if not d.parties and _intergovernmental(ctx, d) and len(sides) >= 2:
        return _governments(ctx, sides)
    if not parties:
        parties = _country_signers(ctx, d)
    if not d.parties and _group_signed(ctx, d):
        parties = _one_a_side(parties)
    out = [x for p in parties for x in _both_sides(ctx, p, people, sides)]
    return list(dict.fromkeys(_as_in_event(p, people) for p in out))


def _intergovernmental(ctx: Context, d: DocumentMention) -> bool:
    """"Межправительственное соглашение", "Протокол заседания Межправительственной комиссии", or
    "Протокол заседания комиссии" where the article's commission is intergovernmental."""
    words = party_words(ctx.lex)
    title = [t for t in ctx.doc[d.start:d.end]]
    if any(lemma(t) in words["intergovernmental"] for t in title[:2]) and d.type == "Agreement":
        return True
    if d.type != "Protocol" or not any(lemma(t) in words["session"] for t in title):
        return False
    bodies = {lemma(t) for t in title if lemma(t) in words["body"]}
    return any(_intergovernmental_body(ctx, t, bodies) for t in (title if bodies else []))  \
        or any(_intergovernmental_body(ctx, t, bodies) for t in ctx.doc if lemma(t) in bodies)


def _intergovernmental_body(ctx: Context, token: Token, bodies: set[str]) -> bool:
    """A body word with an intergovernmental adjective ("Межправительственной … комиссии")."""
    words = party_words(ctx.lex)
    return lemma(token) in bodies and any(
        lemma(t) in words["intergovernmental"] for t in ctx.doc[max(token.sent.start, token.i - 3):token.i])


def _governments(ctx: Context, sides: list[Country]) -> list[Party]:
    out: list[Party] = []
    for country in sides:
        entry = ctx.gaz.government_of(country.gid) if country.gid else None
        out.append(from_entry(ctx, entry) if entry is not None else country)
    return out


def _country_signers(ctx: Context, d: DocumentMention) -> list[Party]:
    """"Россия и Иран подписали соглашение": countries as the subjects."""
    out: list[Party] = []
    for token in d.signers:
        match = ctx.country_at.get(token.i)
        if match is not None and match.label == "Country":
            out.append(Country(match.entry.label, match.entry.iri))
    return out


def _group_signed(ctx: Context, d: DocumentMention) -> bool:
    """Signed by "стороны", "сопредседатели", "главы делегаций" (no name among the signers)."""
    words = party_words(ctx.lex)["group"]
    for token in d.signers:
        named = any(t.i in ctx.org_token_ids or t.ent_type_ == "PER" for t in token.subtree)
        group = lemma(token) in words or any(lemma(c) in words for c in token.children if c.dep_ == "nmod")
        if group and not named:
            return True
    return False


def _side_of(party: Party) -> str | None:
    if isinstance(party, Country):
        return party.gid or party.name
    return (party.country.gid or party.country.name) if party.country else None


def _one_a_side(parties: list[Party]) -> list[Party]:
    """The first party of each side (the delegations' heads are named first)."""
    out, seen = [], set()
    for p in parties:
        side = _side_of(p)
        if side is not None and side not in seen:
            seen.add(side)
            out.append(p)
    return out or parties


def _both_sides(ctx: Context, party: Party, people: list[Participation], sides: list[Country]) -> list[Party]:
    """"Министерства иностранных дел двух стран": the foreign ministry of each side, as the
    event's participants hold it (or as the gazetteer knows it)."""
    if not isinstance(party, Organization):
        return [party]
    words = re.findall(r"[\w-]+", party.name)
    cut = _sides_phrase(ctx, words)
    if cut is None:
        return [party]
    head = phrase_key(words[:cut])
    out: list[Party] = []
    for country in sides:
        org = next((p.organization for p in people if p.organization is not None and p.country is not None
                    and p.country.gid == country.gid and _starts_with(p.organization.name, head)), None)
        if org is not None:
            out.append(org)
    return out


def _sides_phrase(ctx: Context, words: list[str]) -> int | None:
    """Where "двух стран", "обеих сторон", "сторон" begins in a name, if it does."""
    roles = party_words(ctx.lex)
    keys = [word_key(w) for w in words]
    for k, key in enumerate(keys):
        if key in roles["side"] and k > 0 and (keys[k - 1] in roles["pair"] or key == "сторона"):
            return k - 1 if keys[k - 1] in roles["pair"] else k
    return None


def _starts_with(name: str, head: str) -> bool:
    words = re.findall(r"[\w-]+", name)
    return phrase_key(words[:len(head.split())]) == head


def _as_in_event(party: Party, people: list[Participation]) -> Party:
    """An organization the event already holds (a participant's) under the name it has there."""
    if not isinstance(party, Organization):
        return party
    key = phrase_key(re.findall(r"[\w-]+", party.name))
    for p in people:
        org = p.organization
        if org is not None and (org.gid and org.gid == party.gid or phrase_key(re.findall(r"[\w-]+", org.name)) == key):
            return org
    return party
