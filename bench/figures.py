"""Sentences that state the relationship's numbers, each planting the figures it writes.

Annotation follows the hand-written gold: investment, ODA, imports from the partner,
tourists from it and its ranks as Vietnam's partner flow partner->Vietnam; Vietnamese
living or training in the partner flow Vietnam->partner; two-way trade has no direction.
Counts that only set the scene (the number of countries ranked, months of a period, an
anniversary, the ordinal of a meeting) are not figures.
"""
from __future__ import annotations

from typing import Callable

from bench.phrasing import (APPROXIMATIONS, ORDINALS, draw_amount, grouped, money, month_name,
                            percent, rank_word, round_count)
from bench.story import Story, capital_first

MONTHS_WORDS = ("three", "four", "five", "six", "seven", "eight", "nine", "ten", "11")
FOREIGN_INVESTOR_COUNT = (139, 140, 143, 145, 148, 151, 153)
EXCHANGE = {"JPY": (0.0065, 0.0095), "AUD": (0.64, 0.76), "EUR": (1.04, 1.16)}


def _fdi_rank(story: Story) -> int | None:
    low = story.partner.fdi_billion[0]
    if low > 50:
        return story.rng.randint(1, 4)
    if low > 8:
        return story.rng.randint(4, 9)
    return None


def _capital(story: Story, low: float, high: float) -> tuple[str, int | float]:
    """An amount in billions of USD, written in millions when it is below one billion."""
    if high < 1:
        units = draw_amount(story.rng, low * 1000, high * 1000, 0)
        return money(story.rng, "USD", units, 0, "million")
    decimals = 2 if high < 5 or story.chance(0.3) else 1
    units = draw_amount(story.rng, low, high, decimals)
    return money(story.rng, "USD", units, decimals, "billion")


def fdi_stock(story: Story) -> str:
    rng, f = story.rng, story.facts
    projects = rng.randint(*story.partner.fdi_projects)
    capital, value = _capital(story, *story.partner.fdi_billion)
    rank = _fdi_rank(story)
    variant = rng.randrange(3)
    if variant == 0:
        month = month_name(rng.randint(1, 12))
        text = (f"As of the end of {month}, {story.p} had {grouped(projects)} valid projects in "
                f"{story.vn}, with a total registered capital of {capital}")
        f.figure("fdi_projects", projects, "project", story.direction_in)
        f.figure("fdi_registered_capital", value, "USD", story.direction_in)
        if rank:
            text += (f", ranking {ORDINALS[rank - 1]} among "
                     f"{rng.choice(FOREIGN_INVESTOR_COUNT)} countries and territories pouring "
                     f"capital into {story.vn}")
            f.figure("partner_rank", rank, "rank", story.direction_in)
        return text + "."
    if variant == 1:
        rounded = round_count(rng, *story.partner.fdi_projects)
        approx = rng.choice(APPROXIMATIONS)
        f.figure("fdi_projects", rounded, "project", story.direction_in)
        f.figure("fdi_registered_capital", value, "USD", story.direction_in)
        return (f"With {approx} {grouped(rounded)} projects and "
                f"{rng.choice(('more than', 'over', 'nearly'))} {capital} in registered "
                f"capital, {story.partner.adjective} investors are present in almost all "
                f"regions of {story.vn}.")
    f.figure("fdi_registered_capital", value, "USD", story.direction_in)
    f.figure("fdi_projects", projects, "project", story.direction_in)
    text = (f"{story.partner.adjective} investors have poured {capital} into "
            f"{grouped(projects)} FDI projects in {story.vn}")
    if rank:
        text += (f", ranking {ORDINALS[rank - 1]} among {rng.choice(FOREIGN_INVESTOR_COUNT)} "
                 f"nations and territories investing in the country")
        f.figure("partner_rank", rank, "rank", story.direction_in)
    return text + "."


def fdi_outbound(story: Story) -> str:
    rng = story.rng
    projects = rng.randint(20, 180)
    units = draw_amount(rng, 5, 400, 1)
    capital, value = money(rng, "USD", units, 1, "million")
    story.facts.figure("fdi_projects", projects, "project", story.direction_out)
    story.facts.figure("fdi_registered_capital", value, "USD", story.direction_out)
    return (f"Conversely, Vietnamese investors have undertaken {projects} projects in "
            f"{story.p} with a total registered capital of {capital}.")


