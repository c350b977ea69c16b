"""People: name mentions, the posts written before them, and one record per person.

"министра культуры и информации РК Аиды Балаевой" gives the person (Аида Балаева), the
post as stated ("министр культуры и информации"), the country (РК → Казахстан) and,
through the post's organization template, the ministry on whose behalf she acts.
Surname-only mentions ("Балаева") and post-only mentions ("казахстанский министр")
are resolved to the person named in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from spacy.tokens import Span, Token
from spacy.util import filter_spans

from kg.extract.context import Context, Match
from kg.extract.names import feminine_surname, looks_like_patronymic, nominative_word
from kg.extract.text import DASHES, feats, lemma, nominative, strip_punct, tidy
from kg.gazetteer import Entry
from kg.keys import phrase_key, surname_key, word_key

KIND_PRIORITY = ["minister", "deputy_minister", "head_of_state", "head_of_government", "deputy_head_of_government",
                 "ambassador", "regional_head", "chair", "org_head"]
POSITION_KEEPS_COMPLEMENT = {"minister", "deputy_minister", "chair"}
WINDOW_POS = {"NOUN", "PROPN", "ADJ", "ADP", "CCONJ", "PUNCT", "X", "DET", "SYM"}
WINDOW_ADP = {"в", "во", "по", "при", "от"}
FIELD = re.compile(r"\{(\w+)(\??)\}")


@dataclass
class PostInfo:
    """A post phrase as written before (or after) a name, or on its own."""

    start: int
    end: int
    kind: str
    position: str
    template: str
    portfolio: str = ""
    complement: str = ""
    complement_gen: str = ""
    countries: list[Entry] = field(default_factory=list)
    host: Entry | None = None
    place: Entry | None = None
    org_entry: Entry | None = None
    plural: bool = False

    @property
    def country(self) -> Entry | None:
        return self.countries[0] if self.countries else None


@dataclass
class PersonMention:
    start: int
    end: int
    text: str
    words: list[tuple[str, str]]  # (nominative word, role)
    gender: str | None
    sent: int
    post: PostInfo | None = None
    side: Entry | None = None
    in_quote: bool = False
    said_posts: list[PostInfo] = field(default_factory=list)  # by a copula: "…, который стал министром"

    @property
    def family(self) -> str | None:
        return next((w for w, r in self.words if r == "family"), None)

    @property
    def given(self) -> str | None:
        return next((w for w, r in self.words if r == "given"), None)

    @property
    def key(self) -> str:
        return surname_key(self.family or self.text)

    @property
    def text_nom(self) -> str:
        """The name as written, in the nominative ("С.В.Лавров", "Аида Балаева")."""
        if any(r == "initial" for _, r in self.words):
            return "".join(w for w, _ in self.words)
        return " ".join(w for w, _ in self.words)


@dataclass
class PostMention:
    """A post without a name: "Глава государства отметил", "министры подписали"."""

    post: PostInfo
    sent: int
    head: Token


@dataclass
class PersonRecord:
    """One person of the article: every mention, the best name, post, organization, country."""

    key: str
    mentions: list[PersonMention] = field(default_factory=list)
    entry: Entry | None = None
    country: Entry | None = None
    gender: str | None = None
    stated_posts: list[PostInfo] = field(default_factory=list)  # by a post alone: "Президент России отметил"

    @property
    def name(self) -> str:
        full = [m for m in self.mentions if m.given and m.family]
        if full:
            best = min(full, key=lambda m: (any(r == "initial" for _, r in m.words), -len(m.words), len(m.text_nom),
                                            m.start))  # "Аксель Вебер" named once, "А.Вебер" after
            if any(r == "initial" for _, r in best.words):
                return self.entry.label if self.entry is not None else best.text_nom
            return " ".join(w for w, r in best.words if r in ("given", "family"))
        if self.entry is not None:
            return self.entry.label
        return self.mentions[0].text_nom

    @property
    def aliases(self) -> tuple[str, ...]:
        names = {m.text_nom for m in self.mentions} | {self.name}
        if self.entry is not None:
            names.add(self.entry.label)
        return tuple(sorted(names - {self.name}))

    def post_for(self, sent: int | None = None) -> PostInfo | None:
        """The post stated in that sentence, else the first post stated for the person (with
        the name, else by a post-only mention that refers to them)."""
        posted = [m.post for m in self.mentions if m.post is not None]
        if sent is not None:
            here = [m.post for m in self.mentions if m.sent == sent and m.post is not None]
            if here:
                return _fuller(here[0], posted)
        return posted[0] if posted else self.stated_posts[0] if self.stated_posts else None


# -- finding name mentions -------------------------------------------------------------

def person_spans(ctx: Context) -> list[Span]:
    """PER entities, gazetteer people and names the tagger missed, without those inside
    organization names and without lone post words."""
    doc = ctx.doc
    spans = ctx.ents("PER") + [doc[m.start:m.end] for m in ctx.gazetteer_matches if m.label == "Person"]
    spans += _missed_names(ctx, spans)
    post_tokens = {i for m in ctx.posts for i in range(m.start, m.end)}
    out = []
    for span in filter_spans(spans):
        span = strip_punct(span)
        if not len(span) or not any(t.is_alpha for t in span):
            continue
        if all(t.i in post_tokens or t.pos_ == "ADJ" or not t.is_alpha for t in span):
            continue  # "Чрезвычайный" read as a name
        if any(t.i in ctx.org_token_ids for t in span) or _after_imeni(span):
            continue
        span = _drop_eponym(span)
        lead = span.start
        while lead < span.end - 1 and lead in post_tokens:
            lead += 1  # "Император Акихито", "Кронпринц Нарухито": the title is the post, not the name
        out.append(doc[lead:span.end])
    return out


SURNAME_ENDINGS = ("ов", "ев", "ёв", "ин", "ын", "ова", "ева", "ёва", "ина", "ына", "ский", "ская", "цкий", "цкая",
                   "енко", "ян", "янц", "дзе", "швили", "ули", "улы", "бек", "баев", "баева", "бекова", "ич")


def _missed_names(ctx: Context, found: list[Span]) -> list[Span]:
    """A known first name followed by a surname-shaped capitalised word, where the tagger saw
    no name ("ректор … Айдар Утеулиев")."""
    from kg.nlp.morph import parses

    taken = {i for s in found for i in range(s.start, s.end)} | ctx.org_token_ids
    out = []
    doc = ctx.doc
    for t in doc[:-1]:
        nxt = doc[t.i + 1]
        if t.i in taken or nxt.i in taken or not (t.is_title and nxt.is_title and t.is_alpha and nxt.is_alpha):
            continue
        if t.i in ctx.place_at or nxt.i in ctx.place_at or t.i in ctx.country_at:
            continue
        is_name = any("Name" in p.tag and p.is_known for p in parses(t.lower_))
        base = nominative_word(nxt.text, name_case(nxt), None, "family").lower()
        if is_name and (base.endswith(SURNAME_ENDINGS) or any("Surn" in p.tag for p in parses(nxt.lower_))):
            out.append(doc[t.i:t.i + 2])
    return out


def _drop_eponym(span: Span) -> Span:
    """"… университета имени М.Х. Дулати Ерлан Абдрахманов": the first word after the
    initials belongs to the organization's name, not to the person."""
    doc = span.doc
    before = doc[max(0, span.start - 6):span.start]
    words = [t for t in span if t.is_alpha]
    if len(words) >= 3 and span.start > 0 and doc[span.start - 1].text == "." and any(
            t.lower_ in ("имени", "им") for t in before):
        return doc[words[1].i:span.end]
    return span


