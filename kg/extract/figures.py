"""Figures: quantities turned into observations (indicator, direction, time, approximation).

This module walks a sentence's quantities and frames each one; the concerns live beside it:
``figure_indicators`` (which SCHEMA code a number measures, from cue words near it),
``figure_ranks`` (partner ranks), ``figure_scope`` (R19: the subject pair's and Vietnam's
figures, not other pairs' nor totals over all partners), ``figure_context`` (the states
around a number, and a figure's date). A number with no recognised cue is left out: a
missing figure costs less than a wrong one.

Direction comes from the states around the number: a demonym next to it is the source
("Japanese investors", "580,000 Vietnamese"), a state heading a row of a list its row's
source ("; South Korea US$4.15 billion"), an exporter the source of its exports (R20);
otherwise the sentence's first state that is no recipient or place is the source. A change
or a bracketed share goes with the amount before it ("62,233, down 15.2 percent",
"US$6.72 billion (28.5%)"); a trade target (R1) and a tariff rate (R21) have no direction.
"""
from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.figure_context import (FigureContext, demonym_forms, main_states, other_state, states_of,
                                       subject, time_of)
from kg.extract.figure_indicators import CUES, choose_indicator, signed_change
from kg.extract.figure_ranks import rank_figures
from kg.extract.figure_scope import in_scope, is_total
from kg.extract.quantities import Quantity, find_quantities
from kg.ingest.dates import find_dates
from kg.ingest.reference import Reference
from kg.model import Article, EntityMention, Figure, Sentence, Span

INVESTOR = re.compile(r"\s+(?:investors?|enterprises|firms|businesses|companies|investment)\b", re.IGNORECASE)
# what may stand between a state and its amount in a list of partners
ITEM_GAP = re.compile(r"[\s:(]*(?:(?:invested|poured|registered|committed|provided|pledged|had|has|with|at|"
                      r"totall?ing|reached|followed\s+with)\s+)?(?:a total of\s+)?", re.IGNORECASE)
# "to Vietnam", "in Japan": a state named as a place or destination heads no row of a list
DESTINATION = re.compile(r"\b(?:to|in|into|for|from|of|at)\s+(?:the\s+)?$", re.IGNORECASE)


def _direction(ctx: FigureContext, indicator: str, q: Quantity, lo: int, hi: int) -> tuple[str | None, str | None]:
    """(from, to) states of a figure whose clause runs from ``lo`` to ``hi`` (absolute)."""
    if indicator == "trade_turnover":
        return None, None
    in_clause = [m for m in ctx.states if lo <= m.start and m.end <= hi]
    export = CUES["exports"].search(ctx.text, lo, hi) or _last_cue(ctx, "exports", q.span.start)
    if export is not None and _last_cue(ctx, "imports", q.span.start, after=export.end()) is not None:
        export = None  # "exports rose 5% while imports from Japan reached ...": the nearer cue wins
    if indicator in ("imports", "other") and export is not None:
        exporters = [m for m in ctx.states if export.start() - 60 <= m.start and m.end <= export.start()
                     and m.start >= ctx.sentence.span.start]
        if exporters:  # "Vietnam's exports to Japan": from the exporter to the other side
            exporter = exporters[-1].state
            return exporter, other_state(ctx, exporter, export.end())
    if indicator == "imports":
        cue = CUES["imports"].search(ctx.text, lo, hi) or _last_cue(ctx, "imports", q.span.start)
        if cue is not None and cue.start() < lo:  # "imports from Japan surged by 10.6% to US$12 billion"
            lo = cue.start()
            in_clause = [m for m in ctx.states if lo <= m.start and m.end <= hi]
        window = ctx.text[lo:hi]
        origin = re.search(r"\bfrom\s+", window)
        sources = [m for m in in_clause if origin and m.start >= lo + origin.end() - 1]
        supplier = sources[0].state if sources else None
        importer = next((m.state for m in in_clause if m.state != supplier), None)
        if supplier is None:
            supplier = next((s for s in ctx.main_states if s != importer), None)
        return supplier, importer
    if q.unit == "percent" and TARIFF.search(ctx.sentence.span.text):
        levied = [m for m in in_clause if m.end <= q.span.start and TARIFF_ON.search(ctx.text, max(0, m.start - 10), m.start)]
        if levied:  # "U.S. tariffs on South Korea stand at 15 per cent"
            return subject(ctx), levied[-1].state
    own = [state for word in q.noun.split() for state in [ctx.demonym_states.get(word)] if state]
    item = [m for m in in_clause if m.end <= q.span.start and ITEM_GAP.fullmatch(ctx.text[m.end:q.span.start])
            and not DESTINATION.search(ctx.text[max(0, m.start - 6):m.start])]
    if item and own and not item[-1].demonym and item[-1].state != own[0]:
        return own[0], item[-1].state  # "Vietnamese workers (80,000), followed by Taiwan (58,600)"
    if item and not own:  # "...; South Korea US$4.15 billion", "Singapore invested US$6.72 billion"
        head = item[-1].state
        return head, other_state(ctx, head, q.span.end)
    demonyms = [m for m in in_clause if m.demonym]
    investors = [m for m in ctx.states if INVESTOR.match(ctx.text, m.end) or
                 re.search(r"\bby\s+(?:the\s+)?$", ctx.text[max(0, m.start - 8):m.start])]
    source: str | None
    if own:
        source = own[0]
    elif demonyms:
        source = min(demonyms, key=lambda m: min(abs(m.start - q.span.end), abs(q.span.start - m.end))).state
    elif indicator.startswith("fdi") and investors:
        source = investors[0].state
    else:
        source = subject(ctx)
    target = other_state(ctx, source, q.span.end)
    return source, target


