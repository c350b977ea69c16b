"""`kg --help` and `kg query` must not load spaCy or Natasha (they would make them slow)."""

import subprocess
import sys

import pytest

PROBE = """
import sys
from click.testing import CliRunner
from kg.cli import main
r = CliRunner().invoke(main, {args!r})
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'natasha', 'slovnet', 'thinc', 'torch'))
print(r.exit_code, ','.join(heavy))
"""


@pytest.mark.parametrize("args", [
    ["--help"],
    ["query", "--store", ":memory:", "SELECT (1 AS ?x) WHERE {}"],
    ["queries"],
])
def test_light_commands_do_not_import_nlp(args):
    out = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == "0"
    assert len(out) == 1, f"heavy modules imported: {out[1:]}"
