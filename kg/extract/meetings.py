"""Meetings, visits, forums, summits and calls that an article reports or announces.

A meeting needs a trigger tied to what people do — "had talks with", "received", "co-chaired",
"paid a visit to", "attended the ... forum", "on the sidelines of the ...", "the attendance of
X at ..." — and at least one named person in the same sentence. Its date is the sentence's
date (relative dates read against the publication date), its place the city (else the
country) the sentence puts it in, or the article's dateline. Mentions of one event across
sentences (the talks in the body and the caption "receiving ... in Hanoi") are merged.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kg.extract.persons import post_pattern
from kg.ingest.dates import DateMention, find_dates
from kg.ingest.reference import HOME_STATE, Reference
from kg.model import Article, EntityMention, Meeting, MeetingStatus, NewEntity, PartialDate, Person, PostHolding, Sentence, Span

EVENT_HEADS = {"forum": "forum", "summit": "summit", "conference": "conference",
               "conferences": "conference", "ceremony": "ceremony", "funeral": "ceremony",
               "celebration": "ceremony", "meeting": "talks", "dialogue": "forum",
               "session": "committee", "reception": "reception", "seminar": "conference",
               "workshop": "conference", "symposium": "conference"}
HEAD = "|".join(sorted(EVENT_HEADS, key=len, reverse=True))
EVENT_PHRASE = rf"(?P<event>(?:[\w’'&()-]+,?\s+){{0,14}}?(?P<head>{HEAD})\b(?:\s+(?:of|on|for)\s+(?:the\s+)?(?:[A-Z0-9][\w’'-]*\s*(?:and\s+|of\s+the\s+|of\s+|for\s+)?)+(?:\([A-Z0-9]+\))?)?)"
GROUPS = r"(?:enterprises|businesses|investors|firms|companies|business|representatives|executives|students|community|delegates|scholars|intellectuals|workers)"
FUTURE = re.compile(r"\b(?:will|to be held|scheduled\s+to|is scheduled|are scheduled|is set to|are set to|slated|"
                    r"expected\s+to|plans?\s+to|upcoming|next week|next month|is to)\b", re.I)
# "X invited Y to visit Japan" is no meeting yet; "At the invitation of X, Y will pay a visit
# to ..." is one (announced).
INVITE = re.compile(r"(?<!\bat the )(?<!\bupon the )(?<!\bon the )\binvit\w*\b[^.;]*$", re.I)
REPORTING = re.compile(r"^\W*(?:\w+\s+){0,2}?(?:said|says|stated|noted|added|affirmed|stressed|"
                       r"emphasi[sz]ed|underlined|underscored|told|announced|expected|hoped|believed)\b")
# What may follow a description of a person ("the PM", "the Japanese leader"): not a name
# ("the PM Quach ...", named anyway), nor a possessive of someone else ("the Japanese prime
# minister's special envoy"); a possessive of a visit is theirs ("the leader's state visit").
DESCRIPTION_END = r"(?:['’]s\s+(?=(?:\w+\s+)?(?:visit|trip|tour)\b)|(?!['’])\b(?!\s+[A-Z]))"
LEADER_NOUN = re.compile(r"\s+(?:top\s+)?leader" + DESCRIPTION_END)
POST_END = re.compile(DESCRIPTION_END)
PRONOUN = re.compile(r"^\W*(?:He|She)\s+(?:also\s+|later\s+|then\s+)?(?:(?:said|says|told\s+\w+|added|noted)\s+"
                     r"(?=(?:before|after|while|when|during)\b)|(?!said|says|told|added|noted)[a-z])")
REPORTER = re.compile(r"\s+(?:told|said|says|announced)\b")
_NAME = r"(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*"
# Legs of a journey: "a four-day tour of Vietnam and the Philippines", "his trip, also covering
# Thailand, Italy and Britain", "before heading for Indonesia", "arrived in Hanoi".
LEGS = re.compile(r"\b(?:(?:tours?|trips?|visits?|travels?|journeys?)\s+(?:of|to)|visit(?:ed|ing|s)?(?=\s+[A-Z])|covering|(?:heading|headed|head|leaving|leave|"
                  r"left|departing|departed|depart|bound|moving\s+on|proceeding|proceeded)\s+(?:for|to)|"
                  r"(?:arrived|arrives|arriving|arrive)\s+in)\s+"
                  rf"(?P<dest>{_NAME}(?:(?:,\s*(?!the\b)|,?\s+and\s+){_NAME})*)")
HELD_AT = re.compile(r"^\W*(?:The|Their|This)\s+(?:[\w-]+\s+){0,2}?(?:meeting|talks|ceremony|event|reception|dialogue|session)\s+"
                     r"(?:was|were|is|are|will\s+be)\s+(?:held|organi[sz]ed|taking\s+place|took\s+place)\b")
# "looks forward to visiting Vietnam", "hopes to meet": a wish, not an event
HOPE = re.compile(r"\b(?:look(?:s|ed|ing)?\s+forward\s+to|hop(?:e|es|ed|ing)\s+to|wish(?:es|ed)?\s+to|would\s+like\s+to|"
                  r"eager\s+to|keen\s+to)\s+$", re.I)
LED_BY = re.compile(r"\bdelegation\b[^.;]{0,40}?\bled\s+by\b")
# "The Embassy held a get-together on September 1 ...", then "Speaking at the event, Ambassador X ..."
EVENT_HELD = re.compile(r"\b(?:held|hosted|organi[sz]ed|threw)\s+(?:a|an|the|its)\s+(?:[\w’'-]+\s+){0,6}?"
                        r"(?P<head>ceremony|get-together|workshop|seminar|forum|conference|celebration|festival|Day|"
                        r"event|gala|concert|exhibition)\b")
AT_EVENT = re.compile(r"\b(?:[Ss]peaking\s+at|[Aa]ddressing|[Aa]t|[Dd]uring|said\s+at)\s+(?:the|a)\s+"
                      r"(?P<head>event|ceremony|workshop|seminar|forum|conference|get-together|celebration|gala|"
                      r"concert|session)\b(?!\s+(?:of|on)\s+the\s+[A-Z])")
# "condolences for the passing of Party General Secretary X": X takes part in nothing
MOURNED = re.compile(r"\b(?:passing|death|demise|memory|funeral)\s+of\s+(?:[\w’'.-]+\s+){0,5}$")
SAME_DAY = re.compile(r"\b(?:on\s+the\s+(?:same\s+)?day|the\s+same\s+day|that\s+day)\b", re.I)
TWO = re.compile(r"\b(?:(?:the two|both)\s+(?:ministers|leaders|PMs|prime ministers|presidents|officials|sides|FMs|heads)|"
                 r"the\s+couple)\b", re.I)


@dataclass(frozen=True)
class Trigger:
    kind: str
    span: tuple[int, int]  # within the sentence
    place_hint: tuple[int, int] | None = None  # where a visit goes
    label: str | None = None
    who: tuple[int, int] | None = None  # only the persons inside this stretch take part
    joins: bool = False  # "Also present at the talks was X": X joins the talks just reported
    guest: bool = False  # a person (after at most a title) must follow, as after "received"
    prev: bool = False  # "at their meeting": the pair may be named in the sentence before
    visitor: tuple[int, int] | None = None  # "X, who is on a visit to ...": only X travels
    legs: bool = False  # "a tour of Vietnam and the Philippines": one visit per place named
    held_event: bool = False  # "Speaking at the event, X": the event an earlier sentence says was held


# Every trigger below holds one of these stems: a sentence with none of them has no trigger
# (plain substring tests, far cheaper than running every pattern).
TRIGGER_STEMS = ("visit", "trip", "tour", "talk", "meet", "met", "receiv", "host", "welcom", "courtesy", "chair",
                 "attend", "address", "spoke", "speaking", "particip", "part in", "sideline", "summit", "forum",
                 "conference", "dialogue", "week", "witness", "phone", "call", "conversation", "dinner", "lunch",
                 "banquet", "reception", "session", "sign", "inked", "travel", "head", "leav", "left", "depart",
                 "arriv", "covering", "bound", "moving", "proceed", "exchanged", "conferred", "presence", "ceremony",
                 "funeral", "celebration", "seminar", "workshop", "symposium", "event", "get-together", "gala",
                 "concert", "was in", "were in", "is in", "are in", "been in")


def _triggers(text: str) -> list[Trigger]:
    """Every meeting trigger of one sentence."""
    low = text.lower()
    if not any(stem in low for stem in TRIGGER_STEMS):
        return []
    found = _visit_triggers(text) + _talks_triggers(text) + _host_triggers(text) + _event_triggers(text)
    return [t for t in found if not INVITE.search(text[:t.span[0]])
            and not HOPE.search(text, max(0, t.span[0] - 60), t.span[0])]


def _visit_triggers(text: str) -> list[Trigger]:
    """Visits, journeys and their legs."""
    found: list[Trigger] = []
    for m in re.finditer(r"\b(?:visit|trip|tour)\s+to\s+(?P<dest>(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*|the\s+[\w\s-]+?country)", text):
        found.append(Trigger("visit", m.span(), m.span("dest")))
    for m in re.finditer(r"\b(?:was|were|is|are|has\s+been|have\s+been)\s+in\s+(?P<dest>(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)"
                         r"\s+(?:for|to\s+attend)\b", text):
        found.append(Trigger("visit", m.span(), m.span("dest")))  # "The delegation was in Vietnam for a defence exchange"
    for m in LEGS.finditer(text):
        if re.search(r"\breturn(?:ed|ing|s)?\s+(?:home\s+)?from\s+(?:[\w-]+\s+){0,3}$", text[max(0, m.start() - 60):m.start()]):
            continue  # "had just returned from working trips to X": a journey told in passing, not reported
        found.append(Trigger("visit", m.span(), m.span("dest"), legs=True))
    for m in re.finditer(r"\b(?:will\s+)?visit(?:s|ed|ing)?\s+(?P<dest>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)", text):
        found.append(Trigger("visit", m.span(), m.span("dest")))
    for m in re.finditer(r"^\W*(?:The|This|His|Her|Their)\s+(?:[\w-]+\s+){0,2}?(?:visit|trip|tour)\s+(?:[\w-]+\s+){0,4}?"
                         r"(?:at\s+the\s+invitation\s+of|hosted\s+by|upon\s+the\s+invitation\s+of)\b", text):
        found.append(Trigger("visit", m.span(), joins=True))  # "The visit is made at the invitation of X"
    for m in re.finditer(r"\b(?:kick(?:ing|ed|s)?\s+off|begin(?:ning|s)?|began|start(?:ing|ed|s)?|wrap(?:ping|ped|s)?\s+up|"
                         r"conclud(?:ing|ed|es)|paying|pays|paid|making|made|makes)\s+(?:a|an|his|her|their)\s+"
                         r"(?:[\w-]+\s+){0,2}?(?:state|official|working)\s+visit\b(?!\s+to\b)", text):
        found.append(Trigger("visit", m.span()))  # "kicking off a three-day state visit"
    return found


def _talks_triggers(text: str) -> list[Trigger]:
    """Talks, meetings and calls."""
    found: list[Trigger] = []
    for m in re.finditer(r"\b(?:had|held|hold|holds|holding|have|has)\s+(?:a\s+|an\s+|the\s+|their\s+)?"
                         r"(?:(?:bilateral|official|working|separate|private|brief|courtesy|first|second)\s+){0,2}"
                         r"(?P<noun>talks|meeting|phone\s+(?:call|talks|conversation)|telephone\s+(?:call|talks|conversation)|"
                         r"video\s+(?:call|conference)|online\s+(?:talks|meeting)|call|conversation|"
                         r"working\s+session)\b", text, re.I):
        noun = m.group("noun").lower()
        found.append(Trigger("call" if re.search(r"phone|call|video|online|conversation", noun) else "talks", m.span()))
    for m in re.finditer(r"\b(?:met|meet|meets|meeting)\s+with\s+(?P<obj>[\w’'-]+(?:\s+[\w’'-]+)?)", text, re.I):
        kind = "conference" if re.search(GROUPS, m.group("obj"), re.I) else "talks"
        found.append(Trigger(kind, m.span()))
    for m in re.finditer(r"\bmet\s+(?=(?:his|her|the\s+[A-Z]|[A-Z]))", text):
        found.append(Trigger("talks", m.span()))
    for m in re.finditer(r"\bmeet\s+(?=[A-Z])", text):  # "is scheduled ... to meet Party General Secretary X"
        found.append(Trigger("talks", m.span(), guest=True))
    for m in re.finditer(r"\b(?:met|meet|meets)\s+(?=(?:in|on|at|for\s+about|briefly)\s)", text):
        found.append(Trigger("talks", m.span(), prev=True))  # "The two leaders met in Kuala Lumpur"
    for m in re.finditer(r"\b(?:at|during|in)\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?P<noun>reception|dinner|luncheon|banquet|working\s+session)\b", text, re.I):
        noun = m.group("noun").lower()
        found.append(Trigger("talks" if noun == "working session" else "reception", m.span(), prev=noun == "working session"))
    for m in re.finditer(r"\b(?P<medium>phone|telephone|online|video)?\s*(?:talks|call|conversation|meeting|working\s+session)s?\s+"
                         r"(?:(?:will\s+be|was|were|is|are)\s+(?:held\s+)?)?between\b", text, re.I):
        found.append(Trigger("call" if m.group("medium") else "talks", m.span()))
    for m in re.finditer(r"\bfor\s+(?:talks|a\s+meeting|meetings|a\s+summit(?:\s+meeting)?)\s+with\b", text):
        found.append(Trigger("talks", m.span()))  # "will visit Japan later this month for talks with X"
    for m in re.finditer(r"\b(?:during|in|at)\s+talks\b", text, re.I):
        found.append(Trigger("talks", m.span()))
    for m in re.finditer(r"\b(?:at|in|during)\s+(?:the|their)\s+(?:bilateral\s+)?talks\b", text, re.I):
        joins = bool(re.search(r"\bpresent\s+$", text[:m.start()], re.I))
        found.append(Trigger("talks", m.span(), joins=joins, prev=not joins and m.group(0).lower().endswith("their talks")))
    for m in re.finditer(r"\b(?:at|during|after|in)\s+(?:their|a|an)\s+(?:(?:bilateral|summit|official|\d+-minute|first|separate)\s+)?"
                         r"(?:meeting|summit\s+meeting)\b", text, re.I):
        found.append(Trigger("talks", m.span(), prev="their" in m.group(0).lower()))
    for m in re.finditer(r"\b(?:exchanged\s+views|spoke|talked|conferred)\s+(?:with\s+[^.;]{0,80}?\s+)?"
                         r"(?:by|over\s+the|on\s+the)\s+(?:phone|telephone)\b", text, re.I):
        found.append(Trigger("call", m.span()))
    for m in re.finditer(r"\b(?:met|meet|meets|meeting)\s+for\s+(?:the\s+first\s+time\s+)?talks\b|"
                         r"\bhad\s+met\s+for\s+talks\b", text):
        found.append(Trigger("talks", m.span()))
    for m in re.finditer(r"\b(?:in|during)\s+(?:a|an|the|their)\s+(?:phone|telephone|video|online)\s+"
                         r"(?:call|talks?|conversation|conference)\b", text, re.I):
        found.append(Trigger("call", m.span()))
    return found


def _host_triggers(text: str) -> list[Trigger]:
    """Receptions, courtesy calls, welcomes and ceremonies."""
    found: list[Trigger] = []
    for m in re.finditer(r"\b(?:received|receives|receiving|hosted|hosts|hosting|welcomed|welcomes|(?<=will\s)host)\b", text):
        found.append(Trigger("reception", m.span(), who=None))
    for m in re.finditer(r"\b(?:paid|pays|paying|pay)\s+a\s+courtesy\s+(?:call|visit)\s+(?:on|to)\b", text):
        found.append(Trigger("reception", m.span(), guest=True))  # the guest calls on the host
    for m in re.finditer(r"\bwitness(?:ed|es|ing)?\s+the\s+(?:signing|exchange|handover)\s+of\b", text):
        found.append(Trigger("ceremony", m.span()))
    for m in re.finditer(r"\b(?:signed|inked)\s+by\b", text):
        found.append(Trigger("ceremony", m.span()))
    for m in re.finditer(r"\b(?:dinner|luncheon|lunch|banquet|reception)\s+hosted\s+by\b", text):
        found.append(Trigger("reception", m.span()))
    for m in re.finditer(r"\b(?:hosted|hosts|hosting|held|gave|gives|threw)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?"
                         r"(?P<noun>reception|dinner|luncheon|lunch|banquet)\b(?=[^.;]*?\bfor\b)", text):
        found.append(Trigger("reception", m.span(), guest=True))
    return found


def _event_triggers(text: str) -> list[Trigger]:
    """Named events: summits, forums, conferences, committee sessions."""
    found: list[Trigger] = []
    for m in re.finditer(r"\bco-?chair(?:ed|s|ing)?\s+(?:the\s+)?(?P<event>(?:\d+\w*\s+)?(?:meeting|session)\s+of\s+the\s+(?:[A-Z][\w’'-]*\s*)+)", text):
        found.append(Trigger("committee", m.span(), label=m.group("event").strip()))
    for m in re.finditer(r"(?P<event>(?:\d+\w*\s+)?(?:meeting|session)\s+of\s+the\s+(?:[A-Z][\w’'-]*\s*)+?)\s*co-?chaired\s+by\b", text):
        found.append(Trigger("committee", m.span(), label=m.group("event").strip()))
    for m in re.finditer(rf"\b(?:attend(?:ed|s|ing)?|addressed|addresses|addressing|spoke\s+at|speaking\s+at|"
                         rf"participated\s+in|participating\s+in|took\s+part\s+in)\s+(?:the\s+|a\s+|an\s+)?{EVENT_PHRASE}", text, re.I):
        kind = EVENT_HEADS[m.group("head").lower()]
        if kind == "talks":
            continue  # "spoke at the meeting": the meeting itself is found by its own trigger
        found.append(Trigger(kind, m.span(), label=_proper(m.group("event"))))
    for m in re.finditer(r"\b(?:on\s+the\s+sidelines\s+of|for|at|during|to\s+attend)\s+the\s+(?P<event>(?:\d+\w*\s+)?[A-Z][\w’'-]*(?:\s+(?:[A-Z0-9][\w’'+-]*|of|the|for|and|on))*?\s+(?P<head>[Ss]ummit|Forum|Conferences?|Dialogue|Leaders['’]\s+Week)\b(?:\s+of\s+the\s+(?:[A-Z0-9][\w’'-]*\s*(?:and\s+|of\s+)?)+)?(?:\s*\([A-Z0-9]+\))?)", text):
        # "the APEC Economic Leaders' Week" is the APEC summit
        kind = "summit" if m.group("head").endswith("Week") else EVENT_HEADS[m.group("head").lower()]
        found.append(Trigger(kind, m.span(), label=_proper(m.group("event"))))
    for m in re.finditer(r"\bon\s+the\s+sidelines\s+of\s+(?:a|the)\s+(?:series\s+of\s+)?(?:[\w-]+\s+){0,3}?summits?\b(?!\s+[A-Z])", text):
        found.append(Trigger("summit", m.span()))  # "on the sidelines of a series of summits related to ASEAN"
    for m in AT_EVENT.finditer(text):
        head = m.group("head").lower()
        kind = "conference" if head == "session" else EVENT_HEADS.get(head, "ceremony")
        found.append(Trigger(kind, m.span(), held_event=True))
    for m in re.finditer(rf"\b(?:attendance|presence|participation)\s+of\s+(?P<who>.+?)\s+(?:at|in)\s+{EVENT_PHRASE}", text):
        found.append(Trigger(EVENT_HEADS[m.group("head").lower()], m.span(), who=m.span("who")))
    for m in re.finditer(r"\b(?:under\s+the\s+(?:co-?)?chair(?:manship)?\s+of|co-?chaired\s+by)\b", text):
        found.append(Trigger("committee", m.span()))
    for m in re.finditer(r"\bco-?chair(?:ed|s|ing)?\s+(?:the\s+)?(?P<event>(?:[\w’'-]+\s+){0,8}?(?:Dialogue|Committee|Commission|Council|Meeting|meeting|dialogue|session))\b", text):
        found.append(Trigger("committee", m.span(), label=_proper(m.group("event"))))
    return found


def _proper(event: str) -> str | None:
    """An event's own name, when the text capitalises it."""
    event = re.sub(r"(?:\s+(?:and|of|the|for|on))+$", "", event.strip())
    return event if event[:1].isupper() else None


