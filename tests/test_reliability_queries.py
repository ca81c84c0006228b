"""Queries never write and never reach outside, and every evaluation has a time limit.

A local listening socket stands for "outside": after each refused query it must have seen
no connection at all, so the refusal came before anything ran (an earlier version ran an
update on a scratch store to recognise it, and a ``LOAD`` reached a real server).
"""
from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from fixtures.queries.mini import build_mini_store
from kg import run_sparql
from kg.cli.main import main
from kg.errors import QueryRefusedError, QueryTimeoutError
from kg.query.connect import open_backend
from kg.query.stored import execute_stored, parse_stored_query
from kg.store.store import Store

CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mini_store(tmp_path_factory.mktemp("mini") / "store")


@pytest.fixture()
def listener() -> Iterator[tuple[socket.socket, str]]:
    """A socket listening on a free local port, and its URL."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server, f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def connections(server: socket.socket) -> int:
    """How many connections reached the listener (after a moment for stragglers)."""
    time.sleep(0.2)
    count = 0
    while True:
        try:
            client, _ = server.accept()
        except BlockingIOError:
            return count
        client.close()
        count += 1


def nquads_hash(store_dir: Path) -> str:
    store = Store(store_dir, read_only=True)
    return hashlib.sha256(store.oxigraph.dump(format=ox.RdfFormat.N_QUADS) or b"").hexdigest()


def refused_texts(url: str) -> list[str]:
    return [
        f"LOAD <{url}/data.ttl>",
        f"LOAD <{url}/data.ttl> INTO GRAPH <urn:x>",
        "LOAD <file:///etc/passwd>",
        "DROP ALL",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR DEFAULT",
        "PREFIX x: <urn:x> WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",  # a code-point escape
        f"SELECT * FROM <{url}/graph> WHERE {{ ?s ?p ?o }}",
        f"PREFIX g: <{url}/> SELECT * FROM NAMED g:graph WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }}",
    ]


def test_refused_queries_make_no_connection_and_change_nothing(store_dir: Path, listener) -> None:
    server, url = listener
    before = nquads_hash(store_dir)
    for text in refused_texts(url):
        with pytest.raises(QueryRefusedError):
            run_sparql(text, store=store_dir)
        with pytest.raises(QueryRefusedError):  # refused before the endpoint is even asked
            run_sparql(text, endpoint=url + "/query")
    assert connections(server) == 0
    assert nquads_hash(store_dir) == before


def test_the_cli_refuses_with_one_line(store_dir: Path, listener, tmp_path: Path) -> None:
    server, url = listener
    for number, text in enumerate(refused_texts(url)):
        path = tmp_path / f"q{number}.rq"
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(main, ["sparql", str(path), "--store", str(store_dir)])
        assert result.exit_code == 2, (text, result.output)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"kg: error: {path}: "), lines
        assert "read-only" in lines[0] or "SERVICE" in lines[0] or "outside this store" in lines[0]
    assert connections(server) == 0


def test_keywords_inside_names_strings_and_iris_are_not_refused(store_dir: Path) -> None:
    text = """PREFIX load: <urn:load:>
    SELECT ?drop ?service WHERE {
      VALUES (?drop ?service) { ("LOAD <http://x/> ; DROP ALL" load:insert) }
      # SERVICE <http://example.org/> in a comment
      FILTER(?drop != "SERVICE" && ?service != <http://e/delete>)
    }"""
    result = run_sparql(text, store=store_dir)
    assert result.rows == [{"drop": "LOAD <http://x/> ; DROP ALL", "service": "urn:load:insert"}]


def test_the_project_graphs_may_be_named_in_from(store_dir: Path) -> None:
    text = ("PREFIX vjg: <https://w3id.org/vjkg/graph/> "
            "SELECT (COUNT(*) AS ?n) FROM vjg:reference FROM NAMED <https://w3id.org/vjkg/graph/ontology> "
            "WHERE { ?s ?p ?o }")
    assert run_sparql(text, store=store_dir).form == "SELECT"


def test_an_endless_query_stops_at_the_time_limit(store_dir: Path) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="time limit of 1 s"):
        run_sparql(CROSS, store=store_dir, timeout=1.0, cache=False)
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):  # the evaluating child was killed and reaped
        os.waitpid(-1, os.WNOHANG)


def test_a_stored_query_has_the_time_limit_too(store_dir: Path) -> None:
    query = parse_stored_query("#+ summary: every quadruple of triples.\n" + CROSS, "cross")
    with open_backend(store=store_dir, cache=False) as backend:
        with pytest.raises(QueryTimeoutError):
            execute_stored(query, {}, backend, timeout=1.0)
        assert backend.timeout == 30.0  # the caller's backend keeps its own limit


def test_the_cli_stops_an_endless_query_with_one_line(store_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "cross.rq"
    path.write_text(CROSS, encoding="utf-8")
    result = CliRunner().invoke(main, ["sparql", str(path), "--store", str(store_dir), "--timeout", "1",
                                       "--no-cache"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["kg: error: the query ran past its time limit of 1 s and was "
                                          "stopped (give more with --timeout SECONDS)"]


def test_a_limited_query_gives_the_same_rows(store_dir: Path) -> None:
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 50"
    limited = run_sparql(text, store=store_dir, timeout=10.0, cache=False)
    unlimited = run_sparql(text, store=Store(store_dir, read_only=True), timeout=10.0, cache=False)
    assert limited.rows == unlimited.rows and len(limited.rows) == 50


def test_errors_inside_the_limited_evaluation_come_back_typed(store_dir: Path) -> None:
    from kg.errors import QueryError

    with pytest.raises(QueryError, match="malformed SPARQL"):
        run_sparql("SELECT ?s WHERE { ?s ?p }", store=store_dir)


def test_a_runaway_evaluation_is_stopped_by_its_memory_cap() -> None:
    from kg.errors import QueryError
    from kg.query.limit import MEMORY_HEADROOM, run_limited

    with pytest.raises(QueryError, match="needed more than 2 GB of memory"):
        run_limited(lambda: bytearray(MEMORY_HEADROOM + (1 << 28)), 20.0)


def _lock_held_by_a_thread(seconds: float) -> threading.Lock:
    """A lock another thread holds for ``seconds``: a child forked meanwhile inherits it held,
    with no thread to release it (as with a lock of one of RocksDB's background threads)."""
    lock = threading.Lock()
    taken = threading.Event()

    def hold() -> None:
        with lock:
            taken.set()
            time.sleep(seconds)

    threading.Thread(target=hold, daemon=True).start()
    taken.wait()
    return lock


def _after_taking(lock: threading.Lock) -> int:
    with lock:
        return 42


def test_an_evaluator_forked_while_a_thread_held_a_lock_is_forked_again() -> None:
    from kg.query.limit import run_limited

    lock = _lock_held_by_a_thread(1.0)
    started = time.monotonic()
    assert run_limited(lambda: _after_taking(lock), 20.0) == 42
    assert time.monotonic() - started < 15.0


def test_evaluators_stuck_every_time_give_a_clear_error_not_a_timeout() -> None:
    from kg.errors import QueryError
    from kg.query.limit import ATTEMPTS, STUCK_AFTER, run_limited

    lock = _lock_held_by_a_thread(ATTEMPTS * STUCK_AFTER + 5.0)
    with pytest.raises(QueryError, match="could not start") as caught:
        run_limited(lambda: _after_taking(lock), 60.0)
    assert not isinstance(caught.value, QueryTimeoutError)


def test_a_busy_evaluation_is_not_taken_for_a_stuck_one() -> None:
    from kg.query.limit import STUCK_AFTER, run_limited

    def spin() -> int:
        end = time.monotonic() + STUCK_AFTER * 2
        while time.monotonic() < end:
            pass
        return 7

    assert run_limited(spin, 20.0) == 7
