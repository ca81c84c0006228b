"""Entity resolution: every naming of one person in an article becomes one :class:`Person`.

"Prime Minister Tran Van Lam", "PM Lam", "Lam" and "the Government leader" are one
person; "Tanaka Emi" and "Emi Tanaka" are one key (:func:`kg.model.person_key`). Names
merge by shared tokens (a shorter name's tokens all in a longer one), a short or bare name
only when one person alone carries it, a description ("the Japanese minister") only when
one person alone fits its post and state. The key is minted from the fullest name, and
clusters are formed longest name first, so neither depends on the order of files or lines.

The state a person serves comes from the title ("Japanese Ambassador", "Japan's minister",
"his Japanese counterpart"); failing that, from the one foreign state a minor person's only
sentence is about; failing that, titled officials are taken to be of :data:`HOME_STATE`,
unless their full name is not Vietnamese: then of the foreign state the article is about.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extract.persons import VIETNAMESE_FAMILY_NAMES, PersonMention, find_person_mentions
from kg.model import Article, EntityMention, Person, PostHolding, Span, person_key, slug
from kg.ingest.reference import HOME_STATE, Reference

# The outlets this project reads are Vietnamese: they mark a foreign official with a demonym
# or possessive ("Japanese Minister ..."), so an official they leave unmarked is Vietnamese.
# Posts that firms, chambers and international bodies have too: unmarked, they say nothing of a state.
ORGANISATION_POSTS = {"chairman", "chief-representative", "secretary-general"}
# Posts of monarchies: Vietnam has none, so an unmarked holder is never of the home state.
ROYAL_POSTS = {"emperor", "empress", "king", "queen", "crown-prince", "crown-princess"}
# "X is paying a visit to Japan": the destination of a trip is not the traveller's state.
DESTINATION = re.compile(r"\b(?:visit|trip|tour|travel\w*|arriv\w*|to|in)\s+(?:\w+\s+)?$", re.I)
GENERIC = (r"(?<![\w-])(?P<det>(?-i:[Tt]he|[Hh]is|[Hh]er))\s+(?:(?P<demonym>(?-i:[A-Z][a-z]+))\s+)?"
           r"(?P<post>{posts})(?![\w-])(?!(?-i:\s+[A-ZÀ-Ỹ][a-zà-ỹ]))")


@dataclass
class _Cluster:
    mentions: list[PersonMention] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    extra: list[Span] = field(default_factory=list)  # bare names and descriptions
    state: str | None = None

    @property
    def name(self) -> str:
        best = max(self.mentions, key=lambda m: (len(m.name.text.split()), -m.name.start))
        return best.name.text

    @property
    def first(self) -> int:
        return min(m.name.start for m in self.mentions)

    def posts(self) -> set[str]:
        """Posts held now (a "former" title does not make a "the PM" refer to them)."""
        return {m.role for m in self.mentions if m.role and not m.former}


@dataclass
class ResolvedPersons:
    """The persons of one article, their posts, and every span that names them."""

    persons: list[Person]
    holdings: list[PostHolding]
    mentions: list[EntityMention]


def _tokens(name: str) -> set[str]:
    return set(slug(name).split("-")) - {""}


def _cluster(mentions: list[PersonMention]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    order = sorted(mentions, key=lambda m: (-len(m.name.text.split()), m.name.start))
    for mention in order:
        tokens = _tokens(mention.name.text)
        if len(tokens) > 1:
            home = next((c for c in clusters if tokens <= c.tokens or c.tokens <= tokens), None)
        else:
            owners = [c for c in clusters if tokens <= c.tokens]
            if len(owners) > 1 and mention.role:
                owners = [c for c in owners if mention.role in c.posts()] or owners
            home = owners[0] if len(owners) == 1 else None
            if len(owners) > 1:
                continue  # ambiguous short name: better unattributed than wrong
        if home is None:
            home = _Cluster()
            clusters.append(home)
        home.mentions.append(mention)
        home.tokens |= tokens
    return sorted(clusters, key=lambda c: c.first)


def _inherit_counterparts(mentions: list[PersonMention]) -> list[PersonMention]:
    """"X and his Japanese counterpart Y": Y holds X's post (in Y's state)."""
    out = []
    for m in mentions:
        if m.counterpart:
            other = next((o for o in reversed(mentions) if o.sentence == m.sentence and not o.counterpart
                          and o.name.start < m.name.start and o.role_label), None)
            if other is None:
                other = next((o for o in mentions if not o.counterpart and o.role_label
                              and o.name.start < m.name.start), None)
            if other is not None:
                m = PersonMention(m.name, m.evidence, m.sentence, other.role_label, other.role, m.state,
                                  m.former, True)
        out.append(m)
    return out


def _is_word(char: str) -> bool:
    """``[\\w-]`` of a regular expression: a Unicode letter or digit, ``_`` or ``-``."""
    return char.isalnum() or char in "_-"


def _is_capital(char: str) -> bool:
    """``[A-ZÀ-Ỹ]``, the capitals the name patterns know."""
    return "A" <= char <= "Z" or "\u00c0" <= char <= "\u1ef8"


def _call_name_matches(text: str, names: list[str], start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """Where ``names`` stand alone in ``text[start:end]``, left to right, not overlapping: what
    ``re.finditer(r"(?<![\\w-])(N1|N2|...)(?![\\w-])(?!\\s+[A-ZÀ-Ỹ])", text, start, end)`` finds
    for the names in that order (at one place the first that fits wins), without compiling
    a pattern for each article's names, which cost more than all the matching."""
    found = []
    for rank, name in enumerate(names):
        at = text.find(name, start, end)
        while at != -1:
            found.append((at, rank))
            at = text.find(name, at + 1, end)
    resume = start
    for at, rank in sorted(found):
        if at < resume or (at > 0 and _is_word(text[at - 1])):
            continue
        after = at + len(names[rank])
        if after < end and _is_word(text[after]):
            continue
        space = after
        while space < end and text[space].isspace():
            space += 1
        if any(_is_capital(text[k]) for k in range(after + 1, min(space + 1, end))):
            continue  # "\s+[A-ZÀ-Ỹ]" follows: the name goes on
        resume = after
        yield at, after, names[rank]


