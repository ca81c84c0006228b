"""Stored queries on a small hand-made graph (tests/fixtures/queries/mini.trig): expected rows."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg import load_queries, run_query
from kg.query.backend import EmbeddedBackend
from kg.query.stored import execute_stored
from fixtures.queries.mini import open_mini_store
from kg.store.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
VJR = "https://w3id.org/vjkg/id/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return open_mini_store(tmp_path_factory.mktemp("mini") / "store")


def rows(store: Store, name: str, **params: str) -> list[dict]:
    return run_query(name, params, store=store)


def test_every_stored_query_loads_and_has_test_parameters() -> None:
    queries = load_queries()
    param_sets = yaml.safe_load((FIXTURES / "params.yaml").read_text())
    assert set(queries) == set(param_sets)
    for query in queries.values():
        assert query.summary and query.form == "SELECT" and query.columns


@pytest.mark.parametrize("name", sorted(yaml.safe_load((FIXTURES / "params.yaml").read_text())))
def test_every_parameter_set_runs(store: Store, name: str) -> None:
    query = load_queries()[name]
    for params in yaml.safe_load((FIXTURES / "params.yaml").read_text())[name]:
        result = execute_stored(query, params, EmbeddedBackend(store))
        assert result.columns == query.columns
        assert all(list(row) == list(query.columns) for row in result.rows)


def test_meetings_newest_first_with_participants(store: Store) -> None:
    found = rows(store, "meetings")
    assert [(r["date"], r["kind"], r["place"], r["article"]) for r in found] == [
        ("2024-03-04", "reception", "Hanoi", "101_beta.txt"),
        ("2024-03", "call", None, "101_beta.txt"),
        ("2023-09-19", "talks", "Tokyo", "100_alpha.txt"),
        (None, "visit", "Hanoi", "102_gamma.txt"),
    ]
    assert found[0]["participants"] == ["Hiroshi Tanaka", "Le Thi Hoa"]
    assert found[1]["participants"] == ["Kenji Sato", "Tran Van An"]
    assert found[0]["states"] == ["Japan", "Vietnam"]
    assert found[0]["meeting"] == VJR + "meeting/101_beta/0"


def test_meetings_filters_by_state_and_partial_dates(store: Store) -> None:
    assert rows(store, "meetings", a="China") == []
    in_march = rows(store, "meetings", a="Viet Nam", **{"from": "2024-03-05", "to": "2024-03-31"})
    assert [r["kind"] for r in in_march] == ["call"]  # March 2024 overlaps the range
    assert [r["kind"] for r in rows(store, "meetings", to="2023")] == ["talks"]
    assert [r["kind"] for r in rows(store, "meetings", **{"from": "2024"})] == ["reception", "call"]


def test_state_parameters_accept_names_codes_and_variants(store: Store) -> None:
    expected = rows(store, "meetings", a="Vietnam")
    for spelling in ("VN", "Viet Nam", "viet nam", "Socialist Republic of Vietnam", "vjr:state/VN"):
        assert rows(store, "meetings", a=spelling) == expected


def test_officials_first_last_and_counts(store: Store) -> None:
    found = {(r["name"], r["post_label"]): r for r in rows(store, "officials")}
    foreign = found[("Hiroshi Tanaka", "Minister of Foreign Affairs")]
    assert (foreign["first"], foreign["last"], foreign["articles"], foreign["state"]) == (
        "2023-09-20", "2024-03-05", 2, "Japan")
    assert found[("Tran Van An", "Prime Minister")]["articles"] == 2
    assert found[("Kenji Sato", "Minister of Finance")]["former"] is True
    undated = found[("Hiroshi Tanaka", "Minister")]
    assert (undated["first"], undated["last"], undated["articles"]) == (None, None, 1)
    assert {r["name"] for r in rows(store, "officials", country="Vietnam")} == {"Tran Van An", "Le Thi Hoa"}


def test_agreements_and_parties(store: Store) -> None:
    found = {r["label"]: r for r in rows(store, "agreements")}
    assert found["RCEP"]["parties"] == ["China", "Japan", "Vietnam"]
    assert found["AZEC"]["parties"] == ["Japan", "Vietnam"]  # stated by an article only
    assert found["CPTPP"]["full_name"].startswith("Comprehensive and Progressive")
    assert [r["label"] for r in rows(store, "agreements", party="CN")] == ["RCEP"]


def test_shared_agreements_from_reference_and_text(store: Store) -> None:
    found = {r["label"]: r for r in rows(store, "shared-agreements", a="Vietnam", b="JP")}
    assert set(found) == {"AZEC", "CPTPP", "RCEP"}
    assert found["CPTPP"]["basis_a"] == ["reference", "text"]
    assert found["AZEC"]["basis_b"] == ["text"] and found["AZEC"]["articles"] == ["101_beta.txt"]
    assert found["RCEP"]["basis_a"] == ["reference"] and found["RCEP"]["articles"] == []
    assert [r["label"] for r in rows(store, "shared-agreements", a="Japan", b="China")] == ["RCEP"]


def test_shared_agreements_needs_both_states(store: Store) -> None:
    from kg.errors import QueryError

    with pytest.raises(QueryError, match="needs --param b"):
        rows(store, "shared-agreements", a="Vietnam")


def test_figure_series_with_sources(store: Store) -> None:
    found = rows(store, "figure-series", indicator="diaspora")
    assert [(r["when"], r["value"], r["approximation"], r["article"]) for r in found] == [
        ("2023-09-20", 580000.0, "over", "100_alpha.txt"),
        ("2024-03-05", 570000.0, "nearly", "101_beta.txt"),
    ]
    assert found[1]["sentence"] == "Nearly 570,000 Vietnamese are living in Japan."
    assert found[0]["direction"] == "Vietnam->Japan"
    fdi = rows(store, "figure-series", indicator="fdi_registered_capital", from_state="JP")
    assert [r["value"] for r in fdi] == [70e9, 74.4e9]  # the undated point comes last
    assert rows(store, "figure-series", indicator="fdi_registered_capital", from_state="VN") == []


def test_conflicting_figures_one_row_per_group(store: Store) -> None:
    found = rows(store, "conflicting-figures")
    # Trade in 2023: 45 and 49 billion. The diaspora stocks (580,000 in 2023, 570,000 in 2024)
    # are of different years, and the undated FDI stock is never set against a dated one.
    assert [(r["code"], r["basis"], r["figures"], r["article_a"], r["article_b"], r["difference"])
            for r in found] == [("trade_turnover", "same period", 2, "101_beta.txt", "102_gamma.txt", 0.0816)]
    assert (found[0]["value_a"], found[0]["value_b"], found[0]["when_a"]) == (45e9, 49e9, "2023")
    assert found[0]["observation_b"] == VJR + "observation/102_gamma/82-96"


def test_conflicting_figures_parameters(store: Store) -> None:
    assert rows(store, "conflicting-figures", tolerance="0.09") == []
    assert rows(store, "conflicting-figures", indicator="diaspora") == []
    assert [r["code"] for r in rows(store, "conflicting-figures", year="2023")] == ["trade_turnover"]
    assert rows(store, "conflicting-figures", year="2024") == []


def test_provenance_gives_the_sentence(store: Store) -> None:
    found = rows(store, "provenance", fact="vjr:observation/101_beta/201-226")
    assert found == [{"article": "101_beta.txt", "start": 201, "end": 226,
                      "exact": "Nearly 570,000 Vietnamese",
                      "sentence": "Nearly 570,000 Vietnamese are living in Japan.",
                      "mention": VJR + "article/101_beta/mention/201-226"}]
    person = rows(store, "provenance", fact=VJR + "person/hiroshi-tanaka")
    assert [r["article"] for r in person] == ["100_alpha.txt", "101_beta.txt", "102_gamma.txt"]


def test_entity_profile_by_label(store: Store) -> None:
    found = rows(store, "entity-profile", entity="Hiroshi Tanaka")
    outgoing = {(r["property"].rsplit("#", 1)[-1], r["label"]) for r in found if r["direction"] == "out"}
    assert ("nationality", "Japan") in outgoing
    incoming = [r for r in found if r["direction"] == "in" and r["property"].endswith("#participant")]
    assert len(incoming) == 3


def test_partnership_timeline_oldest_first(store: Store) -> None:
    found = rows(store, "partnership-timeline", a="Japan", b="Vietnam")
    assert [(r["date"], r["event"], r["article"]) for r in found] == [
        ("1973-09-21", "diplomatic ties established", "102_gamma.txt"),
        ("2009", "Strategic Partnership", "102_gamma.txt"),
        ("2023", "Comprehensive Strategic Partnership", "100_alpha.txt"),
    ]
    assert found[2]["states"] == ["Japan", "Vietnam"]
    assert rows(store, "partnership-timeline", a="China") == []


def test_articles_mentioning_an_entity(store: Store) -> None:
    found = rows(store, "articles-mentioning", entity="PM An")  # an alternative label
    assert [(r["article"], r["mentions"], r["first_text"]) for r in found] == [
        ("101_beta.txt", 1, "PM Tran Van An"), ("100_alpha.txt", 1, "Prime Minister Tran Van An")]


def test_who_met_whom(store: Store) -> None:
    found = rows(store, "who-met-whom")
    assert {(r["name_a"], r["name_b"], r["meetings"]) for r in found} == {
        ("Hiroshi Tanaka", "Le Thi Hoa", 1), ("Tran Van An", "Hiroshi Tanaka", 1),
        ("Tran Van An", "Kenji Sato", 1)}
    assert [(r["name_a"], r["name_b"]) for r in rows(store, "who-met-whom", person="Kenji Sato")] == [
        ("Tran Van An", "Kenji Sato")]


def test_stats(store: Store) -> None:
    found = {(r["kind"], r["item"]): r["count"] for r in rows(store, "stats")}
    assert found[("total", "quads")] == len(store)
    assert found[("total", "articles")] == 3
    assert found[("class", "https://w3id.org/vjkg/ontology#Meeting")] == 4
    assert found[("total", "triples")] < found[("total", "quads")]  # persons repeat per article


def test_facts_queries_rows(store: Store) -> None:
    assert rows(store, "facts-articles") == [
        {"article": "100_alpha.txt", "published": "2023-09-20"},
        {"article": "101_beta.txt", "published": "2024-03-05"},
        {"article": "102_gamma.txt", "published": None}]
    persons = rows(store, "facts-persons")
    sato = [r for r in persons if r["name"] == "Kenji Sato"]
    assert sato == [{"article": "101_beta.txt", "person": VJR + "person/kenji-sato", "name": "Kenji Sato",
                     "nationality": None, "role": "Minister of Finance", "former": True,
                     "holding_state": "Japan", "start": 148}]
    orgs = rows(store, "facts-organizations")
    assert {(r["article"], r["name"], r["alias"]) for r in orgs} == {
        ("100_alpha.txt", "Japan International Cooperation Agency", "JICA"),
        ("101_beta.txt", "ASEAN", "Association of Southeast Asian Nations"),
        ("101_beta.txt", "Vietnam-Japan Friendship Association", "VJFA")}
    figures = rows(store, "facts-figures")
    assert [(r["indicator"], r["value"], r["from_state"]) for r in figures][:2] == [
        ("diaspora", 580000.0, "Vietnam"), ("fdi_registered_capital", 70e9, "Japan")]
    assert len(rows(store, "facts-meetings")) == 7  # one row per participant
    assert {r["level"] for r in rows(store, "facts-partnerships")} == {
        "Comprehensive Strategic Partnership", "Strategic Partnership"}
    assert rows(store, "facts-states")[0] == {"article": "100_alpha.txt", "state": "Japan"}
    assert [r["name"] for r in rows(store, "facts-agreements")] == ["CPTPP", "AZEC", "RCEP"]
