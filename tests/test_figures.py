"""Figures: indicators, directions, time and fields of the numbers an article states."""
from __future__ import annotations

from decimal import Decimal

import pytest

from kg.ingest.articles import article_from_text
from kg.extract.entities import find_entities
from kg.extract.figures import find_figures
from kg.ingest.reference import load_reference


def figures_of(text: str, published: str = ""):
    reference = load_reference()
    article = article_from_text("t.txt", text + "\n", {"published": published})
    mentions, _ = find_entities(article, reference)
    found = find_figures(article, mentions, reference)
    for figure in found:
        assert figure.evidence.text == article.text[figure.evidence.start:figure.evidence.end]
    return found


def brief(figures):
    return [(f.indicator, f.value, f.unit, f"{f.from_state}->{f.to_state}") for f in figures]


def test_stock_figures_in_one_long_sentence():
    text = ("Japan continues to remain the most important economic partner of Vietnam, the first partner "
            "in providing ODA loans (with a total ODA capital of nearly US$30 billion to date), the second "
            "in terms of labor (currently, there are more than 580,000 Vietnamese people in Japan), the third "
            "in investment (with 5,304 valid projects with a total registered investment capital of US$74.4 "
            "billion) and fourth in trade (with two-way trade turnover reaching US$45 billion in 2023).")
    found = figures_of(text, "2024-07-11")
    assert sorted(brief(found)) == sorted([
        ("partner_rank", Decimal(1), "rank", "JP->VN"),
        ("oda_total", Decimal("30e9"), "USD", "JP->VN"),
        ("partner_rank", Decimal(2), "rank", "JP->VN"),
        ("diaspora", Decimal(580000), "person", "VN->JP"),
        ("partner_rank", Decimal(3), "rank", "JP->VN"),
        ("fdi_projects", Decimal(5304), "project", "JP->VN"),
        ("fdi_registered_capital", Decimal("74.4e9"), "USD", "JP->VN"),
        ("partner_rank", Decimal(4), "rank", "JP->VN"),
        ("trade_turnover", Decimal("45e9"), "USD", "None->None"),
    ])
    trade = next(f for f in found if f.indicator == "trade_turnover")
    assert (trade.period.iso, trade.period_label, trade.as_of) == ("2023", "in 2023", None)
    oda = next(f for f in found if f.indicator == "oda_total")
    assert (oda.approximation, oda.as_of.iso) == ("nearly", "2024-07-11")
    assert {f.field for f in found if f.indicator == "partner_rank"} == {"ODA", "labour", "investment", "trade"}


def test_two_ranks_from_one_ordinal():
    # "leading" alone ranks nothing (R4); the ordinals after it do
    found = figures_of("Korea is Vietnam's leading economic partner, ranking second in labour cooperation, "
                       "third in investment and tourism cooperation, and fourth in trade cooperation.")
    ranks = [(int(f.value), f.field, f.from_state, f.to_state) for f in found]
    assert ranks == [(2, "labour", "KR", "VN"), (3, "investment", "KR", "VN"),
                     (3, "tourism", "KR", "VN"), (4, "trade", "KR", "VN")]
    assert len({f.evidence for f in found}) == len(found)


def test_a_bare_largest_in_a_list_of_ranks_is_first_and_ends_the_clause_before_it():
    found = figures_of("South Korea remains one of Vietnam's most important partners, being the third-largest "
                       "partner in investment, the fifth largest in tourism and the largest in trade.")
    assert [(int(f.value), f.field, f.from_state) for f in found] == [
        (3, "investment", "KR"), (5, "tourism", "KR"), (1, "trade", "KR")]


def test_a_rank_without_its_noun_takes_the_frame_of_the_rank_before():
    found = figures_of("Australia is Vietnam's seventh largest trading partner, while Vietnam is Australia's "
                       "tenth largest.")
    assert [(int(f.value), f.field, f.from_state, f.to_state) for f in found] == [
        (7, "trade", "AU", "VN"), (10, "trade", "VN", "AU")]
    assert figures_of("Vietnam is Australia's tenth largest.") == []  # no rank before: no frame


def test_the_largest_of_a_thing_is_not_a_rank():
    assert figures_of("The Japanese-funded Nghi Son plant in Vietnam is the largest in the region. Japan's "
                      "JICA project in Vietnam is the biggest in Southeast Asia by capacity.") == []


