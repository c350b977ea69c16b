"""Organization and country names in the nominative, canonical where the gazetteer knows them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Span, Token

from kg.extract.context import Context
from kg.extract.text import nominative, strip_punct
from kg.gazetteer import ORG_KINDS, Entry
from kg.model import Country, Organization
from kg.keys import phrase_key

COUNTRY_PREFIXES = ("правительство", "президент", "кабинет")


def canonical(ctx: Context, text: str, kinds: set[str] | None = None) -> Entry | None:
    entries = ctx.gaz.lookup(phrase_key(re.findall(r"[\w-]+", text)), kinds)
    return entries[0] if entries else None


def organization(ctx: Context, tokens: Sequence[Token]) -> Organization | Country | None:
    """The organization (or country) a noun phrase names, in the nominative."""
    tokens = list(strip_punct(tokens[0].doc[tokens[0].i:tokens[-1].i + 1])) if tokens else []
    if not tokens or not any(t.is_alpha for t in tokens):
        return None
    name = nominative(tokens)
    if name and name[0].islower() and tokens[0].text[0].islower():
        name = name[0].upper() + name[1:]
    entry = canonical(ctx, name) or canonical(ctx, "".join(t.text_with_ws for t in tokens))
    if entry is not None and entry.kind == "Country":
        return Country(entry.label, entry.iri)
    if entry is not None and entry.kind in ORG_KINDS:
        return from_entry(ctx, entry)
    if entry is not None and entry.kind in ("City", "Region", "Venue", "Person"):
        return None
    return Organization(name, kind=_kind_of(ctx, name), country=_country_in(ctx, tokens))


def from_entry(ctx: Context, entry: Entry) -> Organization:
    country = ctx.gaz.country_of(entry.country) if entry.country else None
    return Organization(entry.label, aliases=entry.aliases, kind=entry.kind,
                        country=Country(country.label, country.iri) if country else None, gid=entry.iri)


GOVERNMENT_WORDS = ("правительство", "кабинет министров", "совет министров")


def _kind_of(ctx: Context, name: str) -> str:
    """Ministry, a national Government (of a country the gazetteer knows), or Organization."""
    low = name.lower()
    if low.startswith("министерство"):
        return "Ministry"
    for word in GOVERNMENT_WORDS:
        if low.startswith(word + " "):
            rest = re.findall(r"[\w-]+", name[len(word):])
            if rest and ctx.gaz.lookup(phrase_key(rest), {"Country"}):
                return "Government"
    return "Organization"


def _country_in(ctx: Context, tokens: Sequence[Token]) -> Country | None:
    for t in tokens:
        match = ctx.country_at.get(t.i)
        if match is not None:
            return Country(match.entry.label, match.entry.iri)
    return None


def country_of_entry(ctx: Context, entry: Entry | None) -> Country | None:
    found = ctx.gaz.country_of(entry.iri) if entry else None
    return Country(found.label, found.iri) if found else None


def org_span_at(ctx: Context, i: int) -> Span | None:
    for span in ctx.org_spans:
        if span.start <= i < span.end:
            return span
    return None


def is_media(ctx: Context, org: Organization) -> bool:
    if org.kind == "Media":
        return True
    entry = canonical(ctx, org.name, {"Media"})
    return entry is not None
