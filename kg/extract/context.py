"""One article under extraction: its Doc, the gazetteer and lexicon matches indexed by token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.gazetteer import ORG_KINDS, Entry, Gazetteer, load_gazetteer
from kg.lexicon import Lexicons, Post, load_lexicons
from kg.model import Article
from kg.read import dateline_end


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    label: str
    value: str
    entry: Entry | None = None


class Context:
    def __init__(self, article: Article, doc: Doc, gazetteer: Gazetteer | None = None,
                 lexicons: Lexicons | None = None) -> None:
        self.article = article
        self.doc = doc
        self.gaz = gazetteer or load_gazetteer()
        self.lex = lexicons or load_lexicons()
        self.published: date | None = article.date
        self.dateline_tokens = self._dateline_tokens()

    def _dateline_tokens(self) -> set[int]:
        end = dateline_end(self.doc.text)
        if not end:
            return set()
        span = self.doc.char_span(0, end, alignment_mode="expand")
        return set(range(span.start, span.end)) if span is not None else set()

    # -- lexicon matches ----------------------------------------------------------------

    def _lexicon(self, family: str) -> list[Match]:
        spans = [s for s in self.doc.spans.get("lexicon", []) if s.label_.startswith(family + ":")]
        return [Match(s.start, s.end, family, s.label_.split(":", 1)[1]) for s in filter_spans(spans)]

    @cached_property
    def events(self) -> list[Match]:
        return self._lexicon("event")

    @cached_property
    def posts(self) -> list[Match]:
        return self._lexicon("post")

    def post(self, match: Match) -> Post:
        return self.lex.posts[match.value]

    @cached_property
    def documents(self) -> list[Match]:
        return self._lexicon("doc")

    @cached_property
    def refs(self) -> list[Match]:
        return self._lexicon("ref")

    # -- gazetteer matches --------------------------------------------------------------

    @cached_property
    def gazetteer_matches(self) -> list[Match]:
        spans = filter_spans(list(self.doc.spans.get("gazetteer", [])))
        out = []
        for s in spans:
            entry = self.gaz.get(s.kb_id_)
            if entry is not None:
                out.append(Match(s.start, s.end, s.label_, entry.iri, entry))
        return out

    @cached_property
    def country_at(self) -> dict[int, Match]:
        """Token index → country mention (a name, abbreviation or adjective)."""
        index = {}
        for m in self.gazetteer_matches:
            if m.label in ("Country", "CountryAdj"):
                for i in range(m.start, m.end):
                    index[i] = m
        return index

    @cached_property
    def place_at(self) -> dict[int, Match]:
        index = {}
        for m in self.gazetteer_matches:
            if m.label in ("City", "Region", "Venue", "Country"):
                for i in range(m.start, m.end):
                    index[i] = m
        return index

    @cached_property
    def gazetteer_org_at(self) -> dict[int, Match]:
        index = {}
        for m in self.gazetteer_matches:
            if m.label in ORG_KINDS:
                for i in range(m.start, m.end):
                    index[i] = m
        return index

    def ents(self, label: str) -> list[Span]:
        return [e for e in self.doc.ents if e.label_ == label]

    @cached_property
    def org_spans(self) -> list[Span]:
        """Organization names: NER ORG spans and gazetteer organizations, longest first."""
        spans = self.ents("ORG") + [self.doc[m.start:m.end] for m in self.gazetteer_matches if m.label in ORG_KINDS]
        return filter_spans(spans)

    @cached_property
    def org_token_ids(self) -> set[int]:
        return {i for s in self.org_spans for i in range(s.start, s.end)}

    @cached_property
    def quoted(self) -> set[int]:
        """Tokens inside quotation marks, over the whole article."""
        from kg.extract.text import quoted_token_ids

        return {i for sent in self.sentences for i in quoted_token_ids(sent)}

    @cached_property
    def speech(self) -> set[int]:
        """Tokens of direct speech (long quoted stretches)."""
        from kg.extract.text import speech_token_ids

        return {i for sent in self.sentences for i in speech_token_ids(sent)}

    @cached_property
    def sentences(self) -> list[Span]:
        return [s for s in self.doc.sents if not all(t.is_space or t.is_punct for t in s)]

    def sentence_index(self, token_i: int) -> int:
        return self._sent_of[token_i]

    @cached_property
    def _sent_of(self) -> dict[int, int]:
        return {t.i: k for k, s in enumerate(self.sentences) for t in s}
