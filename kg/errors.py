"""The one family of errors that ``kg`` raises on purpose.

Each carries a message (what went wrong) and a hint (how to fix it). The CLI turns
them into one-line messages and distinct exit codes.
"""

from __future__ import annotations


class KGError(Exception):
    """Base of every error ``kg`` raises deliberately."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(KGError):
    """An article or an input file cannot be read or makes no sense."""

    exit_code = 3


class SkippedInput(InputError):
    """Something found in a folder that is no article (a FIFO, a device, a second link to a
    file already read): passed over with a message, never counted as a failed article."""


class StoreError(KGError):
    """The RDF store cannot be opened, read or written."""

    exit_code = 4


class QueryError(KGError):
    """A SPARQL query or its parameters are invalid, or the query failed."""

    exit_code = 5


class ValidationError(KGError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 6


class ModelError(KGError):
    """The NLP models or the gazetteer data cannot be loaded."""

    exit_code = 7
