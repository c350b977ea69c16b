"""The notebooks run from top to bottom (nbclient, an ipykernel kernel, a time limit per
cell) and are committed clean: no outputs, no execution counts."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 180  # seconds; the first cell loads the NLP models and ingests the sample

nbformat = pytest.importorskip("nbformat", reason="the notebook tests need nbformat (the notebooks extra)")


def test_the_notebooks_are_there():
    assert {p.stem for p in NOTEBOOKS} >= {"graph_exploration", "kazakhstan_russia_cooperation"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear the outputs"
    assert "import kg" in "".join(c.source for c in nb.cells) or "from kg" in "".join(c.source for c in nb.cells)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path):
    for module in ("nbclient", "ipykernel", "pandas", "matplotlib"):
        pytest.importorskip(module, reason=f"the notebook tests need {module} (the notebooks extra)")
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    shown = [o.data for c in nb.cells if c.cell_type == "code" for o in c.outputs if "data" in o]
    assert any("image/png" in d for d in shown), "no chart was drawn"
    assert any("<iframe srcdoc=" in d.get("text/html", "") for d in shown), "no network was drawn"
