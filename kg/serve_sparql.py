"""What ``kg serve`` reads in a query before passing it on: a SPARQL lexer good enough to find
the ``SERVICE`` keyword (which would make the server send requests to other hosts) and the
``SELECT`` scopes where a library query's parameters are bound.

The lexer knows what can hide a keyword: string literals (all four quotings), IRIs, comments,
variables, prefixed names (with ``\\``-escapes such as ``ex:a\\#b``, which is not a comment)
and blank-node labels. Everything else is a word or a single character. Where it is unsure
it errs towards seeing a keyword: a prefixed name with a dot (``ex:a.service``, legal SPARQL)
is read as a name, a dot and a word, so such a query is refused, never let through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_TOKEN = re.compile(r"""
    (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
              |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'
              |"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n\r]*)
  | (?P<var>[?$]\w+)
  | (?P<bnode>_:(?:[\w.-]|\\.)*)
  | (?P<pname>(?:[^\W\d_][\w-]*)?:(?:[\w:%-]|\\.)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<space>\s+)
  | (?P<escape>\\.)
  | (?P<other>.)
""", re.X | re.S)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


class RefusedQuery(ValueError):
    """A query the endpoint will not run; the message says why and what to do."""


def tokens(sparql: str) -> list[Token]:
    """The query's tokens, without white space and comments."""
    out = []
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup not in ("space", "comment"):
            out.append(Token(m.lastgroup, m.group(), m.start(), m.end()))
    return out


def _decoded(sparql: str) -> str:
    """The text with ``\\u`` escapes decoded, as SPARQL 1.1 says a parser may do before parsing."""
    def char(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
    return _UNICODE_ESCAPE.sub(char, sparql)


def services(sparql: str) -> list[str | None]:
    """The targets of every ``SERVICE`` in the query: an IRI, or None when it is not written
    as a full IRI (a variable or a prefixed name). The text is read as it is and with its
    ``\\u`` escapes decoded, so an escaped keyword is found too."""
    found: list[str | None] = []
    for text in dict.fromkeys((sparql, _decoded(sparql))):
        toks = tokens(text)
        for i, tok in enumerate(toks):
            if tok.kind == "word" and tok.text.upper() == "SERVICE":
                rest = toks[i + 1:i + 3]
                if rest and rest[0].kind == "word" and rest[0].text.upper() == "SILENT":
                    rest = rest[1:]
                found.append(rest[0].text[1:-1] if rest and rest[0].kind == "iri" else None)
    return found


def check_services(sparql: str, allowed_hosts: tuple[str, ...] = ()) -> None:
    """Refuse a query with ``SERVICE`` unless each target is an http(s) IRI on an allowed host."""
    for target in services(sparql):
        if not allowed_hosts:
            raise RefusedQuery("SERVICE is refused: this endpoint does not send queries to other servers "
                               "(its operator can allow named hosts with --allow-service HOST)")
        host = urlsplit(target).hostname if target else None
        if target is None or urlsplit(target).scheme not in ("http", "https") or not host:
            raise RefusedQuery("SERVICE is allowed only with a full http(s) IRI, written <http://host/…>")
        if host.lower() not in allowed_hosts:
            raise RefusedQuery(f"SERVICE to {host} is refused; allowed hosts: {', '.join(allowed_hosts)}")


# -- parameters as VALUES, scope by scope ------------------------------------------------------

def _projection(toks: list[Token], i: int) -> tuple[set[str] | None, int]:
    """The variables a SELECT at ``toks[i]`` projects (None for ``*``) and the index of the
    ``{`` that opens its WHERE group."""
    names: set[str] = set()
    star, depth, j = False, 0, i + 1
    while j < len(toks):
        tok = toks[j]
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.text == "{" and depth == 0:
            return (None if star else names), j
        elif depth == 0 and tok.kind == "var":
            names.add(tok.text[1:])
        elif depth == 0 and tok.text == "*":
            star = True
        j += 1
    raise RefusedQuery("cannot bind parameters: a SELECT has no WHERE group")


def _values(names: list[str], bindings: dict) -> str:
    from kg.rdf import nt

    return f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(nt(bindings[n]) for n in names)}) }} "


def _opens_group(toks: list[Token], i: int, data_block: bool) -> bool:
    """Whether the ``{`` at ``toks[i]`` opens a group pattern that may start with VALUES: not
    VALUES data, not a CONSTRUCT template, not an RDF-star annotation ``{|``, not the braces
    around a sub-select (which must stand alone in them)."""
    after = toks[i + 1] if i + 1 < len(toks) else None
    if data_block or (after is not None and after.text == "|"):
        return False
    return not (after is not None and after.kind == "word" and after.text.upper() == "SELECT")


def bind_values(sparql: str, bindings: dict) -> str:
    """Bind parameters (name → rdflib term) the way Oxigraph's substitutions do, for a server
    spoken to over HTTP: as one-row ``VALUES`` data at the start of the WHERE group of each
    scope (the query, and every sub-select that projects the parameter: a sub-select sees only
    what it projects, as with Oxigraph's substitutions), and of every group inside a scope that
    names the parameter itself, so that filters in unions, optionals and sub-selects see the
    value. Groups that do not name it get nothing (each VALUES is a join the engine must plan).
    Terms are written in N-Triples syntax; nothing of the values becomes query text."""
    if not bindings:
        return sparql
    toks = tokens(sparql)
    inserts: dict[int, list[str]] = {}
    scopes: list[tuple[int, list[str]]] = [(-1, list(bindings))]  # (depth where it closes, names)
    pending: dict[int, list[str]] = {}  # brace index → names of the SELECT whose WHERE it opens
    braces: list[tuple[int, bool, set[str]] | None] = []  # open groups: (insert at, scope root, names used)
    depth, data_next = 0, False
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "word" else ""
        if word == "SELECT":
            projected, brace = _projection(toks, i)
            pending[brace] = [n for n in scopes[-1][1] if projected is None or n in projected]
        elif word in ("VALUES", "CONSTRUCT"):
            data_next = True
        elif tok.kind == "var" and braces and braces[-1] is not None:
            braces[-1][2].add(tok.text[1:])
        elif tok.text == "{":
            root = i in pending or (depth == 0 and not data_next and not any(b is not None for b in braces))
            if i in pending:
                scopes.append((depth, pending.pop(i)))
            braces.append((tok.end, root, set()) if _opens_group(toks, i, data_next) else None)
            data_next = False
            depth += 1
        elif tok.text == "}" and braces:
            depth -= 1
            group = braces.pop()
            if group is not None:
                at, root, used = group
                names = [n for n in scopes[-1][1] if root or n in used]
                if names:
                    inserts[at] = names
            while len(scopes) > 1 and scopes[-1][0] == depth:
                scopes.pop()
    out, last = [], 0
    for at in sorted(inserts):
        out += [sparql[last:at], _values(inserts[at], bindings)]
        last = at
    return "".join(out) + sparql[last:]
