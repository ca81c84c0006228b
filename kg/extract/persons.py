"""Recognising persons from the text alone, anchored on the titles news writing gives them.

No list of names is used. A person is a run of capitalised tokens that a title introduces
("Prime Minister Tran Van Lam", "FM Tanaka", "his Japanese counterpart Tanaka Emi",
"former Prime Minister Mori Kenta", "Mr. Sato") or that an appositive title follows
("Hiroshi Sato, Japan's minister of State for ..."). The words just before the title
give the state ("Japanese", "Japan's"). Bare names and descriptions ("Lam", "the PM") are
left to :mod:`kg.extract.resolve`, which merges every mention of one person.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.model import Article, EntityMention, Span, slug
from kg.extract.entities import trie_regex
from kg.extract.orgnames import ORG_HEADS as ORG_HEAD_WORDS
from kg.extract.seats import extend_seat, organisation_states
from kg.ingest.reference import Reference

# Words that name a government portfolio: a title such as "Minister of Science and
# Technology" runs on through them, and the person's name starts after them.
PORTFOLIO_WORDS = {
    "foreign", "affairs", "economy", "economic", "trade", "industry", "industries", "planning",
    "investment", "finance", "fiscal", "policy", "defence", "defense", "national", "public",
    "security", "home", "internal", "justice", "health", "education", "training", "science",
    "technology", "information", "communications", "communication", "transport",
    "construction", "agriculture", "rural", "development", "culture", "sports", "sport",
    "tourism", "labour", "labor", "invalids", "social", "natural", "resources", "environment",
    "land", "infrastructure", "state", "ethnic", "minority", "government", "inspectorate",
    "digital", "transformation", "revitalization", "revitalisation", "energy", "climate",
    "change", "welfare", "commerce", "international", "cooperation", "disaster", "management",
    "reconstruction", "okinawa", "northern", "territories", "cabinet", "office", "women",
    "children", "affair", "revitalizing", "maritime", "fisheries", "forestry", "water",
    "post", "telecommunications", "external", "overseas", "veterans", "interior", "industrial", "policies", "statistics", "immigration", "consumer", "food",
    "the", "and", "of", "for", "in", "charge",
}
NON_NAME_WORDS = {
    "the", "he", "she", "his", "her", "they", "it", "its", "their", "in", "on", "at", "as",
    "with", "and", "of", "for", "to", "by", "from", "this", "that", "during", "after", "before",
    "government", "state", "party", "national", "assembly", "committee", "ministry", "side",
    "people", "embassy", "office", "mr", "mrs", "ms", "dr", "madam", "excellency",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "also", "said", "will", "has", "had", "was", "is", "photo", "vna",
    "central", "politburo", "member", "members", "official", "officials", "leader", "leaders",
    "counterpart", "host", "former", "late", "current", "acting", "special", "envoy",
    "staff", "general",
}
# Vietnamese family names (written first): an unmarked official whose full name starts with
# none of them is not taken to be Vietnamese; a name opening with one may end in a word that is
# also a place ("... Dinh Hue").
VIETNAMESE_FAMILY_NAMES = frozenset({
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "dinh", "truong", "trinh", "doan", "lam", "mai", "cao", "luong",
    "ha", "ta", "chu", "dao", "luu", "kieu", "tong", "thai", "quach", "lai", "vuong", "nghiem",
    "trieu", "phung", "khuc", "giang", "tang", "mac", "tieu", "tu", "lu", "dam", "thach", "khong",
    "to", "nong", "lo", "hua", "bach", "diep", "thieu", "tiet", "ung",
})
HONORIFICS = re.compile(r"\b(?P<title>Mr|Mrs|Ms|Madam|Dr)\.?\s+(?=[A-ZÀ-ỸĐ])")
# A quoted speaker described by a noun phrase: "..., said Nguyen Van An, a resident of ..."
SPEAKER = re.compile(r"\bsaid\s+(?P<name>[A-ZÀ-ỸĐ][\w'’-]+(?: [A-ZÀ-ỸĐ][\w'’-]+){1,3}),\s+(?:a|an)\s+[a-z]")
TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
# Military ranks, written before a name with or without a post before them ("Deputy Minister
# of National Defence Sen. Lieut. Gen. X", "Admiral Y", "Major General Z"). Case matters.
RANK = (r"(?:(?:Sen\.|Senior)\s+)?(?:(?:Lieut\.|Lt\.|Lieutenant|Maj\.|Major|Rear|Vice|Brig\.|Brigadier)\s+)?"
        r"(?:Gen\.|General|Admiral|Adm\.|Colonel|Col\.)")
RANK_TITLE = re.compile(rf"(?<![\w.-])(?<!\bof\s)(?-i:{RANK})(?=\s+[A-ZÀ-ỸĐ])")
# Ranks and forms of address between a post and the name: "... Defence Sen. Lt. Gen. X", "H.E. Mr. Y".
BEFORE_NAME = re.compile(rf"(?:\s+(?:{RANK}|H\.E\.|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)(?=\s))+")
# Words that end the name of a body or place inside a long title; the person's name follows
# them: "Chairman of the People's Committee of Ho Chi Minh City Phan Van Mai".
BODY_END_WORDS = {"city", "province", "prefecture", "party", "force", "forces", "army", "guard",
                  "region", "embassy", "consulate", "parliament", "assembly", "house", "division",
                  "department", "bureau", "board", "affairs", "representatives", "councillors"}
SEAT_LOWER = {"prefecture", "province", "city", "provincial", "municipal", "prefectural"}
CONNECTIVES = {"of", "the", "for", "and", "to", "in", "its", "-", "–", "&"}
COUNTERPART = re.compile(r"\bcounterpart\b")
POSSESSED = re.compile(r"['’]s\s+(?:[a-z]+\s+){0,2}$")  # "Idemitsu's executive vice president, X"
JOINED = re.compile(r"\s+and\s+$")  # "Deputy PM and Foreign Minister X"
OWNER = re.compile(r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Tt]he)\s+(?:[A-Z][\w-]*\s+)?$")  # "his Lao host X"
# Words that introduce a person the way a title does but give no post: "his Lao host X",
# "his successor Y", "his wife Z".
RELATION_WORDS = ("host", "successor", "predecessor", "wife", "husband", "spouse")
# Words that may stand before a post in an appositive: "X, permanent deputy minister of ..."
POST_MODIFIERS = re.compile(r"(?:permanent|standing|executive|senior|first|acting|incoming|outgoing)\s+", re.I)


@dataclass(frozen=True)
class PersonMention:
    """One naming of a person, with what its title says about them."""

    name: Span  # the name as written ("Tran Van Lam", "Lam")
    evidence: Span  # title and name together
    sentence: int
    role_label: str | None  # the title as written, or the counterpart's
    role: str | None  # post key
    state: str | None  # from a demonym, possessive or "of X" at the title
    former: bool = False
    counterpart: bool = False  # "his Japanese counterpart X": the role is the other's


@dataclass(frozen=True)
class _Post:
    text: str
    key: str


@lru_cache(maxsize=8)
def _post_pattern(post_names: tuple[tuple[str, str], ...]) -> tuple[re.Pattern, dict[str, str]]:
    """An alternation over every post label, the longest that ends on a word boundary first;
    acronyms ("PM") must match case.

    Written as two tries of characters (acronyms, other labels folded): a flat alternation
    made the engine try every label at every position of every sentence, four times slower.
    No acronym begins a longer label (checked below), so which of the two is tried first
    changes nothing.
    """
    keys: dict[str, str] = {}
    tries: tuple[dict[str, dict], dict[str, dict]] = ({}, {})  # acronyms, other labels
    for name, key in sorted(post_names, key=lambda p: (-len(p[0]), p[0])):
        keys.setdefault(name.casefold(), key)
        node = tries[0] if name.isupper() else tries[1]
        for char in (name if name.isupper() else name.lower()):
            node = node.setdefault(char, {})
        node[""] = {}
    acronyms = [name for name, _ in post_names if name.isupper()]
    if any(label.casefold().startswith(acronym.casefold()) and label.casefold() != acronym.casefold()
           for acronym in acronyms for label, _ in post_names):
        raise ValueError("a post acronym begins a longer post label: the acronyms' trie would hide it")
    branches = [f"(?-i:{trie_regex(tries[0])})"] if tries[0] else []
    branches += [trie_regex(tries[1])] if tries[1] else []
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(branches) or '(?!x)x'})(?![\w-])", re.IGNORECASE)
    return pattern, keys


@lru_cache(maxsize=8)
def post_pattern(reference: Reference) -> tuple[re.Pattern, dict[str, str]]:
    """Every post label of the reference data as one pattern, and label (folded) -> post key
    (kept per reference: the person and meeting recognisers ask for it in every article)."""
    names = tuple((name, key) for key, post in sorted(reference.posts.items()) for name in post.names)
    names += (("counterpart", ""),) + tuple((word, "") for word in RELATION_WORDS)
    return _post_pattern(names)


@lru_cache(maxsize=8)
def _state_words(reference: Reference) -> dict[str, str]:
    """Names and demonyms of states, folded, to the state code (kept per reference)."""
    out: dict[str, str] = {}
    for code, state in reference.states.items():
        for name in (*state.names, *state.demonyms):
            out[name.casefold()] = code
    return out


@lru_cache(maxsize=8)
def _place_names(reference: Reference) -> frozenset[str]:
    """Every name of a reference place, folded in case only."""
    return frozenset(n.casefold() for place in reference.places.values() for n in place.names)


@lru_cache(maxsize=8)
def _non_names(reference: Reference) -> frozenset[str]:
    """Words that are never part of a person's name here: states, places, posts, ..."""
    words = set(NON_NAME_WORDS) | ORG_HEAD_WORDS | BODY_END_WORDS
    for section in (reference.states, reference.places, reference.organizations, reference.posts):
        for named in section.values():
            for name in (*named.names, *named.demonyms):
                if len(name.split()) == 1 or section is reference.posts:
                    words.update(w.casefold() for w in re.findall(r"[^\W\d_]+", name))
    return frozenset(words)


