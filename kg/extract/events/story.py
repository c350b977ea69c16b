"""Merging into the story: each frame starts a new event unless it refers back to one
already reported ("по итогам переговоров", "в рамках заседания", "мероприятие"), or fits the
latest compatible event (same kind, no other date or place, no new people). Frames without
an event word add people, documents and topics to the current event. Where a frame goes is
decided by the ordered rules of ``PLACEMENT``."""

from __future__ import annotations

from dataclasses import replace

from kg.extract.events.drafts import absorb, new_draft
from kg.extract.events.fitting import compatible, date_conflict, referenced, trigger_key
from kg.extract.events.frames import build_frame
from kg.extract.events.kinds import types_fit
from kg.extract.events.records import Frame, Scene, Story
from kg.extract.events.rules import Rule, Rules, always
from kg.extract.text import lemma

NEW = "new"  # a frame's target: a new event


def tell(scene: Scene) -> Story:
    """The story of the article: every sentence's frame merged into its event."""
    story = Story()
    for k, sent in enumerate(scene.ctx.sentences):
        f = build_frame(scene, k, sent, story.current_people())
        if f is not None:
            story = add_frame(scene, story, f)
    return story


def add_frame(scene: Scene, story: Story, f: Frame) -> Story:
    """The story with the frame merged into the event ``PLACEMENT`` gives (a new one, maybe)."""
    target, f = PLACEMENT.apply(scene, story, f)
    if target is None:
        return story
    drafts = story.drafts
    if target == NEW:
        drafts, target = drafts + (new_draft(scene, story, f),), len(drafts)
    drafts = drafts[:target] + (absorb(scene, story.current_draft, drafts[target], f),) + drafts[target + 1:]
    return Story(drafts, target)


# -- conditions: (scene, story, frame) → bool ----------------------------------------------

def _typed(f: Frame) -> bool:
    return f.type not in (None, "Any")


def _dated_signing(scene: Scene, story: Story, f: Frame) -> bool:
    """Documents signed on a day of their own, in a sentence with no event word."""
    current = story.current_draft
    return f.kind == "addition" and bool(f.documents) and f.date is not None and (
        f.date.kind == "same_day" or f.date.kind in ("explicit", "weekday")
        and (current is None or date_conflict(scene, current, current, f)))


def _marked_new_event(scene: Scene, story: Story, f: Frame) -> bool:
    return f.kind == "event" and (f.new_marker or f.sideline)


def _fitting_event(scene: Scene, story: Story, f: Frame) -> bool:
    return f.kind == "event" and compatible(scene, story, f) is not None


def _event(scene: Scene, story: Story, f: Frame) -> bool:
    return f.kind == "event"


def _marked_new_reference(scene: Scene, story: Story, f: Frame) -> bool:
    return f.kind == "ref" and f.new_marker and _typed(f)


def _unreported_session(scene: Scene, story: Story, f: Frame) -> bool:
    """Taking part in a named body's session ("в заседании делового совета") not told before."""
    current, main = story.current_draft, f.main
    return f.kind == "ref" and main is not None and main.joined and main.factual and _typed(f) \
        and lemma(main.head) in scene.words.session_words and (current is None or current.type != "Summit") \
        and any(c.dep_ == "nmod" and c.pos_ in ("NOUN", "PROPN") for c in main.head.children) \
        and not any(x.main is not None and trigger_key(scene, x.main) == trigger_key(scene, main)
                    for d in story.drafts for x in d.frames)


def _first_ceremony(scene: Scene, story: Story, f: Frame) -> bool:
    return f.kind == "ref" and f.type == "Any" and not story.drafts and bool(f.people) and f.main is not None \
        and f.main.factual


def _reported(scene: Scene, story: Story, f: Frame) -> bool:
    return f.kind == "ref" and referenced(scene, story, f) is not None


def _other_occasion(scene: Scene, story: Story, f: Frame) -> bool:
    """A typed reference to nothing told, with no current event, or on another day or of another kind."""
    current = story.current_draft
    return f.kind == "ref" and _typed(f) and (current is None or date_conflict(scene, current, current, f)
                                              or not types_fit(current.type, f.type) and f.date is not None)


# -- results: (scene, story, frame) → (target, frame) --------------------------------------

def _new_event(type_: str | None = None):
    def result(scene: Scene, story: Story, f: Frame) -> tuple[str, Frame]:
        return NEW, (replace(f, type=type_) if type_ else f)
    return result


def _the_compatible(scene: Scene, story: Story, f: Frame) -> tuple[int, Frame]:
    return compatible(scene, story, f), f


def _the_referenced(scene: Scene, story: Story, f: Frame) -> tuple[int, Frame]:
    return referenced(scene, story, f), f


def _the_current(scene: Scene, story: Story, f: Frame) -> tuple[int | None, Frame]:
    return story.current, f


PLACEMENT = Rules("placement of a frame", (
    Rule("documents signed on a day of their own", _dated_signing, _new_event("Signing"),
         "10 ноября в Астане министры провели переговоры. А 13 ноября в Баку было подписано Соглашение "
         "о международных автомобильных перевозках."),
    Rule("an event marked as another", _marked_new_event, _new_event(),
         "10 июня в Астане министры провели переговоры. Затем министр встретился с послом Японии."),
    Rule("an event fitting one told", _fitting_event, _the_compatible,
         "Вчера в Астане прошла встреча министров. Встреча прошла в теплой атмосфере."),
    Rule("an event not told before", _event, _new_event(),
         "Вчера в Ташкенте министры иностранных дел двух стран провели переговоры."),
    Rule("a reference marked as another event", _marked_new_reference, _new_event(),
         "10 июня в Астане министры провели переговоры. Затем они приняли участие в церемонии запуска завода."),
    Rule("a body's session taken part in", _unreported_session, _new_event(),
         "10 июня в Астане министры провели переговоры. Министры приняли участие в заседании делового совета."),
    Rule("a ceremony taken part in, nothing told before", _first_ceremony, _new_event("Other"),
         "С афганской стороны в церемонии принял участие министр торговли Нуриддин Азизи."),
    Rule("a reference to an event told", _reported, _the_referenced,
         "Вчера в Астане прошли переговоры министров. По итогам переговоров министры подписали меморандум."),
    Rule("a reference to another occasion", _other_occasion, _new_event(),
         "Напомним, 7 октября в ходе телефонного разговора президенты обсудили торговлю."),
    Rule("anything else adds to the current event", always, _the_current,
         "Вчера в Астане прошли переговоры министров. Их провели Мурат Нуртлеу и Бахтиёр Саидов."),
))