def test_an_amount_restated_before_its_cue_takes_the_cue_of_the_restatement():
    found = figures_of("France is one of the major development partners of Viet Nam, having provided EUR 2.9 "
                       "billion (or $3.12 billion) in official development assistance (ODA) so far.", "2024-01-01")
    assert brief(found) == [("oda_total", Decimal("2.9e9"), "EUR", "FR->VN"),
                            ("oda_total", Decimal("3.12e9"), "USD", "FR->VN")]
    assert found[0].as_of == found[1].as_of


def test_a_rank_restated_in_the_same_article_counts_once():
    found = figures_of("Japan is the third-largest in investment. As of the end of July, Japan had run 5,608 "
                       "valid projects in Vietnam, ranking third among 151 countries and territories pouring "
                       "capital into Vietnam.", "2024-08-14")
    assert [(f.indicator, int(f.value)) for f in found] == [
        ("partner_rank", 3), ("fdi_projects", 5608)]
    assert found[1].as_of.iso == "2024-07"


def test_flows_and_their_periods():
    found = figures_of("Bilateral trade exceeded 40 billion USD in the first 11 months of 2023, with Vietnam "
                       "importing nearly 20 billion USD worth of goods from Japan.")
    assert brief(found) == [("trade_turnover", Decimal("40e9"), "USD", "None->None"),
                            ("imports", Decimal("20e9"), "USD", "JP->VN")]
    assert found[0].period_label == "in the first 11 months of 2023"
    assert found[0].approximation == "exceeded"


def test_new_investment_and_the_investor_after_by():
    found = figures_of("Over the first nine months of 2021, as many as 131 newly-registered projects, worth "
                       "US$3.26 billion, were invested in Viet Nam by Japanese investors.")
    assert brief(found) == [("fdi_new_projects", Decimal(131), "project", "JP->VN"),
                            ("fdi_new_capital", Decimal("3.26e9"), "USD", "JP->VN")]


def test_oda_in_one_year_in_two_currencies():
    found = figures_of("In fiscal year 2023 alone, the total of Japanese ODA loans to Vietnam exceeded 100 "
                       "billion yen (approximately $685.5 million), according to the agency.")
    assert brief(found) == [("oda_annual", Decimal("100e9"), "JPY", "JP->VN"),
                            ("oda_annual", Decimal("685.5e6"), "USD", "JP->VN")]
    assert found[1].period.iso == "2023"


def test_reverse_investment_and_other_states():
    found = figures_of("Conversely, Vietnamese investors have undertaken 126 projects in Japan with a total "
                       "registered capital of 20.5 million USD. Indian firms have 300 valid projects in "
                       "Vietnam with a registered capital of US$1.1 billion.")
    assert brief(found) == [("fdi_projects", Decimal(126), "project", "VN->JP"),
                            ("fdi_registered_capital", Decimal("20.5e6"), "USD", "VN->JP"),
                            ("fdi_projects", Decimal(300), "project", "IN->VN"),
                            ("fdi_registered_capital", Decimal("1.1e9"), "USD", "IN->VN")]


def test_people_tourists_trainees_and_growth():
    found = figures_of("In 2019, the number of Japanese tourists visiting Viet Nam ranked third, with 951,962 "
                       "visitors, up 15.2 percent compared to the previous year. Currently, Viet Nam ranks first "
                       "in the number of foreign trainees in Japan with nearly 220,000 people. The number of "
                       "overseas Vietnamese in Japan is estimated at nearly 450,000 people while approximately "
                       "20,000 Japanese citizens are living in Viet Nam.", "2021-11-21")
    assert sorted(brief(found)) == sorted([
        ("partner_rank", Decimal(3), "rank", "JP->VN"),
        ("tourists", Decimal(951962), "person", "JP->VN"),
        ("growth_rate", Decimal("15.2"), "percent", "JP->VN"),
        ("partner_rank", Decimal(1), "rank", "VN->JP"),
        ("trainees", Decimal(220000), "person", "VN->JP"),
        ("diaspora", Decimal(450000), "person", "VN->JP"),
        ("diaspora", Decimal(20000), "person", "JP->VN"),
    ])
    assert next(f for f in found if f.indicator == "tourists").period.iso == "2019"


def test_diaspora_both_ways_in_one_sentence():
    found = figures_of("Meanwhile, there are over 500,000 Vietnamese living, studying, and working in Korea, "
                       "and more than 22,000 Korean citizens are living, studying and working in Vietnam.")
    assert brief(found) == [("diaspora", Decimal(500000), "person", "VN->KR"),
                            ("diaspora", Decimal(22000), "person", "KR->VN")]