def _after_imeni(span: Span) -> bool:
    prev = span.doc[span.start - 1] if span.start > 0 else None
    return prev is not None and prev.lower_ in ("имени", "им", "им.")


def name_words(span: Span) -> tuple[list[tuple[str, str]], str | None]:
    """The nominative words of a name with their roles, and the person's gender."""
    tokens = [t for t in span if not t.is_space]
    gender = _gender(tokens)
    words = [t for t in tokens if t.is_alpha or "-" in t.text]
    roles = _roles(words, tokens)
    apposed = _apposition_case(tokens[0]) if tokens else None
    if apposed in ("Gen", "Dat", "Ins", "Loc") and words and words[-1].text.lower().endswith("ой"):
        gender = "Fem"  # "Камикавой" after "с министром": only a woman's name ends so in these cases
    cases = [name_case(t) for t in words]
    oblique = [c for c in cases if c not in (None, "Nom")]
    shared = max(set(oblique), key=oblique.count) if oblique else apposed
    out: list[tuple[str, str]] = []
    for t in tokens:
        if t in words:
            k = words.index(t)
            role, case = roles[k], cases[k]
            if case in (None, "Nom") and shared is not None:
                case = shared  # the words of a name share its case; "с министром Ёко Камикавой": the post's
            out.append((nominative_word(t.text, case, gender, role), role))
        else:
            out.append((t.text, "initial"))
    return out, gender


def _apposition_case(first: Token) -> str | None:
    """The oblique case of the post a name follows ("с министром иностранных дел Японии Ёко
    Камикавой"), which the name shares: the nearest noun to the left past the genitive
    chain of the post. None when it is nominative or there is no such noun."""
    doc, i = first.doc, first.i - 1
    while i >= 0 and first.i - i <= 8:
        t = doc[i]
        case = feats(t).get("Case")
        if t.is_punct and t.text not in ("-", "–", "—") or t.is_space:
            return None
        if t.pos_ == "NOUN" and t.is_lower and case not in (None, "Gen"):
            return case if case != "Nom" else None
        if not (case == "Gen" or t.pos_ in ("CCONJ", "PUNCT") or t.is_upper):
            return None
        i -= 1
    return None


OC_CASES = {"nomn": "Nom", "gent": "Gen", "datv": "Dat", "accs": "Acc", "ablt": "Ins", "loct": "Loc"}
UD_TO_OC = {v: k for k, v in OC_CASES.items()}


def name_case(token: Token) -> str | None:
    """The case of a word of a name. The tagger often calls rare names nominative; when the
    dictionary has no nominative reading of the word ("Рашадом", "Фидана"), its most likely
    dictionary case wins."""
    case = feats(token).get("Case")
    if case not in (None, "Nom"):
        return case
    return _dictionary_case(token.text.lower(), case)


@lru_cache(maxsize=50_000)
def _dictionary_case(low: str, case: str | None) -> str | None:
    from kg.nlp.morph import parses

    readings = [p for p in parses(low) if p.tag.POS == "NOUN" and p.is_known]
    if readings:
        if any("nomn" in p.tag for p in readings):
            return case
        return OC_CASES.get(readings[0].tag.case, case)
    if low.endswith(("ом", "ым", "ем")) and len(low) >= 4:
        return "Ins"
    return case


def _roles(words: list[Token], tokens: list[Token]) -> list[str]:
    initials = len(words) < len([t for t in tokens if not t.is_punct])
    if len(words) == 1:
        return ["family"]
    if initials:
        return ["initial"] * (len(words) - 1) + ["family"]
    if len(words) == 3 and looks_like_patronymic(words[1].text):
        return ["given", "patronymic", "family"]
    return ["given"] * (len(words) - 1) + ["family"]


def _gender(tokens: list[Token]) -> str | None:
    """A known first name decides; else the tagger's agreement-based guess; else the surname."""
    from kg.nlp.morph import parses

    words = [t for t in tokens if t.is_alpha and len(t.text) > 1]  # initials tell no gender
    if words and feminine_surname(words[-1].text):
        return "Fem"
    if len(words) > 1:
        names = [p for p in parses(words[0].text.lower()) if "Name" in p.tag and p.is_known]
        genders = {("Fem" if "femn" in p.tag else "Masc") for p in names}
        case = UD_TO_OC.get(feats(words[0]).get("Case"))
        if len(genders) > 1 and case:  # "Юлию": Юлия in the accusative or Юлий in the dative
            genders = {("Fem" if "femn" in p.tag else "Masc") for p in names if case in p.tag} or genders
        if len(genders) == 1:
            return genders.pop()
    votes = [feats(t).get("Gender") for t in words if feats(t).get("Gender") in ("Masc", "Fem")]
    if votes:
        fem, masc = votes.count("Fem"), votes.count("Masc")
        return "Fem" if fem > masc else "Masc" if masc > fem else votes[-1]  # a tie: the surname decides
    for t in tokens:
        for p in parses(t.text.lower()):
            if "Name" in p.tag or "Surn" in p.tag:
                return "Fem" if "femn" in p.tag else "Masc"
    return None


