"""The summary graph's labels: each organisation's and agreement's distinct labels, and each
agreement's parties' names, written once per build.

Their labels are repeated in every article graph that mentions them, and the default graph is
the union of the graphs, so a query reading them over the union meets every copy:
`facts-organizations` deduplicated all of them, for every organisation of the store, even to
report one article (328 ms at 10,000 articles, growing with the archive). The build writes
them once, on a node whose IRI is made from the entity's (as the agreements' article counts
are, :func:`kg.graph.summary.counted_node`), so that a query computes it from the entity it
has, and no summary triple points at the entity (its profile stays the same).

An agreement's parties are the same kind of copy: every article repeats the memberships it
states, and `agreements` deduplicated all of them on every run (149 ms of CPU at 10,000
articles); their names are written there too (``vjs:party``).
"""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.files import internal_query
from kg.namespaces import VJS, summary_node
from kg.store.store import Store



def labelled_node(entity: str) -> str:
    """The summary node holding ``entity``'s labels, as SPARQL computes it
    (:func:`kg.namespaces.summary_node`).

    >>> labelled_node("https://w3id.org/vjkg/id/org/jica")
    'https://w3id.org/vjkg/id/summary/labels/https%3A%2F%2Fw3id.org%2Fvjkg%2Fid%2Forg%2Fjica'
    """
    return summary_node("labels", entity)


def label_lines_of(rows: Iterable[ox.QuerySolution]) -> list[str]:
    """One ``vjs:label`` or ``vjs:alias`` triple per distinct label of an entity
    (``internal/summary-labels.rq``), the terms as the query gave them, sorted so that the
    summary is the same for the same store."""
    lines = set()
    for row in rows:
        entity = row["entity"]
        if not isinstance(entity, ox.NamedNode):
            continue  # a blank node has no IRI to compute the node from
        for column in ("label", "alias"):
            if (value := row[column]) is not None:
                lines.add(f"<{labelled_node(entity.value)}> <{VJS}{column}> {value} .")
    return sorted(lines)


def party_lines_of(rows: Iterable[ox.QuerySolution]) -> list[str]:
    """One ``vjs:party`` triple per name of a party of an agreement
    (``internal/summary-agreement-parties.rq``), sorted."""
    return sorted(f"<{labelled_node(row['agreement'].value)}> <{VJS}party> {row['partyName']} ."
                  for row in rows if isinstance(row["agreement"], ox.NamedNode))


def label_lines(store: Store) -> list[str]:
    """The summary's label and party lines, read from ``store``."""
    return (label_lines_of(store.select(internal_query("summary-labels")))
            + party_lines_of(store.select(internal_query("summary-agreement-parties"))))
