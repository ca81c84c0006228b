"""Against real servers (stock Oxigraph, Virtuoso): Graph Store load and prune, every stored
query with its parameters remote = embedded, `kg facts --json` equal, clear failures."""
from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from click.testing import CliRunner

from kg.cli.main import main
from kg.errors import EndpointError
from kg.export.gsp import load_graph_store
from kg.graph.build import build
from kg.query.backend import EmbeddedBackend
from kg.query.endpoint import EndpointBackend
from kg.query.stored import execute_stored, load_queries
from kg.store.store import Store
from project import SEEDS_DIR
from servers import SERVERS, Server, free_port, oxigraph

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
PARAM_SETS = yaml.safe_load((FIXTURES / "seeds-params.yaml").read_text())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The seeds' graph, built as `kg build seeds` builds it (real ontology and reference data)."""
    folder = tmp_path_factory.mktemp("seeds") / "store"
    writer = Store(folder)
    assert build([SEEDS_DIR], writer, workers=1).failed == {}
    writer.flush()
    del writer
    return Store(folder, read_only=True)


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with SERVERS[request.param](tmp_path_factory.mktemp(request.param)) as running:
        yield running


@pytest.fixture(scope="module")
def loaded(server: Server, store: Store) -> Server:
    result = CliRunner().invoke(main, ["load", "--gsp", server.store, "--store", str(store.location)])
    assert result.exit_code == 0, result.output
    assert f"loaded {len(store.graph_names())} graphs" in result.output
    return server


