"""The Russian NLP pipeline: a spaCy ``Language`` built on ``spacy.blank("ru")``.

Stages (each a registered spaCy component, see ``kg.nlp.components``):

- ``razdel`` tokenizer and sentence splitter (Natasha's segmenter);
- ``natasha_morph``: slovnet morphology → ``token.pos_``, ``token.morph``;
- ``lemmatizer``: pymorphy3 lemmas (spaCy's Russian lemmatizer, cached);
- ``natasha_syntax``: slovnet dependency syntax → ``token.head``, ``token.dep_``;
- ``natasha_ner``: slovnet NER → ``doc.ents`` (PER, LOC, ORG);
- ``kg_keys`` + ``gazetteer``: gazetteer and lexicon matches → ``doc.spans["gazetteer"]``,
  ``doc.spans["lexicon"]``.

Models ship inside the ``natasha`` wheel; nothing is downloaded. The pipeline is built
once per process, lazily, by ``load()``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_LOCK = threading.Lock()
_NLP: Language | None = None


MATH_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_math_thread() -> None:
    """Keep the models' matrix maths on one thread per process, so that ``kg ingest --jobs
    N`` keeps N cores busy rather than N thread pools spinning on the same cores. Takes
    effect when numpy has not been imported yet; a value the user set is kept."""
    import os
    import sys

    if "numpy" not in sys.modules:
        for name in MATH_THREADS:
            os.environ.setdefault(name, "1")


def build(with_gazetteer: bool = True) -> Language:
    """Build a fresh pipeline (slow: loads the models). Prefer ``load()``."""
    one_math_thread()
    import spacy

    from kg.errors import ModelError
    from kg.nlp import components

    try:
        nlp = spacy.blank("ru")
        nlp.tokenizer = components.RazdelTokenizer(nlp.vocab)
        nlp.add_pipe("natasha_morph")
        nlp.add_pipe("kg_lemmatizer", name="lemmatizer")
        nlp.add_pipe("natasha_syntax")
        nlp.add_pipe("natasha_ner")
        nlp.add_pipe("kg_keys")
        if with_gazetteer:
            nlp.add_pipe("gazetteer")
    except (OSError, ImportError) as e:
        raise ModelError(f"cannot build the NLP pipeline: {e}",
                         "reinstall kg's dependencies: pip install -e .") from e
    return nlp


def load() -> Language:
    """The process-wide pipeline, built on first use."""
    global _NLP
    with _LOCK:
        if _NLP is None:
            _NLP = build()
        return _NLP


CHUNK_CHARS = 100_000  # longer texts are parsed in pieces of at most this many characters


def parse(text: str) -> Doc:
    """Run the whole pipeline over one text (in chunks when it is long, see ``pipe``)."""
    nlp = load()
    return nlp(text) if len(text) <= CHUNK_CHARS else _parse_long(nlp, text)


def pipe(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts in batches, in order. A text over ``CHUNK_CHARS`` characters (spaCy's and
    the models' memory grow with a text's length) is parsed in paragraph-aligned chunks,
    joined back into one Doc over the very same text, so every offset stays right."""
    nlp = load()
    short: list[str] = []
    for text in texts:
        if len(text) <= CHUNK_CHARS:
            short.append(text)
            continue
        yield from nlp.pipe(short, batch_size=batch_size)
        short = []
        yield _parse_long(nlp, text)
    yield from nlp.pipe(short, batch_size=batch_size)


def _parse_long(nlp: Language, text: str) -> Doc:
    from spacy.tokens import Doc

    docs = list(nlp.pipe(chunks(text), batch_size=1))
    for doc in docs:  # the components' own scratch data, which Doc.from_docs cannot merge
        for key in [k for k in doc.user_data if isinstance(k, str) and k.startswith("kg_")]:
            del doc.user_data[key]
    joined = Doc.from_docs(docs, ensure_whitespace=False)
    if joined.text != text:
        raise ValueError("the chunks of a long text did not join back into the text")
    return joined


def chunks(text: str, size: int | None = None) -> list[str]:
    """Consecutive pieces of ``text`` of at most ``size`` characters, each cut after a line
    break where there is one (else after a sentence end, else at a space); joined, they are
    the text."""
    size = size or CHUNK_CHARS
    pieces, start = [], 0
    while len(text) - start > size:
        end = _cut(text, start, start + size)
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def _cut(text: str, start: int, limit: int) -> int:
    for mark in ("\n", ". ", " "):
        at = text.rfind(mark, start + 1, limit)
        if at > start:
            return at + len(mark)
    return limit
