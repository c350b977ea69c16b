"""kg on NEREL: real Russian news (Wikinews), end to end from raw text to facts.

    python benchmarks/nerel.py                         # ../shared/datasets/NEREL/dev
    python benchmarks/nerel.py ../shared/datasets/NEREL/train --limit 200 --json out.json
    python benchmarks/nerel.py DIR --ids ids.txt       # only the documents listed (one stem a line)

DIR is any folder of brat ``NAME.txt`` / ``NAME.ann`` pairs laid out as NEREL's splits are.
Each text goes through kg as ``kg ingest`` reads a plain ``.txt`` file (``kg.read.parse_text``:
a first short line is the title, the rest the body; no publication date), then the NLP
pipeline, ``kg.extract.extract`` (events) and ``occupations.occupations`` (every person the
text gives a post). kg's character offsets are mapped back onto the file's text, line by
line. Nothing of the gold goes into kg: entities are kg's own.

Every measure is document-level: a gold item and a prediction can only meet in the same
document. Matching rules:

- **Persons.** A gold person is a cluster of PERSON mentions: those joined by
  ``ALTERNATIVE_NAME`` and those whose surname agrees (the last word of the mention,
  lower-cased, ё→е, cut to its first five letters, a crude stem that every case form of
  a Russian or foreign surname shares). A PROFESSION that takes part in an event stands for
  the person it is linked to by ``WORKS_AS``. A kg person matches a gold cluster when one of
  kg's mention spans overlaps one of the cluster's mentions, or when its surname stem is
  the cluster's.
- **Posts** compare head nouns: the lemma (pymorphy3 normal form) of the first word of the
  post that parses as a noun and is not more likely an adjective ("бывший президент США" →
  "президент", "первым вице-президентом" → "вице-президент"; "премьер-министр" stays
  whole), for gold PROFESSION text and kg's position alike. A prediction takes a gold pair
  with the same head before one whose head is only a part of its compound.
- ``posts``: the set of (person, post head) pairs of a document. Gold from ``WORKS_AS``
  (PERSON → PROFESSION); predictions from ``occupations``. One-to-one.
- ``posts+org``: (person, post head, place of work) — gold are the ``WORKS_AS`` pairs that
  have a ``WORKPLACE`` (from the PROFESSION or from the PERSON: an ORGANIZATION, COUNTRY,
  CITY, STATE_OR_PROVINCE…); predictions are kg's pairs with an organization or a country.
  The place of work matches when kg's organization or country and the gold entity's text
  (or one of its alternative names) share their content lemmas one way or the other (every
  content lemma of the shorter is in the longer), or one is an upper-case acronym of the
  other's words. A prediction whose person and post match a gold pair *without* a place
  of work is not counted either way.
- Gold **events** are the EVENT mentions of the kinds this project models: meetings, talks,
  negotiations, consultations, visits, trips, phone calls and conversations, summits,
  sessions and sittings, congresses, forums, conferences, signings, ceremonies, festivals,
  exhibitions, and the concerts and tours that ../shared/eval/SCHEMA.md counts as cultural
  events. The rule selects a mention when one of its words has the lemma of a word
  naming such a kind (``KINDS`` below; derived words such as "пресс-конференция" or
  "автограф-сессия" are other lemmas and are not selected) — except a signing of a law,
  decree or bill (one person signing an act is not a bilateral signing).
- **Alignment**: a kg event is aligned to a gold event mention when one of kg's trigger
  spans (``Event.mentions``) overlaps the mention. Several gold mentions may align to one kg
  event (one occasion told several times).
- ``events``: recall = gold mentions with an aligned kg event of a plausible type
  (``PLAUSIBLE``) / gold mentions; precision = kg events aligned to at least one gold
  mention with a plausible type / kg events. A kg event aligned to nothing, or only to
  EVENT mentions of other kinds, is a false positive.
- ``participation``: gold (event mention, person) pairs from ``PARTICIPANT_IN`` and
  ``AGENT``; a pair is found when the kg event aligned to the mention has a participant
  matching the person. Precision: kg (event, participant) pairs whose person is among the
  gold participants of the mentions the kg event is aligned to, over all kg pairs (a kg
  event aligned to no gold mention contributes only false positives).
- ``place``: gold mentions with ``TAKES_PLACE_IN``; found when the aligned kg event's
  location mention overlaps the gold place or its name shares the gold place's lemmas.
  Precision over aligned kg events that have a location and whose gold mentions state a
  place.
- ``time``: gold mentions with ``POINT_IN_TIME``; found when the aligned kg event's date
  mention overlaps the gold DATE, or kg's date equals the gold date written out in full
  (day, month, year). A gold date that is relative ("во вторник") or partial, where kg has
  no overlapping date mention and no date, cannot be resolved without a publication date:
  it is skipped and counted (``skipped``). Precision over aligned kg events with a date
  whose gold mentions state one.

Recall and precision are counted on their own sides (one kg event may stand for several gold
mentions), so for ``events``, ``participation``, ``place`` and ``time`` ``tp`` is the
recall-side count and ``tp_pred`` the precision-side one: P = tp_pred / (tp_pred + fp),
R = tp / (tp + fn). ``gold`` is the number of gold items behind the measure.

Published reference (NEREL paper, Loukachevitch et al. 2023): relation extraction with
*gold* entities reaches document-level F1 ≈ 0.52; kg starts from raw text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT.parent / "shared" / "datasets" / "NEREL" / "dev"
MEASURES = ("posts", "posts+org", "participation", "events", "place", "time")
REFERENCE_F1 = 0.52

# Words naming the kinds of event the project models (lemmas), and the kg types plausible for each.
KINDS = {
    "встреча": "meeting", "встретиться": "meeting", "встречаться": "meeting", "переговоры": "meeting",
    "переговорить": "meeting", "консультация": "meeting", "беседа": "meeting", "беседовать": "meeting",
    "побеседовать": "meeting", "заседание": "meeting", "сессия": "meeting", "совещание": "meeting",
    "съезд": "summit", "пленум": "meeting",
    "визит": "visit", "поездка": "visit", "посетить": "visit", "посещать": "visit", "посещение": "visit",
    "прибыть": "visit", "приехать": "visit", "турне": "visit",
    "разговор": "call", "созвониться": "call", "звонок": "call",
    "саммит": "summit", "форум": "summit", "конференция": "summit", "конгресс": "summit",
    "ассамблея": "summit", "встреча на высшем уровне": "summit",
    "подписание": "signing", "подписать": "signing", "подписывать": "signing",
    "церемония": "ceremony", "фестиваль": "culture", "кинофестиваль": "culture", "выставка": "culture",
    "концерт": "culture", "гастроли": "culture",
}
UNILATERAL_ACTS = {"закон", "законопроект", "указ", "постановление", "поправка", "распоряжение"}
PLAUSIBLE = {
    "meeting": {"Meeting", "Visit", "Summit", "Signing", "PhoneCall"},
    "visit": {"Visit", "Meeting", "Summit"},
    "call": {"PhoneCall", "Meeting"},
    "summit": {"Summit", "Meeting", "CulturalEvent", "Other"},
    "signing": {"Signing", "Meeting", "Visit", "Summit"},
    "ceremony": {"Signing", "CulturalEvent", "Other", "Meeting", "Summit"},
    "culture": {"CulturalEvent", "Other", "Summit"},
}
WORKPLACE_TYPES = {"ORGANIZATION", "COUNTRY", "CITY", "STATE_OR_PROVINCE", "DISTRICT", "FACILITY", "LOCATION",
                   "EVENT"}
MONTHS = {m: i + 1 for i, m in enumerate(("январь", "февраль", "март", "апрель", "май", "июнь", "июль",
                                           "август", "сентябрь", "октябрь", "ноябрь", "декабрь"))}
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
EXPLAIN = False
STOP = {"и", "в", "во", "на", "по", "при", "с", "со", "для", "об", "о", "из", "от", "к", "the", "of", "and"}


# -- morphology -------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    word = word.lower().replace("ё", "е")
    return _morph().parse(word)[0].normal_form.replace("ё", "е") if word else word


def lemmas(text: str) -> list[str]:
    return [lemma(w) for w in WORD.findall(text)]


def head_noun(post: str | None) -> str | None:
    """The lemma of the first word of a post that parses as a noun (an animate reading
    first: "критика" is a critic, "премьера" a premier, when they name people)."""
    for w in WORD.findall(post or ""):
        low = w.lower().replace("ё", "е")
        if low.startswith("экс-") and len(low) > 6:
            low = low[4:]
        parses = _morph().parse(low)
        if parses and parses[0].tag.POS in ("ADJF", "PRTF", "NUMR") and "-" not in low:
            continue  # "первым вице-президентом", "главным режиссёром": the adjective is not the head
        nouns = [p for p in parses if p.tag.POS == "NOUN"]
        if nouns or "-" in low:
            best = next((p for p in nouns if "anim" in p.tag), nouns[0] if nouns else None)
            return (best.normal_form if best else low).replace("ё", "е")
    return None


def heads_agree(a: str | None, b: str | None) -> bool:
    """Same head noun, or one is a part of the other's compound ("премьер" / "премьер-министр")."""
    if a is None or b is None:
        return False
    return a == b or a in b.split("-") or b in a.split("-")


