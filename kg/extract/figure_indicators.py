"""Which indicator a number measures, read from cue words near it (SCHEMA.md's codes).

The *clause* of a quantity runs from the previous quantity of the sentence to the next one;
the indicator is the kind of the nearest cue, a cue counting for less when a comma, a
parenthesis or "while" stands between it and the number. A number with no cue is left out.
"""
from __future__ import annotations

import re
from decimal import Decimal

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
        "tourism": r"\btourists?\b|\bvisitors?\b|\barrivals?\b|\btourism\b|\bholidaymakers\b|"
                   r"\btravell?(?:ed|ing)\b|\btoured\b|\bvisited\b|\bentered\b|\btrips\b",
        "labour": r"\btrainees?\b|\binterns?\b|\binternship\b",
        # people counted as workers, students or visa holders: no code of their own -> `other`
        "work": r"\bworkers?\b|\blabou?rers?\b|\bworkforce\b|\bemploy(?:ed|s|ees?)?\b|\bstudents?\b|"
                r"\bholders?\b|\bvisas?\b|\bworking\b|\bwork\b",
        "diaspora": r"\boverseas\b|\bliving\b|\bhome\s+(?:to|for)\b|\bresiding\b|\blive\b|\breside\b|\bcommunity\b|"
                    r"\bdiaspora\b|\bexpatriates?\b",
        "growth": r"\bup\b|\bdown\b|\bincrease[sd]?\b|\brise\b|\brose\b|\bgrew\b|\bgrowth\b|"
                  r"\bdecline[sd]?\b|\bfell\b|\bdrop(?:ped)?\b|\bsurge[sd]?\b|\bjump(?:ed)?\b|"
                  r"\bgain(?:ed)?\b|\bdecrease[sd]?\b|\byear-on-year\b|\bhigher\b|\blower\b",
    }.items()
}
MONEY_KINDS = ("oda", "trade", "imports", "exports", "fdi")
PERSON_KINDS = ("tourism", "labour", "diaspora", "work")
PERSON_INDICATORS = {"tourism": "tourists", "labour": "trainees", "diaspora": "diaspora", "work": "other"}
# "down 9.8 percent", "fell 2.1%", "a decline of 3%": a negative change
DECLINE = re.compile(r"\b(?:down|declin\w*|decreas\w*|fell|fall(?:s|ing)?|dropp?\w*|plunge\w*|plummet\w*|"
                     r"slump\w*|shr[au]nk|contract(?:ed|ion)|lower|los[st]|dipped)\b", re.IGNORECASE)
RISE = re.compile(r"\b(?:up|increas\w*|ris(?:e|es|ing)|rose|grew|grow\w*|surg\w*|jump\w*|gain\w*|higher|"
                  r"soar\w*|climb\w*|skyrocket\w*|expan\w*)\b", re.IGNORECASE)
# a loan or credit of its own (signed, provided), not ODA counted over years -> `other`
LOAN_PACKAGE = re.compile(r"\bloan\b(?!s)|\bloan agreements?\b|\bcredit\s+(?:contract|line|agreement|package)s?\b|"
                          r"\b(?:low-interest|concessional|soft|preferential)\s+loans\b|\bloan packages?\b|"
                          r"\bloans\s+(?:also\s+)?includ\w*",
                          re.IGNORECASE)
ODA_STOCK = re.compile(r"\bODA\s+(?:provider|donor|capital)\b|\bofficial development a\w+\b(?!\s+\(ODA\)\s+loan)|"
                       r"\bto date\b|\bso far\b|\bcumulative\b|\bin total\b|\bfiscal year\b", re.IGNORECASE)
ATTENDANCE = re.compile(r"\b(?:attend\w*|participa\w*|gathered|took\s+part|delegates|guests|spectators|"
                        r"audience|attendees)\b", re.IGNORECASE)
ATTENDANCE = re.compile(r"\b(?:attend\w*|participa\w*|gathered|took\s+part|delegates|guests|spectators|"
                        r"audience|attendees)\b", re.IGNORECASE)
FACILITY = re.compile(r"\b(?:plants?|factory|factories|refinery|refineries|facility|facilities|complex)\b",
                      re.IGNORECASE)