def _bare_names(article: Article, clusters: list[_Cluster], taken: list[tuple[int, int]]) -> None:
    """"Lam expressed ...", "Lam's visit": a call name alone, after the person's first mention."""
    calls: dict[str, list[_Cluster]] = {}
    for c in clusters:
        names = {m.name.text for m in c.mentions}  # a full name again, without its title
        full = c.name.split()
        if len(full) >= 3:
            names.add(full[-1])  # Vietnamese given name: "Lam" of "Tran Van Lam"
        elif len(full) == 2:
            names.update(full)  # "Tanaka Emi" or "Emi Tanaka": either order, so either word
        for n in names:
            calls.setdefault(n, []).append(c)
    if not calls:
        return
    ordered = sorted(calls)
    for sentence in article.sentences:
        for a, b, name in _call_name_matches(article.text, ordered, sentence.span.start, sentence.span.end):
            owners = calls[name]
            if len(owners) != 1 or a < owners[0].first or any(a < y and b > x for x, y in taken):
                continue
            if a > 0 and re.search(r"[A-ZÀ-Ỹ][\w-]*\s$", article.text[max(0, a - 30):a]) and \
                    not article.text[max(0, a - 30):a].rstrip().endswith((".", ",")) and a != sentence.span.start:
                continue  # inside some other capitalised run
            owners[0].extra.append(Span(a, b, name))
            taken.append((a, b))


@lru_cache(maxsize=8)
def _post_descriptions(reference: Reference) -> tuple[dict[str, str], re.Pattern[str]]:
    """Post names (casefolded) to their keys, and the pattern of a description naming one:
    made once per reference, not once per article (escaping every post name cost 1% of a
    build's CPU)."""
    labels: dict[str, str] = {}
    for key, named in reference.posts.items():
        for name in named.names:
            labels[name.casefold()] = key
    alternation = "|".join(re.escape(n) for n in sorted(labels, key=len, reverse=True))
    return labels, re.compile(GENERIC.format(posts=alternation), re.IGNORECASE)


