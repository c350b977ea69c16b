"""factRuEval-2016 track 3 as its organisers score it: the response format and the metric.

Written from the organisers' scorer (``scripts/t3_eval.py`` and ``scripts/dialent/task3/eval.py``
in github.com/dialogue-evaluation/factRuEval-2016, read, not copied) and kept free of kg, so
``benchmarks/factrueval.py`` and the tests can both use it.

The response format (one ``book_N.task3`` per document): facts as blocks separated by a blank
line; a block's first line is the fact's kind (``occupation``, ``meeting``), then one
``slot : value`` line per value (``who``, ``position``, ``where``; ``participant``). The
scorer splits a line at its colon, so a value never holds one.

The metric, per document and fact kind:

- Strings are compared after lower-casing and folding ё, quotes, dashes and the spaces before
  punctuation, and are equal within a small Levenshtein distance: 0 for strings of at most
  one character, 1 up to eight, 2 from nine (the longer string decides).
- A gold argument holds every form of its value (see ``factrueval.py`` for how they are
  gathered); a response value matches it when it equals one of them.
- A response fact may join a gold fact of its kind when one of their arguments other than
  ``position`` match. Each response fact joins at most one gold fact (or none); several may
  join the same one. The assignment is the one that maximises the document's F1.
- A gold fact and the response facts that joined it form a cluster, scored
  ``quality = a (1 + i) / 2``: ``a = matched / (matched + extra + missing)``, summing argument
  weights (``position`` weighs 0.5, the others 1) over the gold arguments matched, the
  response values that match none of the gold arguments, and the gold arguments left
  unmatched; ``i`` (identification) is 1 for a one-response cluster, else the share of pairs of
  matched gold arguments that a single response fact matched together.
- Recall sums the quality over the counted gold facts, precision over the response facts;
  a gold fact marked as ignored (the organisers' easy mode: "Сложность повышенная") scores
  0 and neither it nor the response facts in its cluster are counted. Sums are micro over
  the documents.

Where this differs from the organisers' code: their identification share indexes the gold
arguments by position in the matched set rather than by the matched arguments themselves
(a slip; the intended share is computed here); their exhaustive search is exponential, so
a document whose assignments number more than ``SEARCH_LIMIT`` is solved by local search
from a greedy start (``Totals.approximate`` counts them).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache

SLOT_WEIGHTS = {"position": 0.5}
SEARCH_LIMIT = 20000
QUOTES = {**dict.fromkeys("«»“”„", '"'), **dict.fromkeys("’`", "'"), **dict.fromkeys("‐−‒–—―", "-")}
SPACING = ((" ,", ","), (" .", "."), (" -", "-"), ("- ", "-"), ("( ", "("), (" )", ")"))


# -- strings ---------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case, ё as е, one kind of quote and of dash."""
    text = text.lower().strip(" \r\n\t").replace("ё", "е")
    return "".join(QUOTES.get(c, c) for c in text)


def normalize(text: str) -> str:
    """``fold`` and no space before punctuation, as a response line is read."""
    text = fold(text)
    for before, after in SPACING:
        text = text.replace(before, after)
    return text


@lru_cache(maxsize=None)
def distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def threshold(size: int) -> int:
    return 0 if size < 2 else 1 if size < 9 else 2


def same(a: str, b: str) -> bool:
    return distance(a, b) <= threshold(max(len(a), len(b)))


# -- the response format ---------------------------------------------------------------

@dataclass(frozen=True)
class ResponseFact:
    """One fact of a response: its kind and its (slot, value) pairs, in order."""

    kind: str
    slots: tuple[tuple[str, str], ...]


def response_value(text: str) -> str:
    """A value on one line and without a colon."""
    return " ".join(text.replace(":", " ").split())


def format_response(facts: list[ResponseFact]) -> str:
    """The text of a ``.task3`` file; empty values are left out."""
    blocks = []
    for fact in facts:
        values = [(slot, response_value(v)) for slot, v in fact.slots]
        blocks.append("\n".join([fact.kind] + [f"{slot} : {v}" for slot, v in values if v]))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def parse_response(text: str) -> list[ResponseFact]:
    """Read a ``.task3`` text back, values normalised as the scorer reads them."""
    facts = []
    for block in text.split("\n\n"):
        lines = [normalize(line) for line in block.splitlines() if line.strip()]
        if lines:
            slots = tuple((slot.strip(), value.strip()) for slot, value in (ln.split(":") for ln in lines[1:]))
            facts.append(ResponseFact(lines[0].strip(" :"), slots))
    return facts


# -- gold ------------------------------------------------------------------------------

@dataclass(frozen=True)
class GoldArgument:
    name: str
    values: frozenset[str]  # folded

    def matches(self, slot: str, value: str) -> bool:
        return slot == self.name and any(same(v, value) for v in self.values)


@dataclass(frozen=True)
class GoldFact:
    id: str
    kind: str
    arguments: tuple[GoldArgument, ...]
    ignored: bool = False

    def can_join(self, fact: ResponseFact) -> bool:
        return fact.kind == self.kind and any(
            a.name != "position" and a.matches(s, v) for a in self.arguments for s, v in fact.slots)


