"""kg on factRuEval-2016: NER per type, Occupation facts and Meeting facts.

    python benchmarks/factrueval.py                 # the test set (132 documents)
    python benchmarks/factrueval.py --set dev --limit 10 --json

Runs offline over ``../shared/datasets/factRuEval-2016`` (``--data DIR`` to change). Every
document is parsed once by ``kg.nlp.load()``; the same Doc feeds ``occupations.occupations``
and ``kg.extract.extract``. Nothing below is the organisers' scorer, so the fact scores are
*not* the official ones; the rules are these.

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
the default here is the test set alone. naeval sent whole texts to slovnet, while kg runs
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

Precision and recall for facts follow the organisers' clustering (many predictions may
join one gold fact): P = predictions matching a counted gold fact / counted predictions
(all but those matching only ignored facts), R = gold facts matched / counted gold
facts. The organisers' scorer (scripts/dialent/task3/eval.py) instead gives each cluster
partial credit by argument (Position weighs 0.5) and compares normalised strings, so the
shared task's best results are context only: run violet_3 in the final evaluation,
github.com/dialogue-evaluation/factRuEval-2016 reports/run_2/violet_3.test.t3,
Occupation P 0.801 R 0.565 F1 0.662 and Meeting P 0.869 R 0.135 F1 0.234, over the 336
and 45 test facts that are not "повышенная" (444 and 51 in the files).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "factRuEval-2016"
SETS = {"dev": ("devset",), "test": ("testset",), "all": ("devset", "testset")}
NER_TYPES = ("PER", "LOC", "ORG")
FACTRU_TYPES = {"Person": "PER", "Location": "LOC", "LocOrg": "LOC", "Org": "ORG"}
NAME_SPAN = {"Org": "org_name", "Location": "loc_name", "LocOrg": "loc_name"}
MEETING_TYPES = ("Meeting", "Visit", "Summit", "Signing")
HARD = "повышенная"
STOP_WORDS = {"и", "в", "во", "на", "по", "при", "с", "со", "для", "об", "о", "of", "the", "and"}
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
REFERENCE = {
    "ner": {"source": "naeval README, slovnet on factru (devset + testset), F1",
            "PER": 0.959, "LOC": 0.915, "ORG": 0.825},
    "occupation": {"source": "factRuEval-2016 reports/run_2/violet_3.test.t3 (official metric)",
                   "precision": 0.8013, "recall": 0.5646, "f1": 0.6624},
    "meeting": {"source": "factRuEval-2016 reports/run_2/violet_3.test.t3 (official metric)",
                "precision": 0.8690, "recall": 0.1352, "f1": 0.2340},
}


# -- gold ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    id: str
    type: str
    start: int
    stop: int


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


@dataclass(frozen=True)
class Entity:
    """A record of ``*.coref``: the mentions of one object and its names."""

    id: str
    mentions: tuple[Mention, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    name: str
    ref: str | None  # "obj123" or "span456"
    text: str


@dataclass(frozen=True)
class Fact:
    id: str
    type: str
    slots: tuple[Slot, ...]

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
            id_, type_, start, size = line.split()[:4]
            spans[id_] = Span(id_, type_, int(start), int(start) + int(size))
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
        names = tuple(line.split(None, 1)[1] for line in rest if line.startswith("name ") and " " in line)
        entities[id_] = Entity(id_, tuple(mentions[i] for i in ids if i in mentions), names)
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


def read_facts(path: Path) -> list[Fact]:
    facts = []
    for head, *rest in blocks(read_lines(path)):
        id_, type_ = head.split()[:2]
        facts.append(Fact(id_, type_, tuple(s for line in rest for s in parse_slot(line))))
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
    position: str | None
    organization: str | None
    country: str | None


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


def predicted_occupations(occupations: list) -> list[PredOccupation]:
    """One prediction per distinct (name, post, organization, country), all its mentions."""
    groups: dict[tuple, list[tuple[int, int]]] = {}
    for o in occupations:
        groups.setdefault((o.name, o.position, o.organization, o.country), []).append((o.start, o.end))
    return [PredOccupation(tuple(offs), pos, org, country) for (_, pos, org, country), offs in groups.items()]


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
            out.append(PredMeeting(e.type, people, e.location is not None, e.date is not None))
    return out


def found_participants(p: PredMeeting, g: GoldMeeting) -> int:
    return sum(any(overlaps(ours, theirs) for ours in p.participants) for theirs in g.participants)


MEETING_RULES = {
    "facts": lambda p, g: found_participants(p, g) >= min(2, len(g.participants)),
    "lenient": lambda p, g: found_participants(p, g) >= 1,
}


# -- the run ---------------------------------------------------------------------------

@dataclass
class Run:
    ner: NerTally = field(default_factory=NerTally)
    occupation: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in OCCUPATION_RULES})
    meeting: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in MEETING_RULES})
    counts: Counter = field(default_factory=Counter)
    meeting_kinds: Counter = field(default_factory=Counter)
    matched_kinds: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


def process(stem: Path, nlp, run: Run, args: argparse.Namespace) -> None:
    """Parse one document, run both extractors on the Doc, and score it."""
    from occupations import occupations

    from kg.extract import extract
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
    score_occupations(gold, occs, run, args.with_hard)
    score_meetings(gold, events, run, args)


def score_occupations(gold: GoldDoc, occs: list, run: Run, with_hard: bool) -> None:
    golds, preds = gold_occupations(gold, with_hard), predicted_occupations(occs)
    run.counts.update(occupation_gold=len(golds), occupation_ignored=sum(g.hard for g in golds),
                      occupation_mentions=len(occs), occupation_pred=len(preds))
    for name, rule in OCCUPATION_RULES.items():
        score_facts(preds, golds, rule, run.occupation[name])


def score_meetings(gold: GoldDoc, events, run: Run, args: argparse.Namespace) -> None:
    golds, preds = gold_meetings(gold, args.with_hard), predicted_meetings(events, args.meeting_types)
    run.counts.update(events=len(events), meeting_gold=len(golds), meeting_ignored=sum(g.hard for g in golds),
                      meeting_pred=len(preds), meeting_docs=bool(golds))
    run.meeting_kinds.update(p.kind for p in preds)
    right = {name: score_facts(preds, golds, rule, run.meeting[name]) for name, rule in MEETING_RULES.items()}
    run.matched_kinds.update(p.kind for p in right["facts"])
    run.counts.update(meeting_matched_place=sum(p.has_place for p in right["facts"]),
                      meeting_matched_date=sum(p.has_date for p in right["facts"]))


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
        "occupation": {k: s.as_dict() for k, s in run.occupation.items()},
        "meeting": {k: s.as_dict() for k, s in run.meeting.items()}
        | {"types": list(args.meeting_types), "predicted_by_type": dict(run.meeting_kinds),
           "matched_by_type": dict(run.matched_kinds)},
        "counts": dict(run.counts), "errors": run.errors, "reference": REFERENCE,
    }


# -- output ----------------------------------------------------------------------------

def row(label: str, s: dict, ref: float | None = None) -> str:
    tail = f"   (ref F1 {ref:.3f})" if ref is not None else ""
    return (f"  {label:<10} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
            f"   {s['pred_right']}/{s['pred']} pred, {s['gold_found']}/{s['gold']} gold{tail}")


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
    print(f"\nOccupation: {c['occupation_gold']} gold facts, {c['occupation_ignored']} ignored (сложность "
          f"повышенная); {c['occupation_pred']} predictions from {c['occupation_mentions']} mentions")
    for k, s in r["occupation"].items():
        print(row(k, s, REFERENCE["occupation"]["f1"] if k == "facts" else None))
    print(f"\nMeeting: {c['meeting_gold']} gold facts in {c['meeting_docs']} documents, {c['meeting_ignored']} "
          f"ignored; {c['meeting_pred']} predictions of {', '.join(r['meeting']['types'])} "
          f"with 2+ participants, from {c['events']} events")
    for k in MEETING_RULES:
        print(row(k, r["meeting"][k], REFERENCE["meeting"]["f1"] if k == "facts" else None))
    print(f"  predicted by type {r['meeting']['predicted_by_type']}, matched {r['meeting']['matched_by_type']}; "
          f"matched with a place {c['meeting_matched_place']}, a date {c['meeting_matched_date']}")
    print(f"\nShared task's best (official metric, not comparable rule for rule): "
          f"Occupation F1 {REFERENCE['occupation']['f1']:.3f}, Meeting F1 {REFERENCE['meeting']['f1']:.3f} "
          f"(R {REFERENCE['meeting']['recall']:.3f}) — {REFERENCE['meeting']['source']}")
    for e in r["errors"]:
        print(f"error: {e}", file=sys.stderr)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Score kg's NER, Occupation and Meeting facts on factRuEval-2016.",
                                     epilog="example: python benchmarks/factrueval.py --set dev --limit 5")
    parser.add_argument("--set", choices=sorted(SETS), default="test",
                        help="test (default), dev, or all = dev + test as naeval reads it")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N documents")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--data", type=Path, default=DATA, help=f"the dataset folder (default {DATA})")
    parser.add_argument("--with-hard", action="store_true",
                        help="count facts marked 'Сложность повышенная' as gold instead of ignoring them")
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
