"""The summary graph: what `stats` and `conflicting-figures` show, computed once per build.

Counting every quad, every distinct triple and every typed node reads the whole store: 2 s
of CPU at 1,000 articles, ten times that at 10,000, on every `stats` (evaluated, not cached).
The build counts once, at its end, and writes the figures into one small named graph
(``vjg:summary``), which ``queries/stats.rq`` reads in a few triples. It is a graph like the
others, so `kg load --gsp` sends it and a remote server gives the same rows.

The figures describe the whole store as the build left it, the summary graph included:
its own triples are known before the counts (four, and three per class), so "quads" is
still ``len(store)`` and "triples" the distinct triples of the union. Its terms are in their
own namespace (``vjs:``), outside the ontology, and its nodes have no ``vjo:`` type, so
they change no class count.

The groups of comparable figures that `conflicting-figures` lists (each with its size, its
lowest and highest value and the two figures at those ends, sentence included) are written
there too, one node per group: the stored query then filters a few thousand nodes by its
parameters instead of aggregating every figure, and no server has to hold a sentence in a
``GROUP BY`` (Virtuoso 7.2 cannot: "SR319 Max row length is exceeded"). So are the articles
that mention each entity, one node per entity and article (:mod:`kg.graph.summary_mentions`),
which `articles-mentioning` reads instead of every mention of the entity.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox

from kg.files import internal_query
from kg.graph.summary_labels import label_lines
from kg.graph.summary_memberships import membership_files
from kg.graph.summary_mentions import MentionGroup, mention_group_lines, mention_groups
from kg.namespaces import VJG, VJR, VJS, summary_node
from kg.store.store import Store

SUMMARY_GRAPH = str(VJG["summary"])
SUMMARY_NODE = str(VJR["summary"])
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _count(value: int) -> str:
    return f'"{value}"^^<{_XSD_INTEGER}>'


def figure_group_lines(rows: Iterable[ox.QuerySolution], columns: Sequence[str]) -> list[str]:
    """One node per group of comparable figures (``internal/summary-figure-groups.rq``), each
    bound column a ``vjs:`` property of it, the terms as the query gave them."""
    lines = []
    for number, row in enumerate(rows, 1):
        node = f"<{SUMMARY_NODE}/figure-group/{number}>"
        lines.append(f"{node} <{_RDF_TYPE}> <{VJS}FigureGroup> .")
        lines += [f"{node} <{VJS}{column}> {row[column]} ." for column in columns
                  if column != "group" and row[column] is not None]
    return lines


def counted_node(entity: str) -> str:
    """The summary node that holds ``entity``'s counts: an IRI made from it, so that a query
    computes it (``IRI(CONCAT(...ENCODE_FOR_URI(STR(?x))))``) and no triple of the summary
    points at the entity (its profile stays as it was).

    >>> counted_node("https://w3id.org/vjkg/id/agreement/cptpp")
    'https://w3id.org/vjkg/id/summary/articles/https%3A%2F%2Fw3id.org%2Fvjkg%2Fid%2Fagreement%2Fcptpp'
    """
    return summary_node("articles", entity)


def agreement_article_lines(rows: Iterable[ox.QuerySolution]) -> list[str]:
    """How many articles mention each agreement (``internal/summary-agreement-articles.rq``),
    one ``vjs:articles`` triple each."""
    return [f"<{counted_node(row['agreement'].value)}> <{VJS}articles> {row['articles']} ."
            for row in rows if isinstance(row["agreement"], ox.NamedNode)]


def summary_ntriples(quads: int, triples: int, articles: int, classes: dict[str, int],
                     extra: Sequence[str] = ()) -> bytes:
    """The summary graph's N-Triples for counts of the data *without* it (its own added):
    the counts, and the ``extra`` lines (the figure groups, the agreements' article counts).

    >>> print(summary_ntriples(10, 9, 1, {}).decode().splitlines()[1])
    <https://w3id.org/vjkg/id/summary> <https://w3id.org/vjkg/summary#quads> "14"^^<http://www.w3.org/2001/XMLSchema#integer> .
    """
    # The triples written here, each a quad and a distinct triple (every subject is the summary's own).
    own = 4 + 3 * len(classes) + len(extra)
    node = f"<{SUMMARY_NODE}>"
    lines = [f"{node} <{_RDF_TYPE}> <{VJS}Summary> .",
             f"{node} <{VJS}quads> {_count(quads + own)} .",
             f"{node} <{VJS}triples> {_count(triples + own)} .",
             f"{node} <{VJS}articles> {_count(articles)} ."]
    for cls, count in sorted(classes.items()):
        entry = f"<{SUMMARY_NODE}/class/{cls.rsplit('#', 1)[-1]}>"
        lines += [f"{node} <{VJS}classCount> {entry} .",
                  f"{entry} <{VJS}class> <{cls}> .",
                  f"{entry} <{VJS}count> {_count(count)} ."]
    lines += extra
    assert len(lines) == own
    return ("\n".join(lines) + "\n").encode("utf-8")


def distinct_triples(store: Store) -> int:
    """The distinct triples of the union of the graphs, counted one predicate at a time, so
    that memory holds the pairs of one predicate, never every triple of the store."""
    total = 0
    for row in store.select(internal_query("predicates")):
        predicate = row["p"]
        if not isinstance(predicate, ox.NamedNode):
            continue  # RDF has IRIs only in this place
        # Written into the text: Oxigraph binds only variables of the outer projection, and an
        # IRI the store holds, in its N-Triples form, is a well-formed term of the query.
        for found in store.select(internal_query("distinct-pairs").replace("$p", str(predicate))):
            total += int(found["count"].value)
    return total


def count_store(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    """What the summary says of ``store``: totals (distinct triples, articles) and typed nodes
    per ``vjo:`` class, counted from the store itself."""
    rows = list(store.select(internal_query("summary-counts")))
    totals = {row["item"].value: int(row["count"].value) for row in rows if row["kind"].value == "total"}
    totals["triples"] = distinct_triples(store)
    classes = {row["item"].value: int(row["count"].value) for row in rows if row["kind"].value == "class"}
    return totals, classes


def figure_groups(store: Store) -> list[str]:
    """The summary's figure-group lines, read from ``store``."""
    groups = store.select(internal_query("summary-figure-groups"))
    return figure_group_lines(groups, [variable.value for variable in groups.variables])


def summary_extra_lines(store: Store) -> list[str]:
    """The summary's lines read by queries over the whole store: the figure groups, each
    agreement's number of mentioning articles, each organisation's labels and the files that
    state each agreement's memberships."""
    return (figure_groups(store) + agreement_article_lines(store.select(internal_query("summary-agreement-articles")))
            + label_lines(store) + membership_files(store))


def write_summary(store: Store) -> int:
    """Count the store (the old summary left out) and write its summary graph; the number of
    quads the store then holds (the summary's own "quads", so the caller need not count again).

    The graph is dropped and loaded with Oxigraph's own calls, not SPARQL updates: at 10,000
    articles the peak of the whole step fell from 2.27 GB to 1.54 GB (Store.load_graph).
    """
    store.remove_graph(SUMMARY_GRAPH)
    data, quads = summary_graph(store)
    store.load_graph(SUMMARY_GRAPH, data)
    return quads


def summary_graph(store: Store, found_mentions: Sequence[MentionGroup] | None = None) -> tuple[bytes, int]:
    """The summary graph of ``store``, which holds none, in N-Triples; and the number of quads
    the store holds with it. A build that fills a new store (:mod:`kg.store.staging`) adds it
    there, to be bulk-loaded before the new store is swapped in; its workers may have found
    every mention group of the store already (``found_mentions``): they are not read again.

    The figure groups, agreement counts and labels, then the mention groups (unless found), the
    longest reads, are gathered in a second thread while this one counts: Oxigraph evaluates a query without
    holding the GIL, so the reads take two cores (at 10,000 articles: figure groups and the
    rest 23 s of CPU, mention groups 20 s, counts 25 s; a third thread for the mention groups
    gained no wall time there, 93 s against 90 s, and held more memory). The mention groups
    are the summary's largest addition (425,000 of its triples at 10,000 articles): measured
    back to back at 1,000 articles on a loaded box, 10.4-13.2 s of CPU instead of 6.3-7.3 s.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="summary") as side:
        groups = side.submit(summary_extra_lines, store)
        mentions = side.submit(mention_groups, store) if found_mentions is None else None
        quads = len(store)
        totals, classes = count_store(store)
        extra = groups.result() + (mentions.result() if mentions is not None
                                   else mention_group_lines(found_mentions or ()))
    data = summary_ntriples(quads, totals.get("triples", 0), totals.get("articles", 0), classes, extra)
    return data, quads + data.count(b"\n")  # one line per triple, each a new quad of the summary graph