# -- post phrases -------------------------------------------------------------------------

def post_window(ctx: Context, start: int, sent: Span, stop_at: set[int]) -> tuple[int, int] | None:
    """The tokens before a name that can belong to its post phrase."""
    i = start - 1
    while i >= sent.start:
        t = ctx.doc[i]
        if t.is_space or i in stop_at:
            break
        if t.text == "," and (_enumerated_portfolio(ctx, i, sent, start) or _between_posts(ctx, i, start)):
            i -= 1  # "министр иностранных дел, миграции и по делам египтян за рубежом"; "писатель, поэт и …"
            continue
        if i in ctx.place_at and not t.is_punct:
            i -= 1  # "Объединенных Арабских Эмиратов": a country's name, whatever the tagger calls its words
            continue
        if t.text == ")" and (opening := _opening_bracket(ctx, i, sent)) is not None:
            i = opening - 1  # "Пресс-секретарь Федеральной службы … (Роскомнадзора) Вадим Ампелонский"
            continue
        if t.is_punct and t.text not in DASHES and t.text not in "«»\"":
            break
        if t.pos_ == "NUM" and (t.like_num or not any(c.isalpha() for c in t.text)) or t.text.isdigit():
            break  # "главы двух ведомств", but "проекта F5" is a name
        if t.pos_ not in WINDOW_POS and t.pos_ != "NUM":
            break
        if t.pos_ == "ADP" and (t.lower_ not in WINDOW_ADP or t.lower_ in ("в", "во") and i + 1 not in ctx.place_at):
            break  # "Посол России в Казахстане", but not "в присутствии …"
        i -= 1
    return (i + 1, start) if i + 1 < start else None


def _opening_bracket(ctx: Context, i: int, sent: Span) -> int | None:
    """Where the short bracketed aside closed at ``i`` opens (at most five tokens, no verb)."""
    for j in range(i - 1, max(sent.start, i - 7) - 1, -1):
        t = ctx.doc[j]
        if t.text == "(":
            return j if j < i - 1 else None
        if t.pos_ in ("VERB", "AUX") or t.text in ")":
            return None
    return None


def _between_posts(ctx: Context, i: int, start: int) -> bool:
    """A comma between two posts of one person: "Писатель, поэт и журналист Дмитрий Быков"."""
    after = next((m for m in ctx.posts if i < m.start < start), None)
    return after is not None and any(m.end == i for m in ctx.posts) and all(
        ctx.doc[j].pos_ == "ADJ" for j in range(i + 1, after.start))


def coordinated_posts(ctx: Context, start: int, end: int) -> tuple[list[PostInfo], int]:
    """The posts of a window but its last, when the window coordinates several ("Политолог и
    медиаменеджер Игорь Малашенко", "Писатель, поэт и журналист …"): each is the person's;
    and where the last conjunct starts."""
    doc = ctx.doc
    matches = [m for m in ctx.posts if start <= m.start and m.end <= end]
    out, last = [], start
    for a, b in zip(matches, matches[1:]):
        between = list(doc[a.end:b.start])
        seps = [t for t in between if t.lower_ in (",", "и")]
        if len(seps) != 1:
            continue
        cut = seps[0].i
        if all(t.pos_ == "ADJ" for t in doc[cut + 1:b.start]) and all(
                t.pos_ in ("NOUN", "PROPN", "ADJ", "X") and feats(t).get("Case", "Gen") == "Gen" or t.text in "«»\""
                for t in doc[a.end:cut]):
            info = read_post(ctx, a.start, cut)
            if info is not None:
                out.append(info)
                last = cut + 1
    return out, last


def _enumerated_portfolio(ctx: Context, i: int, sent: Span, start: int) -> bool:
    """A comma between two genitives of one portfolio ("иностранных дел, миграции и …")."""
    if i - 1 < sent.start or i + 1 >= start:
        return False
    before, after = ctx.doc[i - 1], ctx.doc[i + 1]
    return before.pos_ in ("NOUN", "ADJ") and after.pos_ == "NOUN" and before.is_lower and after.is_lower \
        and feats(before).get("Case") == "Gen" and feats(after).get("Case") == "Gen"


def post_window_after(ctx: Context, end: int, sent: Span, stop_at: set[int]) -> tuple[int, int] | None:
    """"Нуржан Нуржигитов, министр водных ресурсов и ирригации РК, возглавивший …": a post in
    apposition after the name, between commas."""
    doc = ctx.doc
    if end >= sent.end - 1 or doc[end].text != ",":
        return None
    start = end + 1
    i = start
    while i < sent.end:
        t = doc[i]
        if t.is_space or i in stop_at or (t.is_punct and t.text not in DASHES and t.text not in "«»\""):
            break
        if t.pos_ not in WINDOW_POS or t.pos_ == "NUM" or (t.pos_ == "ADP" and t.lower_ not in WINDOW_ADP):
            break
        i += 1
    if i == start or not any(m.start == start or (m.start > start and all(
            j in ctx.country_at for j in range(start, m.start))) for m in ctx.posts):
        return None
    return start, i