def find_person_mentions(article: Article, mentions: list[EntityMention],
                         reference: Reference) -> list[PersonMention]:
    """Every titled naming of a person in the article, in text order."""
    post_re, post_keys = post_pattern(reference)
    states = _state_words(reference)
    stop = _non_names(reference)
    found: list[PersonMention] = []
    for sentence in article.sentences:
        text, base = sentence.span.text, sentence.span.start
        taken: list[tuple[int, int]] = []
        post_starts: dict[int, int] = {}  # end of a title -> its start: "Deputy PM and Foreign Minister X"
        for match in post_re.finditer(text):
            role_end = _extend_portfolio(text, match.end())
            post_starts[role_end] = post_starts[match.end()] = match.start()
            seat_end, seat_state = extend_seat(text, role_end, reference)
            counterpart = bool(COUNTERPART.fullmatch(match.group(0).lower()))
            before = BEFORE_NAME.match(text, seat_end)
            possessed = bool(POSSESSED.search(text, max(0, match.start() - 40), match.start()))
            name = _name_after(text, before.end() if before else seat_end, stop,
                               comma=not before and (counterpart or possessed))
            body_state = None
            if name is None:
                found_body = _name_after_body(text, role_end, stop, states, _place_names(reference))
                if found_body is None:
                    continue
                name, body_state = found_body
            if name is None:
                continue
            a, b = name
            if any(a < y and b > x for x, y in taken):
                continue
            role_label = _clean_role(text[match.start():role_end])
            state, former, start = _title_prefix(text, match.start(), states, organisation_states(reference))
            joined = JOINED.search(text, max(0, match.start() - 8), match.start())
            if state is None and joined and joined.start() in post_starts:  # "Cambodian Deputy PM and FM X"
                state = _title_prefix(text, post_starts[joined.start()], states, organisation_states(reference))[0]
            state = state or seat_state or body_state
            relation = match.group(0).casefold() in RELATION_WORDS
            if relation and not OWNER.search(text, max(0, match.start() - 40), match.start()):
                continue  # "to host Lam": a verb, not "his Lao host X"
            key = None if counterpart else post_keys.get(match.group(0).casefold()) or None
            if key and role_end > match.end():
                key = post_keys.get(role_label.casefold())  # an unknown portfolio: no key
            if seat_end > role_end:
                role_label = _clean_role(text[match.start():seat_end])  # "Governor of Gunma Prefecture"
            taken.append((a, b))
            found.append(PersonMention(
                Span(base + a, base + b, text[a:b]), Span(base + start, base + b, text[start:b]),
                sentence.index, None if counterpart or relation else _expand_acronym(role_label, key, reference),
                key, state, former, counterpart))
        found.extend(_ranks(text, base, sentence.index, taken, states, stop))
        found.extend(_appositives(text, base, sentence.index, taken, post_re, post_keys, states, stop, reference))
        found.extend(_honorifics(text, base, sentence.index, taken, stop))
        found.extend(_speakers(text, base, sentence.index, taken, stop))
    return sorted(found, key=lambda m: m.name.start)


