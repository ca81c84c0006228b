"""Where a post sits, when the title names it: the seat tells the state a person serves.

"Governor of Gunma Prefecture", "Chairman of the Hue People's Committee" name a place
whose state the reference data knows; "JICA President", "Keidanren Chairman" name an
organisation based in a state; "Japanese Ambassador to Vietnam" names the host state, which
is part of the title but says nothing about the ambassador's own state.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.orgnames import ORG_HEADS
from kg.ingest.reference import Reference

LOCAL_BODY = r"(?:\s+(?:Prefecture|Province|City|province|city|prefecture|municipality))?" \
             r"(?:\s+(?:municipal\s+|provincial\s+|city\s+)?People['’]s\s+(?:Committee|Council))?"


@lru_cache(maxsize=8)
def _seat_patterns(places: tuple[tuple[str, str], ...],
                   states: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], re.Pattern[str],
                                                                re.Pattern[str], dict[str, str]]:
    place_state = {name.casefold(): state for name, state in places}
    place_names = "|".join(re.escape(n) for n, _ in sorted(places, key=lambda p: (-len(p[0]), p[0])))
    state_names = "|".join(re.escape(n) for n, _ in sorted(states, key=lambda s: (-len(s[0]), s[0])))
    of_place = re.compile(rf"\s+(?:of|for)\s+(?:the\s+)?(?P<place>{place_names}){LOCAL_BODY}(?![\w-])")
    to_state = re.compile(rf"\s+to\s+(?:the\s+)?(?:{state_names})(?![\w-])")
    # "Speaker of the National Assembly of the Republic of Korea (RoK)": the post's own state
    of_state = re.compile(rf"\s+of\s+(?:the\s+)?(?P<state>{state_names})(?![\w-])(?:\s*\([A-Za-z]{{2,6}}\))?")
    return of_place, to_state, of_state, place_state


@lru_cache(maxsize=8)
def _patterns(reference: Reference) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, str]]:
    places = tuple(sorted((name, place.state) for place in reference.places.values() if place.state
                          for name in place.names))
    states = tuple(sorted({(name, code) for code, state in reference.states.items() for name in state.names}))
    of_place, to_state, of_state, place_state = _seat_patterns(places, states)
    return of_place, to_state, of_state, {**place_state, **{n.casefold(): c for n, c in states}}


def extend_seat(text: str, end: int, reference: Reference) -> tuple[int, str | None]:
    """Run a title on over its seat ("of Gunma Prefecture", "to Vietnam"): the new end, and
    the state the seat puts the holder in (None for an envoy's host state)."""
    of_place, to_state, of_state, seat_state = _patterns(reference)
    match = of_place.match(text, end)
    if match:
        return match.end(), seat_state.get(match.group("place").casefold())
    match = to_state.match(text, end)
    if match:
        return match.end(), None
    match = of_state.match(text, end)
    if match and not _names_an_organisation(text, match.end()):
        return match.end(), seat_state.get(match.group("state").casefold())
    return end, None


def _names_an_organisation(text: str, end: int) -> bool:
    """"of the Japan External Trade Organization": the state opens an organisation's name."""
    run = re.match(r"(?:\s+[A-Z][\w'’-]*){1,5}", text[end:])
    return run is not None and any(w.lower().strip("'’") in ORG_HEADS for w in run.group(0).split())


@lru_cache(maxsize=8)
def organisation_states(reference: Reference) -> dict[str, str]:
    """One-word names of organisations based in a state ("JICA", "Keidanren"), as written
    (kept per reference: the person recogniser asks for every name it finds)."""
    return dict(sorted((name, org.state) for org in reference.organizations.values()
                       if org.state for name in org.names if len(name.split()) == 1))