@dataclass
class _Draft:
    meeting: Meeting
    explicit_date: bool


def find_meetings(article: Article, mentions: list[EntityMention], persons: list[Person],
                  reference: Reference, dateline_place: str | None = None,
                  holdings: Sequence[PostHolding] = (), new_places: Sequence[NewEntity] = ()) -> list[Meeting]:
    """Every meeting of the article with a named participant, merged across sentences;
    ``new_places`` are the places found outside the reference data (their states)."""
    place_states = {key: place.state for key, place in reference.places.items() if place.state}
    place_states.update({p.key: p.country for p in new_places if p.country})

    state_of = {p.key: p.state for p in persons}
    posts = post_pattern(reference)
    demonyms = {d.casefold() for state in reference.states.values() for d in state.demonyms}
    drafts: list[_Draft] = []
    previous_people: list[EntityMention] = []
    last_pair_people: list[EntityMention] = []
    held_at: tuple = (None, None)  # date and place of the last event a sentence says was held
    previous_dates: Sequence = ()
    for sentence in article.sentences:
        text, base = sentence.span.text, sentence.span.start
        held_at = _follow_up(article, sentence, mentions, drafts, place_states, state_of) or held_at
        triggers = _triggers(text)
        if len({m.key for m in previous_people}) >= 2:
            last_pair_people = previous_people  # "X and Y agreed ...", then "The two leaders met in ..."
        if not triggers:
            previous_people = [m for m in mentions if m.kind == "person" and m.sentence == sentence.index]
            previous_dates = _LazyDates(article, sentence)
            continue
        places = [m for m in mentions if m.kind in ("place", "state") and m.sentence == sentence.index]
        earlier = [m for m in mentions if m.kind == "person" and m.sentence < sentence.index]
        people = sorted([m for m in mentions if m.kind == "person" and m.sentence == sentence.index]
                        + _described_leaders(article, sentence.index, places, earlier, state_of)
                        + _described_holders(article, sentence.index, earlier, holdings, state_of, posts),
                        key=lambda m: m.span.start)
        dates: Sequence = _sentence_dates(article, sentence)
        same_day = None
        said_same = SAME_DAY.search(text)
        if said_same and dates and drafts:  # "On the same day, X paid a courtesy call on Y, who ... next year"
            same_day = next((d.meeting.date for d in reversed(drafts) if d.meeting.date
                             and d.meeting.kind != "visit"), None)
        if not dates and said_same:
            # "Later the same day, X hosted ...": the day of the event just reported; "finalized
            # the deal at a meeting in Hanoi on the day": the day the sentence before gives
            same_day = next((d.meeting.date for d in reversed(drafts) if d.meeting.date
                             and d.meeting.kind != "visit"), None)
            dates = [] if drafts else previous_dates
        status: MeetingStatus = "announced" if FUTURE.search(text) else "held"
        ordered = sorted(dict.fromkeys(triggers), key=lambda t: t.span)  # no set: ties keep the text order
        for n, trig in enumerate(ordered):
            found_who = _participants(text, base, people, ordered, n)
            if found_who is None:
                continue  # "received" a guest, not "received 500 trainees"
            who = found_who
            keys = tuple(sorted({m.key for m in who}))
            borrowed = False
            if trig.prev and len(keys) < 2 and previous_people:
                keys = tuple(sorted(set(keys) | {m.key for m in previous_people}))
                borrowed = len({m.key for m in previous_people}) >= 2  # the pair, and its date
            if PRONOUN.match(text) and not any(m.span.end - base <= trig.span[0] for m in who) and previous_people:
                keys = tuple(sorted(set(keys) | {previous_people[0].key}))  # "He also met with X"
            if trig.joins:
                _join_last(drafts, keys, state_of, trig.kind)
                continue
            event = next((d for d in reversed(drafts) if d.meeting.kind not in ("visit", "call")), None)
            if trig.held_event and event is not None and set(keys) & set(event.meeting.participants):
                event.meeting = replace(event.meeting, participants=tuple(sorted(set(event.meeting.participants)
                                                                                  | set(keys))))
                continue  # "X speaks at the conference": the event just reported
            if (not keys or trig.kind != "visit") and len(keys) < 2 and TWO.search(text):
                pair = {m.key for m in previous_people} if len(previous_people) >= 2 else \
                    set(_last_pair(drafts)) or {m.key for m in last_pair_people}
                keys = tuple(sorted(set(keys) | pair)) if pair else keys
            if not keys:
                continue
            if trig.legs:
                stops = [m for m in places if m.span.text.casefold() not in demonyms]
                drafts.extend(_legs(sentence, trig, stops, keys, state_of, status,
                                    _nearest_date(dates, base + trig.span[0], article.text)))
                continue
            date = _nearest_date(dates, base + trig.span[0], article.text)
            if trig.held_event and held_at[0] is not None:
                date = held_at[0]  # the day the event was held, not a figure's year in the speech
            if same_day is not None and (date is None or (said_same and said_same.start() < trig.span[0])):
                date = (same_day, None)
            if date is None and borrowed:
                date = _nearest_date(previous_dates, base)
            if date is not None and status == "announced" and article.published is not None:
                date = _forward(date, article.published)
            place = _place(trig, places, base, place_states, text) or (held_at[1] if trig.held_event else None)
            span = Span(base + trig.span[0], base + trig.span[1], text[trig.span[0]:trig.span[1]])
            meeting = Meeting(
                kind=trig.kind, participants=keys,
                states=tuple(sorted({state for k in keys if (state := state_of.get(k))})),
                status=status, evidence=span, date=date[0] if date else None,
                end_date=date[1] if date else None, place=place, label=trig.label)
            drafts.append(_Draft(meeting, bool(date and not date[0].inferred)))
        previous_people = [m for m in people if m.sentence == sentence.index]
        previous_dates = dates
    merged = _merge(drafts, place_states)
    merged = _within_visits(merged)
    if dateline_place:
        key = _place_key(dateline_place, reference)
        merged = [replace(m, place=key) if m.place is None and key and m.kind not in ("visit", "call") and m.status == "held"
                  else m for m in merged]
    return sorted(merged, key=lambda m: m.evidence.start)


