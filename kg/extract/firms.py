"""Firms named bare, known only by what the sentence says of them.

"Japanese enterprises, including Toyota, Honda and Canon", "big names like Panasonic, Toto,
and Daikin", "investors such as Hitachi, Kubota and Yazaki": after a plural noun for firms and
"such as", "like", "including" or "namely", each capitalised item of the list is a firm.
"Vietnam's electric vehicle manufacturer VinFast", "the conglomerate Samsung": a name right
after a singular noun for a firm is one too.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

_FIRMS = (r"firms|companies|corporations|groups|investors|enterprises|businesses|brands|names|"
          r"makers|manufacturers|automakers|carmakers|conglomerates|banks|lenders|retailers|"
          r"giants|players|chaebols|multinationals|exporters|importers|developers|insurers|"
          r"operators|airlines|carriers|producers|suppliers|contractors|shareholders|partners")
_FIRM = (r"firm|company|corporation|manufacturer|maker|automaker|carmaker|conglomerate|giant|"
         r"retailer|lender|airline|carrier|developer|producer|chaebol|multinational|brand|"
         r"insurer|startup|start-up")
_ITEM = r"[A-Z][\w.&’'-]*(?:[ ][A-Z][\w.&’'-]*){0,2}"
LIST_AFTER = re.compile(
    rf"\b(?i:{_FIRMS})\b(?:[^.;:()]{{0,40}}?)[, ]+(?:such as|like|including|namely|e\.g\.,?)\s+"
    rf"(?P<items>{_ITEM}(?:(?:,\s+(?:and\s+)?|\s+and\s+|\s*&\s*){_ITEM})*)")
APPOSITION = re.compile(rf"\b(?:{_FIRM})\s+(?P<item>{_ITEM})(?=[\s,.;:)]|$)")
ITEM = re.compile(_ITEM)
# Words each pattern needs, as written (both match them case-sensitively): most sentences
# have none, and a substring test is cheaper than the pattern's scan of every position.
_LIST_WORDS = ("such as", "like", "including", "namely", "e.g.")
_FIRM_WORDS = tuple(_FIRM.split("|"))


def find_firms(text: str, not_firms: set[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of each firm a list or an apposition in ``text`` names;
    ``not_firms`` holds casefolded names of states, places and other known non-firms."""
    for match in LIST_AFTER.finditer(text) if any(map(text.__contains__, _LIST_WORDS)) else ():
        base = match.start("items")
        for item in ITEM.finditer(match.group("items")):
            name = _clean(item.group(0))
            if _plausible(name, not_firms):
                yield base + item.start(), base + item.start() + len(name), name
    for match in APPOSITION.finditer(text) if any(map(text.__contains__, _FIRM_WORDS)) else ():
        name = _clean(match.group("item"))
        if _plausible(name, not_firms):
            yield match.start("item"), match.start("item") + len(name), name


def _clean(name: str) -> str:
    name = name.rstrip(".’'")
    return re.sub(r"[’']s$", "", name)


def _plausible(name: str, not_firms: set[str]) -> bool:
    """Not a state, place or common word; not a person's name of short syllables."""
    words = name.split()
    if name.casefold() in not_firms or words[0].casefold() in not_firms:
        return False
    if words[0].casefold() in {"the", "a", "an", "and", "other", "many", "some", "several", "local",
                               "foreign", "japanese", "vietnamese", "korean", "chinese", "major"}:
        return False
    if len(words) >= 2 and all(len(w) <= 4 and w.istitle() for w in words):
        return False  # "Nguyen Van An" reads as a person
    return len(name) >= 2
