"""Natasha's models and the project's gazetteer as spaCy pipeline components.

Natasha/slovnet objects stay in this module; what leaves it is a spaCy ``Doc``.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

import numpy
from spacy.attrs import DEP, HEAD, MORPH, NORM, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.lang.ru.lemmatizer import RussianLemmatizer
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.keys import word_key, words as phrase_words
from kg.util import batched

NER_LABELS = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}


@lru_cache(maxsize=1)
def natasha_models() -> SimpleNamespace:
    """Load slovnet's news models with the shared navec embedding (once per process)."""
    from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser

    emb = NewsEmbedding()
    models = SimpleNamespace(morph=NewsMorphTagger(emb), syntax=NewsSyntaxParser(emb), ner=NewsNERTagger(emb))
    # Sentences reach the models sorted by length, so larger batches pad little (measured here:
    # morphology and syntax about a fifth faster at 32 than at slovnet's default of 8).
    for model, size in ((models.morph, 32), (models.syntax, 32)):
        model.batch_size = size
        model.infer.encoder.batch_size = size
    return models


class RazdelTokenizer:
    """Tokens and sentences from razdel; whitespace other than one space becomes a
    space token, so ``doc.text`` is the input text exactly and offsets hold."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from kg.read import dateline_end

        words: list[str] = []
        spaces: list[bool] = []
        starts: list[bool] = []
        pos = 0
        lead = dateline_end(text)  # "Будапешт, 13 февраля 2024 года – Заместитель министра …":
        for start, stop, sent_start in _razdel_tokens(text):  # the lead parses as a sentence of its own
            _add_gap(text[pos:start], words, spaces, starts)
            words.append(text[start:stop])
            spaces.append(False)
            starts.append(sent_start or (lead > 0 and start >= lead))
            lead = 0 if start >= lead else lead
            pos = stop
        _add_gap(text[pos:], words, spaces, starts)
        if starts:
            starts[0] = True
        doc = Doc(self.vocab, words=words, spaces=spaces, sent_starts=starts)
        doc.user_data["kg_words"] = words  # the components read these instead of making Token objects
        doc.user_data["kg_sents"] = _groups(words, starts)
        return doc


def _groups(words: list[str], starts: list[bool]) -> list[list[int]]:
    """Indices of the non-space tokens of each sentence."""
    groups: list[list[int]] = []
    for i, (word, start) in enumerate(zip(words, starts)):
        if start or not groups:
            groups.append([])
        if not word.isspace():
            groups[-1].append(i)
    return [g for g in groups if g]


MAX_SENTENCE_TOKENS = 200


def _razdel_tokens(text: str):
    """(start, stop, is_sentence_start) for every token; a line break always ends a sentence,
    and a run-on "sentence" is cut every MAX_SENTENCE_TOKENS tokens (the models' cost grows
    with the square of a sentence's length)."""
    from razdel import sentenize, tokenize

    offset = 0
    for line in text.split("\n"):
        for sent in sentenize(line):
            for k, token in enumerate(tokenize(sent.text)):
                start = offset + sent.start + token.start
                yield start, start + len(token.text), k % MAX_SENTENCE_TOKENS == 0
        offset += len(line) + 1


def _add_gap(gap: str, words: list[str], spaces: list[bool], starts: list[bool]) -> None:
    if not gap:
        return
    if words and gap[0] == " " and not spaces[-1]:
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)
        starts.append(False)


def _words(doc: Doc) -> list[str]:
    words = doc.user_data.get("kg_words")
    return words if words is not None and len(words) == len(doc) else [t.text for t in doc]


def _sentences(doc: Doc) -> list[list[int]]:
    """Indices of the non-space tokens of each sentence (by the tokenizer's starts)."""
    cached = doc.user_data.get("kg_sents")
    if cached is not None and len(doc.user_data.get("kg_words", ())) == len(doc):
        return cached
    return _groups(_words(doc), [bool(t.is_sent_start) for t in doc])


def _format_feats(feats: dict[str, str]) -> str:
    return "|".join(f"{k}={v}" for k, v in sorted(feats.items()))


@Language.factory("natasha_morph")
def make_natasha_morph(nlp: Language, name: str):
    return NatashaMorph()


def _map_sorted(model, items: list) -> list:
    """Run a slovnet model over items sorted by length (less padding in each batch), and
    return the results in the original order."""
    order = sorted(range(len(items)), key=lambda k: len(items[k]))
    results = [None] * len(items)
    for k, markup in zip(order, model.map([items[k] for k in order])):
        results[k] = markup
    return results


