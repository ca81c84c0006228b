"""Real SPARQL servers for the tests: stock Oxigraph and OpenLink Virtuoso on 127.0.0.1.

Each runs on free ports with a fresh database in a temporary folder and is stopped by its
process id. Oxigraph comes from PyPI (the `oxigraph` package of the test extra), started
without flags, so its default graph is its own empty graph; Virtuoso from Debian's
`virtuoso-opensource-7-bin` (`make test` installs it), whose default graph is the union of
every graph it holds, its system graphs included. kg must give the same rows on both.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Server:
    """A running server: its SPARQL query endpoint and its Graph Store endpoint."""

    name: str
    query: str
    store: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(probe, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer at {url} within {seconds:g} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def oxigraph(folder: Path) -> Iterator[Server]:
    """`oxigraph serve` as it comes (no --union-default-graph)."""
    executable = Path(sys.executable).with_name("oxigraph")
    port = free_port()
    process = subprocess.Popen([str(executable), "serve", "--location", str(folder / "db"),
                                "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url + "/query", process, "oxigraph")
        yield Server("oxigraph", url + "/query", url + "/store")
    finally:
        _stop(process)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ServerThreads = 4
DirsAllowed = .

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 4
MaxClientConnections = 4
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


@contextmanager
def virtuoso(folder: Path) -> Iterator[Server]:
    """`virtuoso-t +foreground` on a fresh database, the Graph Store writable by anyone local."""
    executable = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt")
    if not executable or not isql:
        raise RuntimeError("Virtuoso is not installed: `make test` installs virtuoso-opensource-7-bin "
                           "(apt-get install virtuoso-opensource-7-bin)")
    db = folder / "virtuoso"
    db.mkdir()
    sql_port, http_port = free_port(), free_port()
    (db / "virtuoso.ini").write_text(VIRTUOSO_INI.format(db=db, sql_port=sql_port, http_port=http_port))
    process = subprocess.Popen([executable, "+foreground", "+configfile", "virtuoso.ini"], cwd=db,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http_port}"
    try:
        _wait(url + "/sparql", process, "virtuoso-t")
        # The anonymous web user (SPARQL) may write: Graph Store PUT/DELETE at /sparql-graph-crud.
        subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba",
                        'exec=grant SPARQL_UPDATE to "SPARQL";'],
                       check=True, capture_output=True, timeout=60)
        yield Server("virtuoso", url + "/sparql", url + "/sparql-graph-crud")
    finally:
        _stop(process)


SERVERS = {"oxigraph": oxigraph, "virtuoso": virtuoso}
