"""Recognising states, organisations, agreements and places in an article's sentences.

Known entities are matched by every name the reference data gives them (labels, aliases,
full names, demonyms for states): acronyms case-sensitively, other names case-insensitively
but only where the text capitalises them, on word boundaries, longest match first.
Unknown organisations and agreements are found by two general patterns — "Long Name
(ACRONYM)" and the proper-name chunker of :mod:`kg.extract.orgnames` (names built around a
head noun: "Japan Coast Guard", "Ministry of Health, Labour and Welfare") — and the head
noun decides which of the two they are. One body written several ways in an article
("Vietnamese Ministry of Finance", "Ministry of Finance") is one entity. News outlets count
only where a body sentence cites them (:mod:`kg.extract.outlets`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple, cast

from kg.model import Article, EntityKind, EntityMention, NewEntity, Span, slug, without_accents
from kg.ingest.reference import Reference
from kg.extract.orgnames import LEADING_STOP, PLACE_TAIL, find_names, head_kind
from kg.extract.firms import find_firms
from kg.extract.outlets import is_cited_outlet

CONNECTORS = {"of", "for", "and", "&", "on", "the", "in", "to"}
CAP_WORD = r"[A-ZÀ-Ỹ0-9][\w'’.&]*(?:[-–][A-ZÀ-Ỹ0-9][\w'’.&]*)*"
LONG_NAME_ACRONYM = re.compile(
    rf"(?P<name>{CAP_WORD}(?:\s+(?:(?:of|for|and|&|on|the|in)\s+)*{CAP_WORD})+)\s*"
    r"\((?P<acronym>[A-Z][A-Za-z0-9&.-]{1,11})\)")
NewKind = Literal["organization", "agreement", "place"]
BOUNDARY_BEFORE = r"(?<![\w$])"
BOUNDARY_AFTER = r"(?![\w$]|[-–][a-z])"


@dataclass(frozen=True)
class Surface:
    """One way of writing one entity."""

    text: str
    kind: str
    key: str


def _is_acronym(text: str) -> bool:
    return " " not in text and sum(c.isupper() for c in text) >= 2


def reference_surfaces(reference: Reference) -> list[Surface]:
    """Every name of every known state, organisation, agreement and place."""
    surfaces: list[Surface] = []
    sections = (("state", reference.states), ("organization", reference.organizations),
                ("agreement", reference.agreements), ("place", reference.places))
    for kind, section in sections:
        for key, named in sorted(section.items()):
            for name in (*named.names, *named.demonyms):
                surfaces.append(Surface(name, kind, key))
    return surfaces


class _Matchers(NamedTuple):
    """Two compiled alternations (case-sensitive acronyms, case-insensitive names) and the
    surfaces they stand for."""

    exact_re: re.Pattern[str]
    folded_re: re.Pattern[str]
    exact: dict[str, Surface]
    folded: dict[str, Surface]


def _alternation(names: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """One pattern for many names, written as a trie of their characters so that the regex
    engine tries each position once rather than once per name; the longest name that ends on
    a word boundary wins (greedy optional groups backtrack to shorter ones)."""
    fold = (lambda c: c.lower()) if flags & re.IGNORECASE else (lambda c: c)
    trie: dict[str, dict] = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(fold(char), {})
        node[""] = {}
    if not trie:
        return re.compile(r"(?!x)x")
    return re.compile(f"{BOUNDARY_BEFORE}{trie_regex(trie)}{BOUNDARY_AFTER}", flags)


def trie_regex(node: dict[str, dict]) -> str:
    """The regex of a trie of characters (a node maps each next character to its child, and
    ``""`` marks a name's end): shared prefixes are tried once, the longest name first."""
    branches = [re.escape(char) + trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in node else body


@lru_cache(maxsize=4)
def _matchers(reference: Reference) -> _Matchers:
    """The reference's names compiled once per reference."""
    exact: dict[str, Surface] = {}
    folded: dict[str, Surface] = {}
    for surface in reference_surfaces(reference):
        if _is_acronym(surface.text):
            exact.setdefault(surface.text, surface)
        else:
            folded.setdefault(surface.text.casefold(), surface)
    return _Matchers(_alternation(exact), _alternation((s.text for s in folded.values()), re.IGNORECASE),
                     exact, folded)


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    kind: str  # state / organization / agreement / place, or "event" (blocks, yields nothing)
    key: str
    new: NewEntity | None = None
    priority: int = 0  # known names first, then "Long Name (ACRONYM)", then head-noun names


def find_entities(article: Article, reference: Reference) -> tuple[list[EntityMention], list[NewEntity]]:
    """Mentions of states, organisations, agreements and places, and the new entities found."""
    exact_re, folded_re, exact, folded = _matchers(reference)
    words = _words(reference)
    level_names, proper, demonyms, states = words.levels, words.proper, words.demonyms, words.states
    known_agreements, outlets = words.agreements, words.outlets
    vietnamese = bool(words.home.search(article.text))
    mentions: list[EntityMention] = []
    new_entities: dict[str, NewEntity] = {}
    for sentence in article.sentences:
        text, base = sentence.span.text, sentence.span.start
        candidates = [*_known(text, exact_re, folded_re, exact, folded)]
        if not _is_headline(sentence.index, article):
            candidates += _unknown(text, level_names, exact, proper, known_agreements, demonyms, states)
            candidates += [_Candidate(a, b, "organization", slug(name),
                                      NewEntity("organization", slug(name), name), priority=3)
                           for a, b, name in find_firms(text, proper)]
            candidates += _implied_party(text, vietnamese)
        for cand in _resolve_overlaps(candidates):
            if cand.kind == "event":
                continue
            if cand.new is None and cand.key in outlets \
                    and not is_cited_outlet(article, text, cand.start, cand.end):
                continue  # a dateline, credit or the publisher: not a fact of the article
            if cand.new is None and cand.kind == "organization" and _names_its_meeting(text, cand):
                continue  # "in Kuala Lumpur for the East Asia Summit": the meeting, an event
            if cand.new is not None:
                existing = new_entities.get(cand.new.key)
                new_entities[cand.new.key] = _merge(existing, cand.new) if existing else cand.new
            span = Span(base + cand.start, base + cand.end, text[cand.start:cand.end])
            mentions.append(EntityMention(cast(EntityKind, cand.kind), cand.key, span, sentence.index))
    mentions, new_entities = _merge_variants(mentions, new_entities)
    mentions, new_entities = _localise_generic(article, mentions, new_entities)
    mentions = _add_bare_acronyms(article, mentions, new_entities)
    return sorted(mentions, key=lambda m: (m.span.start, m.span.end)), sorted(new_entities.values(), key=lambda e: e.key)


# "Party General Secretary", "the Party and the State", "the late Party leader": in an
# article about Vietnam, the capitalised Party on its own is the Communist Party of Vietnam.
IMPLIED_PARTY = re.compile(
    r"(?<=\bthe )Party\b(?!\s+of\b)|"
    r"\bParty(?=\s+(?:General Secretary|Central Committee|Secretary|chief|"
    r"leader|leadership|Chief|Congress|Committee)\b)")


# Where a forum named by its meeting ("East Asia Summit") stands for that meeting.
AT_MEETING = re.compile(r"(?:\bfor|\bat|\battend\w*|\bsidelines of|\bahead of|\bduring|\boccasion of|"
                        r"\bhost\w*|\bbefore|\bafter)\s+the\s+(?:\w+(?:st|nd|rd|th)\s+)?(?:[\w-]+[-–])?$",
                        re.IGNORECASE)


def _names_its_meeting(text: str, cand: _Candidate) -> bool:
    last_word = text[cand.start:cand.end].split()[-1]
    return head_kind(last_word) == "event" and bool(AT_MEETING.search(text[max(0, cand.start - 40):cand.start]))


def _implied_party(text: str, vietnamese: bool) -> list[_Candidate]:
    """The Communist Party of Vietnam where a title or phrase implies it (rule R3)."""
    if not vietnamese:
        return []
    return [_Candidate(m.start(), m.end(), "organization", "cpv", priority=4)
            for m in IMPLIED_PARTY.finditer(text)
            if not re.search(r"[A-Z][\w’'-]*\s+$", text[max(0, m.start() - 30):m.start()])]


@dataclass(frozen=True)
class _Words:
    """What the recognisers look names up in, built once per reference."""

    levels: set[str]  # partnership levels
    proper: set[str]  # states, demonyms and places: words that make a name
    demonyms: set[str]
    states: set[str]
    agreements: dict[str, str]  # squashed name -> agreement key
    outlets: set[str]  # keys of news outlets
    home: re.Pattern[str]  # any name of Vietnam


@lru_cache(maxsize=4)
def _words(reference: Reference) -> _Words:
    names = {n.casefold() for section in (reference.states, reference.places)
             for named in section.values() for n in (*named.names, *named.demonyms)}
    vietnam = reference.states.get("VN")
    home = "|".join(re.escape(n) for n in sorted((*vietnam.names, *vietnam.demonyms), key=len, reverse=True)) \
        if vietnam else r"(?!x)x"
    return _Words(
        levels={n.casefold() for level in reference.partnership_levels.values() for n in level.names},
        proper=names | {n.removeprefix("the ") for n in names},
        demonyms={d.casefold() for named in reference.states.values() for d in named.demonyms},
        states={n.casefold() for named in reference.states.values() for n in named.names},
        agreements={_squash(name): key for key, named in reference.agreements.items() for name in named.names},
        outlets={key for key, named in reference.organizations.items() if "NewsOutlet" in named.kinds},
        home=re.compile(f"{BOUNDARY_BEFORE}(?:{home}){BOUNDARY_AFTER}"),
    )


def _is_headline(index: int, article: Article) -> bool:
    """Title lines are written in title case: no new names are guessed from them."""
    return article.title is not None and article.sentences[index].span.start == article.title.start


def _known(text: str, exact_re: re.Pattern[str], folded_re: re.Pattern[str], exact: dict[str, Surface],
           folded: dict[str, Surface]) -> Iterator[_Candidate]:
    """Mentions of known names: acronyms as written, other names in any case but capitalised
    unless three words long ("free and open Indo-Pacific")."""
    for exact_match in exact_re.finditer(text):
        s = exact[exact_match.group(0)]
        yield _Candidate(exact_match.start(), exact_match.end(), s.kind, s.key)
    pos = 0
    while (match := folded_re.search(text, pos)) is not None:
        found = match.group(0)
        if not found[0].isupper() and len(found.split()) < 3:
            # "china" the porcelain, "japan" the lacquer: short names are capitalised; and
            # "the Japan Times" is still "Japan Times" one word on
            pos = match.start() + 1
            continue
        s = folded[found.casefold()]
        yield _Candidate(match.start(), match.end(), s.kind, s.key)
        pos = match.end()


def _head_kind(name: str) -> tuple[str | None, str]:
    """The kind a name's head noun gives it: the last word before "of/for", else the last."""
    words = name.split()
    for i, word in enumerate(words):
        if word in ("of", "for") and i > 0:
            words = words[:i]
            break
    head = re.sub(r"[^\w]", "", words[-1]).lower()
    return head_kind(head), head


def _acronym_fits(name: str, acronym: str) -> bool:
    """The acronym's letters appear in order among the initials of the name's words."""
    initials = "".join(part[0] for word in name.split() for part in re.split(r"[-–]", word) if part).lower()
    letters = [c for c in acronym.lower() if c.isalpha()]
    if _in_order(letters, initials):
        return len(letters) >= 2
    # "Southeast Asia Regional Programme (SEARP)": one letter taken from inside a word
    content = list(initials)
    return len(letters) >= 4 and letters[0] == initials[:1] and len(letters) - len(content) <= 1 \
        and len(content) >= 3 and _in_order(content, "".join(letters))


def _in_order(letters: list[str], initials: str) -> bool:
    """Every letter found in ``initials``, in order."""
    pos = 0
    for c in letters:
        pos = initials.find(c, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def _trim_leading(name: str) -> tuple[str, int]:
    """Drop leading articles and sentence openers: returns the name and the offset dropped."""
    words = name.split(" ")
    dropped = 0
    while len(words) > 1 and (words[0].lower() in LEADING_STOP or words[0].lower() in CONNECTORS
                              or words[0][:1].isdigit()):
        dropped += len(words[0]) + 1
        words = words[1:]
    return " ".join(words), dropped


def _unknown(text: str, level_names: set[str], known_acronyms: dict[str, Surface], proper: set[str],
             known_agreements: dict[str, str], demonyms: set[str], states: set[str]) -> Iterator[_Candidate]:
    """Names of organisations and agreements the reference data does not know."""
    for match in LONG_NAME_ACRONYM.finditer(text):
        name, offset = _trim_leading(match.group("name"))
        acronym = match.group("acronym")
        if not _acronym_fits(name, acronym):
            # the acronym may cover only the tail of the capitalised run
            tail, offset = _fit_tail(match.group("name"), acronym)
            if tail is None:
                continue
            name = tail
        start = match.start("name") + offset
        kind, _ = _head_kind(name)
        if kind is None or name.casefold() in level_names:
            continue
        if acronym in known_acronyms:
            continue  # the reference knows it (a forum too: "ASEAN Regional Forum (ARF)"): the known-name matcher finds it
        if kind == "event":
            yield _Candidate(start, match.end(), "event", slug(acronym))
            continue
        key = slug(acronym)
        yield _Candidate(start, match.end("name"), kind, key,
                         NewEntity(cast(NewKind, kind), key, acronym, (name,)), priority=1)
    for found in find_names(text, proper):
        if found.kind == "event":
            continue  # an event's name does not hide the names inside it ("ASEAN Future Forum")
        name = found.name
        if found.kind == "agreement" and any(level in name.casefold() for level in level_names):
            continue
        known = _known_agreement(name, known_agreements) if found.kind == "agreement" else None
        if known is not None:
            yield _Candidate(found.start, found.end, "agreement", known, priority=2)
            continue
        label = _canonical(name)
        key = slug(label)
        aliases = tuple(dict.fromkeys(a for a in (name, *_short_forms(label, demonyms)) if a != label))
        yield _Candidate(found.start, found.end, found.kind, key,
                         NewEntity(cast(NewKind, found.kind), key, label, aliases), priority=2)


def _canonical(name: str) -> str:
    """One spelling of a guessed name in every article, so that one key has one label:
    straight apostrophes, joined dashes, a capital first letter."""
    name = re.sub(r"\s*[–—]\s*|\s+-\s+", "-", name.replace("’", "'"))
    name = " ".join(name.split())
    return name[:1].upper() + name[1:]


def _squash(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())


PAIR_PREFIX = re.compile(r"^(?P<a>[^\s–-]+)\s*[–-]\s*(?P<b>[^\s–-]+)\s+(?P<rest>.+)$")


def _known_agreement(name: str, known: dict[str, str]) -> str | None:
    """A guessed title that is a known agreement written with its two parties first or in
    the other order ("Philippines-Japan Reciprocal Access Agreement", "Japan-Vietnam
    Economic Partnership Agreement")."""
    forms = [name]
    pair = PAIR_PREFIX.match(name)
    if pair:
        forms += [f"{pair['b']}-{pair['a']} {pair['rest']}", pair["rest"]]
    return next((known[_squash(f)] for f in forms if _squash(f) in known), None)


def _short_forms(name: str, demonyms: set[str]) -> tuple[str, ...]:
    """Other ways the same body is written: without the demonym that opens it ("Japanese
    Ministry of Finance" -> "Ministry of Finance"), without its place ("Embassy of Japan in
    Vietnam" -> "Embassy of Japan"; "JICA Office in Viet Nam" -> "JICA Viet Nam Office"),
    and "of" for "in" before a city ("Association of Sakai city"). "of <state>" stays: the
    "National Assembly of the Republic of Korea" is not Vietnam's National Assembly."""
    forms: list[str] = []
    words = name.split(" ")
    if words[0].casefold() in demonyms and len(words) >= 3:
        forms.append(" ".join(words[1:]))
    owned = re.match(r"^[^’']+[’']s (?P<rest>.+)$", name)
    if owned and len(owned["rest"].split()) >= 2:
        forms.append(owned["rest"])
    for form in [name, *forms]:
        if " in " in form:
            bare, place = form[:form.rindex(" in ")], form[form.rindex(" in ") + 4:]
            if len(bare.split()) >= 2:
                forms.append(bare)
                head = bare.split()
                if len(head) >= 2 and " of " not in bare:
                    forms.append(" ".join([*head[:-1], place, head[-1]]))
            if place.split()[-1].casefold() in PLACE_TAIL:
                forms.append(f"{bare} of {place}")
        elif " of " in form:
            bare, place = form[:form.rindex(" of ")], form[form.rindex(" of ") + 4:]
            if place.split()[-1].casefold() in PLACE_TAIL:
                forms.append(f"{bare} in {place}")
    return tuple(dict.fromkeys(f for f in forms if f != name))


def _fit_tail(name: str, acronym: str) -> tuple[str | None, int]:
    words = name.split(" ")
    for i in range(1, len(words) - 1):
        tail = " ".join(words[i:])
        if words[i].lower() not in CONNECTORS and _acronym_fits(tail, acronym) \
                and len(words) - i >= len([c for c in acronym if c.isupper()]) - 1:
            return tail, len(" ".join(words[:i])) + 1
    return None, 0


def _resolve_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest match wins; among equals, known entities before guessed ones."""
    chosen: list[_Candidate] = []
    order = sorted(candidates, key=lambda c: (-(c.end - c.start), c.priority, c.start, c.kind, c.key))
    for cand in order:
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


def _merge(old: NewEntity, new: NewEntity) -> NewEntity:
    aliases = tuple(sorted(set(old.aliases) | set(new.aliases) - {old.label}))
    return NewEntity(old.kind, old.key, old.label, aliases)


def _merge_variants(mentions: list[EntityMention], new_entities: dict[str, NewEntity]
                    ) -> tuple[list[EntityMention], dict[str, NewEntity]]:
    """One body written several ways in one article is one entity: a shorter form ("Ministry
    of Public Security", "municipal People's Committee", "Friendship Association") joins the
    fuller one it is an alias, the tail or the head of ("Vietnamese Ministry of Public
    Security", "Ho Chi Minh City People's Committee", "Friendship Association in Kansai")."""
    target: dict[str, str] = {}
    by_length = sorted(new_entities.values(), key=lambda e: (len(e.label), e.key))
    for short in by_length:
        core = _core(short.label)
        if len(core.split()) < 2:
            continue
        named = [e for e in by_length if e.kind == short.kind and e.key != short.key
                 and _folded(short.label) in {_folded(a) for a in e.aliases}]
        fuller = named or [e for e in by_length if e.kind == short.kind and e.key != short.key
                           and len(e.label) > len(short.label) and _absorbs(e, short.label, core)]
        fuller = [e for e in fuller if _final(target, e.key) != short.key]
        if len(fuller) == 1 or named and fuller:
            target[short.key] = fuller[0].key
    if not target:
        return mentions, new_entities

    def final(key: str) -> str:
        return _final(target, key)

    merged = {key: entity for key, entity in new_entities.items() if key not in target}
    for key in sorted(target):
        short, into = new_entities[key], merged[final(key)]
        merged[into.key] = _merge(into, NewEntity(into.kind, into.key, short.label, short.aliases))
    return [EntityMention(m.kind, final(m.key), m.span, m.sentence) if m.key in target else m
            for m in mentions], merged


def _localise_generic(article: Article, mentions: list[EntityMention], new_entities: dict[str, NewEntity]
                      ) -> tuple[list[EntityMention], dict[str, NewEntity]]:
    """"the provincial People's Committee" with no province named: a body of this article's
    province, not one entity shared by every province, so its key carries the article."""
    stem = slug(article.file_name.rsplit(".", 1)[0])
    renamed = {key: f"{stem}-{key}" for key, entity in new_entities.items()
               if entity.label.split()[0].casefold() in ("provincial", "municipal")}
    if not renamed:
        return mentions, new_entities
    entities = {renamed.get(key, key): NewEntity(e.kind, renamed.get(key, key), e.label, e.aliases)
                for key, e in new_entities.items()}
    return [EntityMention(m.kind, renamed[m.key], m.span, m.sentence) if m.key in renamed else m
            for m in mentions], entities


def _final(target: dict[str, str], key: str) -> str:
    while key in target:
        key = target[key]
    return key


def _folded(name: str) -> str:
    """Casefolded, without diacritics or punctuation: "Việt Nam" is "Viet Nam"."""
    return _squash(without_accents(name))


def _core(label: str) -> str:
    """A name without the lower-case words that open it ("municipal People's Committee")."""
    words = label.split()
    while words and (not words[0][:1].isupper() and not words[0][:1].isdigit()
                     or words[0].casefold() in ("provincial", "municipal")):
        words = words[1:]
    return " ".join(words)


def _absorbs(fuller: NewEntity, label: str, core: str) -> bool:
    names = [_folded(n) for n in (fuller.label, *fuller.aliases)]
    label, core = _folded(label), _folded(core)
    return any(n == label or n.endswith(" " + core) or n.startswith(core + " in ")
               or n.startswith(core + " of ") for n in names)


def _add_bare_acronyms(article: Article, mentions: list[EntityMention],
                       new_entities: dict[str, NewEntity]) -> list[EntityMention]:
    """Later bare uses of an acronym that a "Long Name (ACRONYM)" introduced."""
    taken = [(m.span.start, m.span.end) for m in mentions]
    added = []
    for entity in new_entities.values():
        if not _is_acronym(entity.label):
            continue
        pattern = re.compile(BOUNDARY_BEFORE + re.escape(entity.label) + BOUNDARY_AFTER)
        for sentence in article.sentences:
            for match in pattern.finditer(sentence.span.text):
                a, b = sentence.span.start + match.start(), sentence.span.start + match.end()
                if any(a < y and b > x for x, y in taken):
                    continue
                added.append(EntityMention(entity.kind, entity.key, Span(a, b, match.group(0)), sentence.index))
    return mentions + added