def _descriptions(article: Article, clusters: list[_Cluster], reference: Reference,
                  states: dict[str, str], taken: list[tuple[int, int]]) -> None:
    """"the PM", "The Vietnamese PM", "the Japanese minister", "the Government leader"."""
    labels, pattern = _post_descriptions(reference)
    for sentence in article.sentences:
        for match in pattern.finditer(article.text, sentence.span.start, sentence.span.end):
            a, b = match.span()
            if any(a < y and b > x for x, y in taken):
                continue
            post = labels[match.group("post").casefold()]
            demonym = match.group("demonym")
            state = states.get(demonym.casefold()) if demonym else None
            if demonym and state is None:
                longer = labels.get(f"{demonym} {match.group('post')}".casefold())
                if longer is None:
                    continue
                post, demonym = longer, None  # "the Government leader": a post of its own, not "leader"
            fits = [c for c in clusters if c.first < a and _holds(c, post)
                    and (state is None or c.state in (None, state))]
            if state is not None and len(fits) > 1:
                fits = [c for c in fits if c.state == state] or fits
            if len(fits) != 1:
                continue
            if state is not None and fits[0].state is None:
                fits[0].state = state
            fits[0].extra.append(Span(a, b, article.text[a:b]))
            taken.append((a, b))


def _holds(cluster: _Cluster, post: str) -> bool:
    """Does the cluster hold ``post``, or a post under it ("minister" covers every minister)?"""
    posts = cluster.posts()
    if post in posts:
        return True
    return post == "minister" and any(p.startswith("minister") for p in posts)


def _state_from_context(cluster: _Cluster, entities: list[EntityMention],
                        evidence: list[tuple[int, int]], present: dict[int, set[str]],
                        abroad: str | None, demonyms: frozenset[str] = frozenset(),
                        text: str = "", outlet: str | None = None) -> str | None:
    """A minor person (one sentence) with no state of their own: the one state that sentence
    is about, when that is a foreign state no other person there already stands for ("met
    Minister X to discuss a Japanese industrial park" with a Japanese guest: X is the host),
    and named by the state's name (a demonym only qualifies something: "the Japanese leader");
    else, for an official, the home state if the name opens with a Vietnamese family name, and
    otherwise the state of the dateline when it is abroad, else the foreign state the article
    names most."""
    sentences = {m.sentence for m in cluster.mentions}
    if _vietnamese_name(cluster.name):
        return HOME_STATE
    if len(sentences) == 1 and not cluster.extra:
        index = next(iter(sentences))
        states_there = [e for e in entities if e.kind == "state" and e.sentence == index
                        and not any(a <= e.span.start < b for a, b in evidence)
                        and e.span.text.casefold() not in demonyms]
        named = {e.key for e in states_there}
        travelled = any(DESTINATION.search(text[max(0, e.span.start - 30):e.span.start]) for e in states_there)
        if len(named) == 1 and not travelled and HOME_STATE not in named and not named & present.get(index, set()):
            return next(iter(named))
    if any(m.role_label and m.role not in ORGANISATION_POSTS for m in cluster.mentions):
        royal = any(m.role in ROYAL_POSTS for m in cluster.mentions)
        if _foreign_name(cluster.name) or royal:  # datelined in Seoul: the host's
            return outlet or abroad or _main_foreign_state(entities)
        return HOME_STATE
    return None


def _vietnamese_name(name: str) -> bool:
    """A full Vietnamese name: three words or more, opening with a Vietnamese family name."""
    words = slug(name).split("-")
    return len(name.split()) >= 3 and words[0] in VIETNAMESE_FAMILY_NAMES


def _outlet_state(article: Article, reference: Reference) -> str | None:
    """The foreign state an outlet's name carries ("The Japan News", "The Korea Herald"): its
    unmarked officials are that state's, as a Vietnamese outlet's are Vietnam's."""
    words = re.findall(r"[^\W\d_]+", article.outlet or "")
    found = {code for code, state in reference.states.items()
             for name in (*state.names, *state.demonyms)
             if len(name.split()) == 1 and name in words}
    return next(iter(found)) if len(found) == 1 and HOME_STATE not in found else None


def _foreign_name(name: str) -> bool:
    """A full name (two words or more) that does not open with a Vietnamese family name."""
    words = slug(name).split("-")
    return len(name.split()) >= 2 and words[0] not in VIETNAMESE_FAMILY_NAMES