def read_post(ctx: Context, start: int, end: int, name_case: str | None = None) -> PostInfo | None:
    """Interpret the tokens [start, end) next to a name as a post phrase."""
    posts = [m for m in ctx.posts if start <= m.start and m.end <= end]
    if not posts:
        return None
    if name_case and len(posts) > 1:
        agreeing = [m for m in posts if _head_case(ctx, m) == name_case]
        if agreeing and agreeing[0].start > posts[0].start and not any(
                ctx.doc[i].text in DASHES for i in range(posts[0].end, agreeing[0].start)):
            start = agreeing[0].start  # "в присутствии глав ведомств ректор … Бахадир Мирзаев"
            posts = [m for m in posts if m.start >= start]
    segments = _segments(ctx, start, end, posts)
    if not segments:
        return None
    infos = [_segment_info(ctx, s, e, head) for s, e, head in segments]
    chosen = min(infos, key=lambda p: KIND_PRIORITY.index(p.kind) if p.kind in KIND_PRIORITY else 99)
    position = " – ".join(p.position for p in infos if p.position)
    countries = [c for p in infos for c in p.countries]
    chosen.position = position
    chosen.countries = list(dict.fromkeys(countries, None)) if countries else []
    chosen.start = infos[0].start
    chosen.end = end
    return chosen


def _segments(ctx: Context, start: int, end: int, posts: list[Match]) -> list[tuple[int, int, Match]]:
    """Split the window at dashes; drop leading plural or numbered segments ("главы двух
    ведомств – министра …") and anything before the first post."""
    doc = ctx.doc
    bounds, s = [], start
    for i in range(start, end):
        if doc[i].text in DASHES and doc[i].whitespace_:
            bounds.append((s, i))
            s = i + 1
    bounds.append((s, end))
    bounds = [(s, e) for s, e in bounds if s < e] or bounds  # "музыкантами группы СВ — Вадимом …"
    out = []
    for s, e in bounds:
        head = next((p for p in posts if s <= p.start and p.end <= e), None)
        if head is None:
            out = []
            continue
        if _plural(doc, head) and (s, e) != bounds[-1]:
            out = []
            continue
        lead = head.start
        while lead > s and (doc[lead - 1].i in ctx.country_at and ctx.country_at[lead - 1].label == "CountryAdj"
                            or doc[lead - 1].pos_ == "ADJ" and doc[lead - 1].head.i in range(head.start, head.end)):
            lead -= 1  # "казахстанский министр", "бывший редактор"
        out.append((lead, e, head))
    return out


def _segment_info(ctx: Context, start: int, end: int, head: Match) -> PostInfo:
    doc = ctx.doc
    post = ctx.post(head)
    countries, host, drop = [], None, set()
    for i in range(start, end):
        match = ctx.country_at.get(i)
        if match is None or (match.label == "Country" and i < head.end and match.start >= head.start):
            continue
        drop.add(i)
        before = doc[match.start - 1] if match.start > start else None
        if before is not None and before.lower_ in ("в", "во") and post.kind == "ambassador":
            drop.add(before.i)
            host = match.entry
        elif match.entry not in countries:
            countries.append(match.entry)
    complement = [doc[i] for i in range(head.end, end) if i not in drop and not doc[i].is_space]
    complement = _trim(complement)
    head_tokens = [doc[i] for i in range(start, head.end) if i not in drop]
    kept = head_tokens + (complement if post.kind in POSITION_KEEPS_COMPLEMENT else [])
    position = _position_text(kept, head)
    place = _complement_entry(ctx, complement, {"Region", "City", "Country"})
    org_entry = _complement_entry(ctx, complement, {"Ministry", "Government", "IntlOrg", "Company", "Organization"})
    plural = _plural(doc, head)
    kind = post.kind
    if kind == "chair" and place is not None and place.kind != "Country" and complement:
        position = _position_text(head_tokens + complement, head)
    if kind == "chair" and not complement and countries and org_entry is None:
        kind = "head_of_state"  # "Председатель КНР", "глава Туркменистана"
    info = PostInfo(start, end, kind, position, post.template, countries=countries, host=host, place=place,
                    org_entry=org_entry, plural=plural)
    info.portfolio = tidy(" ".join(t.text for t in complement)) if post.kind in ("minister", "deputy_minister") else ""
    generic = _generic_complement(ctx, complement)
    info.complement = generic if generic is not None else nominative(complement) if complement else ""
    if _names_a_person(complement):
        info.complement = ""  # "советник президента": a person is not the post's organization
    info.complement_gen = tidy("".join(t.text_with_ws for t in complement)) if complement else ""
    return info


def _names_a_person(complement: list[Token]) -> bool:
    noun = next((t for t in complement if t.pos_ in ("NOUN", "PROPN")), None)
    return noun is not None and noun.pos_ == "NOUN" and feats(noun).get("Animacy") == "Anim"


def _head_case(ctx: Context, head: Match) -> str | None:
    noun = next((ctx.doc[i] for i in range(head.start, head.end) if ctx.doc[i].pos_ in ("NOUN", "PROPN")), None)
    return feats(noun).get("Case") if noun is not None else None


def _plural(doc, head: Match) -> bool:
    """Whether the post's head noun (its first noun) is plural: "министры", "главы государств"."""
    noun = next((doc[i] for i in range(head.start, head.end) if doc[i].pos_ in ("NOUN", "PROPN")), None)
    return noun is not None and feats(noun).get("Number") == "Plur"


def _trim(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[-1].is_punct or tokens[-1].pos_ in ("CCONJ", "ADP")) and tokens[-1].text not in "»\"":
        tokens = tokens[:-1]
    while tokens and tokens[0].is_punct and tokens[0].text not in "«\"":
        tokens = tokens[1:]
    return tokens


def _position_text(tokens: list[Token], head: Match) -> str:
    tokens = _trim(tokens)
    if not tokens:
        return ""
    text = nominative(tokens)
    words = text.split(" ")
    post_len = head.end - max(head.start, tokens[0].i)
    lowered = [w.lower() if k < post_len + (head.start - tokens[0].i if head.start > tokens[0].i else 0) or k == 0
               else w for k, w in enumerate(words)]
    return " ".join(lowered)