def fdi_new(story: Story) -> str:
    rng = story.rng
    projects = rng.randint(40, 400)
    high = max(story.partner.fdi_billion[0] / 12, 0.3)
    capital, value = _capital(story, high / 4, high)
    months = rng.choice(MONTHS_WORDS)
    year = story.ref_year
    story.facts.figure("fdi_new_projects", projects, "project", story.direction_in)
    story.facts.figure("fdi_new_capital", value, "USD", story.direction_in)
    if story.chance(0.5):
        return (f"Over the first {months} months of {year}, as many as {projects} "
                f"newly-registered projects, worth {capital}, were invested in {story.vn} by "
                f"{story.partner.adjective} investors.")
    return (f"In the first {months} months of {year}, {story.partner.adjective} investors "
            f"registered {projects} new projects in {story.vn} with a combined capital of "
            f"{capital}.")


def trade(story: Story) -> str:
    rng, f = story.rng, story.facts
    turnover, value = _capital(story, *story.partner.trade_billion)
    year = story.ref_year - (1 if story.chance(0.5) else 0)
    variant = rng.randrange(3)
    if variant == 0:
        growth, rate = percent(rng, rng.randint(15, 260))
        f.figure("trade_turnover", value, "USD", None)
        f.figure("growth_rate", rate, "percent", None)
        return (f"Two-way trade reached {turnover} in {year}, up {growth} from the "
                f"previous year.")
    if variant == 1:
        share = draw_amount(rng, story.partner.trade_billion[0] / 3,
                            story.partner.trade_billion[0] / 2, 1)
        imports, imports_value = money(rng, "USD", share, 1, "billion")
        months = rng.choice(MONTHS_WORDS)
        f.figure("trade_turnover", value, "USD", None)
        f.figure("imports", imports_value, "USD", story.direction_in)
        return (f"Bilateral trade exceeded {turnover} in the first {months} months of {year}, "
                f"with {story.vn} importing {rng.choice(('nearly', 'about', 'over'))} "
                f"{imports} worth of goods from {story.p}.")
    rank = rng.randint(2, 6)
    f.figure("trade_turnover", value, "USD", None)
    f.figure("partner_rank", rank, "rank", story.direction_in)
    return (f"The bilateral trade value hit {turnover} in {year}, making {story.p} the "
            f"{rank_word(rank, rng)} trade partner of {story.vn}.")


def oda(story: Story) -> str:
    """Cumulative ODA; only Japan is written up as the largest provider (a rank)."""
    rng, f, partner = story.rng, story.facts, story.partner
    assert partner.oda_billion is not None
    low, high = partner.oda_billion
    usd_units = draw_amount(rng, low, high, 2)
    usd, usd_value = money(rng, "USD", usd_units, 2, "billion")
    if partner.oda_currency and story.chance(0.5):
        rate = rng.uniform(*EXCHANGE[partner.oda_currency])
        native_units = round(usd_units / 10 / rate)  # in tenths of a native billion
        native, native_value = money(rng, partner.oda_currency, native_units, 1, "billion")
        f.figure("oda_total", native_value, partner.oda_currency, story.direction_in)
        amount = f"{native} (or {usd})"
    else:
        amount = f"{rng.choice(('nearly', 'about', 'over'))} {usd}"
    f.figure("oda_total", usd_value, "USD", story.direction_in)
    if partner.name != "Japan":
        return (f"{capital_first(story.p)} is one of the major development partners of "
                f"{story.vn}, having provided {amount} in official development assistance "
                f"(ODA) so far.")
    f.figure("partner_rank", 1, "rank", story.direction_in)
    return rng.choice((
        f"{capital_first(story.p)} is currently the largest official development assistance "
        f"(ODA) provider for {story.vn} with {amount}.",
        f"{capital_first(story.p)} is the {rng.choice(('largest', 'biggest'))} provider of ODA "
        f"loans to {story.vn}, with {amount} worth of lending to date.",
    ))