class _LazyDates(Sequence):
    """A sentence's dates, found only if a later sentence needs them (few do)."""

    def __init__(self, article: Article, sentence: Sentence) -> None:
        self._article, self._sentence = article, sentence
        self._dates: list | None = None

    def _get(self) -> list:
        if self._dates is None:
            self._dates = _sentence_dates(self._article, self._sentence)
        return self._dates

    def __getitem__(self, index):
        return self._get()[index]

    def __len__(self) -> int:
        return len(self._get())


def _forward(date: tuple[PartialDate, PartialDate | None],
             published: PartialDate) -> tuple[PartialDate, PartialDate | None]:
    """An announced event is not in the past: "will visit ... starting Nov 27" in an article
    of November 19 is this year's 27th, not last year's, as a year-less past date would be."""
    start, end = date
    year = int(published.iso[:4])
    if start.inferred and start.iso[:4] == str(year - 1) and len(start.iso) >= 7 \
            and f"{year}{start.iso[4:]}" >= published.iso[:len(start.iso)]:
        start = replace(start, iso=f"{year}{start.iso[4:]}")
        if end is not None and end.iso[:4] == str(year - 1):
            end = replace(end, iso=f"{year}{end.iso[4:]}")
    return start, end


def _follow_up(article: Article, sentence: Sentence, mentions: list[EntityMention], drafts: list[_Draft],
               place_states: dict[str, str], state_of: dict[str, str | None]) -> tuple | None:
    """What a sentence adds to the meetings before it: "The meeting was held at a hotel in X"
    places the last one; "The delegation, led by Y" names the guest of a reception for "a
    delegation". Returns the date and place of an event the sentence says was held, if any."""
    text, base = sentence.span.text, sentence.span.start
    here = [m for m in mentions if m.kind in ("place", "state") and m.sentence == sentence.index]
    if drafts and drafts[-1].meeting.place is None and HELD_AT.match(text):
        last = drafts[-1]
        found_place = _place(Trigger(last.meeting.kind, (0, 0)), here, base, place_states, text) \
            or next((m.key for m in here if m.kind == "place"), None)
        if found_place:
            last.meeting = replace(last.meeting, place=found_place)
    led = LED_BY.search(text)
    if led and drafts and len(drafts[-1].meeting.participants) == 1 \
            and "delegation" in article.text[drafts[-1].meeting.evidence.start:base].lower():
        heads = [m for m in mentions if m.kind == "person" and m.sentence == sentence.index
                 and m.span.start - base >= led.end()]
        if heads:
            _join_last(drafts, (heads[0].key,), state_of, drafts[-1].meeting.kind)
    held = EVENT_HELD.search(text)
    if not held:
        return None
    return (_nearest_date(_sentence_dates(article, sentence), base + held.start()),
            _place(Trigger("ceremony", held.span()), here, base, place_states, text))