def _main_foreign_state(entities: list[EntityMention]) -> str | None:
    """The foreign state the article names most often, when one leads."""
    counts = Counter(e.key for e in entities if e.kind == "state" and e.key != HOME_STATE).most_common(2)
    if not counts or (len(counts) == 2 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


def _states_present(article: Article, clusters: list[_Cluster]) -> dict[int, set[str]]:
    """Per sentence, the states of the persons there whose state the text gives."""
    present: dict[int, set[str]] = {}
    for c in clusters:
        if c.state:
            sentences = {m.sentence for m in c.mentions} | {_sentence_of(article, s.start) for s in c.extra}
            for index in sentences:
                present.setdefault(index, set()).add(c.state)
    return present


def resolve_persons(article: Article, mentions: list[PersonMention], entities: list[EntityMention],
                    reference: Reference) -> ResolvedPersons:
    """Merge the person mentions of one article into persons with posts and states."""
    mentions = _inherit_counterparts(sorted(mentions, key=lambda m: m.name.start))
    clusters = _cluster(mentions)
    states = {n.casefold(): code for code, s in reference.states.items() for n in (*s.names, *s.demonyms)}
    for c in clusters:
        stated = Counter(m.state for m in c.mentions if m.state)
        c.state = min(stated, key=lambda s: (-stated[s], s)) if stated else None
    taken = [(m.evidence.start, m.evidence.end) for m in mentions]
    _descriptions(article, clusters, reference, states, taken)
    _bare_names(article, clusters, taken)
    present = _states_present(article, clusters)
    demonyms = frozenset(d.casefold() for s in reference.states.values() for d in s.demonyms)
    abroad = _datelined_abroad(article, reference)
    outlet = _outlet_state(article, reference)
    for c in clusters:
        if c.state is None:
            c.state = _state_from_context(c, entities, [(m.evidence.start, m.evidence.end) for m in mentions],
                                          present, abroad, demonyms, article.text, outlet)
    return _assemble(article, clusters)


def find_persons(article: Article, mentions: list[EntityMention],
                 reference: Reference) -> tuple[list[Person], list[PostHolding]]:
    """Persons and the posts they hold, every mention merged (see :mod:`kg.extract.resolve`)."""
    resolved = resolve_persons(article, find_person_mentions(article, mentions, reference), mentions, reference)
    return resolved.persons, resolved.holdings


def _datelined_abroad(article: Article, reference: Reference) -> str | None:
    """The foreign state of the article's dateline ("Seoul (VNA) –"), if it is abroad."""
    where = (article.dateline_place or "").casefold()
    if not where:
        return None
    for place in reference.places.values():
        if where in (n.casefold() for n in place.names):
            return place.state if place.state not in (None, HOME_STATE) else None
    return None


def _sentence_of(article: Article, pos: int) -> int:
    return next((s.index for s in article.sentences if s.span.start <= pos < s.span.end), 0)


def _assemble(article: Article, clusters: list[_Cluster]) -> ResolvedPersons:
    persons, holdings, spans = [], [], []
    for c in clusters:
        key = person_key(c.name)
        names = [m.name for m in c.mentions] + c.extra
        variants = tuple(sorted({s.text for s in names} | {m.evidence.text for m in c.mentions} - {c.name}))
        persons.append(Person(key, c.name, variants, c.state, tuple(sorted(set(names)))))
        seen: set[str] = set()
        specific = any(m.role_label and m.role != "minister" and "minister" in m.role_label.casefold()
                       for m in c.mentions)
        for m in sorted(c.mentions, key=lambda m: m.name.start):
            if not m.role_label or (m.role == "minister" and specific):
                continue  # "Minister Tanaka" adds nothing to "Minister of Foreign Affairs"
            ident = m.role or m.role_label.casefold()
            if ident in seen:
                continue
            seen.add(ident)
            holdings.append(PostHolding(key, m.role_label, m.role, c.state, m.former, m.evidence))
        for m in c.mentions:
            spans.append(EntityMention("person", key, m.name, m.sentence))
        for s in c.extra:
            spans.append(EntityMention("person", key, s, _sentence_of(article, s.start)))
    persons.sort(key=lambda p: p.key)
    holdings.sort(key=lambda h: (h.person, h.evidence.start))
    spans.sort(key=lambda m: (m.span.start, m.span.end))
    return ResolvedPersons(persons, holdings, spans)
