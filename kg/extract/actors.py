"""Which states an article is about: those that act or are acted on, not every country named.

A state counts when an extracted fact involves it (an official's state, a meeting's side, a
figure's side, a partnership, an agreement's party), and also when the article puts it in the
foreground: in its headline, in its first body sentence, or in two or more sentences. A
country named once deep in the text is usually context ("with China's maritime expansion in
mind") or a place, and stays out — unless it stands in a list of states that does something
("ministers from Cambodia, Laos and Thailand attended", "representing Australia, Brunei ...").
"""
from __future__ import annotations

import re
from collections import defaultdict

from kg.ingest.reference import Reference
from kg.model import ArticleFacts, EntityMention

# Words near a list of states that make its members actors rather than background.
LIST_ACTION = re.compile(
    r"\b(?:attend(?:ed|s|ing)?|met|meet(?:s|ing)?|represent(?:ing|ed|s|atives?)|sign(?:ed|s|ing)?|"
    r"join(?:ed|s|ing)?|ratif(?:y|ied|ies)|participat(?:ed|es|ing)|took part|take part|"
    r"agreed|discuss(?:ed|es)|minister(?:s)?|leaders?|officials?|delegations?|"
    r"takes? effect|took effect|entered into force|enters? into force)\b", re.IGNORECASE)
# "A, B, C and D" with nothing but commas, "and", "the" and dashes between the states.
LIST_GLUE = re.compile(r"^(?:\s*(?:,|and|&|as well as|the|-+|–)\s*)*$", re.IGNORECASE)
MIN_LIST = 3


def actor_states(facts: ArticleFacts, reference: Reference) -> list[str]:
    """The state codes the article's facts or foreground give it, sorted."""
    states: set[str] = set()
    states.update(p.state for p in facts.persons if p.state)
    for meeting in facts.meetings:
        states.update(meeting.states)
    for figure in facts.figures:
        states.update(s for s in (figure.from_state, figure.to_state, *figure.parties) if s)
    for partnership in facts.partnerships:
        states.update(partnership.states)
    for ties in facts.ties:
        states.update(ties.states)
    for membership in facts.memberships:
        states.update(membership.states)
    state_mentions = [m for m in facts.mentions if m.kind == "state"]
    states.update(_foreground(facts, state_mentions))
    states.update(_acting_lists(facts, state_mentions))
    return sorted(s for s in states if s in reference.states)


def _foreground(facts: ArticleFacts, mentions: list[EntityMention]) -> set[str]:
    """States in the headline, in the first body sentence, or in two sentences or more."""
    article = facts.article
    title = article.title
    title_index = next((s.index for s in article.sentences
                        if title is not None and s.span.start == title.start), None)
    lede = next((s.index for s in article.sentences if s.index != title_index), None)
    sentences: dict[str, set[int]] = defaultdict(set)
    for mention in mentions:
        sentences[mention.key].add(mention.sentence)
    return {key for key, found in sentences.items()
            if len(found) >= 2 or title_index in found or lede in found}


def _acting_lists(facts: ArticleFacts, mentions: list[EntityMention]) -> set[str]:
    """Members of a list of three or more states in a sentence that reports them acting."""
    by_sentence: dict[int, list[EntityMention]] = defaultdict(list)
    for mention in mentions:
        by_sentence[mention.sentence].append(mention)
    found: set[str] = set()
    for index, in_sentence in by_sentence.items():
        sentence = facts.article.sentences[index].span
        for run in _runs(sorted(in_sentence, key=lambda m: m.span.start), sentence.text, sentence.start):
            if len({m.key for m in run}) >= MIN_LIST and LIST_ACTION.search(sentence.text):
                found.update(m.key for m in run)
    return found


def _runs(mentions: list[EntityMention], text: str, base: int) -> list[list[EntityMention]]:
    """Maximal runs of state mentions separated only by list glue."""
    runs: list[list[EntityMention]] = []
    for mention in mentions:
        if runs:
            gap = text[runs[-1][-1].span.end - base:mention.span.start - base]
            if LIST_GLUE.match(gap):
                runs[-1].append(mention)
                continue
        runs.append([mention])
    return runs
