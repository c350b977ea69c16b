"""Lexicons of general categories (``kg/lexicons/``), read by one loader.

Each file is plain text, one entry a line, ``#`` comments; ``.tsv`` files have
tab-separated columns. Words are compared by context-free keys (``kg.keys.text_key``), so
entries are written in their dictionary form.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from kg.config import lexicon_dir
from kg.keys import text_key
from kg.util import read_rows as _read

LEXICON_DIR = lexicon_dir()


def read_rows(name: str, folder: Path = LEXICON_DIR) -> list[list[str]]:
    """Rows of one lexicon file: comment and blank lines skipped, columns split on tabs."""
    return _read(folder / name)


@dataclass(frozen=True)
class Post:
    kind: str
    phrase: str
    template: str


class Lexicons:
    """All lexicons, with keys computed once."""

    def __init__(self, folder: Path = LEXICON_DIR) -> None:
        self.folder = folder

    def _rows(self, name: str) -> list[list[str]]:
        return read_rows(name, self.folder)

    def _words(self, name: str) -> frozenset[str]:
        return frozenset(text_key(row[0]) for row in self._rows(name))

    @cached_property
    def event_nouns(self) -> dict[str, str]:
        """phrase key → event type."""
        return {text_key(row[1]): row[0] for row in self._rows("event_nouns.tsv")}

    @cached_property
    def event_verbs(self) -> dict[str, str]:
        return {text_key(row[1]): row[0] for row in self._rows("event_verbs.tsv")}

    @cached_property
    def posts(self) -> dict[str, Post]:
        """phrase key → post."""
        return {text_key(row[1]): Post(row[0], row[1], row[2] if len(row) > 2 else "")
                for row in self._rows("posts.tsv")}

    @cached_property
    def documents(self) -> dict[str, str]:
        """phrase key → document type."""
        return {text_key(row[1]): row[0] for row in self._rows("documents.tsv")}

    @cached_property
    def references(self) -> frozenset[str]:
        return frozenset(text_key(row[1]) for row in self._rows("reference_words.tsv"))

    @cached_property
    def sign_verbs(self) -> frozenset[str]:
        return self._words("sign_verbs.txt")

    @cached_property
    def plan_words(self) -> frozenset[str]:
        return self._words("plan_words.txt")

    @cached_property
    def participation_verbs(self) -> frozenset[str]:
        return self._words("participation_verbs.txt")

    @cached_property
    def copula_verbs(self) -> frozenset[str]:
        return self._words("copula_verbs.txt")

    @cached_property
    def office_nouns(self) -> frozenset[str]:
        return self._words("office_nouns.txt")

    @cached_property
    def speech_verbs(self) -> frozenset[str]:
        return self._words("speech_verbs.txt")

    @cached_property
    def absence_words(self) -> frozenset[str]:
        return self._words("absence_words.txt")

    @cached_property
    def agent_nouns(self) -> frozenset[str]:
        return self._words("agent_nouns.txt")

    @cached_property
    def topics(self) -> list[list[str]]:
        return self._rows("topics.tsv")

    def terms(self):
        """(family, value, phrase) triples for the pipeline's lexicon matcher."""
        for row in self._rows("event_nouns.tsv"):
            yield "event", row[0], row[1]
        for row in self._rows("posts.tsv"):
            yield "post", text_key(row[1]), row[1]
        for row in self._rows("documents.tsv"):
            yield "doc", row[0], row[1]
        for row in self._rows("reference_words.tsv"):
            yield "ref", row[0], row[1]


_LOCK = threading.Lock()
_LEXICONS: Lexicons | None = None


def load_lexicons() -> Lexicons:
    global _LEXICONS
    with _LOCK:
        if _LEXICONS is None:
            _LEXICONS = Lexicons()
        return _LEXICONS
