"""`kg serve` speaks the SPARQL 1.1 Protocol, refuses what writes or reaches outside before
evaluating anything, stops queries at the time limit and goes on serving: a real server
process on the seeds' store, queried over loopback."""
from __future__ import annotations

import csv
import io
import json
import select
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from project import SEEDS_DIR
from serving import build_store, running_server

JP = URIRef("https://w3id.org/vjkg/id/state/JP")
SKOS_PREF = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABEL = "SELECT ?label WHERE { <https://w3id.org/vjkg/id/state/JP> <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }"
DESCRIBE_JP = "CONSTRUCT { ?s ?p ?o } WHERE { BIND(<https://w3id.org/vjkg/id/state/JP> AS ?s) ?s ?p ?o }"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(SEEDS_DIR, tmp_path_factory.mktemp("seeds") / "store")


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    with running_server(store, "--timeout", str(TIMEOUT), "--workers", "2") as url:
        yield url


def count(server: str) -> int:
    answer = httpx.get(server + "/sparql", params={"query": COUNT},
                       headers={"Accept": "application/sparql-results+json"})
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_get_and_both_posts_give_the_same_answer(server: str) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    by_get = httpx.get(server + "/sparql", params={"query": LABEL}, headers=accept)
    by_form = httpx.post(server + "/sparql", data={"query": LABEL}, headers=accept)
    by_body = httpx.post(server + "/sparql", content=LABEL.encode(),
                         headers={**accept, "Content-Type": "application/sparql-query"})
    for answer in (by_get, by_form, by_body):
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("application/sparql-results+json")
        assert answer.json()["results"]["bindings"] == [{"label": {"type": "literal", "value": "Japan",
                                                                   "xml:lang": "en"}}]


def test_select_in_every_results_format(server: str) -> None:
    def ask(accept: str) -> httpx.Response:
        answer = httpx.get(server + "/sparql", params={"query": LABEL}, headers={"Accept": accept})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith(accept)
        return answer

    root = ET.fromstring(ask("application/sparql-results+xml").content)
    namespace = "{http://www.w3.org/2005/sparql-results#}"
    assert [e.text for e in root.iter(namespace + "literal")] == ["Japan"]
    assert list(csv.reader(io.StringIO(ask("text/csv").text))) == [["label"], ["Japan"]]
    assert ask("text/tab-separated-values").text.splitlines() == ["?label", '"Japan"@en']


def test_ask_and_the_preferred_type_wins(server: str) -> None:
    answer = httpx.get(server + "/sparql", params={"query": "ASK { ?s a ?c }"},
                       headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml"})
    assert answer.status_code == 200 and b"<boolean>true</boolean>" in answer.content
    assert httpx.get(server + "/sparql", params={"query": "ASK {}"}).json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(("accept", "rdf_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")])
def test_construct_in_every_graph_format(server: str, accept: str, rdf_format: str) -> None:
    answer = httpx.post(server + "/sparql", data={"query": DESCRIBE_JP}, headers={"Accept": accept})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=answer.text, format=rdf_format)
    assert (JP, SKOS_PREF, Literal("Japan", lang="en")) in graph and len(graph) >= 5


def test_unacceptable_type_and_malformed_query(server: str) -> None:
    answer = httpx.get(server + "/sparql", params={"query": LABEL}, headers={"Accept": "image/png"})
    assert answer.status_code == 406 and "offered" in answer.text
    answer = httpx.get(server + "/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert answer.status_code == 400 and "malformed SPARQL" in answer.text


class Listener:
    """A local socket standing in for a remote server: it records whoever connects."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/data"

    def connected(self, wait: float = 1.0) -> bool:
        readable, _, _ = select.select([self.socket], [], [], wait)
        return bool(readable)


@pytest.mark.parametrize(("query", "words"), [
    ("INSERT DATA { <urn:x> <urn:y> <urn:z> }", "SPARQL update (INSERT)"),
    ("DELETE WHERE { ?s ?p ?o }", "SPARQL update (DELETE)"),
    ("DROP ALL", "SPARQL update (DROP)"),
    ("LOAD <{remote}>", "SPARQL update (LOAD)"),
    ("SELECT * WHERE { SERVICE <{remote}> { ?s ?p ?o } }", "uses SERVICE"),
    ("SELECT * FROM <{remote}> WHERE { ?s ?p ?o }", "names a graph outside this store"),
])
def test_refusals_evaluate_nothing_and_reach_nobody(server: str, query: str, words: str) -> None:
    listener = Listener()
    before = count(server)
    text = query.replace("{remote}", listener.url)
    for answer in (httpx.post(server + "/sparql", data={"query": text}),
                   httpx.get(server + "/sparql", params={"query": text}),
                   httpx.post(server + "/sparql", data={"update": text})):
        assert answer.status_code == 400
        assert "refused" in answer.text
    assert words in httpx.post(server + "/sparql", data={"query": text}).text
    assert not listener.connected(), "the server connected to the outside"
    assert count(server) == before
    listener.socket.close()


def test_a_query_past_the_limit_gets_503_and_the_server_goes_on(server: str) -> None:
    started = time.monotonic()
    answer = httpx.post(server + "/sparql", data={"query": CROSS}, timeout=30)
    elapsed = time.monotonic() - started
    assert answer.status_code == 503 and "time limit" in answer.text
    assert elapsed < TIMEOUT + 1
    assert count(server) > 1000  # the next request is answered


def test_a_slow_query_blocks_no_other_request(server: str) -> None:
    slow: dict[str, int] = {}
    thread = threading.Thread(target=lambda: slow.update(
        status=httpx.post(server + "/sparql", data={"query": CROSS}, timeout=30).status_code))
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    for _ in range(5):
        assert httpx.get(server + "/sparql", params={"query": LABEL}).status_code == 200
    assert time.monotonic() - started < 1.5
    thread.join()
    assert slow["status"] == 503


def test_a_rebuilt_store_is_served_without_a_restart(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    for seed in seeds[:2]:
        (articles / seed.name).write_bytes(seed.read_bytes())
    store = build_store(articles, tmp_path / "store")
    query = ("PREFIX vjo: <https://w3id.org/vjkg/ontology#> "
             "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a vjo:Article }")

    def articles_served(url: str) -> int:
        rows = httpx.get(url + "/sparql", params={"query": query}).json()["results"]["bindings"]
        return int(rows[0]["n"]["value"])

    with running_server(store) as url:
        assert articles_served(url) == 2
        (articles / seeds[2].name).write_bytes(seeds[2].read_bytes())
        build_store(articles, store)  # `kg build` writes while the server reads
        deadline = time.monotonic() + 10
        while articles_served(url) != 3:
            assert time.monotonic() < deadline, "the server still answers from the old store"
            time.sleep(0.3)
        page = httpx.get(url + "/queries/stats.json")
        assert page.status_code == 200 and json.loads(page.text)


def test_serving_a_folder_without_a_graph_is_one_clear_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli.main import main

    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "no graph has been built here yet" in result.output and "Traceback" not in result.output