# an average, an additional amount, a balance: no code of its own
MONEY_OTHER = re.compile(r"\b(?:average|additional|extra|deficit|surplus)\b", re.IGNORECASE)
# a flow written without a date: "invested US$1.14 billion in the period"
PERIOD_PHRASE = re.compile(r"\b(?:in|during|over|for)\s+the\s+(?:same\s+)?period\b", re.IGNORECASE)
# amounts of goods by kind ("garments at US$1.67 billion"): a commodity table's rows -> `other`
COMMODITY = re.compile(r"\b(?:items?|commodit(?:y|ies)|product\s+groups?|categories)\b", re.IGNORECASE)
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



def _nearest_match(clause: str, q_start: int, q_end: int, kind: str) -> re.Match[str]:
    """The cue of ``kind`` nearest the number (one exists)."""
    return min(CUES[kind].finditer(clause), key=lambda m: _cue_distance(clause, q_start, q_end, m))


def choose_indicator(ctx: FigureContext, q: Quantity, lo: int, hi: int) -> str | None:
    """The indicator code of an amount, count or percentage, or None when no cue says."""
    clause = ctx.text[lo:hi]
    qs, qe = q.span.start - lo, q.span.end - lo
    sentence_text = ctx.sentence.span.text
    if q.unit == "percent":
        return _percent_indicator(clause, qs, qe, q, sentence_text)
    if q.unit == "project":
        kind = _nearest_kind(clause, qs, qe, ("oda", "fdi"))
        valid = re.search(r"\b(?:valid|licensed|operational)\s+projects\b", q.span.text, re.IGNORECASE)
        if kind == "oda" or not (valid or CUES["fdi"].search(re.sub(r"\bprojects?\b", "", sentence_text))):
            return None
        if re.search(r"\bindirect\b", clause[max(0, qs - 10):qe + 40], re.IGNORECASE):
            return "other"  # "1,739 indirect investment projects through share purchase": not FDI
        new = NEW_CUE.search(clause) or (PERIOD_PHRASE.search(clause) and not STOCK_CUE.search(clause))
        return "fdi_new_projects" if new else "fdi_projects"
    if q.unit == "person":
        if ATTENDANCE.search(clause):
            return None  # "more than 300 Koreans gathered", "500 delegates attended": an audience
        kind = _nearest_kind(q.noun, 0, 0, PERSON_KINDS) if q.noun else None
        kind = kind or _nearest_kind(clause, qs, qe, PERSON_KINDS[:-1])
        has_demonym = any(m.demonym for m in ctx.states if lo <= m.start and m.end <= hi) or \
            any(word in ctx.demonym_states for word in q.noun.split())
        if kind == "diaspora" or (kind is None and has_demonym and re.search(
                r"\bin\s+(?:the\s+)?[A-Z]", clause[qe:])):
            return "diaspora" if has_demonym else None
        if kind is None and _nearest_kind(clause, qs, qe, ("work",)) and \
                _cue_distance(clause, qs, qe, _nearest_match(clause, qs, qe, "work")) < 80:
            kind = "work"  # "518,350 workers were Vietnamese", "employed 206,050 Filipino nationals"
        return PERSON_INDICATORS.get(kind or "")
    if len(q.unit) == 3 and q.unit.isupper():
        kind = _nearest_kind(clause, qs, qe, MONEY_KINDS)
        if kind is not None and (MONEY_OTHER.search(clause) or CHANGE_BEFORE.search(clause[max(0, qs - 40):qs])):
            return "other"  # an average, an additional amount, a change ("rose by US$2 billion to ...")
        if kind in ("oda", "fdi") and LOAN_PACKAGE.search(clause) and not ODA_STOCK.search(clause):
            return "other"
        if kind in (None, "exports", "imports") and COMMODITY.search(sentence_text):
            return "other"
        if kind == "oda":
            annual = any(d.role == "period" for d in ctx.dates if lo <= d.span.start and d.span.end <= hi) \
                or ANNUAL_CUE.search(clause)
            return "oda_annual" if annual and not re.search(r"\bto date\b|\bso far\b", clause) else "oda_total"
        if kind == "trade":
            return "trade_turnover"
        if kind == "imports":
            return "imports"
        if kind == "exports":
            return "imports"  # A's exports to B are B's imports from A (R20); direction says which
        if kind == "fdi" and FACILITY.search(clause):
            return "other"  # one firm's plant or refinery, not a partner's FDI ("investing $500 million ... plant")
        if kind == "fdi":
            if NEW_CUE.search(clause) or (NEW_CUE.search(sentence_text) and not STOCK_CUE.search(sentence_text)
                                          and not any(d.role == "as_of" for d in ctx.dates)):
                return "fdi_new_capital"
            flow = any(d.role == "period" for d in ctx.dates if lo <= d.span.start and d.span.end <= hi) \
                or PERIOD_PHRASE.search(clause)
            stock = STOCK_CUE.search(re.sub(r"\ba total of\b", "", clause, flags=re.IGNORECASE))
            return "fdi_new_capital" if flow and not stock else "fdi_registered_capital"
    return None

