"""How news text writes numbers, money, percentages, ranks and dates, in several styles.

Each helper returns the text to write together with the value the gold records, so the two
cannot drift apart (a value is computed from the digits that were written, never rounded
separately).
"""
from __future__ import annotations

import calendar
import random
from datetime import date

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth")
ORDINAL_NUMBERS = ("1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th",
                   "11th", "12th", "13th", "14th", "15th")
SCALES = {"billion": 10**9, "million": 10**6}
APPROXIMATIONS = ("nearly", "over", "more than", "approximately", "about", "almost", "some")
CURRENCY_WORDS = {"JPY": "yen", "AUD": "Australian dollars", "EUR": "euros"}


def grouped(number: int) -> str:
    """5304 -> '5,304'."""
    return f"{number:,}"


def decimal_text(units: int, decimals: int) -> str:
    """An integer count of 10**-decimals written out: (744, 1) -> '74.4', (2578, 0) -> '2,578'."""
    if decimals == 0:
        return grouped(units)
    whole, frac = divmod(units, 10**decimals)
    text = f"{grouped(whole)}.{frac:0{decimals}d}".rstrip("0").rstrip(".")
    return text


def decimal_value(units: int, decimals: int, scale: str) -> int | float:
    """The base-unit value of what :func:`decimal_text` wrote, exact for money."""
    value, rest = divmod(units * SCALES[scale], 10**decimals)
    return value if not rest else units * SCALES[scale] / 10**decimals


def draw_amount(rng: random.Random, low: float, high: float, decimals: int) -> int:
    """A value between low and high, as a count of 10**-decimals."""
    return rng.randint(round(low * 10**decimals), round(high * 10**decimals))


def money(rng: random.Random, currency: str, units: int, decimals: int,
          scale: str) -> tuple[str, int | float]:
    """'US$74.4 billion', '74.4 billion USD', 'JPY 2,578 billion', '100 billion yen', ..."""
    number = decimal_text(units, decimals)
    value = decimal_value(units, decimals, scale)
    if currency == "USD":
        styles = (f"US${number} {scale}", f"{number} {scale} USD", f"${number} {scale}",
                  f"USD {number} {scale}", f"US${number} {scale}")
    else:
        word = CURRENCY_WORDS[currency]
        styles = (f"{currency} {number} {scale}", f"{number} {scale} {word}")
    return rng.choice(styles), value


def percent(rng: random.Random, units: int) -> tuple[str, int | float]:
    """A percentage given in tenths: 152 -> '15.2 percent' (or '15.2%', '15.2 per cent')."""
    number = decimal_text(units, 1)
    value = units // 10 if units % 10 == 0 else units / 10
    return rng.choice((f"{number} percent", f"{number}%", f"{number} per cent",
                       f"{number} percent")), value


def round_count(rng: random.Random, low: int, high: int) -> int:
    """A count rounded as reporters round approximate figures (to two or three digits)."""
    value = rng.randint(low, high)
    step = 10 ** max(len(str(value)) - rng.choice((2, 2, 3)), 0)
    return max(step, value // step * step)


def rank_word(rank: int, rng: random.Random, *, largest: bool = True) -> str:
    """1 -> 'largest' / 'biggest'; 3 -> 'third-largest' / 'third largest'."""
    if rank == 1:
        return rng.choice(("largest", "biggest")) if largest else "first"
    word = ORDINALS[rank - 1]
    if not largest:
        return word
    return rng.choice((f"{word}-largest", f"{word} largest"))


def month_name(month: int) -> str:
    return calendar.month_name[month]


def day_text(day: date, with_year: bool) -> str:
    """'July 9' or 'July 9, 2024'."""
    text = f"{month_name(day.month)} {day.day}"
    return f"{text}, {day.year}" if with_year else text


def dateline(rng: random.Random, day: date) -> str:
    """A publication line as news sites print it."""
    hour, minute = rng.randint(6, 22), rng.randint(0, 59)
    twelve = hour % 12 or 12
    half = "AM" if hour < 12 else "PM"
    styles = (
        f"{day_text(day, True)} | {hour:02d}:{minute:02d}",
        f"{day_text(day, True)} {twelve}:{minute:02d} {half} GMT+7",
        f"{calendar.day_name[day.weekday()]}, {day_text(day, True)} {hour:02d}:{minute:02d}",
        f"{day.day} {month_name(day.month)} {day.year} | {hour:02d}:{minute:02d}",
    )
    return rng.choice(styles)


def day_range(start: date, end: date, with_year: bool) -> str:
    """'from November 22-25' or 'from November 29 to December 2' (with ', 2021' if asked)."""
    year = f", {end.year}" if with_year else ""
    if start.month == end.month:
        return f"from {month_name(start.month)} {start.day}-{end.day}{year}"
    return f"from {day_text(start, False)} to {day_text(end, False)}{year}"


def iso_day(day: date) -> str:
    return day.isoformat()


def iso_month(day: date) -> str:
    return day.isoformat()[:7]