def oda_annual(story: Story) -> str:
    rng, f = story.rng, story.facts
    yen = rng.randint(60, 180)
    rate = rng.uniform(*EXCHANGE["JPY"])
    usd_units = round(yen * rate * 10_000)  # tenths of a million
    native, native_value = money(rng, "JPY", yen, 0, "billion")
    if usd_units >= 10_000:  # a billion or more: written in billions
        usd, usd_value = money(rng, "USD", round(usd_units / 100), 2, "billion")
    else:
        usd, usd_value = money(rng, "USD", usd_units, 1, "million")
    year = story.ref_year - 1
    f.figure("oda_annual", native_value, "JPY", story.direction_in)
    f.figure("oda_annual", usd_value, "USD", story.direction_in)
    return (f"In fiscal year {year} alone, the total of {story.partner.adjective} ODA loans to "
            f"{story.vn} exceeded {native} (approximately {usd}).")


def diaspora(story: Story) -> str:
    rng, f = story.rng, story.facts
    abroad = round_count(rng, *story.partner.diaspora)
    home = round_count(rng, 8_000, 30_000)
    f.figure("diaspora", abroad, "person", story.direction_out)
    if story.chance(0.5):
        return (f"The number of overseas Vietnamese in {story.p} is estimated at "
                f"{rng.choice(('nearly', 'about', 'more than'))} {grouped(abroad)} people.")
    f.figure("diaspora", home, "person", story.direction_in)
    return (f"There are {rng.choice(('over', 'more than', 'some'))} {grouped(abroad)} "
            f"Vietnamese living, studying and working in {story.p}, while "
            f"{rng.choice(('approximately', 'about', 'nearly'))} {grouped(home)} "
            f"{story.partner.people} are living in {story.vn}.")


def trainees(story: Story) -> str:
    rng, f = story.rng, story.facts
    assert story.partner.trainees is not None
    count = round_count(rng, *story.partner.trainees)
    f.figure("trainees", count, "person", story.direction_out)
    if story.chance(0.5):
        f.figure("partner_rank", 1, "rank", story.direction_out)
        return (f"Regarding labour cooperation, {story.vn} ranks first in the number of foreign "
                f"trainees in {story.p} with {rng.choice(('nearly', 'about'))} "
                f"{grouped(count)} people.")
    return (f"{capital_first(story.p)} currently hosts {rng.choice(('more than', 'over'))} "
            f"{grouped(count)} Vietnamese technical interns and trainees.")


def tourists(story: Story) -> str:
    rng, f = story.rng, story.facts
    count = rng.randint(*story.partner.tourists)
    growth, rate = percent(rng, rng.randint(20, 420))
    rank = rng.randint(2, 7)
    year = story.ref_year - 1
    f.figure("tourists", count, "person", story.direction_in)
    f.figure("partner_rank", rank, "rank", story.direction_in)
    f.figure("growth_rate", rate, "percent", story.direction_in)
    return (f"In {year}, the number of {story.partner.adjective} tourists visiting {story.vn} "
            f"ranked {ORDINALS[rank - 1]}, with {grouped(count)} visitors, up {growth} "
            f"compared to the previous year.")


def ranks(story: Story) -> str:
    rng = story.rng
    fields = rng.sample(("labour cooperation", "investment", "tourism", "trade"), 3)
    best = 1 if story.partner.fdi_billion[0] > 50 else 4
    places = rng.sample(range(best, best + 5), 3)
    for place in places:
        story.facts.figure("partner_rank", place, "rank", story.direction_in)
    words = ["largest" if p == 1 else rank_word(p, rng) for p in places]
    parts = [f"the {w} partner in {fields[0]}" if i == 0 else f"the {w} in {field}"
             for i, (w, field) in enumerate(zip(words, fields))]
    return (f"{capital_first(story.p)} remains one of {story.vn_poss} most important partners, "
            f"being {parts[0]}, {parts[1]} and {parts[2]}.")


def catalogue(story: Story) -> list[Callable[[Story], str]]:
    """The figure sentences that fit the story's partner."""
    options: list[Callable[[Story], str]] = [fdi_stock, fdi_new, trade, diaspora, tourists,
                                            ranks, fdi_outbound]
    if story.partner.oda_billion:
        options.append(oda)
    if story.partner.name == "Japan":
        options.append(oda_annual)
    if story.partner.trainees:
        options.append(trainees)
    return options
