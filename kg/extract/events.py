"""Events: triggers, frames (what one sentence says about an event), and their merging.

Each sentence yields at most one *frame*: its main factual event word (the one nearest the
root of the parse) with the sentence's date, place, people, documents and topics. A frame
starts a new event unless it refers back to one already reported ("по итогам переговоров",
"в рамках заседания", "мероприятие"), or fits the latest compatible event (same kind, no
other date or place, no new people). Sentences without an event word still add the people
who took part ("Его провели…", "В переговорах принял участие…"), signed documents and topics
to the current event. Plans ("планируется визит", "пройдет саммит") are not events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from spacy.tokens import Span, Token

from kg.extract.context import Context, Match
from kg.extract.dates import DateMention, find_dates
from kg.extract.documents import DocumentMention, find_documents, signatories
from kg.extract.orgs import country_of_entry, from_entry, is_media, organization
from kg.extract.people import (PersonMention, PersonRecord, PostMention, attach_stated_posts, complete_post,
                               find_people, post_organization, resolve_post_mention)
from kg.extract.text import depth, feats, lemma, mention, nominative, phrase_root, tidy
from kg.extract.topics import topics_in
from kg.model import Country, Document, Event, Mention, Organization, Participation, Person, Place, Topic

BACKGROUND_OPENERS = {"напомним", "ранее", "прежде"}  # a sentence so opened recalls an earlier occasion
SAME_SETTING_DAYS = 3  # a later event this close to the story's date, with no place of its own, shares its place
TYPE_PRIORITY = ["Signing", "CulturalEvent", "Summit", "PhoneCall", "Meeting", "Visit", "Other", "Any"]
COMPATIBLE = {("Meeting", "Visit"), ("Visit", "Meeting")}
NEW_EVENT_OPENERS = {"затем", "позднее", "позже", "впоследствии"}
NEW_EVENT_ADJECTIVES = {"отдельный", "предыдущий", "прошлый", "другой", "прошедший"}
CUE_NOUNS = {"председательство", "присутствие", "участие"}
DATE_RANK = {"explicit": 4, "weekday": 3, "relative": 2, "same_day": 1, "vague": 0}
ARRIVAL_VERBS = {"прибыть", "прибывать", "приехать", "прилететь", "находиться", "пребывать"}
LOCATIVE_PREPS = {"в", "во", "на"}
GROUP_WORDS = {"сторона", "сопредседатель", "лидер", "участник", "делегация", "глава"}


@dataclass
class Trigger:
    start: int
    end: int
    type: str
    head: Token
    factual: bool
    ref: bool = False
    sideline: bool = False
    joined: bool = False  # "приняли участие в заседании …": the object of taking part

    @property
    def depth(self) -> int:
        return depth(self.head)


@dataclass
class Frame:
    sent: int
    kind: str  # event | ref | addition
    type: str | None = None
    triggers: list[Trigger] = field(default_factory=list)
    main: Trigger | None = None
    new_marker: bool = False
    sideline: bool = False
    date: DateMention | None = None
    place: tuple[Place, Mention] | None = None
    people: list[tuple[PersonRecord, Mention]] = field(default_factory=list)
    groups: list[PostMention] = field(default_factory=list)
    documents: list[DocumentMention] = field(default_factory=list)
    orgs: list[tuple[Organization, Mention]] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)


@dataclass
class Draft:
    type: str
    title: str
    frames: list[Frame] = field(default_factory=list)
    date: date | None = None
    date_known: bool = False
    date_mention: Mention | None = None
    place: Place | None = None
    place_mention: Mention | None = None
    eve_of: Draft | None = None  # the story this event came the day before, when its place came from it
    people: dict[int, tuple[PersonRecord, int, Mention]] = field(default_factory=dict)
    documents: list[DocumentMention] = field(default_factory=list)
    orgs: list[tuple[Organization, Mention]] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def person_ids(self) -> set[int]:
        return set(self.people)


class EventExtractor:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.records, self.post_mentions, self.person_at = find_people(ctx)
        attach_stated_posts(self.records, self.post_mentions, ctx.published)
        self.record_of = {id(m): r for r in self.records for m in r.mentions}
        self.documents = find_documents(ctx)
        self.doc_tokens = {i for d in self.documents for i in range(d.start, d.end)}
        self.drafts: list[Draft] = []
        self.current: Draft | None = None

    # -- triggers -------------------------------------------------------------------------

    def triggers(self, sent: Span) -> list[Trigger]:
        ctx = self.ctx
        out = []
        speech = ctx.speech
        for m in ctx.events:
            if not (sent.start <= m.start < sent.end) or m.start in self.doc_tokens or m.start in speech:
                continue
            if m.start in ctx.dateline_tokens:
                continue
            head = self._head(m)
            out.append(Trigger(m.start, m.end, m.value, head, self._factual(head), *self._reference(m, head),
                               joined=self._joined(head)))
        for token in sent:
            if self._days_of(token) and not any(t.start <= token.i < t.end for t in out):
                out.append(Trigger(token.i, token.i + 1, "CulturalEvent", token, self._factual(token),
                                   *self._reference(Match(token.i, token.i + 1, "event", "CulturalEvent"), token)))
                continue
            kind = self._verb_trigger(token)
            if kind and token.i not in speech:
                out.append(Trigger(token.i, token.i + 1, kind, token, self._factual(token)))
        return out

    def _head(self, m: Match) -> Token:
        tokens = list(self.ctx.doc[m.start:m.end])
        ids = {t.i for t in tokens}
        return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[-1])

    def _reference(self, m: Match, head: Token) -> tuple[bool, bool]:
        """Whether the event word refers back to an event already reported, and whether it
        is the event on whose sidelines ("на полях") another one took place."""
        ctx = self.ctx
        if m.value == "Any":
            return True, False
        for ref in ctx.refs:
            gap = ctx.doc[ref.end:m.start]
            if ref.end <= m.start and len(gap) <= 3 and all(t.pos_ in ("ADJ", "DET", "NUM") for t in gap):
                words = ctx.doc[ref.start:ref.end].text.lower()
                return True, words.startswith("на полях")
        if head.dep_ == "nmod" and lemma(head.head) in ("участник", "итог", "рамка", "ход", "полях", "поле"):
            return True, lemma(head.head) in ("поле", "полях")
        if any(lemma(c) in ("этот", "тот", "данный") for c in head.children):
            return True, False
        if self._under_other_noun(head):
            return True, False  # "ведущие заседания", "за участие в сессии": named, not reported
        if self._reported_in_speech(head):
            return True, False  # "…, – заявил X, открывая встречу"; "сообщил, что поездка …"
        if self._joined(head):
            return True, False  # "В переговорах принял участие …": someone joined a reported event
        return False, False

    def _joined(self, head: Token) -> bool:
        """"В переговорах принял участие …", "приняли участие в заседании …": the event taken part in."""
        verb = head.head
        if head.dep_ == "nmod" and lemma(verb) == "участие":
            verb = verb.head
        elif head.dep_ != "obl":
            return False
        return lemma(verb) in ("принять", "участвовать", "присутствовать") \
            and any(m.start <= head.i < m.end for m in self.ctx.events) and head.i > 0 \
            and self.ctx.doc[head.i - 1].lower_ in ("в", "во", "на")

    def _under_other_noun(self, head: Token) -> bool:
        node = head
        while node.dep_ in ("nmod", "conj", "appos") and node.head.i != node.i:
            parent = node.head
            if parent.pos_ in ("VERB", "AUX"):
                return False
            if not self._is_trigger(parent):
                return node.dep_ == "nmod" or parent.pos_ in ("NOUN", "PROPN", "ADJ")
            node = parent
        return False

    def _reported_in_speech(self, head: Token) -> bool:
        lex = self.ctx.lex
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

    def _is_trigger(self, token: Token) -> bool:
        return any(m.start <= token.i < m.end for m in self.ctx.events)

    def _days_of(self, token: Token) -> bool:
        """"Дни Астраханской области", "Дни Казахстана": days of a place are a cultural event."""
        if token.text not in ("Дни", "Дней", "Днях", "Дням", "Днями") or token.i + 1 >= len(self.ctx.doc):
            return False
        nxt = token.i + 1
        while nxt < len(self.ctx.doc) and self.ctx.doc[nxt].pos_ == "ADJ" and nxt not in self.ctx.place_at:
            nxt += 1
        return nxt in self.ctx.place_at

    def _verb_trigger(self, token: Token) -> str | None:
        if token.pos_ != "VERB":
            return None
        kind = self.ctx.lex.event_verbs.get(lemma(token))
        if kind is None:
            return None
        objects = [c for c in token.children if c.dep_ in ("obj", "obl")]
        if lemma(token) == "принять":
            things = [c for c in token.children if c.dep_ == "obj" and not self._is_person_token(c)
                      and not any(x.dep_ == "appos" and self._is_person_token(x) for x in c.children)]
            people = [t for t in token.subtree if self._is_person_token(t) and _clause_verb(t) is not None
                      and _clause_verb(t).i == token.i]  # "…дня турецкого министра принял аким": a misparse too
            return kind if not things and len({self._person_key(t) for t in people}) >= 2 else None
        if kind == "Visit":
            return kind if any(c.i in self.ctx.place_at and self.ctx.place_at[c.i].label in ("Country", "City")
                               for c in objects) else None
        return kind

    def _person_key(self, token: Token) -> int:
        for m in self.person_at.values():
            if m.start <= token.i < m.end:
                return id(self.record_of[id(m)])
        return token.i

    def _is_person_token(self, token: Token) -> bool:
        if any(m.start <= token.i < m.end for m in self.person_at.values()):
            return True
        return any(pm.head.i == token.i for pm in self.post_mentions)

    def _factual(self, head: Token) -> bool:
        """False for plans and intentions: a future or infinitive governing verb, or a plan
        word on the way to the root or among the event word's modifiers."""
        lex = self.ctx.lex
        for child in head.children:
            if lemma(child) in lex.plan_words:
                return False
            if child.dep_ in ("acl:relcl", "acl") and _future(child):
                return False
        chain = [head] + list(head.ancestors)
        first_verb = True
        for token in chain:
            if lemma(token) in lex.plan_words:
                return False
            if token.pos_ in ("VERB", "AUX"):
                if first_verb and (_future(token) or _modal_child(token, lex)):
                    return False
                if feats(token).get("VerbForm") == "Inf" and first_verb:
                    if token is head:
                        return False
                    continue
                first_verb = False
        return True

    # -- frames ---------------------------------------------------------------------------

    def frame(self, k: int, sent: Span) -> Frame | None:
        triggers = self.triggers(sent)
        factual = [t for t in triggers if t.factual]
        plan_ids = self._plan_subtrees([t for t in triggers if not t.factual])
        main_candidates = [t for t in factual if not t.ref]
        if main_candidates:
            top = min(t.depth for t in main_candidates)
            main = min((t for t in main_candidates if t.depth <= top + 1),
                       key=lambda t: (t.depth, t.head.dep_ not in ("nsubj", "nsubj:pass", "obj", "ROOT"), t.start))
            kind = "event"
        elif factual:
            main = min(factual, key=lambda t: t.depth)
            kind = "ref"
        else:
            main, kind = None, "addition"
        f = Frame(k, kind, triggers=factual, main=main)
        if main is not None:
            f.type = self._frame_type(main, [t for t in factual if not t.ref] or [main])
            f.sideline = any(t.sideline for t in factual)
            f.new_marker = self._new_marker(sent, main) or _additive_opening(sent) and (
                kind == "event" or lemma(main.head.head) == "участие")  # "… принял участие во встрече"
        skip = plan_ids | self.ctx.dateline_tokens | self.doc_tokens
        f.date = self._date(sent, skip)
        f.place = self._place(sent, skip, main)
        f.documents = [d for d in self.documents if d.sent == k and self._signed(d)]
        f.people = self._people(sent, f, plan_ids)
        f.groups = [pm for pm in self.post_mentions if pm.sent == k and pm.post.plural and pm.head.i not in plan_ids]
        f.people += self._group_people(f)
        f.orgs = self._orgs(sent, plan_ids)
        f.countries = self._trigger_countries(main) if kind == "event" else []
        f.topics = topics_in(self.ctx, sent)
        if kind == "addition" and not (f.people or f.documents or f.orgs or f.topics):
            return None
        if kind == "addition" and plan_ids and not f.documents and not f.people:
            f.topics = []
        return f

    def _plan_subtrees(self, plans: list[Trigger]) -> set[int]:
        ids = set()
        for t in plans:
            node = t.head
            while node.head.i != node.i and node.head.pos_ not in ("VERB", "AUX") and node.dep_ != "ROOT":
                node = node.head
            if node.head.pos_ in ("VERB", "AUX") and node.head.dep_ != "ROOT" or _future(node.head):
                node = node.head
            ids.update(x.i for x in node.subtree)
        return ids

    def _frame_type(self, main: Trigger, triggers: list[Trigger]) -> str:
        types = [t.type for t in triggers if abs(t.depth - main.depth) <= 2 or t is main]
        if main.type in ("Meeting", "Any") and any(t.type == "Summit" and t.head.head.i == main.head.i
                                                   for t in triggers):
            return "Summit"
        if main.type == "Any":
            return next((t for t in TYPE_PRIORITY if t in types and t != "Any"), "Any")
        if main.type in ("Meeting", "Visit") and "PhoneCall" in types:
            return "PhoneCall"
        return main.type

    def _new_marker(self, sent: Span, main: Trigger) -> bool:
        opening = [lemma(t) for t in sent[:3]]
        if any(w in NEW_EVENT_OPENERS for w in opening):
            return True
        if lemma(sent[0]) == "также" and any(t.lower_ == "день" for t in sent[:5]):
            return True
        return any(lemma(c) in NEW_EVENT_ADJECTIVES for c in main.head.children)

    def _date(self, sent: Span, skip: set[int]) -> DateMention | None:
        found = find_dates(sent, self.ctx.published, skip)
        if not found:
            return None
        return max(found, key=lambda d: (DATE_RANK[d.kind], -d.start))

    def _place(self, sent: Span, skip: set[int], main: Trigger | None) -> tuple[Place, Mention] | None:
        """Where the event happened: a city (else a venue, region or country) in the locative
        ("в Москве"), or the destination of an arrival ("прибывшим в Астану")."""
        ctx = self.ctx
        best, rank = None, -1
        seen = set()
        for i in range(sent.start, sent.end):
            match = ctx.place_at.get(i)
            if match is None or match.start in seen or i in skip or i in self._post_window_ids:
                continue
            seen.add(match.start)
            if match.label != "Venue" and any(j in ctx.org_token_ids for j in range(match.start, match.end)):
                continue  # (a venue is often tagged ORG: "в Акорде", "в Кремле")
            prep = ctx.doc[match.start - 1] if match.start > 0 else None
            if prep is None or prep.lower_ not in LOCATIVE_PREPS:
                continue
            head = ctx.doc[match.end - 1]
            case = feats(head).get("Case")
            governor = _governor(head)
            if case == "Acc" and not (governor is not None and lemma(governor) in ARRIVAL_VERBS):
                continue
            if governor is not None and governor.pos_ in ("NOUN", "PROPN") and (main is None or governor.i != main.head.i) \
                    and not self._is_person_token(governor) and not self._is_trigger(governor):
                continue  # "проектов компании в Казахстане": the place of a thing, not of the event
            level = {"City": 3, "Venue": 3, "Region": 1, "Country": 0}.get(match.label, 0)
            if level > rank:
                best, rank = match, level
        if best is None:
            return self._unknown_place(sent, skip, seen)
        return self._as_place(best), mention(ctx.doc, best.start, best.end)

    def _unknown_place(self, sent: Span, skip: set[int], seen: set[int]) -> tuple[Place, Mention] | None:
        """"в Северодвинске": a place the tagger names in the locative after "в"/"на" that the
        gazetteer does not know is still the event's place (a city, by its nominative name)."""
        ctx = self.ctx
        for span in ctx.ents("LOC"):
            if not (sent.start <= span.start < sent.end) or span.start in skip or \
                    any(i in ctx.place_at or i in ctx.org_token_ids for i in range(span.start, span.end)):
                continue
            prep = ctx.doc[span.start - 1] if span.start > sent.start else None
            head = ctx.doc[span.end - 1]
            if prep is None or prep.lower_ not in LOCATIVE_PREPS or feats(head).get("Case") != "Loc":
                continue
            governor = _governor(head)
            if governor is not None and governor.pos_ in ("NOUN", "PROPN") and not self._is_trigger(governor):
                continue
            name = nominative(list(span), capitalize=True)
            if name:
                return Place(name, None, "City"), mention(ctx.doc, span.start, span.end)
        return None

    def _as_place(self, match: Match) -> Place:
        entry = match.entry
        if entry.kind == "Venue":
            city = self.ctx.gaz.get(entry.prop("containedInPlace"))
            if city is not None:
                entry = city
        country = country_of_entry(self.ctx, entry)
        kind = {"Country": "Country", "Region": "Region"}.get(entry.kind, "City")
        return Place(entry.label, country, kind, entry.iri)

    @property
    def _post_window_ids(self) -> set[int]:
        if not hasattr(self, "_pw"):
            self._pw = {i for m in self.person_at.values() if m.post for i in range(m.post.start, m.post.end)}
            self._pw |= {i for pm in self.post_mentions for i in range(pm.post.start, pm.post.end)}
        return self._pw

    def _signed(self, d: DocumentMention) -> bool:
        return d.verb is None or self._factual(d.verb)

    def _people(self, sent: Span, f: Frame, plan_ids: set[int]) -> list[tuple[PersonRecord, Mention]]:
        """People taking part: everyone named in a sentence that reports a new event, and in
        other sentences those linked to a participation word ("провели", "принял участие")."""
        out = []
        for m in self.person_at.values():
            if not (sent.start <= m.start < sent.end) or m.in_quote or m.start in plan_ids or m.start in self.doc_tokens:
                continue
            if f.kind != "event" and not (self._cued(m) or self._argument(m, f)) or \
                    f.kind == "event" and not self._attached(m, f):
                continue
            out.append((self.record_of[id(m)], mention(self.ctx.doc, m.start, m.end)))
        for pm in self.post_mentions:
            if pm.sent != f.sent or pm.post.plural or pm.head.i in plan_ids:
                continue
            if f.kind != "event" and not self._cued_token(pm.head):
                continue
            for record in resolve_post_mention(self.records, pm, pm.head.i):
                out.append((record, mention(self.ctx.doc, pm.post.start, pm.post.end)))
        return out

    def _group_people(self, f: Frame) -> list[tuple[PersonRecord, Mention]]:
        """"главы государств приняли участие": the current event's people with that post;
        "встреча президентов Казахстана и Азербайджана": the people named before with that
        post and one of those countries."""
        out = []
        for pm in f.groups:
            if f.kind != "event" and not self._cued_token(pm.head):
                continue
            m = mention(self.ctx.doc, pm.post.start, pm.post.end)
            if pm.post.countries:
                wanted = {c.iri for c in pm.post.countries}
                fits = [r for r in resolve_post_mention(self.records, pm, pm.head.i)
                        if r.country is not None and r.country.iri in wanted]
                fits += [r for r in self.records if r not in fits and r.country is not None
                         and r.country.iri in wanted and min(x.start for x in r.mentions) < pm.head.i
                         and r.post_for() is not None and r.post_for().kind == pm.post.kind]
                out.extend((r, m) for r in fits)
                continue
            pool = [r for r, _, _ in self.current.people.values()] if self.current is not None else []
            members = [r for r in pool if r.post_for() is not None and r.post_for().kind == pm.post.kind]
            if not members and f.kind == "event":
                members = resolve_post_mention(self.records, pm, pm.head.i)
            out.extend((r, m) for r in members)
        return out

    def _argument(self, m: PersonMention, f: Frame) -> bool:
        """"по итогам встречи А.Вебера и канцлера ФРГ А.Меркель", "после переговоров с Х": a
        name that depends on the frame's own event word (through names, posts and "и") is a
        participant of that event, wherever the event word stands in the sentence."""
        if f.main is None:
            return False
        node, hops = self.ctx.doc[m.start], 0
        while node.head.i != node.i and hops < 6:
            parent, hops = node.head, hops + 1
            if f.main.start <= parent.i < f.main.end:
                return node.dep_ in ARGUMENT_DEPS
            if not (self._is_person_token(parent) or parent.i in self._post_window_ids or self._post_word(parent)
                    or node.dep_ in ("conj", "flat:name", "appos")):
                break
            node = parent
        return self._subject_beside(m, f)

    def _post_word(self, token: Token) -> bool:
        return any(p.start <= token.i < p.end for p in self.ctx.posts)

    def _subject_beside(self, m: PersonMention, f: Frame) -> bool:
        """"После переговоров с Си Цзиньпином Владимир Путин заявил": the subject of the verb whose
        adverbial is the event (after, following, during it) took part in it."""
        node = self.ctx.doc[m.start]
        while node.head.i != node.i and node.dep_ in ("flat:name", "appos") or self._is_person_token(node.head) \
                and node.head.i != node.i and node.dep_ != "nsubj":
            node = node.head
        trigger = f.main.head
        return node.dep_ == "nsubj" and trigger.dep_ == "obl" and trigger.head.i == node.head.i \
            and any(c.dep_ == "case" and lemma(c).lower() in ADVERBIAL_PREPS for c in trigger.children)

    def _cued(self, m: PersonMention) -> bool:
        return self._cued_token(self.ctx.doc[m.end - 1])

    def _cued_token(self, token: Token) -> bool:
        """Whether a person is linked to a word of taking part ("провели", "приняли участие",
        "в присутствии", "скрепили подписями") — unless the sentence says they sent words only."""
        lex = self.ctx.lex
        if self._absent(token.sent.start):
            return False
        node, hops = token, 0
        while hops < 5 and node.head.i != node.i:
            node = node.head
            hops += 1
            if lemma(node) in lex.sign_verbs or node.norm_ in lex.sign_verbs or lemma(node) in CUE_NOUNS:
                return True
            if node.pos_ in ("VERB", "AUX"):
                return lemma(node) in lex.participation_verbs and self._factual(node) \
                    and feats(node).get("VerbForm") != "Inf"
        return False

    def _absent(self, sent_start: int) -> bool:
        cache = self.__dict__.setdefault("_absence", {})
        if sent_start not in cache:
            sent = self.ctx.doc[sent_start].sent
            cache[sent_start] = any(lemma(t) in self.ctx.lex.absence_words for t in sent)
        return cache[sent_start]

    def _reporter(self, node: Token, verb: Token, f: Frame) -> bool:
        """"Президенты созвонились, сообщил пресс-секретарь Берик Уали": the subject of a verb of
        saying whose clause does not hold the event is the source, not a participant ("На
        встрече министр отметил …" holds it: the minister took part)."""
        if not node.dep_.startswith("nsubj") or verb.pos_ not in ("VERB", "AUX") or f.main is None \
                or lemma(verb) not in self.ctx.lex.speech_verbs:
            return False
        node, hops = f.main.head, 0  # is the verb over the event? (walk the heads: the edges
        while node.i != verb.i and node.head.i != node.i and hops < 50:  # of a non-projective tree lie)
            node, hops = node.head, hops + 1
        return node.i != verb.i

    def _attached(self, m: PersonMention, f: Frame) -> bool:
        """A person named in a sentence that reports an event takes part unless the name hangs
        on a plain noun on its way to the verb ("показом драмы Адильхана Ержанова")."""
        node, hops = self.ctx.doc[m.start], 0
        while node.head.i != node.i and hops < 8 and node.head.pos_ not in ("VERB", "AUX"):
            node, hops = node.head, hops + 1
        if node.head.i < m.start and self._reporter(node, node.head, f):  # "…, сообщил пресс-секретарь X"
            return False
        node, hops = self.ctx.doc[m.start], 0
        while node.head.i != node.i and hops < 8:
            parent, hops = node.head, hops + 1
            if parent.pos_ in ("VERB", "AUX") or self._is_trigger(parent) or parent.i in self._post_window_ids \
                    or lemma(parent) in CUE_NOUNS:
                return True
            if parent.pos_ in ("NOUN", "PROPN") and not self._is_person_token(parent) and \
                    lemma(parent) not in self.ctx.lex.agent_nouns and node.dep_ in ("nmod",):
                return False
            node = parent
        return True

    def _orgs(self, sent: Span, plan_ids: set[int]) -> list[tuple[Organization, Mention]]:
        """Organizations that take part: "представители X", "солисты X", or the subject of a
        participation or signing verb."""
        ctx = self.ctx
        out = []
        for span in ctx.org_spans:
            if not (sent.start <= span.start < sent.end) or span.start in plan_ids or span.start in self.doc_tokens:
                continue
            root = phrase_root(list(span))
            node = root
            while node.dep_ == "conj" and node.head.i != node.i:
                node = node.head  # "представители X и Y": Y hangs on X
            anchor = node.head
            agent = lemma(anchor) in ctx.lex.agent_nouns
            verb = _governor_verb(root) if root.dep_ in ("nsubj", "conj") else None
            signed = any(d.sent == ctx.sentence_index(span.start) for d in self.documents)
            subject = verb is not None and (lemma(verb) in ctx.lex.participation_verbs
                                            or signed and lemma(verb) in ctx.lex.sign_verbs)
            if not (agent or subject):
                continue
            org = organization(ctx, list(span))
            if isinstance(org, Organization) and not is_media(ctx, org):
                out.append((org, mention(ctx.doc, span.start, span.end)))
        return out

    def _trigger_countries(self, main: Trigger | None) -> list[Country]:
        if main is None:
            return []
        ctx = self.ctx
        out = []
        for t in main.head.subtree:
            match = ctx.country_at.get(t.i)
            if match is not None and match.label == "Country" and t.i not in self._post_window_ids:
                c = Country(match.entry.label, match.entry.iri)
                if c not in out:
                    out.append(c)
        return out

    # -- merging ----------------------------------------------------------------------------

    def run(self) -> list[Draft]:
        for k, sent in enumerate(self.ctx.sentences):
            f = self.frame(k, sent)
            if f is None:
                continue
            target = self._place_frame(f)
            if target is not None:
                self._absorb(target, f)
                self.current = target
        drafts = [d for d in self.drafts if d.type != "Any" or d.people or d.documents]
        for d in drafts:
            if d.eve_of is None or d.place is None or set(d.people) & set(d.eve_of.people):
                continue
            story_place = self._story_place(d.eve_of)[0]
            if story_place is not None and d.place.name == story_place.name:
                d.place, d.place_mention = None, None  # "накануне, 26 ноября, заседание комиссии провели …"
        self._dateline_place(drafts)
        drafts = [d for d in drafts if _concrete(d)]
        _repeated_mentions(self.ctx, drafts)
        return [part for d in drafts for part in self._split_calls(d)]

    def _dateline_place(self, drafts: list[Draft]) -> None:
        """"МИНСК, 12 апреля. /Казинформ/ – … приняли участие в заседании …": with no place in
        the text, the news event of the article took place in the dateline's city."""
        if not drafts:
            return
        day = self._dateline_date
        for draft in drafts:
            if not draft.date_known and day is not None:
                draft.date = day  # "Астана, 7 июня 2023 года – …" published the next morning: the story's day
            if draft.type == "PhoneCall" or self._dateline_city is None:
                continue
            city, city_mention = self._dateline_city
            vague = draft.place is None or (draft.place.kind == "Country" and city.country is not None
                                            and city.country.gid == draft.place.gid)  # "находящимся в Казахстане"
            on_the_day = draft.date == self.ctx.published or draft.date is not None and draft.date == day
            if vague and (not draft.date_known or on_the_day):
                draft.place, draft.place_mention = city, city_mention

    @cached_property
    def _dateline_date(self) -> date | None:
        if not self.ctx.dateline_tokens:
            return None
        found = find_dates(self.ctx.doc[0:max(self.ctx.dateline_tokens) + 1], self.ctx.published)
        return next((d.value for d in found if d.kind == "explicit" and d.value), None)

    @cached_property
    def _dateline_city(self) -> tuple[Place, Mention] | None:
        """The city the dateline names ("АСТАНА, 27 ноября. /Казинформ/ –"), if any."""
        cities = [m for m in self.ctx.gazetteer_matches if m.label == "City" and m.start in self.ctx.dateline_tokens]
        if not cities:
            return None
        return self._as_place(cities[0]), mention(self.ctx.doc, cities[0].start, cities[0].end)

    def _split_calls(self, draft: Draft) -> list[Draft]:
        """"X поздравили по телефону A и B": a phone call is between two sides, so conjoined
        callers on one side make one call each with the other side."""
        if draft.type != "PhoneCall" or len(draft.people) < 3 or not draft.frames or draft.frames[0].main is None:
            return [draft]
        verb = draft.frames[0].main.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        subject_ids = {t.i for c in subjects for t in c.subtree}
        side = [key for key, (r, _, m) in draft.people.items()
                if any(x.start in subject_ids for x in r.mentions if x.sent == draft.frames[0].sent)]
        others = [key for key in draft.people if key not in side]
        if len(side) < 2 or len(others) != 1:
            return [draft]
        parts = []
        for key in side:
            part = Draft(**{**draft.__dict__})
            part.people = {k: draft.people[k] for k in (key, others[0])}
            part.title = draft.title
            parts.append(part)
        return parts

    def _place_frame(self, f: Frame) -> Draft | None:
        if f.kind == "addition" and f.documents and f.date is not None and (
                f.date.kind == "same_day" or f.date.kind in ("explicit", "weekday")
                and (self.current is None or self._date_conflict(self.current, f))):
            f.type = "Signing"  # "А 13 ноября в Баку … было подписано Соглашение …"
            return self._new_draft(f)
        if f.kind == "event":
            target = None if (f.new_marker or f.sideline) else self._compatible(f)
            if target is None:
                target = self._new_draft(f)
            return target
        if f.kind == "ref" and f.new_marker and f.type not in (None, "Any"):
            return self._new_draft(f)  # "Затем … приняли участие в церемонии запуска …"
        if f.kind == "ref" and f.main is not None and f.main.joined and f.main.factual and f.type not in (None, "Any") \
                and lemma(f.main.head) in ("заседание", "сессия") and (self.current is None or self.current.type != "Summit") \
                and any(c.dep_ == "nmod" and c.pos_ in ("NOUN", "PROPN") for c in f.main.head.children) \
                and not any(x.main is not None and self._trigger_key(x.main) == self._trigger_key(f.main)
                            for d in self.drafts for x in d.frames):
            return self._new_draft(f)  # "… приняли участие в заседании делового совета": a body's session not yet reported
        if f.kind == "ref" and f.type == "Any" and not self.drafts and f.people and f.main is not None \
                and f.main.factual:
            f.type = "Other"  # "С афганской стороны в церемонии принял участие …": a ceremony, not reported before
            return self._new_draft(f)
        if f.kind == "ref":
            target = self._referenced(f)
            if target is None and f.type not in (None, "Any") and (self.current is None or self._date_conflict(
                    self.current, f) or not _types_fit(self.current.type, f.type) and f.date is not None):
                return self._new_draft(f)  # "Напомним, 7 октября … в ходе телефонного разговора …"
            return target or self.current
        return self.current

    def _compatible(self, f: Frame) -> Draft | None:
        people = {id(r) for r, _ in f.people}
        for draft in reversed(self.drafts):
            if not _types_fit(draft.type, f.type):
                continue
            if self._date_conflict(draft, f) or self._place_conflict(draft, f):
                continue
            known = {id(r) for r, _, _ in draft.people.values()}
            same_word = f.main is not None and any(
                x.main is not None and self._trigger_key(x.main) == self._trigger_key(f.main) for x in draft.frames)
            if people and known and not people <= known and not same_word:
                continue
            return draft
        return None

    def _trigger_key(self, t: Trigger) -> str:
        """The event words as a case-free key ("верительные грамоты" = "Верительных грамот")."""
        return " ".join(lemma(x) for x in self.ctx.doc[t.start:t.end] if x.is_alpha)

    def _referenced(self, f: Frame) -> Draft | None:
        """The latest event the frame's words can refer to: one of a compatible kind, or one
        first reported with the same event word ("ведущие пленарного заседания")."""
        words = {lemma(t.head) for t in f.triggers}
        for draft in reversed(self.drafts):
            if self._date_conflict(draft, f):
                continue
            same_word = any(x.main is not None and lemma(x.main.head) in words for x in draft.frames)
            if _types_fit(draft.type, f.type) or f.type in ("Any", None) or same_word:
                return draft
        return None

    def _date_conflict(self, draft: Draft, f: Frame) -> bool:
        if f.date is None or f.date.kind == "same_day":
            return False
        value = self._frame_date(f)
        if not draft.date_known:
            # "Накануне, 2 февраля, …", "Напомним, … в мае прошлого года": said to be earlier, another occasion
            return f.date.kind in ("explicit", "vague") and self._looks_back(f) and value != draft.date
        return value != draft.date

    def _looks_back(self, f: Frame) -> bool:
        sent = self.ctx.sentences[f.sent]
        words = {t.lower_ for t in sent[:6]}
        return bool(words & (BACKGROUND_OPENERS | {"накануне", "вчера", "позавчера"}))

    def _place_conflict(self, draft: Draft, f: Frame) -> bool:
        if f.place is None or draft.place is None:
            return False
        return f.place[0].name != draft.place.name and f.place[0].kind == draft.place.kind

    def _frame_date(self, f: Frame) -> date | None:
        if f.date is None:
            return None
        if f.date.kind == "relative" and f.date.offset == -1 and self.current is not None \
                and self._anchored_on_event(f):
            return self.current.date and _shift(self.current.date, -1)
        return f.date.value

    def _anchored_on_event(self, f: Frame) -> bool:
        """"Накануне заседания": the day before the event, not before the publication."""
        token = self.ctx.doc[f.date.start]
        nxt = self.ctx.doc[token.i + 1] if token.i + 1 < len(self.ctx.doc) else None
        return nxt is not None and any(m.start == nxt.i for m in self.ctx.events)

    def _new_draft(self, f: Frame) -> Draft:
        draft = Draft(f.type or "Other", self._title(f))
        inherit = self.current if (f.new_marker or f.sideline or f.date is None or f.date.kind == "same_day") \
            else None
        if f.sideline:
            ref = self._referenced(Frame(f.sent, "ref", type="Any"))
            inherit = ref or inherit
        if f.date is not None and f.date.kind != "same_day":
            draft.date, draft.date_known = self._frame_date(f), True
            draft.date_mention = mention(self.ctx.doc, f.date.start, f.date.end)
        elif inherit is not None and (f.new_marker or f.sideline or f.date is not None):
            draft.date, draft.date_known, draft.date_mention = inherit.date, inherit.date_known, inherit.date_mention
        elif self.current is not None and self.current.date_known:
            # no date of its own: the story's time so far ("4 сентября прошел форум … Министр
            # также встретился с …")
            draft.date, draft.date_mention = self.current.date, self.current.date_mention
        else:
            draft.date = self.ctx.published
        if f.place is None and inherit is not None and f.type != "PhoneCall":
            draft.place, draft.place_mention = inherit.place, inherit.place_mention
        elif f.place is None and self._same_setting(draft, f):
            # "На полях сессии ГА ООН в Нью-Йорке министр провел ряд встреч. 19 сентября он встретился
            # с …": a later event of the same days, with no place of its own, happened where the story is
            draft.place, draft.place_mention = self._story_place(self.current)
        self.drafts.append(draft)
        return draft

    def _story_place(self, story: Draft) -> tuple[Place | None, Mention | None]:
        """Where the story is: its own place, or for the article's first event, the dateline's city
        (which the final pass gives it)."""
        if story.place is not None or not self.drafts or story is not self.drafts[0] or story.type == "PhoneCall":
            return story.place, story.place_mention
        return self._dateline_city or (None, None)

    def _same_setting(self, draft: Draft, f: Frame) -> bool:
        story = self.current
        place = self._story_place(story)[0] if story is not None else None
        if story is None or place is None or place.kind not in ("City", "Venue") \
                or f.type == "PhoneCall" or story.type == "PhoneCall":
            return False
        if story.date is None or draft.date is None or abs((draft.date - story.date).days) > SAME_SETTING_DAYS:
            return False
        first_words = {t.lower_ for t in self.ctx.sentences[f.sent][:6]}
        if first_words & (BACKGROUND_OPENERS | {"впервые"}):  # background
            return False
        if f.date is not None and any(t.lower_ == "накануне"  # "накануне, 26 ноября,"
                                      for t in self.ctx.doc[max(0, f.date.start - 2):f.date.end]):
            draft.eve_of = story  # held where the story is only if someone of the story took part
        return True

    def _absorb(self, draft: Draft, f: Frame) -> None:
        draft.frames.append(f)
        if f.main is not None:
            draft.mentions.append(mention(self.ctx.doc, f.main.start, f.main.end))
            if draft.type == "Any" and f.type not in (None, "Any"):
                draft.type = f.type
            elif f.kind == "event" and _rank(f.type) < _rank(draft.type) and _types_fit(draft.type, f.type):
                draft.type = draft.type if draft.type in ("Meeting", "Visit") else f.type
        if f.date is not None and not draft.date_known and f.date.kind not in ("same_day",):
            draft.date, draft.date_known = self._frame_date(f), True
            draft.date_mention = mention(self.ctx.doc, f.date.start, f.date.end)
        if f.place is not None and (draft.place is None or _rank_place(f.place[0]) > _rank_place(draft.place)):
            draft.place, draft.place_mention = f.place
        for record, m in f.people:
            draft.people.setdefault(id(record), (record, f.sent, m))
        for d in f.documents:
            self._add_document(draft, d)
        for org, m in f.orgs:
            if org.name not in {o.name for o, _ in draft.orgs}:
                draft.orgs.append((org, m))
        for c in f.countries:
            if c not in draft.countries:
                draft.countries.append(c)
        for t in f.topics:
            if t not in draft.topics:
                draft.topics.append(t)

    def _add_document(self, draft: Draft, d: DocumentMention) -> None:
        if d.anaphoric:
            previous = next((x for x in reversed(draft.documents) if x.type == d.type), None)
            if previous is not None:
                previous.signers = previous.signers or d.signers
                return
            if len(d.title.split()) <= 1:
                return
        if d.title not in {x.title for x in draft.documents}:
            draft.documents.append(d)

    def _title(self, f: Frame) -> str:
        if f.main is None:
            return ""
        head = f.main.head
        if head.pos_ in ("VERB", "ADP") or self.ctx.doc[f.main.start].pos_ == "ADP":
            names = [r.name for r, _ in f.people]
            word = {"Meeting": "Встреча", "PhoneCall": "Телефонный разговор", "Visit": "Визит"}.get(f.type, "Событие")
            return f"{word}: {' и '.join(names)}" if names else word
        tokens = [t for t in self.ctx.doc[f.main.start:head.right_edge.i + 1]][:16]
        cut = next((k for k, t in enumerate(tokens) if k and t.text in (",", "(", ";", ":", "–", "—")), len(tokens))
        return tidy(nominative(tokens[:cut], capitalize=True))