# -- the metric ------------------------------------------------------------------------

@dataclass
class Totals:
    """tp_gold / n_gold is recall, tp_response / n_response precision."""

    tp_gold: float = 0.0
    tp_response: float = 0.0
    n_gold: int = 0
    n_response: int = 0
    approximate: int = 0

    def add(self, other: Totals) -> None:
        self.tp_gold += other.tp_gold
        self.tp_response += other.tp_response
        self.n_gold += other.n_gold
        self.n_response += other.n_response
        self.approximate += other.approximate

    @property
    def precision(self) -> float:
        return self.tp_response / self.n_response if self.n_response else 1.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 1.0

    @property
    def f1(self) -> float:
        if not self.n_gold + self.n_response:
            return 1.0
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp_gold": round(self.tp_gold, 2), "tp_response": round(self.tp_response, 2),
                "gold": self.n_gold, "response": self.n_response, "approximate": self.approximate}


def weight(name: str) -> float:
    return SLOT_WEIGHTS.get(name, 1.0)


def claimed(gold: GoldFact, slot: str, value: str) -> int | None:
    """The first gold argument a response value matches (a repeated gold argument is
    matched once)."""
    return next((i for i, a in enumerate(gold.arguments) if a.matches(slot, value)), None)


def matched_arguments(gold: GoldFact, fact: ResponseFact) -> set[int]:
    return {i for i in (claimed(gold, s, v) for s, v in fact.slots) if i is not None}


def cluster_quality(gold: GoldFact, facts: list[ResponseFact]) -> float:
    """``a (1 + i) / 2`` for a gold fact and the response facts that joined it."""
    if gold.ignored or not facts:
        return 0.0
    per_fact = [matched_arguments(gold, f) for f in facts]
    matched = set().union(*per_fact)
    extra = sum(weight(s) for f in facts for s, v in f.slots if claimed(gold, s, v) is None)
    found = sum(weight(gold.arguments[i].name) for i in matched)
    missing = sum(weight(a.name) for i, a in enumerate(gold.arguments) if i not in matched)
    total = found + extra + missing
    args = found / total if total else 0.0
    return args * (1 + identification(matched, per_fact)) / 2


def identification(matched: set[int], per_fact: list[set[int]]) -> float:
    if len(per_fact) == 1:
        return 1.0
    pairs = list(itertools.combinations(sorted(matched), 2))
    if not pairs:
        return 1.0
    return sum(any(a in m and b in m for m in per_fact) for a, b in pairs) / len(pairs)


def assignment_totals(golds: list[GoldFact], facts: list[ResponseFact], choice: tuple) -> Totals:
    """Totals when response fact k joins gold ``choice[k]`` (None: no gold fact)."""
    totals = Totals(n_gold=sum(not g.ignored for g in golds))
    for j, gold in enumerate(golds):
        members = [f for f, c in zip(facts, choice) if c == j]
        quality = cluster_quality(gold, members)
        totals.tp_gold += quality
        totals.tp_response += quality * len(members)
        totals.n_response += 0 if gold.ignored else len(members)
    totals.n_response += sum(c is None for c in choice)
    return totals


def score_document(golds: list[GoldFact], facts: list[ResponseFact]) -> Totals:
    """The best assignment of one document's response facts (of one kind) to its gold facts."""
    options = [[j for j, g in enumerate(golds) if g.can_join(f)] + [None] for f in facts]
    size = 1
    for o in options:
        size *= len(o)
    if size <= SEARCH_LIMIT:
        best = None
        for choice in itertools.product(*options):
            totals = assignment_totals(golds, facts, choice)
            if best is None or totals.f1 > best.f1:
                best = totals
        return best if best is not None else assignment_totals(golds, facts, ())
    return local_search(golds, facts, options)


def local_search(golds: list[GoldFact], facts: list[ResponseFact], options: list[list]) -> Totals:
    """Greedy start (each fact to its best cluster alone), then single moves while F1 rises."""
    choice = [max(o, key=lambda j: -1.0 if j is None else cluster_quality(golds[j], [f]))
              for f, o in zip(facts, options)]
    best = assignment_totals(golds, facts, tuple(choice))
    improved = True
    while improved:
        improved = False
        for k, o in enumerate(options):
            for j in o:
                trial = tuple(choice[:k] + [j] + choice[k + 1:])
                totals = assignment_totals(golds, facts, trial)
                if totals.f1 > best.f1:
                    choice, best, improved = list(trial), totals, True
    best.approximate = 1
    return best


@dataclass
class Metric:
    """The organisers' metric for some fact kinds, accumulated over documents."""

    kinds: tuple[str, ...]
    totals: dict[str, Totals] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.totals = {k: Totals() for k in self.kinds}

    def add(self, golds: list[GoldFact], facts: list[ResponseFact]) -> None:
        for kind in self.kinds:
            self.totals[kind].add(score_document([g for g in golds if g.kind == kind],
                                                 [f for f in facts if f.kind == kind]))