@pytest.mark.parametrize("text", [
    "Kamikawa expressed condolences for Nguyen Phu Trong, who died on July 19 at the age of 80.",
    "The two ministers co-chaired the 12th meeting of the Vietnam-Japan Cooperation Committee.",
    "They agreed to mark the 50th founding anniversary of diplomatic ties between the two countries in 2023.",
    "The company opened a factory worth $200 million in Hanoi.",
    "Some 300 students attended the ceremony in Hanoi.",
    "The fourth Partnering for Green Growth and the Global Goals 2030 Summit will be held in Vietnam.",
])
def test_numbers_that_are_not_figures(text):
    assert figures_of(text, "2024-08-08") == []


def test_varied_sentences_about_another_partner():
    found = figures_of("South Korea is currently the largest foreign investor in Vietnam with nearly 9,500 valid "
                       "projects worth US$81 billion. About 200,000 Vietnamese people live in South Korea, while "
                       "some 180,000 Koreans are living in Vietnam. In 2019, Vietnam welcomed 4.3 million Korean "
                       "tourists, making Korea the second-largest source of tourists for Vietnam. Vietnam's exports "
                       "to Korea reached 24.3 billion USD in 2022.", "2023-01-05")
    assert brief(found) == [
        ("partner_rank", Decimal(1), "rank", "KR->VN"),
        ("fdi_projects", Decimal(9500), "project", "KR->VN"),
        ("fdi_registered_capital", Decimal("81e9"), "USD", "KR->VN"),
        ("diaspora", Decimal(200000), "person", "VN->KR"),
        ("diaspora", Decimal(180000), "person", "KR->VN"),
        ("tourists", Decimal("4.3e6"), "person", "KR->VN"),
        ("partner_rank", Decimal(2), "rank", "KR->VN"),
        ("imports", Decimal("24.3e9"), "USD", "VN->KR"),  # A's exports to B are imports A->B (R20)
    ]
    assert [f.field for f in found if f.indicator == "partner_rank"] == ["investment", "tourism"]


def test_a_written_ordinal_above_ten_is_a_rank():
    found = figures_of("As of the end of June, Australia had 640 valid investment projects in Vietnam, ranking "
                       "20th among foreign investors in the country.")
    assert ("partner_rank", 20, "rank", "AU->VN") in [(i, int(v), u, d) for i, v, u, d in brief(found)]


# Rules from ../shared/eval/dev/NOTES.md (R1, R4, R7, R19, R20, R21), each on sentences of our own.

def test_a_decline_is_a_negative_growth_rate():
    found = figures_of("Vietnam's exports to Japan reached 9.2 billion USD in the first half, down 9.8 percent "
                       "year on year, while imports from Japan rose 3.1 percent.", "2024-07-20")
    assert [(f.indicator, f.value) for f in found if f.unit == "percent"] == [
        ("growth_rate", Decimal("-9.8")), ("growth_rate", Decimal("3.1"))]
    assert brief(found)[0] == ("imports", Decimal("9.2e9"), "USD", "VN->JP")  # exports A->B are imports A->B


def test_shares_stakes_and_points_are_other_percent():
    found = figures_of("Japanese firms accounted for 14.3% of the total investment in Vietnam. The share of "
                       "Japanese firms planning to expand in Vietnam is 58 percent, up 4.1 points.")
    assert [(f.indicator, f.value, f.unit) for f in found] == [
        ("other", Decimal("14.3"), "percent"), ("other", Decimal(58), "percent"), ("other", Decimal("4.1"), "percent")]


def test_workers_students_and_visitors_are_counts_of_people():
    found = figures_of("Some 260,000 Vietnamese workers are employed in Japan. About 45,000 Vietnamese students "
                       "study in Japan. The number of Japanese visitors to Vietnam reached 310,000 in 2023.",
                       "2024-02-01")
    assert brief(found) == [("other", Decimal(260000), "person", "VN->JP"),
                            ("other", Decimal(45000), "person", "VN->JP"),
                            ("tourists", Decimal(310000), "person", "JP->VN")]