def _participants(text: str, base: int, people: list[EntityMention], ordered: list[Trigger],
                  n: int) -> list[EntityMention] | None:
    """The persons of one trigger: its own subjects and objects, not those who only report it,
    the traveller of a visit; None when a reception's object is no person."""
    trig = ordered[n]
    who = [m for m in people if (trig.who is None or trig.who[0] <= m.span.start - base < trig.who[1])
           and not MOURNED.search(text, max(0, m.span.start - base - 60), m.span.start - base)]
    traveller = _traveller(text, base, who, trig) if trig.kind == "visit" else None
    who = [traveller] if traveller else _own_objects(who, ordered, n, base, text)
    who = [m for m in who if not _only_reports(text, m.span.end - base, trig.span[0])
           and not (m.span.start - base > trig.span[1] and not trig.held_event
                    and REPORTER.match(text, m.span.end - base))]
    if (trig.kind == "reception" or trig.guest) and not _guest_follows(
            text, trig.span[1], [m.span.start - base for m in who]):
        return None
    if trig.visitor is not None:
        return [m for m in who if trig.visitor[0] <= m.span.start - base < trig.visitor[1]] or who
    if trig.kind == "visit" and not traveller:
        return _visitors(text, base, who, trig)
    return who


def _legs(sentence: Sentence, trig: Trigger, places: list[EntityMention], keys: tuple[str, ...],
          state_of: dict[str, str | None], status: MeetingStatus,
          date: tuple[PartialDate, PartialDate | None] | None) -> list[_Draft]:
    """One visit per place a journey names ("a tour of Vietnam and Malaysia")."""
    text, base = sentence.span.text, sentence.span.start
    a, b = trig.place_hint or trig.span
    span = Span(base + trig.span[0], base + trig.span[1], text[trig.span[0]:trig.span[1]])
    states = tuple(sorted({state for k in keys if (state := state_of.get(k))}))
    # each leg's evidence is its own place name, so that each leg is a meeting of its own (IRI)
    return [_Draft(Meeting(kind="visit", participants=keys, states=states, status=status,
                           evidence=span if len(places) == 1 else stop.span,
                           date=date[0] if date else None, end_date=date[1] if date else None, place=stop.key),
                   bool(date and not date[0].inferred))
            for stop in places if a <= stop.span.start - base < b]


