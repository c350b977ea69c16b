"""kg on factRuEval-2016: NER per type, Occupation facts and Meeting facts.

    python benchmarks/factrueval.py                          # the dev set (122 documents)
    python benchmarks/factrueval.py --set dev --limit 10 --json
    python benchmarks/factrueval.py --set test --task3 /tmp/t3   # the held-out set, once

Runs offline over ``../shared/datasets/factRuEval-2016`` (``--data DIR`` to change). Every
document is parsed once by ``kg.nlp.load()``; the same Doc feeds ``occupations.occupations``
and ``kg.extract.extract``. Develop on the dev set: the test set is held out (kg's post
lexicon grew after it was first measured), to be scored once, by the organisers' scorer.

The headline: facts under the organisers' metric
-------------------------------------------------
kg's facts are stated as the organisers' track-3 response and scored by
``factru_metric.py``, a re-implementation of their scorer (read in
github.com/dialogue-evaluation/factRuEval-2016, ``scripts/t3_eval.py``; its rules are in that
module's docstring): partial credit per fact, matched values / (matched + extra + missing),
the post weighing 0.5; values compared as whole strings within a small edit distance; each
response fact joins at most one gold fact; gold facts marked "Сложность повышенная" ignored
(the easy mode; ``--with-hard`` is their hard mode, ``-m``). ``--task3 DIR`` writes the same
response as ``DIR/book_N.task3`` for the organisers' scorer itself, run from a checkout of
their repository: ``python t3_eval.py -s .../devset -t DIR``.

kg's facts as response facts:

- Occupation: one per distinct (name, post, organization, country) of
  ``occupations(article)``, stated at its first mention: ``who`` is kg's name; ``position``
  the post as written there, bounded as the annotation bounds it (the post-lexicon phrase
  whose head is kg's post, with the adjectives before it that are not places; a minister's
  portfolio and the posts hanging on a post are kept, an organization, place, person or other
  inanimate complement is not: "заместитель начальника", "глава" of "глава МИД"); ``where``
  as the annotation fills it: the organization of the post as named in the sentence (kg's
  organization, found among the sentence's organization names by its words or gazetteer
  entry), else an organization, region or city named right after the post ("президент
  ФИФА", "губернатор Подмосковья"), else the post's country as named nearest in the text, or
  its label; else kg's organization. A post with no Where at all ("писатель Виктор
  Шендерович") is not stated: the annotation gives a Where to 443 of its 444 test facts.
- Meeting: one per event of a ``--meeting-types`` type with two or more participants, one
  ``participant`` line per person (kg's name).

Where this headline still differs from the organisers' scorer (measured: within 0.01 F1 of
it on both sets, see benchmarks/README.md):

- Gold posts: their scorer also accepts a post's entry in a table of normalised posts
  (``dialent/jobs_processed.txt``, 346 forms from the corpus, not shipped here); this one
  accepts the span's nominative singular computed by kg's inflection instead ("главой" →
  "глава", which their table lacks), so it is a little more lenient.
- Gold objects: a name in quotes is recognised from the characters around its span, not from
  the tokens; a slot "obj5 A | B" gives A and B as forms, where theirs gives "A | B".
- Reading: a fact header inside a block ("375-0 Occupation" with no blank line before it,
  8 in the dev set) starts a new fact here; their reader makes it an argument of the fact
  before. A document with a Facility mention (book_3954 of the test set) fails to load in
  theirs and its facts drop out; here they count.
- Clusters of several response facts: identification is the share of matched gold argument
  pairs that one response fact matched together, as intended; theirs indexes the arguments
  by position (a slip that scores such clusters lower). And a document with more than
  ``factru_metric.SEARCH_LIMIT`` assignments is solved by local search, theirs exhaustively.

The secondary rows: today's rules
---------------------------------
Kept from before the headline existed, to compare with earlier runs. Nothing in them is the
organisers' scoring.

NER (PER, LOC, ORG), as Natasha's naeval scores factRuEval
(naeval/ner/adapt.py ``adapt_factru`` and ``adapt_slovnet``, naeval/ner/score.py ``tag_f1``):

- Gold from ``*.objects``: Person → one span from its first to its last span; Org → each of
  its ``org_name`` spans; Location and LocOrg → each of their ``loc_name`` spans (so
  descriptors such as "министерство", "город" and geo adjectives are not gold); Project
  and Facility are dropped. Type map: Person→PER, Location→LOC, LocOrg→LOC, Org→ORG.
- Nested and overlapping gold (naeval's example: an ORG "мид Грузии" over the LOC
  "Грузии"): sorted by (start, -end), a span that overlaps the last kept one is dropped,
  so the outermost, earliest span wins, whatever its type. Nothing else is ignored in NER (the fact layer's "сложность" has no NER
  counterpart).
- Gold and predicted spans whose ends do not both fall on razdel token boundaries of the
  whole text are dropped (naeval's ``filter_misaligned_spans``); the counts are reported.
- Scoring is token level, not span level: each razdel token is inside a span of type T
  or not, for gold and for prediction; P = tokens right / tokens predicted T, R = tokens
  right / gold tokens T, summed over all documents (micro). A PER token predicted as ORG
  counts against both types.

Where this differs from naeval: naeval loads factRuEval through corus' ``load_factru``,
whose default reads devset *and* testset (254 documents); ``--set all`` does the same,
the default here is the dev set alone. naeval sent whole texts to slovnet, while kg runs
slovnet line by line and snaps spans to its tokens (``kg.nlp.components.NatashaNER``). So
naeval's slovnet numbers (0.959 / 0.915 / 0.825) are context, not an exact baseline.

Occupation facts (gold ``Occupation``: Who, Job — called Position in devset — and Where):

- Gold "Who" is a coreference object, not a mention: its spans are the extents of all of
  its mentions. A gold fact is *ignored* when marked "Сложность повышенная", as in the
  organisers' default (easy) mode: it does not count in recall, and a prediction that
  matches only ignored facts counts neither way (``--with-hard`` keeps them as gold).
- A prediction is one distinct (name, position, organization, country) among
  ``occupations(article)`` in a document, with the offsets of all its name mentions.
- Who: a predicted name span overlaps a mention of the gold person, anywhere in the
  document (the gold fact names an object, not the mention that carries the post).
- Position (when the gold fact has one): the head nouns agree, i.e. the lemma (kg's
  ``word_key``) of the first word pymorphy3 parses as a noun, in any of the gold
  alternatives. Word overlap would be too lenient: "помощник главы" vs "глава государства".
- Where: one name covers the other, comparing kg's organization and country with the gold
  object's names, mention texts and the fact's own text: every content word of one is a
  word of the other by lemma, or an upper-case acronym of a run of its words ("США" in
  "Госдепартамент США", "МИД РФ" in "Министерство иностранных дел Российской Федерации",
  but not "Министерство юстиции" in "Министерство иностранных дел").
- Reported: *facts* (Who + Position, the headline), *who* (Who only: the upper bound)
  and *strict* (Who + Position + Where, when the gold fact has them).

Meeting facts (gold ``Meeting``: Participant slots only; the released data has no place or
time slot, so those cannot be scored; matched events' place and date are only counted):

- A prediction is an ``extract(article).events`` event of a meeting-like type
  (``--meeting-types``, default Meeting, Visit, Summit, Signing) with at least two
  participants, the shape of a factRuEval Meeting.
- A gold participant is found when some mention offset of a predicted participant
  overlaps a mention of the gold person (kg's participants carry every mention of the
  person in the article). *facts*: at least two gold participants found (all of them
  for a one-participant fact); *lenient*: at least one. Ignored ("повышенная") facts as
  for Occupation.

Precision and recall for these rows: many predictions may join one gold fact, P =
predictions matching a counted gold fact / counted predictions (all but those matching only
ignored facts), R = gold facts matched / counted gold facts.

The 2016 references (the organisers' scorer, final evaluation, test set,
reports/run_2/*.test.t3): Occupation best F1 0.662 (violet_3: P 0.801, R 0.565), then 0.657,
0.463, 0.455; Meeting best F1 0.242 (green_0: P 0.667, R 0.148); over the 336 and 45 test facts
that are not "повышенная" (444 and 51 in the files).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from factru_metric import (GoldArgument, GoldFact, Metric, ResponseFact, fold,  # noqa: E402
                           format_response, normalize, parse_response)

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "factRuEval-2016"
SETS = {"dev": ("devset",), "test": ("testset",), "all": ("devset", "testset")}
NER_TYPES = ("PER", "LOC", "ORG")
FACTRU_TYPES = {"Person": "PER", "Location": "LOC", "LocOrg": "LOC", "Org": "ORG"}
NAME_SPAN = {"Org": "org_name", "Location": "loc_name", "LocOrg": "loc_name"}
MEETING_TYPES = ("Meeting", "Visit", "Summit", "Signing")
HARD = "повышенная"
STOP_WORDS = {"и", "в", "во", "на", "по", "при", "с", "со", "для", "об", "о", "of", "the", "and"}
FACT_HEAD = re.compile(r"^\d+-\d+\s+\w+$")
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
REFERENCE = {
    "ner": {"source": "naeval README, slovnet on factru (devset + testset), F1",
            "PER": 0.959, "LOC": 0.915, "ORG": 0.825},
    "occupation": {"source": "factRuEval-2016 reports/run_2/violet_3.test.t3 (official metric)",
                   "precision": 0.8013, "recall": 0.5646, "f1": 0.6624},
    "meeting": {"source": "factRuEval-2016 reports/run_2/green_0.test.t3 (official metric)",
                "precision": 0.6667, "recall": 0.1481, "f1": 0.2424},
}


# -- gold ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    id: str
    type: str
    start: int
    stop: int
    tokens: tuple[tuple[int, str], ...] = ()  # (token id, token text), from the line's comment

    @property
    def text(self) -> str:
        return " ".join(t for _, t in self.tokens)


@dataclass(frozen=True)
class Mention:
    """A line of ``*.objects``: one mention of an object, made of spans."""

    id: str
    type: str
    spans: tuple[Span, ...]

    @property
    def start(self) -> int:
        return min(s.start for s in self.spans)

    @property
    def stop(self) -> int:
        return max(s.stop for s in self.spans)

    @property
    def token_text(self) -> str:
        """The tokens of its spans in text order, joined by spaces."""
        return " ".join(t for _, t in sorted({tok for s in self.spans for tok in s.tokens}))


@dataclass(frozen=True)
class Entity:
    """A record of ``*.coref``: the mentions of one object and its names."""

    id: str
    mentions: tuple[Mention, ...]
    names: tuple[str, ...]
    attrs: tuple[tuple[str, str], ...] = ()  # every "key value" line: firstname, name, descriptor…

    def attr(self, key: str) -> list[str]:
        return [v for k, v in self.attrs if k == key]


@dataclass(frozen=True)
class Slot:
    name: str
    ref: str | None  # "obj123" or "span456"
    text: str


@dataclass(frozen=True)
class Fact:
    id: str
    type: str
    arguments: tuple[tuple[Slot, ...], ...]  # one per line, with its alternatives

    @property
    def slots(self) -> tuple[Slot, ...]:
        return tuple(s for line in self.arguments for s in line)

    def values(self, name: str) -> list[Slot]:
        return [s for s in self.slots if s.name == name]

    @property
    def hard(self) -> bool:
        return any(s.text == HARD for s in self.values("Сложность"))


@dataclass
class GoldDoc:
    id: str
    text: str
    spans: dict[str, Span]
    mentions: dict[str, Mention]
    entities: dict[str, Entity]
    facts: list[Fact]


def doc_paths(data: Path, subsets: tuple[str, ...], limit: int | None) -> list[Path]:
    """``book_N`` stems of every document (``list.txt`` is not one), by number."""
    paths = [p.with_suffix("") for sub in subsets for p in (data / sub).glob("book_*.txt")]
    paths.sort(key=lambda p: (p.parent.name, int(p.name.split("_")[1])))
    return paths[:limit] if limit is not None else paths


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def read_spans(path: Path) -> dict[str, Span]:
    spans = {}
    for line in read_lines(path):
        if line.strip():
            head, _, comment = line.partition("#")
            id_, type_, start, size, _, count = head.split()[:6]
            words = comment.split()
            n = int(count)
            tokens = tuple((int(i), t) for i, t in zip(words[:n], words[n:2 * n]))
            spans[id_] = Span(id_, type_, int(start), int(start) + int(size), tokens)
    return spans


def read_mentions(path: Path, spans: dict[str, Span]) -> dict[str, Mention]:
    mentions = {}
    for line in read_lines(path):
        parts = line.split("#", 1)[0].split()
        if len(parts) > 2:
            mentions[parts[0]] = Mention(parts[0], parts[1], tuple(spans[i] for i in parts[2:]))
    return mentions


def blocks(lines: list[str]) -> list[list[str]]:
    """Blank-line separated records."""
    out: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            out[-1].append(line.strip())
        elif out[-1]:
            out.append([])
    return [b for b in out if b]


def read_entities(path: Path, mentions: dict[str, Mention]) -> dict[str, Entity]:
    entities = {}
    for head, *rest in blocks(read_lines(path)):
        id_, *ids = head.split()
        attrs = tuple(tuple(line.split(None, 1)) for line in rest if " " in line)
        names = tuple(v for k, v in attrs if k == "name")
        entities[id_] = Entity(id_, tuple(mentions[i] for i in ids if i in mentions), names, attrs)
    return entities


def parse_slot(line: str) -> list[Slot]:
    """Split "Job span1 текст | span2 текст" into one Slot per alternative; an object slot's
    alternatives name one object ("Where obj2998 РАН | Российская академия наук")."""
    name, _, rest = line.partition(" ")
    slots, ref = [], None
    for value in rest.split("|"):
        match = re.match(r"\s*((?:obj|span)\d+)?\s*(.*)", value)
        ref = match.group(1) or (ref if ref and ref.startswith("obj") else None)
        slots.append(Slot(name, ref, match.group(2).strip()))
    return slots


def fact_blocks(lines: list[str]) -> list[list[str]]:
    """Blank-line separated facts; a header line ("375-0 Occupation") also starts one, as a
    few files run two facts together."""
    out: list[list[str]] = []
    for block in blocks(lines):
        for k, line in enumerate(block):
            if k == 0 or FACT_HEAD.match(line):
                out.append([])
            out[-1].append(line)
    return out


def read_facts(path: Path) -> list[Fact]:
    facts = []
    for head, *rest in fact_blocks(read_lines(path)):
        id_, type_ = head.split()[:2]
        facts.append(Fact(id_, type_, tuple(tuple(parse_slot(line)) for line in rest)))
    return facts


def load_gold(stem: Path) -> GoldDoc:
    spans = read_spans(stem.with_suffix(".spans"))
    mentions = read_mentions(stem.with_suffix(".objects"), spans)
    return GoldDoc(stem.name, stem.with_suffix(".txt").read_text(encoding="utf-8"), spans, mentions,
                   read_entities(stem.with_suffix(".coref"), mentions), read_facts(stem.with_suffix(".facts")))


# -- scores ----------------------------------------------------------------------------

@dataclass
class Score:
    """P = right predictions / counted predictions, R = found gold / counted gold."""

    pred_right: int = 0
    pred: int = 0
    gold_found: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.pred_right / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "pred_right": self.pred_right, "pred": self.pred, "gold_found": self.gold_found, "gold": self.gold}


# -- NER, as naeval --------------------------------------------------------------------

Typed = tuple[int, int, str]


def drop_overlapping(spans: list) -> list:
    """naeval's ``filter_overlapping_spans``: keep the earliest, longest span of a cluster."""
    kept: list = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or kept[-1][1] <= span[0]:
            kept.append(span)
    return kept


