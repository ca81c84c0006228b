"""The summary's membership files: which articles state that a party belongs to an agreement.

`shared-agreements` lists, for two states, the articles that state either one's membership of
each agreement they share. Read from the statements, that follows every membership statement
of the archive to its article's file name (``vjo:reportedBy/vjo:fileName``: about 2,900
statements and 300 ms of CPU at 10,000 articles). The build writes the distinct file names
once per agreement and party (``internal/summary-membership-files.rq``): one node per pair, with
the two IRIs as strings, so that no summary triple points at the agreement or the party (their
profiles stay the same), and the query reads the few pairs and their files in range scans.
(Nodes whose IRIs the query computes from the two IRIs lost every file on Virtuoso 7.2, joined
in an `OPTIONAL` through a `UNION` or a `FILTER`.)
"""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.files import internal_query
from kg.namespaces import VJR, VJS
from kg.store.store import Store

MEMBERSHIPS_BASE = str(VJR["summary/membership/"])


def membership_file_lines(rows: Iterable[ox.QuerySolution]) -> list[str]:
    """Per agreement and party a node (numbered in the order of the two IRIs, so a rebuild
    writes the same graph) with ``vjs:statedAgreement`` and ``vjs:statedParty``, their IRIs as
    strings, and one ``vjs:file`` per file name."""
    files: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        agreement, party = row["agreement"], row["party"]
        if isinstance(agreement, ox.NamedNode) and isinstance(party, ox.NamedNode):
            files.setdefault((agreement.value, party.value), set()).add(str(row["file"]))
    lines = []
    for number, ((agreement, party), names) in enumerate(sorted(files.items()), 1):
        node = f"<{MEMBERSHIPS_BASE}{number}>"
        lines += [f"{node} <{VJS}statedAgreement> {ox.Literal(agreement)} .",
                  f"{node} <{VJS}statedParty> {ox.Literal(party)} ."]
        lines += [f"{node} <{VJS}file> {name} ." for name in sorted(names)]
    return lines


def membership_files(store: Store) -> list[str]:
    """The summary's membership-file lines, read from ``store``."""
    return membership_file_lines(store.select(internal_query("summary-membership-files")))
