"""Ordered rules as data, and the small interpreter that runs them.

A table (``Rules``) is one value: a name and its rules in order. A rule is a name, a
condition (``when``), a result (``then``, a function of the same arguments) and an example —
a text on which this rule is the one that decides. The first rule whose condition holds gives
the result; a table's last rule holds always, so every case has an answer. Which rule
decided is logged at DEBUG level on this module's logger (the table and rule names in the
record's ``table`` and ``rule``); ``tests/extract/test_rules.py`` runs every rule's example
and fails when its rule no longer decides it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    name: str
    when: Callable[..., Any]
    then: Callable[..., Any]
    example: str


@dataclass(frozen=True)
class Rules:
    name: str
    rules: tuple[Rule, ...]

    def first(self, *args: Any) -> Rule:
        """The first rule whose condition holds for ``args``."""
        for rule in self.rules:
            if rule.when(*args):
                if log.isEnabledFor(logging.DEBUG):
                    log.debug("%s: %s", self.name, rule.name, extra={"table": self.name, "rule": rule.name})
                return rule
        raise LookupError(f"no rule of {self.name} holds: its last rule should hold always")

    def apply(self, *args: Any) -> Any:
        """The result of the first rule whose condition holds for ``args``."""
        return self.first(*args).then(*args)


def always(*_: Any) -> bool:
    return True


def const(value: Any) -> Callable[..., Any]:
    """A result that is the same value whatever the arguments."""
    return lambda *_: value
