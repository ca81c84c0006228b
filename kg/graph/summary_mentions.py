"""The summary's mention groups: which articles mention each entity, how often, and where first.

`articles-mentioning` lists the articles that mention one entity with the number of its
mentions and the first one's offset and text. Evaluated from the mentions, that reads every
mention of the entity with its article, offset and text: for a state named in every other
article, about 73,000 mentions at 10,000 articles (10 s). The build aggregates them once
(``internal/summary-mentioning-articles.rq``) and writes one node per entity and article into
the summary graph; the stored query reads an entity's nodes from a node whose IRI it
computes from the entity's (``IRI(CONCAT(..., ENCODE_FOR_URI(STR(?entity))))``), so that no
summary triple points at the entity or the article and their `entity-profile` stays the same.

A build that makes every article graph of the store finds the groups in its workers, each in
the graph it makes (:func:`graph_groups`); otherwise the query reads them from the store.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from kg.files import internal_query
from kg.namespaces import OA, VJO, VJR, VJS, summary_node
from kg.store.store import Store

MENTIONS_BASE = str(VJR["summary/mentions/"])
# One group: entity and article node (IRIs), then in N-Triples the article's file name, the
# number of mentions, the first one's offset and its text.
MentionGroup = tuple[str, str, str, str, str | None, str | None]
_DENOTES, _IN_ARTICLE, _FILE_NAME = (f"<{VJO[name]}>".encode() for name in ("denotes", "inArticle", "fileName"))
_START, _EXACT = f"<{OA['start']}>".encode(), f"<{OA['exact']}>".encode()
_READ = {_DENOTES, _IN_ARTICLE, _FILE_NAME, _START, _EXACT}


def mentions_node(entity: str) -> str:
    """The summary node whose ``vjs:mentionedIn`` lists ``entity``'s mention groups; an IRI
    made from the entity's, as SPARQL's ``ENCODE_FOR_URI`` makes it.

    >>> mentions_node("https://w3id.org/vjkg/id/state/JP")
    'https://w3id.org/vjkg/id/summary/mentions/https%3A%2F%2Fw3id.org%2Fvjkg%2Fid%2Fstate%2FJP'
    """
    return summary_node("mentions", entity)


def query_groups(rows: Iterable[ox.QuerySolution]) -> list[MentionGroup]:
    """The mention groups of ``internal/summary-mentioning-articles.rq``'s rows, each read once
    into a tuple of strings, so that the query's solutions are not all held at once (about
    400,000 rows at 10,000 articles, while other summary reads run beside)."""
    def text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str | None:
        return None if term is None else str(term)

    return [(row["entity"].value, row["source"].value, str(row["article"]), str(row["mentions"]),
             text(row["first_offset"]), text(row["first_text"]))
            for row in rows
            if isinstance(row["entity"], ox.NamedNode) and isinstance(row["source"], ox.NamedNode)]


def graph_groups(lines: Sequence[bytes], triples: Sequence[ox.Triple]) -> list[MentionGroup]:
    """The mention groups of one graph, given as its N-Triples ``lines`` and the same triples
    as terms, in the same order (:func:`kg.graph.triples.article_triples`): the groups the
    query finds in the graph once stored (``internal/summary-mentioning-articles.rq``, whose
    patterns all sit in one graph). The build's workers compute them from the article graphs
    they make, so that its serial end need not read every mention of the store again (22 s
    of CPU at 10,000 articles). The lines are read, not the terms: 4 times faster.
    """
    found: dict[bytes, dict[bytes, list[int]]] = {predicate: {} for predicate in _READ}
    for number, line in enumerate(lines):
        if line.startswith(b"<<"):
            continue  # a quoted triple: never an article's mention nor its file name
        subject, predicate, _ = line.split(b" ", 2)
        if (by_subject := found.get(predicate)) is not None:
            by_subject.setdefault(subject, []).append(number)

    def objects(predicate: bytes, subject: bytes) -> list[int]:
        return found[predicate].get(subject, [])

    groups: dict[tuple[str, str, str], tuple[set[bytes], int, str, str]] = {}
    for mention, denoted in found[_DENOTES].items():
        for entity in (_object(lines[number]) for number in denoted):
            for source in (_object(lines[number]) for number in objects(_IN_ARTICLE, mention)):
                if not (entity.startswith(b"<") and source.startswith(b"<")):
                    continue  # the query's rows whose entity or article is no IRI are left out
                for article in objects(_FILE_NAME, source):
                    group = (entity[1:-1].decode(), source[1:-1].decode(), str(triples[article].object))
                    for start in objects(_START, mention):
                        for exact in objects(_EXACT, mention):
                            _add(groups, group, mention, triples[start].object, triples[exact].object)
    return [(entity, source, article, str(ox.Literal(len(mentions))), first, str(ox.Literal(key[13:])))
            for (entity, source, article), (mentions, _, first, key) in groups.items()]


def _object(line: bytes) -> bytes:
    """The object of an N-Triples line, as written."""
    return line.split(b" ", 2)[2][:-2]


def _add(groups: dict[tuple[str, str, str], tuple[set[bytes], int, str, str]], group: tuple[str, str, str],
         mention: bytes, start: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
         exact: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> None:
    """One solution of the query into its group: the mention counted, MIN(?start) and the MIN
    of the query's "offset padded to 12 digits, a space, the text" kept."""
    if not isinstance(start, ox.Literal) or not isinstance(exact, ox.Literal):
        raise ValueError(f"a mention's offset and text are literals: {start}, {exact}")
    offset = start.value
    key = ("000000000000" + offset)[len(offset):] + " " + exact.value
    held = groups.get(group)
    if held is None:
        groups[group] = ({mention}, int(offset), str(start), key)
        return
    mentions, first, first_term, first_key = held
    mentions.add(mention)
    if int(offset) < first:
        first, first_term = int(offset), str(start)
    groups[group] = (mentions, first, first_term, min(key, first_key))


def mention_group_lines(groups: Iterable[MentionGroup]) -> list[str]:
    """N-Triples lines of the mention groups: per entity and article a node (numbered in the
    order of entity and article IRIs, so a rebuild writes the same graph) with the article's
    file name, the number of mentions and the first mention's offset and text."""
    lines = []
    for number, (entity, _source, article, mentions, first_offset, first_text) in enumerate(sorted(groups), 1):
        node = f"<{MENTIONS_BASE}group/{number}>"
        lines += [f"<{mentions_node(entity)}> <{VJS}mentionedIn> {node} .",
                  f"{node} <{VJS}article> {article} .",
                  f"{node} <{VJS}mentions> {mentions} ."]
        lines += [f"{node} <{VJS}{column}> {value} ." for column, value in
                  (("first_offset", first_offset), ("first_text", first_text)) if value is not None]
    return lines


def mention_groups(store: Store) -> list[str]:
    """The summary's mention-group lines, read from ``store``."""
    return mention_group_lines(query_groups(store.select(internal_query("summary-mentioning-articles"))))