def gold_ner_spans(gold: GoldDoc) -> list[Typed]:
    spans: list[Typed] = []
    for m in gold.mentions.values():
        if m.type == "Person":
            spans.append((m.start, m.stop, "PER"))
        elif m.type in NAME_SPAN:
            names = [(s.start, s.stop) for s in m.spans if s.type == NAME_SPAN[m.type]]
            spans += [(a, b, FACTRU_TYPES[m.type]) for a, b in drop_overlapping(names)]
    return drop_overlapping(spans)


def aligned(spans: list[Typed], tokens: list[tuple[int, int]]) -> list[Typed]:
    starts, stops = {a for a, _ in tokens}, {b for _, b in tokens}
    return [s for s in spans if s[0] in starts and s[1] in stops]


def token_types(tokens: list[tuple[int, int]], spans: list[Typed]) -> list[str | None]:
    """The type of the span each token lies in (spans are aligned and disjoint)."""
    out: list[str | None] = [None] * len(tokens)
    for start, stop, type_ in spans:
        for i, (a, b) in enumerate(tokens):
            if start <= a and b <= stop:
                out[i] = type_
    return out


@dataclass
class NerTally:
    scores: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in NER_TYPES})
    dropped: Counter = field(default_factory=Counter)

    def add(self, text: str, pred: list[Typed], gold: list[Typed]) -> None:
        from razdel import tokenize

        tokens = [(t.start, t.stop) for t in tokenize(text)]
        pred_ok, gold_ok = aligned(pred, tokens), aligned(gold, tokens)
        self.dropped.update(pred=len(pred) - len(pred_ok), gold=len(gold) - len(gold_ok),
                            pred_total=len(pred), gold_total=len(gold))
        for p, g in zip(token_types(tokens, pred_ok), token_types(tokens, gold_ok)):
            for type_ in NER_TYPES:
                self._count(self.scores[type_], p == type_, g == type_)

    @staticmethod
    def _count(score: Score, predicted: bool, gold: bool) -> None:
        score.pred += predicted
        score.gold += gold
        score.pred_right += predicted and gold
        score.gold_found += predicted and gold


