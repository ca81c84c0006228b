"""Against the real Oxigraph server: Graph Store load, every stored query remote = embedded."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from fixtures.queries.mini import open_mini_store
from kg.query.backend import EmbeddedBackend
from kg.cli.main import main
from kg.query.endpoint import EndpointBackend
from kg.errors import EndpointError
from kg.export.gsp import load_graph_store
from kg.query.stored import execute_stored, load_queries
from kg.store.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
PARAM_SETS = yaml.safe_load((FIXTURES / "params.yaml").read_text())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen, attempts: int = 200) -> None:
    for _ in range(attempts):
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("oxigraph did not answer")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `oxigraph serve` on a free local port, stopped by its process id afterwards."""
    executable = Path(sys.executable).with_name("oxigraph")
    port = free_port()
    process = subprocess.Popen(
        [str(executable), "serve", "--location", str(tmp_path_factory.mktemp("server")),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return open_mini_store(tmp_path_factory.mktemp("mini") / "store")


@pytest.fixture(scope="module")
def loaded(server: str, store: Store) -> str:
    result = CliRunner().invoke(main, ["load", "--gsp", f"{server}/store", "--store", str(store.location)])
    assert result.exit_code == 0, result.output
    assert f"loaded {len(store.graph_names())} graphs" in result.output
    return server


def quad_count(endpoint: str) -> int:
    rows = execute_stored(load_queries()["stats"], {}, EndpointBackend(endpoint + "/query")).rows
    return next(r["count"] for r in rows if r["item"] == "quads")


@pytest.mark.parametrize("name", sorted(PARAM_SETS))
def test_every_stored_query_gives_the_same_rows_remotely(loaded: str, store: Store, name: str) -> None:
    query = load_queries()[name]
    remote = EndpointBackend(f"{loaded}/query", timeout=20)
    for params in PARAM_SETS[name]:
        here = execute_stored(query, params, EmbeddedBackend(store)).rows
        there = execute_stored(query, params, remote).rows
        assert there == here, params
        if name not in ("stats",) and not params:
            assert here  # the comparison is not vacuous


def test_cli_query_on_the_endpoint(loaded: str) -> None:
    result = CliRunner().invoke(main, ["query", "conflicting-figures", "-p", "indicator=trade_turnover",
                                       "--format", "csv", "--endpoint", f"{loaded}/query"])
    assert result.exit_code == 0, result.output
    assert "49000000000" in result.output and "102_gamma.txt" in result.output


def test_hostile_string_travels_as_a_literal(loaded: str) -> None:
    before = quad_count(loaded)
    hostile = '"} ; DROP ALL #'
    result = CliRunner().invoke(main, ["query", "entity-profile", "-p", f"entity={hostile}",
                                       "--endpoint", f"{loaded}/query"])
    assert result.exit_code == 2 and "no entity is named" in result.output
    assert quad_count(loaded) == before


def test_reloading_is_idempotent(loaded: str, store: Store) -> None:
    before = quad_count(loaded)
    assert before == len(store)
    summary = load_graph_store(store, f"{loaded}/store")
    assert summary.graphs == len(store.graph_names())
    assert quad_count(loaded) == before


def server_graphs(endpoint: str) -> set[str]:
    rows = EndpointBackend(endpoint + "/query").execute("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {}).rows
    return {row["g"] for row in rows}


def test_prune_removes_only_the_stale_article_graphs(loaded: str, store: Store) -> None:
    import requests

    gone = "https://w3id.org/vjkg/graph/article/999_gone"
    other = "http://example.org/someone-elses-graph"
    for graph in (gone, other):
        requests.put(f"{loaded}/store", params={"graph": graph}, timeout=10,
                     data=b"<http://example.org/s> <http://example.org/p> \"o\" .\n",
                     headers={"Content-Type": "application/n-triples"}).raise_for_status()
    without_prune = CliRunner().invoke(main, ["load", "--gsp", f"{loaded}/store", "--store", str(store.location)])
    assert without_prune.exit_code == 0 and gone in server_graphs(loaded)
    result = CliRunner().invoke(main, ["load", "--gsp", f"{loaded}/store", "--store", str(store.location),
                                       "--prune", f"{loaded}/query"])
    assert result.exit_code == 0, result.output
    assert f"removed 1 article graphs the store no longer has\n  {gone}\n" in result.output
    assert server_graphs(loaded) == set(store.graph_names()) | {other}
    requests.delete(f"{loaded}/store", params={"graph": other}, timeout=10).raise_for_status()
    assert quad_count(loaded) == len(store)


def test_prune_with_an_unreachable_query_endpoint_is_a_clear_error(loaded: str, store: Store) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(main, ["load", "--gsp", f"{loaded}/store", "--store", str(store.location),
                                       "--prune", url, "--timeout", "3"])
    assert result.exit_code == 2 and result.output.startswith(f"kg: error: {url}: cannot reach the endpoint")


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


def test_http_errors_are_reported(loaded: str) -> None:
    with pytest.raises(EndpointError, match="HTTP 404"):
        EndpointBackend(f"{loaded}/no-such-path").execute("ASK {}", {})
