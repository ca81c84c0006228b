"""Which states the text says are parties to which agreements.

"Vietnam and Japan are also members of ... the RCEP, AJCEP ..." or "both countries are
parties to the CPTPP": the states named before the membership phrase, the agreements named
after it in the same sentence.
"""
from __future__ import annotations

import re

from kg.model import AgreementMembership, Article, EntityMention
from kg.ingest.reference import Reference

MEMBER_PHRASE = re.compile(r"\b(?:are|is|were|was|became|become|as)\s+(?:also\s+|both\s+|all\s+)?"
                           r"(?:(?:founding|fellow)\s+)?(?:members?|parties|signator(?:y|ies))\s+(?:of|to)\b"
                           r"|\b(?:joined|signed|ratified)\b", re.I)


def find_memberships(article: Article, mentions: list[EntityMention],
                     reference: Reference) -> list[AgreementMembership]:
    """One membership statement per agreement named after a membership phrase."""
    demonyms = {d for state in reference.states.values() for d in state.demonyms}
    found: dict[str, AgreementMembership] = {}
    for sentence in article.sentences:
        text, base = sentence.span.text, sentence.span.start
        phrase = MEMBER_PHRASE.search(text)
        if not phrase:
            continue
        here = [m for m in mentions if m.sentence == sentence.index]
        states = sorted({m.key for m in here if m.kind == "state" and m.span.start - base < phrase.start()
                         and m.span.text[:1].isupper() and m.span.text not in demonyms})
        if len(states) < 1:
            continue
        for m in here:
            if m.kind == "agreement" and m.span.start - base > phrase.end() and m.key not in found:
                found[m.key] = AgreementMembership(m.key, tuple(states), m.span)
    return sorted(found.values(), key=lambda m: (m.evidence.start, m.agreement))