# -- fact matching ---------------------------------------------------------------------

Offsets = tuple[tuple[int, int], ...]


def overlaps(a: Offsets, b: Offsets) -> bool:
    return any(s < e2 and s2 < e for s, e in a for s2, e2 in b)


def entity_of(gold: GoldDoc, ref: str | None) -> Entity | None:
    return gold.entities.get(ref[3:]) if ref and ref.startswith("obj") else None


def entity_offsets(gold: GoldDoc, ref: str | None) -> Offsets:
    entity = entity_of(gold, ref)
    return tuple((m.start, m.stop) for m in entity.mentions) if entity else ()


def content_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w.lower() not in STOP_WORDS]


def head_key(text: str) -> str | None:
    """The lemma of the first noun of a post phrase ("чрезвычайный и полномочный посол")."""
    from kg.keys import word_key
    from kg.nlp.morph import parses

    words = content_words(text)
    nouns = [w for w in words if parses(w.lower()) and "NOUN" in parses(w.lower())[0].tag]
    return word_key((nouns or words or [""])[0]) or None


def covered(a: str, b: str) -> bool:
    """Every content word of ``a`` is a word of ``b`` (same lemma) or an acronym of a run of
    ``b``'s words: "МИД РФ" by "Министерство иностранных дел Российской Федерации"."""
    from kg.keys import word_key

    ours, theirs = content_words(a), content_words(b)
    lemmas = {word_key(w) for w in theirs}
    initials = "".join(w[0] for w in theirs).upper()
    return bool(ours and theirs) and all(word_key(w) in lemmas or (w.isupper() and len(w) > 1 and w in initials)
                                         for w in ours)