def surname_stem(name: str) -> str | None:
    words = WORD.findall(name)
    if not words:
        return None
    last = words[-1].lower().replace("ё", "е")
    return last[:5] if len(last) >= 3 else None


def content(text: str) -> set[str]:
    return {x for x in lemmas(text) if x not in STOP}


def acronym_of(short: str, long: str) -> bool:
    letters = "".join(w[0] for w in WORD.findall(long) if w.lower() not in STOP).upper()
    return short.isupper() and len(short) >= 2 and short in letters


def names_agree(a: str, b: str) -> bool:
    ca, cb = content(a), content(b)
    if ca and cb and (ca <= cb or cb <= ca):
        return True
    return any(acronym_of(x, b) for x in a.split()) or any(acronym_of(x, a) for x in b.split())


# -- gold -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Ent:
    id: str
    type: str
    start: int
    end: int
    text: str


@dataclass
class Gold:
    id: str
    text: str
    ents: dict[str, Ent]
    rels: list[tuple[str, str, str]]
    cluster: dict[str, int] = field(default_factory=dict)  # PERSON entity id → person cluster

    def of(self, kind: str) -> list[tuple[str, str]]:
        return [(a, b) for r, a, b in self.rels if r == kind]

    def mentions(self, cluster: int) -> list[Ent]:
        return [self.ents[e] for e, c in self.cluster.items() if c == cluster]