def _last_cue(ctx: FigureContext, kind: str, before: int, after: int | None = None) -> re.Match[str] | None:
    """The last cue of ``kind`` in the sentence before ``before`` (and after ``after``)."""
    start = ctx.sentence.span.start if after is None else after
    found = list(CUES[kind].finditer(ctx.text, start, before))
    return found[-1] if found else None



ALTERNATIVE = re.compile(r"\s*[(,]\s*(?:or|i\.e\.|equivalent to|equal to|worth)?\s*$", re.IGNORECASE)


def _restates(text: str, first: Span, first_unit: str, second: Quantity) -> bool:
    """Is ``second`` the amount at ``first`` in another currency ("JPY 2,578 billion (or
    US$23.76 billion)")?"""
    if first_unit == second.unit or not (len(second.unit) == 3 and second.unit.isupper()
                                         and len(first_unit) == 3 and first_unit.isupper()):
        return False
    return first.end <= second.span.start and bool(ALTERNATIVE.fullmatch(text[first.end:second.span.start]))


def _restated(text: str, previous: Figure, q: Quantity) -> Figure | None:
    """The same amount in another currency: a figure of its own with the indicator,
    direction and time of the one before it."""
    if not _restates(text, previous.evidence, previous.unit, q):
        return None
    return _like(previous, q)


def _like(figure: Figure, q: Quantity) -> Figure:
    """``q`` stated with ``figure``'s indicator, direction and time."""
    return Figure(figure.indicator, q.value, q.unit, q.span, figure.from_state, figure.to_state,
                  figure.as_of, figure.period, figure.period_label, q.approximation)