class SentenceComponent:
    """A component that runs a slovnet model over sentences, batched across documents in
    ``nlp.pipe`` (about twice the speed of one call per document)."""

    def model(self):
        raise NotImplementedError

    def apply(self, doc: Doc, sents: list[list[int]], markups: list) -> None:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 32):
        for batch in batched(docs, batch_size):
            groups = [_sentences(doc) for doc in batch]
            items = [[words[i] for i in idx] for doc, sents in zip(batch, groups)
                     for words in (_words(doc),) for idx in sents]
            markups = iter(_map_sorted(self.model(), items))
            for doc, sents in zip(batch, groups):
                self.apply(doc, sents, [next(markups) for _ in sents])
                yield doc


class NatashaMorph(SentenceComponent):
    """slovnet morphology: universal POS and features per token."""

    def model(self):
        return natasha_models().morph

    def __init__(self) -> None:
        self._feats: dict[tuple, int] = {}  # slovnet's features → the vocab's morphology hash

    def apply(self, doc: Doc, sents: list[list[int]], markups: list) -> None:
        pos = [POS_IDS["SPACE"]] * len(doc)  # tokens no sentence holds are whitespace
        morph = [0] * len(doc)
        other = POS_IDS["X"]
        known = self._feats
        for idx, markup in zip(sents, markups):
            for i, tok in zip(idx, markup.tokens):
                pos[i] = POS_IDS.get(tok.pos, other)
                key = tuple(tok.feats.items())
                value = known.get(key)
                if value is None:
                    feats = _format_feats(tok.feats)
                    value = doc.vocab.morphology.add(feats) if feats else 0
                    if len(known) < 100_000:
                        known[key] = value
                morph[i] = value
        doc.from_array([POS, MORPH], numpy.array([pos, morph], dtype="uint64").T.copy())


@Language.factory("kg_lemmatizer", default_config={"mode": "pymorphy3", "overwrite": True})
def make_lemmatizer(nlp: Language, name: str, mode: str, overwrite: bool):
    return CachedRussianLemmatizer(nlp.vocab, None, name, mode=mode, overwrite=overwrite)


