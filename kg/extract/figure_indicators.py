"""Which indicator a number measures, read from cue words near it (SCHEMA.md's codes).

The *clause* of a quantity runs from the previous quantity of the sentence to the next one;
the indicator is the kind of the nearest cue, a cue counting for less when a comma, a
parenthesis or "while" stands between it and the number. A number with no cue is left out.
"""
from __future__ import annotations

import re

from kg.extract.figure_context import FigureContext
from kg.extract.quantities import Quantity


# Cue words of each kind of measure. The indicator of a number is the kind of the nearest cue.
CUES: dict[str, re.Pattern[str]] = {
    kind: re.compile(pattern, re.IGNORECASE) for kind, pattern in {
        "oda": r"\bODA(?:\s+(?:capital|loans?|funding|funds|disbursements?))?\b|"
               r"official development assistance|\bloans?\b|\blending\b|\bgrant aid\b|\bdevelopment aid\b",
        "trade": r"\btwo-way trade\b|\bbilateral trade\b|\btrade turnover\b|\btrade value\b|"
                 r"\btrade\b",
        "imports": r"\bimport(?:s|ed|ing)?\b",
        "exports": r"\bexport(?:s|ed|ing)?\b",
        "fdi": r"\bFDI\b|foreign direct investment|registered capital|investment capital|"
               r"\binvest(?:ed|ing|ment|ments|ors?)?\b|\bpoured\b|(?<!ODA )\bcapital\b|\bprojects?\b",
        "tourism": r"\btourists?\b|\bvisitors?\b|\barrivals?\b|\btourism\b|\bholidaymakers\b",
        "labour": r"\btrainees?\b|\binterns?\b|\binternship\b",
        "diaspora": r"\boverseas\b|\bliving\b|\bresiding\b|\blive\b|\breside\b|\bcommunity\b|"
                    r"\bdiaspora\b|\bexpatriates?\b",
        "growth": r"\bup\b|\bdown\b|\bincrease[sd]?\b|\brise\b|\brose\b|\bgrew\b|\bgrowth\b|"
                  r"\bdecline[sd]?\b|\bfell\b|\bdrop(?:ped)?\b|\bsurge[sd]?\b|\bjump(?:ed)?\b|"
                  r"\bgain(?:ed)?\b|\bdecrease[sd]?\b|\byear-on-year\b",
    }.items()
}
MONEY_KINDS = ("oda", "trade", "imports", "exports", "fdi")
PERSON_KINDS = ("tourism", "labour", "diaspora")
NEW_CUE = re.compile(r"\bnew(?:ly)?[- ](?:registered|licensed|approved|projects?|capital|investments?)\b|"
                     r"\bnewly\b", re.IGNORECASE)
STOCK_CUE = re.compile(r"\b(?:total|valid|accumulated|cumulative|to date|so far|in total)\b", re.IGNORECASE)
ANNUAL_CUE = re.compile(r"\b(?:annual(?:ly)?|a year|per year|each year|every year)\b", re.IGNORECASE)
BREAK = re.compile(r"[,;()]|\s(?:while|whereas|but)\s|\s[-–]\s")


def _cue_distance(clause: str, q_start: int, q_end: int, match: re.Match[str]) -> int:
    """How far a cue is from the number, plus a penalty per break (comma, parenthesis,
    "while") between them, so that a cue of the same phrase wins over a nearer one across
    a comma."""
    if match.end() <= q_start:
        between = clause[match.end():q_start]
        distance = q_start - match.end()
    elif match.start() >= q_end:
        between = clause[q_end:match.start()]
        distance = match.start() - q_end
    else:
        return 0
    return distance + 200 * len(BREAK.findall(between))


def _nearest_kind(clause: str, q_start: int, q_end: int, kinds: tuple[str, ...]) -> str | None:
    best: tuple[int, str] | None = None
    for kind in kinds:
        for match in CUES[kind].finditer(clause):
            distance = _cue_distance(clause, q_start, q_end, match)
            if best is None or distance < best[0]:
                best = (distance, kind)
    return best[1] if best else None



def choose_indicator(ctx: FigureContext, q: Quantity, lo: int, hi: int) -> str | None:
    """The indicator code of an amount, count or percentage, or None when no cue says."""
    clause = ctx.text[lo:hi]
    qs, qe = q.span.start - lo, q.span.end - lo
    sentence_text = ctx.sentence.span.text
    if q.unit == "percent":
        return "growth_rate" if _nearest_kind(clause, qs, qe, ("growth",)) and \
            re.search(r"\b(?:up|down|increase|rise|rose|grew|growth|decline|fell|drop|gain|decrease|surge|jump)",
                      clause[max(0, qs - 40):qe + 40], re.IGNORECASE) else None
    if q.unit == "project":
        kind = _nearest_kind(clause, qs, qe, ("oda", "fdi"))
        if kind == "oda" or not CUES["fdi"].search(re.sub(r"\bprojects?\b", "", sentence_text)):
            return None
        return "fdi_new_projects" if NEW_CUE.search(clause) else "fdi_projects"
    if q.unit == "person":
        if re.search(r"\bstudents\b", q.noun, re.IGNORECASE):
            return None
        kind = _nearest_kind(q.noun, 0, 0, PERSON_KINDS) if q.noun else None
        kind = kind or _nearest_kind(clause, qs, qe, PERSON_KINDS)
        has_demonym = any(m.demonym for m in ctx.states if lo <= m.start and m.end <= hi)
        if kind == "diaspora" or (kind is None and has_demonym and re.search(
                r"\bin\s+(?:the\s+)?[A-Z]", clause[qe:])):
            return "diaspora" if has_demonym else None
        return {"tourism": "tourists", "labour": "trainees"}.get(kind or "")
    if len(q.unit) == 3 and q.unit.isupper():
        kind = _nearest_kind(clause, qs, qe, MONEY_KINDS)
        if kind == "oda":
            annual = any(d.role == "period" for d in ctx.dates if lo <= d.span.start and d.span.end <= hi) \
                or ANNUAL_CUE.search(clause)
            return "oda_annual" if annual and not re.search(r"\bto date\b|\bso far\b", clause) else "oda_total"
        if kind == "trade":
            return "trade_turnover"
        if kind == "imports":
            return "imports"
        if kind == "exports":
            return "other"
        if kind == "fdi":
            if NEW_CUE.search(clause) or (NEW_CUE.search(sentence_text) and not STOCK_CUE.search(sentence_text)
                                          and not any(d.role == "as_of" for d in ctx.dates)):
                return "fdi_new_capital"
            flow = any(d.role == "period" for d in ctx.dates if lo <= d.span.start and d.span.end <= hi)
            return "fdi_new_capital" if flow and not STOCK_CUE.search(clause) else "fdi_registered_capital"
    return None