"""Meetings, visits, forums and calls: the events an article reports, and what the gold says.

Each main event writes the article's opening and returns an :class:`Event`: the two people
the rest of the article talks about, captions that restate the event, and follow-up
paragraphs. Annotation follows the hand-written gold: a visit is placed in the state
visited and dated by its first day; a committee meeting, forum or talks in the city where
they took place; a phone call has no place; a caption restating an event adds no event.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

from bench.phrasing import ORDINAL_NUMBERS, day_range, iso_day, iso_month, month_name
from bench.pools import ORGANIZATIONS, SUMMIT_VENUES, SUMMITS, VIETNAM_CITIES, Named
from bench.story import FIRST_DAY, Actor, Story, capital_first

NUMBER_WORDS = ("two", "three", "four", "five", "six")


@dataclass
class Event:
    """The main event of an article, as the rest of the article refers to it."""

    lead: list[str]
    vietnamese: Actor
    foreign: Actor
    name: str  # 'the talks', 'the meeting', 'the phone call', 'the forum'
    captions: list[str] = field(default_factory=list)
    follow: list[str] = field(default_factory=list)
    lead_place: str | None = None  # the city of a lead tag such as 'Hanoi (VNA) –'
    leaders: bool = False  # both sides' heads of government or state
    attended: dict | None = None  # the planted meeting others can be said to attend


def _leader_pair(story: Story) -> tuple[Actor, Actor]:
    """A Vietnamese and a partner leader holding the same post where the partner has it."""
    shared = [r for r in ("Prime Minister", "President") if r in story.partner.posts.leader]
    role = story.rng.choice(shared)
    return story.vietnamese(role), story.foreign(role)


def _vn_city(story: Story) -> str:
    return "Hanoi" if story.chance(0.6) else story.rng.choice(VIETNAM_CITIES)


def talks_in_vietnam(story: Story) -> Event:
    rng, day = story.rng, story.event_day
    a = story.vietnamese(rng.choice(("Prime Minister", "Prime Minister", "President",
                                     "Party General Secretary",
                                     "Chairman of the National Assembly")))
    level = rng.choice(("leader", "economic", "economic", "foreign", "envoy"))
    role = {"leader": rng.choice(story.partner.posts.leader),
            "economic": rng.choice(story.partner.posts.economic),
            "foreign": story.partner.posts.foreign,
            "envoy": story.partner.posts.envoy}[level]
    b = story.foreign(role)
    city = _vn_city(story)
    story.plant_person(a)
    story.plant_person(b)
    on = story.on(day)
    place_in_caption = story.chance(0.3)
    variant = rng.randrange(4)
    if variant == 0:
        where = "" if place_in_caption else f", in {city}"
        lead = f"{a.titled} {on} had a meeting with {b.full}, {story.p_poss} {b.role}{where}."
        kind, name = "talks", "the meeting"
    elif variant == 1:
        where = "" if place_in_caption else f" in {city}"
        lead = f"{a.titled} received {b.adjective} {b.role} {b.full}{where} {on}."
        kind, name = "reception", "the reception"
    elif variant == 2:
        place_in_caption = False
        lead = (f"{a.titled} held talks with {b.adjective} {b.role} {b.full} in {city} {on}, "
                f"with both sides agreeing to lift cooperation in trade, investment and "
                f"labour to a new height.")
        kind, name = "talks", "the talks"
    else:
        place_in_caption = False
        lead = (f"In {city} {on}, {a.titled} hosted {b.adjective} {b.role} {b.full}, who is "
                f"paying an official visit to {story.vn}.")
        kind, name = "reception", "the meeting"
        story.facts.meeting("visit", iso_month(day), "Vietnam", [b.full])
    story.facts.meeting(kind, iso_day(day), city, [a.full, b.full])
    attended = story.facts.meetings[-1]
    captions = [rng.choice((
        f"{a.titled} (right) receives {b.short(rng)} in {city} {on}.",
        f"{a.short(rng)} (R) and {b.adjective} {b.role} {b.full} at the meeting in {city} {on}.",
    ))] if place_in_caption or story.chance(0.6) else []
    follow = [f"At {name}, {a.short(rng)} and {b.short(rng)} noted with satisfaction that "
              f"political trust between the two countries has never been higher."]
    return Event([lead], a, b, name, captions, follow, leaders=level == "leader"
                 and a.role in ("Prime Minister", "President"), attended=attended)


def visit_announcement(story: Story) -> Event:
    rng = story.rng
    a, b = _leader_pair(story)
    outbound = story.chance(0.6)
    visitor, host = (a, b) if outbound else (b, a)
    dest = story.partner.name if outbound else "Vietnam"
    dest_text = story.p if outbound else story.vn
    if story.published:
        start = story.published + timedelta(days=rng.randint(2, 30))
    else:
        start = story.event_day
    end = start + timedelta(days=rng.randint(1, 4))
    span = day_range(start, end, story.needs_year(start))
    verb = rng.choice(("will pay an official visit to", "will pay a state visit to",
                       "is set to pay an official visit to", "will make an official visit to"))
    story.plant_person(a)
    story.plant_person(b)
    explicit = story.chance(0.5)
    if explicit:
        lead = (f"At the invitation of {host.adjective} {host.role} {host.full}, "
                f"{visitor.adjective} {visitor.role} {visitor.full} {verb} {dest_text} {span}.")
    else:
        lead = (f"{visitor.titled} {verb} {dest_text} {span} at the invitation of "
                f"{host.adjective} counterpart {host.full}.")
    story.facts.meeting("visit", iso_day(start), dest, [visitor.full, host.full])
    follow = [f"{capital_first(visitor.his)} visit is expected to give a fresh impetus to the "
              f"partnership, {story.rng.choice(('officials', 'diplomats', 'observers'))} said."]
    if not explicit and story.chance(0.6):
        follow.append(f"{visitor.short(rng)} will hold talks with {host.adjective} "
                      f"{host.role} {host.full} and meet business leaders during the trip.")
    return Event([lead], a, b, "the visit", [], follow, leaders=True)


def committee_meeting(story: Story) -> Event:
    rng, day = story.rng, story.event_day
    a = story.vietnamese("Minister of Foreign Affairs")
    b = story.foreign(story.partner.posts.foreign)
    abroad = story.chance(0.6)
    city = rng.choice(story.partner.cities) if abroad else _vn_city(story)
    visitor, host = (a, b) if abroad else (b, a)
    dest = story.partner.name if abroad else "Vietnam"
    dest_text = story.p if abroad else story.vn
    body = "Cooperation Committee" if story.partner.name == "Japan" else "Joint Committee"
    committee = f"{story.pair} {body}"
    number = ORDINAL_NUMBERS[rng.randint(4, 14)]
    days = rng.choice(NUMBER_WORDS[1:4])
    story.plant_person(a)
    story.plant_person(b)
    story.facts.organization(Named(None, committee))
    same_post = a.role == b.role
    partner_ref = (f"{a.his} {b.adjective} counterpart {b.full}" if same_post
                   else f"{b.adjective} {b.role} {b.full}")
    lead = (f"{a.adjective} {a.role} {a.full} and {partner_ref} co-chaired the {number} meeting "
            f"of the {committee} in {city} {story.on(day)}, as part of "
            f"{visitor.name.short}'s {days}-day official visit to {dest_text} at the "
            f"invitation of {host.short(rng)}.")
    story.facts.meeting("committee", iso_day(day), city, [a.full, b.full])
    attended = story.facts.meetings[-1]
    story.facts.meeting("visit", iso_month(day), dest, [visitor.full, host.full])
    follow = []
    if story.chance(0.5):
        follow.append("In their talks after the meeting, the two ministers agreed to "
                      "strengthen political trust through regular high-level exchanges and "
                      "to foster cooperation in defence and security.")
        story.facts.meeting("talks", iso_month(day), dest, [a.full, b.full])
    caption = (f"The {number} meeting of the {committee} co-chaired by {a.adjective} "
               f"{a.role} {a.full} (L) and {partner_ref.replace(a.his + ' ', '')} in "
               f"{city}, {dest_text}, {month_name(day.month)} {day.day}, {day.year}.")
    return Event([lead], a, b, "the meeting", [caption] if story.chance(0.4) else [], follow,
                 attended=attended)


def business_forum(story: Story) -> Event:
    rng, day = story.rng, story.event_day
    a = story.vietnamese(rng.choice(("Prime Minister", "Prime Minister", "President",
                                     "Deputy Prime Minister")))
    b = story.foreign(rng.choice(story.partner.posts.economic))
    city = rng.choice(story.partner.cities)
    story.plant_person(a)
    story.plant_person(b)
    forum = rng.choice((f"a {story.pair} economic forum", f"a {story.pair} business forum",
                        f"the {story.pair} Investment Promotion Forum"))
    trip = rng.choice(("official visit to", "working trip to", "ongoing trip to"))
    lead = (f"{a.titled} attended {forum} in {city} {story.on(day)} as part of {a.his} "
            f"{trip} {story.p}.")
    story.facts.meeting("forum", iso_day(day), city, [a.full])
    story.facts.meeting("visit", iso_month(day), story.partner.name, [a.full])
    captions = [f"{a.titled} receives {b.adjective} {b.role} {b.full}."]
    story.facts.meeting("reception", None, None, [a.full, b.full])
    follow = [f"Addressing the forum, {a.short(rng)} said that the two economies complement "
              f"each other and that their political trust is at a very high level."]
    return Event([lead], a, b, "the forum", captions, follow)


def phone_call(story: Story) -> Event:
    rng, day = story.rng, story.event_day
    if story.chance(0.6):
        a, b = _leader_pair(story)
    else:
        a = story.vietnamese("Minister of Foreign Affairs")
        b = story.foreign(story.partner.posts.foreign)
    story.plant_person(a)
    story.plant_person(b)
    on = story.on(day)
    lead = rng.choice((
        f"{a.titled} held phone talks with {b.adjective} {b.role} {b.full} {on}, discussing "
        f"measures to deepen the two countries' cooperation.",
        f"In a phone call {on} with {b.adjective} {b.role} {b.full}, {a.titled} proposed that "
        f"the two sides step up cooperation in key areas.",
        f"{a.titled} {on} had a phone conversation with {b.adjective} {b.role} {b.full} to "
        f"review bilateral ties and map out directions for the time ahead.",
    ))
    story.facts.meeting("call", iso_day(day), None, [a.full, b.full])
    return Event([lead], a, b, "the phone talks", [], [],
                 leaders=a.role in ("Prime Minister", "President"))


def enterprise_meeting(story: Story) -> Event:
    rng, day = story.rng, story.event_day
    a = story.vietnamese("Prime Minister")
    b = story.foreign(story.partner.posts.envoy)
    city = rng.choice(("Hanoi", "Hanoi", "Ho Chi Minh City"))
    tagged = story.chance(0.7)
    story.plant_person(a)
    story.plant_person(b)
    where = "" if tagged else f" in {city}"
    lead = [
        f"{a.titled} {story.on(day)} urged {story.vn} and {story.p} to set up a joint working "
        f"group to remove obstacles to investment projects as soon as possible.",
        f"Speaking at {a.his} meeting with {b.adjective} enterprises operating in "
        f"{story.vn}{where}, {a.short(rng)} stressed that issues beyond the scope of existing "
        f"regulations should be promptly submitted to competent authorities.",
    ]
    follow = [f"Appreciating {a.short(rng)}'s strong leadership, {b.adjective} {b.role} "
              f"{b.full} said {story.p} will propose new projects and loan packages in the "
              f"time to come."]
    story.facts.meeting("conference", iso_day(day), city, [a.full, b.full])
    return Event(lead, a, b, "the meeting", [], follow, lead_place=city if tagged else None,
                 attended=story.facts.meetings[-1])


MAIN_EVENTS: tuple[Callable[[Story], Event], ...] = (
    talks_in_vietnam, talks_in_vietnam, visit_announcement, committee_meeting,
    business_forum, phone_call, enterprise_meeting)


def sidelines_meeting(story: Story, event: Event) -> str:
    """An earlier bilateral meeting of the two leaders at a summit in a third country."""
    rng = story.rng
    a, b = event.vietnamese, event.foreign
    city, country = rng.choice(SUMMIT_VENUES)
    summit, org_key = rng.choice(SUMMITS)
    anchor = story.published or story.event_day
    if story.published and anchor.day > 5 and story.chance(0.5):
        when, month = "Earlier this month", iso_month(anchor)
    else:
        earlier = max(anchor - timedelta(days=rng.randint(25, 80)), FIRST_DAY)
        when, month = f"In {month_name(earlier.month)} {earlier.year}", iso_month(earlier)
    if org_key:
        story.facts.organization(ORGANIZATIONS[org_key])
    story.facts.meeting("talks", month, city, [a.full, b.full])
    story.facts.meeting("summit", month, city, [a.full, b.full])
    return (f"{when}, {a.titled} had a bilateral meeting with {b.adjective} {b.role} "
            f"{b.full} in {city}, {country} on the sidelines of the {summit}.")


def anniversary_ceremony(story: Story, event: Event) -> str:
    """Both sides at a ceremony for an anniversary of diplomatic ties (not a figure)."""
    rng = story.rng
    a, b = event.vietnamese, event.foreign
    day = story.event_day - timedelta(days=rng.randint(1, 20))
    city = _vn_city(story) if rng.random() < 0.5 else rng.choice(story.partner.cities)
    years = day.year - story.ties_year
    story.facts.meeting("ceremony", iso_day(day), city, [a.full, b.full])
    return (f"{capital_first(story.on(day))}, {a.short(rng)} and {b.short(rng)} attended a "
            f"ceremony in {city} marking the {years}th anniversary of diplomatic relations "
            f"between the two countries.")


def third_person(story: Story, event: Event) -> str:
    """A third named person: an ambassador at the event, or a late leader remembered."""
    rng = story.rng
    abroad = event.attended is not None and event.attended["place"] in story.partner.cities
    vietnamese_side = abroad and (event.foreign.role == story.partner.posts.envoy
                                  or story.chance(0.5))
    free_post = vietnamese_side or event.foreign.role != story.partner.posts.envoy
    if event.attended is not None and free_post and story.chance(0.6):
        envoy = (story.vietnamese("Ambassador") if vietnamese_side
                 else story.foreign(story.partner.posts.envoy))
        story.plant_person(envoy)
        event.attended["participants"].append(envoy.full)
        return (f"Also present at {event.name} was {envoy.adjective} {envoy.role} "
                f"{envoy.full}.")
    late = story.foreign(rng.choice(story.partner.posts.leader))
    story.plant_person(late, f"former {late.role}")
    return (f"{event.foreign.short(rng)} and {event.vietnamese.short(rng)} paid tribute to "
            f"the late former {late.role} {late.full}, who had done much to build the "
            f"friendship between the two countries.")