def sorted_rows(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def test_every_stored_query_is_in_the_parameter_sets() -> None:
    assert sorted(PARAM_SETS) == sorted(load_queries())


@pytest.mark.parametrize("name", sorted(PARAM_SETS))
def test_every_stored_query_gives_the_same_rows_remotely(loaded: Server, store: Store, name: str) -> None:
    query = load_queries()[name]
    remote = EndpointBackend(loaded.query, timeout=60)
    for params in PARAM_SETS[name]:
        here = execute_stored(query, params, EmbeddedBackend(store)).rows
        there = execute_stored(query, params, remote).rows
        assert sorted_rows(there) == sorted_rows(here), params
        if not params:
            assert here  # the comparison is not vacuous


def test_facts_json_are_the_same_remotely(loaded: Server, store: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    here = runner.invoke(main, ["facts", "--json", "--store", str(store.location)])
    there = runner.invoke(main, ["facts", "--json", "--endpoint", loaded.query, "--timeout", "60"])
    assert here.exit_code == 0 and there.exit_code == 0, there.output
    assert json.loads(there.output) == json.loads(here.output) != []


def test_cli_query_on_the_endpoint(loaded: Server) -> None:
    result = CliRunner().invoke(main, ["query", "meetings", "-p", "a=Vietnam", "-p", "b=JP",
                                       "--format", "csv", "--endpoint", loaded.query])
    assert result.exit_code == 0, result.output
    assert "Kamikawa Yoko" in result.output and "002_d8a9a8aa3f1b71fc.txt" in result.output


def test_a_value_not_found_names_the_endpoint(loaded: Server) -> None:
    result = CliRunner().invoke(main, ["query", "meetings", "-p", "a=Vietnamm", "--endpoint", loaded.query])
    assert result.exit_code == 2
    assert f"unknown state 'Vietnamm' on {loaded.query} (did you mean 'Vietnam'?)" in result.output


def quad_count(server: Server) -> int:
    rows = execute_stored(load_queries()["stats"], {}, EndpointBackend(server.query)).rows
    return next(r["count"] for r in rows if r["item"] == "quads")


def test_hostile_string_travels_as_a_literal(loaded: Server, store: Store) -> None:
    hostile = '"} ; DROP ALL #'
    result = CliRunner().invoke(main, ["query", "entity-profile", "-p", f"entity={hostile}",
                                       "--endpoint", loaded.query])
    assert result.exit_code == 2 and f"no entity is named '{hostile}' on {loaded.query}" in result.output
    assert quad_count(loaded) == len(store)


def test_reloading_is_idempotent(loaded: Server, store: Store) -> None:
    assert quad_count(loaded) == len(store)
    summary = load_graph_store(store, loaded.store)
    assert summary.graphs == len(store.graph_names())
    assert quad_count(loaded) == len(store)


def server_graphs(server: Server) -> set[str]:
    rows = EndpointBackend(server.query, dataset=False).execute(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {}).rows
    return {row["g"] for row in rows}


def test_prune_removes_only_the_stale_article_graphs(loaded: Server, store: Store) -> None:
    gone = "https://w3id.org/vjkg/graph/article/999_gone"
    other = "http://example.org/someone-elses-graph"
    before = server_graphs(loaded)
    for graph in (gone, other):
        requests.put(loaded.store, params={"graph": graph}, timeout=10,
                     data=b"<http://example.org/s> <http://example.org/p> \"o\" .\n",
                     headers={"Content-Type": "application/n-triples"}).raise_for_status()
    without_prune = CliRunner().invoke(main, ["load", "--gsp", loaded.store, "--store", str(store.location)])
    assert without_prune.exit_code == 0 and gone in server_graphs(loaded)
    result = CliRunner().invoke(main, ["load", "--gsp", loaded.store, "--store", str(store.location),
                                       "--prune", loaded.query])
    assert result.exit_code == 0, result.output
    assert f"removed 1 article graphs the store no longer has\n  {gone}\n" in result.output
    assert server_graphs(loaded) == before | {other}
    requests.delete(loaded.store, params={"graph": other}, timeout=10).raise_for_status()
    assert server_graphs(loaded) == before
    assert quad_count(loaded) == len(store)


def test_prune_with_an_unreachable_query_endpoint_is_a_clear_error(loaded: Server, store: Store) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(main, ["load", "--gsp", loaded.store, "--store", str(store.location),
                                       "--prune", url, "--timeout", "3"])
    assert result.exit_code == 2 and result.output.startswith(f"kg: error: {url}: cannot reach the endpoint")


def test_http_errors_are_reported(loaded: Server) -> None:
    with pytest.raises(EndpointError, match="HTTP 404"):
        EndpointBackend(loaded.query.rsplit("/", 1)[0] + "/no-such-path").execute("ASK {}", {})


def test_a_server_without_vjkg_data_is_named(tmp_path: Path, store: Store) -> None:
    with oxigraph(tmp_path) as empty:
        result = CliRunner().invoke(main, ["query", "meetings", "--endpoint", empty.query])
        assert result.exit_code == 2 and result.output == (
            f"kg: error: {empty.query}: the server holds no vjkg article graphs "
            "(push the built graph with `kg load --gsp GRAPH_STORE_URL`)\n")
        article = next(g for g in store.graph_names() if "/article/" in g)
        requests.put(empty.store, params={"graph": article}, data=store.dump_graph(article), timeout=10,
                     headers={"Content-Type": "application/n-triples"}).raise_for_status()
        result = CliRunner().invoke(main, ["query", "meetings", "--endpoint", empty.query])
        assert result.exit_code == 2 and "the server holds no vjkg ontology" in result.output
        assert result.output.count("\n") == 1


def test_unreachable_endpoint_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(main, ["query", "stats", "--endpoint", url, "--timeout", "3"])
    assert result.exit_code == 2
    assert result.output.startswith(f"kg: error: {url}: cannot reach the endpoint")
    assert "Traceback" not in result.output


def test_unreachable_graph_store_is_a_clear_error(store: Store) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    result = CliRunner().invoke(main, ["load", "--gsp", url, "--timeout", "3", "--store", str(store.location)])
    assert result.exit_code == 2 and "cannot reach the Graph Store" in result.output


class _Misbehaving(http.server.BaseHTTPRequestHandler):
    """A web server that is not a SPARQL endpoint: an HTML page, a 502 page, or a slow answer."""

    def do_POST(self) -> None:  # noqa: N802 (the http.server name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/slow":
            time.sleep(3)
        status, body = {"/html": (200, "<html><body><h1>Welcome</h1></body></html>"),
                        "/broken": (502, "<html><head><title>502 Bad Gateway</title></head>\n"
                                         "<body>upstream down</body></html>")}.get(self.path, (200, ""))
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def misbehaving() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Misbehaving)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(("path", "timeout", "message"), [
    ("/html", "5", "answered with a web page, not SPARQL results (is this the server's query endpoint?)"),
    ("/broken", "5", "HTTP 502: 502 Bad Gateway"),
    ("/slow", "0.5", "no answer within 0.5 s (a slow server: try a larger --timeout)"),
])
def test_a_server_that_cannot_serve_gets_one_line(misbehaving: str, path: str, timeout: str,
                                                   message: str) -> None:
    url = misbehaving + path
    result = CliRunner().invoke(main, ["query", "stats", "--endpoint", url, "--timeout", timeout])
    assert result.exit_code == 2
    assert result.output == f"kg: error: {url}: {message}\n"