GENERIC_ORG_NOUNS = {"вуз", "университет", "институт", "академия", "ведомство", "компания", "организация",
                     "учреждение", "музей", "театр", "корпорация", "фонд", "банк", "предприятие", "холдинг"}


def _generic_complement(ctx: Context, complement: list[Token]) -> str | None:
    """"ректор вуза", "глава компании": the organization named just before in the sentence."""
    words = [t for t in complement if t.is_alpha]
    if len(words) != 1 or words[0].text[0].isupper() or lemma(words[0]) not in GENERIC_ORG_NOUNS:
        return None
    sent = words[0].sent
    before = [s for s in ctx.org_spans if sent.start <= s.start and s.end <= words[0].i]
    if not before:
        return ""
    from kg.extract.orgs import organization

    org = organization(ctx, list(before[-1]))
    return org.name if org is not None else ""


def _complement_entry(ctx: Context, complement: list[Token], kinds: set[str]) -> Entry | None:
    if not complement:
        return None
    for i in (t.i for t in complement):
        match = ctx.place_at.get(i) if kinds & {"Region", "City", "Country"} else ctx.gazetteer_org_at.get(i)
        if match is not None and match.entry.kind in kinds:
            return match.entry
    entries = ctx.gaz.lookup(phrase_key([t.text for t in complement]), kinds)
    return entries[0] if entries else None


# -- organizations of posts ------------------------------------------------------------

def complete_post(ctx: Context, record: PersonRecord, post: PostInfo) -> PostInfo:
    """"министры Гани Бейсембаев и Сергей Кравцов": a minister's post without its portfolio is
    completed from the gazetteer's tenure held on the article's date, when one fits."""
    if post.kind not in ("minister", "deputy_minister") or post.portfolio or record.entry is None:
        return post
    word = post.position.split(" ")[0] if post.position else ""
    for tenure in record.entry.tenures:
        if tenure.held_on(ctx.published) and tenure.position.startswith(word + " ") and tenure.organization:
            org = ctx.gaz.get(tenure.organization)
            done = PostInfo(**{**post.__dict__})
            done.position = tenure.position
            done.portfolio = tenure.position[len(word) + 1:]
            done.org_entry = org
            return done
    return post


def post_organization(ctx: Context, post: PostInfo, country: Entry | None) -> tuple[str | None, Entry | None]:
    """The organization a post belongs to, by its template; a gazetteer entry when one matches."""
    if post.org_entry is not None and post.kind in ("org_head", "chair", "minister", "deputy_minister"):
        return post.org_entry.label, post.org_entry
    if post.kind in ("org_head", "chair") and post.place is not None:
        return None, None
    if post.kind == "minister" and post.portfolio and country is not None:
        key = phrase_key([w for w in re.findall(r"[\w-]+", post.portfolio)])
        entry = ctx.gaz.ministries.get((country.iri, key))
        if entry is not None:
            return entry.label, entry
    if "{government}" in post.template and country is not None:
        gov = ctx.gaz.government_of(country.iri)
        if gov is not None:
            return gov.label, gov
    values = {"portfolio": post.portfolio, "complement": post.complement, "complement_gen": post.complement_gen,
              "country_gen": _country_form(country, "officialNameGenitive"),
              "host_loc": _country_form(post.host, "officialNameLocative"),
              "government": f"Правительство {_country_form(country, 'officialNameGenitive')}" if country else ""}
    name = fill_template(post.template, values)
    if not name:
        return None, None
    entries = ctx.gaz.lookup(phrase_key(re.findall(r"[\w-]+", name)))
    return (entries[0].label, entries[0]) if entries else (name, None)


def fill_template(template: str, values: dict[str, str]) -> str | None:
    """Fill "{field}" (required) and "{field?}" (optional) slots; None if a required one is empty."""
    missing = False

    def sub(match: re.Match) -> str:
        nonlocal missing
        value = values.get(match.group(1), "")
        if not value and not match.group(2):
            missing = True
        return value

    text = FIELD.sub(sub, template)
    if missing or not template.strip():
        return None
    return re.sub(r"\s+", " ", text).strip() or None


def _country_form(country: Entry | None, prop: str) -> str:
    if country is None:
        return ""
    return country.prop(prop) or country.prop("officialName") or country.label


# -- the people of an article ------------------------------------------------------------

def find_people(ctx: Context) -> tuple[list[PersonRecord], list[PostMention], dict[int, PersonMention]]:
    """All people of the article, the posts mentioned without a name, and each name
    mention by its first token."""
    doc = ctx.doc
    spans = person_spans(ctx)
    person_tokens = {i for s in spans for i in range(s.start, s.end)}
    quoted = ctx.quoted
    mentions: list[PersonMention] = []
    for span in spans:
        sent = doc[span.start].sent
        words, gender = name_words(span)
        m = PersonMention(span.start, span.end, span.text, words, gender, ctx.sentence_index(span.start),
                          in_quote=span.start in quoted)
        case = name_case(span[0])
        window = post_window(ctx, span.start, sent, person_tokens)
        m.post = read_post(ctx, *window, name_case=case) if window else None
        if m.post is not None:
            earlier, last = coordinated_posts(ctx, *window)
            if earlier:
                m.post = read_post(ctx, last, window[1], name_case=case) or m.post
                m.said_posts += earlier
        if m.post is None:
            after = post_window_after(ctx, span.end, sent, person_tokens)
            m.post = read_post(ctx, *after) if after else None
        said = predicate_post(ctx, span)
        if said is not None:
            if m.post is None:
                m.post = said
            else:
                m.said_posts.append(said)
        mentions.append(m)
    _share_plural_posts(ctx, mentions)
    _mark_sides(ctx, mentions)
    records = _cluster(ctx, mentions)
    _pronoun_posts(ctx, records)
    posts_alone = _post_mentions(ctx, mentions)
    return records, posts_alone, {m.start: m for m in mentions}