def _sentence_dates(article: Article, sentence: Sentence) -> list:
    """The dates of a sentence that can date an event (not "since ...", not "as of ...")."""
    return [d for d in find_dates(article.text, sentence, article.published) if d.role != "as_of"
            and not re.match(r"since\b", article.text[d.span.start:d.span.end], re.I)
            and not re.search(r"\bsince\b[^.,;]{0,25}$",  # "since taking office in 2024"
                              article.text[max(0, d.span.start - 30):d.span.start])
            and not re.search(r",\s*(?:who|which)\b[^,.;]*$",  # "Thuong, who assumed office in March,"
                              article.text[sentence.span.start:d.span.start])]


def _traveller(text: str, base: int, who: list[EntityMention], trig: Trigger) -> EntityMention | None:
    """"X, who is on a working visit to ...", "... X now on a visit to": the person just before."""
    start = trig.span[0]
    before = [m for m in who if m.span.end - base <= start]
    clause = re.search(r"(?:,\s*who\s+(?:is|was|has\s+been)\s+(?:now\s+)?|\bnow\s+|,\s*)(?:on|paying)\s+(?:a|an|his|her|their)\s+"
                       r"(?:[\w-]+\s+){0,3}$|,\s*who\s+[^,;]*$", text[max(0, start - 150):start])
    if not clause or not before:
        return None
    nearest = max(before, key=lambda m: m.span.start)
    if clause.group(0).lstrip().startswith(",") and not re.fullmatch(r"[\s.]*", text[nearest.span.end - base:clause.start()]):
        return None  # the "who" clause follows someone not recognised as a person
    return nearest


