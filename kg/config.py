"""Settings, declared once (name, environment variable, default, help) and used by the
code, the CLI and the docs; plus where the bundled data lives."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str | None
    help: str

    def value(self) -> str | None:
        return os.environ.get(self.env) or self.default


STORE = Setting("store", "KG_STORE", "./kg-store",
                "Oxigraph store directory, or ':memory:' for a throw-away in-memory store.")
ENDPOINT = Setting("endpoint", "KG_ENDPOINT", None,
                   "SPARQL 1.1 query URL of a remote store (Oxigraph server, Fuseki, Virtuoso, GraphDB).")
UPDATE_ENDPOINT = Setting("update_endpoint", "KG_UPDATE_ENDPOINT", None,
                          "SPARQL 1.1 update URL when the server uses a separate one (default: the query URL).")
SETTINGS = (STORE, ENDPOINT, UPDATE_ENDPOINT)


def ontology_dir() -> Path:
    """The folder of ``diplo.ttl``, ``shapes.ttl`` and the gazetteers."""
    return Path(str(resources.files("kg.ontology")))


def sample_dir() -> Path:
    """The bundled sample articles used by ``kg demo``."""
    return Path(str(resources.files("kg.sample")))


def lexicon_dir() -> Path:
    """The folder of the word lists the rules read (``kg/lexicons/``)."""
    return Path(__file__).parent / "lexicons"


def queries_dir() -> Path:
    return Path(str(resources.files("kg.queries")))