def sentence_figures(article: Article, sentence: Sentence, mentions: list[EntityMention],
                     reference: Reference, frame: Figure | None = None,
                     article_states: tuple[dict[str, str], list[str]] | None = None) -> list[Figure]:
    """The figures one sentence states. ``frame`` is the article's last figure before this
    sentence: a figure naming no other side goes where it went."""
    text = article.text
    demonym_states, article_main = article_states or (demonym_forms(reference), main_states(mentions))
    demonyms = sorted(demonym_states)
    dates = find_dates(text, sentence, article.published)
    states = states_of(sentence, text, mentions, reference)
    quantities = [q for q in find_quantities(text, sentence, person_words=demonyms)
                  if not any(q.span.start < d.span.end and d.span.start < q.span.end for d in dates)]
    amounts = [q for q in quantities if q.unit != "rank"]
    items = frozenset(m.start for m in states for q in amounts if m.end <= q.span.start
                      and ITEM_GAP.fullmatch(text[m.end:q.span.start])
                      and not DESTINATION.search(text[max(0, m.start - 6):m.start]))
    ctx = FigureContext(text, sentence, states, dates, article_main, article.published, demonym_states,
                        items, frame.to_state if frame else None, frame)
    figures: list[Figure] = []
    out_of_scope: list[Figure] = []  # other pairs' figures: their changes and shares go with them
    dropped: list[Span] = []  # totals over all partners
    of_amount: dict[int, Figure] = {}
    for i, q in enumerate(amounts):
        lo = amounts[i - 1].span.end if i else sentence.span.start
        hi = amounts[i + 1].span.start if i + 1 < len(amounts) else sentence.span.end
        same = _restated(text, figures[-1], q) if figures else None
        if same is not None:
            figures.append(same)
            of_amount[i] = same
            continue
        # the previous quantity's noun may be this one's cue ("9,500 valid projects worth $81 billion")
        indicator = choose_indicator(ctx, q, amounts[i - 1].span.start if i else lo, hi)
        if indicator is None and i and amounts[i - 1].unit == "percent" and len(q.unit) == 3:
            # "trade rose 5.2% to 11.3 billion USD": the cue stands before the percentage
            indicator = choose_indicator(ctx, q, amounts[i - 2].span.end if i > 1 else sentence.span.start, hi)
        if indicator is None and q.span.start in _item_amounts(ctx, amounts):
            # "...; South Korea US$4.15 billion (17.5%)": a row of a list takes the measure of the rows before
            indicator = next((f.indicator for f in reversed(figures + out_of_scope)
                              if f.unit == q.unit and f.evidence.start in _item_amounts(ctx, amounts)), None)
        if indicator is None and i and len(q.unit) == 3:
            # "Registered capital rose by US$2 billion to US$2.43 billion": the cue of the sentence
            indicator = choose_indicator(ctx, q, sentence.span.start, hi)
        if indicator is None and i and figures and figures[-1].unit == q.unit and \
                LIST_JOIN.search(text[figures[-1].evidence.end:q.span.start]):
            indicator = figures[-1].indicator  # "6,244 million yen to ... and 4,739 million yen to ..."
        if indicator is None:
            continue
        target_kind = _target(ctx, q, lo, amounts[i - 1] if i else None, indicator)
        if target_kind == "drop":
            continue
        if is_total(ctx, q, indicator, amounts[i - 1].span.start if i else lo):
            dropped.append(q.span)
            continue
        source, target = _direction(ctx, indicator, q, lo, hi)
        previous = _described(ctx, q, indicator, [*figures, *out_of_scope], dropped)
        if previous is False or any(previous is f for f in out_of_scope):
            continue  # a change or share of a total or of another pair's figure, not kept
        if isinstance(previous, Figure):
            source, target = previous.from_state, previous.to_state
        elif indicator == "growth_rate" and not _measures_something(ctx, q, lo, hi):
            continue  # "Vocational schools saw an increase of 1.0 percent": a change of no kept measure
        elif q.unit == "percent" and OF_ANTECEDENT.match(text, q.span.end):
            continue  # "70 percent of them": a share of something the sentence does not name
        as_of, period, label = time_of(ctx, indicator, lo, hi)
        value = q.value
        if indicator == "growth_rate":
            value = signed_change(text[lo:hi], q.span.start - lo, q.span.end - lo, q.value)
        if not ctx.states and ctx.frame is not None and ctx.frame.indicator == indicator:
            source, target = ctx.frame.from_state, ctx.frame.to_state  # "The figure is higher than the 99,557 ..."
        figure = Figure(indicator, value, q.unit, q.span, source, target, as_of, period, label, q.approximation)
        if target_kind == "goal":  # a trade target or forecast is `other`, direction null (R1)
            figure = replace(figure, indicator="other", from_state=None, to_state=None,
                             parties=tuple(p for p in (figure.from_state, figure.to_state) if p))
        if not in_scope(ctx, figure):
            out_of_scope.append(figure)
            continue
        if indicator == "other" and q.unit == "percent" and TARIFF.search(sentence.span.text):
            # a rate, not a flow (R21); the states it concerns stay its parties
            figure = replace(figure, from_state=None, to_state=None,
                             parties=tuple(p for p in (figure.from_state, figure.to_state) if p))
        figures.append(figure)
        of_amount[i] = figures[-1]
    # "EUR 2.9 billion (or $3.12 billion) in ODA": the cue follows the restatement, so the
    # first amount takes the figure of the second.
    for i, q in enumerate(amounts[:-1]):
        later = of_amount.get(i + 1)
        if i not in of_amount and later is not None and later.evidence == amounts[i + 1].span \
                and _restates(text, q.span, q.unit, amounts[i + 1]):
            figures.append(_like(later, q))
    for q in quantities:
        if q.unit == "rank":
            figures.extend(f for f in rank_figures(ctx, q) if in_scope(ctx, f))
    return figures