def _share_plural_posts(ctx: Context, mentions: list[PersonMention]) -> None:
    """"президенты Беларуси и России Александр Лукашенко и Владимир Путин": a plural post
    before a list of names belongs to each of them, countries in order."""
    doc = ctx.doc
    for k, m in enumerate(mentions):
        if m.post is None or not m.post.plural:
            continue
        group = [m]
        for nxt in mentions[k + 1:]:
            between = _outside_brackets(doc[group[-1].end:nxt.start])
            if nxt.post is None and len(between) <= 2 and all(t.lower_ in ("и", ",") for t in between):
                group.append(nxt)
            else:
                break
        countries = m.post.countries
        for n, member in enumerate(group):
            post = PostInfo(**{**m.post.__dict__})
            post.countries = [countries[n]] if len(countries) == len(group) else countries[:1] if len(countries) == 1 \
                else []
            post.position = _singular(post.position)
            member.post = post


def _outside_brackets(tokens: Span) -> list[Token]:
    """The tokens not inside parentheses: "Юрий Царёв (проект «Метро»), Алексей Борисов"."""
    out, depth = [], 0
    for t in tokens:
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif not depth:
            out.append(t)
    return out


def _singular(position: str) -> str:
    """"легендарные музыканты" → "легендарный музыкант": the head noun (the first plural noun)
    and the adjectives before it in the singular, the adjectives in the noun's gender."""
    from kg.nlp.morph import inflect, parses

    words = position.split(" ")
    head = next((k for k, w in enumerate(words) if any(
        p.tag.POS == "NOUN" and {"plur", "nomn"} <= p.tag.grammemes for p in parses(w.lower()))), None)
    if head is None:
        single = inflect(words[0], frozenset({"plur"}), frozenset({"nomn", "sing"}))
        return " ".join([single or words[0]] + words[1:])
    noun = inflect(words[head], frozenset({"NOUN", "plur", "nomn"}), frozenset({"nomn", "sing"})) or words[head]
    gender = next((g for p in parses(noun.lower()) if p.tag.POS == "NOUN" for g in ("masc", "femn", "neut")
                   if g in p.tag.grammemes), "masc")
    before = [inflect(w, frozenset({"plur"}), frozenset({"nomn", "sing", gender})) or w for w in words[:head]]
    return " ".join(before + [noun] + words[head + 1:])


def _mark_sides(ctx: Context, mentions: list[PersonMention]) -> None:
    """"С казахстанской стороны в них участвовал …, с российской – …": the side's country."""
    doc = ctx.doc
    for m in mentions:
        sent = doc[m.start].sent
        side = None
        for i in range(sent.start, m.start):
            match = ctx.country_at.get(i)
            if match and match.label == "CountryAdj" and i > 0 and doc[match.start - 1].lower_ in ("с", "со"):
                side = match.entry
        m.side = side


def _cluster(ctx: Context, mentions: list[PersonMention]) -> list[PersonRecord]:
    records: list[PersonRecord] = []
    full = [m for m in mentions if m.given]
    for m in full:
        record = next((r for r in records if r.key == m.key and _same_given(r, m)), None) or \
            next((r for r in records if _same_key(r.key, m.key) and _same_given(r, m)), None)
        if record is None:
            record = PersonRecord(m.key)
            records.append(record)
        record.mentions.append(m)
    for m in mentions:
        if m.given:
            continue
        candidates = [r for r in records if r.key == m.key] or [r for r in records if _same_key(r.key, m.key)]
        if candidates:
            before = [r for r in candidates if min(x.start for x in r.mentions) < m.start]
            pick = max(before or candidates, key=lambda r: max((x.start for x in r.mentions if x.start < m.start),
                                                                default=-1))
            pick.mentions.append(m)
        else:
            records.append(PersonRecord(m.key, [m]))
    for r in records:
        r.mentions.sort(key=lambda x: x.start)
        _resolve(ctx, r)
    return records


def _same_given(record: PersonRecord, m: PersonMention) -> bool:
    givens = {x.given for x in record.mentions if x.given}
    if not givens or m.given in givens or any(_variants(g) & _variants(m.given) for g in givens):
        return True
    initials = {g[0] for g in givens}
    return len(m.given) <= 2 and m.given[0] in initials


OBLIQUE_ENDINGS = ("ого", "ому", "ым", "им", "ом", "ем", "ой", "ей", "ую", "а", "у", "е", "ы", "и", "я", "ю")


def _variants(word: str) -> set[str]:
    """A word and its stem without an oblique case ending: "Фидана" meets "Фидан"."""
    low = word.lower().replace("ё", "е")
    out = {low}
    for ending in OBLIQUE_ENDINGS:
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            out.add(low[: -len(ending)])
    return out


def _same_key(a: str, b: str) -> bool:
    return a == b or bool(_variants(a) & _variants(b)) and abs(len(a) - len(b)) <= 3


def _resolve(ctx: Context, record: PersonRecord) -> None:
    """Gazetteer identity, gender and country of one person."""
    record.gender = next((m.gender for m in record.mentions if m.gender), None)
    record.entry = _gazetteer_person(ctx, record)
    country = None
    for m in record.mentions:
        if m.post and m.post.country:
            country = m.post.country
            break
    if country is None:
        for m in record.mentions:
            if m.post is None:
                continue
            for entry in (m.post.org_entry, m.post.place):
                found = ctx.gaz.country_of(entry.iri) if entry else None
                if found:
                    country = found
                    break
            if country:
                break
    if country is None and record.entry is not None:
        country = ctx.gaz.country_of(record.entry.prop("country"))
    if country is None:
        country = _portfolio_country(ctx, record)
    if country is None:
        country = next((m.side for m in record.mentions if m.side), None)
    record.country = country


