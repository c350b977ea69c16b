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