def names_agree(a: str, b: str) -> bool:
    return covered(a, b) or covered(b, a)


def score_facts(preds: list, golds: list, match, score: Score) -> list:
    """Count one document (``golds`` carry ``.hard``); return the right predictions."""
    counted = [g for g in golds if not g.hard]
    score.gold += len(counted)
    score.gold_found += sum(any(match(p, g) for p in preds) for g in counted)
    right = [p for p in preds if any(match(p, g) for g in counted)]
    ignored = [p for p in preds if p not in right and any(match(p, g) for g in golds if g.hard)]
    score.pred += len(preds) - len(ignored)
    score.pred_right += len(right)
    return right


# -- Occupation ------------------------------------------------------------------------

@dataclass(frozen=True)
class GoldOccupation:
    who: Offsets
    positions: tuple[str, ...]
    wheres: tuple[str, ...]
    hard: bool


@dataclass(frozen=True)
class PredOccupation:
    who: Offsets
    name: str
    position: str | None
    organization: str | None
    country: str | None
    post_text: str | None = None  # the post and the Where as the text words them, for the organisers' metric
    where_text: str | None = None


def gold_occupations(gold: GoldDoc, with_hard: bool) -> list[GoldOccupation]:
    return [GoldOccupation(entity_offsets(gold, f.values("Who")[0].ref),
                           tuple(s.text for s in f.values("Job") + f.values("Position")),
                           where_names(gold, f.values("Where")), f.hard and not with_hard)
            for f in gold.facts if f.type == "Occupation" and f.values("Who")]


def where_names(gold: GoldDoc, slots: list[Slot]) -> tuple[str, ...]:
    """The fact's own text, the object's ``name`` values and the texts of its mentions."""
    names = [s.text for s in slots]
    for entity in filter(None, (entity_of(gold, s.ref) for s in slots)):
        names += list(entity.names) + [gold.text[m.start:m.stop] for m in entity.mentions]
    return tuple(n for n in dict.fromkeys(names) if n)


def predicted_occupations(occupations: list, ctx=None) -> list[PredOccupation]:
    """One prediction per distinct (name, post, organization, country), all its mentions; the
    post and Where as written at its first mention when the extraction ``ctx`` is given."""
    groups: dict[tuple, list] = {}
    for o in occupations:
        groups.setdefault((o.name, o.position, o.organization, o.country), []).append(o)
    out = []
    for (name, pos, org, country), occs in groups.items():
        post, where = as_written(ctx, occs[0]) if ctx is not None else (None, None)
        out.append(PredOccupation(tuple((o.start, o.end) for o in occs), name, pos, org, country, post, where))
    return out


# -- kg's occupations as the annotation words them --------------------------------------

def gap(a, b) -> int:
    """Tokens between two spans (0 when they touch or overlap)."""
    return max(a.start - b.end, b.start - a.end, 0)


def feats(token) -> dict[str, str]:
    return token.morph.to_dict()


def in_sentence(span, sent) -> bool:
    return sent.start <= span.start and span.end <= sent.end


def as_written(ctx, occ) -> tuple[str | None, str | None]:
    """The post and the Where of an occupation as the text words them near its mention."""
    anchor = ctx.doc.char_span(occ.start, occ.end, alignment_mode="expand")
    if anchor is None:
        return None, None
    sent = ctx.doc[anchor.start].sent
    post = post_phrase(ctx, anchor, sent, occ.position)
    return (post.text if post is not None else None), where_as_written(ctx, anchor, sent, post, occ)


def post_phrase(ctx, anchor, sent, position: str | None):
    """The post as the annotation bounds it: the post-lexicon phrase of the sentence nearest
    the mention whose head noun is that of kg's post, with the adjectives before it that are
    not places ("первый вратарь", "бывший глава"), and the words after it that are part of
    the post rather than its organization (``complement_end``)."""
    head = head_key(position or "")
    doc = ctx.doc
    found = [m for m in ctx.posts if head is not None and in_sentence(doc[m.start:m.end], sent)
             and head_key(doc[m.start:m.end].text) == head]
    if not found:
        return None
    match = min(found, key=lambda m: gap(doc[m.start:m.end], anchor))
    lead = match.start
    while lead > sent.start and modifies(ctx, doc[lead - 1], match):
        lead -= 1
    return doc[lead:complement_end(ctx, match, sent, blocked_tokens(ctx, anchor))]