ARGUMENT_DEPS = ("nmod", "conj", "appos", "obl")
ADVERBIAL_PREPS = {"после", "по", "в", "во", "на", "в ходе", "по итогам"}


def _concrete(d: Draft) -> bool:
    """GUIDELINES §1: an event told with no one taking part, no document, no organization and no
    place nor date of its own ("переговоры продолжатся", "после встречи") is not a concrete event."""
    return bool(d.people or d.documents or d.orgs or d.place is not None or d.date_known)


def _event_word(ctx: Context, start_char: int, end_char: int) -> str:
    span = ctx.doc.char_span(start_char, end_char, alignment_mode="expand")
    return " ".join(lemma(x) for x in span if x.is_alpha) if span is not None else ""


def _repeated_mentions(ctx: Context, drafts: list[Draft]) -> None:
    """"… дают концерт в Карнеги-холле. … Концерт откроет серию выступлений": an event word
    repeated later, in a sentence that made no event of its own, names the latest event first
    told with that word; it is one more mention of that event (provenance, not new facts)."""
    taken = {(m.start, m.end) for d in drafts for m in d.mentions}
    words = [(d, _event_word(ctx, m.start, m.end), m.start) for d in drafts for m in d.mentions[:1]]
    for match in ctx.events:
        here = mention(ctx.doc, match.start, match.end)
        if (here.start, here.end) in taken:
            continue
        word = _event_word(ctx, here.start, here.end)
        before = [(start, d) for d, w, start in words if w == word and start < here.start]
        if before:
            max(before, key=lambda x: x[0])[1].mentions.append(here)