def _visitors(text: str, base: int, who: list[EntityMention], trig: Trigger) -> list[EntityMention]:
    """Who travels (R14): the person a "who is on a visit" clause follows; the subject of "during
    his visit"; not the host who "received" the traveller, unless the host invited them."""
    start = trig.span[0]
    before = [m for m in who if m.span.end - base <= start]
    if re.search(r",\s*who\s+[^,;]*$", text[max(0, start - 150):start]):
        return []  # the traveller of the "who" clause is someone not recognised as a person
    if re.search(r"\b(?:during|on|in)\s+(?:his|her)\s+(?:[\w-]+\s+){0,3}$", text[max(0, start - 60):start]) and before:
        return [min(before, key=lambda m: m.span.start)]  # "X met Y during his visit to ..."
    clause = re.search(r"(?:,\s*who\s+(?:is|was|has\s+been)\s+(?:now\s+)?|\bnow\s+|,\s*)on\s+(?:a|an|his|her|their)\s+"
                       r"(?:[\w-]+\s+){0,3}$", text[:start])
    if clause and before:
        return [max(before, key=lambda m: m.span.start)]
    invited = re.search(r"\b(?:invitation|invited|hosted)\b", text, re.I)
    received = re.search(r"\b(?:received|receives|receiving|welcomed|welcomes|hosted\s+a\s+reception)\b",
                         text[:start])
    if received and not invited:
        hosts = [m for m in who if m.span.end - base <= received.start()]
        guests = [m for m in who if m not in hosts]
        return guests or who
    if before:  # "... visited Britain to attend the coronation of King Charles III": he is not a visitor
        hosts = [m for m in who if m.span.start - base > start and re.search(
            r"\b(?:invitation\s+of|invited\s+by|hosted\s+by|host)\s+(?:[\w’'.-]+\s+){0,8}$",
            text[max(start, m.span.start - base - 80):m.span.start - base])]
        return before + hosts
    return who


def _described_leaders(article: Article, index: int, places: list[EntityMention],
                       earlier: list[EntityMention], state_of: dict[str, str | None]) -> list[EntityMention]:
    """"the Japanese leader", "the Vietnamese leader's state visit": the first person of that
    state that an earlier sentence names (``earlier``), a participant where the description stands."""
    found: list[EntityMention] = []
    for state in (m for m in places if m.kind == "state"):
        the = re.search(r"\bthe\s+$", article.text[max(0, state.span.start - 4):state.span.start], re.I)
        noun = LEADER_NOUN.match(article.text, state.span.end)
        of_state = [m for m in earlier if state_of.get(m.key) == state.key]
        if the and noun and of_state:
            first = min(of_state, key=lambda m: m.span.start)
            found.append(_description(article, index, first.key, state.span.start - len(the.group(0)), noun.end()))
    return found