def read_gold(txt: Path) -> Gold:
    text = txt.read_text(encoding="utf-8")
    ents, rels = {}, []
    for line in txt.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            kind, *offsets = parts[1].replace(";", " ").split()
            nums = [int(x) for x in offsets]
            ents[parts[0]] = Ent(parts[0], kind, min(nums), max(nums), parts[2])
        elif line.startswith("R") and len(parts) >= 2:
            kind, a, b = parts[1].split()
            rels.append((kind, a.split(":", 1)[1], b.split(":", 1)[1]))
    gold = Gold(txt.stem, text, ents, rels)
    _cluster_people(gold)
    return gold


def _cluster_people(gold: Gold) -> None:
    people = [e for e in gold.ents.values() if e.type == "PERSON"]
    parent = {e.id: e.id for e in people}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        if a in parent and b in parent:
            parent[find(a)] = find(b)

    for a, b in gold.of("ALTERNATIVE_NAME"):
        union(a, b)
    by_stem: dict[str, str] = {}
    for e in people:
        stem = surname_stem(e.text)
        if stem:
            union(e.id, by_stem.setdefault(stem, e.id))
    roots = {}
    for e in people:
        gold.cluster[e.id] = roots.setdefault(find(e.id), len(roots))


def person_of(gold: Gold, ent_id: str) -> int | None:
    """The person cluster an argument stands for (a PROFESSION through WORKS_AS)."""
    if ent_id in gold.cluster:
        return gold.cluster[ent_id]
    for person, prof in gold.of("WORKS_AS"):
        if prof == ent_id and person in gold.cluster:
            return gold.cluster[person]
    return None


