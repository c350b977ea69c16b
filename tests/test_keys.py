"""Context-free keys (``kg.keys``): every form of a word or phrase meets its dictionary form,
surnames meet across genders, and the word lists the keys read are well-formed files."""

from __future__ import annotations

import pytest

from kg.config import lexicon_dir
from kg.keys import crude_stem, surname_key, text_key, word_key, words


@pytest.mark.parametrize("forms", [
    ("Астана", "Астану", "Астане"),
    ("министерство", "Министерства", "министерством"),
    ("президент", "экс-президент", "Президентом"),
])
def test_every_form_of_a_word_has_one_key(forms):
    assert len({word_key(f) for f in forms}) == 1


@pytest.mark.parametrize("a, b, same", [
    ("Министерства иностранных дел", "министерство иностранных дел", True),
    ("Республике Казахстан", "Республика Казахстан", True),
    ("АО «КазТрансОйл»", "АО КазТрансОйл", False),  # punctuation is part of a phrase, as the tokenizer splits it
    ("министр культуры", "министр энергетики", False),
])
def test_text_key_meets_across_cases(a, b, same):
    assert (text_key(a) == text_key(b)) is same


def test_text_key_splits_as_the_tokenizer_does():
    assert words("АО «НК «КТЖ»»,") == ["АО", "«", "НК", "«", "КТЖ", "»", "»", ","]


@pytest.mark.parametrize("surname, key", [
    ("Балаева", "балаев"), ("Балаев", "балаев"), ("Левицкая", "левицкий"), ("Чайковская", "чайковский"),
    ("Ильина", "ильин"), ("Тёмина", "темин"), ("Ким", "ким"), ("Хоценко", "хоценко"),
])
def test_a_surname_is_keyed_by_its_masculine_form(surname, key):
    assert surname_key(surname) == key


@pytest.mark.parametrize("word, stem", [("атырауской", "атырауск"), ("акиматом", "акимат"), ("ооо", "ооо")])
def test_words_the_dictionary_lacks_lose_their_ending(word, stem):
    assert crude_stem(word) == stem


@pytest.mark.parametrize("path", sorted(lexicon_dir().glob("*.t[sx][vt]")), ids=lambda p: p.name)
def test_every_lexicon_file_starts_with_a_header_and_has_entries(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ") and any(line.strip() and not line.startswith("#") for line in lines)