def _described_holders(article: Article, index: int, earlier: list[EntityMention],
                       holdings: Sequence[PostHolding], state_of: dict[str, str | None],
                       posts: tuple[re.Pattern[str], dict[str, str]]) -> list[EntityMention]:
    """"the PM will travel to ...", "the Minister paid a courtesy call on ...": the one person
    named in an earlier sentence who holds that post (any minister for "the Minister"); of
    several, the one of the home state, as these outlets write of their own officials."""

    post_re, post_keys = posts
    text, base = article.sentences[index].span.text, article.sentences[index].span.start
    named_before = {m.key for m in earlier}
    found: list[EntityMention] = []
    for the in re.finditer(r"\b[Tt]he\s+", text):
        post = post_re.match(text, the.end())
        if not post or not POST_END.match(text, post.end()):
            continue
        key = post_keys.get(post.group(0).casefold())
        holders = sorted({h.person for h in holdings if not h.former and h.person in named_before and h.role
                          and (h.role == key or (key == "minister" and h.role.startswith("minister")))})
        home = [p for p in holders if state_of.get(p) == HOME_STATE]
        chosen = holders if len(holders) == 1 else home if len(home) == 1 else []
        if chosen:
            found.append(_description(article, index, chosen[0], base + the.start(), base + post.end()))
    return found


def _description(article: Article, index: int, person: str, start: int, end: int) -> EntityMention:
    """A mention of ``person`` by the description ``article.text[start:end]``."""
    return EntityMention("person", person, Span(start, end, article.text[start:end]), index)


def _only_reports(text: str, person_end: int, trigger_start: int) -> bool:
    """"X said (that) the delegation will visit ...": X reports the event, not takes part."""
    if re.search(r"\b(?:before|after|while|when|as)\s+(?:he\s+|she\s+)?(?:\w+\s+){0,2}$",
                 text[max(0, trigger_start - 60):trigger_start]) \
            or re.search(r"\b(?:his|her)\s+(?:[\w-]+\s+){0,3}?(?:trip|tour|visit|journey)\b", text[person_end:trigger_start]):
        return False  # "X said as he attended a dinner", "X said ... his trip, also covering Y": X takes part
    return person_end <= trigger_start and bool(REPORTING.match(text[person_end:trigger_start]))


def _guest_follows(text: str, end: int, starts: list[int]) -> bool:
    """Is the object of "received" a person: only a title stands between verb and name? (Or a
    delegation, whose head the next sentence may name.)"""
    if re.match(r"\s+(?:(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:reception|dinner|luncheon|banquet)\s+for\s+)?"
                r"(?:a|the)\s+(?:[\w-]+\s+){0,2}delegation\s+(?:of|from)\b(?![^,;.]*\bled\s+by\b)", text[end:]):
        return True
    for start in sorted(s for s in starts if s >= end):
        between = text[end:start]
        noun = re.match(r"\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:reception|dinner|luncheon|lunch|banquet)\b[^,;]*?\bfor\b", between)
        if noun:  # "hosted a reception in Hanoi on January 17 for X"
            between = between[noun.end():]
        between = re.sub(r"^\s+in\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*(?:\s+on\s+[A-Z]\w+\s+\d+\w*)?(?=\s)", "", between)
        led = re.match(r"\s+(?:a|the)\s+(?:[\w-]+\s+)?delegation\s+(?:of|from)\b[^,;]*?\bled\s+by\s+", between)
        if led:  # "hosted a delegation of X led by its Chairman Y": the leader is the guest
            between = between[led.end():]
        words = re.findall(r"[^\W\d_]+|\d", between)
        return all(w[0].isupper() or w in ("of", "and", "for", "the", "a", "his", "her", "its", "visiting", "to",
                                           "prefecture", "province", "city", "provincial", "municipal", "s")
                   for w in words)
    return False


def _own_objects(who: list[EntityMention], ordered: list[Trigger], n: int, base: int,
                 text: str) -> list[EntityMention]:
    """"X received A and held talks with B", "X will hold talks with A, and meet B": each of
    two events in one sentence (of different kinds, or coordinated by "and") has the people
    before the first event and its own objects, when it has any."""
    kinds = {t.kind for t in ordered}
    coordinated = any(re.search(r"\band\s+(?:to\s+)?$", text[:t.span[0]]) for t in ordered[1:])
    if (len(kinds) < 2 and not coordinated) or ordered[n].who is not None:
        return who
    first, end = ordered[0].span[0], ordered[n].span[1]
    stop = ordered[n + 1].span[0] if n + 1 < len(ordered) else None
    subjects = [m for m in who if m.span.end - base <= first]
    objects = [m for m in who if m.span.start - base >= end and (stop is None or m.span.start - base < stop)]
    if subjects and not objects and ordered[n].kind == "visit" and stop is not None:
        return subjects  # "X will travel to Busan to meet with Y": Y is met, not travelling
    return subjects + objects if subjects and objects else who


def _join_last(drafts: list[_Draft], keys: tuple[str, ...], state_of: dict[str, str | None],
               kind: str = "talks") -> None:
    """Add ``keys`` to the participants of the latest meeting of ``kind``, if there is one."""
    for i in range(len(drafts) - 1, -1, -1):
        meeting = drafts[i].meeting
        if meeting.kind == kind:
            people = tuple(sorted(set(meeting.participants) | set(keys)))
            states = tuple(sorted({state for k in people if (state := state_of.get(k))}))
            drafts[i] = replace(drafts[i], meeting=replace(meeting, participants=people, states=states))
            return


def _last_pair(drafts: list[_Draft]) -> tuple[str, ...]:
    """"the two ministers": the two people of the latest meeting with two participants."""
    for draft in reversed(drafts):
        if len(draft.meeting.participants) == 2:
            return draft.meeting.participants
    return ()


def _nearest_date(dates: Sequence[DateMention], pos: int, text: str = "") -> tuple[PartialDate, PartialDate | None] | None:
    if text:  # "a visit to Vietnam until September 7": the end, not the day it began
        dates = [d for d in dates if not re.search(r"\b(?:until|till|through)\s+$", text[max(0, d.span.start - 8):d.span.start])] or dates
    if not dates:
        return None
    best = min(dates, key=lambda d: (d.role != "point", abs(d.span.start - pos)))
    return best.date, best.end_date