def event_kind(gold: Gold, ent: Ent) -> str | None:
    words = lemmas(ent.text)
    kinds = [KINDS[w] for w in words if w in KINDS]
    if not kinds:
        return None
    if kinds[0] == "signing" and (set(words) & UNILATERAL_ACTS or _signs_act(gold, ent)):
        return None
    return kinds[0]


def _signs_act(gold: Gold, ent: Ent) -> bool:
    """A signing whose next words name a law or decree ("подписал закон о …")."""
    after = gold.text[ent.end:ent.end + 40]
    return bool(set(lemmas(after)[:3]) & UNILATERAL_ACTS)


# -- kg ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Pred:
    events: list = field(default_factory=list)   # (type, [Span] triggers, participants, place, date)
    posts: list = field(default_factory=list)    # (name, [Span], head, org, country)


def offset_map(raw: str, body: str) -> list[int]:
    """For each character of kg's body text, its offset in the file's text (lines are found in order)."""
    out: list[int] = []
    pos = 0
    for line in body.split("\n"):
        stripped = line.strip()
        at = raw.find(stripped, pos) if stripped else pos
        if at < 0:
            at = pos
        out.extend(range(at, at + len(line)))
        out.append(at + len(line))  # the newline
        pos = at + len(line)
    return out


def to_raw(m: list[int], start: int, end: int) -> Span:
    if not m:
        return Span(start, end)
    return Span(m[min(start, len(m) - 1)], m[min(max(end - 1, start), len(m) - 1)] + 1)


def run_kg(golds: list[Gold]) -> dict[str, Pred]:
    from kg import nlp
    from occupations import occupations

    from kg.extract import extract
    from kg.read import parse_text

    articles = [parse_text(g.text, g.id) for g in golds]
    preds = {}
    for g, article, doc in zip(golds, articles, nlp.pipe([a.text for a in articles], batch_size=8)):
        m = offset_map(g.text, article.text)
        pred = Pred()
        for ev in extract(article, doc).events:
            people = [(p.person.name, [to_raw(m, x.start, x.end) for x in p.mentions]) for p in ev.participants]
            place = None
            if ev.location is not None:
                lm = ev.location_mention
                place = (ev.location.name, to_raw(m, lm.start, lm.end) if lm else None)
            when = None
            if ev.date is not None or ev.date_mention is not None:
                dm = ev.date_mention
                when = (ev.date, to_raw(m, dm.start, dm.end) if dm else None)
            pred.events.append((ev.type, [to_raw(m, x.start, x.end) for x in ev.mentions], people, place, when))
        for o in occupations(article, doc):
            pred.posts.append((o.name, [to_raw(m, o.start, o.end)], head_noun(o.position), o.organization, o.country))
        preds[g.id] = pred
    return preds


# -- scoring ----------------------------------------------------------------------------

@dataclass
class Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tp_pred: int | None = None
    skipped: int = 0

    def add(self, other: Count) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        if other.tp_pred is not None:
            self.tp_pred = (self.tp_pred or 0) + other.tp_pred
        self.skipped += other.skipped

    def as_dict(self) -> dict:
        tpp = self.tp if self.tp_pred is None else self.tp_pred
        p = tpp / (tpp + self.fp) if tpp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn,
               "gold": self.tp + self.fn}
        if self.tp_pred is not None:
            out["tp_pred"] = self.tp_pred
        if self.skipped:
            out["skipped"] = self.skipped
        return out


def overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def same_person(gold: Gold, cluster: int, name: str, spans: list[Span]) -> bool:
    mentions = gold.mentions(cluster)
    if any(overlaps(s, e) for s in spans for e in mentions):
        return True
    stem = surname_stem(name)
    return stem is not None and any(surname_stem(e.text) == stem for e in mentions)


