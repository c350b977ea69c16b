"""The words the event stages use, read from ``kg/lexicons/`` (one list a file, each with a
header saying what it holds and how its words are compared). Entries are kept as written:
each rule compares them to a token's lemma (``kg.extract.text.lemma``) or to its lower-case
text, as the file's header says."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.lexicon import LEXICON_DIR, read_rows


@dataclass(frozen=True)
class Words:
    background_openers: frozenset[str]  # lower-case words
    earlier_day_words: frozenset[str]  # lower-case words
    first_time_words: frozenset[str]  # lower-case words
    eve_words: frozenset[str]  # lower-case words
    new_event_openers: frozenset[str]  # lemmas
    new_event_adjectives: frozenset[str]  # lemmas
    day_openers: tuple[tuple[str, str], ...]  # (first lemma, lower-case word among the first five)
    additive_openers: frozenset[tuple[str, ...]]  # the first two lower-case words
    participation_nouns: frozenset[str]  # lemmas
    joining_nouns: frozenset[str]  # lemmas ("участие")
    joining_verbs: frozenset[str]  # lemmas
    arrival_verbs: frozenset[str]  # lemmas
    locative_prepositions: frozenset[str]  # lower-case words
    group_words: frozenset[str]  # lemmas
    sideline_phrases: tuple[str, ...]  # lower-case phrases
    reference_heads: frozenset[str]  # lemmas
    sideline_heads: frozenset[str]  # lemmas
    demonstratives: frozenset[str]  # lemmas
    festival_days: frozenset[str]  # words as written
    reception_verbs: frozenset[str]  # lemmas
    session_words: frozenset[str]  # lemmas
    adverbial_preps: frozenset[str]  # lower-case words
    verb_titles: dict[str, str]  # event type → title ("*": any other type, "&": the word joining names)


@cache
def load_words(folder: Path = LEXICON_DIR) -> Words:
    """The event stages' words from the lexicon folder, read once per folder."""
    def rows(name: str) -> list[list[str]]:
        return read_rows(name, folder)

    def words(name: str) -> frozenset[str]:
        return frozenset(row[0] for row in rows(name))

    def tagged(name: str, tag: str, column: int = 1, word: int = 0) -> frozenset[str]:
        return frozenset(row[word] for row in rows(name) if len(row) > column and row[column] == tag)

    return Words(
        background_openers=words("background_openers.txt"),
        earlier_day_words=words("earlier_day_words.txt"),
        first_time_words=words("first_time_words.txt"),
        eve_words=words("eve_words.txt"),
        new_event_openers=words("new_event_openers.txt"),
        new_event_adjectives=words("new_event_adjectives.txt"),
        day_openers=tuple((row[0], row[1]) for row in rows("day_openers.tsv")),
        additive_openers=frozenset(tuple(row[0].split()) for row in rows("additive_openers.txt")),
        participation_nouns=words("participation_nouns.txt"),
        joining_nouns=tagged("participation_nouns.txt", "join"),
        joining_verbs=tagged("participation_verbs.txt", "join"),
        arrival_verbs=words("arrival_verbs.txt"),
        locative_prepositions=words("locative_prepositions.txt"),
        group_words=words("group_words.txt"),
        sideline_phrases=tuple(row[0] for row in rows("sideline_phrases.txt")),
        reference_heads=frozenset(row[1] for row in rows("reference_heads.tsv")),
        sideline_heads=tagged("reference_heads.tsv", "sideline", column=0, word=1),
        demonstratives=words("demonstratives.txt"),
        festival_days=words("festival_days.txt"),
        reception_verbs=tagged("event_verbs.tsv", "reception", column=2, word=1),
        session_words=words("session_words.txt"),
        adverbial_preps=words("adverbial_prepositions.txt"),
        verb_titles={row[0]: row[1] for row in rows("verb_titles.tsv")},
    )
