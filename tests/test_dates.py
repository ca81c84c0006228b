"""Dates: explicit, relative to the publication date, ranges, as-of and periods."""
from __future__ import annotations

import pytest

from kg.ingest.dates import anchor_date, find_dates, parse_explicit_date
from kg.model import PartialDate, Sentence, Span


def dates_in(text: str, published: str | None = None, whole: str | None = None):
    """Date mentions of ``text`` read as one sentence of ``whole`` (default: itself)."""
    whole = whole if whole is not None else text
    start = whole.index(text)
    sentence = Sentence(0, Span(start, start + len(text), text))
    found = find_dates(whole, sentence, PartialDate(published) if published else None)
    for mention in found:
        assert mention.span.text == whole[mention.span.start:mention.span.end]
    return found


@pytest.mark.parametrize("text, iso", [
    ("July 11, 2024 | 17:07", "2024-07-11"),
    ("November 21, 2021 3:06 PM GMT+7", "2021-11-21"),
    ("in Tokyo, Japan, August 8, 2024. Photo:", "2024-08-08"),
    ("established diplomatic ties on September 21, 1973,", "1973-09-21"),
    ("on 21 September 1973", "1973-09-21"),
    ("posted 2024-07-11", "2024-07-11"),
    ("Sept. 3, 2019", "2019-09-03"),
])
def test_explicit_dates(text, iso):
    assert parse_explicit_date(text) == PartialDate(iso)


@pytest.mark.parametrize("text", ["on July 9", "in June 2024", "February 30, 2023", "it may 2024", "12th meeting"])
def test_not_full_dates(text):
    assert parse_explicit_date(text) is None


def test_month_day_takes_the_publication_year():
    [mention] = dates_in("Prime Minister Pham Minh Chinh on July 9 had a meeting", "2024-07-11")
    assert (mention.span.text, mention.date) == ("on July 9", PartialDate("2024-07-09", True))


def test_past_event_after_publication_goes_to_the_previous_year():
    [mention] = dates_in("The minister attended a forum in Seoul on December 16.", "2024-01-05")
    assert mention.date.iso == "2023-12-16"


def test_announced_event_keeps_the_publication_year():
    [mention] = dates_in("Prime Minister Chinh will pay an official visit to Japan from November 22-25 "
                         "at the invitation of his counterpart.", "2021-11-21")
    assert (mention.date.iso, mention.end_date.iso) == ("2021-11-22", "2021-11-25")
    assert mention.span.text == "from November 22-25"


def test_weekday_is_on_or_before_the_anchor():
    [mention] = dates_in("they co-chaired the committee meeting on Wednesday", "2024-08-08")
    assert mention.date == PartialDate("2024-08-07", True)
    [same_day] = dates_in("the ministers met on Thursday", "2024-08-08")
    assert same_day.date.iso == "2024-08-08"


@pytest.mark.parametrize("phrase, published, iso", [
    ("Earlier this month, the two leaders met in Glasgow.", "2021-11-21", "2021-11"),
    ("the Japanese PM took office last month", "2021-11-21", "2021-10"),
    ("the Korean PM took office last month", "2024-01-10", "2023-12"),
    ("the partnership established last year", "2024-08-08", "2023"),
    ("a working group set up this month", "2024-08-14", "2024-08"),
])
def test_relative_months_and_years(phrase, published, iso):
    [mention] = dates_in(phrase, published)
    assert mention.date == PartialDate(iso, True)


def test_no_anchor_no_relative_date():
    assert dates_in("the PM on August 12 urged a working group this month") == []


def test_the_article_can_stand_in_for_a_missing_publication_date():
    whole = ("The forum took place in Tokyo on December 16. "
             "Bilateral trade exceeded 40 billion USD in the first 11 months of 2023.")
    [mention] = dates_in("The forum took place in Tokyo on December 16.", None, whole)
    assert mention.date == PartialDate("2023-12-16", True)
    caption = "They met on Wednesday. Scene of the talks in Tokyo, August 8, 2024. Photo"
    assert anchor_date(caption, None) == PartialDate("2024-08-08", True)
    [weekday] = dates_in("They met on Wednesday.", None, caption)
    assert weekday.date.iso == "2024-08-07"


def test_as_of_dates():
    [full] = dates_in("As of September 20, 2021, Japanese investors poured US$63.85 billion", "2021-11-21")
    assert (full.role, full.date, full.span.text) == ("as_of", PartialDate("2021-09-20"), "As of September 20, 2021")
    [month] = dates_in("As of the end of July, Japan had run 5,608 valid projects", "2024-08-14")
    assert (month.role, month.date) == ("as_of", PartialDate("2024-07", True))
    [earlier] = dates_in("As of the end of October, Korea had 10,000 projects", "2024-03-01")
    assert earlier.date.iso == "2023-10"


@pytest.mark.parametrize("phrase, start, end", [
    ("Bilateral trade exceeded 40 billion USD in the first 11 months of 2023", "2023-01", "2023-11"),
    ("Over the first nine months of 2021, as many as 131 projects", "2021-01", "2021-09"),
    ("in the first six months of 2022 alone", "2022-01", "2022-06"),
])
def test_first_months_are_periods(phrase, start, end):
    [mention] = dates_in(phrase, "2024-01-01")
    assert (mention.role, mention.date.iso, mention.end_date.iso) == ("period", start, end)


@pytest.mark.parametrize("phrase, iso, role", [
    ("In fiscal year 2023 alone, the total of ODA loans", "2023", "period"),
    ("two-way trade turnover reaching US$45 billion in 2023", "2023", "period"),
    ("the new labor law, which was issued in June 2024", "2024-06", "period"),
    ("becoming a developed country by 2045", "2045", "point"),
    ("upgrading bilateral ties to Strategic Partnership in 2009", "2009", "period"),
])
def test_years_and_months(phrase, iso, role):
    [mention] = dates_in(phrase, "2024-08-08")
    assert (mention.date.iso, mention.role) == (iso, role)


@pytest.mark.parametrize("phrase", [
    "the 50th anniversary of diplomatic relations",
    "the fourth Partnering for Green Growth and the Global Goals 2030 Summit",
    "EXPO 2025 in Osaka",
    "who died at the age of 80",
    "you may be right",
    "the 26th United Nations Climate Change Conference (COP26)",
])
def test_not_dates(phrase):
    assert dates_in(phrase, "2024-08-08") == []


@pytest.mark.parametrize("text, published, iso", [
    ("The talks were held on Fr\u0131day in Hanoi.", "2024-07-11", "2024-07-05"),
    ("The talks were held on Augu\u017ft 5, 2024 in Hanoi.", None, "2024-08-05"),
    ("The forum opened in Augu\u017ft 2024.", None, "2024-08"),
])
def test_names_a_case_insensitive_pattern_reads_as_ascii(text, published, iso):
    """Python's IGNORECASE matches "\u0131" as "i" and "\u017f" as "s": the name is still looked up
    (it used to be a KeyError, and the article failed)."""
    assert [mention.date.iso for mention in dates_in(text, published)] == [iso]
