"""The summary's mention groups: which articles mention each entity, how often, and where first.

`articles-mentioning` lists the articles that mention one entity with the number of its
mentions and the first one's offset and text. Evaluated from the mentions, that reads every
mention of the entity with its article, offset and text: for a state named in every other
article, about 73,000 mentions at 10,000 articles (10 s). The build aggregates them once
(``internal/summary-mentioning-articles.rq``) and writes one node per entity and article into
the summary graph; the stored query reads an entity's nodes from a node whose IRI it
computes from the entity's (``IRI(CONCAT(..., ENCODE_FOR_URI(STR(?entity))))``), so that no
summary triple points at the entity or the article and their `entity-profile` stays the same.
"""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.files import internal_query
from kg.namespaces import VJR, VJS, summary_node
from kg.store.store import Store

MENTIONS_BASE = str(VJR["summary/mentions/"])


def mentions_node(entity: str) -> str:
    """The summary node whose ``vjs:mentionedIn`` lists ``entity``'s mention groups; an IRI
    made from the entity's, as SPARQL's ``ENCODE_FOR_URI`` makes it.

    >>> mentions_node("https://w3id.org/vjkg/id/state/JP")
    'https://w3id.org/vjkg/id/summary/mentions/https%3A%2F%2Fw3id.org%2Fvjkg%2Fid%2Fstate%2FJP'
    """
    return summary_node("mentions", entity)


def mention_group_lines(rows: Iterable[ox.QuerySolution]) -> list[str]:
    """N-Triples lines of the mention groups: per entity and article a node (numbered in the
    order of entity and article IRIs, so a rebuild writes the same graph) with the article's
    file name, the number of mentions and the first mention's offset and text.

    Each row is read once into a tuple of strings, so that the query's solutions are not all
    held at once (about 400,000 rows at 10,000 articles, while other summary reads run beside)."""
    def text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str | None:
        return None if term is None else str(term)

    groups = sorted((row["entity"].value, row["source"].value, str(row["article"]), str(row["mentions"]),
                     text(row["first_offset"]), text(row["first_text"]))
                    for row in rows
                    if isinstance(row["entity"], ox.NamedNode) and isinstance(row["source"], ox.NamedNode))
    lines = []
    for number, (entity, _source, article, mentions, first_offset, first_text) in enumerate(groups, 1):
        node = f"<{MENTIONS_BASE}group/{number}>"
        lines += [f"<{mentions_node(entity)}> <{VJS}mentionedIn> {node} .",
                  f"{node} <{VJS}article> {article} .",
                  f"{node} <{VJS}mentions> {mentions} ."]
        lines += [f"{node} <{VJS}{column}> {value} ." for column, value in
                  (("first_offset", first_offset), ("first_text", first_text)) if value is not None]
    return lines


def mention_groups(store: Store) -> list[str]:
    """The summary's mention-group lines, read from ``store``."""
    return mention_group_lines(store.select(internal_query("summary-mentioning-articles")))