class CachedRussianLemmatizer(RussianLemmatizer):
    """spaCy's pymorphy3 lemmatizer with a cache on (word, POS, features)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._memo: dict[tuple[str, str, str], list[str]] = {}

    def pymorphy3_lemmatize(self, token) -> list[str]:
        key = (token.text, token.pos_, str(token.morph))
        lemmas = self._memo.get(key)
        if lemmas is None:
            lemmas = self._pymorphy_lemmatize(token)
            if len(self._memo) < 500_000:
                self._memo[key] = lemmas
        return lemmas

    def initialize(self, *args, **kwargs) -> None:  # no tables to load
        return None


@Language.factory("natasha_syntax")
def make_natasha_syntax(nlp: Language, name: str):
    return NatashaSyntax()


class NatashaSyntax(SentenceComponent):
    """slovnet dependency syntax: heads and relations, one tree per sentence."""

    def model(self):
        return natasha_models().syntax

    def apply(self, doc: Doc, sents: list[list[int]], markups: list) -> None:
        heads = list(range(len(doc)))
        deps = ["dep"] * len(doc)
        for idx, markup in zip(sents, markups):
            local = [int(t.head_id) for t in markup.tokens]
            local = _repair_tree(local)
            for j, (i, tok) in enumerate(zip(idx, markup.tokens)):
                heads[i] = idx[local[j] - 1] if local[j] > 0 else i
                deps[i] = tok.rel if local[j] > 0 else "ROOT"
        _attach_spaces(doc, heads, deps)
        array = numpy.zeros((len(doc), 2), dtype="uint64")
        array[:, 0] = numpy.array([h - i for i, h in enumerate(heads)], dtype="int64").astype("uint64")
        array[:, 1] = [doc.vocab.strings.add(d) for d in deps]
        doc.from_array([HEAD, DEP], array)


def _repair_tree(heads: list[int]) -> list[int]:
    """Make 1-based head indices a tree: one root, no cycles (slovnet rarely errs)."""
    n = len(heads)
    heads = [h if 0 <= h <= n else 0 for h in heads]
    roots = [i for i, h in enumerate(heads) if h == 0]
    root = roots[0] if roots else 0
    heads[root] = 0
    for i in range(n):
        if i != root and heads[i] == 0:
            heads[i] = root + 1
    for i in range(n):
        seen, j = set(), i
        while heads[j] != 0 and j not in seen:
            seen.add(j)
            j = heads[j] - 1
        if heads[j] != 0:  # a cycle: hang this token on the root
            heads[i] = root + 1 if i != root else 0
    return heads


def _attach_spaces(doc: Doc, heads: list[int], deps: list[str]) -> None:
    for i, word in enumerate(_words(doc)):
        if i > 0 and word.isspace():
            heads[i] = i - 1
            deps[i] = "dep"


@Language.factory("natasha_ner")
def make_natasha_ner(nlp: Language, name: str):
    return NatashaNER()


class NatashaNER:
    """slovnet NER (PER, LOC, ORG) → ``doc.ents``. The model reads the whole text (as Natasha
    does: it uses the context across lines); a span that runs over a line break is cut there."""

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 32):
        for batch in batched(docs, batch_size):
            texts = [doc.text for doc in batch]
            live = [k for k, text in enumerate(texts) if text.strip()]
            markups = dict(zip(live, _map_sorted(natasha_models().ner, [texts[k] for k in live])))
            for k, doc in enumerate(batch):
                self.apply(doc, markups.get(k))
                yield doc

    def apply(self, doc: Doc, markup) -> None:
        text = doc.text
        spans: list[Span] = []
        if markup is not None:
            for s in markup.spans:
                start, stop = s.start, s.stop
                cut = text.find("\n", start, stop)
                if cut != -1:
                    stop = cut
                span = doc.char_span(start, stop, label=NER_LABELS.get(s.type, s.type), alignment_mode="expand")
                if span is not None and len(span.text.strip()) and (not spans or span.start >= spans[-1].end):
                    spans.append(span)
        doc.set_ents(spans, default="outside")


@Language.factory("kg_keys")
def make_keys(nlp: Language, name: str):
    return KeysComponent()


class KeysComponent:
    """Sets ``token.norm_`` to a context-free lemma, the key the matchers compare."""

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        array = numpy.array([strings.add(word_key(w)) for w in _words(doc)], dtype="uint64").reshape(-1, 1)
        if len(doc):
            doc.from_array([NORM], array)
        return doc


@Language.factory("gazetteer")
def make_gazetteer(nlp: Language, name: str):
    return GazetteerMatcher(nlp)


class GazetteerMatcher:
    """Marks gazetteer names (countries, places, people, organizations) and lexicon terms
    (event words, posts, document types…) by key: ``doc.spans["gazetteer"]`` carry the
    entity IRI in ``kb_id_``; ``doc.spans["lexicon"]`` carry "family:value" labels."""

    def __init__(self, nlp: Language) -> None:
        from kg.gazetteer import load_gazetteer
        from kg.lexicon import load_lexicons

        self.vocab = nlp.vocab
        self.gazetteer = PhraseMatcher(nlp.vocab, attr="NORM")
        self.lexicon = PhraseMatcher(nlp.vocab, attr="NORM")
        self._add(self.gazetteer, ((f"{label}\t{e.iri}", alias) for e in load_gazetteer().entries.values()
                                   for label, alias in e.patterns()))
        self._add(self.lexicon, ((f"{family}\t{value}", term) for family, value, term in load_lexicons().terms()))

    def _add(self, matcher: PhraseMatcher, items) -> None:
        grouped: dict[str, list[Doc]] = {}
        for label, phrase in items:
            words = phrase_words(phrase)
            if not words:
                continue
            pattern = Doc(self.vocab, words=words)
            for token in pattern:
                token.norm_ = word_key(token.text)
            grouped.setdefault(label, []).append(pattern)
        for label, patterns in grouped.items():
            matcher.add(label, patterns)

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["gazetteer"] = self._spans(doc, self.gazetteer, with_kb=True)
        doc.spans["lexicon"] = self._spans(doc, self.lexicon, with_kb=False)
        return doc

    def _spans(self, doc: Doc, matcher: PhraseMatcher, with_kb: bool) -> list[Span]:
        spans = []
        for match_id, start, end in matcher(doc):
            label, value = self.vocab.strings[match_id].split("\t", 1)
            spans.append(Span(doc, start, end, label=label, kb_id=value if with_kb else 0) if with_kb
                         else Span(doc, start, end, label=f"{label}:{value}"))
        return spans