def _percent_indicator(clause: str, qs: int, qe: int, q: Quantity, sentence: str) -> str | None:
    """A change ("up 15.2 percent", "an 8.5% increase", "90% higher") is a growth rate; a
    change of a share in points, a share, a stake or a tariff rate is `other`; any other
    percentage (an interest rate, an inflation rate) says nothing about the relationship."""
    if q.noun == "points":
        return "other"
    if _change_word(clause, qs, qe) is not None:
        return "growth_rate"
    if SHARE_AFTER.match(clause, qe) or SHARE_BEFORE.search(clause[max(0, qs - 30):qs]) or SHARE_WORDS.search(sentence):
        return "other"
    return None


# "25 percent of the total", "accounting for 30%", "(14.3%)", "a 35.1 percent stake", "a 46% tariff"
SHARE_AFTER = re.compile(r"\s*of\b|\s+(?:stake|share|tariffs?|dut(?:y|ies))\b", re.IGNORECASE)
SHARE_BEFORE = re.compile(r"(?:\baccount(?:s|ed|ing)?\s+for|\brepresent(?:s|ed|ing)?|\bmak(?:e|es|ing)\s+up|"
                          r"\bmade\s+up|\bhold(?:s|ing)?|\(|\bor)\s*(?:about|around|nearly|over|"
                          r"more than|almost|some|an estimated|roughly)?\s*$", re.IGNORECASE)
SHARE_WORDS = re.compile(r"\b(?:share|stakes?|proportion|percentage|tariffs?|dut(?:y|ies)|levy|levies)\b", re.IGNORECASE)


# a change word right before the number ("fell 10.4 percent", "a year-on-year rise of 13%",
# "surged by 10.6%") or right after it ("an 8.5% increase", "90% higher", "1.09% on year")
CHANGE_BEFORE = re.compile(rf"(?P<word>{DECLINE.pattern}|{RISE.pattern}|\bgrowth\b|\byear-on-year\b)"
                           r"(?:\s+(?:of|by|at|about|around|nearly|some|over|more than|almost|approximately))*\s*$",
                           re.IGNORECASE)
CHANGE_AFTER = re.compile(rf"^\s*(?P<word>{DECLINE.pattern}|{RISE.pattern}|\bgrowth\b|\byear[- ]on[- ]year\b|"
                          r"\bon\s+year\b)", re.IGNORECASE)


# "make up 25 percent", "set up": a particle, not a change
PHRASAL_UP = re.compile(r"\b(?:make|makes|made|making|set|sets|setting|take|takes|took|taking|sum|sums)\s+up$",
                        re.IGNORECASE)


def _change_word(clause: str, qs: int, qe: int) -> str | None:
    """The change word that makes a percentage a growth rate, if any."""
    window = clause[max(0, qs - 40):qs]
    before = CHANGE_BEFORE.search(window)
    if before is not None and not PHRASAL_UP.search(window[:before.end("word")]):
        return before.group("word")
    after = CHANGE_AFTER.match(clause[qe:qe + 30])
    return after.group("word") if after is not None else None


def signed_change(clause: str, qs: int, qe: int, value: Decimal) -> Decimal:
    """A growth rate's sign: negative when its change word is a decline ("down 9.8 percent",
    "fell 2.1% to", "a decrease of 3%", "a 2% decline")."""
    word = _change_word(clause, qs, qe)
    return -abs(value) if word is not None and DECLINE.fullmatch(word) else value