def _place_key(name: str, reference: Reference) -> str | None:
    folded = name.casefold()
    for key, place in sorted(reference.places.items()):
        if folded in (n.casefold() for n in place.names):
            return key
    return None


def _place(trig: Trigger, places: list[EntityMention], base: int, place_states: dict[str, str],
           text: str = "") -> str | None:
    """A visit's destination; else the city (or country) the sentence says "in"/"at"."""
    dateline = re.match(r"^.{0,60}?\s[–—]\s", text)
    if dateline:  # "VIETNAM, March 4 - HÀ NỘI — ...": the dateline names no meeting's place (R16)
        places = [m for m in places if m.span.start - base >= dateline.end()]
    if trig.place_hint:
        a, b = trig.place_hint
        dest = [m for m in places if a <= m.span.start - base < b]
        if dest:
            return dest[0].key
        cities = [m for m in places if m.kind == "place"]
        return place_states.get(cities[0].key) if cities else None
    located = [m for m in places if m.kind == "place" and not re.search(  # not a seat: "Governor of Japan's Kanagawa"
        r"\b(?:of|to)\s+(?:the\s+)?(?:[\w-]+['’]s\s+)?$", text[max(0, m.span.start - base - 30):m.span.start - base])]
    at = [m for m in located
          if re.search(r"\b(?:in|at)\s+(?:the\s+)?$", text[max(0, m.span.start - base - 12):m.span.start - base])]
    if at or located:
        return (at or located)[0].key  # "in Hanoi" over "Governor of Gunma Prefecture"
    in_state = [m for m in places if m.kind == "state" and trig.kind != "call"
                and re.search(r"\b(?:held|met|meet|meeting|talks|summit|[Ss]ummit|ceremony|forum|conference)\s+in\s+(?:the\s+)?$",
                              text[max(0, m.span.start - base - 40):m.span.start - base])
                and not re.match(r"[’']s\b", text[m.span.end - base:])]
    if in_state:
        return in_state[0].key  # "on the sidelines of the BRICS summit in Brazil"
    return None


def _within_visits(meetings: list[Meeting]) -> list[Meeting]:
    """A meeting with no place of its own held during a visit of one of its participants, at
    a date the visit covers, is in the visit's destination (R16)."""
    visits = [m for m in meetings if m.kind == "visit" and m.place and m.status != "planned"]
    out = []
    for meeting in meetings:
        if meeting.place is None and meeting.kind != "visit" and meeting.kind != "call":
            hosts = [v for v in visits if set(v.participants) & set(meeting.participants)
                     and (meeting.date is None or (v.date and _same_period(v.date.iso, meeting.date.iso)))]
            if len({v.place for v in hosts}) == 1:
                meeting = replace(meeting, place=hosts[0].place)
        out.append(meeting)
    return out


def _same_period(a: str, b: str) -> bool:
    """Do two dates agree as far as both go (a month covers its days)?"""
    return a.startswith(b[:7]) or b.startswith(a[:7])


def _state_of(place: str | None, place_states: dict[str, str]) -> str | None:
    """The state a place key lies in (a state code is its own)."""
    if place is None:
        return None
    return place if place.isupper() else place_states.get(place)


def _compatible(a: Meeting, b: Meeting, place_states: dict[str, str] | None = None) -> bool:
    if a.label and b.label:  # two named events are one when they have one name
        return a.label.casefold() == b.label.casefold()
    if a.kind == "visit" and b.kind == "visit" and a.place and b.place and place_states is not None:
        if a.place != b.place and _state_of(a.place, place_states) != _state_of(b.place, place_states):
            return False  # two legs of one tour
    kinds = {a.kind, b.kind}
    if not (len(kinds) == 1 or kinds == {"talks", "reception"}):
        return False
    if not set(a.participants) & set(b.participants):
        return False
    if _different_parties(a, b):
        return False
    if a.date and b.date and not (a.date.iso.startswith(b.date.iso) or b.date.iso.startswith(a.date.iso)):
        if a.kind == "visit" and a.date.iso[:4] != b.date.iso[:4]:
            return False  # "made an official visit there in 1999": an earlier journey
        if a.kind != b.kind:
            return False  # talks on Sunday, the dinner the night before: two events
        return a.date.inferred or b.date.inferred
    return True


def _different_parties(a: Meeting, b: Meeting) -> bool:
    """Two meetings of two or more people each, each with someone the other lacks ("X received
    Y", then "Y met Z"): one host seeing two guests, not one event."""
    one, two = set(a.participants), set(b.participants)
    return len(one) >= 2 and len(two) >= 2 and bool(one - two) and bool(two - one)


def _merge(drafts: list[_Draft], place_states: dict[str, str] | None = None) -> list[Meeting]:
    """One meeting per event: later sentences about the same event add date, place, people."""
    out: list[_Draft] = []
    for draft in drafts:
        home = next((d for d in out if _compatible(d.meeting, draft.meeting, place_states)), None)
        if home is None:
            out.append(draft)
            continue
        a, b = home.meeting, draft.meeting
        date, end, explicit = a.date, a.end_date, home.explicit_date
        if b.date and (date is None or (draft.explicit_date and not explicit)
                       or (len(b.date.iso) > len(date.iso) and b.date.iso.startswith(date.iso))):
            date, end, explicit = b.date, b.end_date, draft.explicit_date or explicit
        place = a.place
        if b.place and (place is None or (place.isupper() and not b.place.isupper() and a.kind != "visit")
                        or (a.kind == "visit" and b.place.isupper() and not place.isupper())):
            place = b.place  # a city over a country code; for a visit, its destination country (R6)
        home.meeting = replace(
            a, kind="reception" if {a.kind, b.kind} == {"talks", "reception"} else a.kind,
            participants=tuple(sorted(set(a.participants) | set(b.participants))),
            states=tuple(sorted(set(a.states) | set(b.states))),
            status=a.status,
            date=date, end_date=end, place=place, label=a.label or b.label)
        home.explicit_date = explicit
    return [d.meeting for d in out]
