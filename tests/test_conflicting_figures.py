"""conflicting-figures: one row per disagreeing group, its two ends read whole from one pass.

The query packs each figure into a string that sorts as its value does (sign, padded whole
part, fraction) and carries what the row shows; these figures are chosen to break that
packing if it is wrong: negative and fractional values, 9.5 against 12 (which sort the other
way as plain text), ties at an end, a tab in an article name and in a sentence, no sentence.
The groups are computed by the build into the summary graph (kg/graph/summary.py), so the
store here gets its summary as a build would write it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg import run_query
from kg.graph.summary import write_summary
from kg.store.store import Store

VJR = "https://w3id.org/vjkg/id/"

GRAPH = """
@prefix vjo: <https://w3id.org/vjkg/ontology#> .
@base <https://w3id.org/vjkg/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/vjkg/graph/reference> {
  <state/VN> skos:prefLabel "Vietnam"@en .
  <state/JP> skos:prefLabel "Japan"@en .
  <indicator/growth_rate> skos:notation "growth_rate" ; skos:inScheme <scheme/indicators> .
  <indicator/diaspora> skos:notation "diaspora" ; skos:inScheme <scheme/indicators> .
  <indicator/fdi_projects> skos:notation "fdi_projects" ; skos:inScheme <scheme/indicators> .
}

<article/g1> {
  <article/g1> vjo:fileName "g 1\\tnews.txt" ; schema:datePublished "2024-05-01"^^xsd:date .
  <observation/g1/1> a vjo:Observation ; vjo:indicator <indicator/growth_rate> ;
      vjo:value "-2.5"^^xsd:decimal ; vjo:unit "percent" ; vjo:period "2024"^^xsd:gYear ;
      vjo:approximation "nearly" ; vjo:reportedBy <article/g1> ;
      prov:wasDerivedFrom <article/g1/mention/1> .
  <article/g1/mention/1> vjo:inSentence <article/g1/sentence/1> .
  <article/g1/sentence/1> oa:exact "Growth fell\\tby nearly 2.5%." .
  <observation/g1/2> a vjo:Observation ; vjo:indicator <indicator/diaspora> ;
      vjo:value "100.5"^^xsd:decimal ; vjo:unit "person" ; vjo:asOf "2024-01"^^xsd:gYearMonth ;
      vjo:fromState <state/VN> ; vjo:toState <state/JP> ; vjo:reportedBy <article/g1> .
}

<article/g2> {
  <article/g2> vjo:fileName "g2.txt" ; schema:datePublished "2024-11-30"^^xsd:date .
  <observation/g2/1> a vjo:Observation ; vjo:indicator <indicator/growth_rate> ;
      vjo:value "-2.25"^^xsd:decimal ; vjo:unit "percent" ; vjo:period "2024"^^xsd:gYear ;
      vjo:reportedBy <article/g2> .
  <observation/g2/2> a vjo:Observation ; vjo:indicator <indicator/diaspora> ;
      vjo:value "100.25"^^xsd:decimal ; vjo:unit "person" ;
      vjo:fromState <state/VN> ; vjo:toState <state/JP> ; vjo:reportedBy <article/g2> .
  <observation/g2/3> a vjo:Observation ; vjo:indicator <indicator/diaspora> ;
      vjo:value "50"^^xsd:decimal ; vjo:unit "person" ; vjo:asOf "2023-12-31"^^xsd:date ;
      vjo:fromState <state/VN> ; vjo:toState <state/JP> ; vjo:reportedBy <article/g2> .
}

<article/g3> {
  <article/g3> vjo:fileName "g3.txt" .
  <observation/g3/1> a vjo:Observation ; vjo:indicator <indicator/growth_rate> ;
      vjo:value "-2.5"^^xsd:decimal ; vjo:unit "percent" ; vjo:period "2024"^^xsd:gYear ;
      vjo:reportedBy <article/g3> .
  <observation/g3/2> a vjo:Observation ; vjo:indicator <indicator/fdi_projects> ;
      vjo:value "9.5"^^xsd:decimal ; vjo:unit "project" ; vjo:reportedBy <article/g3> .
  <observation/g3/3> a vjo:Observation ; vjo:indicator <indicator/fdi_projects> ;
      vjo:value "12"^^xsd:decimal ; vjo:unit "project" ; vjo:reportedBy <article/g3> .
  <observation/g3/4> a vjo:Observation ; vjo:indicator <indicator/fdi_projects> ;
      vjo:value "10"^^xsd:decimal ; vjo:unit "project" ; vjo:reportedBy <article/g3> .
}
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder: Path = tmp_path_factory.mktemp("conflicts") / "store"
    writer = Store(folder)
    writer.load_dataset(GRAPH.encode())
    write_summary(writer)  # the groups and their ends, as a build writes them
    writer.flush()
    del writer
    return Store(folder, read_only=True)


def conflicts(store: Store, **params: str) -> list[dict]:
    return run_query("conflicting-figures", params, store=store, cache=False)


def test_one_row_per_group_largest_difference_first(store: Store) -> None:
    found = conflicts(store)
    assert [(r["code"], r["basis"], r["figures"], r["value_a"], r["value_b"], r["difference"]) for r in found] == [
        ("fdi_projects", "stocks, dates unknown", 3, 9.5, 12.0, 0.2083),
        ("growth_rate", "same period", 3, -2.5, -2.25, 0.1),
    ]


def test_ends_carry_their_own_details(store: Store) -> None:
    growth = next(r for r in conflicts(store) if r["code"] == "growth_rate")
    # Two figures say -2.5: the end is the one with the smaller IRI.
    assert growth["observation_a"] == VJR + "observation/g1/1"
    assert (growth["article_a"], growth["approximation_a"], growth["when_a"]) == ("g 1\tnews.txt", "nearly", "2024")
    assert growth["sentence_a"] == "Growth fell\tby nearly 2.5%."
    assert growth["observation_b"] == VJR + "observation/g2/1"
    assert (growth["article_b"], growth["approximation_b"], growth["sentence_b"]) == ("g2.txt", None, None)
    assert growth["direction"] is None and growth["unit"] == "percent"


def test_stocks_compared_within_one_year_only(store: Store) -> None:
    # 100.5 (as of 2024-01) and 100.25 (the article's date, 2024-11-30) are one year's stocks;
    # 50 (2023) is another year's and never compared with them.
    found = conflicts(store, tolerance="0.001")
    diaspora = [r for r in found if r["code"] == "diaspora"]
    assert [(r["basis"], r["figures"], r["value_a"], r["value_b"], r["when_a"], r["when_b"], r["direction"])
            for r in diaspora] == [
        ("stocks of the same year", 2, 100.25, 100.5, "2024-11-30", "2024-01", "Vietnam->Japan")]
    assert diaspora[0]["difference"] == 0.0025


def test_parameters(store: Store) -> None:
    assert [r["code"] for r in conflicts(store, indicator="growth_rate")] == ["growth_rate"]
    assert [r["code"] for r in conflicts(store, tolerance="0.15")] == ["fdi_projects"]
    assert conflicts(store, tolerance="0.5") == []
    assert [r["code"] for r in conflicts(store, year="2024")] == ["growth_rate"]  # undated left out
    assert [r["code"] for r in conflicts(store, year="2024", tolerance="0.001")] == ["diaspora", "growth_rate"]
    assert conflicts(store, year="2023") == []