def modifies(ctx, token, match) -> bool:
    return (token.pos_ == "ADJ" and match.start <= token.head.i < match.end and token.ent_type_ not in ("LOC", "ORG")
            and token.i not in ctx.country_at and token.i not in ctx.place_at)


def blocked_tokens(ctx, anchor) -> set[int]:
    """Tokens that belong to a Where or a person, never to a post."""
    names = {t.i for e in ctx.doc.ents if e.label_ == "PER" for t in e} | set(range(anchor.start, anchor.end))
    return names | ctx.org_token_ids | set(ctx.country_at) | set(ctx.place_at)


def complement_end(ctx, match, sent, blocked: set[int]) -> int:
    """Where a post ends, the annotation's way: a minister's whole phrase with its portfolio
    ("министр по государственным сборам"); for other posts the first noun and the posts that
    hang on it ("заместитель начальника", "помощник госсекретаря"), never an organization,
    place, person or other inanimate noun ("глава государства" is "глава" of a Where)."""
    if ctx.post(match).kind in ("minister", "deputy_minister"):
        return extend_portfolio(ctx, match, sent, blocked)
    doc = ctx.doc
    head = next((t.i for t in doc[match.start:match.end] if t.pos_ in ("NOUN", "PROPN")), match.end - 1)
    end = head + 1
    while end < sent.end:
        noun = next((t for t in doc[end:sent.end] if t.pos_ in ("NOUN", "PROPN")), None)
        if (noun is None or noun.left_edge.i != end or not match.start <= noun.head.i < end or noun.i in blocked
                or feats(noun).get("Animacy") != "Anim" or any(doc[i].is_punct for i in range(end, noun.i))):
            break
        end = noun.i + 1
    return end


def extend_portfolio(ctx, match, sent, blocked: set[int]) -> int:
    doc = ctx.doc
    end = match.end
    while end < sent.end:
        noun = next((t for t in doc[end:sent.end] if t.pos_ in ("NOUN", "PROPN")), None)
        if noun is None or noun.left_edge.i != end or not match.start <= noun.head.i < end or noun.i in blocked:
            break
        stop = next((i for i in range(end, noun.right_edge.i + 1) if i in blocked or doc[i].is_punct),
                    noun.right_edge.i + 1)
        if stop <= noun.i:
            break
        end = stop
    return end


def where_as_written(ctx, anchor, sent, post, occ) -> str | None:
    """The Where as the annotation gives it: the organization of the post as named in the
    sentence; else a region or city the post is of ("губернатор Подмосковья"); else its
    country, as named nearest in the text or by its label; else kg's organization."""
    doc = ctx.doc
    if occ.organization:
        named = [s for s in ctx.org_spans if in_sentence(s, sent) and not any(t.ent_type_ == "PER" for t in s)
                 and names_org(ctx, s, occ.organization)]
        if named:
            return org_extent(ctx, min(named, key=lambda s: gap(s, anchor))).text
    complement = post_complement_org(ctx, post) if post is not None else None
    if complement is not None:
        return complement.text
    place = post_place(ctx, post) if post is not None else None
    if place is not None:
        return place.text
    if occ.country:
        named = [doc[m.start:m.end] for m in ctx.gazetteer_matches
                 if m.label == "Country" and m.entry.label == occ.country]
        return min(named, key=lambda s: gap(s, anchor)).text if named else occ.country
    return occ.organization


def post_complement_org(ctx, post):
    """An organization named right after the post, whatever kg made of it ("президент ФИФА",
    "лидер московского «Центра»"), with the words that lead to it ("лидер фракции КПРФ",
    "сопредседатель московского отделения движения «Солидарность»")."""
    doc = ctx.doc
    for span in sorted(ctx.org_spans, key=lambda s: s.start):
        if span.start < post.end or any(t.ent_type_ == "PER" for t in span):
            continue
        lead = doc[post.end:span.start]
        if len(lead) <= COMPLEMENT_LEAD and all(t.is_alpha and t.ent_type_ != "PER" for t in lead):
            return doc[post.end:org_extent(ctx, span).end]
        return None
    return None


def post_place(ctx, post):
    """A region or city right after the post ("мэра Москвы", "губернатор Свердловской области")."""
    match = ctx.place_at.get(post.end)
    if match is None or match.label not in ("Region", "City") or ctx.doc[post.end].ent_type_ == "PER":
        return None
    return ctx.doc[match.start:match.end]


def org_extent(ctx, span):
    """An organization span with the adjectives before it and a country named right after it,
    as the annotation's mentions run ("японского МИДа", "Исламского комитета России")."""
    doc = ctx.doc
    start, end = span.start, span.end
    while start > 0 and doc[start - 1].pos_ == "ADJ" and span.start <= doc[start - 1].head.i < span.end:
        start -= 1
    country = ctx.country_at.get(end)
    if country is not None and country.label == "Country":
        end = country.end
    return doc[start:end]


def names_org(ctx, span, organization: str) -> bool:
    """Whether an organization span names kg's organization: by its words, or by a gazetteer
    entry of that label inside it ("МИД России")."""
    entries = {ctx.gazetteer_org_at[i].entry.label for i in range(span.start, span.end) if i in ctx.gazetteer_org_at}
    return organization in entries or names_agree(span.text, organization)


def who_matches(p: PredOccupation, g: GoldOccupation) -> bool:
    return overlaps(p.who, g.who)


def position_matches(p: PredOccupation, g: GoldOccupation) -> bool:
    if not g.positions:
        return True
    head = head_key(p.position or "")
    return head is not None and any(head == head_key(text) for text in g.positions)


def where_matches(p: PredOccupation, g: GoldOccupation) -> bool:
    if not g.wheres:
        return True
    ours = [x for x in (p.organization, p.country) if x]
    return any(names_agree(a, b) for a in ours for b in g.wheres)


OCCUPATION_RULES = {
    "facts": lambda p, g: who_matches(p, g) and position_matches(p, g),
    "who": who_matches,
    "strict": lambda p, g: who_matches(p, g) and position_matches(p, g) and where_matches(p, g),
}