def _measures_something(ctx: FigureContext, q: Quantity, lo: int, hi: int) -> bool:
    """Does a growth rate that follows no amount name what grew ("investment surged 90%",
    "visitors rose 15.9%")?"""
    clause = ctx.text[lo:hi]
    kinds = ("oda", "trade", "imports", "exports", "fdi", "tourism", "labour", "diaspora")
    return any(CUES[kind].search(clause) for kind in kinds)


def _item_amounts(ctx: FigureContext, amounts: list[Quantity]) -> set[int]:
    """Starts of the amounts that follow a state heading a row of a list."""
    by_end = {m.end: m for m in ctx.states if m.start in ctx.list_items}
    return {q.span.start for q in amounts for end in by_end
            if end <= q.span.start and ITEM_GAP.fullmatch(ctx.text[end:q.span.start])}


# "US$6.72 billion (28.5%)", "518,350 workers ..., accounting for 25%": the share of the amount before
SHARE_OF_BEFORE = re.compile(r"(?:\(|\b(?:accounting for|accounted for|representing|making up|or))\s*$",
                             re.IGNORECASE)
OF_ANTECEDENT = re.compile(r"\s+of\s+(?:them|these|those|which|whom)\b", re.IGNORECASE)
TARIFF_ON = re.compile(r"\bon\s+(?:the\s+)?\Z", re.IGNORECASE)
TARIFF = re.compile(r"\btariffs?\b|\bdut(?:y|ies)\b|\blev(?:y|ies)\b", re.IGNORECASE)
# "followed by Nepal with 24,002": a state that heads a row of its own
NEW_ITEM = re.compile(r"\s+(?:with|at|\()", re.IGNORECASE)


def _described(ctx: FigureContext, q: Quantity, indicator: str, before: list[Figure], dropped: list[Span]
               ) -> Figure | bool | None:
    """The earlier amount a growth rate or a bracketed share describes ("62,233, down 15.2
    percent", "US$6.72 billion (28.5%)"): its figure, False when it was a total left out, or
    None when the number stands alone. A state named between them starts a new item
    ("..., followed by Nepal with 24,002, down 8.8 percent")."""
    if q.unit != "percent" or (indicator != "growth_rate" and not SHARE_OF_BEFORE.search(
            ctx.text[max(ctx.sentence.span.start, q.span.start - 30):q.span.start])):
        return None
    candidates: list[tuple[int, Figure | bool]] = [(f.evidence.end, f) for f in before
                                                   if f.indicator != "growth_rate"]
    candidates += [(span.end, False) for span in dropped]
    earlier = [(end, item) for end, item in candidates
               if ctx.sentence.span.start <= end <= q.span.start]
    if not earlier:
        return None
    end, item = max(earlier, key=lambda pair: pair[0])
    if any(end <= m.start and m.end <= q.span.start and (m.start in ctx.list_items or NEW_ITEM.match(ctx.text, m.end))
           for m in ctx.states):
        return None
    return item


