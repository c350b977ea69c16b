"""Event types as the stages weigh them: which is the stronger, which may be told as one."""

from __future__ import annotations

TYPE_PRIORITY = ["Signing", "CulturalEvent", "Summit", "PhoneCall", "Meeting", "Visit", "Other", "Any"]
COMPATIBLE = {("Meeting", "Visit"), ("Visit", "Meeting")}


def types_fit(a: str | None, b: str | None) -> bool:
    """Whether events of these types may be one event ("Any" fits every type)."""
    if a in (None, "Any") or b in (None, "Any"):
        return True
    return a == b or (a, b) in COMPATIBLE


def rank(kind: str | None) -> int:
    """The type's place in ``TYPE_PRIORITY`` (lower is stronger)."""
    return TYPE_PRIORITY.index(kind) if kind in TYPE_PRIORITY else len(TYPE_PRIORITY)
