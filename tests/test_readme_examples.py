"""The README's own examples, run on the bundled sample (what ``kg demo`` ingests), give clean
answers: every ``kg query``, ``kg queries`` and ``kg viz`` line of its shell blocks runs, and
each answer is checked — rows, no repeated rows, no parameter columns, no full IRIs in tables."""

from __future__ import annotations

import csv
import io
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parent.parent / "README.md"
RUN = ("query", "queries", "viz")


def examples() -> list[list[str]]:
    """The argument lists of the README's kg commands that read the store, in order."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    found = []
    for line in (line for block in blocks for line in block.splitlines()):
        words = shlex.split(line, comments=True)
        words = words[:words.index("&&")] if "&&" in words else words
        if words[:1] == ["kg"] and words[1:2] and words[1] in RUN:
            found.append(words[1:])
    return found


EXAMPLES = examples()
# What each example's answer must show on the sample (matched by a piece of the command).
EXPECT = {
    "who-met-whom": lambda rows: {"Касым-Жомарт Токаев", "Владимир Путин"} <= {c for r in rows for c in r},
    "events-between-countries": lambda rows: len(rows) >= 5 and all("Россия" not in r for r in rows),
    "schema:Person": lambda rows: {"Сергей Лавров", "Касым-Жомарт Токаев"} <= {r[0] for r in rows},
    "COUNT(DISTINCT ?e)": lambda rows: rows[0][0] == "diplo:Meeting" and int(rows[0][1]) >= 5,
    "person:sergey-lavrov": lambda rows: len(rows) >= 2 and [r[0] for r in rows] == sorted(r[0] for r in rows),
}


def test_the_readme_has_query_examples():
    assert sum(1 for e in EXAMPLES if e[0] == "query") >= 6
    assert any(e[0] == "viz" for e in EXAMPLES)


def table_rows(out: str, fmt: str) -> list[list[str]]:
    """The rows of an aligned table, a markdown table or csv (header left out)."""
    lines = [line for line in out.splitlines() if line.strip()]
    if fmt == "markdown":
        return [[c.strip() for c in line.strip("|").split(" | ")] for line in lines[2:]]
    if fmt == "csv":
        return list(csv.reader(io.StringIO(out)))[1:]
    widths = [m.span() for m in re.finditer(r"-+", lines[1])]
    return [[line[a:b + 2].strip() for a, b in widths] for line in lines[2:-1]]


@pytest.mark.parametrize("args", EXAMPLES, ids=lambda a: " ".join(a)[:60])
def test_readme_example_gives_a_clean_answer(sample_copy, tmp_path, args):
    extra = ["--store", sample_copy] if args[0] != "queries" else []
    if args[0] == "viz":
        extra += ["-o", str(tmp_path / "page.html")] if "-o" not in args else []
        args = [a if not a.endswith(".html") else str(tmp_path / a) for a in args]
    result = CliRunner().invoke(main, [*args, *extra])
    assert result.exit_code == 0, result.output
    assert "no events match" not in result.stderr
    if args[0] == "viz":
        assert not re.search(r"\(0 nodes", result.stdout)
        return
    if args[0] == "queries" or args[1].startswith("ASK"):
        assert result.stdout.strip() in ("true",) or args[0] == "queries"
        return
    rows = table_rows(result.stdout, args[args.index("-f") + 1] if "-f" in args else "table")
    assert rows, "the example finds something in the sample"
    assert len({tuple(r) for r in rows}) == len(rows), "no row twice"
    if "-f" not in args:
        assert "https://" not in result.stdout, "tables show prefixed names"
    for piece, check in EXPECT.items():
        if piece in " ".join(args):
            assert check(rows), (piece, rows[:5])
