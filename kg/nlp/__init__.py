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


def parse(text: str) -> Doc:
    """Run the whole pipeline over one text."""
    return load()(text)


def pipe(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    return load().pipe(texts, batch_size=batch_size)