def _expand_acronym(label: str, key: str | None, reference: Reference) -> str:
    """"PM" as a role reads "Prime Minister": the post's label stands in for an acronym."""
    if key and label.isupper() and key in reference.posts:
        return reference.posts[key].label
    return label


def _extend_portfolio(text: str, end: int) -> int:
    """Run a title on over "of Science and Technology" style portfolio words."""
    match = re.match(r"\s+(?:of|for|in charge of)\s+", text[end:])
    if not match:
        return end
    pos = end + match.end()
    last = end
    word_re = re.compile(r",?\s*([^\W\d_]+)")
    while (word := word_re.match(text, pos)) and word.group(1).casefold() in PORTFOLIO_WORDS:
        if word.group(1).casefold() not in ("and", "the", "of", "for", "in", "charge"):
            last = word.end(1)
        pos = word.end()
    return last


def _clean_role(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,")


def _name_after(text: str, pos: int, stop: frozenset[str] | set[str],
                comma: bool = False) -> tuple[int, int] | None:
    """The run of capitalised tokens starting right after a title (1 to 4 tokens); with
    ``comma``, also after "title, " when the name closes the phrase ("his Vietnamese
    counterpart, Phan Van Giang, ...")."""
    match = re.match(r"\s+", text[pos:])
    if not match:
        if not comma:
            return None
        match = re.match(r",\s+", text[pos:])
        if not match:
            return None
        found = _name_after(text, pos + match.end() - 1, stop)
        if found is None or len(text[found[0]:found[1]].split()) < 2 \
                or not re.match(r"\s*(?:[,.;]|\(|$|\s+and\b|\s+(?:on|in|at)\s)", text[found[1]:]):
            return None
        return found
    pos += match.end()
    tokens: list[tuple[int, int]] = []
    for token in TOKEN.finditer(text, pos):
        if token.start() != pos or not token.group(0)[0].isupper():
            break
        word = re.sub(r"['’]s$", "", token.group(0))
        if tokens and re.fullmatch(r"I{2,3}|IV|VI{0,3}|Jr", word):  # "Charles III", "Marcos Jr"
            tokens.append((token.start(), token.start() + len(word)))
            break
        vietnamese_tail = len(tokens) >= 2 and _fold(text[tokens[0][0]:tokens[0][1]]) in VIETNAMESE_FAMILY_NAMES \
            and word.casefold() not in NON_NAME_WORDS and not re.match(r" [A-ZÀ-ỸĐ]", text[token.end():])
        if (word.casefold() in stop and not _surname_like(text, token, tokens) and not vietnamese_tail) \
                or word.isupper() and len(word) > 1:
            break
        tokens.append((token.start(), token.start() + len(word)))
        if word != token.group(0) or len(tokens) == 4:
            break  # a possessive ends the name
        initial = re.match(r"\. (?=[A-ZÀ-ỸĐ][a-zà-ỹ])", text[token.end():]) if len(word) == 1 and word.isupper() else None
        if initial:  # "Ferdinand R. Marcos": a middle initial
            tokens[-1] = (token.start(), token.end() + 1)
            pos = token.end() + 2
            continue
        gap = re.match(r" (?=[^\W\d_])", text[token.end():])
        if not gap:
            break
        pos = token.end() + 1
    if not tokens:
        return None
    after = re.match(r" ([A-Z][\w'’-]*)", text[tokens[-1][1]:])
    if after and after.group(1).casefold() in ORG_HEAD_WORDS | BODY_END_WORDS:
        return None  # "chairman of the Policy Research Council": part of a body's name
    return tokens[0][0], tokens[-1][1]


def _fold(word: str) -> str:
    """ASCII lower case, accents dropped: "Trần" -> "tran"."""
    return slug(word).replace("-", "")


def _surname_like(text: str, token: re.Match, tokens: list) -> bool:
    """A capitalised "To" opening a name right after a title ("General Secretary To Van Lam"):
    a family name, not the preposition, when two more capitalised words follow."""
    follows = re.match(r" ([A-ZÀ-ỸĐ][\w'’-]*)", text[token.end():])
    return not tokens and token.group(0) == "To" and bool(follows) and follows is not None \
        and follows.group(1).casefold() not in _STOP_AFTER_TO


_STOP_AFTER_TO = NON_NAME_WORDS | {"vietnam", "japan", "china", "korea", "the"}


def _name_after_body(text: str, pos: int, stop: frozenset[str] | set[str], states: dict[str, str],
                     places: frozenset[str] = frozenset()) -> tuple[tuple[int, int], str | None] | None:
    """A name after the body a title names: "Chairman of the People's Committee of Ho Chi Minh
    City Phan Van Mai", "Consul General of Japan to Ho Chi Minh City Watanabe Nobuhiro",
    "Special Advisor to the ... Alliance (JVFPA) Takebe Tsutomu". The body runs over capitalised
    words and connectives; the name is the two to four title-case words after the last word
    that ends a body or a place (a head noun, a state, an acronym, a portfolio word). The
    state is the one the body opens with ("of Japan", "of the Vietnamese Embassy")."""
    lead = re.match(r"\s+(?P<prep>of|to|for|at|in\s+charge\s+of)\s+|(?P<own>['’]s)\s+", text[pos:])  # "Chairman of the NA's Committee ..."
    if not lead:
        return None
    words = list(re.finditer(r"\(?[^\s,.;:()]+\)?|[,.;:]", text[pos + lead.end():pos + lead.end() + 160]))
    base = pos + lead.end()
    boundary = -1
    run: list[re.Match[str]] = []
    for word in words[:18]:
        w = word.group(0)
        bare = re.sub(r"['’]s$", "", w).strip("()")
        low = bare.casefold()
        if w in ",.;:":
            break
        if w.startswith("(") and w.endswith(")") and bare.isalpha() and bare.isupper():
            boundary = len(run)
            run.append(word)
            continue
        if w.startswith("(") or w.endswith(")"):
            break
        if low in CONNECTIVES or low in SEAT_LOWER:
            if low in SEAT_LOWER:
                boundary = len(run)
            run.append(word)
            continue
        if not bare[:1].isupper():
            break
        if (low in BODY_END_WORDS or low in ORG_HEAD_WORDS or low in states or low in PORTFOLIO_WORDS
                or (bare.isupper() and len(bare) > 1) or w.endswith(("’s", "'s"))):
            boundary = len(run)
        run.append(word)
        for size in (1, 2, 3, 4):  # a known place ends a seat: "Consul General of Japan to Da Nang X"
            if len(run) >= size and " ".join(r.group(0) for r in run[-size:]).casefold() in places:
                boundary = len(run) - 1
    name = run[boundary + 1:] if boundary >= 0 else []
    if not 2 <= len(name) <= 4 or boundary < 0:
        return None
    if any(not (w.group(0)[:1].isupper() and w.group(0)[1:2].islower()) or w.group(0).casefold() in stop
           for w in name):
        return None
    first = re.match(r"(?:the\s+)?([^\W\d_][\w-]*)", text[base:])
    state = None
    if lead.group("prep") == "of" and first:
        state = states.get(re.sub(r"['’]s$", "", first.group(1)).casefold())
    return (base + name[0].start(), base + name[-1].end()), state


def _ranks(text, base, index, taken, states, stop):
    """"Admiral Yamamura Hiroshi", "Lieutenant General Le Van An": a rank as the title."""
    for match in RANK_TITLE.finditer(text):
        name = _name_after(text, match.end(), stop)
        if name is None:
            continue
        a, b = name
        if any(a < y and b > x for x, y in taken):
            continue
        state, former, start = _title_prefix(text, match.start(), states)
        taken.append((a, b))
        yield PersonMention(Span(base + a, base + b, text[a:b]), Span(base + start, base + b, text[start:b]),
                            index, match.group(0), None, state, former)


def _title_prefix(text: str, start: int, states: dict[str, str],
                  orgs: dict[str, str] | None = None) -> tuple[str | None, bool, int]:
    """The state, "former", and where the evidence begins, from the words before a title
    (a demonym or possessive, or an organisation based in a state: "JICA President")."""
    before = text[:start]
    state = None
    former = False
    begin = start
    for _ in range(3):
        match = re.search(r"((?:[A-Z]\.){2,}|[^\W\d_][\w-]*(?:['’]s)?)\s*$", before)  # "U.S. President"
        if not match:
            break
        longer = _state_name_before(before, states) if state is None else None
        if longer:  # "New Zealand Prime Minister", "the United States' President"
            match = longer
        word = match.group(1)
        bare = re.sub(r"['’]s$", "", word)
        if bare.casefold() in states and state is None:
            state = states[bare.casefold()]
            begin = match.start(1)
        elif orgs and bare in orgs and state is None:
            state = orgs[bare]
            begin = match.start(1)
        elif word.casefold() in ("former", "late", "then", "ex", "new", "top"):
            former = former or word.casefold() in ("former", "ex")
            begin = match.start(1)
        elif word.casefold() not in ("his", "her", "their", "the", "its"):
            break
        before = before[:match.start(1)]
    return state, former, begin


_WORDS_BEFORE = {n: re.compile(rf"(?<![\w'’-])((?:[^\W\d_][\w-]*\s+){{{n - 1}}}[^\W\d_][\w-]*(?:['’]s)?)\s*$")
                 for n in (3, 2)}


def _state_name_before(before: str, states: dict[str, str]) -> re.Match[str] | None:
    """A state name of two or three words ending ``before`` ("New Zealand", "Saudi Arabia's")."""
    near = max(0, len(before) - 60)  # three words at most: no need to scan the whole sentence
    for pattern in _WORDS_BEFORE.values():
        match = pattern.search(before, near)
        if match and re.sub(r"['’]s$", "", match.group(1)).casefold() in states:
            return match
    return None


def _appositives(text, base, index, taken, post_re, post_keys, states, stop, reference):
    """"Hiroshi Sato, Japan's minister of State for ...", "James Hughes, the United States'
    President", "Ana Silva, the President of Brazil": a name, a comma, a title."""
    pattern = re.compile(r"(?P<name>[A-ZÀ-ỸĐ][\w'’-]+(?: [A-ZÀ-ỸĐ][\w'’-]+){1,3}),\s+(?:the\s+)?"
                         r"(?:(?P<state>[A-Z][\w ]*?)(?:['’]s|(?<=s)['’])?\s+)?(?=\S)(?![A-Z]\w*['’]s?\s)")
    for match in pattern.finditer(text):
        a, b = match.span("name")
        words = match.group("name").split()
        if any(w.casefold() in stop for w in words) or any(a < y and b > x for x, y in taken):
            continue
        state_word = (match.group("state") or "").casefold()
        post = post_re.match(text, match.end())
        if state_word and state_word not in states:  # "X, State Minister for ...": no state word
            post = post_re.match(text, match.start("state"))
            state_word = ""
        if post is None:
            modifier = POST_MODIFIERS.match(text, match.end())
            post = post_re.match(text, modifier.end()) if modifier else None
        if post is None and match.group("state"):
            # no state before the post: "the President of the United States", but not
            # "in Ho Chi Minh City, PM Thang stressed", where the post is the next person's title
            post = post_re.match(text, match.start("state"))
            state_word = ""
        if post is None:
            continue
        role_end = _extend_portfolio(text, post.end())
        if re.match(r"\s+[A-ZÀ-ỸĐ][a-zà-ỹ]", text[role_end:]) and _name_after(text, role_end, stop) is not None:
            continue  # "X, Japanese Foreign Minister Y": the title is Y's
        state = states.get(state_word) if state_word else None
        if state_word and state is None:
            continue
        if state is None:
            after = re.match(r"\s+of\s+(?:the\s+)?(?P<state>[A-Z][\w]*(?: [A-Z][\w]*)*)", text[role_end:])
            state = states.get(after.group("state").casefold()) if after else None
        role_label = _clean_role(text[post.start():role_end])
        key = post_keys.get(role_label.casefold())
        taken.append((a, b))
        yield PersonMention(Span(base + a, base + b, text[a:b]), Span(base + a, base + role_end, text[a:role_end]),
                            index, role_label[0].upper() + role_label[1:], key, state)


def _honorifics(text, base, index, taken, stop):
    """"Mr. Sato", "Ms Tanaka Yuki": a person without a stated post."""
    for match in HONORIFICS.finditer(text):
        name = _name_after(text, match.end() - 1, stop) if text[match.end() - 1] == " " else None
        if name is None:
            continue
        a, b = name
        if any(a < y and b > x for x, y in taken):
            continue
        taken.append((a, b))
        yield PersonMention(Span(base + a, base + b, text[a:b]), Span(base + match.start(), base + b, text[match.start():b]),
                            index, None, None, None)


def _speakers(text, base, index, taken, stop):
    """"..., said Kim Min-ji, a manager at ...": a person without a post or a state."""
    for match in SPEAKER.finditer(text):
        a, b = match.span("name")
        if any(w.casefold() in stop for w in match.group("name").split()) or any(a < y and b > x for x, y in taken):
            continue
        taken.append((a, b))
        yield PersonMention(Span(base + a, base + b, text[a:b]), Span(base + a, base + b, text[a:b]),
                            index, None, None, None)