def test_other_pairs_and_totals_over_all_partners_are_left_out():
    """R19: an article on Vietnam and Japan keeps neither China's students in Japan nor all
    foreign workers, but keeps Vietnam's share of them."""
    found = figures_of("Vietnamese students in Japan numbered 50,000. Japan hosted 300,000 foreign students, "
                       "up 5 percent. The number of Chinese students studying in Japan stood at 120,000, down 2.1 "
                       "percent. Vietnamese make up 25 percent of foreign workers in Japan.")
    assert [(f.indicator, f.value, f.unit) for f in found] == [
        ("other", Decimal(25), "percent")]


def test_ranks_only_for_ordinals_and_superlatives_that_rank_the_partner():
    found = figures_of("Vietnam topped the list of foreign trainees in Japan. Japan is Vietnam's largest ODA "
                       "provider, second investor and fourth trade partner. The Vietnamese community became the "
                       "third largest foreign community in Japan.", "2024-01-01")
    assert [int(f.value) for f in found if f.indicator == "partner_rank"] == [1, 1, 2, 4, 3]
    assert figures_of("Japan is Vietnam's leading partner in ODA and one of its biggest investors; Vietnam is in "
                      "the top 10 markets for Japanese tourists.") == []


def test_trade_targets_and_tariff_rates_have_no_direction():
    found = figures_of("The two leaders agreed to lift bilateral trade from US$40 billion to US$60 billion. "
                       "The United States imposed a 46 percent tariff on Vietnam.", "2025-04-04")
    assert brief(found) == [("trade_turnover", Decimal("40e9"), "USD", "None->None"),
                            ("other", Decimal("60e9"), "USD", "None->None"),
                            ("other", Decimal(46), "percent", "None->None")]


def test_loan_packages_and_commodity_rows_are_other():
    found = figures_of("JICA signed a loan agreement worth 30 billion yen with Vietnam. Key export items to "
                       "Japan were garments at US$1.5 billion and seafood at US$700 million.", "2024-01-01")
    assert [(f.indicator, f.value, f.unit) for f in found] == [
        ("other", Decimal("30e9"), "JPY"), ("other", Decimal("1.5e9"), "USD"), ("other", Decimal("700e6"), "USD")]


def test_rows_of_a_list_of_investors_each_with_its_share():
    found = figures_of("Singapore invested US$6 billion (30%) in Vietnam; South Korea US$4 billion (20%); "
                       "Japan US$3 billion (15%).", "2024-01-01")
    assert [(f.indicator, f.value, f.from_state) for f in found] == [
        ("fdi_registered_capital", Decimal("6e9"), "SG"), ("other", Decimal(30), "SG"),
        ("fdi_registered_capital", Decimal("4e9"), "KR"), ("other", Decimal(20), "KR"),
        ("fdi_registered_capital", Decimal("3e9"), "JP"), ("other", Decimal(15), "JP")]


def test_a_currency_as_written():
    found = figures_of("Two-way trade between Vietnam and Australia reached 18 billion AUD in 2023, and "
                       "Australia's ODA to Vietnam totalled A$95 million in the year.", "2024-03-05")
    assert [(f.value, f.unit) for f in found] == [(Decimal("18e9"), "AUD"), (Decimal("95e6"), "AUD")]


@pytest.mark.parametrize("text", [
    "More than 300 Vietnamese students attended the ceremony in Tokyo.",
    "The loan carries an interest rate of 0.1 percent per year for Vietnam.",
    "Japan's inflation stood at 2.5 percent in the year.",
])
def test_audiences_and_rates_that_are_not_figures_of_the_relationship(text):
    assert figures_of(text, "2024-08-08") == []


def test_one_firms_plant_and_indirect_projects_are_other():
    found = figures_of("Vingroup is investing $500 million to set up a car plant in India. Japanese firms have "
                       "1,200 direct investment projects and 900 indirect investment projects in Vietnam.",
                       "2025-07-01")
    assert [(f.indicator, f.value) for f in found] == [
        ("other", Decimal("500e6")), ("fdi_projects", Decimal(1200)), ("other", Decimal(900))]


def test_a_tariff_on_a_third_state_is_left_out_and_one_on_vietnam_kept_without_direction():
    found = figures_of("Vietnam and South Korea agreed to deepen trade ties. U.S. tariffs on South Korea stand at 15 "
                       "per cent, while Vietnam is subject to 20 per cent.", "2025-08-01")
    assert [(f.value, f.from_state, f.to_state, f.parties) for f in found] == [(Decimal(20), None, None, ("US", "VN"))]
