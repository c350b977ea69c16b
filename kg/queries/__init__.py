"""SPARQL as files: the analysts' library of ready queries (``*.rq``) and, under
``internal/``, the queries kg's own code runs (``internal(name)``)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def internal(name: str) -> str:
    """The text of ``kg/queries/internal/<name>.rq``: a query the code runs itself.

    Internal queries are written with full ``PREFIX`` lines (they do not go through
    ``kg.query.with_prefixes``) and take their values as bindings, never as pasted text."""
    return resources.files("kg.queries").joinpath("internal", f"{name}.rq").read_text(encoding="utf-8")