def workplaces(gold: Gold, person: str, prof: str) -> list[str]:
    places = [b for a, b in gold.of("WORKPLACE") if a in (person, prof)]
    names = []
    for p in places:
        ent = gold.ents.get(p)
        if ent is None or ent.type not in WORKPLACE_TYPES:
            continue
        names.append(ent.text)
        names += [gold.ents[b].text for a, b in gold.of("ALTERNATIVE_NAME") if a == p and b in gold.ents]
        names += [gold.ents[a].text for a, b in gold.of("ALTERNATIVE_NAME") if b == p and a in gold.ents]
    return names


def score_posts(gold: Gold, pred: Pred) -> tuple[Count, Count]:
    pairs = {}
    for person, prof in gold.of("WORKS_AS"):
        if person in gold.cluster and prof in gold.ents:
            head = head_noun(gold.ents[prof].text)
            key = (gold.cluster[person], head)
            pairs.setdefault(key, []).extend(workplaces(gold, person, prof))
    guesses = {}
    for name, spans, head, org, country in pred.posts:
        entry = guesses.setdefault((name, head), [spans, set()])
        entry[0] = entry[0] + spans
        entry[1] |= {x for x in (org, country) if x}
    posts, with_org = Count(), Count()
    free = set(pairs)
    free_org = {k for k, v in pairs.items() if v}
    for (name, head), (spans, places) in guesses.items():
        hit = next((k for k in sorted(free, key=lambda k: (k[1] != head, str(k)))
                    if heads_agree(k[1], head) and same_person(gold, k[0], name, spans)), None)
        if hit is not None:
            free.discard(hit)
            posts.tp += 1
        else:
            posts.fp += 1
        if not places:
            continue
        known = next((k for k in pairs if heads_agree(k[1], head) and same_person(gold, k[0], name, spans)), None)
        hit = next((k for k in sorted(free_org, key=str) if heads_agree(k[1], head) and same_person(gold, k[0], name, spans)
                    and any(names_agree(p, w) for p in places for w in pairs[k])), None)
        if hit is not None:
            free_org.discard(hit)
            with_org.tp += 1
        elif known is None or pairs[known]:
            with_org.fp += 1
    posts.fn = len(free)
    with_org.fn = len(free_org)
    if EXPLAIN:
        for k in sorted(free, key=str):
            print(f"  {gold.id} post missed: {gold.mentions(k[0])[0].text} / {k[1]}", file=sys.stderr)
        for (name, head), (spans, places) in guesses.items():
            if not any(heads_agree(k[1], head) and same_person(gold, k[0], name, spans) for k in pairs):
                print(f"  {gold.id} post extra: {name} / {head}", file=sys.stderr)
    return posts, with_org


def gold_events(gold: Gold) -> dict[str, str]:
    return {e.id: k for e in gold.ents.values() if e.type == "EVENT" and (k := event_kind(gold, e))}


def align(gold: Gold, pred: Pred, chosen: dict[str, str]) -> tuple[dict[str, int], dict[int, list[str]], set[int]]:
    """Gold mention → kg event index (first overlapping); kg event → its gold mentions; kg
    events that overlap some gold EVENT mention of any kind."""
    g2k, k2g, touched = {}, defaultdict(list), set()
    for k, (_, triggers, *_rest) in enumerate(pred.events):
        for e in gold.ents.values():
            if e.type == "EVENT" and any(overlaps(t, e) for t in triggers):
                touched.add(k)
                if e.id in chosen and e.id not in g2k:
                    g2k[e.id] = k
                    k2g[k].append(e.id)
    return g2k, k2g, touched


