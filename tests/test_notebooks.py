"""The notebooks run from top to bottom (nbclient, an ipykernel kernel, a time limit per
cell) and are committed clean: no outputs, no execution counts."""

from __future__ import annotations

import re
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


# -- what the notebooks need, and what they show ----------------------------------------------

def test_one_extra_installs_what_the_notebooks_need_and_the_readme_says_how_to_open_them():
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    names = {re.split(r"[<>=\[ ]", spec, maxsplit=1)[0].lower() for spec in extra["notebooks"]}
    assert {"pandas", "matplotlib", "ipykernel", "jupyterlab", "nbconvert"} <= names
    readme = (ROOT / "notebooks" / "README.md").read_text(encoding="utf-8")
    assert "pip install -e '.[notebooks]'" in readme and "jupyter lab" in readme
    assert "pip install pandas" not in readme


@pytest.mark.slow
def test_charts_put_periods_on_a_time_axis_with_whole_counts(sample_store):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates

    from kg import charts, network

    events = network.events_dataframe(sample_store)
    ax = charts.events_over_time(events, "M")
    ax.figure.canvas.draw()
    starts = sorted({round(p.get_x()) for p in ax.patches})
    months = sorted({d.to_period("M").start_time for d in events["date"].dropna()})
    assert starts == [round(mdates.date2num(m)) for m in months], "bars stand where their months are"
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert len(set(gaps)) > 1, "uneven gaps between the sample's months show as such"
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)


@pytest.mark.slow
def test_areas_are_labels_and_each_phrase_has_its_own_area(sample_store):
    pytest.importorskip("pandas")
    from kg import network

    events = network.events_dataframe(sample_store)
    areas = {a for row in events["areas"] for a in row}
    assert areas and not any(re.fullmatch(r"[a-z_-]+", a) for a in areas), f"labels, not keys: {areas}"
    topics = network.topics_dataframe(sample_store)
    truth = {(str(r[0]), str(r[1]) if r[1] is not None else "") for r in sample_store.query(
        "PREFIX diplo: <https://w3id.org/kg-diplo/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT DISTINCT ?phrase ?area WHERE { ?e diplo:topic ?t . ?t skos:prefLabel ?phrase "
        "OPTIONAL { ?t skos:broader/skos:prefLabel ?area } }")}
    pairs = set(zip(topics["topic"], topics["area"]))
    assert pairs and pairs <= truth, pairs - truth
    many = events[events["areas"].map(len) > 1]
    assert not many.empty, "the sample has an event with topics in several areas"
    for iri in many["iri"]:
        mine = topics[topics["iri"] == iri]
        assert len(mine) < len(mine["topic"].unique()) * len(set(mine["area"])), "not every phrase with every area"