# -- Meeting ---------------------------------------------------------------------------

@dataclass(frozen=True)
class GoldMeeting:
    participants: tuple[Offsets, ...]
    hard: bool


@dataclass(frozen=True)
class PredMeeting:
    kind: str
    participants: tuple[Offsets, ...]
    has_place: bool
    has_date: bool
    names: tuple[str, ...] = ()


def gold_meetings(gold: GoldDoc, with_hard: bool) -> list[GoldMeeting]:
    return [GoldMeeting(participants(gold, f), f.hard and not with_hard) for f in gold.facts if f.type == "Meeting"]


def participants(gold: GoldDoc, fact: Fact) -> tuple[Offsets, ...]:
    """One per object: a slot's alternatives ("obj90 A | B") name the same person."""
    refs = dict.fromkeys(s.ref for s in fact.values("Participant"))
    return tuple(entity_offsets(gold, ref) for ref in refs)


def predicted_meetings(events, types: tuple[str, ...]) -> list[PredMeeting]:
    out = []
    for e in events:
        people = tuple(tuple((m.start, m.end) for m in p.mentions) for p in e.participants)
        if e.type in types and len(people) >= 2:
            out.append(PredMeeting(e.type, people, e.location is not None, e.date is not None,
                                   tuple(p.person.name for p in e.participants)))
    return out


def found_participants(p: PredMeeting, g: GoldMeeting) -> int:
    return sum(any(overlaps(ours, theirs) for ours in p.participants) for theirs in g.participants)


MEETING_RULES = {
    "facts": lambda p, g: found_participants(p, g) >= min(2, len(g.participants)),
    "lenient": lambda p, g: found_participants(p, g) >= 1,
}


# -- the organisers' metric ------------------------------------------------------------

COMPLEMENT_LEAD = 3  # words between a post and its organization: "лидер [фракции] КПРФ"
SPECIAL_ARGUMENTS = {"сложность", "модальность", "фаза"}
EASY_MODALITIES = {"возможность", "будущее", "отрицание"}
OBJECT_KINDS = {"Person": "per", "Org": "org", "Organization": "org", "Location": "loc", "LocOrg": "loc"}
NAME_ORDERS = ("lfp", "fpl", "fp", "fl", "lf", "n", "f", "p", "l", "fn")
QUOTE_MARKS = "\"'«»“”„"
NAME_PARTS = {"f": "firstname", "l": "lastname", "p": "patronymic", "n": "nickname"}


def object_kind(entity: Entity) -> str:
    kinds = {OBJECT_KINDS.get(m.type, m.type.lower()) for m in entity.mentions}
    return "loc" if "loc" in kinds else min(kinds, default="")


def attributes(entity: Entity) -> dict[str, set[str]]:
    """The object's attributes by name; a descriptor is added before and after each value
    that does not already hold it ("мэрия Москвы" and "министерство" + "обороны")."""
    attrs: dict[str, set[str]] = {}
    descriptors = set()
    for key, value in entity.attrs:
        key = key.lower().rstrip("0123456789")
        if key.endswith("descr") or key.endswith("descriptor"):
            descriptors.add(normalize(value))
        elif key != "wikidata":
            attrs.setdefault(key, set()).add(normalize(value))
    for values in attrs.values():
        values |= {f"{a} {b}" for x in list(values) for d in descriptors if f" {d} " not in f" {x} "
                   for a, b in ((x, d), (d, x))}
    return attrs


def person_names(attrs: dict[str, set[str]]) -> set[str]:
    """"лавров", "сергей лавров", "лавров сергей викторович"… from the name parts."""
    out = set()
    for order in NAME_ORDERS:
        parts = [sorted(attrs.get(NAME_PARTS[c], ())) for c in order]
        out |= {" ".join(words) for words in itertools.product(*parts)}
    return out


def quoted_names(gold: GoldDoc, entity: Entity) -> set[str]:
    """A name in quotes where a name span of the object stands in quotes: '"яндекс"'."""
    out = set()
    names = {normalize(v) for v in entity.attr("name")}
    for span in {s for m in entity.mentions for s in m.spans}:
        quoted = 0 < span.start and gold.text[span.start - 1] in QUOTE_MARKS and gold.text[span.stop:span.stop + 1] \
            in tuple(QUOTE_MARKS)
        if "name" in span.type and quoted and fold(span.text) in names:
            out.add(f'"{fold(span.text)}"')
    return out


def object_forms(gold: GoldDoc, entity: Entity, related: list[Entity]) -> set[str]:
    """Every form the scorer accepts for an object: its mentions (tokens and raw text), its
    name parts or names, and the names of the objects it is a part or whole of."""
    forms = {m.token_text for m in entity.mentions} | {gold.text[m.start:m.stop] for m in entity.mentions}
    kind, attrs = object_kind(entity), attributes(entity)
    if kind == "per":
        forms |= person_names(attrs)
    elif kind in ("org", "loc"):
        forms |= attrs.get("name", set()) | quoted_names(gold, entity)
    for other in related:
        forms |= attributes(other).get("name", set())
    return forms


def part_of(gold: GoldDoc) -> dict[str, list[Entity]]:
    """Object id → the objects an isPartOf fact relates it to."""
    out: dict[str, list[Entity]] = {}
    for fact in gold.facts:
        if fact.type.lower() == "ispartof":
            entities = [e for e in (entity_of(gold, s.ref) for s in fact.slots) if e is not None]
            for e in entities:
                out.setdefault(e.id, []).extend(o for o in entities if o is not e)
    return out


def singular_nominative(doc, start: int, stop: int) -> str | None:
    """A post in the nominative singular, its head and the words agreeing with it changed
    ("заместителями министра обороны" → "заместитель министра обороны")."""
    from kg.extract.text import agreeing, inflect_token, phrase_root

    span = doc.char_span(start, stop, alignment_mode="expand")
    tokens = [t for t in span if not t.is_space] if span is not None else []
    root = phrase_root(tokens)
    if root is None:
        return None
    change = agreeing(root, tokens)
    return " ".join(inflect_token(t, "nomn", keep_number=False) if t.i in change else t.text for t in tokens)