def score_events(gold: Gold, pred: Pred) -> dict[str, Count]:
    chosen = gold_events(gold)
    g2k, k2g, _ = align(gold, pred, chosen)
    events, part, place, when = Count(tp_pred=0), Count(tp_pred=0), Count(tp_pred=0), Count(tp_pred=0)
    for g, kind in chosen.items():
        k = g2k.get(g)
        if k is not None and pred.events[k][0] in PLAUSIBLE[kind]:
            events.tp += 1
        else:
            events.fn += 1
    for k, (ktype, _, _, _, _) in enumerate(pred.events):
        if any(ktype in PLAUSIBLE[chosen[g]] for g in k2g.get(k, [])):
            events.tp_pred += 1
        else:
            events.fp += 1
    participants = {g: {person_of(gold, a) for r, a, b in gold.rels if r in ("PARTICIPANT_IN", "AGENT")
                        and b == g and a in gold.ents and gold.ents[a].type in ("PERSON", "PROFESSION")} - {None}
                    for g in chosen}
    for g in chosen:
        k = g2k.get(g)
        for cluster in participants[g]:
            found = k is not None and any(same_person(gold, cluster, n, s) for n, s in pred.events[k][2])
            part.tp += found
            part.fn += not found
    for k, (_, _, people, kplace, kdate) in enumerate(pred.events):
        wanted = set().union(*(participants[g] for g in k2g.get(k, []))) if k2g.get(k) else set()
        for name, spans in people:
            if any(same_person(gold, c, name, spans) for c in wanted):
                part.tp_pred += 1
            else:
                part.fp += 1
        _score_place(gold, k2g.get(k, []), kplace, place)
        _score_time(gold, k2g.get(k, []), kdate, when)
    for g in chosen:  # gold places and dates of mentions no kg event is aligned to
        if g not in g2k:
            place.fn += any(r == "TAKES_PLACE_IN" and a == g for r, a, _ in gold.rels)
            when.fn += any(r == "POINT_IN_TIME" and a == g for r, a, _ in gold.rels)
    if EXPLAIN:
        for g, kind in chosen.items():
            k = g2k.get(g)
            got = pred.events[k][0] if k is not None else None
            if got is None or got not in PLAUSIBLE[kind]:
                print(f"  {gold.id} event missed: {gold.ents[g].text!r} ({kind}) kg={got}", file=sys.stderr)
        for g in chosen:
            k = g2k.get(g)
            for cluster in participants[g]:
                if not (k is not None and any(same_person(gold, cluster, n, s) for n, s in pred.events[k][2])):
                    who = gold.mentions(cluster)[0].text if gold.mentions(cluster) else cluster
                    print(f"  {gold.id} participant missed: {gold.ents[g].text!r} / {who}", file=sys.stderr)
        for k, (ktype, triggers, people, *_r) in enumerate(pred.events):
            wanted = set().union(*(participants[g] for g in k2g.get(k, []))) if k2g.get(k) else set()
            for name, spans in people:
                if k2g.get(k) and not any(same_person(gold, c, name, spans) for c in wanted):
                    print(f"  {gold.id} participant extra: {[gold.text[t.start:t.end] for t in triggers]} / {name}",
                          file=sys.stderr)
            if not any(ktype in PLAUSIBLE[chosen[g]] for g in k2g.get(k, [])):
                words = [gold.text[t.start:t.end] for t in triggers]
                print(f"  {gold.id} event extra: {ktype} {words} {[n for n, _ in people]}", file=sys.stderr)
    return {"events": events, "participation": part, "place": place, "time": when}


def _score_place(gold: Gold, mentions: list[str], kplace, count: Count) -> None:
    places = [(g, gold.ents[b]) for g in mentions for r, a, b in gold.rels
              if r == "TAKES_PLACE_IN" and a == g and b in gold.ents]
    if not places:
        return
    def good(ent: Ent) -> bool:
        if kplace is None:
            return False
        name, span = kplace
        return (span is not None and overlaps(span, ent)) or names_agree(name, ent.text)
    for g in {g for g, _ in places}:
        found = any(good(e) for h, e in places if h == g)
        count.tp += found
        count.fn += not found
    if kplace is not None:
        if any(good(e) for _, e in places):
            count.tp_pred += 1
        else:
            count.fp += 1