def _portfolio_country(ctx: Context, record: PersonRecord) -> Entry | None:
    """"министра водного хозяйства Шавката Хамраева": the country of the ministry with that
    portfolio named in the article, or of the only such ministry the gazetteer knows."""
    post = record.post_for()
    if post is None or post.kind not in ("minister", "deputy_minister") or not post.portfolio:
        return None
    key = phrase_key(re.findall(r"[\w-]+", post.portfolio))
    for m in ctx.gazetteer_matches:
        if m.label == "Ministry" and key in {phrase_key(re.findall(r"[\w-]+", p)) for p in m.entry.props.get(
                "portfolio", [])}:
            return ctx.gaz.country_of(m.entry.country)
    for span in ctx.ents("ORG"):
        words = [t for t in span if t.is_alpha]
        if words and words[0].norm_ == "министерство":
            rest = [t.text for t in words[1:] if t.i not in ctx.country_at]
            country = next((ctx.country_at[t.i].entry for t in words if t.i in ctx.country_at), None)
            if country is not None and phrase_key(rest) == key:
                return country
    owners = {c for (c, k) in ctx.gaz.ministries if k == key}
    return ctx.gaz.get(owners.pop()) if len(owners) == 1 else None


def _gazetteer_person(ctx: Context, record: PersonRecord) -> Entry | None:
    family = next((m.family for m in record.mentions if m.family), None)
    if not family:
        return None
    candidates = ctx.gaz.by_surname.get(word_key(family), []) + [
        e for e in ctx.gaz.by_surname.get(surname_key(family), []) if e not in ctx.gaz.by_surname.get(word_key(family), [])]
    givens = {m.given.lower() for m in record.mentions if m.given}
    fitting = []
    for entry in candidates:
        given = (entry.prop("givenName") or "").lower()
        if givens and not any(g == given or (len(g) <= 2 and given.startswith(g[0])) for g in givens):
            continue
        fitting.append(entry)
    if len(fitting) > 1:
        active = [e for e in fitting if any(t.held_on(ctx.published) for t in e.tenures)]
        fitting = active or fitting
    return fitting[0] if len(fitting) == 1 else None


def _post_extent(ctx: Context, match: Match) -> tuple[int, int]:
    """A post match with the country adjectives before it and the genitives and countries after it."""
    doc = ctx.doc
    nxt = doc[match.end] if match.end < len(doc) else None
    end = match.end
    while nxt is not None and (nxt.i in ctx.country_at or (nxt.pos_ in ("NOUN", "PROPN", "ADJ")
                                                           and feats(nxt).get("Case") == "Gen")
                               or nxt.lower_ in ("и", ",") and nxt.i + 1 in ctx.country_at):
        end = nxt.i + 1
        nxt = doc[end] if end < len(doc) else None
    start = match.start
    while start > 0 and (start - 1) in ctx.country_at and ctx.country_at[start - 1].label == "CountryAdj":
        start -= 1
    return start, end


def post_at(ctx: Context, token: Token) -> Match | None:
    return next((m for m in ctx.posts if m.start <= token.i < m.end), None)


PREDICATE_DEPS = ("xcomp", "obl", "obj", "nmod")


def _predicate(ctx: Context, gov: Token, between: Span) -> Match | None:
    """The post a clause governed by ``gov`` says its subject is: the governor itself with a
    copula or a dash before it ("Х был министром", "Х — вокалист"), or the instrumental
    complement of a copular verb ("стал губернатором", "является советником")."""
    match = post_at(ctx, gov)
    if match is not None and (any(c.dep_ == "cop" for c in gov.children) or any(t.text in DASHES for t in between)):
        return match
    if lemma(gov) not in ctx.lex.copula_verbs:
        return None
    for child in gov.children:
        if child.dep_ not in PREDICATE_DEPS or child.i < gov.i:
            continue
        if lemma(child) in ctx.lex.office_nouns:  # "занимает должность руководителя …"
            inner = next((c for c in child.children if c.dep_ == "nmod" and feats(c).get("Case") == "Gen"
                          and post_at(ctx, c) is not None), None)
            if inner is not None:
                return post_at(ctx, inner)
        elif post_at(ctx, child) is not None and (feats(child).get("Case") == "Ins" or any(
                c.dep_ == "fixed" and lemma(c) in ctx.lex.office_nouns for c in child.children)):
            return post_at(ctx, child)  # "стал губернатором", "выступает в качестве посла"
    return None


def predicate_post(ctx: Context, span: Span) -> PostInfo | None:
    """A post the sentence states of a name by a copula: "Джонсон был министром иностранных
    дел", "Иванов стал губернатором области", "Кит Флинт — вокалист группы", "Х, который
    является советником Белого дома"."""
    root = span.root
    govs = []
    if root.dep_ in ("nsubj", "nsubj:pass") and root.head.i >= span.end:
        govs.append(root.head)
    for child in root.children:
        if child.dep_ == "acl:relcl" and any(c.dep_.startswith("nsubj") and lemma(c) == "который"
                                             for c in child.children):
            govs.append(child)
    for gov in govs:
        match = _predicate(ctx, gov, ctx.doc[span.end:gov.i])
        if match is not None and match.start >= span.end:
            return read_post(ctx, *_post_extent(ctx, match))
    return None


def _post_mentions(ctx: Context, mentions: list[PersonMention]) -> list[PostMention]:
    """Posts that stand without a name after them."""
    used = set()
    for m in mentions:
        for post in [m.post, *m.said_posts] if m.post else m.said_posts:
            used.update(range(min(post.start, m.start), max(post.end, m.end)))
    doc = ctx.doc
    out = []
    for match in ctx.posts:
        if match.start in used:
            continue
        info = read_post(ctx, *_post_extent(ctx, match))
        if info is None:
            continue
        head = doc[match.start]
        out.append(PostMention(info, ctx.sentence_index(match.start), head))
    return out


GENERIC_PLACE_NOUNS = {"область", "регион", "город", "республика", "край", "провинция", "штат", "округ", "столица"}


def _generic_place(complement_gen: str) -> bool:
    """"аким области", "губернатор региона": the region named before, not a different one."""
    words = complement_gen.lower().split()
    return len(words) == 1 and word_key(words[0]) in GENERIC_PLACE_NOUNS


def _same_country(record: PersonRecord, post: PostInfo) -> bool:
    """Whether the post's country (if it gives one) is the person's (if known)."""
    return post.country is None or record.country is None or record.country.iri == post.country.iri