def argument_forms(gold: GoldDoc, line: tuple[Slot, ...], related: dict[str, list[Entity]], doc=None) -> set[str]:
    """Every form of one gold argument: an object's forms, a span's text (and, for a post
    when the parsed ``doc`` is given, its nominative singular), or the written value."""
    forms = set()
    for slot in line:
        entity = entity_of(gold, slot.ref)
        span = gold.spans.get(slot.ref[4:]) if slot.ref and slot.ref.startswith("span") else None
        if entity is not None:
            links = related.get(entity.id, []) if slot.name.lower() == "where" else []
            forms |= object_forms(gold, entity, links) | {slot.text}
        elif span is not None:
            forms.add(normalize(span.text))
            if doc is not None and argument_name(slot.name) == "position":
                forms.add(normalize(singular_nominative(doc, span.start, span.stop) or ""))
        else:
            forms.add(slot.text)
    return {fold(f) for f in forms if f.strip()}


def modality_easy(fact: Fact) -> bool:
    return any(s.text.lower() in EASY_MODALITIES for s in fact.values("Модальность"))


def official_golds(gold: GoldDoc, hard_mode: bool, doc=None) -> list[GoldFact]:
    """The gold facts as the organisers' scorer reads them: easy mode ignores the facts
    marked "повышенная" and drops the phase; hard mode drops facts of possible, future or
    negated modality and keeps the phase as an argument."""
    related, out = part_of(gold), []
    for fact in gold.facts:
        if hard_mode and modality_easy(fact):
            continue
        special = SPECIAL_ARGUMENTS - ({"фаза"} if hard_mode else set())
        args = tuple(GoldArgument(argument_name(line[0].name), frozenset(argument_forms(gold, line, related, doc)))
                     for line in fact.arguments if line and line[0].name.lower() not in special)
        out.append(GoldFact(fact.id, fact.type.lower(), args, ignored=fact.hard and not hard_mode))
    return out


def argument_name(name: str) -> str:
    name = name.lower()
    return "position" if name == "job" else name


def where_of(organization: str | None, country: str | None) -> str | None:
    """The Where of an occupation: the organization of the post, else its country."""
    return organization or country


def occupation_responses(preds: list[PredOccupation]) -> list[ResponseFact]:
    """One occupation fact per distinct (who, post, Where) as written; a post of nothing (no
    organization, no country: "писатель Виктор Шендерович") is not an Occupation in this
    annotation, which gives a Where to 443 of its 444 test facts."""
    facts = {}
    for p in preds:
        where = p.where_text or where_of(p.organization, p.country)
        if not where:
            continue
        slots = (("who", p.name), ("position", p.post_text or p.position or ""), ("where", where))
        facts.setdefault(slots, ResponseFact("occupation", slots))
    return list(facts.values())


def meeting_responses(preds: list[PredMeeting]) -> list[ResponseFact]:
    return [ResponseFact("meeting", tuple(("participant", n) for n in dict.fromkeys(p.names))) for p in preds]


def write_task3(folder: Path, doc_id: str, facts: list[ResponseFact]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{doc_id}.task3").write_text(format_response(facts), encoding="utf-8")


# -- the run ---------------------------------------------------------------------------

@dataclass
class Run:
    ner: NerTally = field(default_factory=NerTally)
    occupation: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in OCCUPATION_RULES})
    meeting: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in MEETING_RULES})
    official: Metric = field(default_factory=lambda: Metric(("occupation", "meeting")))
    counts: Counter = field(default_factory=Counter)
    meeting_kinds: Counter = field(default_factory=Counter)
    matched_kinds: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


def process(stem: Path, nlp, run: Run, args: argparse.Namespace) -> None:
    """Parse one document, run both extractors on the Doc, and score it."""
    from occupations import occupations

    from kg.extract import extract
    from kg.extract.context import Context
    from kg.model import Article

    gold = load_gold(stem)
    article = Article(id=gold.id, text=gold.text, published=None)
    started = time.perf_counter()
    doc = nlp(gold.text)
    parsed = time.perf_counter()
    try:
        occs, events = occupations(article, doc), extract(article, doc).events
    except Exception as e:  # a benchmark reports a failing document and goes on
        run.errors.append(f"{gold.id}: {type(e).__name__}: {e}")
        occs, events = [], ()
    run.seconds.update(parse=parsed - started, extract=time.perf_counter() - parsed)
    run.ner.add(gold.text, [(e.start_char, e.end_char, e.label_) for e in doc.ents], gold_ner_spans(gold))
    ctx = Context(article, doc)
    responses = score_occupations(gold, occs, run, args.with_hard, ctx) + score_meetings(gold, events, run, args)
    run.official.add(official_golds(gold, args.with_hard, doc), parse_response(format_response(responses)))
    if args.task3 is not None:
        write_task3(args.task3, gold.id, responses)


def score_occupations(gold: GoldDoc, occs: list, run: Run, with_hard: bool, ctx=None) -> list[ResponseFact]:
    """Today's rules; returns the document's occupations as response facts."""
    golds, preds = gold_occupations(gold, with_hard), predicted_occupations(occs, ctx)
    run.counts.update(occupation_gold=len(golds), occupation_ignored=sum(g.hard for g in golds),
                      occupation_mentions=len(occs), occupation_pred=len(preds))
    for name, rule in OCCUPATION_RULES.items():
        score_facts(preds, golds, rule, run.occupation[name])
    return occupation_responses(preds)


def score_meetings(gold: GoldDoc, events, run: Run, args: argparse.Namespace) -> list[ResponseFact]:
    golds, preds = gold_meetings(gold, args.with_hard), predicted_meetings(events, args.meeting_types)
    run.counts.update(events=len(events), meeting_gold=len(golds), meeting_ignored=sum(g.hard for g in golds),
                      meeting_pred=len(preds), meeting_docs=bool(golds))
    run.meeting_kinds.update(p.kind for p in preds)
    right = {name: score_facts(preds, golds, rule, run.meeting[name]) for name, rule in MEETING_RULES.items()}
    run.matched_kinds.update(p.kind for p in right["facts"])
    run.counts.update(meeting_matched_place=sum(p.has_place for p in right["facts"]),
                      meeting_matched_date=sum(p.has_date for p in right["facts"]))
    return meeting_responses(preds)


