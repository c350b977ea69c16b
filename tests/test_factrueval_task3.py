"""benchmarks/factrueval.py's track-3 output (the organisers' response format) and its
re-implementation of the organisers' metric, on small made-up facts and one real document."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import factru_metric as m  # noqa: E402
import factrueval as fe  # noqa: E402

OCC = m.ResponseFact("occupation", (("who", "Сергей Лавров"), ("position", "министр иностранных дел"),
                                    ("where", "МИД России")))
MEET = m.ResponseFact("meeting", (("participant", "Сергей Лавров"), ("participant", "Ван И")))

FORMAT_CASES = [
    ([], ""),
    ([OCC], "occupation\nwho : Сергей Лавров\nposition : министр иностранных дел\nwhere : МИД России\n"),
    ([OCC, MEET], "occupation\nwho : Сергей Лавров\nposition : министр иностранных дел\nwhere : МИД России\n"
                  "\nmeeting\nparticipant : Сергей Лавров\nparticipant : Ван И\n"),
    # a colon would split the line in two for the scorer; line breaks would start a new line
    ([m.ResponseFact("occupation", (("who", "Дж.: Смит"), ("position", "посол\nСША"), ("where", "")))],
     "occupation\nwho : Дж. Смит\nposition : посол США\n"),
]


@pytest.mark.parametrize("facts, text", FORMAT_CASES)
def test_format_response(facts, text):
    assert m.format_response(facts) == text


@pytest.mark.parametrize("facts, text", FORMAT_CASES)
def test_every_value_line_splits_once(facts, text):
    for block in filter(None, text.split("\n\n")):
        kind, *lines = block.strip("\n").split("\n")
        assert kind in ("occupation", "meeting")
        assert all(len(line.split(":")) == 2 and line.split(":")[1].strip() for line in lines)


def test_parse_response_reads_what_was_written():
    facts = m.parse_response(m.format_response([OCC, MEET]))
    assert [f.kind for f in facts] == ["occupation", "meeting"]
    assert facts[0].slots == (("who", "сергей лавров"), ("position", "министр иностранных дел"),
                              ("where", "мид россии"))
    assert facts[1].slots == (("participant", "сергей лавров"), ("participant", "ван и"))


def test_write_task3_one_file_per_document(tmp_path):
    fe.write_task3(tmp_path / "out", "book_7", [OCC])
    fe.write_task3(tmp_path / "out", "book_8", [])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["book_7.task3", "book_8.task3"]
    assert (tmp_path / "out" / "book_8.task3").read_text(encoding="utf-8") == ""


def test_occupation_responses_compose_where_and_merge_duplicates():
    pred = fe.PredOccupation(((0, 5),), "Сергей Лавров", "министр", None, "Россия")
    same = fe.PredOccupation(((9, 14),), "Сергей Лавров", "министр", None, "Россия")
    with_org = fe.PredOccupation(((0, 5),), "Сергей Лавров", "министр", "МИД России", "Россия")
    written = fe.PredOccupation(((0, 5),), "Сергей Лавров", "министр", "МИД России", "Россия",
                                "министра иностранных дел", "России")
    nowhere = fe.PredOccupation(((20, 25),), "Виктор Шендерович", "писатель", None, None)
    facts = fe.occupation_responses([pred, same, with_org, written, nowhere])
    assert [dict(f.slots) for f in facts] == [
        {"who": "Сергей Лавров", "position": "министр", "where": "Россия"},
        {"who": "Сергей Лавров", "position": "министр", "where": "МИД России"},
        {"who": "Сергей Лавров", "position": "министра иностранных дел", "where": "России"},
    ]  # a post of nothing (no organization, no country) is not an Occupation fact


def gold(kind, *args, ignored=False):
    return m.GoldFact("1-0", kind, tuple(m.GoldArgument(n, frozenset(v)) for n, v in args), ignored)


LAVROV = ("who", {"сергей лавров", "лавров", "лаврова"})
MINISTER = ("position", {"министра иностранных дел"})
MID = ("where", {"мид россии", "мид"})

QUALITY_CASES = [
    # (gold, response slots, quality)
    (gold("occupation", LAVROV, MINISTER, MID), [("who", "сергей лавров"), ("position", "министр иностранных дел"),
                                                 ("where", "мид россии")], 1.0),
    # the post weighs 0.5: 2 / (2 + 0.5 missing)
    (gold("occupation", LAVROV, MINISTER, MID), [("who", "лавров"), ("where", "мид")], 2 / 2.5),
    # a wrong where is extra (1) and missing (1): 1.5 / 3.5
    (gold("occupation", LAVROV, MINISTER, MID), [("who", "лаврову"), ("position", "министра иностранных дел"),
                                                 ("where", "россия")], 1.5 / 3.5),
    # an extra participant costs credit
    (gold("meeting", ("participant", {"лавров"}), ("participant", {"ван и"})),
     [("participant", "лавров"), ("participant", "ван и"), ("participant", "блинкен")], 2 / 3),
    # an ignored gold fact gives nothing
    (gold("meeting", ("participant", {"лавров"}), ignored=True), [("participant", "лавров")], 0.0),
]


@pytest.mark.parametrize("gold_fact, slots, quality", QUALITY_CASES)
def test_cluster_quality(gold_fact, slots, quality):
    assert m.cluster_quality(gold_fact, [m.ResponseFact(gold_fact.kind, tuple(slots))]) == pytest.approx(quality)


@pytest.mark.parametrize("a, b, equal", [
    ("лавров", "лаврова", True),          # 1 edit, 7 characters
    ("главой", "глава", False),           # 2 edits, 6 characters
    ("премьер-министром", "премьер-министр", True),  # 2 edits, 17 characters
    ("а", "б", False),
])
def test_strings_equal_within_the_threshold(a, b, equal):
    assert m.same(a, b) is equal


def test_a_response_fact_joins_one_gold_fact_at_most():
    golds = [gold("occupation", LAVROV, MINISTER), gold("occupation", LAVROV, MID)]
    totals = m.score_document(golds, [m.ResponseFact("occupation", (("who", "лавров"), ("where", "мид")))])
    # it joins the gold fact it matches fully; the other one, which it matches in part, gets nothing
    assert (totals.n_response, totals.tp_response, totals.n_gold, totals.tp_gold) == (1, 1.0, 2, 1.0)


def test_gold_answers_score_one_on_a_real_document(shared):
    """The document's own gold facts, written as a response, score P = R = 1."""
    stem = shared / "datasets" / "factRuEval-2016" / "devset" / "book_100"
    doc = fe.load_gold(stem)
    golds = fe.official_golds(doc, hard_mode=False)
    facts = [m.ResponseFact(g.kind, tuple((a.name, min(a.values)) for a in g.arguments))
             for g in golds if g.kind == "occupation"]
    assert len(facts) >= 3
    metric = m.Metric(("occupation",))
    metric.add(golds, m.parse_response(m.format_response(facts)))
    totals = metric.totals["occupation"]
    assert (totals.precision, totals.recall) == (1.0, 1.0)
