"""Events: triggers, frames (what one sentence says about an event), and their merging.

Each sentence yields at most one *frame*: its main factual event word (the one nearest the
root of the parse) with the sentence's date, place, people, documents and topics. A frame
starts a new event unless it refers back to one already reported ("по итогам переговоров",
"в рамках заседания", "мероприятие"), or fits the latest compatible event (same kind, no
other date or place, no new people). Sentences without an event word still add the people
who took part ("Его провели…", "В переговорах принял участие…"), signed documents and topics
to the current event. Plans ("планируется визит", "пройдет саммит") are not events.

The stages, each a module of functions over frozen records (``records``):

- ``scene``: what every stage reads about the article, computed once (people finding
  gives the ``People`` record; documents; the dateline's day and city);
- ``triggers``: the event words of a sentence;
- ``frames`` (with ``places`` and ``participants``): what one sentence says;
- ``story``: merging frames into the events of the story;
- ``finish``: the final pass (dateline, the eve's place, phone calls split by side);
- ``assembly``: drafts become ``kg.model.Event`` records.
"""

from __future__ import annotations

from kg.extract.context import Context
from kg.extract.events.assembly import event
from kg.extract.events.finish import finish
from kg.extract.events.scene import read_scene
from kg.extract.events.story import tell
from kg.model import Event


def extract_events(ctx: Context) -> list[Event]:
    """The events the article of ``ctx`` reports."""
    scene = read_scene(ctx)
    return [event(scene, d) for d in finish(scene, tell(scene))]
