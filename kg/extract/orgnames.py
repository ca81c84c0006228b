"""A proper-name chunker for names of bodies and agreements the reference data does not know.

A sentence is cut into tokens; a name is built around a head noun ("Ministry", "Bank",
"Embassy", "Agreement", ...): the capitalised words right before it ("Japan Coast Guard",
"Vietnam National Administration") and, after it, a complement introduced by "of", "for" or
"on" that runs over capitalised words joined by "and", "&", "of" and list commas
("Ministry of Health, Labour and Welfare", "Bank for Foreign Trade of Vietnam"). Embassies,
consulates, associations and offices keep a place after "in" ("Consulate General of Vietnam
in Osaka"). The head noun gives the kind; a name of two words needs a modifier that is a name
itself (an acronym, a state, a word that is not generic), so that "Cooperation Committee"
stays a description.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

COMPANY_HEADS = {"electronics", "motor", "motors", "holdings", "industries", "airlines", "airways",
                 "semiconductor", "steel", "chemical", "chemicals", "co.", "corp.", "inc.", "ltd.",
                 "bank", "group"}
ORG_HEADS = {"committee", "agency", "organization", "organisation", "association", "club",
             "council", "centre", "center", "bank", "fund", "institute", "corporation",
             "federation", "chamber", "union", "ministry", "commission", "university",
             "authority", "foundation", "secretariat", "group", "company", "office", "alliance",
             "society", "league", "department", "embassy", "consulate", "bureau", "administration",
             "command", "army", "guard", "force", "forces", "assembly", "party", "dialogue",
             "academy", "college", "police", "parliament", "senate", "congress",
             "court", "board", "directorate", "service", "services", "network"} | COMPANY_HEADS
AGREEMENT_HEADS = {"agreement", "treaty", "initiative", "framework", "accord", "convention",
                   "pact", "protocol", "mechanism", "community", "partnership", "declaration",
                   "charter", "programme", "program", "strategy", "vision", "plan"}
EVENT_HEADS = {"conference", "conferences", "summit", "forum", "meeting", "expo", "exhibition",
               "festival", "games", "week", "fair", "session", "talks", "ceremony", "day",
               "year", "workshop", "seminar", "symposium", "roundtable", "exercise"}
# Heads that name an agreement only with an acronym, being otherwise usually a description
# or a partnership level ("Comprehensive Strategic Partnership", "the 2030 Vision").
NEEDS_ACRONYM = {"partnership", "community", "mechanism", "declaration", "programme", "program",
                 "strategy", "vision", "plan", "service", "services", "network", "board", "court"}
# Heads that keep a place after "in": "Embassy of Japan in Vietnam", "Association in Kansai".
KEEPS_PLACE = {"embassy", "consulate", "association", "office", "chamber", "club", "society",
               "union", "federation"}
# Modifiers too generic to make a two-word name ("Cooperation Committee", "Steering Committee").
GENERIC = {"cooperation", "joint", "national", "state", "central", "general", "executive",
           "steering", "standing", "organising", "organizing", "permanent", "working", "policy",
           "management", "people's", "people’s", "provincial", "municipal", "city", "district",
           "local", "regional", "international", "government", "public", "private",
           "commercial", "development", "investment", "trade", "business", "economic",
           "security", "defence", "defense", "ministerial", "parliamentary", "new", "advisory",
           "technical", "research", "education", "training", "health", "industrial",
           "science", "technology", "friendship", "coordination", "drafting", "preparatory",
           "strategic", "comprehensive", "bilateral", "multilateral", "trilateral", "special",
           "high-level", "senior", "annual", "first", "second", "third", "the", "this", "that",
           "its", "their", "our", "his", "her", "a", "an", "armed", "police", "press", "media",
           "news", "party", "military", "naval", "air", "maritime", "coast", "land", "sea",
           "relevant", "concerned", "competent", "respective", "partner", "member", "host",
           "other", "all", "both", "each", "every", "these", "those", "some", "many", "several",
           "world", "global", "asian", "european", "western", "eastern", "northern", "southern",
           "financial", "energy", "transport", "agriculture", "tourism", "labour", "labor",
           "foreign", "home", "interior", "justice", "finance", "culture", "information",
           "communications", "construction", "industry", "environment", "resources",
           "planning", "start-up", "startup", "green", "digital", "smart", "future",
           "youth", "women's", "women’s", "student", "students", "family", "community",
           "political", "chief", "deputy", "vice", "head", "main"}
# Ministries are named by two words as a rule: "Foreign Ministry", "Defence Ministry".
TWO_WORD_HEADS = {"ministry"} | {"electronics", "motor", "motors", "holdings", "industries",
                                 "airlines", "airways", "semiconductor", "steel", "chemical",
                                 "chemicals", "co.", "corp.", "inc.", "ltd."}
LEADING_STOP = {"the", "a", "an", "at", "in", "on", "during", "for", "with", "by", "from", "as",
                "this", "that", "these", "its", "their", "his", "her", "both", "under", "to",
                "new", "former", "current", "next", "last", "mr.", "ms.", "mrs.", "dr.", "and",
                "of", "if", "while", "when", "after", "before", "since", "meanwhile", "also",
                "but", "however", "according", "through", "between", "among", "via", "about",
                "over", "it", "he", "she", "they", "we", "our", "each", "every", "all", "other"}
ABBREVIATIONS = {"co.", "corp.", "inc.", "ltd.", "b.v.", "u.s.", "u.k.", "jsc.", "plc."}
CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "january", "february", "march", "april", "june", "july", "august", "september",
            "october", "november", "december"}
ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|"
                     r"ninth|tenth|\d{4}")
# Words that make a "... Center" a venue, not a body ("National Convention Center").
VENUE = {"convention", "exhibition", "conference", "congress", "expo", "sports", "shopping",
         "press", "media", "cultural", "culture", "trade", "event", "events", "business"}
# Lower-case words a local body keeps inside its name ("Bac Ninh provincial People's Committee").
INNER_LOWER = {"provincial", "municipal"}
PLACE_TAIL = {"city", "province", "prefecture"}
# Credits and copyright lines name a firm without it being a fact of the article.
CREDIT_BEFORE = re.compile(r"(?:©|copyright|photo:|source:|credit:|photo by|image:)\s*(?:\d{4}\s*)?$",
                           re.IGNORECASE)
# A sentence with no capitalised head noun has no name to find (a cheap case-sensitive test).
ANY_HEAD = re.compile(r"\b(?:" + "|".join(sorted(
    (re.escape(h[0].upper() + h[1:]) for h in ORG_HEADS | AGREEMENT_HEADS | EVENT_HEADS),
    key=len, reverse=True)) + r")(?!\w)")
TOKEN = re.compile(r"[^\s,;:()\[\]\"“”]+|[,;:()\[\]\"“”]")
NAME_CHAR = re.compile(r"[A-ZÀ-ỸĐ0-9]")
GLUED_YEAR = re.compile(r"(?:19|20)\d\d(?=[A-Z][a-z])")
INITIALS = re.compile(r"(?:[A-Z]\.)+")


@dataclass(frozen=True)
class NameCandidate:
    """A guessed name: its character span in the sentence, kind and the head noun."""

    start: int
    end: int
    kind: str  # organization / agreement / event
    head: str
    name: str


class _Token:
    """A word or punctuation mark, with its casefolded form and whether it can be part of
    a name (capitalised or a number, but not a weekday, month, ordinal or year)."""

    __slots__ = ("start", "end", "text", "lower", "is_cap")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text = start, end, text
        self.lower = text.casefold()
        self.is_cap = bool(NAME_CHAR.match(text)) and self.lower not in CALENDAR \
            and not ORDINAL.fullmatch(self.lower)


def tokenize(text: str) -> list[_Token]:
    """Words and punctuation; a full stop ends a word unless it belongs to an abbreviation."""
    tokens: list[_Token] = []
    for match in TOKEN.finditer(text):
        start, word = match.start(), match.group(0)
        glued = GLUED_YEAR.match(word)
        if glued:  # "1982United Nations Convention": a year run into the name
            tokens.append(_Token(start, start + 4, word[:4]))
            start, word = start + 4, word[4:]
        if len(word) > 1 and word[-1] in ".!?" and word.casefold() not in ABBREVIATIONS \
                and not INITIALS.fullmatch(word):
            word = word.rstrip(".!?")
        if len(word) > 2 and word[-1] in "'’" and word[-2] == "s":
            word = word[:-1]  # "Hanwa Electronics' plan"
        for suffix in ("’s", "'s"):
            # "JCG's tasks": the possessive is not part of the name; "People's" is
            if word.endswith(suffix) and word.casefold() not in ("people's", "people’s",
                                                                  "women's", "women’s"):
                tokens.append(_Token(start, start + len(word) - 2, word[:-2]))
                tokens.append(_Token(start + len(word) - 2, start + len(word), suffix))
                break
        else:
            tokens.append(_Token(start, start + len(word), word))
    return tokens


def head_kind(word: str) -> str | None:
    """The kind a head noun gives a name."""
    lower = word.casefold()
    if lower in ORG_HEADS:
        return "organization"
    if lower in AGREEMENT_HEADS:
        return "agreement"
    if lower in EVENT_HEADS:
        return "event"
    return None


def find_names(text: str, proper: set[str]) -> Iterator[NameCandidate]:
    """Guessed names of ``text``; ``proper`` holds casefolded words known to be names
    (states, demonyms, places) that make a two-word name ("Japanese Embassy")."""
    if not ANY_HEAD.search(text):
        return
    tokens = tokenize(text)
    i = 0
    previous: tuple[int, str | None] | None = None  # the last name's last token and place
    while i < len(tokens):
        token = tokens[i]
        kind = head_kind(token.text) if token.is_cap else None
        if kind is None:
            i += 1
            continue
        first = _left_edge(tokens, i, proper)
        complement = _complement_end(tokens, i, proper)
        last = _cut_person(tokens, i, complement, proper)
        owned = last == i < complement  # "the Policy Research Council of Japan's ruling party"
        if last == i and i + 1 < len(tokens) and tokens[i + 1].is_cap \
                and head_kind(tokens[i + 1].text) is not None:
            i += 1  # "Japan Coast Guard": the head is the last of the run
            continue
        if token.lower in KEEPS_PLACE:
            last = _place_after(tokens, last, proper)
        dated = last + 1 < len(tokens) and bool(re.fullmatch(r"(?:19|20)\d\d", tokens[last + 1].text))
        if dated and kind == "agreement":
            last += 1  # "Mekong-Japan Cooperation Strategy 2024"
        words = [t for t in tokens[first:last + 1] if t.is_cap]
        head = token.lower
        if head in ("center", "centre") and i > first and tokens[i - 1].lower in VENUE \
                or CREDIT_BEFORE.search(text[max(0, tokens[first].start - 15):tokens[first].start]):
            i = last + 1
            continue
        local = _local_body(tokens, first, i)
        if local is not None:
            first = local
        if local is not None or owned and len(words) >= 3 \
                or _acceptable(tokens, first, i, last, words, head, proper, dated):
            start, end = tokens[first].start, tokens[last].end
            name = text[start:end]
            if previous is not None and local is not None and first >= 2 \
                    and tokens[first - 1].lower == "and" and previous[0] == first - 2 and previous[1]:
                name = f"{previous[1]} {name}"  # "HCM City People's Council and People's Committee"
            owner = _possessor(tokens, first, proper)
            yield NameCandidate(start, end, kind, head, f"{owner} {name}" if owner else name)
            previous = (last, _place_prefix(tokens, first, i, proper, local is not None))
        i = last + 1


def _local_body(tokens: list[_Token], first: int, head: int) -> int | None:
    """A Vietnamese local government body ("provincial People's Committee", "HCM City
    People's Council"): its first token, taking in a lower-case "provincial" before it."""
    if tokens[head].lower not in ("committee", "council") or head == 0 \
            or tokens[head - 1].lower not in ("people's", "people’s"):
        return None
    if first >= 1 and tokens[first - 1].lower in INNER_LOWER:
        return first - 1
    coordinated = first >= 2 and tokens[first - 1].lower == "and" and tokens[first - 2].lower == "council"
    return first if first < head - 1 or coordinated else None


def _place_prefix(tokens: list[_Token], first: int, head: int, proper: set[str],
                  local: bool) -> str | None:
    """The place a name opens with ("HCM City" of "HCM City People's Council"): a known
    place, or whatever stands before a local body's "People's"."""
    known = _known_prefix(tokens, first, head - 1, proper)
    if known is None and local and first < head - 1 and tokens[first].is_cap:
        known = head - 2
    return " ".join(t.text for t in tokens[first:known + 1]) if known is not None else None


def _possessor(tokens: list[_Token], first: int, proper: set[str]) -> str | None:
    """"Japan's Foreign Ministry": the state or place that owns the name, as written."""
    if first < 2 or tokens[first - 1].text not in ("’s", "'s"):
        return None
    for width in (2, 1):
        if first - 1 - width >= 0:
            owner = tokens[first - 1 - width:first - 1]
            if " ".join(t.lower for t in owner) in proper:
                return " ".join(t.text for t in owner) + tokens[first - 1].text
    return None


def _left_edge(tokens: list[_Token], head: int, proper: set[str]) -> int:
    """The first token of the capitalised run that ends at the head; the run goes over a
    lone dash ("Japan - Vietnam"), "and" between two common words ("Oil and Gas") and a
    lower-case "provincial" or "municipal"."""
    first = head
    while first > 0:
        prev = tokens[first - 1]
        before = tokens[first - 2] if first >= 2 else None
        if prev.text in ("-", "–") or prev.lower in INNER_LOWER or (
                prev.lower in ("and", "&") and tokens[first].lower not in proper
                and tokens[first].lower not in GENERIC):
            if before is not None and before.is_cap and before.lower not in LEADING_STOP \
                    and (prev.lower not in ("and", "&")
                         or (before.lower not in proper and head_kind(before.text) is None)):
                first -= 2
                continue
            break
        if not prev.is_cap or prev.lower in LEADING_STOP:
            break
        first -= 1
    return first


def _complement_end(tokens: list[_Token], head: int, proper: set[str]) -> int:
    """The last token of "of/for/on + capitalised words" after the head, or the head.
    An agreement's title runs on over "of the" and "in the" ("Convention on the Law of the
    Sea") and over its parties ("Agreement between the Government of Japan and ... concerning
    the Transfer of ...")."""
    last = head
    j = head + 1
    agreement = head_kind(tokens[head].text) == "agreement"
    if agreement and j < len(tokens) and tokens[j].lower == "between":
        subject = next((k for k in range(j + 1, min(j + 30, len(tokens) - 1))
                        if tokens[k].lower in ("concerning", "regarding", "relating", "on")
                        and (tokens[k + 1].is_cap or tokens[k + 1].lower == "the")), None)
        if subject is None or any(t.text in (";", ":", "(", ")") for t in tokens[j:subject]):
            return last
        j = subject
        if tokens[j].lower == "relating" and j + 1 < len(tokens) and tokens[j + 1].lower == "to":
            j += 1
        tokens = tokens[:j] + [_Token(tokens[j].start, tokens[j].end, "on")] + tokens[j + 1:]
    if j < len(tokens) and tokens[head].lower == "consulate" and tokens[j].lower == "general":
        last = j
        j += 1
    if j + 1 >= len(tokens) or tokens[j].lower not in ("of", "for", "on"):
        return last
    j += 1
    if tokens[j].lower == "the" and j + 1 < len(tokens):
        j += 1
    if not tokens[j].is_cap:
        return last
    last = j
    k = j + 1
    while k < len(tokens):
        word = tokens[k].lower
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if tokens[k].is_cap:
            if tokens[k - 1].is_cap and _known_prefix(tokens, k, min(k + 3, len(tokens) - 1), proper) is not None:
                break  # "Framework for Prosperity Vietnam and Japan signed": a state starts anew
            last = k
            k += 1
        elif word in ("and", "&") and nxt is not None and nxt.is_cap and not _is_acronym(nxt.text):
            k += 1
        elif word == "," and nxt is not None and nxt.is_cap and _list_closes(tokens, k + 1) \
                and _known_prefix(tokens, k + 1, min(k + 4, len(tokens) - 1), proper) is None:
            k += 1
        elif word in ("of", "for") and nxt is not None and nxt.is_cap:
            k += 1  # "Bank for Foreign Trade of Vietnam" (but "of the" starts another body)
        elif agreement and word in ("of", "in") and nxt is not None and nxt.lower == "the" \
                and k + 2 < len(tokens) and tokens[k + 2].is_cap:
            k += 2
        elif word in PLACE_TAIL and tokens[k - 1].is_cap:
            last = k  # "of Sakai city"
            break
        else:
            break
    return last


def _list_closes(tokens: list[_Token], k: int) -> bool:
    """A comma inside a name: "Health, Labour and Welfare" — an "and" closes the list."""
    while k < len(tokens) and (tokens[k].is_cap or tokens[k].lower == ","):
        k += 1
    return k + 1 < len(tokens) and tokens[k].lower in ("and", "&") and tokens[k + 1].is_cap


def _place_after(tokens: list[_Token], last: int, proper: set[str]) -> int:
    """Extend over "in Osaka", "in Ho Chi Minh City" after a name that keeps its place: a
    known place, else a short run of capitalised words that ends the run."""
    j = last + 1
    if not (j + 1 < len(tokens) and tokens[j].lower == "in" and tokens[j + 1].is_cap
            and not tokens[j + 1].text[0].isdigit()):
        return last
    run_end = j + 1
    while run_end + 1 < len(tokens) and tokens[run_end + 1].is_cap:
        run_end += 1
    known = _known_prefix(tokens, j + 1, run_end, proper)
    end = known if known is not None else (run_end if run_end - j <= 2 else last)
    if end > last and end + 1 < len(tokens) and tokens[end + 1].lower in PLACE_TAIL:
        end += 1  # "in Sakai city"
    return end


def _known_prefix(tokens: list[_Token], start: int, end: int, proper: set[str]) -> int | None:
    """The last token of the longest known place or state name starting at ``start``."""
    for stop in range(end, start - 1, -1):
        if " ".join(t.lower for t in tokens[start:stop + 1]) in proper:
            return stop
    return None


def _cut_person(tokens: list[_Token], head: int, last: int, proper: set[str]) -> int:
    """"People's Committee of Ho Chi Minh City Phan Van Mai": a complement that is a known
    place followed by two or more capitalised words ends with the place (a person follows)."""
    if last <= head + 1:
        return last
    if last + 1 < len(tokens) and tokens[last + 1].text in ("’s", "'s"):
        # "Council of Japan's ruling party": the owner belongs to what follows
        connective = max((j for j in range(head + 1, last) if tokens[j].lower in ("of", "for", "on")),
                         default=None)
        if connective is None or connective == head + 1 and last - connective <= 2:
            return head
        return connective - 1
    k = head + 2
    while k < last:
        known = _known_prefix(tokens, k, min(last + 1, len(tokens) - 1), proper)
        if known is not None:
            k = known + 1  # "of Ho Chi Minh City": a place, however short its syllables
            continue
        if _syllable(tokens[k]) and _syllable(tokens[k + 1]) and tokens[k - 1].is_cap:
            last = k - 1  # "Committee for Foreign Affairs Vu Hai Ha": a person's name follows
            break
        k += 1
    start = last
    while start - 1 > head and tokens[start - 1].is_cap:
        start -= 1
    known = _known_prefix(tokens, start, last, proper)
    if known is not None and last - known >= 2 \
            and not any(head_kind(t.text) for t in tokens[known + 1:last + 1]):
        return known
    return last


def _syllable(token: _Token) -> bool:
    """A short title-case word, as the syllables of a Vietnamese name are ("Vu", "Hai")."""
    return token.text.isalpha() and token.text.istitle() and len(token.text) <= 4 \
        and head_kind(token.text) is None


def _is_acronym(text: str) -> bool:
    return sum(c.isupper() for c in text) >= 2 and text.upper() == text


def _acceptable(tokens: list[_Token], first: int, head: int, last: int, words: list[_Token],
                head_word: str, proper: set[str], dated: bool = False) -> bool:
    """Whether the span is a name rather than a description."""
    if len(words) < 2:
        return False
    has_complement = last > head and any(t.lower in ("of", "for", "on") for t in tokens[head:last + 1])
    if head_word in NEEDS_ACRONYM and not (dated and len(words) >= 3
                                           and any(re.search(r"\w[-–]\w", w.text) for w in words)):
        return False  # a dated plan of two parties is named ("Mekong–Japan Cooperation Strategy 2024")
    if head_word in TWO_WORD_HEADS and len(words) == 2:
        return True
    if has_complement or len(words) >= 3 or head_word in TWO_WORD_HEADS:
        return not all(w.lower in GENERIC or w.lower == head_word for w in words[:-1]) \
            or has_complement
    modifier = tokens[first]
    return (_is_acronym(modifier.text) or "-" in modifier.text or "–" in modifier.text
            or modifier.lower in proper or modifier.lower not in GENERIC)