def _future(token: Token) -> bool:
    f = feats(token)
    return f.get("Tense") == "Fut" or (f.get("Aspect") == "Perf" and f.get("Tense") == "Pres")


def _modal_child(token: Token, lex) -> bool:
    return any(c.dep_ in ("xcomp", "aux") and lemma(c) in lex.plan_words for c in token.children)


def _governor(token: Token) -> Token | None:
    node = token
    while node.dep_ in ("flat", "flat:name", "conj", "appos", "amod") and node.head.i != node.i:
        node = node.head
    return node.head if node.head.i != node.i else None


def _governor_verb(token: Token) -> Token | None:
    node = token
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    head = node.head
    return head if head.pos_ in ("VERB", "AUX") else None


def _clause_verb(token: Token) -> Token | None:
    """The nearest verb above a token (the token's clause)."""
    node, hops = token.head, 0
    while hops < 12:
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.head.i == node.i:
            return None
        node, hops = node.head, hops + 1
    return None


def _additive_opening(sent: Span) -> bool:
    """"Кроме того, вчера министр принял участие во встрече …", "Помимо этого …": one more event."""
    words = [t.lower_ for t in sent[:3] if not t.is_punct]
    return words[:2] in (["кроме", "того"], ["помимо", "этого"], ["помимо", "того"])