def evaluate(args: argparse.Namespace) -> dict:
    from kg.nlp import load

    stems = doc_paths(args.data, SETS[args.set], args.limit)
    if not stems:
        sys.exit(f"no documents under {args.data} ({', '.join(SETS[args.set])}); give --data DIR")
    started = time.perf_counter()
    nlp = load()
    run = Run()
    run.seconds["load"] = time.perf_counter() - started
    for stem in stems:
        process(stem, nlp, run, args)
    run.seconds["total"] = time.perf_counter() - started
    return report(run, args, len(stems))


def report(run: Run, args: argparse.Namespace, docs: int) -> dict:
    return {
        "set": args.set, "documents": docs, "with_hard": args.with_hard,
        "seconds": {k: round(v, 1) for k, v in run.seconds.items()},
        "ner": {t: s.as_dict() for t, s in run.ner.scores.items()} | {"dropped_misaligned": dict(run.ner.dropped)},
        "occupation": {"official": run.official.totals["occupation"].as_dict()}
        | {k: s.as_dict() for k, s in run.occupation.items()},
        "meeting": {"official": run.official.totals["meeting"].as_dict()}
        | {k: s.as_dict() for k, s in run.meeting.items()}
        | {"types": list(args.meeting_types), "predicted_by_type": dict(run.meeting_kinds),
           "matched_by_type": dict(run.matched_kinds)},
        "counts": dict(run.counts), "errors": run.errors, "reference": REFERENCE,
    }


# -- output ----------------------------------------------------------------------------

def row(label: str, s: dict, ref: float | None = None) -> str:
    tail = f"   (ref F1 {ref:.3f})" if ref is not None else ""
    return (f"  {label:<10} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
            f"   {s['pred_right']}/{s['pred']} pred, {s['gold_found']}/{s['gold']} gold{tail}")


def official_row(label: str, s: dict, ref: float) -> str:
    return (f"  {label:<10} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
            f"   credit {s['tp_response']:.1f}/{s['response']} response, {s['tp_gold']:.1f}/{s['gold']} gold"
            f"   (2016 best F1 {ref:.3f})")


def print_report(r: dict) -> None:
    c, sec = r["counts"], r["seconds"]
    print(f"factRuEval-2016 {r['set']}: {r['documents']} documents; "
          f"load {sec['load']}s, parse {sec['parse']}s, extract {sec['extract']}s, total {sec['total']}s")
    print("\nNER, token level as naeval (ref: naeval slovnet, devset+testset)")
    for t in NER_TYPES:
        print(row(t, r["ner"][t], REFERENCE["ner"][t]))
    d = r["ner"]["dropped_misaligned"]
    print(f"  misaligned spans dropped: gold {d.get('gold', 0)}/{d.get('gold_total', 0)}, "
          f"pred {d.get('pred', 0)}/{d.get('pred_total', 0)}")
    print("\nFacts under the organisers' metric (partial credit per fact; the headline)")
    for kind in ("occupation", "meeting"):
        print(official_row(kind.capitalize(), r[kind]["official"], REFERENCE[kind]["f1"]))
    approx = r["occupation"]["official"]["approximate"] + r["meeting"]["official"]["approximate"]
    if approx:
        print(f"  ({approx} document assignments found by local search, not exhaustively)")
    print(f"\nOccupation, today's rules: {c['occupation_gold']} gold facts, {c['occupation_ignored']} ignored "
          f"(сложность повышенная); {c['occupation_pred']} predictions from {c['occupation_mentions']} mentions")
    for k in OCCUPATION_RULES:
        print(row(k, r["occupation"][k]))
    print(f"\nMeeting, today's rules: {c['meeting_gold']} gold facts in {c['meeting_docs']} documents, "
          f"{c['meeting_ignored']} ignored; {c['meeting_pred']} predictions of {', '.join(r['meeting']['types'])} "
          f"with 2+ participants, from {c['events']} events")
    for k in MEETING_RULES:
        print(row(k, r["meeting"][k]))
    print(f"  predicted by type {r['meeting']['predicted_by_type']}, matched {r['meeting']['matched_by_type']}; "
          f"matched with a place {c['meeting_matched_place']}, a date {c['meeting_matched_date']}")
    print(f"\n2016 best, official scorer on the test set: Occupation F1 {REFERENCE['occupation']['f1']:.3f} "
          f"({REFERENCE['occupation']['source']}), Meeting F1 {REFERENCE['meeting']['f1']:.3f} "
          f"({REFERENCE['meeting']['source']})")
    for e in r["errors"]:
        print(f"error: {e}", file=sys.stderr)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Score kg's NER, Occupation and Meeting facts on factRuEval-2016.",
                                     epilog="example: python benchmarks/factrueval.py --set dev --limit 5")
    parser.add_argument("--set", choices=sorted(SETS), default="dev",
                        help="dev (default), test (held out), or all = dev + test as naeval reads it")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N documents")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--data", type=Path, default=DATA, help=f"the dataset folder (default {DATA})")
    parser.add_argument("--with-hard", action="store_true",
                        help="count facts marked 'Сложность повышенная' as gold instead of ignoring them "
                             "(the organisers' hard mode, -m, for the headline)")
    parser.add_argument("--task3", type=Path, metavar="DIR",
                        help="write the facts in the organisers' response format, one book_N.task3 per document")
    parser.add_argument("--meeting-types", type=lambda s: tuple(s.split(",")), default=MEETING_TYPES,
                        help=f"kg event types scored as meetings (default {','.join(MEETING_TYPES)})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    results = evaluate(args)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print_report(results)


if __name__ == "__main__":
    main()