def _explicit_date(text: str) -> date | None:
    m = re.search(r"(\d{1,2})\s+([а-яё]+)\s+(\d{4})", text.lower())
    if not m or lemma(m.group(2)) not in MONTHS:
        return None
    try:
        return date(int(m.group(3)), MONTHS[lemma(m.group(2))], int(m.group(1)))
    except ValueError:
        return None


def _score_time(gold: Gold, mentions: list[str], kdate, count: Count) -> None:
    dates = [(g, gold.ents[b]) for g in mentions for r, a, b in gold.rels
             if r == "POINT_IN_TIME" and a == g and b in gold.ents]
    if not dates:
        return
    def good(ent: Ent) -> bool:
        if kdate is None:
            return False
        value, span = kdate
        return (span is not None and overlaps(span, ent)) or (value is not None and value == _explicit_date(ent.text))
    judged = False
    for g in {g for g, _ in dates}:
        ents = [e for h, e in dates if h == g]
        if any(good(e) for e in ents):
            count.tp += 1
            judged = True
        elif kdate is None and not any(_explicit_date(e.text) for e in ents):
            count.skipped += 1
        else:
            count.fn += 1
            judged = True
    if kdate is not None and judged:
        if any(good(e) for _, e in dates):
            count.tp_pred += 1
        else:
            count.fp += 1


def evaluate(golds: list[Gold], preds: dict[str, Pred]) -> dict[str, Count]:
    totals = {m: Count(tp_pred=0) if m in ("participation", "events", "place", "time") else Count()
              for m in MEASURES}
    for g in golds:
        posts, with_org = score_posts(g, preds[g.id])
        totals["posts"].add(posts)
        totals["posts+org"].add(with_org)
        for name, c in score_events(g, preds[g.id]).items():
            totals[name].add(c)
    return totals


def documents(folder: Path, limit: int | None, ids: set[str] | None) -> list[Path]:
    paths = sorted(p for p in folder.glob("*.txt") if p.with_suffix(".ann").exists())
    if ids is not None:
        paths = [p for p in paths if p.stem in ids]
    return paths[:limit] if limit else paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--ids", type=Path, help="a file of document stems, one a line: only those")
    ap.add_argument("--exclude", type=Path, help="a file of document stems, one a line: all but those")
    ap.add_argument("--explain", action="store_true", help="list missed and extra items on stderr")
    ap.add_argument("--json", nargs="?", const="-", metavar="FILE", help="write the figures as JSON (- for stdout)")
    args = ap.parse_args(argv)
    global EXPLAIN
    EXPLAIN = args.explain
    if not args.dir.is_dir():
        print(f"nerel.py: no such folder: {args.dir}", file=sys.stderr)
        return 2
    ids = set(args.ids.read_text().split()) if args.ids else None
    paths = documents(args.dir, args.limit, ids)
    if args.exclude:
        gone = set(args.exclude.read_text().split())
        paths = [p for p in paths if p.stem not in gone]
    started = time.perf_counter()
    golds = [read_gold(p) for p in paths]
    preds = run_kg(golds)
    totals = evaluate(golds, preds)
    seconds = time.perf_counter() - started
    result = {m: totals[m].as_dict() for m in MEASURES}
    if args.json:
        text = json.dumps(result, ensure_ascii=False, indent=2)
        if args.json == "-":
            print(text)
            return 0
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(f"NEREL {args.dir} — {len(golds)} documents, {seconds:.0f} s")
    print(f"{'measure':<15}{'P':>7}{'R':>7}{'F1':>7}   tp/fp/fn       gold")
    for m in MEASURES:
        r = result[m]
        extra = f"   (skipped {r['skipped']})" if r.get("skipped") else ""
        print(f"{m:<15}{r['p']:>7.3f}{r['r']:>7.3f}{r['f1']:>7.3f}   {r['tp']}/{r['fp']}/{r['fn']:<10}{r['gold']:>5}{extra}")
    print(f"reference: NEREL relation extraction with gold entities, document-level F1 ≈ {REFERENCE_F1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