def _types_fit(a: str | None, b: str | None) -> bool:
    if a in (None, "Any") or b in (None, "Any"):
        return True
    return a == b or (a, b) in COMPATIBLE


def _rank(kind: str | None) -> int:
    return TYPE_PRIORITY.index(kind) if kind in TYPE_PRIORITY else len(TYPE_PRIORITY)


def _rank_place(place: Place) -> int:
    return {"City": 2, "Region": 1, "Country": 0}.get(place.kind, 0)


def _shift(value: date, days: int) -> date | None:
    from kg.extract.dates import shift

    return shift(value, days)


# -- from drafts to events -------------------------------------------------------------------

class Assembler:
    """Turns drafts into ``Event`` records: participants with their posts and organizations,
    documents with their parties, the organizations and countries involved."""

    def __init__(self, extractor: EventExtractor) -> None:
        self.x = extractor
        self.ctx = extractor.ctx

    def event(self, draft: Draft) -> Event:
        participations = [self.participation(r, sent, m) for r, sent, m in draft.people.values()]
        documents = [self.document(draft, d, participations) for d in draft.documents]
        orgs = self.organizations(draft, participations, documents)
        countries = self.countries(draft, participations, documents)
        return Event(type=draft.type if draft.type != "Any" else "Other", title=draft.title, date=draft.date,
                     location=draft.place, countries=tuple(countries), participants=tuple(participations),
                     organizations=tuple(orgs), documents=tuple(documents), topics=tuple(draft.topics),
                     mentions=tuple(draft.mentions), date_mention=draft.date_mention,
                     location_mention=draft.place_mention)

    def participation(self, record: PersonRecord, sent: int, m: Mention) -> Participation:
        country = record.country
        post = record.post_for(sent)
        if post is not None:
            post = complete_post(self.ctx, record, post)
        org_name, org_entry = post_organization(self.ctx, post, country) if post else (None, None)
        org = None
        if org_entry is not None:
            org = from_entry(self.ctx, org_entry)
        elif org_name:
            org = Organization(org_name, kind=_org_kind(post.kind, post.template),
                               country=Country(country.label, country.iri) if country else None)
        c = Country(country.label, country.iri) if country else None
        person = Person(record.name, record.aliases, record.gender, c, record.entry.iri if record.entry else None)
        mentions = tuple(dict.fromkeys([m] + [mention(self.ctx.doc, x.start, x.end) for x in record.mentions]))
        return Participation(person, post.position if post and post.position else None, org, c, mentions)

    def document(self, draft: Draft, d: DocumentMention, people: list[Participation]) -> Document:
        parties = list(d.parties) or self.signer_parties(draft, d, people)
        parties = signatories(self.ctx, d, parties, people, self.countries(draft, people, []))
        return Document(d.title, d.type, tuple(dict.fromkeys(parties)), (mention(self.ctx.doc, d.start, d.end),))

    def signer_parties(self, draft: Draft, d: DocumentMention, people: list[Participation]):
        """Parties from who signed: the organizations of the people who signed, the
        organizations named as signers, or the group a plural post names ("министры")."""
        out = []
        by_name = {p.person.name: p for p in people}
        for token in d.signers:
            ids = {t.i for t in token.subtree}
            persons = [r for r in self.x.records if any(m.start in ids for m in r.mentions)]
            if persons:
                for r in persons:
                    out.extend(self._party_of(by_name.get(r.name)))
                continue
            spans = [span for span in self.ctx.org_spans if span.start in ids]
            if spans:
                out.extend(organization(self.ctx, list(span)) for span in spans)
                continue
            out.extend(self._group_parties(draft, d, token, people))
        return [p for p in out if p is not None]

    def _party_of(self, p: Participation | None):
        if p is None:
            return []
        if p.organization is not None:
            return [p.organization]
        return [Country(p.country.name, p.country.gid)] if p.country else []

    def _group_parties(self, draft: Draft, d: DocumentMention, token: Token, people: list[Participation]):
        """"министры подписали", "главы правительств двух стран скрепили подписями": the
        participants with that post; the governments of the event's countries; or, for
        "стороны"/"сопредседатели", everyone who took part so far."""
        so_far = {r.name for r, sent, _ in draft.people.values() if sent <= d.sent}
        present = [p for p in people if p.person.name in so_far]
        pm = next((x for x in self.x.post_mentions if x.post.start <= token.i < x.post.end), None)
        if pm is not None:
            members = [p for p in present if self._kind_of(p) == pm.post.kind]
            if members:
                return [x for p in members for x in self._party_of(p)]
            if pm.post.kind == "head_of_government":
                return self._governments(draft, people)
        if lemma(token) in GROUP_WORDS or pm is not None:
            return [x for p in present for x in self._party_of(p)]
        return []

    def _governments(self, draft: Draft, people: list[Participation]) -> list[Organization]:
        govs = []
        for c in self.countries(draft, people, []):
            gov = self.ctx.gaz.government_of(c.gid) if c.gid else None
            if gov is not None:
                govs.append(from_entry(self.ctx, gov))
        return govs

    def _kind_of(self, p: Participation) -> str | None:
        record = next((r for r in self.x.records if r.name == p.person.name), None)
        post = record.post_for() if record else None
        return post.kind if post else None

    def organizations(self, draft: Draft, people: list[Participation], documents: list[Document]):
        out: list[Organization] = []
        for p in people:
            if p.organization is not None:
                out.append(p.organization)
        for d in documents:
            out.extend(x for x in d.parties if isinstance(x, Organization))
        out.extend(o for o, _ in draft.orgs)
        seen, result = set(), []
        for org in out:
            if org.kind == "Government" or org.name.lower() in seen or is_media(self.ctx, org):
                continue
            seen.add(org.name.lower())
            result.append(org)
        return result

    def countries(self, draft: Draft, people: list[Participation], documents: list[Document]) -> list[Country]:
        out: list[Country] = []
        for p in people:
            if p.country:
                out.append(p.country)
        for d in documents:
            for party in d.parties:
                if isinstance(party, Country):
                    out.append(party)
                elif party.country:
                    out.append(party.country)
        out.extend(draft.countries)
        seen, result = set(), []
        for c in out:
            key = c.gid or c.name
            if key not in seen:
                seen.add(key)
                result.append(Country(self._short(c), c.gid))
        return result

    def _short(self, c: Country) -> str:
        entry = self.ctx.gaz.get(c.gid)
        return entry.label if entry else c.name


def _org_kind(kind: str, template: str) -> str:
    if "{government}" in template:
        return "Government"
    if kind in ("minister", "deputy_minister"):
        return "Ministry"
    return "Organization"


def extract_events(ctx: Context) -> list[Event]:
    extractor = EventExtractor(ctx)
    drafts = extractor.run()
    assembler = Assembler(extractor)
    return [assembler.event(d) for d in drafts]
