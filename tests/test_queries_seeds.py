"""Every stored query on the graph built from the five seed articles: the rows a reader expects.

The expectations come from reading seeds/*.txt, not from pasting the output. Where the
extraction misses something a reader sees, the comment says so and the test pins what the
graph holds today, so that an improvement shows up as a (welcome) failure to update.
The graph is built once for the module (``kg.graph.build.build`` on seeds/, as `kg build seeds`).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg import load_queries, run_query
from kg.graph.build import build
from project import SEEDS_DIR
from kg.store.store import Store

VJR = "https://w3id.org/vjkg/id/"
A000, A001, A002, A003, A004 = (
    "000_5fba47bfda83320b.txt", "001_d866a0efd7183c93.txt", "002_d8a9a8aa3f1b71fc.txt",
    "003_d57c7f0c7647227a.txt", "004_5a7d195ad80f862a.txt")
Check = Callable[[Store], None]
CHECKS: dict[str, Check] = {}


def expects(name: str) -> Callable[[Check], Check]:
    """Register the expectations of the stored query ``name``."""
    def register(check: Check) -> Check:
        CHECKS[name] = check
        return check
    return register


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("seeds") / "store"
    writer = Store(folder)
    summary = build([SEEDS_DIR], writer, workers=1)
    assert summary.failed == {} and len(summary.built) == 5
    writer.flush()
    del writer  # closed, so the read-only handle below never races a writer
    return Store(folder, read_only=True)


def rows(store: Store, name: str, **params: str) -> list[dict]:
    return run_query(name, params, store=store)


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_stored_query_has_its_expected_rows_on_the_seeds(seeds: Store, name: str) -> None:
    assert name in CHECKS, f"stored query {name!r} has no expected rows on the seeds' graph here"
    CHECKS[name](seeds)


@expects("meetings")
def _meetings(store: Store) -> None:
    everything = rows(store, "meetings")
    assert len(everything) == 13
    between = rows(store, "meetings", a="Vietnam", b="JP")
    # Newest first, undated last. The forum, the trip and the summit of article 000 are missing
    # here: the extraction gives them Vietnam as their only participating state.
    assert [(r["date"], r["kind"], r["place"], r["participants"], r["article"]) for r in between] == [
        ("2024-08-08", "committee", "Tokyo", ["Bui Thanh Son", "Kamikawa Yoko"], A002),
        ("2024-08-07", "visit", "Japan", ["Bui Thanh Son", "Kamikawa Yoko"], A002),
        ("2024-07-09", "reception", "Hanoi", ["Pham Minh Chinh", "Yoshitaka Shindo"], A001),
        ("2021-11-22", "visit", "Japan", ["Kishida Fumio", "Pham Minh Chinh"], A004),
        ("2021-11", "talks", "Glasgow", ["Kishida Fumio", "Pham Minh Chinh"], A004),
        ("2021-11", "conference", "Glasgow", ["Kishida Fumio", "Pham Minh Chinh"], A004),
        (None, "reception", "Japan", ["Ken Saito", "Pham Minh Chinh"], A000),  # during his visit to Japan (R16)
        (None, "talks", "Japan", ["Bui Thanh Son", "Kamikawa Yoko"], A002),  # during the visit to Japan (gold 002)
    ]
    assert all(r["states"] == ["Japan", "Vietnam"] for r in between)
    assert between[0]["meeting"] == VJR + "meeting/002_d8a9a8aa3f1b71fc/339"
    in_2023 = rows(store, "meetings", **{"from": "2023", "to": "2023-12"})
    assert [(r["date"], r["kind"], r["place"]) for r in in_2023] == [
        ("2023-12-16", "forum", "Tokyo"), ("2023-12-16", "visit", "Japan"), ("2023-12-16", "summit", "Tokyo")]


@expects("officials")
def _officials(store: Store) -> None:
    found = {(r["name"], r["post_label"]): r for r in rows(store, "officials")}
    assert len(found) == 9
    premier = found[("Pham Minh Chinh", "Prime Minister")]
    # Attested by 000, 001, 003 and 004; only 004 (2021-11-21) and 001 (2024-07-11) are dated.
    assert (premier["state"], premier["former"], premier["first"], premier["last"], premier["articles"]) == (
        "Vietnam", False, "2021-11-21", "2024-07-11", 4)
    assert (found[("Suga Yoshihide", "Prime Minister")]["former"],
            found[("Suga Yoshihide", "Prime Minister")]["state"]) == (True, "Japan")
    son = found[("Bui Thanh Son", "Minister of Foreign Affairs")]
    assert (son["state"], son["first"], son["last"]) == ("Vietnam", None, None)  # 002 has no date
    assert found[("Kishida Fumio", "Prime Minister")]["first"] == "2021-11-21"
    japanese = {r["name"] for r in rows(store, "officials", country="Japan")}
    assert japanese == {"Ito Naoki", "Kamikawa Yoko", "Ken Saito", "Kishida Fumio", "Suga Yoshihide",
                        "Yoshitaka Shindo"}


@expects("agreements")
def _agreements(store: Store) -> None:
    found = {r["label"]: r for r in rows(store, "agreements")}  # the reference data's, and 001's
    assert {label: r["articles"] for label, r in found.items() if r["articles"]} == {
        "AJCEP": 1, "AZEC": 2, "CPTPP": 1, "IPEF": 1, "RCEP": 1, "VJEPA": 1,
        "Vietnam-Japan Joint Initiative": 1}
    assert found["VJEPA"]["parties"] == ["Japan", "Vietnam"]
    assert found["VJEPA"]["full_name"] == "Vietnam-Japan Economic Partnership Agreement"
    assert "Japan" in found["CPTPP"]["parties"] and "Vietnam" in found["CPTPP"]["parties"]


@expects("shared-agreements")
def _shared_agreements(store: Store) -> None:
    found = rows(store, "shared-agreements", a="Viet Nam", b="Japan")
    # 001 states the RCEP, AJCEP, VJEPA and IPEF memberships. It also implies the CPTPP one
    # ("In addition to the CPTPP, ..."), which the extraction misses: reference basis only.
    assert [(r["label"], r["basis_a"], r["articles"]) for r in found] == [
        ("AJCEP", ["reference", "text"], [A001]),
        ("AZEC", ["reference"], []),
        ("CPTPP", ["reference"], []),
        ("IPEF", ["reference", "text"], [A001]),
        ("JCM", ["reference"], []),
        ("Mekong-Japan Cooperation", ["reference"], []),
        ("RCEP", ["reference", "text"], [A001]),
        ("VJEPA", ["reference", "text"], [A001]),
    ]
    assert all(r["basis_a"] == r["basis_b"] for r in found)


@expects("figure-series")
def _figure_series(store: Store) -> None:
    found = rows(store, "figure-series", indicator="fdi_registered_capital", from_state="Japan",
                 to_state="Vietnam")
    # Dated points first, oldest first; 000 and 003 give no year, so their points come last.
    assert [(r["when"], r["value"], r["approximation"], r["article"]) for r in found] == [
        ("2021-09-20", 63.85e9, None, A004),
        ("2024-07-11", 74.4e9, None, A001),
        (None, 71.5e9, "more than", A000),
        (None, 79.4e9, None, A003),
    ]
    assert all(r["direction"] == "Japan->Vietnam" and r["unit"] == "USD" for r in found)
    assert found[0]["sentence"].startswith("As of September 20, 2021, Japanese investors poured")
    assert "79.4 billion USD" in found[3]["sentence"]
    backwards = rows(store, "figure-series", indicator="fdi_registered_capital", from_state="VN")
    assert [(r["value"], r["article"]) for r in backwards] == [(20.5e6, A003)]


@expects("conflicting-figures")
def _conflicting_figures(store: Store) -> None:
    found = rows(store, "conflicting-figures")
    groups = [(r["code"], r["basis"], r["figures"], r["article_a"][:3], r["value_a"], r["article_b"][:3],
               r["value_b"], r["difference"]) for r in found]
    # Only 001 and 004 carry a date (2024 and 2021), so their stocks have no other of their
    # year; the undated articles 000, 002 and 003 disagree among themselves.
    assert groups == [
        ("diaspora", "stocks, dates unknown", 2, "000", 500000.0, "002", 570000.0, 0.1228),
        ("fdi_projects", "stocks, dates unknown", 2, "000", 5200.0, "003", 5608.0, 0.0728),
        ("fdi_registered_capital", "stocks, dates unknown", 2, "000", 71.5e9, "003", 79.4e9, 0.0995),
        # 000's figure covers the first 11 months of 2023, 001's the whole year: both say "2023".
        ("trade_turnover", "same period", 2, "000", 40e9, "001", 45e9, 0.1111),
    ]
    community = found[0]
    assert (community["approximation_a"], community["when_a"], community["article_a"]) == ("over", None, A000)
    assert (community["approximation_b"], community["when_b"], community["article_b"]) == ("nearly", None, A002)
    assert "over 500,000 Vietnamese living" in community["sentence_a"]
    assert "nearly 570,000 Vietnamese in Japan" in community["sentence_b"]
    assert community["direction"] == "Vietnam->Japan"
    assert community["observation_b"] == VJR + "observation/002_d8a9a8aa3f1b71fc/4471-4496"
    assert found[3]["when_a"] == "2023" and found[3]["direction"] is None
    assert [r["code"] for r in rows(store, "conflicting-figures", tolerance="0.1")] == ["diaspora", "trade_turnover"]
    assert [r["code"] for r in rows(store, "conflicting-figures", year="2023")] == ["trade_turnover"]
    assert rows(store, "conflicting-figures", indicator="trade_turnover", tolerance="0.2") == []


@expects("provenance")
def _provenance(store: Store) -> None:
    found = rows(store, "provenance", fact="vjr:observation/002_d8a9a8aa3f1b71fc/4471-4496")
    assert found == [{
        "article": A002, "start": 4471, "end": 4496, "exact": "nearly 570,000 Vietnamese",
        "sentence": "Sharing her affinity for the contributions of the nearly 570,000 Vietnamese in Japan, "
                    "FM Kamikawa discussed Japan’s new labor law, which was issued in June 2024 and offers "
                    "more incentives to guest workers, including those from Vietnam.",
        "mention": VJR + "article/002_d8a9a8aa3f1b71fc/mention/4471-4496"}]
    premier = rows(store, "provenance", fact=VJR + "person/chinh-minh-pham")
    assert len(premier) == 23  # "the Prime Minister" twice in 001
    assert sorted({r["article"] for r in premier}) == [A000, A001, A003, A004]


@expects("entity-profile")
def _entity_profile(store: Store) -> None:
    found = rows(store, "entity-profile", entity="Pham Minh Chinh")
    assert len(found) == 66  # "the Prime Minister" twice in 001
    outgoing = {(r["property"].rsplit("#", 1)[-1], r["label"]) for r in found if r["direction"] == "out"}
    assert ("nationality", "Vietnam") in outgoing
    labels = {r["value"] for r in found if r["property"].endswith("#altLabel")}
    assert labels == {"Chinh"}, "only forms of the name are labels, not titles or descriptions"
    incoming = [r["value"] for r in found if r["direction"] == "in" and r["property"].endswith("#participant")]
    assert len(incoming) == 9 and VJR + "meeting/001_d866a0efd7183c93/419" in incoming
    holdings = [r for r in found if r["direction"] == "in" and r["property"].endswith("#member")]
    assert len(holdings) == 4


@expects("partnership-timeline")
def _partnership_timeline(store: Store) -> None:
    found = rows(store, "partnership-timeline", a="Japan", b="Viet Nam")
    assert [(r["date"], r["event"], r["article"]) for r in found] == [
        ("1973-09-21", "diplomatic ties established", A004),
        ("2009", "Strategic Partnership", A004),
        ("2014", "Extensive Strategic Partnership for Peace and Prosperity in Asia", A004),
        ("2023", "Comprehensive Strategic Partnership", A001),
        ("2023", "Comprehensive Strategic Partnership for Peace and Prosperity in Asia and the World", A002),
        (None, "Comprehensive Strategic Partnership for Peace and Prosperity in Asia and the World", A000),
        (None, "Comprehensive Strategic Partnership for Peace and Prosperity in Asia and the World", A003),
    ]
    assert [r["level"] for r in found[1:4]] == [
        VJR + "partnership-level/strategic-partnership", VJR + "partnership-level/extensive-strategic-partnership",
        VJR + "partnership-level/comprehensive-strategic-partnership"]
    assert all(r["states"] == ["Japan", "Vietnam"] for r in found)
    assert rows(store, "partnership-timeline", a="China") == []


@expects("articles-mentioning")
def _articles_mentioning(store: Store) -> None:
    found = rows(store, "articles-mentioning", entity="Pham Minh Chinh")
    assert [(r["article"], r["published"], r["mentions"]) for r in found] == [
        (A001, "2024-07-11", 9), (A004, "2021-11-21", 3), (A000, None, 5), (A003, None, 6)]  # "the Prime Minister" twice
    assert found[0]["first_text"] == "Pham Minh Chinh"


@expects("who-met-whom")
def _who_met_whom(store: Store) -> None:
    found = rows(store, "who-met-whom")
    # first/last stay known when some of the pair's meetings are undated.
    assert [(r["name_a"], r["name_b"], r["meetings"], r["first"], r["last"]) for r in found] == [
        ("Bui Thanh Son", "Kamikawa Yoko", 3, "2024-08-07", "2024-08-08"),
        ("Pham Minh Chinh", "Kishida Fumio", 3, "2021-11", "2021-11-22"),
        ("Pham Minh Chinh", "Ken Saito", 1, None, None),
        ("Pham Minh Chinh", "Yoshitaka Shindo", 1, "2024-07-09", "2024-07-09"),
    ]
    assert [r["name_b"] for r in rows(store, "who-met-whom", person="Kamikawa Yoko")] == ["Kamikawa Yoko"]


@expects("stats")
def _stats(store: Store) -> None:
    found = {(r["kind"], r["item"]): r["count"] for r in rows(store, "stats")}
    assert found[("total", "quads")] == len(store)
    assert found[("total", "articles")] == 5
    vjo = "https://w3id.org/vjkg/ontology#"
    assert {name: found[("class", vjo + name)] for name in (
        "Article", "Meeting", "Person", "PostHolding", "Observation", "PartnershipStatement",
        "DiplomaticTiesStatement", "AgreementMembership")} == {
        "Article": 5, "Meeting": 13, "Person": 9, "PostHolding": 12, "Observation": 51,
        "PartnershipStatement": 6, "DiplomaticTiesStatement": 1, "AgreementMembership": 4}


@expects("facts-articles")
def _facts_articles(store: Store) -> None:
    assert rows(store, "facts-articles") == [
        {"article": A000, "published": None}, {"article": A001, "published": "2024-07-11"},
        {"article": A002, "published": None}, {"article": A003, "published": None},
        {"article": A004, "published": "2021-11-21"}]


@expects("facts-states")
def _facts_states(store: Store) -> None:
    assert rows(store, "facts-states") == [
        {"article": article, "state": state} for article in (A000, A001, A002, A003, A004)
        for state in ("Japan", "Vietnam")]


@expects("facts-persons")
def _facts_persons(store: Store) -> None:
    found = [(r["article"][:3], r["name"], r["nationality"], r["role"], r["former"], r["holding_state"])
             for r in rows(store, "facts-persons")]
    assert found == [
        ("000", "Pham Minh Chinh", "Vietnam", "Prime Minister", False, "Vietnam"),
        ("000", "Ken Saito", "Japan", "Minister of Economy, Trade and Industry", False, "Japan"),
        ("001", "Pham Minh Chinh", "Vietnam", "Prime Minister", False, "Vietnam"),
        ("001", "Yoshitaka Shindo", "Japan", "Minister of State for Economic and Fiscal Policy", False, "Japan"),
        ("002", "Bui Thanh Son", "Vietnam", "Minister of Foreign Affairs", False, "Vietnam"),
        ("002", "Kamikawa Yoko", "Japan", "Minister of Foreign Affairs", False, "Japan"),
        ("002", "Nguyen Phu Trong", "Vietnam", "Party General Secretary", False, "Vietnam"),
        ("002", "Suga Yoshihide", "Japan", "Prime Minister", True, "Japan"),
        ("003", "Pham Minh Chinh", "Vietnam", "Prime Minister", False, "Vietnam"),
        ("003", "Ito Naoki", "Japan", "Ambassador", False, "Japan"),
        ("004", "Pham Minh Chinh", "Vietnam", "Prime Minister", False, "Vietnam"),
        ("004", "Kishida Fumio", "Japan", "Prime Minister", False, "Japan"),
    ]


@expects("facts-organizations")
def _facts_organizations(store: Store) -> None:
    found = rows(store, "facts-organizations")
    assert len(found) == 21  # one row per alias
    assert sorted({(r["article"][:3], r["name"]) for r in found}) == [
        ("000", "ASEAN"), ("002", "APEC"), ("002", "ASEAN"), ("002", "Communist Party of Vietnam"),
        ("002", "Japan International Cooperation Agency"),
        ("002", "OECD"), ("002", "United Nations"), ("002", "Vietnam-Japan Cooperation Committee"),
        ("003", "Communist Party of Vietnam"), ("003", "Vietnam International Financial Centre")]


@expects("facts-agreements")
def _facts_agreements(store: Store) -> None:
    found = rows(store, "facts-agreements")
    assert len(found) == 17  # one row per alias (CPTPP has four: its full names, TPP11, TPP-11)
    assert sorted({(r["article"][:3], r["name"]) for r in found}) == [
        ("001", "AJCEP"), ("001", "CPTPP"), ("001", "IPEF"), ("001", "RCEP"), ("001", "VJEPA"),
        ("002", "AZEC"), ("002", "Vietnam-Japan Joint Initiative"), ("003", "AZEC")]


@expects("facts-partnerships")
def _facts_partnerships(store: Store) -> None:
    found = rows(store, "facts-partnerships")
    assert len(found) == 12  # one row per statement and state
    assert sorted({(r["article"][:3], r["level"], r["date"] or "") for r in found}) == [
        ("000", "Comprehensive Strategic Partnership for Peace and Prosperity in Asia and the World", ""),
        ("001", "Comprehensive Strategic Partnership", "2023"),
        ("002", "Comprehensive Strategic Partnership for Peace and Prosperity in Asia and the World", "2023"),
        ("003", "Comprehensive Strategic Partnership for Peace and Prosperity in Asia and the World", ""),
        ("004", "Extensive Strategic Partnership for Peace and Prosperity in Asia", "2014"),
        ("004", "Strategic Partnership", "2009")]


@expects("facts-meetings")
def _facts_meetings(store: Store) -> None:
    found = rows(store, "facts-meetings")
    assert len(found) == 21  # one row per participant of the 13 meetings
    assert {r["meeting"] for r in found} == {r["meeting"] for r in rows(store, "meetings")}
    glasgow = sorted((r["kind"], r["participant"]) for r in found if r["place"] == "Glasgow")
    assert glasgow == [("conference", "Kishida Fumio"), ("conference", "Pham Minh Chinh"),
                       ("talks", "Kishida Fumio"), ("talks", "Pham Minh Chinh")]


@expects("facts-figures")
def _facts_figures(store: Store) -> None:
    found = rows(store, "facts-figures")
    assert len(found) == 51
    community = [(r["article"], r["value"]) for r in found
                 if r["indicator"] == "diaspora" and r["from_state"] == "Vietnam"]
    assert community == [(A000, 500000.0), (A001, 580000.0), (A002, 570000.0), (A004, 450000.0)]
    assert {r["unit"] for r in found if r["indicator"] == "fdi_registered_capital"} == {"USD"}


def test_the_registry_names_only_stored_queries() -> None:
    assert sorted(CHECKS) == sorted(load_queries())


def test_seed_files_are_the_five_articles() -> None:
    assert sorted(p.name for p in Path(SEEDS_DIR).glob("*.txt")) == [A000, A001, A002, A003, A004]


# -- binding: a leading VALUES block gives what Oxigraph's substitutions give ---------------
SAMPLE_VALUES = {"state": "Japan", "entity": "vjr:state/JP", "indicator": "diaspora", "date": "2023",
                 "iri": VJR + "state/VN"}
SECOND_STATE = {"b": "Vietnam", "to_state": "Vietnam"}


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_values_binding_gives_the_rows_substitutions_give(seeds: Store, name: str) -> None:
    """Queries run with their parameters as a leading VALUES block (kg.query.binding, fast on a
    large graph); Oxigraph's own ``substitutions`` must give the very same rows."""
    from kg.query.backend import EmbeddedBackend, result_from_oxigraph
    from kg.query.params import bind_params

    query = load_queries()[name]
    backend = EmbeddedBackend(seeds)
    values = {p.name: SECOND_STATE.get(p.name, SAMPLE_VALUES.get(p.type)) for p in query.params}
    if name == "provenance":  # a fact with sources
        values["fact"] = next(iter(seeds.query(
            "SELECT ?m WHERE { ?m a <https://w3id.org/vjkg/ontology#Meeting> } ORDER BY ?m LIMIT 1")))["m"].value
    required = {p.name: values[p.name] for p in query.params if p.required}
    for given in (required, values):
        bindings = bind_params(query.params, given, backend, name)
        by_values = backend.execute(query.sparql, bindings, lists=query.lists, columns=query.columns).rows
        by_substitution = result_from_oxigraph(seeds.query(query.sparql, bindings), query.columns, query.lists).rows
        assert by_values == by_substitution, (name, given)


@pytest.mark.parametrize("name", [name for name in sorted(load_queries()) if name.startswith("facts-")])
def test_facts_queries_give_one_article_by_its_file_name(seeds: Store, name: str) -> None:
    """With ``article``, a facts-* query gives exactly that article's rows of the whole listing."""
    everything = rows(seeds, name)
    assert {r["article"] for r in everything} & {A001, A002}  # something to narrow
    for article in (A000, A001, A002, A003, A004):
        assert rows(seeds, name, article=article) == [r for r in everything if r["article"] == article]
    assert rows(seeds, name, article="999_absent.txt") == []