TARGET_CUE = re.compile(r"\b(?:target(?:s|ed)?|aim(?:s|ed|ing)?|goal|objective|ambition|"
                        r"(?:plan|plans|planned|intend|intends|intended)\s+to)\b", re.IGNORECASE)
MEASURED = re.compile(r"\b(?:is|are|was|were|stood\s+at|stands\s+at|reached|totall?ed|amounted\s+to)\b",
                      re.IGNORECASE)
# a forecast of trade: "can exceed $100 billion", "should reach $20 billion", "to double trade to ..."
FORECAST_CUE = re.compile(r"\b(?:should|could|can|will|would|may|might|expected\s+to|set\s+to|forecast\w*|"
                          r"projected|doubl\w*|tripl\w*|lift|raise|boost|push)\b", re.IGNORECASE)
BY_YEAR = re.compile(r"^\s*(?:USD\s+)?by\s+(?:the\s+end\s+of\s+)?(?P<year>(?:19|20)\d\d)\b")
FROM_TO = re.compile(r"\s*to\s*$", re.IGNORECASE)
# what joins two amounts of one list: "..., and 4,739 million yen", "from US$86 billion to US$150 billion"
LIST_JOIN = re.compile(r"(?:,|\band|\bas well as|^\s*to)\s*$", re.IGNORECASE)


def _target(ctx: FigureContext, q: Quantity, lo: int, previous: Quantity | None, indicator: str) -> str | None:
    """"goal" for a trade target or forecast ("aim to lift trade to 20 billion USD", "should
    reach $20 billion", "... by 2035" after publication; kept as `other`), "drop" for any
    other goal, None for a measurement. In "from US$86 billion to US$150 billion" the cue
    before the first amount governs the second, and the first is the measurement."""
    start = max(lo, q.span.start - 80)
    if previous is not None and FROM_TO.fullmatch(ctx.text[previous.span.end:q.span.start]) and \
            re.search(r"\bfrom\s*$", ctx.text[max(0, previous.span.start - 8):previous.span.start]):
        start = max(ctx.sentence.span.start, previous.span.start - 80)
    if re.search(r"\bfrom\s*$", ctx.text[max(0, q.span.start - 8):q.span.start]):
        return None
    before = ctx.text[start:q.span.start]
    cue = TARGET_CUE.search(before)
    # "the proportion of firms that intend to expand ... is 60 percent": a measurement of the intent
    goal = cue is not None and not MEASURED.search(before, cue.end())
    by_year = BY_YEAR.match(ctx.text[q.span.end:q.span.end + 30])
    if by_year is not None:
        goal = goal or ctx.published is None or int(by_year.group("year")) > int(ctx.published.iso[:4])
    trade = indicator in ("trade_turnover", "imports")
    if trade and (goal or FORECAST_CUE.search(before)):
        return "goal"
    return "drop" if goal else None


def find_figures(article: Article, mentions: list[EntityMention], reference: Reference) -> list[Figure]:
    """Every figure of the article, once: a number restated with the same indicator,
    direction, field and time (a headline repeated in the body, the same rank given twice)
    is kept at its first mention."""
    seen: set[tuple] = set()
    ranked: set[tuple] = set()  # (indicator, value, unit, from, to, period) of every figure kept
    figures: list[Figure] = []
    frame: Figure | None = None
    article_states = (demonym_forms(reference), main_states(mentions))
    for sentence in article.sentences:
        for figure in sentence_figures(article, sentence, mentions, reference, frame, article_states):
            if figure.to_state is not None:
                frame = figure
            key = (figure.indicator, figure.value, figure.unit, figure.from_state, figure.to_state,
                   figure.field.casefold() if figure.field else None, figure.period)
            # a rank given without its field (a headline) is the rank given with one, and vice versa
            base = (*key[:5], key[6])
            if key in seen or (figure.indicator == "partner_rank" and (
                    (figure.field is None and base in ranked) or (*key[:5], None, key[6]) in seen)):
                continue
            seen.add(key)
            ranked.add(base)
            figures.append(figure)
    return sorted(figures, key=lambda f: (f.evidence.start, f.evidence.end, f.indicator))


__all__ = ["find_figures", "sentence_figures"]
