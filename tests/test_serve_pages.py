"""Entity pages, search, RDF descriptions and plots of `kg serve`, on the seeds' store: a
state, a person, a meeting, an agreement and an organisation, shown by their labels, each
fact with its source article and sentence."""
from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from kg.export.plot import render
from project import SEEDS_DIR
from serving import build_store, running_server

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # as a browser asks
VJR = "https://w3id.org/vjkg/id/"
SKOS_PREF = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = build_store(SEEDS_DIR, tmp_path_factory.mktemp("seeds") / "store")
    with running_server(store) as url:
        yield url


def page(server: str, path: str) -> str:
    answer = httpx.get(f"{server}/id/{path}", headers=HTML, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    return answer.text


def section(html: str, name: str) -> str:
    match = re.search(rf'<section id="{name}">(.*?)</section>', html, re.S)
    assert match, f"no {name} section"
    return match.group(1)


def test_the_page_of_a_state(server: str) -> None:
    html = page(server, "state/JP")
    assert "<h1>Japan</h1>" in html
    meetings = section(html, "meetings")
    dates = re.findall(r'<a href="/id/meeting/[^"]+">([^<]+)</a>', meetings)
    dated = [d for d in dates if d != "undated"]
    assert len(dates) >= 5 and dated == sorted(dated) and dates[: len(dated)] == dated
    assert '<a href="/id/person/kamikawa-yoko">Kamikawa Yoko</a>' in meetings  # by name, linked
    assert "<blockquote>" in meetings  # and the sentence
    posts = section(html, "posts")
    assert "Prime Minister" in posts and "Kishida Fumio" in posts
    figures = section(html, "figures")
    assert "USD bn" in figures and "thousand persons" in figures
    assert "sources disagree" in figures  # the seeds disagree on Japanese FDI
    plots = re.findall(r'<img class="plot" src="([^"]+)"', figures)
    assert any("indicator=fdi_registered_capital" in p for p in plots)
    picture = httpx.get(server + plots[0].replace("&amp;", "&"))
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/svg+xml"
    assert picture.content.lstrip().startswith(b"<?xml")
    says = section(html, "says")
    assert "ISO code" in says and "reference data" in says  # labelled property, and the statement's source


def test_the_page_of_a_person(server: str) -> None:
    html = page(server, "person/kamikawa-yoko")
    assert "<h1>Kamikawa Yoko</h1>" in html and "Also known as: Kamikawa" in html
    posts = section(html, "posts")
    assert "Minister of Foreign Affairs" in posts and "Japan" in posts and "undated" in posts
    assert "002_d8a9a8aa3f1b71fc.txt" in posts
    says = section(html, "says")
    assert '<a href="/id/state/JP">Japan</a>' in says  # nationality, by its label
    sources = section(html, "sources")
    assert "co-chaired the 12th meeting" in sources  # the sentence a mention sits in


def test_the_page_of_a_meeting(server: str) -> None:
    html = page(server, "meeting/002_d8a9a8aa3f1b71fc/339")
    assert "<h1>12th meeting of the Vietnam-Japan Cooperation Committee</h1>" in html
    says = section(html, "says")
    for label in ("Bui Thanh Son", "Kamikawa Yoko", "Tokyo", "Japan", "Vietnam", "2024-08-08"):
        assert label in says
    assert "https://w3id.org/vjkg/id/person" not in says  # labels, not IRIs
    assert "002_d8a9a8aa3f1b71fc.txt" in says


def test_the_page_of_an_agreement(server: str) -> None:
    html = page(server, "agreement/cptpp")
    assert "<h1>CPTPP</h1>" in html and "Comprehensive and Progressive Agreement for Trans-Pacific Partnership" in html
    says = section(html, "says")
    assert '<a href="/id/state/JP">Japan</a>' in says and '<a href="/id/state/VN">Vietnam</a>' in says


def test_the_page_of_an_organisation(server: str) -> None:
    html = page(server, "org/meti")
    assert "<h1>Ministry of Economy, Trade and Industry</h1>" in html
    assert '<a href="/id/state/JP">Japan</a>' in section(html, "says")


@pytest.mark.parametrize(("accept", "rdf_format"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
def test_the_description_as_rdf(server: str, accept: str, rdf_format: str) -> None:
    answer = httpx.get(f"{server}/id/state/JP", headers={"Accept": accept})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=answer.text, format=rdf_format)
    japan = URIRef(VJR + "state/JP")
    assert (japan, SKOS_PREF, Literal("Japan", lang="en")) in graph
    assert (URIRef(VJR + "agreement/cptpp"), None, japan) in graph  # what points at it
    assert (URIRef(VJR + "agreement/cptpp"), SKOS_PREF, Literal("CPTPP", lang="en")) in graph


def test_an_unknown_path_is_a_404_page(server: str) -> None:
    answer = httpx.get(f"{server}/id/state/XX", headers=HTML)
    assert answer.status_code == 404 and "Not found" in answer.text and "state/XX" in answer.text
    assert httpx.get(f"{server}/id/state/XX", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.mark.parametrize(("text", "path"), [
    ("japan", "/id/state/JP"), ("Trans-Pacific", "/id/agreement/cptpp"), ("Viet Nam", "/id/state/VN"),
    ("kamikawa", "/id/person/kamikawa-yoko")])
def test_the_search_finds_names_and_aliases(server: str, text: str, path: str) -> None:
    html = httpx.get(f"{server}/search", params={"q": text}, headers=HTML).text
    assert f'href="{path}"' in html
    hits = httpx.get(f"{server}/search", params={"q": text, "format": "json"}).json()
    assert path in [h["link"] for h in hits]


def test_a_plot_with_bad_arguments_is_a_400(server: str) -> None:
    assert httpx.get(f"{server}/plot", params={"entity": "state/JP", "indicator": "diaspora",
                                               "format": "gif"}).status_code == 400
    answer = httpx.get(f"{server}/plot", params={"entity": "state/JP", "indicator": "nothing"})
    assert answer.status_code == 400 and "unknown indicator 'nothing'" in answer.text


def test_a_plot_has_a_readable_unit_a_series_per_direction_and_an_undated_panel() -> None:
    points = [
        {"observation": "o1", "when": "2023", "value": 45e9, "unit": "USD", "direction": "Japan->Vietnam",
         "article": "a.txt"},
        {"observation": "o2", "when": "2024-05", "value": 20e9, "unit": "USD", "direction": "Vietnam->Japan",
         "article": "b.txt"},
        {"observation": "o3", "when": None, "value": 49e9, "unit": "USD", "direction": "Japan->Vietnam",
         "article": "c.txt", "approximation": "nearly"},
    ]
    svg = render(points, {"o3"}, "trade", "svg").decode()
    for text in ("USD bn", "Japan-&gt;Vietnam", "Vietnam-&gt;Japan", "undated", "nearly 49", "sources disagree"):
        assert text in svg, text
    assert render(points, set(), "trade", "svg") == render(points, set(), "trade", "svg")  # deterministic
    assert render(points, set(), "trade", "png").startswith(b"\x89PNG")
