"""Shared fixtures: the NLP pipeline loaded once per session, the bundled seed article, the
shared corpus, stores."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "data" / "seed_zakon_2025-10-11.txt"  # the founding article, bundled with the demo


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load

    return load()


@pytest.fixture(scope="session")
def seed() -> Path:
    """The founding article as the repository bundles it (``data/``): no need of ``../shared``."""
    return SEED


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not available")
    return SHARED


@pytest.fixture()
def memory_store():
    from kg.store import open_store

    store = open_store(":memory:")
    yield store
    store.close()



@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """The bundled sample articles (``data/``, what ``kg demo`` ingests) in an on-disk store,
    built once and closed: the tests that need a real store and no ``../shared`` open it."""
    from kg.config import sample_dir as samples
    from kg.pipeline import ingest
    from kg.store import open_store

    location = tmp_path_factory.mktemp("sample") / "store"
    with open_store(str(location)) as store:
        report = ingest([samples()], store)
    assert report.ok and report.ingested >= 5
    return location


@pytest.fixture(scope="module")
def sample_store(sample_dir):
    """The sample store, open for one test module (close it before a CLI run: use ``sample_copy``)."""
    from kg.store import open_store

    store = open_store(str(sample_dir), create=False)
    yield store
    store.close()


@pytest.fixture(scope="module")
def sample_copy(sample_dir, tmp_path_factory) -> str:
    """A copy of the sample store's directory that commands open on their own (read only)."""
    import shutil

    return str(shutil.copytree(sample_dir, tmp_path_factory.mktemp("copy") / "store"))