def _generic_title(position: str) -> bool:
    words = position.lower().split()
    return not words or words[0] in ("глава", "руководитель", "лидер", "начальник")


MINISTRY_NOUNS = {"ведомство", "министерство", "минобороны", "мид"}


def _ministry_head(post: PostInfo) -> bool:
    """"глава (внешнеполитического) ведомства", "руководитель министерства": a minister."""
    return _generic_title(post.position) and any(word_key(w) in MINISTRY_NOUNS for w in post.complement_gen.split())


DEPUTY_WORDS = ("заместитель", "замминистра", "замглавы", "зампред", "замгендиректора")


def _deputy(position: str) -> bool:
    words = position.lower().split()
    return bool(words) and (words[0] in DEPUTY_WORDS or words[0].startswith("вице-")
                            or words[:2] == ["первый", "заместитель"])


def _fuller(post: PostInfo, posts: list[PostInfo]) -> PostInfo:
    """"министры Шаккалиев и Болат": a minister's post without its portfolio is the fuller
    one stated for the same person elsewhere in the article."""
    if post.kind not in ("minister", "deputy_minister") or post.portfolio:
        return post
    word = post.position.split(" ")[0] if post.position else ""
    return next((p for p in posts if p.kind == post.kind and p.portfolio and p.position.startswith(word)), post)


def attach_stated_posts(records: list[PersonRecord], post_mentions: list[PostMention], on: date | None) -> None:
    """"Владимир Путин … Президент России высоко оценил …": a post-only mention that refers to a
    person named before with no post states that person's post. Who it refers to is decided
    by the gazetteer's tenures held on the article's date (any of them in an undated text)."""
    for pm in post_mentions:
        if pm.post.plural:
            continue
        fits = [r for r in records if r.post_for() is None and min(m.start for m in r.mentions) < pm.head.i
                and _tenure_fits(r, pm.post, on)]
        if len(fits) == 1:
            fits[0].stated_posts.append(pm.post)


def _tenure_fits(record: PersonRecord, post: PostInfo, on: date) -> bool:
    if record.entry is None or not post.position or _generic_title(post.position):
        return False
    if not _same_country(record, post):
        return False
    title = word_key(post.position.split()[0])
    return any((on is None or t.held_on(on)) and t.position and word_key(t.position.split()[0]) == title
               and _deputy(t.position) == _deputy(post.position) for t in record.entry.tenures)


def resolve_post_mention(records: list[PersonRecord], pm: PostMention, before: int) -> list[PersonRecord]:
    """The people a post without a name refers to: the latest person named before it with
    the same kind of post (and the same country when one is given)."""
    fits = []
    for record in records:
        first = min(m.start for m in record.mentions)
        if first >= before:
            continue
        post = record.post_for()
        if post is not None and post.kind == "minister" and _ministry_head(pm.post) and not _deputy(post.position):
            if _same_country(record, pm.post):
                fits.append(record)  # "глава казахстанского внешнеполитического ведомства": the minister
            continue
        if post is None or post.kind != pm.post.kind or _deputy(post.position) != _deputy(pm.post.position):
            continue  # "аким" is not "заместитель акима"
        if pm.post.kind in ("regional_head", "org_head") and not _generic_title(pm.post.position) and \
                phrase_key(pm.post.position.split()) != phrase_key(post.position.split()):
            continue  # "аким области" is not the "губернатор" named before
        if not _same_country(record, pm.post):
            continue
        if pm.post.kind == "minister" and pm.post.portfolio and post.portfolio and \
                phrase_key(pm.post.portfolio.split()) != phrase_key(post.portfolio.split()):
            continue
        if pm.post.complement_gen and pm.post.kind not in ("minister", "deputy_minister") and \
                not _generic_place(pm.post.complement_gen) and \
                phrase_key(pm.post.complement_gen.split()) != phrase_key(post.complement_gen.split()):
            continue  # "председатель Витебского облисполкома" is not "глава Башкортостана"
        fits.append(record)
    if pm.post.plural:
        return fits
    return fits[-1:] if fits else []


ANAPHOR_SENTENCES = 2  # how far back a post alone may look for the person it names
PRONOUN_GENDERS = {"он": "Masc", "она": "Fem"}


def _latest_named(records: list[PersonRecord], before: int, sent: int) -> tuple[PersonRecord, PersonMention] | None:
    last = [(m, r) for r in records for m in r.mentions if m.start < before and sent - m.sent <= ANAPHOR_SENTENCES]
    if not last:
        return None
    m, r = max(last, key=lambda x: x[0].start)
    return r, m


def _pronoun_posts(ctx: Context, records: list[PersonRecord]) -> None:
    """"Андрей Варичев возглавляет «Металлоинвест». С 2006 года он работал коммерческим директором
    компании": a post said of "он"/"она" is the post of the person last named, when the genders agree."""
    for t in ctx.doc:
        gender = PRONOUN_GENDERS.get(t.lower_)
        if gender is None or not t.dep_.startswith("nsubj"):
            continue
        latest = _latest_named(records, t.i, ctx.sentence_index(t.i))
        if latest is None or latest[0].gender not in (gender, None):
            continue
        said = predicate_post(ctx, ctx.doc[t.i:t.i + 1])
        if said is not None:
            latest[1].said_posts.append(said)


def anaphoric_referent(ctx: Context, records: list[PersonRecord], pm: PostMention) -> PersonRecord | None:
    """"…Мадонна сообщила … 61-летняя певица сообщила об этом", "Политик самоизолировался": a
    singular post alone as the subject of its clause names the person last named in the
    sentences just before it, when the post's gender (певица, актриса) fits theirs."""
    head = pm.head
    if pm.post.plural or not head.dep_.startswith("nsubj") or pm.post.countries or _generic_title(pm.post.position) \
            or pm.post.complement_gen:
        return None  # "глава ведомства", "представитель компании": not a name of the person just named
    latest = _latest_named(records, head.i, pm.sent)
    if latest is None or feats(head).get("Gender") == "Fem" and latest[0].gender not in ("Fem", None):
        return None
    return latest[0]

